"""The running history through the services, on SQLite, PostgreSQL and the fake: the report, the
suggested running week, a plan that takes its runs from history, and a spike that cuts this week's
lower-body sets with loads kept (SCIENCE.md §6)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.ports import UnitOfWork
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.running_weeks import FlagKind
from ironmile.domain.today import DayTarget
from ironmile.services import review, running, training
from tests.services.conftest import Db

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()
INIT_DAY = date(2026, 11, 30)
TODAY = date(2026, 12, 8)  # Tuesday of the plan's first week (it starts Monday 7 Dec)
# Eight whole weeks of runs before TODAY's week: key Tuesday and Thursday, easy Saturday, long Sunday
HISTORY_WEEKS = 8
RESTING, MAXIMUM = 50, 190


def profile_text(*, with_running: bool) -> str:
    text = (ROOT / "examples" / "marathoner.toml").read_text(encoding="utf-8")
    text = text.replace('name = "Alex"', 'name = "Alex"\nresting_heart_rate = 50\nmax_heart_rate = 190')
    if not with_running:
        text = re.sub(r"\[running\].*?\n\n", "", text, flags=re.DOTALL)
    return text


def run(day: date, distance_m: float, *, hard: bool) -> Activity:
    """A run whose heart rate says how hard it was: 20 min at 88 % of reserve for a key session."""
    easy_bpm = round(RESTING + 0.6 * (MAXIMUM - RESTING))
    hard_bpm = round(RESTING + 0.88 * (MAXIMUM - RESTING))
    minutes = distance_m / 1000 * 5.5
    histogram = ((easy_bpm, (minutes - 20) * 60), (hard_bpm, 1200.0)) if hard else ((easy_bpm, minutes * 60),)
    return Activity(
        start=datetime.combine(day, time(7), UTC),
        sport=Sport.RUNNING,
        source=f"runs/{day}.fit",
        fingerprint=f"{day:%Y%m%d}".ljust(32, "0"),
        distance_m=distance_m,
        moving_s=minutes * 60,
        elapsed_s=minutes * 60 + 30,
        avg_heart_rate_bpm=easy_bpm,
        max_heart_rate_bpm=hard_bpm if hard else easy_bpm + 5,
        heart_rate_seconds=histogram,
    )


def history() -> list[Activity]:
    first_monday = TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=HISTORY_WEEKS)
    runs = []
    for week in range(HISTORY_WEEKS):
        monday = first_monday + timedelta(weeks=week)
        runs += [
            run(monday + timedelta(days=1), 10_000, hard=True),
            run(monday + timedelta(days=3), 10_000, hard=True),
            run(monday + timedelta(days=5), 8_000, hard=False),
            run(monday + timedelta(days=6), 18_000, hard=False),
        ]
    ride = Activity(
        start=datetime.combine(first_monday + timedelta(days=2), time(18), UTC),
        sport=Sport.CYCLING,
        source="ride.gpx",
        fingerprint="r" * 32,
        distance_m=60_000,
        moving_s=7200,
    )
    return [*runs, ride]


def store(uow: UnitOfWork, activities: list[Activity], *, with_running: bool = False) -> int:
    training.init_athlete(
        uow,
        profile_text=profile_text(with_running=with_running),
        source="p.toml",
        today=INIT_DAY,
        catalogue=CATALOGUE,
    )
    with uow:
        athlete = training.current_athlete(uow)
        uow.activities.add_many(athlete.id, [(a, None) for a in activities], imported_on=INIT_DAY)
        uow.commit()
    return athlete.id


def test_suggestion_reads_the_running_week_from_the_last_eight_weeks(db: Db) -> None:
    store(db.uow, history())
    suggestion = running.suggest_running_week(db.uow, today=TODAY, catalogue=CATALOGUE)
    week = suggestion.inferred.running
    assert sorted(week.run_days) == [1, 3, 5, 6]
    assert sorted(week.key_days) == [1, 3]
    assert week.long_run_day == 6
    assert week.weekly_distance_m == 46_000
    assert suggestion.inferred.weeks_seen == HISTORY_WEEKS
    assert suggestion.inferred.reasons


def test_a_profile_without_a_running_week_plans_around_the_runs_in_history(db: Db) -> None:
    store(db.uow, history())
    result = review.replan(db.uow, today=TODAY, catalogue=CATALOGUE)
    assert result.running_from_history is not None
    week = result.plan.weeks[1]  # the first whole week after TODAY
    kinds = {run.date.weekday(): run.kind for run in week.runs}
    assert kinds == {1: "key", 3: "key", 5: "easy", 6: "long"}
    for session in week.sessions:
        if session.heavy_lower:  # never heavy legs the day before the long run (SCIENCE.md §3)
            assert session.date.weekday() != 5


def test_a_written_running_week_wins_over_history(db: Db) -> None:
    store(db.uow, history(), with_running=True)
    result = review.replan(db.uow, today=TODAY, catalogue=CATALOGUE)
    assert result.running_from_history is None
    kinds = {run.date.weekday(): run.kind for run in result.plan.weeks[1].runs}
    assert kinds == {1: "key", 2: "easy", 3: "key", 5: "easy", 6: "long"}  # the profile's own week


def test_report_sums_each_week_and_ignores_other_sports(db: Db) -> None:
    store(db.uow, history())
    report = running.running_report(db.uow, today=TODAY, weeks=HISTORY_WEEKS + 1, catalogue=CATALOGUE)
    assert [w.distance_m for w in report.weeks] == [46_000.0] * HISTORY_WEEKS + [0.0]
    assert [w.runs for w in report.weeks] == [4] * HISTORY_WEEKS + [0]
    assert all(w.long_run_m == 18_000 for w in report.weeks[:-1])
    assert report.other_activities == 1
    assert report.heart_rate is not None
    assert not report.heart_rate.estimated
    assert report.days[-1].day == TODAY
    assert report.days[-1].acwr.ratio is not None  # eight weeks of history behind it


def test_a_spike_this_week_cuts_lower_body_sets_with_loads_kept(db: Db) -> None:
    athlete = store(db.uow, history())
    with db.uow as uow:
        plan = training.plan_on(uow, training.current_athlete(uow), TODAY, CATALOGUE)
    session_day = next(
        s.date for w in plan.weeks[1:] for s in w.sessions if s.heavy_lower and s.date.weekday()
    )
    before = training.show_day(db.uow, day=session_day, catalogue=CATALOGUE)
    spike_day = session_day - timedelta(days=session_day.weekday())  # the Monday of that week
    with db.uow as uow:
        uow.activities.add_many(athlete, [(run(spike_day, 28_000, hard=False), None)], imported_on=TODAY)
        uow.commit()
    after = training.show_day(db.uow, day=session_day, catalogue=CATALOGUE)
    assert before.running_note is None
    assert after.running_note is not None
    assert "spike" in after.running_note.lower()
    report = running.running_report(db.uow, today=session_day, weeks=1, catalogue=CATALOGUE)
    assert [flag.kind for flag in report.weeks[0].flags].count(FlagKind.SPIKE) == 1

    def cuttable(target: DayTarget) -> bool:
        return target.exercise.region == "lower" and target.role.value not in ("warmup", "isometric")

    lower_before = sum(t.sets for t in before.targets if cuttable(t))
    lower_after = sum(t.sets for t in after.targets if cuttable(t))
    assert lower_after == lower_before - round(lower_before * 0.3)  # ~30 % of the session's leg sets
    for old, new in zip(before.targets, after.targets, strict=True):
        assert new.load == old.load
        assert new.sets >= 1
        if not cuttable(old):
            assert new.sets == old.sets
        elif new.sets < old.sets:
            assert "running spike this week" in new.why
