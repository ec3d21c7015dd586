"""Export and restore at the storage level: dump → load → dump gives the same document (imported
activities too, over generated logs; test_backup_activities.py has their own cases)."""

from __future__ import annotations

import copy
import json
from datetime import date
from itertools import groupby
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from ironmile.adapters.db.backup import SCHEMA, dump, load
from ironmile.adapters.db.ports import UnitOfWork
from ironmile.domain.errors import InputError
from ironmile.domain.training import LoggedSession, LoggedSet
from ironmile.domain.units import UnitSystem
from tests.adapters.log_strategies import AthleteLog, athlete_logs
from tests.adapters.stores import NewUow, Store
from tests.fakes import FakeUnitOfWork


def store_log(uow: UnitOfWork, log: AthleteLog) -> int:
    athlete_id = uow.athletes.add(
        name=log.name, units=log.units, profile_toml=log.profile_toml, created_on=log.created_on
    )
    for created_on, effective_from, document in log.plan_versions:
        uow.plans.add(athlete_id, created_on=created_on, effective_from=effective_from, document=document)
    for session in log.sessions:
        uow.log.add(athlete_id, session)
    for pain in log.morning_pain:
        uow.morning_pain.put(athlete_id, pain)
    for mass in log.body_mass:
        uow.body_mass.put(athlete_id, mass)
    for screen in log.screens:
        uow.screens.add(athlete_id, screen)
    for swap in log.swaps:
        uow.swaps.put(athlete_id, swap)
    for imported_on, batch in groupby(log.activities, key=lambda stored: stored.imported_on):
        uow.activities.add_many(
            athlete_id, [(stored.activity, stored.source_hash) for stored in batch], imported_on=imported_on
        )
    return athlete_id


def expected_dump(log: AthleteLog) -> dict[str, Any]:
    """The dump written out independently: sorted by date, ties in the order stored (sorted() is stable)."""
    return {
        "schema": SCHEMA,
        "athlete": {
            "name": log.name,
            "units": log.units.value,
            "profile_toml": log.profile_toml,
            "created_on": log.created_on.isoformat(),
        },
        "plan_versions": [
            {"created_on": c.isoformat(), "effective_from": e.isoformat(), "document": d}
            for c, e, d in sorted(log.plan_versions, key=lambda version: version[1])
        ],
        "logged_sessions": [
            {
                "date": s.date.isoformat(),
                "planned": s.planned,
                "pain_during": s.pain_during,
                "session_rpe": s.session_rpe,
                "note": s.note,
                "sets": [
                    {
                        "exercise_id": x.exercise_id,
                        "load_kg": x.load_kg,
                        "reps": x.reps,
                        "seconds": x.seconds,
                        "rir": x.rir,
                        "pain": x.pain,
                    }
                    for x in s.sets
                ],
            }
            for s in sorted(log.sessions, key=lambda session: session.date)
        ],
        "morning_pain": [
            {"date": p.date.isoformat(), "pain": p.pain}
            for p in sorted(log.morning_pain, key=lambda p: p.date)
        ],
        "body_mass": [
            {"date": m.date.isoformat(), "mass_kg": m.mass_kg}
            for m in sorted(log.body_mass, key=lambda m: m.date)
        ],
        "screens": [
            {
                "date": s.date.isoformat(),
                "bridge_left_reps": s.bridge_left_reps,
                "bridge_right_reps": s.bridge_right_reps,
                "felt_in": s.felt_in,
                "hq_ratio": s.hq_ratio,
            }
            for s in sorted(log.screens, key=lambda screen: screen.date)
        ],
        "swaps": [
            {"since": s.since.isoformat(), "exercise_id": s.exercise_id, "replacement_id": s.replacement_id}
            for s in sorted(log.swaps, key=lambda swap: (swap.since, swap.exercise_id))
        ],
        "activities": [
            {
                "start": a.activity.start.isoformat(),
                "sport": a.activity.sport.value,
                "distance_m": a.activity.distance_m,
                "moving_s": a.activity.moving_s,
                "elapsed_s": a.activity.elapsed_s,
                "elevation_gain_m": a.activity.elevation_gain_m,
                "avg_heart_rate_bpm": a.activity.avg_heart_rate_bpm,
                "max_heart_rate_bpm": a.activity.max_heart_rate_bpm,
                "heart_rate_seconds": [[bpm, seconds] for bpm, seconds in a.activity.heart_rate_seconds],
                "perceived_exertion": a.activity.perceived_exertion,
                "source": a.activity.source,
                "fingerprint": a.activity.fingerprint,
                "source_hash": a.source_hash,
                "imported_on": a.imported_on.isoformat(),
            }
            # by instant (aware datetimes compare so), ties in the order stored
            for a in sorted(log.activities, key=lambda stored: stored.activity.start)
        ],
    }


def canonical_json(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, allow_nan=False)


