"""The canonical activity: a zone is required, and two records of one session are recognised."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ironmile.domain.activity import Activity, Sport, same_run

RUN = Activity(
    start=datetime(2026, 6, 1, 6, 30, tzinfo=UTC),
    sport=Sport.RUNNING,
    source="watch.fit",
    fingerprint="a" * 32,
    distance_m=10_000.0,
    moving_s=3000.0,
)


def test_a_start_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match=r"watch\.fit: activity start .* has no time zone"):
        replace(RUN, start=datetime(2026, 6, 1, 6, 30))


def test_duration_prefers_moving_time() -> None:
    assert RUN.duration_s == 3000.0
    assert replace(RUN, moving_s=None, elapsed_s=3100.0).duration_s == 3100.0


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (replace(RUN, fingerprint="b" * 32, source="strava.gpx", distance_m=10_250.0), True),  # 2.5 % apart
        (replace(RUN, start=RUN.start + timedelta(seconds=119)), True),
        (replace(RUN, start=RUN.start + timedelta(seconds=121)), False),
        (replace(RUN, distance_m=10_400.0), False),  # 4 % and 400 m apart: another run
        (replace(RUN, distance_m=None), True),  # a summary without distance: the start decides
        (replace(RUN, sport=Sport.CYCLING), False),
    ],
)
def test_same_run_within_two_minutes_and_three_percent(other: Activity, same: bool) -> None:
    assert same_run(RUN, other) is same
    assert same_run(other, RUN) is same


def test_short_activities_allow_gps_noise_of_250_metres() -> None:
    short = replace(RUN, distance_m=900.0)
    assert same_run(short, replace(short, distance_m=668.0))
    assert not same_run(short, replace(short, distance_m=600.0))
