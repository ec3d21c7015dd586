"""The progress service on SQLite, PostgreSQL and the fake: the numbers behind the progress charts
are the review's and the running report's, over the chosen weeks, read in one unit of work."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.report import AdherenceWeek, weekly_adherence
from ironmile.domain.training import ScreenResultRecord
from ironmile.services import review, running, training
from ironmile.services.progress import LiftSets, progress_charts, running_load, show_progress
from tests.conftest import EXAMPLES_DIR
from tests.fakes import FakeUnitOfWork
from tests.services.conftest import Db

INIT_DAY = date(2026, 11, 30)  # the marathoner's plan starts on Monday 7 December
TODAY = date(2027, 1, 16)  # Saturday of plan week 6; week 4 (from 28 December) is a deload
SQUAT_DAYS = (date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22), date(2027, 1, 12))  # Tuesdays
DEADLIFT_DAYS = (date(2026, 12, 10), date(2026, 12, 17))  # Thursdays; the rest are missed
DELOAD_DAY = date(2026, 12, 29)


def init(uow: UnitOfWork, catalogue: Catalogue) -> int:
    text = (EXAMPLES_DIR / "marathoner.toml").read_text(encoding="utf-8")
    training.init_athlete(
        uow, profile_text=text, source="marathoner.toml", today=INIT_DAY, catalogue=catalogue
    )
    with uow:
        return training.current_athlete(uow).id


def run(day: date, distance_m: float) -> Activity:
    return Activity(
        start=datetime.combine(day, time(7), UTC),
        sport=Sport.RUNNING,
        source=f"runs/{day}.fit",
        fingerprint=f"{day:%Y%m%d}".ljust(32, "0"),
        distance_m=distance_m,
        moving_s=distance_m * 0.33,
    )


def seed(uow: UnitOfWork, catalogue: Catalogue) -> int:
    """Back squats rising 5 kg a session with front squats (anterior), deadlifts with hip thrusts
    (posterior), a light deload-week squat, a weigh-in every 4 days and three runs a week."""
    athlete = init(uow, catalogue)

    def lift(day: date, exercise_id: str, notation: str) -> None:
        training.log_sets(
            uow, day=day, catalogue=catalogue, exercise_id=exercise_id, notation=notation, athlete_id=athlete
        )

    for index, day in enumerate(SQUAT_DAYS):
        lift(day, "back_squat", f"{100 + 5 * index}x5x3")
        lift(day, "front_squat", "60x5x2")
    for day in DEADLIFT_DAYS:
        lift(day, "deadlift", "120x3x3")
        lift(day, "hip_thrust", "100x8x3")
    lift(DELOAD_DAY, "back_squat", "60x5x2")
    for step in range(12):
        day = date(2026, 12, 1) + timedelta(days=4 * step)
        review.record_body(uow, day=day, catalogue=catalogue, body_mass=68.0 + 0.1 * step, athlete_id=athlete)
    runs = [
        run(day, 16_000 if day.weekday() == 6 else 10_000)
        for offset in range(70)
        if (day := date(2026, 11, 9) + timedelta(days=offset)).weekday() in (1, 3, 6) and day <= TODAY
    ]
    with uow:
        uow.activities.add_many(athlete, [(activity, None) for activity in runs], imported_on=INIT_DAY)
        uow.commit()
    return athlete


def test_a_new_athlete_has_nothing_to_chart(db: Db, catalogue: Catalogue) -> None:
    athlete = init(db.uow, catalogue)
    progress = show_progress(db.uow, today=INIT_DAY, catalogue=catalogue, athlete_id=athlete)
    assert progress.period.start == date(2026, 9, 14)  # the Monday 11 weeks before INIT_DAY's week
    assert [lift.exercise_id for lift in progress.report.lifts] == ["back_squat", "deadlift"]
    assert all(not lift.points for lift in progress.report.lifts)
    assert progress.weigh_ins == ()
    assert len(progress.running_weeks) == 12
    assert all(week.runs == 0 and week.acwr is None for week in progress.running_weeks)
    assert progress.adherence_weeks == ()  # the plan starts after today
    assert progress_charts(progress) == dict.fromkeys(
        (
            "e1rm",
            "relative_strength",
            "body_mass",
            "weekly_distance",
            "fitness",
            "acwr",
            "balance",
            "adherence",
        )
    )


def test_the_numbers_are_the_review_and_the_running_report(db: Db, catalogue: Catalogue) -> None:
    athlete = seed(db.uow, catalogue)
    progress = show_progress(db.uow, today=TODAY, catalogue=catalogue, athlete_id=athlete)
    # Everything lies inside the 12 weeks, so the review over all time gives the same series.
    whole = review.build_athlete_report(db.uow, today=TODAY, catalogue=catalogue, athlete_id=athlete)
    assert progress.report.lifts == whole.lifts
    assert progress.report.balance == whole.balance
    assert progress.report.adherence == whole.adherence
    assert progress.report.body_mass_trend == whole.body_mass_trend
    assert progress.running == running.running_report(
        db.uow, today=TODAY, weeks=12, catalogue=catalogue, athlete_id=athlete
    )
    squat = progress.report.lifts[0]
    # SCIENCE.md §5 oracle, Epley: 100 kg × 5 → 116.67; the deload-week squat is left out.
    assert [(p.date, round(p.e1rm_kg, 2)) for p in squat.points] == [
        (SQUAT_DAYS[0], 116.67),
        (SQUAT_DAYS[1], 122.5),
        (SQUAT_DAYS[2], 128.33),
        (SQUAT_DAYS[3], 134.17),
    ]
    assert progress.names == {"back_squat": "Low-bar back squat", "deadlift": "Deadlift"}
    assert len(progress.weigh_ins) == 12
    assert progress.posterior_target == 1.5  # no screen flag (SCIENCE.md §8)


def test_fewer_weeks_show_only_their_part(db: Db, catalogue: Catalogue) -> None:
    athlete = seed(db.uow, catalogue)
    progress = show_progress(db.uow, today=TODAY, weeks=4, catalogue=catalogue, athlete_id=athlete)
    start = date(2026, 12, 21)
    assert progress.period.start == start
    assert [p.date for p in progress.report.lifts[0].points] == [SQUAT_DAYS[2], SQUAT_DAYS[3]]
    assert progress.report.lifts[1].points == ()  # the deadlifts were before the period
    assert all(entry.date >= start for entry in progress.weigh_ins)
    assert [week.week_start for week in progress.running_weeks] == [
        start + timedelta(weeks=k) for k in range(4)
    ]
    assert [week.week_start for week in progress.adherence_weeks] == [
        start + timedelta(weeks=k) for k in range(4)
    ]


def test_weekly_adherence_adds_up_to_the_review(catalogue: Catalogue) -> None:
    uow = FakeUnitOfWork()
    athlete = seed(uow, catalogue)
    progress = show_progress(uow, today=TODAY, catalogue=catalogue, athlete_id=athlete)
    adherence = progress.report.adherence
    assert sum(week.planned for week in progress.adherence_weeks) == adherence.planned == 12  # 2 a week
    assert sum(week.done for week in progress.adherence_weeks) == adherence.done
    # Week 1 and 2: both done; week 3: the Tuesday only; week 4: the deload Tuesday; week 5: none.
    assert [week.done for week in progress.adherence_weeks] == [2, 2, 1, 1, 0, 1]


def test_weekly_adherence_counts_each_planned_day_in_its_week() -> None:
    planned = [date(2026, 12, 8), date(2026, 12, 10), date(2026, 12, 15)]
    assert weekly_adherence(planned, [date(2026, 12, 10)]) == (
        AdherenceWeek(date(2026, 12, 7), 2, 1),
        AdherenceWeek(date(2026, 12, 14), 1, 1),
    )


def test_running_weeks_read_the_load_on_each_weeks_last_day(catalogue: Catalogue) -> None:
    uow = FakeUnitOfWork()
    athlete = seed(uow, catalogue)
    progress = show_progress(uow, today=TODAY, catalogue=catalogue, athlete_id=athlete)
    days = {day.day: day for day in progress.running.days}
    for week in progress.running_weeks[:-1]:
        sunday = days[week.week_start + timedelta(days=6)]
        assert (week.ctl, week.atl, week.acwr) == (sunday.fitness.ctl, sunday.fitness.atl, sunday.acwr.ratio)
    assert progress.running_weeks[-1].ctl == days[TODAY].fitness.ctl  # the current week: today
    assert [week.distance_m for week in progress.running_weeks[-3:]] == [36_000, 36_000, 20_000]


def test_the_target_is_the_plan_in_force(catalogue: Catalogue) -> None:
    uow = FakeUnitOfWork()
    athlete = init(uow, catalogue)
    flagged = ScreenResultRecord(date(2026, 12, 1), 18, 24, "quads")
    review.record_screen(
        uow, record=flagged, today=date(2026, 12, 1), catalogue=catalogue, athlete_id=athlete
    )
    progress = show_progress(uow, today=date(2026, 12, 2), catalogue=catalogue, athlete_id=athlete)
    assert progress.posterior_target == 2.0  # SCIENCE.md §8: a flagged screen sets 2.0


@pytest.mark.parametrize("weeks", [3, 105])
def test_weeks_outside_4_to_104_are_refused(weeks: int, catalogue: Catalogue) -> None:
    uow = FakeUnitOfWork()
    athlete = init(uow, catalogue)
    with pytest.raises(InputError, match=r"weeks: 1?0?[35] is out of range; expected 4 to 104"):
        show_progress(uow, today=TODAY, weeks=weeks, catalogue=catalogue, athlete_id=athlete)


class CountingUnitOfWork(FakeUnitOfWork):
    """The fake, counting its transactions."""

    opened = 0

    def __enter__(self) -> CountingUnitOfWork:
        self.opened += 1
        super().__enter__()
        return self


def test_everything_is_read_in_one_unit_of_work(catalogue: Catalogue) -> None:
    uow = CountingUnitOfWork()
    athlete = seed(uow, catalogue)
    before = uow.opened
    show_progress(uow, today=TODAY, catalogue=catalogue, athlete_id=athlete)
    assert uow.opened - before == 1


def test_todays_load_counts_from_the_first_run_whatever_the_weeks_shown(catalogue: Catalogue) -> None:
    """The runs start on Tuesday 10 November. Three weeks later the ACWR has no value for any window:
    a 12-week window starting in September must not count those empty weeks as running history."""
    uow = FakeUnitOfWork()
    athlete = seed(uow, catalogue)
    early = date(2026, 11, 30)  # 20 days after the first run
    for day, has_ratio in ((early, False), (TODAY, True)):
        shown = [
            show_progress(uow, today=day, weeks=weeks, catalogue=catalogue, athlete_id=athlete)
            for weeks in (4, 12, 52)
        ]
        loads = {progress.load_today for progress in shown}
        assert len(loads) == 1
        [load] = loads
        assert load is not None
        assert load == shown[1].running.days[-1]  # the chart's last day is the same number
        assert (load.acwr.ratio is not None) is has_ratio
        assert all(day.acwr.ratio is None for day in shown[1].running.days if day.day < date(2026, 12, 7))
    with uow:
        history = uow.activities.between(athlete, end=TODAY)
    assert running_load(history, None, day=date(2026, 11, 9)) is None  # the day before the first run
    assert running_load([], None, day=TODAY) is None


def test_main_lift_sets_are_counted_by_why_they_estimate_no_1rm(catalogue: Catalogue) -> None:
    """progression.session_e1rm's rule: a loaded set with reps + RIR of at most 10, outside deloads."""
    uow = FakeUnitOfWork()
    athlete = init(uow, catalogue)
    for day, exercise_id, notation in (
        (SQUAT_DAYS[0], "back_squat", "60x8x3@4"),  # 8 + 4 = 12: too far from a 1RM
        (SQUAT_DAYS[0], "front_squat", "50x8x3@4"),  # not a main lift: not counted
        (DEADLIFT_DAYS[0], "deadlift", "x8@2"),  # no load
        (DELOAD_DAY, "back_squat", "60x5x2@3"),  # a deload week: left out of the trend
    ):
        training.log_sets(
            uow, day=day, catalogue=catalogue, exercise_id=exercise_id, notation=notation, athlete_id=athlete
        )
    progress = show_progress(uow, today=TODAY, catalogue=catalogue, athlete_id=athlete)
    assert progress.lift_sets == LiftSets(
        logged=6, estimating=0, in_deload=2, unloaded=1, too_many_reps=3, example=(8, 4)
    )
    assert progress_charts(progress)["e1rm"] is None
    training.log_sets(
        uow,
        day=SQUAT_DAYS[1],
        catalogue=catalogue,
        exercise_id="back_squat",
        notation="80x5@3",
        athlete_id=athlete,
    )
    again = show_progress(uow, today=TODAY, catalogue=catalogue, athlete_id=athlete)
    assert (again.lift_sets.logged, again.lift_sets.estimating) == (7, 1)  # 5 + 3 = 8: it estimates
    assert progress_charts(again)["e1rm"] is not None
