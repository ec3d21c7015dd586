"""Imported activities in the backup: every field out and back in, the start's offset kept, and
every bad field of a restored document reported with its path before anything is stored."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from ironmile.adapters.db.backup import dump, load
from ironmile.adapters.db.ports import StoredActivity
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.errors import InputError
from tests.adapters.stores import NewUow, Store
from tests.adapters.test_backup import canonical_json, expected_dump, refusal, small_log, store_log

BERLIN_SUMMER = timezone(timedelta(hours=2))
HONOLULU = timezone(timedelta(hours=-10))

MORNING_RUN = StoredActivity(
    Activity(
        start=datetime(2026, 6, 1, 6, 30, 15, tzinfo=BERLIN_SUMMER),
        sport=Sport.RUNNING,
        source="export.zip!activities/1.fit.gz",
        fingerprint="a" * 32,
        distance_m=10_012.37,
        moving_s=3_100.0,
        elapsed_s=3_260.5,
        elevation_gain_m=87.0,
        avg_heart_rate_bpm=148.6,
        max_heart_rate_bpm=171.0,
        heart_rate_seconds=((120, 61.0), (148, 1800.5), (171, 3.0)),
    ),
    "hash-1",
    date(2026, 7, 1),
)
# 23:30 on 1 June in UTC−10 is 09:30 on 2 June in UTC: it sorts after the UTC swim below
LATE_RIDE = StoredActivity(
    Activity(
        start=datetime(2026, 6, 1, 23, 30, 0, 250_000, tzinfo=HONOLULU),
        sport=Sport.CYCLING,
        source="strava:123",
        fingerprint="b" * 32,
        perceived_exertion=6.5,
    ),
    None,
    date(2026, 7, 2),
)
UTC_SWIM = StoredActivity(
    Activity(datetime(2026, 6, 2, 8, 0, tzinfo=UTC), Sport.SWIMMING, "s.tcx", "c" * 32),
    "hash-3",
    date(2026, 7, 1),
)


def run_document() -> dict[str, Any]:
    """The small document of test_backup.py with one activity."""
    return expected_dump(replace(small_log(), activities=[MORNING_RUN]))


def test_activities_dump_with_their_offsets_and_restore_to_the_same_rows(store: Store) -> None:
    log = replace(small_log(), activities=[MORNING_RUN, LATE_RIDE, UTC_SWIM])
    with store.new_uow() as uow:
        athlete_id = store_log(uow, log)
        uow.commit()
    with store.new_uow() as uow:
        assert uow.activities.stored(athlete_id) == [MORNING_RUN, UTC_SWIM, LATE_RIDE]
        first = dump(uow, athlete_id)
    assert [a["start"] for a in first["activities"]] == [
        "2026-06-01T06:30:15+02:00",
        "2026-06-02T08:00:00+00:00",
        "2026-06-01T23:30:00.250000-10:00",
    ]
    assert first["activities"][0]["heart_rate_seconds"] == [[120, 61.0], [148, 1800.5], [171, 3.0]]
    assert first["activities"][2]["source_hash"] is None
    store.wipe()
    with store.new_uow() as uow:
        restored = load(uow, json.loads(canonical_json(first)))
        uow.commit()
    with store.new_uow() as uow:
        assert dump(uow, restored) == first
        stored = uow.activities.stored(restored)
        # a re-import after the restore skips the files already stored
        assert uow.activities.source_hashes(restored) == {"hash-1": 1, "hash-3": 1}
    assert [s.activity.start.utcoffset() for s in stored] == [
        timedelta(hours=2),
        timedelta(0),
        timedelta(hours=-10),
    ]
    assert [s.imported_on for s in stored] == [date(2026, 7, 1), date(2026, 7, 1), date(2026, 7, 2)]


def test_a_document_written_before_activities_restores_with_none(new_uow: NewUow) -> None:
    document = run_document()
    del document["activities"]
    with new_uow() as uow:
        athlete_id = load(uow, document)
        uow.commit()
    with new_uow() as uow:
        assert dump(uow, athlete_id) == {**document, "activities": []}
        assert uow.activities.count(athlete_id) == 0


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("activities",), {}, "activities: expected a list"),
        (("activities", 0), "run", "activities[0]: expected an object with start, sport"),
        (
            ("activities",),
            [{"start": "2026-06-01T06:30:15+02:00"}],
            "activities[0]: activities[0] lacks sport, distance_m",
        ),
        (
            ("activities", 0, "sport"),
            "jogging",
            "activities[0].sport: expected one of running, cycling, swimming, walking, hiking, strength, "
            "rowing, skiing, other, not 'jogging'",
        ),
        (("activities", 0, "sport"), "Running", "activities[0].sport: expected one of running"),
        (
            ("activities", 0, "start"),
            "2026-06-01T06:30:15",
            "activities[0].start: '2026-06-01T06:30:15' has no UTC offset; expected a time as "
            "YYYY-MM-DDTHH:MM:SS with its UTC offset (such as +02:00)",
        ),
        (("activities", 0, "start"), "2026-06-01 06:30+02:00", "activities[0].start: expected a time as"),
        (("activities", 0, "start"), "2026-02-30T06:30:15+02:00", "activities[0].start: expected a time as"),
        (("activities", 0, "start"), "2026-06-01T06:30:15+24:00", "activities[0].start: expected a time as"),
        (("activities", 0, "start"), 1780288215, "activities[0].start: expected a time as"),
        (
            ("activities", 0, "start"),
            "0001-01-01T00:00:00+05:00",
            "activities[0].start: '0001-01-01T00:00:00+05:00' is outside the years 1 to 9999 in UTC",
        ),
        (
            ("activities", 0, "distance_m"),
            -1,
            "activities[0].distance_m: expected a number of at least 0 or null, not -1",
        ),
        (("activities", 0, "moving_s"), "3100", "activities[0].moving_s: expected a number of at least 0"),
        (("activities", 0, "elapsed_s"), float("nan"), "activities[0].elapsed_s: expected a number"),
        (("activities", 0, "elevation_gain_m"), -0.5, "activities[0].elevation_gain_m: expected a number"),
        (
            ("activities", 0, "avg_heart_rate_bpm"),
            0,
            "activities[0].avg_heart_rate_bpm: expected a number above 0 or null, not 0",
        ),
        (
            ("activities", 0, "max_heart_rate_bpm"),
            True,
            "activities[0].max_heart_rate_bpm: expected a number",
        ),
        (
            ("activities", 0, "perceived_exertion"),
            0.5,
            "activities[0].perceived_exertion: expected a number from 1 to 10 or null, not 0.5",
        ),
        (
            ("activities", 0, "perceived_exertion"),
            10.01,
            "activities[0].perceived_exertion: expected a number",
        ),
        (
            ("activities", 0, "heart_rate_seconds"),
            "120:61",
            "activities[0].heart_rate_seconds: expected a list of [bpm, seconds] pairs",
        ),
        (
            ("activities", 0, "heart_rate_seconds", 1),
            [148],
            "activities[0].heart_rate_seconds[1]: expected a [bpm, seconds] pair, not [148]",
        ),
        (
            ("activities", 0, "heart_rate_seconds", 1),
            [148.5, 10.0],
            "activities[0].heart_rate_seconds[1]: expected whole beats per minute above 0, not 148.5",
        ),
        (
            ("activities", 0, "heart_rate_seconds", 1),
            [100, 10.0],
            "activities[0].heart_rate_seconds[1]: 100 bpm after 120 bpm; expected each bpm once",
        ),
        (
            ("activities", 0, "heart_rate_seconds", 1),
            [148, None],
            "activities[0].heart_rate_seconds[1]: expected seconds as a number of at least 0, not None",
        ),
        (("activities", 0, "source"), None, "activities[0].source: expected a string"),
        (("activities", 0, "fingerprint"), "a\x00b", "activities[0].fingerprint: NUL characters cannot"),
        (("activities", 0, "source_hash"), 5, "activities[0].source_hash: expected a string"),
        (("activities", 0, "imported_on"), "2026-7-1", "activities[0].imported_on: expected a date"),
    ],
)
def test_bad_activities_are_refused_naming_the_field(
    path: tuple[str | int, ...], value: Any, message: str
) -> None:
    assert message in refusal(run_document(), path, value)


def test_every_activity_problem_is_reported_at_once_and_nothing_is_stored(new_uow: NewUow) -> None:
    document = run_document()
    run = document["activities"][0]
    broken = {
        **run,
        "fingerprint": "d" * 32,
        "start": "2026-06-01T06:30:15",
        "sport": "jogging",
        "distance_m": -1,
        "heart_rate_seconds": [[150, 1.0], [150, 2.0]],
    }
    document["activities"] = [run, dict(run), broken]
    with pytest.raises(InputError) as raised, new_uow() as uow:
        load(uow, document)
    assert str(raised.value).splitlines() == [
        f"activities[1]: a second activity with fingerprint {'a' * 32!r}; each file is stored once",
        "activities[2].start: '2026-06-01T06:30:15' has no UTC offset; expected a time as "
        "YYYY-MM-DDTHH:MM:SS with its UTC offset (such as +02:00)",
        "activities[2].sport: expected one of running, cycling, swimming, walking, hiking, strength, "
        "rowing, skiing, other, not 'jogging'",
        "activities[2].distance_m: expected a number of at least 0 or null, not -1",
        "activities[2].heart_rate_seconds[1]: 150 bpm after 150 bpm; expected each bpm once, in rising order",
    ]
    with new_uow() as uow:
        assert uow.athletes.all() == []
