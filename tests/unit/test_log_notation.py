"""The quick log notation: every form it accepts and every impossible value it refuses, by field."""

from __future__ import annotations

import pytest

from ironmile.domain.errors import InputError
from ironmile.domain.log_notation import LogNotationError, parse_sets
from ironmile.domain.training import LoggedSet
from ironmile.domain.units import KG_PER_LB, UnitSystem


def parse(text: str, units: UnitSystem = UnitSystem.METRIC) -> tuple[LoggedSet, ...]:
    return parse_sets(text, exercise_id="back_squat", units=units)


def one(load: float | None, reps: int | None, rir: int | None, seconds: int | None = None) -> LoggedSet:
    return LoggedSet("back_squat", load, reps, seconds, rir)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60x5x3@2", (one(60.0, 5, 2),) * 3),
        ("60x5@2", (one(60.0, 5, 2),)),
        ("60x5", (one(60.0, 5, None),)),
        ("62.5x5x2", (one(62.5, 5, None),) * 2),
        ("bw x8x3", (one(None, 8, None),) * 3),
        ("x8x3@2", (one(None, 8, 2),) * 3),
        ("BW×8@1", (one(None, 8, 1),)),
        ("45sx3", (one(None, None, None, 45),) * 3),
        ("45s", (one(None, None, None, 45),)),
        ("20x45sx2", (one(20.0, None, None, 45),) * 2),
        ("60x5@2,62.5x5@1", (one(60.0, 5, 2), one(62.5, 5, 1))),
        (" 60 x 5 x 2 @ 2 , 62.5x5@1 ", (one(60.0, 5, 2), one(60.0, 5, 2), one(62.5, 5, 1))),
        ("0x10", (one(0.0, 10, None),)),
        ("60x100@10", (one(60.0, 100, 10),)),
        ("60x5x20@0", (one(60.0, 5, 0),) * 20),
    ],
)
def test_every_form(text: str, expected: tuple[LoggedSet, ...]) -> None:
    assert parse(text) == expected


def test_loads_are_read_in_the_athletes_units_and_stored_in_kg() -> None:
    (logged,) = parse("135x5@2", UnitSystem.IMPERIAL)
    assert logged.load_kg == pytest.approx(135 * KG_PER_LB)


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("-60x5", "load", "-60 is negative; expected 0 or more"),
        ("700x1", "load", "700 is more than anyone lifts; expected at most 600"),
        ("60x0", "reps", "0 is impossible; expected 1–100"),
        ("60x101", "reps", "101 is impossible; expected 1–100"),
        ("60x-5", "reps", "-5 is impossible; expected 1–100"),
        ("60x5@11", "rir", "11 is impossible; expected 0–10"),
        ("60x5@-1", "rir", "-1 is impossible; expected 0–10"),
        ("60x5x21", "sets", "21 is impossible; expected 1–20"),
        ("60x5x0", "sets", "0 is impossible; expected 1–20"),
        ("0sx3", "seconds", "0 is impossible; expected 1–600"),
        ("601s", "seconds", "601 is impossible; expected 1–600"),
        ("sixty by five", "text", "expected LOADxREPS[xSETS][@RIR]"),
        ("60", "text", "expected LOADxREPS[xSETS][@RIR]"),
        ("60x5x3x2", "text", "expected LOADxREPS[xSETS][@RIR]"),
        ("60x5@2.5", "text", "expected LOADxREPS[xSETS][@RIR]"),
        ("60x5,", "text", "expected LOADxREPS[xSETS][@RIR]"),
        ("62,5x5", "text", "expected LOADxREPS[xSETS][@RIR]"),  # a decimal comma splits into "62"
        ("   ", "text", "nothing to log"),
    ],
)
def test_every_rejection_names_its_field(text: str, field: str, message: str) -> None:
    with pytest.raises(LogNotationError) as raised:
        parse(text)
    assert raised.value.field == field
    assert f": {field}: {message}" in str(raised.value)
    assert isinstance(raised.value, InputError)  # CLI exit 2, HTTP 422


def test_the_load_limit_reads_in_pounds_for_imperial_athletes() -> None:
    with pytest.raises(LogNotationError, match="expected at most 1323"):
        parse("1400x1", UnitSystem.IMPERIAL)


def test_the_message_quotes_the_group_at_fault() -> None:
    with pytest.raises(LogNotationError, match=r"^log '62.5x0@1': reps: "):
        parse("60x5@2, 62.5x0@1")
