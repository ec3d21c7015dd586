"""Progress over the last weeks: strength, body mass, running load, balance and adherence.

Everything is read in one unit of work, so the charts on one page show the same moment of the
log; the numbers come from the same domain functions as the review (`domain.report.build_report`,
with `services.review.report_inputs`, as `services.review.build_athlete_report` calls it) and the
running report (`domain.running_report.build_running_report`, as `services.running.running_report`
calls it). A day's running load (`running_load`) is the one the coach's pages show too.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.plan_snapshot import read_plan
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.activity import Activity
from ironmile.domain.athlete import Profile
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.progression import session_e1rm
from ironmile.domain.report import AdherenceWeek, Report, build_report, weekly_adherence
from ironmile.domain.running_load import heart_rate_profile
from ironmile.domain.running_report import LoadDay, RunningReport, build_running_report, load_days
from ironmile.domain.running_weeks import monday_of
from ironmile.domain.training import BodyMass, LoggedSession
from ironmile.domain.units import UnitSystem
from ironmile.render.progress_charts import (
    Period,
    Spec,
    acwr_chart,
    adherence_chart,
    balance_chart,
    body_mass_chart,
    e1rm_chart,
    fitness_chart,
    relative_strength_chart,
    weekly_distance_chart,
)
from ironmile.services.review import report_inputs
from ironmile.services.running import athlete_heart_rate
from ironmile.services.training import current_athlete, version_on

DEFAULT_WEEKS = 12
MIN_WEEKS, MAX_WEEKS = 4, 104  # a month (the ACWR's chronic window) to two seasons


@dataclass(frozen=True, slots=True)
class RunningWeek:
    """One ISO week of running, with the load model read on the week's last day shown (its Sunday,
    or today in the current week)."""

    week_start: date  # the Monday
    distance_m: float
    runs: int
    ctl: float  # AU per day, chronic training load ("fitness")
    atl: float  # AU per day, acute training load ("fatigue")
    acwr: float | None  # acute ÷ chronic (EWMA); None before 28 days of history


@dataclass(frozen=True, slots=True)
class LiftSets:
    """The main-lift sets logged in a period, by whether they estimate a 1RM, so an empty e1RM
    chart can say why. The rule is `progression.session_e1rm`'s: a loaded set with reps + RIR of
    at most MAX_E1RM_REPS (a set without RIR counts as RIR 0), outside deload weeks."""

    logged: int
    estimating: int
    in_deload: int  # in deload weeks: left out of the trend on purpose
    unloaded: int  # without a load (or without reps): nothing to estimate from
    too_many_reps: int  # reps + RIR above MAX_E1RM_REPS, e.g. 8 reps at RIR 3
    example: tuple[int, int] | None = None  # (reps, RIR) of one such set, to show the rule with


def lift_sets(
    sessions: Sequence[LoggedSession], *, lift_ids: Collection[str], deload_dates: Collection[date]
) -> LiftSets:
    """Count the main-lift sets of `sessions` (already cut to the period) by `LiftSets`' rule."""
    counts = {"estimating": 0, "in_deload": 0, "unloaded": 0, "too_many_reps": 0}
    example: tuple[int, int] | None = None
    for session in sessions:
        for done in session.sets:
            if done.exercise_id not in lift_ids:
                continue
            if session.date in deload_dates:
                counts["in_deload"] += 1
            elif session_e1rm([done]) is not None:
                counts["estimating"] += 1
            elif done.load_kg is None or done.load_kg <= 0 or done.reps is None or done.reps < 1:
                counts["unloaded"] += 1
            else:  # loaded, with reps: only reps + RIR above the limit stops an estimate
                counts["too_many_reps"] += 1
                example = example or (done.reps, done.rir or 0)
    return LiftSets(logged=sum(counts.values()), example=example, **counts)


# The models start at the first run of the last year: with CTL's 42-day time constant, a run a year
# back weighs e^(-365/42) < 0.02 % today, and a coach's squad page reads one year per athlete, not
# a decade.
LOAD_HISTORY = timedelta(days=365)


def running_load(activities: Sequence[Activity], profile: Profile | None, *, day: date) -> LoadDay | None:
    """The running load on `day`: the day's load, CTL and ATL (AU per day) and the ACWR.

    `activities` must hold every activity of the `LOAD_HISTORY` up to `day` (more is ignored): the
    models start at the first run of that year (`running_report.load_days`), and the heart-rate
    profile fills the athlete's gaps from it, so the progress page, for any number of weeks, and
    the coach's pages show the same numbers. None without any run.
    """
    recent = [a for a in activities if day - LOAD_HISTORY < a.start.date() <= day]
    if not any(a.is_run for a in recent):
        return None
    hr = (
        athlete_heart_rate(profile, recent)
        if profile is not None
        else heart_rate_profile(resting_bpm=None, max_bpm=None, sex=None, activities=recent)
    )
    return load_days(recent, first=day, last=day, hr=hr)[-1]


