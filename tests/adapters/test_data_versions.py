"""Athlete data versions (migration 0006): the database's triggers give an athlete a new, larger
version on every insert, update and delete of their rows, whoever writes, and leave every other
athlete's alone; no number is handed out twice, even when SQLite gives a deleted athlete's id to a
new one. On SQLite and PostgreSQL; the repository contract also on the in-memory fake.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, delete, insert, inspect, text, update

from ironmile.adapters.db.backup import dump, load
from ironmile.adapters.db.migrate import downgrade, upgrade
from ironmile.adapters.db.ports import AppliedRequest, UnitOfWork
from ironmile.adapters.db.tables import metadata
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.training import (
    BodyMass,
    LoggedSession,
    LoggedSet,
    MorningPain,
    ScreenResultRecord,
    Swap,
)
from ironmile.domain.units import UnitSystem
from tests.adapters.stores import NewUow
from tests.adapters.test_migrations import differences

DAY = date(2027, 1, 4)

# Accounts own an athlete but are not training data; version rows are what the triggers write.
NOT_ATHLETE_DATA = {"users", "athlete_data_versions"}


def athlete_tables() -> set[str]:
    """Tables in tables.py whose rows belong to one athlete: a foreign key to athletes, directly or
    through another such table (logged_sets through logged_sessions)."""
    owned: set[str] = set()
    grew = True
    while grew:
        grew = False
        for table in metadata.tables.values():
            parents = {key.column.table.name for key in table.foreign_keys}
            if table.name not in owned | NOT_ATHLETE_DATA and parents & (owned | {"athletes"}):
                owned.add(table.name)
                grew = True
    return owned


def version_triggers(engine: Engine) -> dict[str, set[str]]:
    """Table → the events of its AFTER ... FOR EACH ROW triggers that write athlete_data_versions."""
    found: dict[str, set[str]] = {}
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"))
            for table, sql in rows:
                shape = re.match(r"CREATE TRIGGER \w+ AFTER (INSERT|UPDATE|DELETE) ON \w+ FOR EACH ROW", sql)
                if shape is not None and "athlete_data_versions" in sql:
                    found.setdefault(table, set()).add(shape.group(1))
            return found
        rows = connection.execute(
            text(
                "SELECT c.relname, t.tgtype, p.prosrc FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT t.tgisinternal"
            )
        )
        for table, kind, source in rows:
            after_each_row = kind & 0b11 == 0b01  # bit 0: FOR EACH ROW, bit 1: BEFORE (pg_trigger.h)
            if after_each_row and "athlete_data_versions" in source:
                events = {name for bit, name in ((4, "INSERT"), (8, "DELETE"), (16, "UPDATE")) if kind & bit}
                found.setdefault(table, set()).update(events)
    return found


def versions(engine: Engine) -> dict[int, int]:
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT athlete_id, version FROM athlete_data_versions")).all())


def add_athlete(engine: Engine, name: str) -> int:
    athletes = metadata.tables["athletes"]
    values = {"name": name, "units": "metric", "profile_toml": "", "created_on": DAY}
    with engine.begin() as connection:
        return int(connection.execute(insert(athletes).values(values).returning(athletes.c.id)).scalar_one())


# --- coverage ---------------------------------------------------------------------------------------


def test_every_table_of_athlete_data_has_version_triggers(migrated: Engine) -> None:
    """Fails when a new athlete table comes without triggers (or a SQLite batch rebuild lost them)."""
    watched = athlete_tables()
    assert {"logged_sessions", "logged_sets", "activities", "applied_requests"} <= watched
    expected = {table: {"INSERT", "UPDATE", "DELETE"} for table in watched}
    expected["athletes"] = {"INSERT", "UPDATE"}  # a deleted athlete's version row goes by cascade
    assert version_triggers(migrated) == expected


# --- every table, every kind of write ----------------------------------------------------------------

# A valid row of each table without its owner, and a change of something else in it.
ROWS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "plan_versions": ({"created_on": DAY, "effective_from": DAY, "document": "{}"}, {"document": "[]"}),
    "logged_sessions": ({"date": DAY, "planned": True}, {"note": "felt quick"}),
    "logged_sets": ({"position": 0, "exercise_id": "deadlift", "load_kg": 80.0, "reps": 3}, {"reps": 4}),
    "morning_pain": ({"date": DAY, "pain": 2}, {"pain": 3}),
    "body_mass": ({"date": DAY, "mass_kg": 68.0}, {"mass_kg": 68.4}),
    "screens": ({"date": DAY, "hq_ratio": 0.6}, {"hq_ratio": 0.62}),
    "swaps": (
        {"since": DAY, "exercise_id": "deadlift", "replacement_id": "hip_thrust"},
        {"replacement_id": "good_morning"},
    ),
    "activities": (
        {
            "fingerprint": "f" * 32,
            "source": "run.fit",
            "imported_on": DAY,
            "start_utc_s": 1_798_000_000.0,
            "utc_offset_s": 3600,
            "local_date": DAY,
            "sport": "running",
            "heart_rate_seconds": "",
        },
        {"distance_m": 5_000.0},
    ),
    "applied_requests": ({"request_id": "r-1", "applied_on": DAY, "position": 0}, {"position": 1}),
}


@pytest.mark.parametrize("name", sorted(athlete_tables()))
def test_each_write_of_a_row_gives_its_athlete_a_larger_version_and_no_one_else(
    migrated: Engine, name: str
) -> None:
    table = metadata.tables[name]
    alex, sam = add_athlete(migrated, "Alex"), add_athlete(migrated, "Sam")
    sessions = metadata.tables["logged_sessions"]

    def owned_by(athlete: int) -> dict[str, int]:
        if "athlete_id" in table.c:
            return {"athlete_id": athlete}
        with migrated.begin() as connection:  # logged_sets: a session of the athlete's to hold the set
            made = (
                insert(sessions).values(athlete_id=athlete, date=DAY, planned=True).returning(sessions.c.id)
            )
            return {"session_id": int(connection.execute(made).scalar_one())}

    row, change = ROWS[name]
    # The table holds this one row, so the statements need no WHERE.
    steps = [
        ("insert", insert(table).values({**row, **owned_by(alex)}), {alex}),
        ("update", update(table).values(change), {alex}),
        ("move to another athlete", update(table).values(owned_by(sam)), {alex, sam}),
        ("delete", delete(table), {sam}),
    ]
    for step, statement, owners in steps:
        before = versions(migrated)
        with migrated.begin() as connection:
            connection.execute(statement)
        after = versions(migrated)
        assert {athlete for athlete in before if after[athlete] != before[athlete]} == owners, step
        assert min(after[athlete] for athlete in owners) > max(before.values()), step


def test_changing_an_athlete_gives_a_larger_version_and_a_new_athlete_one_of_their_own(
    migrated: Engine,
) -> None:
    alex = add_athlete(migrated, "Alex")
    first = versions(migrated)
    sam = add_athlete(migrated, "Sam")
    assert versions(migrated)[alex] == first[alex]
    assert versions(migrated)[sam] > first[alex]
    before = versions(migrated)
    with migrated.begin() as connection:
        connection.execute(
            text("UPDATE athletes SET profile_toml = '[athlete]' WHERE id = :id"), {"id": alex}
        )
    after = versions(migrated)
    assert after[alex] > max(before.values())
    assert after[sam] == before[sam]


# --- through the repositories -----------------------------------------------------------------------

SESSION = LoggedSession(date=DAY, sets=(LoggedSet("back_squat", 60.0, 5, None, 2),) * 2, planned=True)
RUN = Activity(
    start=datetime(2027, 1, 4, 7, 0, tzinfo=UTC), sport=Sport.RUNNING, source="run.fit", fingerprint="r" * 32
)
REQUEST = AppliedRequest("7f0c2f9e-5d1b-4c1e-9a53-0d6f2b8c4a11", DAY, 0)

Write = Callable[[UnitOfWork, int], object]

# What the services do with an athlete's data, in order; each write changes what is stored.
WRITES: list[tuple[str, Write]] = [
    (
        "update the profile",
        lambda uow, a: uow.athletes.update_profile(a, profile_toml="x", units=UnitSystem.METRIC),
    ),
    (
        "add a plan version",
        lambda uow, a: uow.plans.add(a, created_on=DAY, effective_from=DAY, document="{}"),
    ),
    ("log a session with sets", lambda uow, a: uow.log.add(a, SESSION)),
    (
        "correct the session",
        lambda uow, a: uow.log.correct(uow.log.between(a)[0].id, LoggedSession(DAY, SESSION.sets[:1])),
    ),
    ("delete the session", lambda uow, a: uow.log.delete(uow.log.between(a)[0].id)),
    ("weigh in", lambda uow, a: uow.body_mass.put(a, BodyMass(DAY, 68.0))),
    ("weigh in again that day", lambda uow, a: uow.body_mass.put(a, BodyMass(DAY, 68.6))),
    ("report morning pain", lambda uow, a: uow.morning_pain.put(a, MorningPain(DAY, 2))),
    ("report it again that morning", lambda uow, a: uow.morning_pain.put(a, MorningPain(DAY, 1))),
    ("take a screen", lambda uow, a: uow.screens.add(a, ScreenResultRecord(DAY, 20, 18, "quads", 0.6))),
    ("swap an exercise", lambda uow, a: uow.swaps.put(a, Swap(DAY, "deadlift", "hip_thrust"))),
    ("change the swap", lambda uow, a: uow.swaps.put(a, Swap(DAY, "deadlift", "good_morning"))),
    ("import an activity", lambda uow, a: uow.activities.add_many(a, [(RUN, "hash")], imported_on=DAY)),
    ("apply a request", lambda uow, a: uow.applied_requests.add(a, REQUEST)),
    ("forget the request", lambda uow, a: uow.applied_requests.forget(a, REQUEST)),
]


def new_athlete(new_uow: NewUow, name: str) -> int:
    with new_uow() as uow:
        athlete_id = uow.athletes.add(name=name, units=UnitSystem.METRIC, profile_toml="", created_on=DAY)
        uow.commit()
    return athlete_id


def read_versions(new_uow: NewUow, *athletes: int) -> list[int | None]:
    with new_uow() as uow:
        return [uow.data_versions.version(athlete) for athlete in athletes]


def test_every_repository_write_moves_the_version_up_for_its_athlete_only(new_uow: NewUow) -> None:
    alex, sam = new_athlete(new_uow, "Alex"), new_athlete(new_uow, "Sam")
    for step, write in WRITES:
        alex_before, sam_before = read_versions(new_uow, alex, sam)
        with new_uow() as uow:
            write(uow, alex)
            uow.commit()
        alex_after, sam_after = read_versions(new_uow, alex, sam)
        assert alex_before is not None
        assert sam_before is not None
        assert alex_after is not None
        assert alex_after > max(alex_before, sam_before), step
        assert sam_after == sam_before, step


def test_a_transaction_sees_its_own_writes_and_a_rollback_takes_the_version_back(new_uow: NewUow) -> None:
    alex = new_athlete(new_uow, "Alex")
    [committed] = read_versions(new_uow, alex)
    assert committed is not None
    with new_uow() as uow:
        uow.body_mass.put(alex, BodyMass(DAY, 70.0))
        uncommitted = uow.data_versions.version(alex)
        assert uncommitted is not None
        assert uncommitted > committed
    assert read_versions(new_uow, alex) == [committed]
    assert read_versions(new_uow, alex + 100) == [None]


def test_a_read_only_unit_of_work_reads_the_version_of_the_last_commit(migrated: Engine) -> None:
    alex = add_athlete(migrated, "Alex")
    with SqlUnitOfWork(migrated) as uow:
        uow.swaps.put(alex, Swap(DAY, "deadlift", "hip_thrust"))
        uow.commit()
        written = uow.data_versions.version(alex)
    with SqlUnitOfWork(migrated, read_only=True) as uow:
        assert uow.data_versions.version(alex) == written == versions(migrated)[alex]


# --- deleting athletes, reusing ids, restoring --------------------------------------------------------


def test_a_deleted_athletes_id_may_come_back_but_never_with_a_version_seen_before(migrated: Engine) -> None:
    """SQLite gives the largest id again once its row is gone (no AUTOINCREMENT), so only a version
    that is new across all athletes keeps a cache from mistaking the new athlete for the old one.
    The restore goes through the triggers like any other write."""
    seen: set[int] = set()
    alex = add_athlete(migrated, "Alex")
    seen.update(versions(migrated).values())
    with SqlUnitOfWork(migrated) as uow:
        for _, write in WRITES[:6]:
            write(uow, alex)
            version = uow.data_versions.version(alex)
            assert version is not None
            seen.add(version)
        document = dump(uow, alex)
        uow.commit()
    sam = add_athlete(migrated, "Sam")
    seen.update(versions(migrated).values())

    with migrated.begin() as connection:  # the cascade takes the athlete's rows and version row
        connection.execute(text("DELETE FROM athletes WHERE id = :id"), {"id": alex})
        connection.execute(text("DELETE FROM athletes WHERE id = :id"), {"id": sam})
        for name in (*athlete_tables(), "athletes", "athlete_data_versions"):
            assert connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one() == 0, name

    with SqlUnitOfWork(migrated) as uow:
        restored = load(uow, document)
        uow.commit()
    if migrated.dialect.name == "sqlite":
        assert restored == alex
    with SqlUnitOfWork(migrated) as uow:
        assert dump(uow, restored) == document
    assert min(versions(migrated).values()) > max(seen)


# --- the migration ----------------------------------------------------------------------------------


def test_upgrade_from_the_sign_up_schema_gives_every_athlete_a_version_and_downgrade_removes_it_all(
    engine: Engine,
) -> None:
    upgrade(engine, "0005")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO athletes (id, name, units, profile_toml, created_on) VALUES "
                "(3, 'Alex', 'metric', '', '2026-11-01'), (7, 'Sam', 'metric', '', '2026-11-02')"
            )
        )
        connection.execute(
            text("INSERT INTO body_mass (athlete_id, date, mass_kg) VALUES (3, '2026-11-02', 68.5)")
        )
    upgrade(engine, "0006")
    backfilled = versions(engine)
    assert set(backfilled) == {3, 7}
    assert len(set(backfilled.values())) == 2
    with engine.begin() as connection:
        connection.execute(text("UPDATE body_mass SET mass_kg = 68.0"))
    assert versions(engine)[3] > max(backfilled.values())
    assert versions(engine)[7] == backfilled[7]

    downgrade(engine, "0005")
    assert {"athlete_data_versions", "data_version_counter"}.isdisjoint(inspect(engine).get_table_names())
    assert version_triggers(engine) == {}
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            assert (
                connection.execute(text("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")).scalar()
                == 0
            )
            functions = "SELECT count(*) FROM pg_proc WHERE proname LIKE 'bump_data_version%'"
            assert connection.execute(text(functions)).scalar() == 0
            sequences = "SELECT count(*) FROM pg_class WHERE relname = 'athlete_data_version_seq'"
            assert connection.execute(text(sequences)).scalar() == 0
        else:
            assert (
                connection.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")).scalar()
                == 0
            )
        connection.execute(text("DELETE FROM athletes"))  # writes work without the triggers' tables
    upgrade(engine)
    assert differences(engine) == []
