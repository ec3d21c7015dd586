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
from ironmile.domain.days import checked_day
from ironmile.domain.errors import FieldProblem, ProfileError
from ironmile.domain.phases import Phase
from ironmile.domain.plan import Plan, PlannedRun, Session
from ironmile.domain.running_weeks import monday_of
from ironmile.domain.scheduler import Context
from ironmile.domain.session_move import (
    MoveVerdict,
    check_request,
    judge_move,
    move_context,
    moved_plan,
    request_problems,
    target_days,
    week_holding,
)
from ironmile.domain.units import UnitSystem
from ironmile.render.plan_json import plan_json
from ironmile.services.running import with_history
from ironmile.services.training import current_athlete, version_on

DAYS_IN_WEEK = 7


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


@dataclass(frozen=True, slots=True)
class Moved:
    verdict: MoveVerdict
    version_id: int
    effective_from: date


@dataclass(frozen=True, slots=True)
class MoveOption:
    """A day the session could move to, with what the rules say about it. `verdict` is None when
    the day cannot be asked at all (another plan version is in force on it); `problem` says why."""

    day: date
    verdict: MoveVerdict | None
    problem: str | None = None

    @property
    def allowed(self) -> bool:
        return self.verdict is not None and self.verdict.allowed

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every rule the move breaks, or the problem with asking; empty when allowed."""
        if self.verdict is None:
            return (self.problem,) if self.problem else ()
        return self.verdict.reasons


def plan_document(uow: UnitOfWork, *, today: date, athlete_id: int | None = None) -> str:
    """The `ironmile.plan/1` document in force today, exactly as stored."""
    with uow:
        return version_on(uow, current_athlete(uow, athlete_id).id, today).document


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
        versions = [version_on(uow, athlete.id, d) for d in dates]
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
    """What every verdict for the session on `origin` is judged against, read once."""

    athlete: StoredAthlete
    version: PlanVersion  # in force on `origin`
    plan: Plan
    origin: date
    today: date
    logged: frozenset[date]  # days from today on that already hold a logged session
    context: Context  # the planner's placement context, without the moving session


def _setup(
    uow: UnitOfWork, *, origin: date, today: date, catalogue: Catalogue, athlete_id: int | None
) -> _MoveSetup:
    checked_day(origin, field="from")
    athlete = current_athlete(uow, athlete_id)
    version = version_on(uow, athlete.id, origin)
    plan = read_full_plan(version.document, catalogue)
    logged = frozenset(s.session.date for s in uow.log.between(athlete.id, start=today))
    profile = parse_profile(athlete.profile_toml, source="stored profile", today=today, catalogue=catalogue)
    profile, _ = with_history(uow, athlete.id, profile, today=today)
    sessions = [s for week in plan.weeks for s in week.sessions]
    context = move_context(profile, sessions, moving=origin, busy=logged)
    return _MoveSetup(athlete, version, plan, origin, today, logged, context)


def _verdict(uow: UnitOfWork, setup: _MoveSetup, target: date) -> MoveVerdict:
    """The verdict for one target day, or ProfileError naming the field at fault."""
    checked_day(target, field="to")
    session = check_request(
        setup.plan, origin=setup.origin, target=target, today=setup.today, logged=setup.logged
    )
    if version_on(uow, setup.athlete.id, target).id != setup.version.id:
        # a plan version starts between the two days: the move would be stored in one and read in another
        raise ProfileError(
            [FieldProblem("to", f"another version of your plan is in force on {target:%a %d %b}")]
        )
    return judge_move(session, target, setup.context)


def move_options(
    uow: UnitOfWork, *, origin: date, today: date, catalogue: Catalogue, athlete_id: int | None = None
) -> tuple[MoveOption, ...]:
    """Every day the session on `origin` could move to (the other days of the plan week holding it,
    today or later), each with its verdict, so a runner sees at once which days work and why the
    others do not. ProfileError (field `from`) when the session itself cannot move; nothing is stored."""
    with uow:
        setup = _setup(uow, origin=origin, today=today, catalogue=catalogue, athlete_id=athlete_id)
        problems = [
            problem
            for problem in request_problems(
                setup.plan, origin=origin, target=origin, today=today, logged=setup.logged
            )
            if problem.field == "from"
        ]
        if problems:
            raise ProfileError(problems)
        options = []
        for day in target_days(setup.plan, origin, today=today):
            try:
                options.append(MoveOption(day, _verdict(uow, setup, day)))
            except ProfileError as error:
                options.append(MoveOption(day, None, "; ".join(p.message for p in error.problems)))
    return tuple(options)


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
        setup = _setup(uow, origin=origin, today=today, catalogue=catalogue, athlete_id=athlete_id)
        return _verdict(uow, setup, target)


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
        setup = _setup(uow, origin=origin, today=today, catalogue=catalogue, athlete_id=athlete_id)
        verdict = _verdict(uow, setup, target)
        new_plan = moved_plan(setup.plan, verdict)
        effective = max(today, setup.version.effective_from)
        version_id = uow.plans.add(
            setup.athlete.id, created_on=today, effective_from=effective, document=plan_json(new_plan)
        )
        uow.commit()
    return Moved(verdict, version_id, effective)
