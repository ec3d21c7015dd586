"""The whole exercise catalogue (data/exercises.toml), checked against DESIGN.md's contract."""

from __future__ import annotations

import tomllib

import pytest
from garmin_fit_sdk import Profile as FitProfile

from ironmile.adapters.catalogue_file import catalogue_text, load_catalogue
from ironmile.domain.catalogue import EQUIPMENT, PATTERNS, catalogue_from_records
from ironmile.domain.errors import CatalogueError, UnknownExerciseError
from ironmile.domain.slots import SLOTS

CATALOGUE = load_catalogue()
FIXED_IDS = [
    "back_squat",
    "front_squat",
    "goblet_squat",
    "deadlift",
    "trap_bar_deadlift",
    "romanian_deadlift",
    "single_leg_romanian_deadlift",
    "bulgarian_split_squat",
    "split_squat",
    "step_up",
    "hip_thrust",
    "glute_bridge",
    "nordic_hamstring_curl",
    "standing_calf_raise",
    "seated_calf_raise",
    "bench_press",
    "push_up",
    "overhead_press",
    "barbell_row",
    "one_arm_dumbbell_row",
    "pull_up",
    "inverted_row",
    "plank",
    "side_plank",
    "pallof_press",
    "spanish_squat",
    "wall_sit",
]


def test_at_least_seventy_exercises_with_the_fixed_ids() -> None:
    assert len(CATALOGUE) >= 70
    for exercise_id in FIXED_IDS:
        assert exercise_id in CATALOGUE
    assert CATALOGUE.get("back_squat").name == "Low-bar back squat"


def test_every_pattern_and_equipment_item_is_covered() -> None:
    assert {exercise.pattern for exercise in CATALOGUE} == set(PATTERNS)
    assert set().union(*(exercise.equipment for exercise in CATALOGUE)) == set(EQUIPMENT)
    bodyweight = [exercise for exercise in CATALOGUE if not exercise.equipment]
    assert {exercise.pattern for exercise in bodyweight} >= {
        "squat", "hinge", "lunge", "bridge", "calf", "knee_flexion", "push", "pull", "core", "plyometric",
    }  # fmt: skip


def test_every_record_has_every_attribute() -> None:
    records = tomllib.loads(catalogue_text())["exercise"]
    required = {
        "id", "name", "pattern", "region", "compound", "equipment", "implement", "measure",
        "knee_demand", "unilateral", "loaded_knee_flexion", "hamstring_dominant", "explosive",
        "trains", "cue", "progressions", "regressions", "garmin_category",
    }  # fmt: skip
    for record in records:
        assert required <= set(record), record["id"]
        assert ("emphasis" in record) == (record["region"] == "lower"), record["id"]


def test_progressions_and_regressions_resolve_and_most_exercises_have_one() -> None:
    for exercise in CATALOGUE:
        for other in exercise.progressions + exercise.regressions:
            assert CATALOGUE.get(other).id != exercise.id
        assert exercise.progressions or exercise.regressions, exercise.id


def test_garmin_mapping_names_exist_in_the_fit_profile() -> None:
    categories = set(FitProfile["types"]["exercise_category"].values())
    for exercise in CATALOGUE:
        assert exercise.garmin.category in categories, exercise.id
        if exercise.garmin.name is not None:
            names = set(FitProfile["types"][f"{exercise.garmin.category}_exercise_name"].values())
            assert exercise.garmin.name in names, exercise.id
    assert CATALOGUE.get("nordic_hamstring_curl").garmin.name is None  # degrades to a category only


def test_slot_preferences_name_real_exercises_that_fit_the_slot() -> None:
    for slot in SLOTS.values():
        for exercise_id in slot.prefer + slot.prefer_foundation:
            assert slot.fits(CATALOGUE.get(exercise_id)), f"{slot.name}: {exercise_id}"
        if slot.fallback:
            assert slot.fallback in SLOTS


def test_every_slot_can_be_filled_for_a_bodyweight_runner() -> None:
    for slot in SLOTS.values():
        options = [e for e in CATALOGUE if slot.fits(e) and not e.equipment]
        assert options or slot.fallback, slot.name


def test_broken_records_are_reported_all_at_once() -> None:
    good = tomllib.loads(catalogue_text())["exercise"][0]
    broken = [
        {**good, "id": "a", "pattern": "wiggle"},
        {**good, "id": "b", "progressions": ["nowhere"]},
        {**good, "id": "b"},
    ]
    with pytest.raises(CatalogueError) as caught:
        catalogue_from_records(broken)
    text = str(caught.value)
    assert "pattern 'wiggle'" in text
    assert "'nowhere' is not in the catalogue" in text
    assert "duplicate id 'b'" in text


def test_unknown_id_suggests_close_matches() -> None:
    with pytest.raises(UnknownExerciseError, match="did you mean back_squat"):
        CATALOGUE.get("back_squatt")


def test_filters() -> None:
    hinges = CATALOGUE.filter(pattern="hinge", equipment=["dumbbell"])
    assert hinges
    assert all(e.pattern == "hinge" and e.equipment <= {"dumbbell"} for e in hinges)
    assert all(e.knee_demand == "low" for e in CATALOGUE.filter(knee_demand="low"))
    assert all(not e.equipment for e in CATALOGUE.filter(equipment=[]))
