"""What an import may store: impossible values become missing, impossible starts are refused, and
of two records of one session the richer one is preferred."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ironmile.domain.activity import Activity, Sport
from ironmile.domain.activity_checks import RunIndex, checked, in_home_zone, richness, with_known_sport

TODAY = date(2026, 11, 30)
RUN = Activity(
    start=datetime(2026, 6, 1, 6, 30, tzinfo=UTC),
    sport=Sport.RUNNING,
    source="watch.fit",
    fingerprint="a" * 32,
    distance_m=10_000.0,
    moving_s=3000.0,
    avg_heart_rate_bpm=150.0,
    heart_rate_seconds=((150, 3000.0),),
)


@pytest.mark.parametrize(
    "start",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),  # a year-1 clock: year 0 in UTC
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1901, 12, 13, 20, 45, tzinfo=UTC),  # a 32-bit clock that wrapped
        datetime(1984, 12, 31, 23, 59, tzinfo=UTC),
        datetime(2026, 12, 3, 0, 1, tzinfo=UTC),  # more than two days after the import
    ],
)
def test_a_start_that_cannot_be_right_is_refused_with_the_reason(start: datetime) -> None:
    reason = checked(replace(RUN, start=start), today=TODAY)
    assert isinstance(reason, str)
    assert "the device's clock was not set" in reason


def test_starts_within_the_range_are_kept() -> None:
    for start in (datetime(1985, 1, 1, tzinfo=UTC), datetime(2026, 12, 2, 23, 0, tzinfo=UTC)):
        assert checked(replace(RUN, start=start), today=TODAY) == replace(RUN, start=start)


def test_values_no_device_measures_become_missing() -> None:
    odd = replace(
        RUN,
        distance_m=-5.0,
        moving_s=float("nan"),
        elapsed_s=float("inf"),
        elevation_gain_m=-1.0,
        avg_heart_rate_bpm=0.0,  # "no reading" written as 0 (Strava and Garmin tables do)
        max_heart_rate_bpm=400.0,
        perceived_exertion=0.0,
        heart_rate_seconds=((0, 30.0), (150, 100.0), (160, -2.0), (300, 5.0)),
    )
    result = checked(odd, today=TODAY)
    assert isinstance(result, Activity)
    assert (result.distance_m, result.moving_s, result.elapsed_s, result.elevation_gain_m) == (None,) * 4
    assert (result.avg_heart_rate_bpm, result.max_heart_rate_bpm, result.perceived_exertion) == (None,) * 3
    assert result.heart_rate_seconds == ((150, 100.0),)


def test_richness_prefers_a_heart_rate_stream_then_an_average() -> None:
    bare = replace(RUN, heart_rate_seconds=(), avg_heart_rate_bpm=None)
    average = replace(bare, avg_heart_rate_bpm=150.0)
    assert richness(RUN) > richness(average) > richness(bare)


def test_a_table_row_without_a_known_sport_keeps_the_file_s_sport() -> None:
    row = replace(RUN, sport=Sport.OTHER, perceived_exertion=7.0, fingerprint="b" * 32)
    merged = with_known_sport(RUN, row)
    assert (merged.sport, merged.perceived_exertion) == (Sport.RUNNING, 7.0)
    assert (
        with_known_sport(replace(RUN, sport=Sport.OTHER), replace(row, sport=Sport.RUNNING)).sport
        is Sport.RUNNING
    )


def test_the_index_finds_the_same_session_and_a_corrected_table_distance_only_when_asked() -> None:
    index = RunIndex()
    index.add(RUN)
    corrected = replace(
        RUN, fingerprint="c" * 32, distance_m=12_000.0, start=RUN.start + timedelta(seconds=40)
    )
    assert index.match(corrected) is None  # 20 % apart: another run, as far as files go
    assert index.match(corrected, any_distance=True) == RUN  # a table row the athlete corrected
    assert index.match(replace(corrected, start=RUN.start + timedelta(minutes=3)), any_distance=True) is None
    index.remove(RUN)
    assert index.match(replace(RUN, fingerprint="d" * 32)) is None


def test_a_utc_start_moves_to_the_home_zone_and_a_known_offset_stays() -> None:
    """A Sunday 18:00 run in California is Monday 02:00 in UTC; with the home zone it is Sunday."""
    california = ZoneInfo("America/Los_Angeles")
    sunday_evening = replace(RUN, start=datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    moved = in_home_zone(sunday_evening, california)
    assert moved.start == sunday_evening.start  # the same instant
    assert moved.start.date() == date(2026, 11, 29)
    abroad = replace(RUN, start=datetime(2026, 6, 1, 6, 30, tzinfo=timezone(timedelta(hours=2))))
    assert in_home_zone(abroad, california) == abroad
    assert in_home_zone(sunday_evening, None) == sunday_evening
