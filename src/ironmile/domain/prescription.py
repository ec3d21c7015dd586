"""Prescription: sets, reps (or seconds), reps in reserve and rest for a role in a phase (SCIENCE.md §2).

Under the default goal ("strength, not size") main lifts are heavy, low-rep and short of failure:
strength comes from the nervous system, not from muscle mass. The opt-in goal "muscle" uses
hypertrophy ranges. No main lift is ever prescribed at RIR 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum

from ironmile.domain.athlete import Goal
from ironmile.domain.phases import Phase, PhaseWeek


class Role(StrEnum):
    WARMUP = "warmup"
    MAIN = "main"
    SECONDARY = "secondary"
    ACCESSORY = "accessory"
    PLYOMETRIC = "plyometric"
    ISOMETRIC = "isometric"
    CORE = "core"


@dataclass(frozen=True, slots=True)
class Dose:
    """What to do with one exercise: `reps` per set (per side when unilateral) or `seconds` per hold."""

    sets: int
    reps: int | None
    seconds: int | None
    rir: int | None  # None where reps in reserve does not apply (jumps, holds)
    rest_seconds: int
    load_scale: float = 1.0  # deload weeks: 0.9 × the chart load


DELOAD_SET_SHARE = 0.55  # convention: sets −40–50 % over the week (per exercise it rounds: 3 → 2)
DELOAD_LOAD_SCALE = 0.9  # convention: load −10 %
TAPER_SET_SHARE = 0.5  # Bosquet et al. 2007: volume −41–60 %, intensity kept
# sets, seconds, rest: Rio et al. 2015 used 5 × 45 s at 70 % MVC; 4 holds keep a session short
ISOMETRIC_HOLD = (4, 45, 90)
# Plyometric ground contacts per session by phase (weekly: strength ≤ 40, power 40–80, maint. ≤ 40)
CONTACTS_PER_SESSION = {Phase.STRENGTH: 18, Phase.POWER: 36, Phase.MAINTENANCE: 24}
PLYO_MAX_REPS = 6  # convention: short sets keep every jump fast and crisp
PLYO_REST = 90
EXPLOSIVE_LIFT = (3, 5, 120)  # sets, reps, rest: trap-bar jumps or swings, every rep fast (convention)
BODYWEIGHT_MIN_REPS = 8  # an unloaded exercise needs reps to reach its RIR (harder variants progress it)
ECCENTRIC_HAMSTRING_REPS = 5  # Nordic-style work: few slow reps (Mjølsnes et al. 2004 start at 2 × 5)


def stage(week: PhaseWeek) -> int:
    """0, 1, 2: early, middle, late third of a phase run; a taper keeps the late loads."""
    if week.phase is Phase.TAPER:
        return 2
    return min(2, (week.phase_week - 1) * 3 // max(1, week.phase_weeks))


# (sets, reps, rir, rest) by phase and stage for reps-measured exercises, default goal.
_STRENGTH_GOAL: dict[tuple[Phase, Role], tuple[tuple[int, int, int, int], ...]] = {
    (Phase.FOUNDATION, Role.MAIN): ((2, 8, 4, 120), (3, 8, 3, 120), (3, 6, 4, 120)),
    (Phase.FOUNDATION, Role.SECONDARY): ((2, 8, 3, 90), (3, 8, 3, 90), (3, 8, 3, 90)),
    (Phase.FOUNDATION, Role.ACCESSORY): ((2, 8, 3, 60), (2, 8, 3, 60), (2, 8, 3, 60)),
    (Phase.STRENGTH, Role.MAIN): ((3, 5, 2, 180), (4, 4, 2, 180), (4, 3, 2, 180)),
    (Phase.STRENGTH, Role.SECONDARY): ((3, 6, 2, 120), (3, 6, 2, 120), (3, 5, 2, 120)),
    (Phase.STRENGTH, Role.ACCESSORY): ((2, 8, 2, 90), (3, 6, 2, 90), (3, 6, 2, 90)),
    (Phase.POWER, Role.MAIN): ((3, 3, 2, 180), (3, 3, 2, 180), (3, 2, 2, 180)),
    (Phase.POWER, Role.SECONDARY): ((2, 5, 2, 120), (2, 5, 2, 120), (2, 4, 2, 120)),
    (Phase.POWER, Role.ACCESSORY): ((2, 6, 2, 90), (2, 6, 2, 90), (2, 6, 2, 90)),
    (Phase.MAINTENANCE, Role.MAIN): ((2, 4, 2, 180),) * 3,
    (Phase.MAINTENANCE, Role.SECONDARY): ((2, 5, 2, 120),) * 3,
    (Phase.MAINTENANCE, Role.ACCESSORY): ((2, 6, 2, 90),) * 3,
}
# Opt-in hypertrophy ranges (Schoenfeld et al. 2017): more sets, 8–12 reps, closer to failure.
_MUSCLE_GOAL: dict[Role, tuple[int, int, int, int]] = {
    Role.MAIN: (4, 8, 2, 150),
    Role.SECONDARY: (3, 10, 2, 90),
    Role.ACCESSORY: (3, 10, 1, 75),
}
_LIGHT = (2, 8, 3, 75)  # race week and recovery: easy upper body, well short of failure
_CORE_REPS = (2, 10, 3, 45)
_CORE_SECONDS = (2, 30, 45)


def prescribe(
    *,
    role: Role,
    measure: str,
    unilateral: bool,
    week: PhaseWeek,
    goal: Goal,
    light: bool = False,
    dose_phase: Phase | None = None,
    loaded: bool = True,
    eccentric_hamstring: bool = False,
) -> Dose:
    """The dose for one exercise in one (non-deload) week; deloads are cut from the fitted week.

    `light` marks race-week and recovery sessions. `dose_phase` overrides the phase whose table is
    used: a taper week repeats the doses of the phase before it (the planner then cuts volume).
    Unloaded exercises get at least 8 reps (bodyweight cannot be made heavier, only harder), and
    Nordic-style eccentric hamstring work a few slow reps.
    """
    base_phase = dose_phase or week.phase
    if base_phase in (Phase.TAPER, Phase.RACE, Phase.RECOVERY):
        base_phase = Phase.MAINTENANCE
    if role is Role.PLYOMETRIC and loaded:
        sets, reps, rest = EXPLOSIVE_LIFT
        dose = Dose(sets, reps, None, None, rest)
    elif role is Role.PLYOMETRIC:
        dose = _plyometric(base_phase, unilateral)
    elif role is Role.ISOMETRIC:
        sets, seconds, rest = ISOMETRIC_HOLD
        dose = Dose(sets, None, seconds, None, rest)
    elif role is Role.CORE or measure == "seconds":
        dose = _core(measure)
    elif light:
        sets, reps, rir, rest = _LIGHT
        dose = Dose(sets, reps, None, rir, rest)
    elif goal is Goal.MUSCLE and role in _MUSCLE_GOAL:
        sets, reps, rir, rest = _MUSCLE_GOAL[role]
        dose = Dose(sets, reps, None, rir, rest)
    else:
        key_role = Role.SECONDARY if role is Role.WARMUP else role
        sets, reps, rir, rest = _STRENGTH_GOAL[(base_phase, key_role)][stage(week)]
        dose = Dose(sets, reps, None, rir, rest)
    if dose.reps is not None and role is not Role.PLYOMETRIC and not loaded:
        reps = ECCENTRIC_HAMSTRING_REPS if eccentric_hamstring else max(dose.reps, BODYWEIGHT_MIN_REPS)
        dose = replace(dose, reps=reps)
    return dose


def _plyometric(phase: Phase, unilateral: bool) -> Dose:
    """The phase's contacts in sets of at most six jumps (per leg for one-leg jumps)."""
    sides = 2 if unilateral else 1
    budget = CONTACTS_PER_SESSION.get(phase, 18)
    sets = max(1, math.ceil(budget / (PLYO_MAX_REPS * sides)))
    return Dose(sets, max(1, budget // (sets * sides)), None, None, PLYO_REST)


def _core(measure: str) -> Dose:
    if measure == "seconds":
        sets, seconds, rest = _CORE_SECONDS
        return Dose(sets, None, seconds, None, rest)
    sets, reps, rir, rest = _CORE_REPS
    return Dose(sets, reps, None, rir, rest)


def deload(dose: Dose) -> Dose:
    """Deload: about half the sets (at least one), loads −10 %."""
    return replace(dose, sets=max(1, round(dose.sets * DELOAD_SET_SHARE)), load_scale=DELOAD_LOAD_SCALE)


def taper(dose: Dose, *, share: float = TAPER_SET_SHARE) -> Dose:
    """Taper: cut sets (at least one), keep the load."""
    return replace(dose, sets=max(1, math.floor(dose.sets * share + 0.5)))
