"""The free beginner programme: 8–12 weeks, two sessions a week, no profile and no database.

Each session comes in two variants built from the catalogue: "dumbbell or bodyweight" (at home)
and "gym" (barbell and machines). It follows SCIENCE.md: compound lifts first and core last
(§3); more posterior-chain than quad work, a hinge, a hamstring-dominant exercise, single-leg
work, calves, and more pulling than pushing every week (§3); foundation-style doses that move
towards strength, never to failure, with a deload every 4th week (§2); ≤ 10 lower-body working
sets per session (§2, hypertrophy guard). Loads are given as effort (reps in reserve), never
kilograms, because a beginner has no known lifts; `units` only changes the weight steps and
distances the rules mention. The rules in plain words are in beginner_text.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from ironmile.domain.beginner_text import (
    EFFORT,
    EXAMPLE_WEEK,
    PLACEMENT_RULES,
    SAFETY,
    WARM_UP,
    ExampleDay,
    progression_rules,
)
from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.errors import InputError
from ironmile.domain.phases import DELOAD_EVERY
from ironmile.domain.prescription import BODYWEIGHT_MIN_REPS, DELOAD_SET_SHARE, Dose, Role
from ironmile.domain.session_time import TimedExercise, session_minutes
from ironmile.domain.units import UnitSystem

MIN_WEEKS = 8
MAX_WEEKS = 12
DEFAULT_WEEKS = 10
MAX_RIR = 4  # convention: easier than 4 in reserve teaches little; first and deload weeks stop here


class Variant(StrEnum):
    HOME = "home"
    GYM = "gym"

    @property
    def label(self) -> str:
        return "Dumbbell or bodyweight" if self is Variant.HOME else "Gym"

    @property
    def equipment(self) -> frozenset[str]:
        """What the variant assumes: at home a pair of dumbbells and a box (a sturdy chair or step)."""
        if self is Variant.HOME:
            return frozenset({"dumbbell", "box"})
        return frozenset({"barbell", "rack", "bench", "dumbbell", "box", "band", "cable", "machine"})


class Stage(StrEnum):
    LEARN = "learn"
    BUILD = "build"
    STRENGTH = "strength"

    @property
    def focus(self) -> str:
        return {
            Stage.LEARN: "Learn the movements: smooth reps with light loads, 3 reps in reserve.",
            Stage.BUILD: "Build: a little heavier, 6–8 reps, 2 reps in reserve.",
            Stage.STRENGTH: "Strength: heavier sets of 5–6 on the first lifts, still 2 reps in reserve.",
        }[self]


class Kind(StrEnum):
    """What an exercise is for in the session; it decides the dose."""

    MAIN = "main"  # the first, compound lift of the session
    LEGS = "legs"  # other lower-body compound lifts
    UPPER = "upper"  # pulls and pushes: arm swing and posture
    HAMSTRING = "hamstring"  # eccentric hamstring work: few, slow reps
    CALF = "calf"
    CORE_REPS = "core_reps"
    CORE_HOLD = "core_hold"

    @property
    def role(self) -> Role:
        return {
            Kind.MAIN: Role.MAIN,
            Kind.LEGS: Role.SECONDARY,
            Kind.UPPER: Role.SECONDARY,
            Kind.HAMSTRING: Role.ACCESSORY,
            Kind.CALF: Role.ACCESSORY,
        }.get(self, Role.CORE)


# sets, reps, seconds, RIR, rest (s) by stage. Foundation doses (SCIENCE §2: 2–3 × 6–8, RIR 3–4;
# ACSM novices 8–12RM) move towards strength (3–5 × 3–6, RIR 1–3) conservatively.
DOSES: dict[Stage, dict[Kind, Dose]] = {
    Stage.LEARN: {
        Kind.MAIN: Dose(3, 8, None, 3, 120),
        Kind.LEGS: Dose(3, 8, None, 3, 90),
        Kind.UPPER: Dose(3, 10, None, 3, 90),
        Kind.HAMSTRING: Dose(2, 4, None, 3, 90),
        Kind.CALF: Dose(2, 12, None, 3, 60),
        Kind.CORE_REPS: Dose(2, 8, None, 3, 45),
        Kind.CORE_HOLD: Dose(2, None, 20, None, 45),
    },
    Stage.BUILD: {
        Kind.MAIN: Dose(3, 6, None, 2, 150),
        Kind.LEGS: Dose(3, 8, None, 2, 90),
        Kind.UPPER: Dose(3, 8, None, 2, 90),
        Kind.HAMSTRING: Dose(2, 5, None, 2, 90),
        Kind.CALF: Dose(2, 10, None, 2, 60),
        Kind.CORE_REPS: Dose(2, 10, None, 2, 45),
        Kind.CORE_HOLD: Dose(2, None, 30, None, 45),
    },
    Stage.STRENGTH: {
        Kind.MAIN: Dose(3, 5, None, 2, 180),
        Kind.LEGS: Dose(3, 6, None, 2, 120),
        Kind.UPPER: Dose(3, 6, None, 2, 120),
        Kind.HAMSTRING: Dose(2, 6, None, 2, 90),
        Kind.CALF: Dose(2, 8, None, 2, 90),
        Kind.CORE_REPS: Dose(2, 12, None, 2, 45),
        Kind.CORE_HOLD: Dose(2, None, 40, None, 45),
    },
}


@dataclass(frozen=True, slots=True)
class Slot:
    """One place in a session: catalogue ids per variant, and each variant's fallback exercise
    (at home: the bodyweight form when there is no dumbbell, else an easier form)."""

    session: str  # "A" | "B"
    kind: Kind
    movement: str
    gym: str
    gym_easier: str | None
    home: str
    home_other: str | None


SESSION_TITLES = {"A": "Squat, single leg, pull and push", "B": "Hinge, bridge and hamstrings"}
# Ids per variant: gym, its easier form; home, its no-dumbbell (or easier) form.
# fmt: off
SLOTS = (
    Slot("A", Kind.MAIN, "Squat", "back_squat", "box_squat", "goblet_squat", "bodyweight_box_squat"),
    Slot("A", Kind.LEGS, "Single leg", "step_up", "step_up_low_box", "split_squat", "bodyweight_split_squat"),
    Slot("A", Kind.UPPER, "Pull", "barbell_row", "one_arm_dumbbell_row", "dumbbell_row", "towel_door_row"),
    Slot("A", Kind.UPPER, "Push", "bench_press", "dumbbell_bench_press", "push_up", "incline_push_up"),
    Slot("A", Kind.CALF, "Calf", "standing_calf_raise", None, "standing_calf_raise", "single_leg_calf_raise"),
    Slot("A", Kind.CORE_REPS, "Core", "dead_bug", None, "dead_bug", None),
    Slot("B", Kind.MAIN, "Hinge", "romanian_deadlift", "dumbbell_romanian_deadlift",
         "dumbbell_romanian_deadlift", "bodyweight_single_leg_romanian_deadlift"),
    Slot("B", Kind.LEGS, "Bridge", "hip_thrust", "dumbbell_glute_bridge",
         "dumbbell_glute_bridge", "single_leg_glute_bridge"),
    Slot("B", Kind.UPPER, "Pull", "lat_pulldown", None, "towel_door_row", "prone_ytw"),
    Slot("B", Kind.HAMSTRING, "Hamstrings", "nordic_hamstring_curl", "band_assisted_nordic_curl",
         "nordic_hamstring_curl", "hamstring_bridge"),
    Slot("B", Kind.CALF, "Calf (soleus)", "seated_calf_raise", "bent_knee_calf_raise",
         "bent_knee_calf_raise", None),
    Slot("B", Kind.CORE_HOLD, "Core", "side_plank", "plank", "side_plank", "plank"),
)
# fmt: on


@dataclass(frozen=True, slots=True)
class BeginnerExercise:
    """One exercise of one session variant in one week; reps are per side when unilateral."""

    movement: str
    kind: Kind
    exercise: Exercise
    sets: int
    reps: int | None
    seconds: int | None
    rir: int | None
    rest_seconds: int
    alternative: Exercise | None
    alternative_label: str | None  # "No dumbbell" or "Easier"
    alternative_dose: Dose | None  # the alternative's own: bodyweight needs more reps for the same RIR

    @property
    def cue(self) -> str:
        return self.exercise.cue

    @property
    def dose(self) -> Dose:
        return Dose(self.sets, self.reps, self.seconds, self.rir, self.rest_seconds)


@dataclass(frozen=True, slots=True)
class SessionVariant:
    variant: Variant
    exercises: tuple[BeginnerExercise, ...]
    minutes: int  # estimated, warm-up included; the longer of the main and the fallback forms


@dataclass(frozen=True, slots=True)
class BeginnerSession:
    key: str  # "A" | "B"
    title: str
    variants: tuple[SessionVariant, ...]  # home, then gym

    def variant(self, variant: Variant) -> SessionVariant:
        return next(item for item in self.variants if item.variant is variant)


@dataclass(frozen=True, slots=True)
class BeginnerWeek:
    index: int  # 1-based
    stage: Stage
    deload: bool
    focus: str
    sessions: tuple[BeginnerSession, ...]


@dataclass(frozen=True, slots=True)
class BeginnerProgramme:
    units: UnitSystem
    weeks: tuple[BeginnerWeek, ...]
    warm_up: str
    effort: tuple[str, ...]
    progression_rules: tuple[str, ...]
    placement_rules: tuple[str, ...]
    example_week: tuple[ExampleDay, ...]
    safety: tuple[str, ...]


def week_stage(index: int) -> tuple[Stage, bool]:
    """The stage of week `index` (1-based) and whether it is a deload week (every 4th)."""
    stages = (Stage.LEARN, Stage.BUILD, Stage.STRENGTH)
    return stages[min((index - 1) // DELOAD_EVERY, len(stages) - 1)], index % DELOAD_EVERY == 0


def week_dose(kind: Kind, index: int, exercise: Exercise) -> Dose:
    """The dose of `exercise` in week `index` before any deload cut: the first week has at most two
    sets, and it and deload weeks leave one more rep in reserve. An exercise without added load
    (a bodyweight form) gets at least BODYWEIGHT_MIN_REPS, whatever the loaded form in its slot is
    given: a few reps of bodyweight cannot come near the RIR shown."""
    stage, deload = week_stage(index)
    dose = DOSES[stage][kind]
    sets, reps, rir = dose.sets, dose.reps, dose.rir
    if reps is not None and not exercise.loaded and exercise.pattern != "knee_flexion":
        reps = max(reps, BODYWEIGHT_MIN_REPS)  # as the planner does; Nordic-style curls keep few slow reps
    if index == 1:
        sets = min(sets, 2)
    if rir is not None and (index == 1 or deload):
        rir = min(rir + 1, MAX_RIR)
    return Dose(sets, reps, dose.seconds, rir, dose.rest_seconds)


def deload_sets(sets: list[int]) -> list[int]:
    """A deload session's sets (SCIENCE §2: −40–50 %): about DELOAD_SET_SHARE of the total, at
    least one per exercise, the sets kept going to the first exercises (the compound lifts)."""
    cut = [max(1, count // 2) for count in sets]
    target = max(len(sets), round(sum(sets) * DELOAD_SET_SHARE))
    for position, count in enumerate(sets):
        if sum(cut) < target and cut[position] < count - 1:
            cut[position] += 1
    return cut


def _variant(slots: list[Slot], variant: Variant, index: int, catalogue: Catalogue) -> SessionVariant:
    pairs = []
    for slot in slots:
        main_id, other_id = (
            (slot.home, slot.home_other) if variant is Variant.HOME else (slot.gym, slot.gym_easier)
        )
        pairs.append((catalogue.get(main_id), catalogue.get(other_id) if other_id else None))
    doses = [week_dose(slot.kind, index, exercise) for slot, (exercise, _) in zip(slots, pairs, strict=True)]
    sets = [dose.sets for dose in doses]
    if week_stage(index)[1]:
        sets = deload_sets(sets)
    exercises = []
    for slot, (exercise, other), dose, count in zip(slots, pairs, doses, sets, strict=True):
        label, other_dose = None, None
        if other is not None:
            label = (
                "No dumbbell" if variant is Variant.HOME and "dumbbell" in exercise.equipment else "Easier"
            )
            other_dose = replace(week_dose(slot.kind, index, other), sets=count)
        exercises.append(
            BeginnerExercise(
                slot.movement, slot.kind, exercise, count, dose.reps, dose.seconds, dose.rir,
                dose.rest_seconds, other, label, other_dose,
            )
        )  # fmt: skip
    main = [TimedExercise(item.exercise, item.kind.role, item.dose) for item in exercises]
    fallback = [
        TimedExercise(item.alternative, item.kind.role, item.alternative_dose)
        if item.alternative is not None and item.alternative_dose is not None
        else timed
        for item, timed in zip(exercises, main, strict=True)
    ]
    minutes = max(session_minutes(timed, heavy_lower=True) for timed in (main, fallback))
    return SessionVariant(variant, tuple(exercises), minutes)


def _week(index: int, catalogue: Catalogue) -> BeginnerWeek:
    stage, deload = week_stage(index)
    if deload:
        focus = "Deload: about half the sets and about 10% lighter, so the body absorbs the work."
    elif index == 1:
        focus = "First week: two easy sets of everything, to learn the movements."
    else:
        focus = stage.focus
    sessions = tuple(
        BeginnerSession(
            key,
            title,
            tuple(
                _variant([slot for slot in SLOTS if slot.session == key], variant, index, catalogue)
                for variant in Variant
            ),
        )
        for key, title in SESSION_TITLES.items()
    )
    return BeginnerWeek(index, stage, deload, focus, sessions)


def beginner_programme(
    catalogue: Catalogue, *, weeks: int = DEFAULT_WEEKS, units: UnitSystem
) -> BeginnerProgramme:
    """The whole programme as data; raises InputError when `weeks` is outside 8–12."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise InputError(f"weeks: {weeks} is out of range; expected {MIN_WEEKS} to {MAX_WEEKS}")
    return BeginnerProgramme(
        units=units,
        weeks=tuple(_week(index, catalogue) for index in range(1, weeks + 1)),
        warm_up=WARM_UP,
        effort=EFFORT,
        progression_rules=progression_rules(units),
        placement_rules=PLACEMENT_RULES,
        example_week=EXAMPLE_WEEK,
        safety=SAFETY,
    )
