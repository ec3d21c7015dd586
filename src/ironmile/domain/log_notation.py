"""The quick log notation a runner types between sets, parsed into logged sets in kg.

    60x5x3@2            60 (kg or lb, the athlete's units) × 5 reps × 3 sets, 2 reps in reserve
    60x5@2   60x5       one set; without "@", no RIR was reported
    bw x8x3  x8x3@2     bodyweight: no load
    45sx3    20x45s     holds: 3 × 45 s; a loaded hold of 45 s with 20
    60x5@2, 62.5x5@1    several groups, comma-separated

Case and spaces do not matter, and "×" may stand for "x". Impossible values are refused with a
`LogNotationError` naming the field, so a typo never reaches the progression rules.
"""

from __future__ import annotations

import re

from ironmile.domain.errors import InputError
from ironmile.domain.training import LoggedSet
from ironmile.domain.units import UnitSystem, display_from_kg, kg_from_display

MAX_REPS = 100  # convention: more reps than this in one set is a typo, not a set
MAX_SETS = 20  # convention: more sets of one group than this is a typo
MAX_RIR = 10  # RIR 10 is RPE 0; the scale ends there
MAX_SECONDS = 600  # convention: a hold longer than 10 minutes is a typo
MAX_LOAD_KG = 600.0  # convention: above any barbell lift ever recorded
EXPECTED = "LOADxREPS[xSETS][@RIR], e.g. 60x5x3@2, bw x8x3, x8@2 or 45sx3"

_GROUP = re.compile(
    r"""
    (?:(?P<load>-?\d+(?:\.\d+)?|bw)?(?P<times>x))?   # load, then "x"; no load means bodyweight
    (?:(?P<seconds>-?\d+)s|(?P<reps>-?\d+))          # a hold of N seconds, or N reps
    (?:x(?P<sets>-?\d+))?                            # sets, 1 when absent
    (?:@(?P<rir>-?\d+))?                             # reps in reserve, unreported when absent
    """,
    re.VERBOSE,
)


class LogNotationError(InputError):
    """Quick-log text that cannot be a set; `field` is load, reps, seconds, sets, rir or text."""

    def __init__(self, text: str, field: str, message: str) -> None:
        self.text = text
        self.field = field
        super().__init__(f"log {text!r}: {field}: {message}")


def parse_sets(text: str, *, exercise_id: str, units: UnitSystem) -> tuple[LoggedSet, ...]:
    """Every set `text` describes, in order, with loads converted from `units` to kg."""
    if not text.strip():
        raise LogNotationError(text, "text", f"nothing to log; expected {EXPECTED}")
    logged: list[LoggedSet] = []
    for group in text.split(","):
        logged.extend(_parse_group(group, exercise_id=exercise_id, units=units))
    return tuple(logged)


def _parse_group(text: str, *, exercise_id: str, units: UnitSystem) -> list[LoggedSet]:
    compact = re.sub(r"\s+", "", text).lower().replace("×", "x")
    found = _GROUP.fullmatch(compact)
    if found is None or (found["reps"] is not None and found["times"] is None):
        raise LogNotationError(text.strip(), "text", f"expected {EXPECTED}")
    load_kg: float | None = None
    if found["load"] not in (None, "bw"):
        load = float(found["load"])
        if load < 0:
            raise LogNotationError(text.strip(), "load", f"{found['load']} is negative; expected 0 or more")
        load_kg = kg_from_display(load, units)
        if load_kg > MAX_LOAD_KG:
            limit = round(display_from_kg(MAX_LOAD_KG, units))
            raise LogNotationError(
                text.strip(), "load", f"{found['load']} is more than anyone lifts; expected at most {limit}"
            )
    reps = _count(text, found["reps"], "reps", 1, MAX_REPS)
    seconds = _count(text, found["seconds"], "seconds", 1, MAX_SECONDS)
    sets = _count(text, found["sets"], "sets", 1, MAX_SETS) or 1
    rir = _count(text, found["rir"], "rir", 0, MAX_RIR)
    one = LoggedSet(exercise_id=exercise_id, load_kg=load_kg, reps=reps, seconds=seconds, rir=rir)
    return [one] * sets


def _count(text: str, raw: str | None, field: str, low: int, high: int) -> int | None:
    if raw is None:
        return None
    value = int(raw)
    if not low <= value <= high:
        raise LogNotationError(text.strip(), field, f"{value} is impossible; expected {low}–{high}")
    return value
