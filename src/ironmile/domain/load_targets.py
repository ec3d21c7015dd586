"""Where each exercise's load comes from: a known lift, a related known lift, or body mass.

The e1RM behind every load is explained once, on the exercise's first appearance in the plan,
so a runner knows whether to trust the number or calibrate it in the first session.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ironmile.domain.athlete import Profile
from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.errors import CatalogueError
from ironmile.domain.loading import (
    MIN_LOAD,
    RTS_PERCENT,
    estimate_1rm,
    estimated_1rm_from_body_mass,
    target_load,
)
from ironmile.domain.prescription import Dose


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
    profile: Profile
    catalogue: Catalogue
    _explained: set[str] = field(default_factory=set)

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
        if dose.rir is None:
            return Target(None, None, None)
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
        return Target(load.value, percent, note)
