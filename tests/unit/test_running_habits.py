"""Inferring the runner's usual week from their history: run days, the long-run day, key days and
weekly distance, each explained in plain words (the conventions are in `running_habits`)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ironmile.domain.activity import Activity, Sport
from ironmile.domain.athlete import RunningWeek
from ironmile.domain.running_habits import infer_running_week
from ironmile.domain.running_load import HeartRateProfile
from tests.strategies import (
    HISTORY_START,
    REGULAR_HR,
    RegularHistory,
    heart_rate_profiles,
    other_activities,
    regular_histories,
    runs,
)

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("IRONMILE_PROPERTY_EXAMPLES", "60")), deadline=None
)
TUE, WED, THU, SAT, SUN = 1, 2, 3, 5, 6
TODAY = HISTORY_START + timedelta(weeks=8, days=2)  # a Wednesday: the 8 weeks before are whole


def run(
    week: int,
    weekday: int,
    distance_m: float | None,
    *,
    minutes: float | None,
    bpm: float | None = None,
    stream: tuple[tuple[int, float], ...] = (),
    sport: Sport = Sport.RUNNING,
) -> Activity:
    day = HISTORY_START + timedelta(weeks=week, days=weekday)
    return Activity(
        start=datetime.combine(day, time(6, 30), UTC),
        sport=sport,
        source=f"{day}.fit",
        fingerprint=f"{day}-{sport}",
        distance_m=distance_m,
        moving_s=minutes * 60 if minutes is not None else None,
        avg_heart_rate_bpm=bpm,
        heart_rate_seconds=stream,
    )


def typical_runner(*, with_heart_rate: bool) -> list[Activity]:
    """Tuesday intervals, Thursday and Saturday easy, Sunday long; a Wednesday run in 2 of 8 weeks
    and one week with the long run on Saturday. Heart rate (rest 60, max 190) when asked."""
    hr = with_heart_rate
    # 15 min warm-up at 125, 6 × 3 min at 180 with 2 min at 140, 10 min cool-down at 125 (53 min)
    intervals = ((125, 25 * 60.0), (140, 10 * 60.0), (180, 18 * 60.0)) if hr else ()
    history = []
    for week in range(8):
        long_day, other_day = (SAT, SUN) if week == 3 else (SUN, SAT)
        history += [
            run(week, TUE, 10_500, minutes=53, stream=intervals),
            run(week, THU, 8_000, minutes=48, bpm=135 if hr else None),
            run(week, other_day, 7_000, minutes=42, bpm=132 if hr else None),
            run(week, long_day, 18_000 + 500 * week, minutes=115 + 3 * week, bpm=140 if hr else None),
            run(week, WED, 10_000, minutes=60, sport=Sport.CYCLING),
        ]
        if week in (2, 6):
            history.append(run(week, WED, 5_000, minutes=30, bpm=130 if hr else None))
    return history


def test_a_typical_runner_with_heart_rate() -> None:
    inferred = infer_running_week(typical_runner(with_heart_rate=True), today=TODAY, hr=REGULAR_HR)
    assert inferred.running.run_days == {TUE, THU, SAT, SUN}
    assert inferred.running.long_run_day == SUN
    assert inferred.running.key_days == {TUE}
    assert inferred.weeks_seen == 8
    # the weekly totals are 43.5 km + 0.5 km a week, plus 5 km in weeks 2 and 6:
    # 43.5 44 49.5 45 45.5 46 51.5 47 km, whose median is (45.5 + 46) / 2 = 45.75 km
    assert inferred.running.weekly_distance_m == pytest.approx(45_750)
    looked, run_days, long_run, key_days, distance = inferred.reasons
    assert looked == "Looked at the 8 weeks from 05 Jan 2026 to 01 Mar 2026; 8 of them had runs."
    assert run_days.startswith("Run days: Tuesday (8 of 8 weeks), Thursday (8 of 8 weeks), Saturday (8 of 8")
    assert run_days.endswith("Not run days, too rare: Wednesday (2 of 8 weeks).")
    assert long_run.startswith("Long run: Sunday — the week's longest run fell on Sunday in 7 of 8 weeks")
    assert key_days.startswith("Key days: Tuesday (8 of 8 weeks)")
    assert (
        "at least 10 minutes at or above 80 % of your heart-rate reserve (resting 60, max 190 bpm)"
        in key_days
    )
    assert distance == "Weekly distance: the median of the 8 weekly totals."


def test_without_heart_rate_hard_runs_come_from_pace() -> None:
    inferred = infer_running_week(typical_runner(with_heart_rate=False), today=TODAY, hr=None)
    assert inferred.running.key_days == {TUE}  # 5:03 min/km against a median near 6:00
    assert "pace is at least 8 % faster than your median pace" in inferred.reasons[3]


def test_without_heart_rate_or_pace_no_key_days_are_guessed() -> None:
    history = [run(week, day, None, minutes=None) for week in range(8) for day in (TUE, SAT)]
    inferred = infer_running_week(history, today=TODAY, hr=REGULAR_HR)
    assert inferred.running.run_days == {TUE, SAT}
    assert inferred.running.key_days == frozenset()
    assert inferred.running.long_run_day is None
    assert inferred.reasons[3].startswith("No key days: these runs recorded neither heart rate nor pace")


def test_a_longest_run_only_slightly_longer_is_no_long_run() -> None:
    # 11 km beside two 9 km runs: 11 < 1.3 × 9 (the week's median run)
    history = [
        run(week, day, 11_000 if day == SUN else 9_000, minutes=55)
        for week in range(8)
        for day in (TUE, THU, SUN)
    ]
    inferred = infer_running_week(history, today=TODAY)
    assert inferred.running.long_run_day is None
    assert inferred.reasons[2].startswith("No long-run day")


def test_no_runs_gives_an_empty_week_and_says_so() -> None:
    this_week = [run(8, TUE, 8_000, minutes=45)]  # the week of `today` is not looked at
    inferred = infer_running_week(this_week, today=TODAY)
    assert inferred == infer_running_week([], today=TODAY)
    assert inferred.running == RunningWeek()
    assert inferred.weeks_seen == 0
    (reason,) = inferred.reasons
    assert reason.endswith("no runs, so there is nothing to infer; enter your running week by hand.")


def test_a_long_run_that_is_often_hard_stays_the_long_run_day() -> None:
    hard_long = [run(week, SUN, 24_000, minutes=120, bpm=175) for week in range(8)]
    easy = [run(week, day, 8_000, minutes=48, bpm=130) for week in range(8) for day in (TUE, THU)]
    inferred = infer_running_week([*hard_long, *easy], today=TODAY, hr=REGULAR_HR)
    assert inferred.running.long_run_day == SUN
    assert inferred.running.key_days == frozenset()
    assert "Sunday's long run was often hard too; it stays the long-run day" in inferred.reasons[3]


# --- properties --------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(regular_histories())
def test_a_perfectly_regular_history_gives_back_its_week(history: RegularHistory) -> None:
    hr = REGULAR_HR if history.with_heart_rate else None
    inferred = infer_running_week(history.runs, today=history.today, weeks=history.weeks, hr=hr)
    assert inferred.running == history.week
    assert inferred.weeks_seen == history.weeks


@PROPERTY_SETTINGS
@given(st.lists(runs(), max_size=30), st.none() | heart_rate_profiles(), st.integers(1, 12))
def test_the_inferred_week_keeps_the_profiles_rules(
    history: list[Activity], hr: HeartRateProfile | None, weeks: int
) -> None:
    today = HISTORY_START + timedelta(days=84)
    running = infer_running_week(history, today=today, weeks=weeks, hr=hr).running
    assert running.key_days <= running.run_days
    if running.long_run_day is not None:
        assert running.long_run_day in running.run_days
        assert running.long_run_day not in running.key_days
    assert running.weekly_distance_m >= 0


@PROPERTY_SETTINGS
@given(st.lists(runs(), max_size=30), st.lists(other_activities(), min_size=1, max_size=10))
def test_other_sports_never_change_the_inferred_week(history: list[Activity], others: list[Activity]) -> None:
    today: date = HISTORY_START + timedelta(days=84)
    alone = infer_running_week(history, today=today, hr=REGULAR_HR)
    assert infer_running_week([*others, *history], today=today, hr=REGULAR_HR) == alone
