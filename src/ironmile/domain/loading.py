"""Loads: estimated one-rep max, the RIR chart, and rounding to weights a runner can put on the bar.

Sources (SCIENCE.md §5): Epley (1985) and Brzycki (1993) e1RM formulas; the RTS chart of %1RM by
reps + reps in reserve (Reactive Training Systems, Tuchscherer 2008); the NSCA %1RM table by reps
to failure (Baechle & Earle, Essentials of Strength Training and Conditioning).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ironmile.domain.athlete import E1rmFormula, StrengthLevel
from ironmile.domain.units import UnitSystem, display_from_kg

MAX_E1RM_REPS = 10  # both formulas drift past ~10 reps; ironmile does not estimate beyond

# %1RM by reps + RIR (an RPE-10 set of 5 reps is 86.3 %); keys 1–12.
RTS_PERCENT: dict[int, float] = {
    1: 100.0,
    2: 95.5,
    3: 92.2,
    4: 89.2,
    5: 86.3,
    6: 83.7,
    7: 81.1,
    8: 78.6,
    9: 76.2,
    10: 73.9,
    11: 70.7,
    12: 68.0,
}

# NSCA: %1RM by reps to failure.
NSCA_PERCENT: dict[int, float] = {
    1: 100.0,
    2: 95.0,
    3: 93.0,
    4: 90.0,
    5: 87.0,
    6: 85.0,
    7: 83.0,
    8: 80.0,
    9: 77.0,
    10: 75.0,
    12: 70.0,
}

# Convention: a conservative first estimate of 1RM from body mass, as a share of an intermediate
# lifter's typical ratio. Novices get well under it; the first session calibrates.
LEVEL_SHARE_OF_TYPICAL: dict[StrengthLevel, float] = {
    StrengthLevel.NOVICE: 0.55,
    StrengthLevel.INTERMEDIATE: 0.8,
    StrengthLevel.ADVANCED: 0.95,
}

# Loadable steps in display units: barbell pairs of plates (2 × 1.25 kg, 2 × 2.5 lb), fixed
# dumbbells (2 kg, 5 lb), kettlebells (4 kg, 5 lb sizes), machine stacks (2.5 kg, 5 lb).
LOAD_STEP: dict[tuple[str, UnitSystem], float] = {
    ("barbell", UnitSystem.METRIC): 2.5,
    ("barbell", UnitSystem.IMPERIAL): 5.0,
    ("dumbbell", UnitSystem.METRIC): 2.0,
    ("dumbbell", UnitSystem.IMPERIAL): 5.0,
    ("kettlebell", UnitSystem.METRIC): 4.0,
    ("kettlebell", UnitSystem.IMPERIAL): 5.0,
    ("machine", UnitSystem.METRIC): 2.5,
    ("machine", UnitSystem.IMPERIAL): 5.0,
}
# The lightest loadable weight: an empty Olympic bar (20 kg / 45 lb); the smallest bell or dumbbell.
MIN_LOAD: dict[tuple[str, UnitSystem], float] = {
    ("barbell", UnitSystem.METRIC): 20.0,
    ("barbell", UnitSystem.IMPERIAL): 45.0,
    ("dumbbell", UnitSystem.METRIC): 2.0,
    ("dumbbell", UnitSystem.IMPERIAL): 5.0,
    ("kettlebell", UnitSystem.METRIC): 4.0,
    ("kettlebell", UnitSystem.IMPERIAL): 10.0,
    ("machine", UnitSystem.METRIC): 5.0,
    ("machine", UnitSystem.IMPERIAL): 10.0,
}


def epley(load: float, reps: int) -> float:
    """Epley e1RM: load × (1 + reps / 30); a single returns the load itself."""
    _check_reps(reps)
    return load if reps == 1 else load * (1 + reps / 30)


def brzycki(load: float, reps: int) -> float:
    """Brzycki e1RM: load × 36 / (37 − reps); a single returns the load itself."""
    _check_reps(reps)
    return load if reps == 1 else load * 36 / (37 - reps)


def estimate_1rm(load: float, reps: int, *, rir: int = 0, formula: E1rmFormula = E1rmFormula.EPLEY) -> float:
    """e1RM from a set of `reps` with `rir` in reserve: the set counts as reps + rir to failure."""
    effective = reps + rir
    if effective > MAX_E1RM_REPS:
        raise ValueError(f"reps + RIR = {effective}: e1RM is not estimated above {MAX_E1RM_REPS}")
    return epley(load, effective) if formula is E1rmFormula.EPLEY else brzycki(load, effective)


def _check_reps(reps: int) -> None:
    if not 1 <= reps <= MAX_E1RM_REPS:
        raise ValueError(f"reps must be 1–{MAX_E1RM_REPS} for an e1RM, not {reps}")


def rts_percent(reps: int, rir: int) -> float:
    """%1RM for a set of `reps` leaving `rir` in reserve (RPE = 10 − RIR), from the RTS chart."""
    key = reps + rir
    if key not in RTS_PERCENT:
        raise ValueError(f"reps + RIR = {key} is outside the RTS chart (1–12)")
    return RTS_PERCENT[key]


def rpe_from_rir(rir: int) -> int:
    return 10 - rir


def round_down_load(load: float, step: float) -> float:
    """The heaviest multiple of `step` not above `load` (tolerant of float noise)."""
    return math.floor(load / step + 1e-9) * step


@dataclass(frozen=True, slots=True)
class Load:
    """A target load in the profile's units, and the %1RM it came from (after `scale`)."""

    value: float | None  # None when the target is below the lightest loadable weight
    percent_1rm: float  # one decimal, exactly the percentage the load was computed from
    below_minimum: bool = False


def target_load(
    e1rm_kg: float, *, reps: int, rir: int, implement: str, units: UnitSystem, scale: float = 1.0
) -> Load:
    """The chart load for reps @ RIR from an e1RM, times `scale`, rounded down to a loadable weight.

    Never above the chart target (so never above the e1RM): when even the lightest weight is too
    heavy the value is None and `below_minimum` is set.
    """
    percent = round(rts_percent(reps, rir) * scale, 1)  # shown as is, so the load matches it
    exact = display_from_kg(e1rm_kg * percent / 100, units)
    rounded = round_down_load(exact, LOAD_STEP[(implement, units)])
    if rounded < MIN_LOAD[(implement, units)]:
        return Load(None, percent, below_minimum=True)
    return Load(round(rounded, 2), percent)


def estimated_1rm_from_body_mass(body_mass_kg: float, strength_ratio: float, level: StrengthLevel) -> float:
    """A conservative first e1RM (kg) from body mass when no lift is known (convention)."""
    return body_mass_kg * strength_ratio * LEVEL_SHARE_OF_TYPICAL[level]
