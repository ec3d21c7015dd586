"""Pydantic validation errors as one plain line each, naming the field the way the file spells it
(`strength.available_days[2]`) and saying what was expected."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from difflib import get_close_matches

from pydantic import BaseModel
from pydantic_core import ErrorDetails


def field_path(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _generic_path(loc: Sequence[int | str]) -> str:
    parts = [str(part) for part in loc if not isinstance(part, int)]
    if parts and parts[0] == "lifts" and len(parts) > 2:
        parts = [parts[0], *parts[2:]]  # lifts.<id>.reps → lifts.reps
    return ".".join(parts)


def _shown(value: object) -> str:
    """A value as the user wrote it in TOML (dates as dates, not as Python reprs)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return repr(value)


def _field_names(model: type[BaseModel]) -> set[str]:
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for candidate in (info.annotation, *getattr(info.annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                names |= _field_names(candidate)
    return names


def _unknown_field(loc: Sequence[int | str], model: type[BaseModel]) -> str:
    close = get_close_matches(str(loc[-1]), sorted(_field_names(model)), n=1)
    hint = f"did you mean {close[0]!r}?" if close else "check the spelling against docs/profile.md"
    return f"unknown field ({hint})"


def field_message(error: ErrorDetails, *, model: type[BaseModel], expected_by_path: Mapping[str, str]) -> str:
    """One line for one pydantic error, in the words docs/profile.md uses."""
    kind = error["type"]
    value = _shown(error.get("input"))
    ctx = error.get("ctx") or {}
    expected = expected_by_path.get(_generic_path(error["loc"]))
    if kind == "missing":
        return f"missing; expected {expected}" if expected else "missing"
    if kind == "extra_forbidden":
        return _unknown_field(error["loc"], model)
    if kind == "finite_number":
        return f"{value} is not a finite number" + (f"; expected {expected}" if expected else "")
    if kind == "literal_error":
        return f"{value} is not one of {ctx.get('expected')}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = {
            "greater_than": "greater than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }[kind]
        limit = next(iter(ctx.values()), "?")
        hint = f" ({expected})" if expected else ""
        return f"{value} is out of range; expected {bound} {limit}{hint}"
    if kind == "too_short":
        return f"empty; expected {expected}" if expected else "must not be empty"
    if kind.startswith(("date_", "datetime_")):
        return f"{value} is not a date; expected {expected or 'a date such as 2026-12-07'}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        noun = "whole number" if kind.startswith("int") else "number"
        return f"{value} is not a {noun}" + (f"; expected {expected}" if expected else "")
    if kind in ("list_type", "dict_type", "model_type", "string_type", "bool_type"):
        noun = {
            "list_type": "a list",
            "dict_type": "a table",
            "model_type": "a table",
            "string_type": "text in quotes",
            "bool_type": "true or false",
        }[kind]
        return f"{value} has the wrong type; expected {expected or noun}"
    return str(error["msg"])
