"""How long a session takes: warm-up, then per exercise its sets, reps (or holds), rest and set-up.

Conventions, tuned in one place: a controlled rep takes about 4 s, a jump about 1 s; one-sided
exercises are done on both sides before the rest; each exercise costs a minute to set up; main
loaded lifts add two ramp-up sets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ironmile.domain.catalogue import Exercise
from ironmile.domain.prescription import Dose, Role

WARMUP_SECONDS_HEAVY = 300
WARMUP_SECONDS_LIGHT = 180
TRANSITION_SECONDS = 60
SECONDS_PER_REP = 4
SECONDS_PER_CONTACT = 1
RAMP_UP_SECONDS = 120


@dataclass(frozen=True, slots=True)
class TimedExercise:
    exercise: Exercise
    role: Role
    dose: Dose


def exercise_seconds(exercise: Exercise, role: Role, dose: Dose) -> int:
    sides = 2 if exercise.unilateral else 1
    if dose.seconds is not None:
        work = dose.seconds * sides
    else:
        per_rep = SECONDS_PER_CONTACT if role is Role.PLYOMETRIC else SECONDS_PER_REP
        work = (dose.reps or 0) * per_rep * sides
    ramp = RAMP_UP_SECONDS if role is Role.MAIN and exercise.loaded else 0
    return TRANSITION_SECONDS + ramp + dose.sets * work + (dose.sets - 1) * dose.rest_seconds


def session_minutes(items: Iterable[TimedExercise], *, heavy_lower: bool) -> int:
    """Estimated whole minutes, rounded up."""
    total = WARMUP_SECONDS_HEAVY if heavy_lower else WARMUP_SECONDS_LIGHT
    total += sum(exercise_seconds(item.exercise, item.role, item.dose) for item in items)
    return math.ceil(total / 60)
