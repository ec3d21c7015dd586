"""Sessions as Garmin FIT workout files: every file decodes back to the session it was written from."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from garmin_fit_sdk import Decoder, Stream

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.plan import Plan, PlannedExercise, Session, StoredPlan, StoredWeek
from ironmile.domain.prescription import Role
from ironmile.domain.units import UnitSystem, kg_from_display
from ironmile.render.fit_encoding import MAX_STRING_BYTES, enum_value
from ironmile.render.fit_workout import WORKOUTS_README, plan_workouts, serial_number_for, session_workout
from ironmile.services.planning import plan_from_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
WEIGHT_RESOLUTION_KG = 0.01  # workout_step.exercise_weight: uint16, scale 100, kg (garmin-fit-sdk Profile)
DAY = date(2026, 12, 8)


@cache
def _plan(stem: str) -> Plan:
    return plan_from_file(
        ROOT / "examples" / f"{stem}.toml", today=date(2026, 11, 26), catalogue=load_catalogue()
    )


def _decode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """The file's messages; fails unless the file is intact and decodes without errors."""
    assert Decoder(Stream.from_byte_array(bytearray(data))).is_fit()
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return dict(messages)


@dataclass(frozen=True)
class Block:
    """One exercise as the watch will run it, read back from the work, rest and repeat steps."""

    work: dict[str, Any]
    rest_seconds: int
    sets: int

    def summary(self) -> tuple[object, ...]:
        amount = (
            ("reps", self.work["duration_reps"])
            if self.work["duration_type"] == "reps"
            else ("seconds", self.work["duration_time"])
        )
        return (
            self.work["exercise_category"],
            self.work.get("exercise_name"),
            self.sets,
            amount,
            self.rest_seconds,
            "exercise_weight" in self.work,
        )


def _blocks(steps: list[dict[str, Any]]) -> list[Block]:
    """Group the steps after the warm-up into work [, rest], repeat; checks each repeat's target."""
    assert steps[0]["intensity"] == "warmup"
    blocks, position = [], 1
    while position < len(steps):
        work = steps[position]
        following = steps[position + 1]
        rest = (
            following if following["duration_type"] == "time" and following["intensity"] == "rest" else None
        )
        repeat = steps[position + (2 if rest else 1)]
        assert repeat["duration_type"] == "repeat_until_steps_cmplt"
        assert repeat["duration_step"] == work["message_index"]  # goes back to this exercise's work step
        blocks.append(Block(work, int(rest["duration_time"]) if rest else 0, repeat["repeat_steps"]))
        position += 3 if rest else 2
    return blocks


def _expected(item: PlannedExercise, units: UnitSystem) -> tuple[object, ...]:
    garmin = item.exercise.garmin
    number = enum_value(f"{garmin.category}_exercise_name", garmin.name) if garmin.name else None
    amount = ("reps", item.reps) if item.seconds is None else ("seconds", item.seconds)
    return (
        garmin.category,
        number,
        item.sets,
        amount,
        item.rest_seconds,
        item.load is not None,
    )


def _assert_file_matches(data: bytes, session: Session, units: UnitSystem) -> dict[str, list[dict[str, Any]]]:
    messages = _decode(data)
    steps = messages["workout_step_mesgs"]
    assert [step["message_index"] for step in steps] == list(range(len(steps)))
    assert messages["workout_mesgs"][0]["num_valid_steps"] == len(steps)
    blocks = _blocks(steps)
    assert [b.summary() for b in blocks] == [_expected(item, units) for item in session.exercises]
    for block, item in zip(blocks, session.exercises, strict=True):
        assert block.work["wkt_step_name"] == item.exercise.name
        assert block.work["weight_display_unit"] == ("pound" if units is UnitSystem.IMPERIAL else "kilogram")
        assert ("per side" in block.work["notes"]) == item.exercise.unilateral
        if item.load is not None:  # kg within the Profile's resolution, whatever the plan's units
            assert (
                abs(block.work["exercise_weight"] - kg_from_display(item.load, units))
                <= WEIGHT_RESOLUTION_KG / 2
            )
    return messages


def _item(catalogue: Catalogue, exercise_id: str, **dose: Any) -> PlannedExercise:
    defaults: dict[str, Any] = {"role": Role.ACCESSORY, "sets": 3, "reps": 8, "seconds": None, "rir": 2}
    defaults |= {"percent_1rm": None, "load": None, "rest_seconds": 90}
    return PlannedExercise(exercise=catalogue.get(exercise_id), **(defaults | dose))


def _session(*items: PlannedExercise, day: date = DAY) -> Session:
    return Session(date=day, heavy_lower=True, minutes=40, why="Tuesday: after your key run", exercises=items)


