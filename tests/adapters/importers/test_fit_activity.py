"""From decoded FIT content to activities: sports, local start times, fallbacks to the records, and
the time spent at each heart rate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from ironmile.adapters.importers.fit_activity import HEART_RATE_GAP_CAP_S, activities_from
from ironmile.adapters.importers.fit_content import FitPart, FitSession
from ironmile.adapters.importers.fit_sport import sport_of
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.errors import RejectedFileError

T0 = 1_000_000_000  # FIT time (s since 1989-12-31 UTC): 2021-09-08 01:46:40 UTC
T0_UTC = datetime(2021, 9, 8, 1, 46, 40, tzinfo=UTC)
RUNNING, CYCLING = 1, 2


def part(
    sessions: tuple[FitSession, ...] = (),
    records: Sequence[tuple[int | None, float | None, int | None]] = (),
    **extra: int | None,
) -> FitPart:
    rows = records
    return FitPart(
        file_type=extra.pop("file_type", 4),
        sessions=sessions,
        record_times=tuple(r[0] for r in rows),
        record_distances_m=tuple(r[1] for r in rows),
        record_heart_rates_bpm=tuple(r[2] for r in rows),
        **extra,
    )


def only(*parts: FitPart) -> Activity:
    (activity,) = activities_from(parts, source="a.fit", file_hash="h")
    return activity


def rejected(*parts: FitPart) -> str:
    with pytest.raises(RejectedFileError) as raised:
        activities_from(parts, source="a.fit", file_hash="h")
    return raised.value.reason


SESSION = FitSession(start_time=T0, end_time=T0 + 100, sport=RUNNING, total_timer_s=100, total_elapsed_s=100)


@pytest.mark.parametrize(
    ("sport", "sub_sport", "expected"),
    [
        (1, None, Sport.RUNNING),
        (1, 3, Sport.RUNNING),  # trail
        (1, 1, Sport.RUNNING),  # treadmill
        (1, 4, Sport.RUNNING),  # track
        (1, 58, Sport.RUNNING),  # virtual (Zwift run)
        (4, 1, Sport.RUNNING),  # a treadmill filed under fitness equipment
        (4, 6, Sport.CYCLING),  # indoor bike
        (4, 14, Sport.ROWING),  # indoor rower
        (4, 15, Sport.OTHER),  # elliptical
        (2, 7, Sport.CYCLING),
        (21, None, Sport.CYCLING),  # e-bike
        (5, 17, Sport.SWIMMING),
        (11, None, Sport.WALKING),
        (17, None, Sport.HIKING),
        (10, 20, Sport.STRENGTH),  # training / strength training
        (10, None, Sport.STRENGTH),
        (10, 43, Sport.OTHER),  # yoga
        (15, None, Sport.ROWING),
        (12, None, Sport.SKIING),  # cross-country
        (13, 37, Sport.SKIING),  # alpine, backcountry
        (14, None, Sport.OTHER),  # snowboarding
        (3, None, Sport.OTHER),  # a multisport transition
        (0, None, Sport.OTHER),
        (None, None, Sport.OTHER),
    ],
)
def test_fit_sports_map_to_ours(sport: int | None, sub_sport: int | None, expected: Sport) -> None:
    assert sport_of(sport, sub_sport) is expected


@pytest.mark.parametrize(
    ("local_minus_utc_s", "offset"),
    [
        (5 * 3600 + 29 * 60 + 50, timedelta(hours=5, minutes=30)),  # India, a device clock 10 s behind
        (-(3 * 3600 + 44 * 60), timedelta(hours=-3, minutes=-45)),
        (15 * 3600, timedelta(0)),  # no zone is 15 h off UTC: a bad local time, ignored
    ],
)
def test_the_start_is_shown_at_the_recorded_offset_to_the_quarter_hour(
    local_minus_utc_s: int, offset: timedelta
) -> None:
    activity = only(
        part((SESSION,), activity_time=T0 + 100, activity_local_time=T0 + 100 + local_minus_utc_s)
    )
    assert activity.start == T0_UTC
    assert activity.start.utcoffset() == offset


def test_without_a_local_time_the_start_is_in_utc() -> None:
    assert only(part((SESSION,), activity_time=T0 + 100)).start.utcoffset() == timedelta(0)


def test_device_time_is_placed_by_the_local_time_of_the_activity_message() -> None:
    """Old watches count seconds from switch-on; only the activity message ties that to a clock."""
    session = FitSession(start_time=1_000, end_time=4_000, sport=RUNNING, total_elapsed_s=3_000)
    activity = only(part((session,), activity_time=4_000, activity_local_time=T0))
    assert activity.start == T0_UTC - timedelta(seconds=3_000)  # local wall-clock time, labelled UTC
    assert rejected(part((session,), activity_time=4_000))


def test_heart_rate_time_counts_each_sample_until_the_next_and_caps_pauses() -> None:
    records = [(T0, 0, 150), (T0 + 1, 0, 150), (T0 + 2, 0, 150), (T0 + 62, 0, 160), (T0 + 63, 0, 161)]
    activity = only(part((SESSION,), records))
    # 150 bpm: 1 s + 1 s + a 60-s pause counted as the cap; 160 bpm: 1 s; the last sample ends the series.
    assert activity.heart_rate_seconds == ((150, 2 + HEART_RATE_GAP_CAP_S), (160, 1.0))


def test_records_without_heart_rate_or_out_of_order_add_no_time() -> None:
    """Suunto writes several records a second, some without heart rate; clocks may also step back."""
    records = [(T0, 0, 120), (T0, 0, None), (T0, 0, 121), (T0 + 1, 0, 0), (T0 + 2, 0, 122), (T0 + 1, 0, 123),
               (T0 + 3, 0, 124)]  # fmt: skip
    activity = only(part((SESSION,), records))
    assert activity.heart_rate_seconds == ((121, 2.0), (123, 2.0))


def test_missing_session_totals_come_from_the_session_s_records() -> None:
    records = [(T0 - 50, 999.0, 200), (T0, 0.0, 140), (T0 + 50, 150.0, 150), (T0 + 100, 300.0, 160),
               (T0 + 100, None, None), (T0 + 500, 5_000.0, 100)]  # fmt: skip
    activity = only(part((SESSION,), records))
    assert activity.distance_m == 300.0  # the last distance inside the session, not after it
    assert activity.max_heart_rate_bpm == 160
    assert activity.avg_heart_rate_bpm == 145  # equal time at 140 and at 150 (each 50 s gap capped)
    assert (activity.moving_s, activity.elapsed_s) == (100, 100)


def test_session_totals_win_over_the_records() -> None:
    session = FitSession(
        start_time=T0, total_distance_m=5_000.0, avg_heart_rate_bpm=150, max_heart_rate_bpm=170
    )
    activity = only(part((session,), [(T0, 10.0, 100), (T0 + 1, 20.0, 101)]))
    assert (activity.distance_m, activity.avg_heart_rate_bpm, activity.max_heart_rate_bpm) == (
        5_000.0,
        150,
        170,
    )


def test_a_heart_rate_of_zero_means_none() -> None:
    session = FitSession(start_time=T0, avg_heart_rate_bpm=0, max_heart_rate_bpm=0)
    activity = only(part((session,), [(T0, None, 0), (T0 + 1, None, 0)]))
    assert (activity.avg_heart_rate_bpm, activity.max_heart_rate_bpm, activity.heart_rate_seconds) == (
        None,
        None,
        (),
    )


def test_a_session_without_a_start_starts_its_elapsed_time_before_its_end() -> None:
    session = FitSession(end_time=T0 + 600, total_elapsed_s=599.4, sport=CYCLING)
    activity = only(part((session,)))
    assert (activity.start, activity.sport) == (T0_UTC, Sport.CYCLING)


def test_each_session_of_a_multisport_file_keeps_its_own_records() -> None:
    bike = FitSession(start_time=T0, end_time=T0 + 10, sport=CYCLING)
    run = FitSession(start_time=T0 + 10, end_time=T0 + 20, sport=RUNNING)
    records = [(T0 + s, 100.0 * s, 120 if s < 10 else 170) for s in range(21)]
    first, second = activities_from((part((bike, run), records),), source="a.fit", file_hash="h")
    assert (first.fingerprint, first.distance_m, first.heart_rate_seconds) == ("h#1", 900.0, ((120, 9.0),))
    assert (second.fingerprint, second.distance_m, second.heart_rate_seconds) == (
        "h#2",
        2_000.0,
        ((170, 10.0),),
    )


def test_a_file_with_records_and_an_activity_message_but_no_session_imports_from_its_records() -> None:
    records = [(T0 + 5, 0.0, 100), (T0 + 65, 200.0, 110), (T0 + 66, 210.0, 111)]
    activity = only(part((), records, activity_time=T0 + 66, sport=CYCLING, sub_sport=None))
    assert activity.start == T0_UTC + timedelta(seconds=5)
    assert (activity.sport, activity.distance_m, activity.elapsed_s, activity.moving_s) == (
        Sport.CYCLING,
        210.0,
        61.0,
        None,
    )
    assert activity.max_heart_rate_bpm == 111


def test_records_without_a_session_or_an_activity_message_are_an_unfinished_recording() -> None:
    # Only what the parts show is claimed: the summaries are missing, not that the file was cut off.
    assert rejected(part((), [(T0, 0.0, 100)])) == (
        "an unfinished FIT activity: 1 record but no session and no activity message: "
        "not a finished activity recording (a device writes both when it saves one)"
    )
    assert rejected(part((), [(T0, 0.0, 100), (T0 + 1, 1.0, 101)])).startswith(
        "an unfinished FIT activity: 2 records but no session"
    )


def test_parts_that_are_not_activities_are_left_out_and_named_when_nothing_else_is_there() -> None:
    settings_part = part(file_type=2)
    assert only(part((SESSION,)), settings_part) == only(part((SESSION,)))
    assert rejected(settings_part, part(file_type=9)) == "a FIT settings file, not an activity"
    assert (
        rejected(part(file_type=4))
        == "a FIT activity file with no sessions and no records: nothing to import"
    )