@settings(
    max_examples=30,
    deadline=None,
    # The store is made once per test; every example wipes it first, so examples do not share rows.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(log=athlete_logs)
def test_dump_load_dump_is_the_identity(store: Store, log: AthleteLog) -> None:
    store.wipe()
    with store.new_uow() as uow:
        store_log(uow, log)
        uow.commit()
    with store.new_uow() as uow:
        athlete_id = uow.athletes.all()[0].id
        first = dump(uow, athlete_id)
        assert first == expected_dump(log)
        assert canonical_json(dump(uow, athlete_id)) == canonical_json(first)
    document = json.loads(canonical_json(first))  # what a backup file gives back
    store.wipe()
    with store.new_uow() as uow:
        restored = load(uow, document)
        uow.commit()
    with store.new_uow() as uow:
        assert dump(uow, restored) == first


def small_log() -> AthleteLog:
    session = LoggedSession(date(2027, 1, 4), sets=(LoggedSet("back_squat", 60.0, 5, None, 2),), note="ok")
    return AthleteLog(
        "Alex", UnitSystem.METRIC, "[athlete]\n", date(2027, 1, 1), [], [session], [], [], [], []
    )


def small_document() -> dict[str, Any]:
    return expected_dump(small_log())


def refusal(document: dict[str, Any], path: tuple[str | int, ...], value: Any) -> str:
    """What `load` says of `document` with `value` put at `path`; it must store nothing."""
    target: Any = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    uow = FakeUnitOfWork()  # the checks come before any write, whatever the store
    with pytest.raises(InputError) as raised, uow:
        load(uow, document)
    assert uow.athletes.all() == []
    return str(raised.value)


def test_a_document_that_names_an_existing_athlete_is_refused(new_uow: NewUow) -> None:
    with new_uow() as uow:
        load(uow, small_document())
        uow.commit()
    with (
        pytest.raises(InputError, match=r"athlete\.name: an athlete named 'Alex' already exists"),
        new_uow() as uow,
    ):
        load(uow, small_document())


def test_dumping_an_unknown_athlete_is_a_lookup_error(new_uow: NewUow) -> None:
    with pytest.raises(LookupError), new_uow() as uow:
        dump(uow, 12345)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("schema",), "ironmile.dump/2", "schema: expected 'ironmile.dump/1', not 'ironmile.dump/2'"),
        (("athlete", "units"), "furlongs", "athlete.units: expected 'metric' or 'imperial', not 'furlongs'"),
        (("athlete", "name"), 7, "athlete.name: expected a string"),
        (("athlete", "created_on"), "2027-02-30", "athlete.created_on: expected a date as YYYY-MM-DD"),
        (("athlete", "created_on"), "20270101", "athlete.created_on: expected a date as YYYY-MM-DD"),
        (
            ("logged_sessions", 0, "sets", 0, "reps"),
            101,
            "logged_sessions[0].sets[0].reps: expected an integer 0 to 100",
        ),
        (
            ("logged_sessions", 0, "sets", 0, "reps"),
            True,
            "logged_sessions[0].sets[0].reps: expected an integer",
        ),
        (
            ("logged_sessions", 0, "sets", 0, "load_kg"),
            -1,
            "logged_sessions[0].sets[0].load_kg: expected a number of at",
        ),
        (
            ("logged_sessions", 0, "sets", 0, "seconds"),
            -1,
            "logged_sessions[0].sets[0].seconds: expected an integer 0 or",
        ),
        (("logged_sessions", 0, "planned"), "yes", "logged_sessions[0].planned: expected true or false"),
        (
            ("logged_sessions", 0, "note"),
            "a\x00b",
            "logged_sessions[0].note: NUL characters cannot be stored",
        ),
        (("logged_sessions", 0, "note"), "\ud800", "logged_sessions[0].note: not valid Unicode text"),
        (("logged_sessions", 0, "sets"), {}, "logged_sessions[0].sets: expected a list"),
        (("logged_sessions", 0), [], "logged_sessions[0]: expected an object with date, planned"),
        (
            ("body_mass",),
            [{"date": "2027-01-01", "mass_kg": 0}],
            "body_mass[0].mass_kg: expected a number above 0",
        ),
        (
            ("morning_pain",),
            [{"date": "2027-01-01", "pain": 11}],
            "morning_pain[0].pain: expected an integer 0 to 10",
        ),
        (("screens",), [{"date": "2027-01-01"}], "screens[0]: screens[0] lacks bridge_left_reps"),
        (
            ("screens",),
            [
                {
                    "date": "2027-01-01",
                    "bridge_left_reps": None,
                    "bridge_right_reps": None,
                    "felt_in": "calves",
                    "hq_ratio": None,
                }
            ],
            "screens[0].felt_in: expected quads, glutes_hamstrings or both, not 'calves'",
        ),
        (
            ("swaps",),
            [{"since": "2027-01-01", "exercise_id": "a", "replacement_id": "b", "x": 1}],
            "has unknown fields x",
        ),
        (
            ("plan_versions",),
            [{"created_on": None, "effective_from": "2027-01-01", "document": 3}],
            "plan_versions[0].created_on",
        ),
    ],
)
def test_bad_documents_are_refused_naming_the_field(
    path: tuple[str | int, ...], value: Any, message: str
) -> None:
    assert message in refusal(small_document(), path, value)


def test_every_problem_is_reported_at_once() -> None:
    document = small_document()
    document["athlete"]["units"] = "furlongs"
    document["logged_sessions"][0]["sets"][0]["rir"] = 11
    document["swaps"] = "none"
    document["body_mass"] = [{"date": "2027-01-01", "mass_kg": 70.0}, {"date": "2027-01-01", "mass_kg": 71.0}]
    with pytest.raises(InputError) as raised, FakeUnitOfWork() as uow:
        load(uow, document)
    assert str(raised.value).splitlines() == [
        "athlete.units: expected 'metric' or 'imperial', not 'furlongs'",
        "logged_sessions[0].sets[0].rir: expected an integer 0 to 10, not 11",
        "body_mass[1]: a second reading on 2027-01-01; there is one a day",
        "swaps: expected a list",
    ]


@pytest.mark.parametrize("document", [[], {"schema": SCHEMA}, {**small_document(), "athlete": None}])
def test_documents_of_the_wrong_shape_are_refused(document: Any) -> None:
    with pytest.raises(InputError), FakeUnitOfWork() as uow:
        load(uow, document)


def test_load_does_not_change_the_document() -> None:
    document = small_document()
    before = copy.deepcopy(document)
    with FakeUnitOfWork() as uow:
        load(uow, document)
    assert document == before
