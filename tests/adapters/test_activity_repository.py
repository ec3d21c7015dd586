"""Imported activities round-trip through SQLite, PostgreSQL and the fake alike: the same aware
start (zone included), the same numbers bit for bit, the heart-rate histogram, per athlete."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ironmile.domain.activity import Activity, Sport
from tests.adapters.stores import NewUow
from tests.adapters.test_repositories import add_athlete

BERLIN_SUMMER = timezone(timedelta(hours=2))

MORNING_RUN = Activity(
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
    perceived_exertion=None,
)
LATE_RIDE = Activity(
    # 23:30 local on 1 June is 1 June locally but 2 June in Tokyo and 31 May in UTC−10
    start=datetime(2026, 6, 1, 23, 30, tzinfo=timezone(timedelta(hours=-10))),
    sport=Sport.CYCLING,
    source="ride.gpx",
    fingerprint="b" * 32,
    distance_m=None,
    perceived_exertion=6.0,
)
UTC_SWIM = Activity(
    start=datetime(2026, 6, 3, 12, 0, tzinfo=UTC), sport=Sport.SWIMMING, source="s.tcx", fingerprint="c" * 32
)


def test_activities_round_trip_with_zone_and_histogram(new_uow: NewUow) -> None:
    athlete = add_athlete(new_uow)
    with new_uow() as uow:
        added = uow.activities.add_many(
            athlete,
            [(MORNING_RUN, "hash-1"), (LATE_RIDE, None), (UTC_SWIM, "hash-3")],
            imported_on=date(2026, 7, 1),
        )
        uow.commit()
    assert added == 3
    with new_uow() as uow:
        stored = uow.activities.between(athlete)
        assert uow.activities.count(athlete) == 3
        assert uow.activities.source_hashes(athlete) == {"hash-1": 1, "hash-3": 1}
    assert stored == [MORNING_RUN, LATE_RIDE, UTC_SWIM]
    assert stored[0].start.utcoffset() == timedelta(hours=2)
    assert stored[1].start.utcoffset() == timedelta(hours=-10)


def test_between_uses_the_local_start_date_inclusively(new_uow: NewUow) -> None:
    athlete = add_athlete(new_uow)
    with new_uow() as uow:
        uow.activities.add_many(
            athlete, [(MORNING_RUN, None), (LATE_RIDE, None), (UTC_SWIM, None)], imported_on=date(2026, 7, 1)
        )
        uow.commit()
    with new_uow() as uow:
        first_of_june = uow.activities.between(athlete, start=date(2026, 6, 1), end=date(2026, 6, 1))
        after = uow.activities.between(athlete, start=date(2026, 6, 2))
    assert [a.fingerprint for a in first_of_june] == ["a" * 32, "b" * 32]
    assert [a.fingerprint for a in after] == ["c" * 32]


def test_activities_belong_to_their_athlete(new_uow: NewUow) -> None:
    alex, sam = add_athlete(new_uow), add_athlete(new_uow, "Sam")
    with new_uow() as uow:
        uow.activities.add_many(alex, [(MORNING_RUN, "h")], imported_on=date(2026, 7, 1))
        uow.activities.add_many(
            sam, [(MORNING_RUN, "h")], imported_on=date(2026, 7, 1)
        )  # same file, two people
        uow.commit()
    with new_uow() as uow:
        assert uow.activities.count(alex) == uow.activities.count(sam) == 1


def test_a_fingerprint_is_stored_once_per_athlete(new_uow: NewUow) -> None:
    athlete = add_athlete(new_uow)
    with new_uow() as uow:
        uow.activities.add_many(athlete, [(MORNING_RUN, "h")], imported_on=date(2026, 7, 1))
        uow.commit()
    with new_uow() as uow, pytest.raises(Exception, match=r"(?i)unique|taken"):
        uow.activities.add_many(athlete, [(MORNING_RUN, "h")], imported_on=date(2026, 7, 2))
    with new_uow() as uow:
        assert uow.activities.count(athlete) == 1
