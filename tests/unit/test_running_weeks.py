"""Weekly running summaries and the two distance flags (SCIENCE.md §6): the single-run spike of
Frandsen et al. 2025 (BJSM 59:1203) and the two-week ramp of Nielsen et al. 2014 (JOSPT 44:739)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ironmile.domain.activity import Activity, Sport
from ironmile.domain.running_weeks import (
    FRANDSEN_2025,
    NIELSEN_2014,
    FlagKind,
    SpikeCategory,
    spike_category,
    spike_in_week,
    weekly_summaries,
)
from tests.strategies import HISTORY_START, other_activities, runs

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("IRONMILE_PROPERTY_EXAMPLES", "60")), deadline=None
)
MONDAY = date(2026, 3, 2)


def run(
    day: date,
    distance_m: float | None,
    *,
    at: time = time(7),
    minutes: float | None = 50,
    sport: Sport = Sport.RUNNING,
    zone: timezone = UTC,
) -> Activity:
    return Activity(
        start=datetime.combine(day, at, zone),
        sport=sport,
        source=f"{day}-{at}.fit",
        fingerprint=f"{day}-{at}-{sport}",
        distance_m=distance_m,
        moving_s=minutes * 60 if minutes is not None else None,
    )


def days_after(days: int) -> date:
    return MONDAY + timedelta(days=days)


# --- spike: a run > 10 % longer than the longest run of the previous 30 days --------------------


@pytest.mark.parametrize(
    ("distance_m", "category"),
    [
        (9_000.0, None),  # shorter
        (11_000.0, None),  # exactly +10 %: the reference group ("up to 10 %")
        (11_010.0, SpikeCategory.SMALL),  # +10.1 %
        (13_000.0, SpikeCategory.SMALL),  # exactly +30 %: still "> 10–30 %"
        (13_010.0, SpikeCategory.MODERATE),
        (20_000.0, SpikeCategory.MODERATE),  # exactly +100 %: still "> 30–100 %"
        (20_010.0, SpikeCategory.LARGE),
    ],
)
def test_spike_categories_at_their_edges(distance_m: float, category: SpikeCategory | None) -> None:
    # Frandsen et al. 2025: ≤ 10 % (reference), > 10–30 % small, > 30–100 % moderate, > 100 % large.
    assert spike_category(distance_m, 10_000.0) is category


@pytest.mark.parametrize(
    ("distance_m", "category", "hazard_ratio"),
    [
        (12_000.0, SpikeCategory.SMALL, 1.64),
        (15_000.0, SpikeCategory.MODERATE, 1.52),
        (25_000.0, SpikeCategory.LARGE, 2.28),
    ],
)
def test_a_spike_flag_carries_the_published_hazard_rate_ratio(
    distance_m: float, category: SpikeCategory, hazard_ratio: float
) -> None:
    # Frandsen et al. 2025: HRR 1.64 (> 10–30 %), 1.52 (> 30–100 %), 2.28 (> 100 %).
    previous_week = [run(days_after(day), 9_000) for day in (-5, -3, -1)]  # 27 km: no ramp this week
    history = [run(days_after(-20), 10_000), *previous_week, run(days_after(5), distance_m)]
    week = weekly_summaries(history, first_week=MONDAY, last_week=MONDAY)[0]
    (flag,) = week.flags
    assert flag.kind is FlagKind.SPIKE
    assert (flag.day, flag.distance_m, flag.reference_m) == (days_after(5), distance_m, 10_000.0)
    assert flag.increase == pytest.approx(distance_m / 10_000 - 1)
    assert (flag.category, flag.hazard_ratio, flag.source) == (category, hazard_ratio, FRANDSEN_2025)
    assert f"({category} spike)" in flag.message


def test_the_message_shows_a_flagged_rise_above_the_line() -> None:
    history = [run(days_after(-3), 10_000), run(days_after(1), 11_010)]
    (flag,) = weekly_summaries(history, first_week=MONDAY, last_week=MONDAY)[0].flags
    assert flag.message.startswith("This run was 10.1 % longer than your longest run of the previous 30 days")


def test_no_spike_without_a_run_in_the_previous_30_days() -> None:
    # The exposure is a ratio to the longest run of the past 30 days: with none, it is undefined.
    start = datetime.combine(days_after(3), time(7), UTC)
    just_inside = [run(days_after(3 - 30), 5_000), run(days_after(3), 8_000)]  # exactly 30 days before
    just_outside = [run(days_after(3 - 30), 5_000, at=time(6, 59)), run(days_after(3), 8_000)]
    assert just_inside[0].start == start - timedelta(days=30)
    assert spike_in_week(just_inside, MONDAY, as_of=days_after(6)) is not None
    assert spike_in_week(just_outside, MONDAY, as_of=days_after(6)) is None
    assert spike_in_week([run(days_after(3), 8_000)], MONDAY, as_of=days_after(6)) is None


def test_an_earlier_run_the_same_day_counts_as_previous() -> None:
    double = [run(days_after(2), 5_000, at=time(6)), run(days_after(2), 9_000, at=time(18))]
    flag = spike_in_week(double, MONDAY, as_of=days_after(2))
    assert flag is not None
    assert flag.reference_m == 5_000


def test_a_few_metres_of_indoor_gps_drift_is_no_distance_and_no_reference() -> None:
    treadmill = run(days_after(-2), 20.0)  # a treadmill run whose watch logged 20 m
    history = [treadmill, run(days_after(1), 6_000)]
    assert spike_in_week(history, MONDAY, as_of=days_after(6)) is None
    weeks = weekly_summaries(history, first_week=days_after(-7), last_week=MONDAY)
    assert [(week.runs, week.distance_m) for week in weeks] == [(1, 0.0), (1, 6_000.0)]


def test_spike_in_week_answers_up_to_the_given_day_with_the_largest_spike() -> None:
    history = [
        run(days_after(-7), 10_000),
        run(days_after(2), 12_000),  # +20 % on Wednesday
        run(days_after(5), 20_000),  # +66.7 % on Saturday (against 12 km)
        run(days_after(8), 30_000),  # next week
    ]
    assert spike_in_week(history, MONDAY, as_of=days_after(1)) is None
    wednesday = spike_in_week(history, MONDAY, as_of=days_after(2))
    assert wednesday is not None
    assert (wednesday.day, wednesday.category) == (days_after(2), SpikeCategory.SMALL)
    saturday = spike_in_week(history, days_after(3), as_of=days_after(30))  # any day names the week
    assert saturday is not None
    assert (saturday.day, saturday.category) == (days_after(5), SpikeCategory.MODERATE)


# --- ramp: weekly distance > 30 % above the week before ------------------------------------------


def two_weeks(second_week_m: float) -> list[Activity]:
    """10 km in the first week (two runs), then `second_week_m` over three runs, none a spike."""
    third = second_week_m - 2 * 4_500
    return [
        run(days_after(-5), 5_000),
        run(days_after(-2), 5_000),
        run(days_after(0), 4_500),
        run(days_after(2), 4_500),
        run(days_after(4), third),
    ]


def test_a_rise_of_exactly_30_percent_is_not_flagged() -> None:
    # Nielsen et al. 2014: the exposure groups were < 10 %, 10–30 % and > 30 %.
    week = weekly_summaries(two_weeks(13_000), first_week=MONDAY, last_week=MONDAY)[0]
    assert week.distance_m == 13_000
    assert week.flags == ()


def test_a_rise_just_above_30_percent_is_flagged_on_the_run_that_crossed_the_line() -> None:
    week = weekly_summaries(two_weeks(13_001), first_week=MONDAY, last_week=MONDAY)[0]
    (flag,) = week.flags
    assert flag.kind is FlagKind.RAMP
    assert (flag.day, flag.distance_m, flag.reference_m) == (days_after(4), 13_001, 10_000)
    assert flag.increase == pytest.approx(0.3001)
    assert (flag.hazard_ratio, flag.category, flag.source) == (1.59, None, NIELSEN_2014)
    assert flag.message.startswith("Weekly distance 30.01 % above the week before")
    assert "safe" not in flag.message  # Buist et al. 2008: a smaller rise is no safety guarantee


def test_no_ramp_after_a_week_without_running() -> None:
    history = [run(days_after(-14), 5_000), run(days_after(1), 5_000)]
    weeks = weekly_summaries(history, first_week=days_after(-7), last_week=MONDAY)
    assert [week.distance_m for week in weeks] == [0.0, 5_000.0]
    assert all(week.flags == () for week in weeks)


# --- summaries ---------------------------------------------------------------------------------


def test_weekly_summaries_count_runs_only_by_local_date_and_keep_empty_weeks() -> None:
    sunday_night = run(days_after(6), 8_000, at=time(23, 30), zone=timezone(timedelta(hours=-5)))
    history = [
        run(days_after(1), 6_000, minutes=33),
        run(days_after(3), None, minutes=40),  # treadmill without distance: a run, no distance
        sunday_night,  # 04:30 UTC on Monday, but Sunday where it was run
        run(days_after(2), 40_000, sport=Sport.CYCLING),
    ]
    first, second = weekly_summaries(history, first_week=days_after(3), last_week=days_after(9))
    assert (first.week_start, first.runs, first.distance_m, first.long_run_m) == (MONDAY, 3, 14_000, 8_000)
    assert first.duration_s == (33 + 40 + 50) * 60
    assert (second.week_start, second.runs, second.distance_m, second.long_run_m) == (days_after(7), 0, 0, 0)
    with pytest.raises(ValueError, match="before first week"):
        weekly_summaries(history, first_week=days_after(7), last_week=MONDAY)


# --- properties --------------------------------------------------------------------------------

WEEKS = (HISTORY_START, HISTORY_START + timedelta(weeks=11))


@PROPERTY_SETTINGS
@given(
    st.lists(runs(), max_size=25), st.lists(other_activities(), min_size=1, max_size=10), st.integers(0, 83)
)
def test_other_sports_never_change_distance_or_flags(
    history: list[Activity], others: list[Activity], offset: int
) -> None:
    first, last = WEEKS
    alone = weekly_summaries(history, first_week=first, last_week=last)
    assert weekly_summaries([*others, *history], first_week=first, last_week=last) == alone
    day = HISTORY_START + timedelta(days=offset)
    assert spike_in_week([*history, *others], day, as_of=day) == spike_in_week(history, day, as_of=day)


@PROPERTY_SETTINGS
@given(st.lists(runs(), max_size=25), runs())
def test_adding_a_run_never_lowers_its_weeks_distance(history: list[Activity], extra: Activity) -> None:
    first, last = WEEKS
    before = {week.week_start: week for week in weekly_summaries(history, first_week=first, last_week=last)}
    after = {
        week.week_start: week
        for week in weekly_summaries([*history, extra], first_week=first, last_week=last)
    }
    monday = extra.start.date() - timedelta(days=extra.start.date().weekday())
    assert after[monday].distance_m >= before[monday].distance_m
    assert after[monday].runs == before[monday].runs + 1
    assert all(after[week].distance_m == before[week].distance_m for week in before if week != monday)


@PROPERTY_SETTINGS
@given(st.lists(runs(), max_size=25))
def test_every_flag_stands_above_its_line(history: list[Activity]) -> None:
    first, last = WEEKS
    for week in weekly_summaries(history, first_week=first, last_week=last):
        for flag in week.flags:
            assert week.week_start <= flag.day < week.week_start + timedelta(days=7)
            assert flag.increase > (0.10 if flag.kind is FlagKind.SPIKE else 0.30)
            assert flag.distance_m > flag.reference_m > 0


@PROPERTY_SETTINGS
@given(st.lists(runs(), max_size=30))
def test_spike_in_week_agrees_with_the_weekly_flags(history: list[Activity]) -> None:
    first, last = WEEKS
    for week in weekly_summaries(history, first_week=first, last_week=last):
        spikes = [flag for flag in week.flags if flag.kind is FlagKind.SPIKE]
        largest = max(spikes, key=lambda flag: flag.increase, default=None)
        assert spike_in_week(history, week.week_start, as_of=week.week_start + timedelta(days=6)) == largest
