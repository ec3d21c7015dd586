"""A strict front for garmin-fit-sdk's Encoder: every name and value is checked against the Profile.

The SDK encoder writes whatever it can and silently drops or mangles the rest: an unknown field
name (a sub-field name such as `duration_reps` included) is left out, an integer too large for its
base type is cut to its low bits (700 kg becomes 44.64 kg), a float in an unscaled integer field is
truncated, a naive datetime is read in the machine's local zone. Each of those still gives a file
that decodes cleanly. `CheckedEncoder` refuses them instead, naming the message, the field and what
the Profile expects, so a mistake fails the test that writes the file rather than reaching a watch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from difflib import get_close_matches
from typing import Any

from garmin_fit_sdk import (
    BASE_TYPE_DEFINITIONS,
    FIELD_TYPE_TO_BASE_TYPE,
    FIT_EPOCH_S,
    Encoder,
    Profile,
)

FieldValue = str | int | float | datetime
MAX_STRING_BYTES = 254  # a FIT field holds at most 255 bytes; strings end in one NUL byte
_DATE_TIME_TYPES = ("date_time", "local_date_time")
_FLOAT_BASE_TYPES = ("float32", "float64")
_MESSAGES_BY_NAME: dict[str, dict[str, Any]] = {
    message["name"]: message for message in Profile["messages"].values()
}


class FitNameError(ValueError):
    """A message, field or enum value name that the FIT Profile does not define."""


class FitValueError(ValueError):
    """A value the FIT encoder would silently change: out of range, truncated or zone-dependent."""


def profile_version() -> str:
    version = Profile["version"]
    return f"{version['major']}.{version['minor']}.{version['patch']}"


def _suggest(name: str, known: list[str]) -> str:
    matches = get_close_matches(name, known, n=3)
    return f" (did you mean {', '.join(matches)}?)" if matches else ""


def message_profile(message: str) -> dict[str, Any]:
    """The Profile entry of a message, by its name such as `workout_step`."""
    try:
        return _MESSAGES_BY_NAME[message]
    except KeyError:
        raise FitNameError(
            f"FIT message {message!r} is not in the FIT Profile {profile_version()}"
            + _suggest(message, list(_MESSAGES_BY_NAME))
        ) from None


def field_profile(message: str, field: str) -> dict[str, Any]:
    """The Profile entry of a main field of `message`; sub-field names are refused with a hint."""
    fields: dict[str, dict[str, Any]] = {
        entry["name"]: entry for entry in message_profile(message)["fields"].values()
    }
    if field in fields:
        return fields[field]
    for main in fields.values():
        if any(sub["name"] == field for sub in main["sub_fields"]):
            raise FitNameError(
                f"FIT message {message!r}: {field!r} is a sub-field of {main['name']!r}; write "
                f"{main['name']!r} in raw units instead (the encoder would drop {field!r} silently)"
            )
    raise FitNameError(
        f"FIT message {message!r} has no field {field!r} in the FIT Profile {profile_version()}"
        + _suggest(field, list(fields))
    )


def enum_value(type_name: str, value_name: str) -> int:
    """The number of a named value of a Profile type, e.g. ("squat_exercise_name", "goblet_squat") -> 37."""
    values = Profile["types"].get(type_name)
    if values is None:
        raise FitNameError(f"FIT type {type_name!r} is not in the FIT Profile {profile_version()}")
    for number, name in values.items():
        if name == value_name:
            return int(number)
    raise FitNameError(
        f"FIT type {type_name!r} has no value {value_name!r}" + _suggest(value_name, list(values.values()))
    )


def has_enum_type(type_name: str) -> bool:
    return type_name in Profile["types"]


class CheckedEncoder:
    """Writes FIT messages by name; `close()` returns the file's bytes (header, messages, CRC)."""

    def __init__(self) -> None:
        self._encoder = Encoder()

    def write(self, message: str, fields: Mapping[str, FieldValue]) -> None:
        """Write one message; every field given is written (leave a key out to leave a field unset)."""
        number = int(message_profile(message)["num"])
        for name, value in fields.items():
            _check_value(message, field_profile(message, name), value)
        self._encoder.write_mesg({"mesg_num": number, **fields})

    def close(self) -> bytes:
        return bytes(self._encoder.close())


def _check_value(message: str, field: dict[str, Any], value: object) -> None:
    label = f"FIT message {message!r} field {field['name']!r}"
    field_type, base_type = field["type"], field["base_type"]
    if isinstance(value, bool) or not isinstance(value, str | int | float | datetime):
        raise FitValueError(f"{label}: {value!r} is not a string, number or datetime")
    if base_type == "string":
        _check_string(label, value)
    elif field_type in _DATE_TIME_TYPES:
        _check_date_time(label, field, value)
    elif isinstance(value, str):
        if not has_enum_type(field_type):
            raise FitValueError(f"{label}: {value!r} given for a number of type {field_type!r}")
        enum_value(field_type, value)
    else:
        _check_number(label, field, value)


def _check_string(label: str, value: object) -> None:
    if not isinstance(value, str):
        raise FitValueError(f"{label}: {value!r} is not a string")
    size = len(value.encode("utf-8"))
    if size == 0 or size > MAX_STRING_BYTES or "\x00" in value:
        raise FitValueError(
            f"{label}: a string must be 1 to {MAX_STRING_BYTES} bytes of UTF-8 without NUL, not {size} bytes"
            " (an empty string decodes as a missing field)"
        )


def _check_date_time(label: str, field: dict[str, Any], value: object) -> None:
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise FitValueError(f"{label}: {value} has no time zone; the encoder would use the local one")
        value = int(value.timestamp()) - FIT_EPOCH_S
    _check_number(label, field, value)


def _check_number(label: str, field: dict[str, Any], value: object) -> None:
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise FitValueError(f"{label}: {value!r} is not a finite number")
    if field["base_type"] in _FLOAT_BASE_TYPES:
        return
    # The encoder's own rule: one scale and offset unless the field is built from components.
    scale = field["scale"][0] if len(field["components"]) <= 1 and field["scale"] else 1
    offset = field["offset"][0] if len(field["components"]) <= 1 and field["offset"] else 0
    if scale == 1 and offset == 0 and isinstance(value, float) and not value.is_integer():
        raise FitValueError(f"{label}: {value!r} is not a whole number; the encoder would truncate it")
    raw = round((value + offset) * scale)
    definition = BASE_TYPE_DEFINITIONS[FIELD_TYPE_TO_BASE_TYPE[field["base_type"]]]
    bits = 8 * int(definition["size"])
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if definition["signed"] else (0, (1 << bits) - 1)
    if not low <= raw <= high or raw == definition["invalid"]:
        raise FitValueError(
            f"{label}: {value!r} is stored as {raw} (scale {scale}, offset {offset}), outside what a "
            f"{field['base_type']} holds (it would be cut to its low bits or read as 'no value')"
        )
