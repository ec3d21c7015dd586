"""Moving a planned strength session to another day of its week, judged by the planner's own rules.

The verdict comes from the scheduler's named predicates (`scheduler.RULES`, the ones `violations`
runs), over the same `Context` the planner builds: the runner's calendar, their available days and
every other session of the plan. So "may I move it there?" and "why did the planner put it here?"
can never disagree. Checks about the request itself (a past day, another week, no session there)
come first and are field problems, not rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ironmile.domain.athlete import Profile
from ironmile.domain.errors import FieldProblem, ProfileError
from ironmile.domain.plan import Plan, PlanWeek, Session
from ironmile.domain.scheduler import RULES, Context, RunCalendar, day_title, heavy_preference

MOVED_PREFIX = "moved by you from"

# What each scheduler rule asks for, in the runner's words, for the checklist shown with a verdict.
RULE_TITLES: dict[str, str] = {
    "available": "A day you are available",
    "race_day": "Not on a race day",
    "race_eve": "Not the day before a race",
    "after_a_race": "Not the day after an A race",
    "one_session_a_day": "One strength session a day",
    "long_run_day": "Heavy legs: not on the long-run day",
    "before_long_run": "Heavy legs: not the day before the long run",
    "before_key_run": "Heavy legs: not the day before a key session",
    "race_clearance": "Heavy legs: 7 days clear of an A race, 3 of a B race",
    "legs_recovering_from_race": "Heavy legs: not in the 2 days after a race",
    "heavy_gap_48h": "Heavy legs: 48 h from any other heavy session",
}


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """One scheduler rule applied to the target day; `reason` says why it fails (None: it passes)."""

    rule: str  # the rule's name in scheduler.RULES
    title: str  # what the rule asks for
    reason: str | None

    @property
    def passed(self) -> bool:
        return self.reason is None


@dataclass(frozen=True, slots=True)
class MoveVerdict:
    """Whether the session on `origin` may move to `target`, rule by rule.

    `checks` holds every rule that applies to the session's kind (heavy legs get all of them,
    upper body and core only those for every session); `why` is the session's new reason when
    the move is allowed, else the first rule it breaks."""

    origin: date
    target: date
    heavy: bool
    checks: tuple[RuleCheck, ...]
    why: str

    @property
    def allowed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(check.reason for check in self.checks if check.reason is not None)


class MoveRefused(ProfileError):
    """The rules do not allow the move: each broken rule is a problem with the `to` day."""

    def __init__(self, verdict: MoveVerdict) -> None:
        self.verdict = verdict
        super().__init__(FieldProblem("to", reason) for reason in verdict.reasons)


def move_context(
    profile: Profile, sessions: Iterable[Session], *, moving: date, busy: Iterable[date] = ()
) -> Context:
    """The planner's placement context (as `planner._place` builds it: the profile's runs and
    races, its available days, the sessions already placed), with every session of the plan but the
    one moving. `busy` adds days that already hold a logged session, so nothing lands on them."""
    others = [session for session in sessions if session.date != moving]
    return Context(
        RunCalendar(profile.running, profile.races),
        profile.strength.available_days,
        tuple(session.date for session in others if session.heavy_lower),
        tuple(sorted({session.date for session in others} | set(busy))),
    )


def judge_move(session: Session, target: date, ctx: Context) -> MoveVerdict:
    """Every applicable scheduler rule for `target`, in the order `scheduler.violations` runs them."""
    heavy = session.heavy_lower
    checks = tuple(
        RuleCheck(rule.name, RULE_TITLES.get(rule.name, rule.name), rule.check(target, ctx))
        for rule in RULES
        if heavy or not rule.heavy_only
    )
    broken = [check.reason for check in checks if check.reason is not None]
    why = broken[0] if broken else moved_why(session.date, target, ctx, heavy=heavy)
    return MoveVerdict(session.date, target, heavy, checks, why)


def moved_why(origin: date, target: date, ctx: Context, *, heavy: bool) -> str:
    """The reason a moved session carries: who moved it, from where, and what the rules say."""
    if heavy:
        verdict = heavy_preference(target, ctx)[1]
    else:
        kind = ctx.calendar.run_kind(target)
        when = {None: "no run today", "easy": "after your easy run"}.get(kind, f"after your {kind} run")
        verdict = f"{day_title(target)}: upper body and core only, which every placement rule allows ({when})"
    return f"{MOVED_PREFIX} {day_title(origin)[:3]}; {verdict}"


def was_moved(session: Session) -> bool:
    """Whether the athlete moved the session to its day. The stored plan has no field for it (its
    JSON is a public contract); a move writes the session's reason, and that reason starts with
    MOVED_PREFIX, so the reason is where it is read from."""
    return session.why.startswith(MOVED_PREFIX)


def week_holding(plan: Plan, day: date) -> PlanWeek | None:
    return next(
        (w for w in plan.weeks if w.frame.start_date <= day < w.frame.start_date + timedelta(days=7)), None
    )


def target_days(plan: Plan, origin: date, *, today: date) -> tuple[date, ...]:
    """The days the session on `origin` may be asked to move to: the other days of the plan week
    holding it, today or later. Plan weeks start on the plan's first day, so a plan starting on a
    Thursday moves sessions within Thursday-to-Wednesday weeks. Empty when no plan week holds `origin`."""
    week = week_holding(plan, origin)
    if week is None:
        return ()
    days = (week.frame.start_date + timedelta(days=offset) for offset in range(7))
    return tuple(day for day in days if day >= today and day != origin)


def request_problems(
    plan: Plan, *, origin: date, target: date, today: date, logged: frozenset[date]
) -> list[FieldProblem]:
    """What is wrong with the request itself, before any rule: sessions before today and sessions
    already logged stay where they are, a session moves within its week to today or later."""
    problems: list[FieldProblem] = []
    week = week_holding(plan, origin)
    session = next((s for s in week.sessions if s.date == origin), None) if week else None
    if origin < today:
        problems.append(FieldProblem("from", f"{origin:%a %d %b} is past: past sessions stay as they were"))
    elif origin in logged:
        problems.append(FieldProblem("from", f"the session on {origin:%a %d %b} is already logged; it stays"))
    elif session is None:
        problems.append(FieldProblem("from", f"no strength session is planned on {origin:%a %d %b}"))
    if target == origin:
        problems.append(FieldProblem("to", "that is the day the session is on already; pick another day"))
    elif target < today:
        problems.append(FieldProblem("to", f"{target:%a %d %b} is past: a session moves to today or later"))
    elif week is not None and not 0 <= (target - week.frame.start_date).days < 7:
        last = week.frame.start_date + timedelta(days=6)
        problems.append(
            FieldProblem(
                "to",
                f"{target:%a %d %b} is outside the session's week "
                f"({week.frame.start_date:%a %d %b} – {last:%a %d %b}); a session moves within its week",
            )
        )
    return problems


def check_request(plan: Plan, *, origin: date, target: date, today: date, logged: frozenset[date]) -> Session:
    """The session to move, or ProfileError naming each field at fault."""
    problems = request_problems(plan, origin=origin, target=target, today=today, logged=logged)
    if problems:
        raise ProfileError(problems)
    week = week_holding(plan, origin)
    assert week is not None  # request_problems found the session in it
    return next(s for s in week.sessions if s.date == origin)


def moved_plan(plan: Plan, verdict: MoveVerdict) -> Plan:
    """The plan with the session on its new day and its new reason; refused moves raise."""
    if not verdict.allowed:
        raise MoveRefused(verdict)
    weeks = []
    for week in plan.weeks:
        if any(session.date == verdict.origin for session in week.sessions):
            sessions = tuple(
                sorted(
                    (
                        replace(session, date=verdict.target, why=verdict.why)
                        if session.date == verdict.origin
                        else session
                        for session in week.sessions
                    ),
                    key=lambda session: session.date,
                )
            )
            week = replace(week, sessions=sessions)
        weeks.append(week)
    return replace(plan, weeks=tuple(weeks))