def test_a_session_becomes_the_documented_step_pattern(catalogue: Catalogue) -> None:
    # The pattern of FORMATS.md §1.2: "3 sets × 5 reps @ 60 kg, 2:00 rest" with squat/barbell_back_squat = 6.
    session = _session(
        _item(catalogue, "back_squat", role=Role.MAIN, sets=3, reps=5, load=60.0, rest_seconds=120),
        _item(catalogue, "bulgarian_split_squat", reps=8, load=16.0),
        _item(catalogue, "push_up", sets=2, reps=10),
        _item(catalogue, "plank", sets=2, reps=None, seconds=30, rest_seconds=45),
    )
    data = session_workout(session, name="Strength Tue 08 Dec", units=UnitSystem.METRIC, serial_number=42)
    messages = _assert_file_matches(data, session, UnitSystem.METRIC)
    assert messages["file_id_mesgs"] == [
        {
            "type": "workout",
            "manufacturer": "development",
            "product": 0,
            "serial_number": 42,
            "time_created": datetime(2026, 12, 8, tzinfo=UTC),
        }
    ]
    workout = messages["workout_mesgs"][0]
    assert (workout["wkt_name"], workout["sport"], workout["sub_sport"]) == (
        "Strength Tue 08 Dec",
        "training",
        "strength_training",
    )
    squat, rest, repeat = messages["workout_step_mesgs"][1:4]
    assert (squat["duration_type"], squat["duration_value"], squat["exercise_name"]) == ("reps", 5, 6)
    assert (squat["exercise_weight"], squat["intensity"], squat["target_type"]) == (60.0, "active", "open")
    assert (rest["duration_value"], rest["intensity"]) == (120_000, "rest")  # raw unit: ms
    assert (repeat["duration_value"], repeat["target_value"]) == (1, 3)
    plank = messages["workout_step_mesgs"][-3]
    assert (plank["duration_type"], plank["duration_time"]) == ("time", 30.0)
    assert "exercise_weight" not in messages["workout_step_mesgs"][7]  # push-up: bodyweight, no weight
    titles = messages["exercise_title_mesgs"]
    assert [(t["exercise_category"], t["wkt_step_name"]) for t in titles] == [
        ("squat", "Low-bar back squat"),
        ("lunge", "Bulgarian split squat"),
        ("push_up", "Push-up"),
        ("plank", "Plank"),
    ]


def test_unilateral_reps_are_per_side(catalogue: Catalogue) -> None:
    session = _session(_item(catalogue, "bulgarian_split_squat", reps=8, load=16.0))
    work = _decode(session_workout(session, name="S", units=UnitSystem.METRIC, serial_number=1))[
        "workout_step_mesgs"
    ][1]
    assert work["duration_reps"] == 8
    assert work["notes"].startswith("Bulgarian split squat: 3 x 8 reps per side, 16 kg per dumbbell")


def test_an_exercise_without_a_garmin_name_keeps_its_category_and_its_own_name(catalogue: Catalogue) -> None:
    nordic = catalogue.get("nordic_hamstring_curl")
    assert nordic.garmin.name is None  # Garmin's Profile has no Nordic curl (FORMATS.md §1.1)
    session = _session(_item(catalogue, "nordic_hamstring_curl", reps=5))
    messages = _decode(session_workout(session, name="S", units=UnitSystem.METRIC, serial_number=1))
    work = messages["workout_step_mesgs"][1]
    assert work["exercise_category"] == "leg_curl"
    assert "exercise_name" not in work
    assert work["wkt_step_name"] == "Nordic hamstring curl"
    assert work["notes"].startswith("Nordic hamstring curl: 3 x 5 reps")
    assert messages["exercise_title_mesgs"] == [
        {"message_index": 0, "exercise_category": "leg_curl", "wkt_step_name": "Nordic hamstring curl"}
    ]


def test_every_catalogue_exercise_writes_a_step_that_resolves_in_the_profile(catalogue: Catalogue) -> None:
    for exercise in catalogue:
        dose = {"reps": None, "seconds": 30} if exercise.measure == "seconds" else {"reps": 6}
        item = _item(catalogue, exercise.id, load=20.0 if exercise.loaded else None, **dose)
        session = _session(item)
        data = session_workout(session, name=exercise.name, units=UnitSystem.METRIC, serial_number=7)
        work = _assert_file_matches(data, session, UnitSystem.METRIC)["workout_step_mesgs"][1]
        assert work["wkt_step_name"] == exercise.name, exercise.id
        if exercise.garmin.name is None:  # the tested fallback: category only, the name in the step
            assert "exercise_name" not in work, exercise.id
            assert work["notes"].startswith(exercise.name), exercise.id


