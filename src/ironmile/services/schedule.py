"""The plan as a schedule: the season, a week's calendar, and moving a session to another day.

Each function is one unit of work. A move never edits a stored plan: it adds a new version, in
force from today, so every day before today reads exactly as it did (the training log's rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.db.records import PlanVersion, StoredAthlete
from ironmile.adapters.plan_snapshot import read_full_plan
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import FieldProblem, NotFoundError, ProfileError
from ironmile.domain.phases import Phase
from ironmile.domain.plan import Plan, PlannedRun, Session
from ironmile.domain.running_weeks import monday_of
from ironmile.domain.session_move import (
    MoveVerdict,
    check_request,
    judge_move,
    move_context,
    moved_plan,
    week_holding,
)
from ironmile.domain.units import UnitSystem
from ironmile.render.plan_json import plan_json
from ironmile.services.running import with_history
from ironmile.services.training import current_athlete

DAYS_IN_WEEK = 7
# The calendar's range: far wider than any plan, and far enough from date.min/max that a week and
# its neighbours always exist.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)


def checked_day(day: date, *, field: str) -> date:
    """`day` when the calendar can show it, else ProfileError naming `field`."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ProfileError(
            [
                FieldProblem(
                    field, f"{day} is out of range; expected a date from {EARLIEST_DAY} to {LATEST_DAY}"
                )
            ]
        )
    return day


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One day of the calendar: the runs and the strength session the plan in force that day holds.

    `phase`, `week_index` and `deload` are None/False on days outside the plan."""

    date: date
    phase: Phase | None
    week_index: int | None
    deload: bool
    runs: tuple[PlannedRun, ...]
    session: Session | None
    logged: bool  # a session is in the training log for this day
    movable: bool  # the session may be offered for a move (today or later, not yet logged)


@dataclass(frozen=True, slots=True)
class WeekCalendar:
    """Monday to Sunday around a day; loads in `units` (the plan's)."""

    monday: date
    today: date
    units: UnitSystem
    days: tuple[CalendarDay, ...]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=DAYS_IN_WEEK)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=DAYS_IN_WEEK)

    @property
    def movable(self) -> tuple[CalendarDay, ...]:
        return tuple(day for day in self.days if day.movable)

    @property
    def open_days(self) -> tuple[date, ...]:
        """The days a session could move to: today or later."""
        return tuple(day.date for day in self.days if day.date >= self.today)


@dataclass(frozen=True, slots=True)
class Moved:
    verdict: MoveVerdict
    version_id: int
    effective_from: date


def _version_on(uow: UnitOfWork, athlete: StoredAthlete, day: date) -> PlanVersion:
    """The version in force on `day`; before the first version, the first (as `plan_on` reads it)."""
    version = uow.plans.in_force(athlete.id, day)
    if version is None:
        versions = uow.plans.versions(athlete.id)
        if not versions:
            raise NotFoundError("no plan is stored for this athlete yet")
        version = versions[0]
    return version


def plan_document(uow: UnitOfWork, *, today: date, athlete_id: int | None = None) -> str:
    """The `ironmile.plan/1` document in force today, exactly as stored."""
    with uow:
        return _version_on(uow, current_athlete(uow, athlete_id), today).document


def season(uow: UnitOfWork, *, today: date, catalogue: Catalogue, athlete_id: int | None = None) -> Plan:
    """The whole plan in force today: its phases, races and sessions."""
    return read_full_plan(plan_document(uow, today=today, athlete_id=athlete_id), catalogue)


def week_calendar(
    uow: UnitOfWork, *, day: date, today: date, catalogue: Catalogue, athlete_id: int | None = None
) -> WeekCalendar:
    """Monday to Sunday around `day`, each day read from the plan version in force on it."""
    monday = monday_of(checked_day(day, field="date"))
    dates = [monday + timedelta(days=offset) for offset in range(DAYS_IN_WEEK)]
    with uow:
        athlete = current_athlete(uow, athlete_id)
        versions = [_version_on(uow, athlete, d) for d in dates]
        logged = {s.session.date for s in uow.log.between(athlete.id, start=monday, end=dates[-1])}
    plans: dict[int, Plan] = {}
    for version in versions:
        if version.id not in plans:
            plans[version.id] = read_full_plan(version.document, catalogue)
    days = []
    for d, version in zip(dates, versions, strict=True):
        week = week_holding(plans[version.id], d)
        session = next((s for s in week.sessions if s.date == d), None) if week else None
        days.append(
            CalendarDay(
                date=d,
                phase=week.frame.phase if week else None,
                week_index=week.frame.index if week else None,
                deload=bool(week and week.frame.deload),
                runs=tuple(run for run in week.runs if run.date == d) if week else (),
                session=session,
                logged=d in logged,
                movable=session is not None and d >= today and d not in logged,
            )
        )
    return WeekCalendar(monday, today, plans[versions[0].id].units, tuple(days))


@dataclass(frozen=True, slots=True)
class _MoveSetup:
    athlete: StoredAthlete
    version: PlanVersion
    plan: Plan
    verdict: MoveVerdict


def _judge(
    uow: UnitOfWork, *, origin: date, target: date, today: date, catalogue: Catalogue, athlete_id: int | None
) -> _MoveSetup:
    checked_day(origin, field="from")
    checked_day(target, field="to")
    athlete = current_athlete(uow, athlete_id)
    version = _version_on(uow, athlete, origin)
    plan = read_full_plan(version.document, catalogue)
    logged = frozenset(s.session.date for s in uow.log.between(athlete.id, start=today))
    session = check_request(plan, origin=origin, target=target, today=today, logged=logged)
    if _version_on(uow, athlete, target).id != version.id:
        # a plan version starts between the two days: the move would be stored in one and read in another
        raise ProfileError(
            [FieldProblem("to", f"another version of your plan is in force on {target:%a %d %b}")]
        )
    profile = parse_profile(athlete.profile_toml, source="stored profile", today=today, catalogue=catalogue)
    profile, _ = with_history(uow, athlete.id, profile, today=today)
    sessions = [s for week in plan.weeks for s in week.sessions]
    ctx = move_context(profile, sessions, moving=origin, busy=logged)
    return _MoveSetup(athlete, version, plan, judge_move(session, target, ctx))


def check_move(
    uow: UnitOfWork,
    *,
    origin: date,
    target: date,
    today: date,
    catalogue: Catalogue,
    athlete_id: int | None = None,
) -> MoveVerdict:
    """Whether the session on `origin` may move to `target`, and why, rule by rule; nothing is stored."""
    with uow:
        return _judge(
            uow, origin=origin, target=target, today=today, catalogue=catalogue, athlete_id=athlete_id
        ).verdict


def move_session(
    uow: UnitOfWork,
    *,
    origin: date,
    target: date,
    today: date,
    catalogue: Catalogue,
    athlete_id: int | None = None,
) -> Moved:
    """Move the session on `origin` to `target` when every rule allows it, as a new plan version
    in force from today (or from the moved version's own start, when that is later, so the move
    is not hidden behind it). Refused moves raise MoveRefused and store nothing."""
    with uow:
        setup = _judge(
            uow, origin=origin, target=target, today=today, catalogue=catalogue, athlete_id=athlete_id
        )
        new_plan = moved_plan(setup.plan, setup.verdict)
        effective = max(today, setup.version.effective_from)
        version_id = uow.plans.add(
            setup.athlete.id, created_on=today, effective_from=effective, document=plan_json(new_plan)
        )
        uow.commit()
    return Moved(setup.verdict, version_id, effective)
