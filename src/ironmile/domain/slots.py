"""Session templates: ordered slots such as "main squat", "single leg", "upper pull", "calf", "core".

A slot says what kind of exercise fits and which catalogue ids to prefer; selection fills it from
the catalogue. Priorities decide what goes first when a session must shrink: 0 is never dropped,
higher numbers are cut before lower ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ironmile.domain.catalogue import Exercise
from ironmile.domain.prescription import Role


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    fits: Callable[[Exercise], bool]
    prefer: tuple[str, ...] = ()
    prefer_foundation: tuple[str, ...] = ()  # novices learn on easier variants first
    fallback: str | None = None  # another slot's name when nothing fits this one


def _lower_strength(exercise: Exercise) -> bool:
    return exercise.region == "lower" and exercise.pattern not in ("plyometric", "isometric")


SLOTS: dict[str, Slot] = {
    slot.name: slot
    for slot in (
        Slot(
            "plyometric",
            lambda e: e.pattern == "plyometric" and not e.loaded,
            prefer=("pogo_hops", "squat_jump", "box_jump", "skater_jump", "broad_jump"),
        ),
        Slot(
            "plyometric_power",
            lambda e: e.pattern == "plyometric" and not e.loaded,
            prefer=(
                "box_jump",
                "skater_jump",
                "broad_jump",
                "bounding",
                "single_leg_hop",
                "squat_jump",
            ),
        ),
        Slot(
            "explosive_lift",  # SCIENCE.md §2: the power phase adds explosive lifts
            lambda e: e.explosive and e.loaded,
            prefer=("trap_bar_jump", "kettlebell_swing"),
            fallback="plyometric_power",
        ),
        Slot(
            "isometric",
            lambda e: e.pattern == "isometric" and e.region == "lower" and e.emphasis == "anterior",
            prefer=("spanish_squat", "wall_sit"),
        ),
        Slot(
            "main_squat",
            lambda e: e.pattern == "squat" and e.compound and not e.unilateral and not e.explosive,
            prefer=(
                "back_squat",
                "box_squat",
                "goblet_squat",
                "kettlebell_goblet_squat",
                "bodyweight_squat",
            ),
            prefer_foundation=(
                "goblet_squat",
                "kettlebell_goblet_squat",
                "box_squat",
                "back_squat",
            ),
            fallback="main_bridge",
        ),
        Slot(
            "main_hinge",
            lambda e: e.pattern == "hinge" and not e.explosive and not e.unilateral,
            prefer=(
                "deadlift",
                "trap_bar_deadlift",
                "romanian_deadlift",
                "dumbbell_romanian_deadlift",
                "kettlebell_deadlift",
            ),
            prefer_foundation=(
                "trap_bar_deadlift",
                "kettlebell_deadlift",
                "dumbbell_romanian_deadlift",
                "romanian_deadlift",
                "deadlift",
            ),
            fallback="single_leg_hip",
        ),
        Slot(
            "main_bridge",
            lambda e: e.pattern == "bridge" and not e.hamstring_dominant,
            prefer=("hip_thrust", "dumbbell_hip_thrust", "single_leg_hip_thrust", "glute_bridge"),
        ),
        Slot(
            "hamstring",
            lambda e: e.hamstring_dominant and e.pattern in ("knee_flexion", "bridge"),
            prefer=(
                "nordic_hamstring_curl",
                "sliding_leg_curl",
                "lying_leg_curl",
                "hamstring_bridge",
            ),
            fallback="hamstring_any",
        ),
        Slot("hamstring_any", lambda e: e.hamstring_dominant and _lower_strength(e)),
        Slot(
            "single_leg_knee",
            lambda e: e.unilateral and e.pattern in ("lunge", "squat") and not e.explosive,
            prefer=(
                "bulgarian_split_squat",
                "split_squat",
                "step_up",
                "reverse_lunge",
                "bodyweight_split_squat",
                "step_up_low_box",
                "bodyweight_reverse_lunge",
            ),
            prefer_foundation=("split_squat", "bodyweight_split_squat", "step_up", "reverse_lunge"),
            fallback="single_leg_hip",
        ),
        Slot(
            "single_leg_hip",
            lambda e: e.unilateral and e.pattern in ("hinge", "bridge") and not e.explosive,
            prefer=(
                "single_leg_romanian_deadlift",
                "kettlebell_single_leg_romanian_deadlift",
                "bodyweight_single_leg_romanian_deadlift",
                "single_leg_hip_thrust",
                "single_leg_glute_bridge",
            ),
        ),
        Slot(
            "bridge",
            lambda e: e.pattern == "bridge" and not e.hamstring_dominant,
            prefer=("hip_thrust", "dumbbell_hip_thrust", "single_leg_hip_thrust", "glute_bridge"),
        ),
        Slot(
            "calf",
            lambda e: e.pattern == "calf",
            prefer=(
                "standing_calf_raise",
                "single_leg_dumbbell_calf_raise",
                "single_leg_calf_raise",
            ),
        ),
        Slot(
            "soleus",
            lambda e: e.pattern == "calf",
            prefer=("seated_calf_raise", "bent_knee_calf_raise", "single_leg_calf_raise"),
        ),
        Slot(
            "push_horizontal",
            lambda e: e.pattern == "push",
            prefer=("bench_press", "dumbbell_bench_press", "push_up"),
        ),
        Slot(
            "push_vertical",
            lambda e: e.pattern == "push",
            prefer=("overhead_press", "dumbbell_overhead_press", "pike_push_up", "push_up"),
        ),
        Slot(
            "pull_vertical",
            lambda e: e.pattern == "pull",
            prefer=("pull_up", "chin_up", "lat_pulldown", "inverted_row"),
        ),
        Slot(
            "pull_horizontal",
            lambda e: e.pattern == "pull",
            prefer=(
                "barbell_row",
                "one_arm_dumbbell_row",
                "dumbbell_row",
                "inverted_row",
                "band_row",
                "towel_door_row",
            ),
        ),
        Slot(
            "core",
            lambda e: e.region == "core",
            prefer=("pallof_press", "side_plank", "dead_bug", "plank"),
        ),
        Slot(
            "core_lateral",
            lambda e: e.region == "core",
            prefer=("side_plank", "copenhagen_plank", "suitcase_carry", "plank", "bird_dog"),
        ),
    )
}


@dataclass(frozen=True, slots=True)
class SlotUse:
    slot: str
    role: Role
    priority: int


def _use(slot: str, role: Role, priority: int) -> SlotUse:
    return SlotUse(slot, role, priority)


# Heavy-legs templates; plyometric and isometric slots are put in front by the planner.
SQUAT_DAY = (
    _use("main_squat", Role.MAIN, 0),
    _use("hamstring", Role.ACCESSORY, 2),
    _use("single_leg_knee", Role.SECONDARY, 3),
    _use("pull_vertical", Role.SECONDARY, 2),
    _use("push_horizontal", Role.SECONDARY, 4),
    _use("calf", Role.ACCESSORY, 3),
    _use("core", Role.CORE, 4),
)
HINGE_DAY = (
    _use("main_hinge", Role.MAIN, 0),
    _use("bridge", Role.SECONDARY, 2),
    _use("single_leg_hip", Role.SECONDARY, 3),
    _use("pull_horizontal", Role.SECONDARY, 2),
    _use("push_vertical", Role.ACCESSORY, 4),
    _use("soleus", Role.ACCESSORY, 3),
    _use("core_lateral", Role.CORE, 3),
)
SINGLE_LEG_DAY = (  # the third session for advanced lifters
    _use("single_leg_knee", Role.MAIN, 0),
    _use("hamstring", Role.ACCESSORY, 2),
    _use("pull_vertical", Role.SECONDARY, 2),
    _use("push_horizontal", Role.SECONDARY, 3),
    _use("calf", Role.ACCESSORY, 3),
    _use("core", Role.CORE, 3),
)


def full_body_day(main: str) -> tuple[SlotUse, ...]:
    """One heavy session carries the whole week: every movement family once."""
    return (
        _use(main, Role.MAIN, 0),
        _use("single_leg_hip", Role.SECONDARY, 1),
        _use("hamstring", Role.ACCESSORY, 2),
        _use("pull_horizontal", Role.SECONDARY, 1),
        _use("push_horizontal", Role.SECONDARY, 2),
        _use("calf", Role.ACCESSORY, 2),
        _use("core", Role.CORE, 2),
    )


UPPER_DAY = (  # legs cannot be loaded: upper body and core, trained normally
    _use("pull_horizontal", Role.SECONDARY, 0),
    _use("push_vertical", Role.SECONDARY, 1),
    _use("pull_vertical", Role.SECONDARY, 1),
    _use("push_horizontal", Role.ACCESSORY, 3),
    _use("core", Role.CORE, 1),
    _use("core_lateral", Role.CORE, 2),
)
LIGHT_DAY = (  # race week and recovery: easy upper body and core
    _use("pull_horizontal", Role.SECONDARY, 0),
    _use("push_horizontal", Role.SECONDARY, 1),
    _use("core", Role.CORE, 1),
)
QUAD_DOMINANT_EXTRAS = {  # flagged screen: more hip-thrust/bridge and hamstring work
    "main_squat": _use("bridge", Role.ACCESSORY, 3),
    "main_bridge": _use("hamstring", Role.ACCESSORY, 3),
    "main_hinge": _use("hamstring", Role.ACCESSORY, 3),
}
