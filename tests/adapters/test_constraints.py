"""The database's own second line of defence: CHECKs, uniqueness and foreign keys, both backends.

Rows go in through Core inserts, past the repositories and the domain, as a bug or a hand edit
would send them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from ironmile.adapters.db.tables import metadata

DAY = date(2027, 1, 4)

VALID: dict[str, dict[str, Any]] = {
    "athletes": {"name": "Sam", "units": "metric", "profile_toml": "", "created_on": DAY},
    "plan_versions": {"athlete_id": 1, "created_on": DAY, "effective_from": DAY, "document": "{}"},
    "logged_sessions": {"athlete_id": 1, "date": DAY, "planned": True},
    "logged_sets": {
        "session_id": 1,
        "position": 1,
        "exercise_id": "deadlift",
        "load_kg": 80.0,
        "reps": 3,
        "rir": 2,
    },
    "morning_pain": {"athlete_id": 1, "date": date(2027, 1, 5), "pain": 2},
    "body_mass": {"athlete_id": 1, "date": date(2027, 1, 5), "mass_kg": 68.0},
    "screens": {"athlete_id": 1, "date": DAY, "felt_in": "quads", "hq_ratio": 0.6, "bridge_left_reps": 20},
    "swaps": {
        "athlete_id": 1,
        "since": date(2027, 1, 5),
        "exercise_id": "deadlift",
        "replacement_id": "hip_thrust",
    },
}


@pytest.fixture
def seeded(migrated: Engine) -> Engine:
    """One athlete (id 1) with one session (id 1) holding one set at position 0, and one reading
    of each kind on DAY. Ids are left to the database (a new one counts from 1): explicit ids
    would not advance PostgreSQL's sequences."""
    with migrated.begin() as connection:
        connection.execute(
            insert(metadata.tables["athletes"]).values(
                name="Alex", units="metric", profile_toml="", created_on=DAY
            )
        )
        connection.execute(
            insert(metadata.tables["logged_sessions"]).values(athlete_id=1, date=DAY, planned=True)
        )
        connection.execute(
            insert(metadata.tables["logged_sets"]).values(
                session_id=1, position=0, exercise_id="plank", seconds=30
            )
        )
        connection.execute(insert(metadata.tables["morning_pain"]).values(athlete_id=1, date=DAY, pain=1))
        connection.execute(insert(metadata.tables["body_mass"]).values(athlete_id=1, date=DAY, mass_kg=68.2))
        connection.execute(
            insert(metadata.tables["swaps"]).values(
                athlete_id=1, since=DAY, exercise_id="back_squat", replacement_id="goblet_squat"
            )
        )
    return migrated


def put(engine: Engine, table: str, **changes: Any) -> None:
    with engine.begin() as connection:
        connection.execute(insert(metadata.tables[table]).values({**VALID[table], **changes}))


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(metadata.tables[table])).scalar_one()


def rejected(engine: Engine, table: str, changes: dict[str, Any]) -> bool:
    """Whether the database refuses the valid row of `table` with `changes`, leaving it unchanged."""
    before = count(engine, table)
    try:
        put(engine, table, **changes)
    except IntegrityError:
        assert count(engine, table) == before
        return True
    return False


# Each test checks many rows in one database, one transaction per row: a database per row would
# cost PostgreSQL a CREATE DATABASE each and add little.


def test_the_valid_rows_are_accepted(seeded: Engine) -> None:
    assert [table for table in VALID if rejected(seeded, table, {})] == []
    assert all(count(seeded, table) >= 1 for table in VALID)


def test_out_of_range_values_are_rejected(seeded: Engine) -> None:
    cases: list[tuple[str, dict[str, Any]]] = [
        ("athletes", {"units": "furlongs"}),
        ("logged_sessions", {"pain_during": 11}),
        ("logged_sessions", {"pain_during": -1}),
        ("logged_sessions", {"session_rpe": 11}),
        ("logged_sets", {"reps": -1}),
        ("logged_sets", {"reps": 101}),
        ("logged_sets", {"rir": 11}),
        ("logged_sets", {"rir": -1}),
        ("logged_sets", {"pain": 11}),
        ("logged_sets", {"load_kg": -0.5}),
        ("logged_sets", {"seconds": -1}),
        ("logged_sets", {"position": -1}),
        ("morning_pain", {"pain": 11}),
        ("morning_pain", {"pain": -1}),
        ("body_mass", {"mass_kg": 0.0}),
        ("body_mass", {"mass_kg": -68.0}),
        ("screens", {"felt_in": "calves"}),
        ("screens", {"hq_ratio": 0.0}),
        ("screens", {"bridge_right_reps": -1}),
    ]
    assert [case for case in cases if not rejected(seeded, *case)] == []


def test_the_ends_of_each_range_and_nulls_are_accepted(seeded: Engine) -> None:
    put(seeded, "logged_sessions")  # session 2, whose position 0 is free
    cases: list[tuple[str, dict[str, Any]]] = [
        (
            "logged_sets",
            {"reps": 0, "rir": 0, "pain": 0, "load_kg": 0.0, "seconds": 0, "position": 0, "session_id": 2},
        ),
        ("logged_sets", {"reps": 100, "rir": 10, "pain": 10, "position": 2}),
        ("logged_sets", {"load_kg": None, "reps": None, "rir": None, "pain": None, "position": 3}),
        ("morning_pain", {"pain": 10}),
        ("logged_sessions", {"pain_during": 0, "session_rpe": 10}),
        ("screens", {"felt_in": None, "hq_ratio": None, "bridge_left_reps": 0}),
    ]
    assert [case for case in cases if rejected(seeded, *case)] == []


def test_duplicates_are_rejected(seeded: Engine) -> None:
    cases: list[tuple[str, dict[str, Any]]] = [
        ("athletes", {"name": "Alex"}),
        ("morning_pain", {"date": DAY}),
        ("body_mass", {"date": DAY}),
        ("logged_sets", {"position": 0}),
        ("swaps", {"since": DAY, "exercise_id": "back_squat"}),
    ]
    assert [case for case in cases if not rejected(seeded, *case)] == []


def test_rows_must_belong_to_an_existing_owner(seeded: Engine) -> None:
    cases: list[tuple[str, dict[str, Any]]] = [
        ("plan_versions", {"athlete_id": 99}),
        ("logged_sessions", {"athlete_id": 99}),
        ("logged_sets", {"session_id": 99}),
        ("morning_pain", {"athlete_id": 99}),
        ("body_mass", {"athlete_id": 99}),
        ("screens", {"athlete_id": 99}),
        ("swaps", {"athlete_id": 99}),
    ]
    assert [case for case in cases if not rejected(seeded, *case)] == []


def test_deleting_an_athlete_deletes_everything_of_theirs(seeded: Engine) -> None:
    for table in ("plan_versions", "screens", "logged_sets"):
        put(seeded, table)
    with seeded.begin() as connection:
        connection.execute(metadata.tables["athletes"].delete())
    assert {table: count(seeded, table) for table in metadata.tables} == dict.fromkeys(metadata.tables, 0)
