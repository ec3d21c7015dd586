"""Where each exercise's load comes from: a known lift, a related known lift, or body mass.

The e1RM behind every load is explained once, on the exercise's first appearance in the plan,
so a runner knows whether to trust the number or calibrate it in the first session.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ironmile.domain.athlete import Profile
from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.errors import CatalogueError
from ironmile.domain.loading import (
    LOAD_STEP,
    MIN_LOAD,
    RTS_PERCENT,
    estimate_1rm,
    estimated_1rm_from_body_mass,
    round_down_load,
    target_load,
)
from ironmile.domain.prescription import Dose
from ironmile.domain.units import kg_from_display as display_to_kg

EXPLOSIVE_NOTE = (
    "Light and fast: pick a load you can move explosively on every rep (for trap-bar jumps about a "
    "quarter of your deadlift; for swings a bell you can snap to chest height); stop when speed drops."
)
MAX_SESSION_INCREASE = 1.10  # SCIENCE.md §5: never more than +10 % session to session


@dataclass(frozen=True, slots=True)
class E1rm:
    kg: float
    source: str  # known | related | body_mass
    note: str | None


@dataclass(frozen=True, slots=True)
class Target:
    load: float | None
    percent_1rm: float | None
    note: str | None


@dataclass(slots=True)
class LoadBook:
    """Loads in plan order: each exercise's e1RM source is explained on its first appearance, and a
    planned load never rises more than 10 % over the previous one for the same exercise."""

    profile: Profile
    catalogue: Catalogue
    _explained: set[str] = field(default_factory=set)
    _last_load: dict[str, float] = field(default_factory=dict)

    def e1rm(self, exercise: Exercise) -> E1rm:
        athlete = self.profile.athlete
        formula = self.profile.strength.e1rm_formula
        known = {lift.exercise_id: lift for lift in self.profile.lifts}
        if exercise.id in known:
            lift = known[exercise.id]
            return E1rm(estimate_1rm(lift.load_kg, lift.reps, rir=lift.rir, formula=formula), "known", None)
        if exercise.strength_ratio is None:
            raise CatalogueError([f"{exercise.id}: a loaded exercise needs a strength_ratio"])
        for lift in self.profile.lifts:
            related = self.catalogue.get(lift.exercise_id)
            if related.pattern == exercise.pattern and related.strength_ratio:
                base = estimate_1rm(lift.load_kg, lift.reps, rir=lift.rir, formula=formula)
                return E1rm(
                    base * exercise.strength_ratio / related.strength_ratio,
                    "related",
                    f"Load estimated from your {related.name.lower()}: in the first session, "
                    "adjust it so the last set ends with the reps in reserve shown.",
                )
        return E1rm(
            estimated_1rm_from_body_mass(athlete.body_mass_kg, exercise.strength_ratio, athlete.level),
            "body_mass",
            "Calibrate: this first load is a conservative guess from body mass. If the last set "
            "feels easier than the reps in reserve shown, add weight next session.",
        )

    def target(self, exercise: Exercise, dose: Dose) -> Target:
        """The load for one prescribed exercise, with its explanation the first time it appears."""
        if not exercise.loaded:
            return Target(None, None, None)
        if dose.reps is None:  # a loaded hold or carry: no chart applies
            return Target(None, None, "Pick a weight you can hold with good posture for the whole time.")
        if dose.rir is None:  # an explosive lift: speed, not a percentage, sets the load
            first = exercise.id not in self._explained
            self._explained.add(exercise.id)
            return Target(None, None, EXPLOSIVE_NOTE if first else None)
        if dose.reps + dose.rir not in RTS_PERCENT:
            return Target(None, None, f"Pick a weight you could lift {dose.rir} more times.")
        e1rm = self.e1rm(exercise)
        units = self.profile.athlete.units
        load = target_load(
            e1rm.kg,
            reps=dose.reps,
            rir=dose.rir,
            implement=exercise.implement,
            units=units,
            scale=dose.load_scale,
        )
        percent = load.percent_1rm
        value = load.value
        previous = self._last_load.get(exercise.id)
        if value is not None and previous is not None and value > previous * MAX_SESSION_INCREASE:
            # coarse plate, dumbbell or bell steps would jump more than SCIENCE allows
            step = LOAD_STEP[(exercise.implement, units)]
            value = max(previous, round_down_load(previous * MAX_SESSION_INCREASE, step))
            # one decimal, rounded up so that load ≤ e1RM × percent still reads true
            percent = math.ceil(display_to_kg(value, units) / e1rm.kg * 1000 - 1e-9) / 10
        if value is not None and dose.load_scale == 1.0:  # a return from a deload is no progression
            self._last_load[exercise.id] = value
        note = None
        if load.below_minimum:
            lightest = MIN_LOAD[(exercise.implement, units)]
            note = (
                f"The target is below the lightest {exercise.implement} load "
                f"({lightest:g} {units.mass_label}): use that only if it moves with the reps in "
                "reserve shown, else an easier variant."
            )
        elif exercise.id not in self._explained:
            note = e1rm.note
        self._explained.add(exercise.id)
        return Target(value, percent, note)