@dataclass(frozen=True, slots=True)
class Progress:
    """The numbers behind the progress charts for `weeks` ISO weeks up to `as_of`."""

    as_of: date
    weeks: int
    period: Period  # the Monday `weeks - 1` weeks before as_of's week, to as_of
    units: UnitSystem  # the profile's, for display
    names: Mapping[str, str]  # main-lift exercise id → its name in the catalogue
    report: Report  # lifts, weekly balance, adherence and the body-mass trend within the period
    lift_sets: LiftSets  # the main-lift sets within the period, by whether they estimate a 1RM
    weigh_ins: tuple[BodyMass, ...]  # kg, within the period
    running: RunningReport
    running_weeks: tuple[RunningWeek, ...]
    load_today: LoadDay | None  # `running_load` on as_of; None without any run
    adherence_weeks: tuple[AdherenceWeek, ...]
    posterior_target: float  # weekly posterior ÷ anterior sets the plan in force aims for


def _running_weeks(running: RunningReport) -> tuple[RunningWeek, ...]:
    by_day: dict[date, LoadDay] = {day.day: day for day in running.days}
    result = []
    for week in running.weeks:
        last = by_day[min(week.week_start + timedelta(days=6), running.as_of)]
        result.append(
            RunningWeek(
                week.week_start,
                week.distance_m,
                week.runs,
                last.fitness.ctl,
                last.fitness.atl,
                last.acwr.ratio,
            )
        )
    return tuple(result)


def show_progress(
    uow: UnitOfWork,
    *,
    today: date,
    catalogue: Catalogue,
    weeks: int = DEFAULT_WEEKS,
    athlete_id: int | None = None,
) -> Progress:
    """Strength, body mass, running load, balance and adherence for the last `weeks` ISO weeks up
    to `today` (the current week so far included)."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise InputError(f"weeks: {weeks} is out of range; expected {MIN_WEEKS} to {MAX_WEEKS}")
    start = monday_of(today) - timedelta(weeks=weeks - 1)
    with uow:
        athlete = current_athlete(uow, athlete_id)
        version = version_on(uow, athlete.id, today)
        sessions = [stored.session for stored in uow.log.between(athlete.id, end=today)]
        body_mass = uow.body_mass.between(athlete.id, end=today)  # earlier weigh-ins feed the average
        activities = uow.activities.between(athlete.id, end=today)  # every run: the load models need them
    plan = read_plan(version.document, catalogue)
    profile = parse_profile(athlete.profile_toml, source="stored profile", today=today, catalogue=catalogue)
    # The same inputs as services.review.build_athlete_report, over the period only.
    inputs = report_inputs(plan, today=today)
    report = build_report(
        sessions=sessions,
        body_mass=body_mass,
        planned_dates=inputs.planned_dates,
        catalogue=catalogue,
        lift_ids=inputs.lift_ids,
        today=today,
        start=start,
        deload_dates=inputs.deload_dates,
    )
    running = build_running_report(
        activities,
        today=today,
        weeks=weeks,
        hr=athlete_heart_rate(profile, activities),
        units=profile.athlete.units,
    )
    return Progress(
        as_of=today,
        weeks=weeks,
        period=Period(start, today),
        units=profile.athlete.units,
        names={lift_id: catalogue.get(lift_id).name for lift_id in inputs.lift_ids},
        report=report,
        lift_sets=lift_sets(
            [s for s in sessions if s.date >= start],
            lift_ids=inputs.lift_ids,
            deload_dates=inputs.deload_dates,
        ),
        weigh_ins=tuple(entry for entry in body_mass if entry.date >= start),
        running=running,
        running_weeks=_running_weeks(running),
        load_today=running_load(activities, profile, day=today),
        adherence_weeks=weekly_adherence(
            [day for day in inputs.planned_dates if day >= start], report.adherence.missed
        ),
        # A stored plan document always holds its target (plan.schema.json requires it); StoredPlan
        # does not carry it, so it is read from the document here.
        posterior_target=float(json.loads(version.document)["posterior_target"]),
    )


def progress_charts(progress: Progress) -> dict[str, Spec | None]:
    """Every progress chart by name, None where there is nothing to draw yet."""
    period, units, report = progress.period, progress.units, progress.report
    days = progress.running.days
    return {
        "e1rm": e1rm_chart(report.lifts, progress.names, units=units, period=period),
        "relative_strength": relative_strength_chart(report.lifts, progress.names, period=period),
        "body_mass": body_mass_chart(progress.weigh_ins, report.body_mass_trend, units=units, period=period),
        "weekly_distance": weekly_distance_chart(progress.running.weeks, units=units, period=period),
        "fitness": fitness_chart(days, period=period),
        "acwr": acwr_chart(days, period=period),
        "balance": balance_chart(report.balance, target=progress.posterior_target, period=period),
        "adherence": adherence_chart(
            [(week.week_start, week.planned, week.done) for week in progress.adherence_weeks], period=period
        ),
    }