def test_an_imperial_plan_shows_pounds_and_stores_kilograms() -> None:
    plan = _plan("imperial_ultra")
    assert plan.units is UnitSystem.IMPERIAL
    files = plan_workouts(plan)
    sessions = sorted((s for w in plan.weeks for s in w.sessions), key=lambda s: s.date)
    loaded = 0
    for data, session in zip(files.values(), sessions, strict=True):
        for step in _assert_file_matches(data, session, UnitSystem.IMPERIAL)["workout_step_mesgs"]:
            if "exercise_weight" in step:
                loaded += 1
                assert step["weight_display_unit"] == "pound"
    assert loaded > 0
    deadlift = _session(_item(load_catalogue(), "trap_bar_deadlift", reps=3, load=280.0))
    work = _decode(session_workout(deadlift, name="S", units=UnitSystem.IMPERIAL, serial_number=1))[
        "workout_step_mesgs"
    ][1]
    assert work["exercise_weight"] == pytest.approx(127.01)  # 280 lb × 0.45359237 kg/lb = 127.006 kg


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_plan_writes_files_that_decode_to_its_sessions(profile: Path) -> None:
    plan = _plan(profile.stem)
    files = plan_workouts(plan)
    sessions = sorted((s for w in plan.weeks for s in w.sessions), key=lambda s: s.date)
    assert list(files) == [f"{s.date.isoformat()}-strength.fit" for s in sessions]
    assert list(files) == sorted(files)
    for data, session in zip(files.values(), sessions, strict=True):
        _assert_file_matches(data, session, plan.units)
    serials = {_decode(data)["file_id_mesgs"][0]["serial_number"] for data in files.values()}
    assert len(serials) == len(files)  # each file is its own workout on the watch


def test_re_export_is_byte_identical() -> None:
    first = plan_workouts(_plan("marathoner"), prefix="ironmile-")
    rebuilt = plan_from_file(
        ROOT / "examples" / "marathoner.toml", today=date(2026, 11, 26), catalogue=load_catalogue()
    )
    again = plan_workouts(rebuilt, prefix="ironmile-")
    assert first == again
    assert all(name.startswith("ironmile-20") for name in first)


def test_sessions_sharing_a_date_get_numbered_names_and_a_stored_plan_exports(catalogue: Catalogue) -> None:
    one = _session(_item(catalogue, "goblet_squat", load=12.0))
    two = replace(one, exercises=(_item(catalogue, "push_up"),))
    later = _session(_item(catalogue, "plank", reps=None, seconds=40), day=date(2026, 12, 10))
    stored = StoredPlan(
        units=UnitSystem.METRIC,
        start_date=DAY,
        end_date=date(2026, 12, 14),
        warnings=(),
        weeks=(StoredWeek(1, date(2026, 12, 7), "base", False, (later, one, two)),),
    )
    files = plan_workouts(stored)
    assert list(files) == [
        "2026-12-08-strength-1.fit",
        "2026-12-08-strength-2.fit",
        "2026-12-10-strength.fit",
    ]
    assert [_decode(d)["workout_mesgs"][0]["wkt_name"] for d in files.values()] == [
        "Strength Tue 08 Dec (1)",
        "Strength Tue 08 Dec (2)",
        "Strength Thu 10 Dec",
    ]
    assert serial_number_for("2026-12-08-strength-1") != serial_number_for("2026-12-08-strength-2")


def test_no_rest_means_no_rest_step_and_long_notes_are_cut_to_fit(catalogue: Catalogue) -> None:
    item = _item(catalogue, "pogo_hops", role=Role.PLYOMETRIC, reps=20, rest_seconds=0, note="é" * 300)
    session = _session(item)
    messages = _assert_file_matches(
        session_workout(session, name="S", units=UnitSystem.METRIC, serial_number=1),
        session,
        UnitSystem.METRIC,
    )
    work, repeat = messages["workout_step_mesgs"][1:]
    assert repeat["duration_step"] == 1
    assert work["notes"].endswith("é...")  # cut between characters, never inside one
    assert len(work["notes"].encode("utf-8")) <= MAX_STRING_BYTES


def test_empty_sessions_and_plans_and_unsafe_prefixes_are_input_errors(catalogue: Catalogue) -> None:
    with pytest.raises(InputError, match="session on 2026-12-08 has no exercises"):
        session_workout(_session(), name="S", units=UnitSystem.METRIC, serial_number=1)
    empty = StoredPlan(UnitSystem.METRIC, DAY, DAY, (), (StoredWeek(1, DAY, "base", False, ()),))
    with pytest.raises(InputError, match="the plan has no strength sessions"):
        plan_workouts(empty)
    with pytest.raises(InputError, match=r"file name prefix '\.\./'"):
        plan_workouts(_plan("marathoner"), prefix="../")
    bad = _session(_item(catalogue, "plank", reps=None, seconds=None))
    with pytest.raises(InputError, match="Plank: needs either reps or seconds"):
        session_workout(bad, name="S", units=UnitSystem.METRIC, serial_number=1)


def test_the_readme_says_where_the_files_go() -> None:
    assert "GARMIN/NewFiles" in WORKOUTS_README
    assert re.search(r"MTP", WORKOUTS_README)
    assert "Import Data" in WORKOUTS_README
