"""The checked FIT encoder writes what the Profile defines and refuses what the SDK would mangle."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from garmin_fit_sdk import Decoder, Encoder, Stream

from ironmile.render.fit_encoding import (
    MAX_STRING_BYTES,
    CheckedEncoder,
    FieldValue,
    FitNameError,
    FitValueError,
    enum_value,
)

FILE_ID: dict[str, FieldValue] = {
    "type": "workout",
    "manufacturer": "development",
    "product": 0,
    "serial_number": 545057423,
    "time_created": datetime(2025, 1, 6, 7, 0, tzinfo=UTC),
}


def _decoded_steps(data: bytes) -> list[dict[str, object]]:
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return list(messages.get("workout_step_mesgs", []))


def _refused(message: str, fields: dict[str, FieldValue]) -> None:
    CheckedEncoder().write(message, fields)


def test_written_messages_decode_with_their_values() -> None:
    encoder = CheckedEncoder()
    encoder.write("file_id", FILE_ID)
    encoder.write(
        "workout_step",
        {"message_index": 0, "duration_type": "reps", "duration_value": 5, "exercise_category": "squat",
         "exercise_name": 6, "exercise_weight": 61.23, "weight_display_unit": "pound"},
    )  # fmt: skip
    [step] = _decoded_steps(encoder.close())
    assert step["duration_reps"] == 5
    assert step["exercise_category"] == "squat"
    assert step["exercise_name"] == 6
    assert step["exercise_weight"] == pytest.approx(61.23)  # kg, stored as kg × 100
    assert step["weight_display_unit"] == "pound"


def test_the_sdk_encoder_alone_drops_an_unknown_key_without_a_word() -> None:
    # The reason for the wrapper (FORMATS.md §1.3, pitfall 1): the step comes back without its reps.
    encoder = Encoder()
    encoder.write_mesg({"mesg_num": 0, **FILE_ID})
    encoder.write_mesg({"mesg_num": 27, "duration_type": "reps", "duration_reps": 5})
    [step] = _decoded_steps(encoder.close())
    assert "duration_value" not in step
    assert "duration_reps" not in step


def test_an_unknown_message_name_is_refused_with_a_suggestion() -> None:
    with pytest.raises(FitNameError, match=r"FIT message 'workout_stepp' is not in the FIT Profile 21\.218"):
        _refused("workout_stepp", {"duration_type": "open"})
    with pytest.raises(FitNameError, match="did you mean workout_step"):
        _refused("workout_stepp", {"duration_type": "open"})


def test_an_unknown_field_name_is_refused_with_a_suggestion() -> None:
    with pytest.raises(FitNameError, match=r"'workout' has no field 'wkt_nmae'.*did you mean wkt_name"):
        _refused("workout", {"wkt_nmae": "Strength"})


def test_a_sub_field_name_is_refused_and_the_main_field_named() -> None:
    with pytest.raises(FitNameError, match="'duration_reps' is a sub-field of 'duration_value'"):
        _refused("workout_step", {"duration_type": "reps", "duration_reps": 5})


def test_an_enum_value_outside_the_profile_is_refused() -> None:
    # FORMATS.md §1.1: there is no hip_thrust category; hip thrusts live under hip_raise.
    with pytest.raises(FitNameError, match="'exercise_category' has no value 'hip_thrust'"):
        _refused("workout_step", {"exercise_category": "hip_thrust"})
    with pytest.raises(FitValueError, match="given for a number"):
        _refused("workout_step", {"exercise_name": "barbell_back_squat"})


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("exercise_weight", 700.0, "stored as 70000"),  # uint16 kg × 100: the SDK would write 44.64 kg
        ("exercise_weight", -1.0, "outside what a uint16 holds"),
        ("exercise_weight", 655.35, "read as 'no value'"),  # 0xFFFF is uint16's invalid value
        ("duration_value", 1.7, "not a whole number"),
        ("duration_value", float("nan"), "not a finite number"),
        ("message_index", True, "not a string, number or datetime"),
        ("wkt_step_name", "", "an empty string decodes as a missing field"),
        ("wkt_step_name", "x" * (MAX_STRING_BYTES + 1), "not 255 bytes"),
        ("notes", 5, "is not a string"),
    ],
)
def test_values_the_sdk_would_change_silently_are_refused(field: str, value: FieldValue, reason: str) -> None:
    with pytest.raises(FitValueError, match=reason):
        _refused("workout_step", {field: value})


def test_a_datetime_without_a_zone_is_refused() -> None:
    with pytest.raises(FitValueError, match="no time zone"):
        _refused("file_id", {**FILE_ID, "time_created": datetime(2025, 1, 6, 7, 0)})


def test_a_serial_number_of_zero_is_refused() -> None:
    with pytest.raises(FitValueError, match="uint32z"):
        _refused("file_id", {**FILE_ID, "serial_number": 0})  # 0 is uint32z's "no value"


def test_enum_values_come_from_the_profile() -> None:
    # Numbers as listed in FORMATS.md §1.1 (VERIFIED against the Profile of garmin-fit-sdk 21.218.0).
    assert enum_value("squat_exercise_name", "barbell_back_squat") == 6
    assert enum_value("hip_raise_exercise_name", "barbell_hip_thrust_with_bench") == 1
    assert enum_value("exercise_category", "hip_raise") == 10
    with pytest.raises(FitNameError, match="no value 'nordic_curl'"):
        enum_value("leg_curl_exercise_name", "nordic_curl")
    with pytest.raises(FitNameError, match="'hip_thrust_exercise_name' is not in the FIT Profile"):
        enum_value("hip_thrust_exercise_name", "hip_thrust")
