"""Placement by the rules of SCIENCE.md §4: hard days hard, with a reason for every day."""

from __future__ import annotations

from datetime import date, timedelta

from ironmile.domain.athlete import Race, RacePriority, RunningWeek
from ironmile.domain.scheduler import Context, RunCalendar, explain_day, place_week, violations

MONDAY = date(2026, 12, 7)
WEEK = [MONDAY + timedelta(days=offset) for offset in range(7)]
MON, TUE, WED, THU, FRI, SAT, SUN = WEEK
RUNNER = RunningWeek(run_days=frozenset({1, 2, 3, 5, 6}), key_days=frozenset({1, 3}), long_run_day=6)
ALL_DAYS = frozenset(range(7))


def context(
    races: tuple[Race, ...] = (), available: frozenset[int] = ALL_DAYS, **kwargs: tuple[date, ...]
) -> Context:
    return Context(RunCalendar(RUNNER, races), available, **kwargs)


def test_run_calendar_kinds() -> None:
    calendar = RunCalendar(RUNNER, (Race(SAT, 10_000, RacePriority.B, "Club 10K"),))
    assert [calendar.run_kind(day) for day in WEEK] == [None, "key", "easy", "key", None, "race", "long"]


def test_two_heavy_sessions_go_after_the_key_runs() -> None:
    placements, unplaced = place_week(WEEK, context(), heavy=2, light=0)
    assert [p.date for p in placements] == [TUE, THU]
    assert unplaced == 0
    assert placements[0].why.startswith("Tuesday: after your key run")


def test_never_the_day_before_a_key_or_long_run_or_on_the_long_run() -> None:
    ctx = context()
    assert "the day before your key session (Tuesday)" in violations(MON, ctx, heavy=True)
    assert "the day before your key session (Thursday)" in violations(WED, ctx, heavy=True)
    assert "the day before your long run (Sunday)" in violations(SAT, ctx, heavy=True)
    assert "your long run is on this day" in violations(SUN, ctx, heavy=True)
    assert violations(SUN, ctx, heavy=False) == []  # upper body and core may go on any day


def test_48_hours_between_heavy_sessions_across_weeks() -> None:
    ctx = context(heavy_dates=(MONDAY - timedelta(days=1),))
    assert any("48 h" in reason for reason in violations(MON, ctx, heavy=True))
    assert not any("48 h" in reason for reason in violations(TUE, ctx, heavy=True))


def test_race_day_and_eve_take_no_session_and_a_races_clear_heavy_legs_for_a_week() -> None:
    a_race = Race(SUN + timedelta(days=3), 42_195, RacePriority.A, "Marathon")
    ctx = context((a_race,))
    assert any("A race" in reason for reason in violations(THU, ctx, heavy=True))
    assert not any("A race" in reason for reason in violations(THU - timedelta(days=3), ctx, heavy=True))
    b_race = Race(FRI, 10_000, RacePriority.B, "Club 10K")
    ctx = context((b_race,))
    assert any("B race" in reason for reason in violations(WED, ctx, heavy=True))
    assert "the day before your race (Club 10K)" in violations(THU, ctx, heavy=False)
    assert "race day (Club 10K)" in violations(FRI, ctx, heavy=False)


def test_explain_day_gives_the_reason_either_way() -> None:
    ctx = context()
    verdict = explain_day(MON, ctx, heavy=True)
    assert not verdict.legal
    assert verdict.reasons == ("the day before your key session (Tuesday)",)
    verdict = explain_day(FRI, ctx, heavy=True)
    assert verdict.legal
    assert verdict.reasons[0].startswith("Friday: no run today")


def test_unavailable_days_are_never_used_and_shortfall_is_reported() -> None:
    ctx = context(available=frozenset({5}))  # Saturday only: the day before the long run
    placements, unplaced = place_week(WEEK, ctx, heavy=2, light=0)
    assert placements == []
    assert unplaced == 2
    light, _ = place_week(WEEK, ctx, heavy=0, light=1)
    assert [p.date for p in light] == [SAT]
    assert not light[0].heavy


def test_maintenance_keeps_sessions_within_ten_days() -> None:
    ctx = context(heavy_dates=(MONDAY - timedelta(days=6),))  # last Tuesday
    placements, _ = place_week(WEEK, ctx, heavy=1, light=0, maintenance=True)
    assert (placements[0].date - (MONDAY - timedelta(days=6))).days <= 10
