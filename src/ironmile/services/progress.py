"""Progress over the last weeks: strength, body mass, running load, balance and adherence.

Everything is read in one unit of work, so the charts on one page show the same moment of the
log; the numbers come from the same domain functions as the review (`domain.report.build_report`,
as `services.review.build_athlete_report` calls it) and the running report
(`domain.running_report.build_running_report`, as `services.running.running_report` calls it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.plan_snapshot import read_plan
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.report import AdherenceWeek, Report, build_report, weekly_adherence
from ironmile.domain.running_report import LoadDay, RunningReport, build_running_report
from ironmile.domain.running_weeks import monday_of
from ironmile.domain.training import BodyMass
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
from ironmile.services.running import athlete_heart_rate
from ironmile.services.training import current_athlete

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
class Progress:
    """The numbers behind the progress charts for `weeks` ISO weeks up to `as_of`."""

    as_of: date
    weeks: int
    period: Period  # the Monday `weeks - 1` weeks before as_of's week, to as_of
    units: UnitSystem  # the profile's, for display
    names: Mapping[str, str]  # main-lift exercise id → its name in the catalogue
    report: Report  # lifts, weekly balance, adherence and the body-mass trend within the period
    weigh_ins: tuple[BodyMass, ...]  # kg, within the period
    running: RunningReport
    running_weeks: tuple[RunningWeek, ...]
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
        # The plan in force today, else the first version (today is before the plan starts).
        version = uow.plans.in_force(athlete.id, today) or uow.plans.versions(athlete.id)[0]
        sessions = [stored.session for stored in uow.log.between(athlete.id, end=today)]
        body_mass = uow.body_mass.between(athlete.id, end=today)  # earlier weigh-ins feed the average
        activities = uow.activities.between(athlete.id, end=today)  # earlier runs feed the load model
    plan = read_plan(version.document, catalogue)
    profile = parse_profile(athlete.profile_toml, source="stored profile", today=today, catalogue=catalogue)
    # The same inputs as services.review.build_athlete_report, over the period only.
    planned = [s.date for w in plan.weeks for s in w.sessions if s.date < today]
    deloads = {s.date for w in plan.weeks if w.deload for s in w.sessions}
    mains = sorted(
        {i.exercise.id for w in plan.weeks for s in w.sessions for i in s.exercises if i.role.value == "main"}
    )
    report = build_report(
        sessions=sessions,
        body_mass=body_mass,
        planned_dates=planned,
        catalogue=catalogue,
        lift_ids=mains,
        today=today,
        start=start,
        deload_dates=deloads,
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
        names={lift_id: catalogue.get(lift_id).name for lift_id in mains},
        report=report,
        weigh_ins=tuple(entry for entry in body_mass if entry.date >= start),
        running=running,
        running_weeks=_running_weeks(running),
        adherence_weeks=weekly_adherence([day for day in planned if day >= start], report.adherence.missed),
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
