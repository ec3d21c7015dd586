"""Moving a session (domain/session_move.py): the verdict is the scheduler's own rules, a refused
move never happens, and an accepted move never breaks a rule the planner enforces."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.domain.athlete import Athlete, Profile, Race, RacePriority, RunningWeek, StrengthSetup
from ironmile.domain.errors import ProfileError
from ironmile.domain.plan import Plan, Session
from ironmile.domain.planner import build_plan
from ironmile.domain.scheduler import RULES, Context, RunCalendar, violations
from ironmile.domain.session_move import (
    MOVED_PREFIX,
    RULE_TITLES,
    MoveRefused,
    check_request,
    judge_move,
    move_context,
    moved_plan,
    request_problems,
    target_days,
    was_moved,
    week_holding,
)
from tests.strategies import profiles

CATALOGUE = load_catalogue()
EXAMPLES = int(os.environ.get("IRONMILE_PROPERTY_EXAMPLES", "60"))
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

MONDAY = date(2026, 12, 7)
MON, TUE, WED, THU, FRI, SAT, SUN = (MONDAY + timedelta(days=offset) for offset in range(7))
# The example marathoner's week: key runs Tue and Thu, easy Wed and Sat, the long run on Sunday.
WITHIN = "a session moves within its week"
RUNNER = RunningWeek(run_days=frozenset({1, 2, 3, 5, 6}), key_days=frozenset({1, 3}), long_run_day=6)


def runner(races: tuple[Race, ...] = (), weeks: int = 2) -> Profile:
    return Profile(
        athlete=Athlete(body_mass_kg=68.0),
        strength=StrengthSetup(
            start_date=MONDAY, available_days=frozenset(range(6)), session_minutes=50, weeks=weeks
        ),
        running=RUNNER,
        races=races,
    )


def all_sessions(plan: Plan) -> list[Session]:
    return [session for week in plan.weeks for session in week.sessions]


def full_context(profile: Profile, sessions: list[Session], without: Session) -> Context:
    """The planner's context for one session: every other session of the plan already placed."""
    others = [s for s in sessions if s is not without]
    return Context(
        RunCalendar(profile.running, profile.races),
        profile.strength.available_days,
        tuple(s.date for s in others if s.heavy_lower),
        tuple(s.date for s in others),
    )


@pytest.fixture(scope="module")
def plan() -> Plan:
    return build_plan(runner(), CATALOGUE)


def test_the_planner_put_heavy_legs_after_the_key_runs(plan: Plan) -> None:
    """The fixture the examples below rely on: heavy sessions on Tuesday and Thursday."""
    assert [(s.date, s.heavy_lower) for s in plan.weeks[0].sessions] == [(TUE, True), (THU, True)]


def test_every_scheduler_rule_has_a_title() -> None:
    assert {rule.name for rule in RULES} == set(RULE_TITLES)


def test_an_allowed_move_says_who_moved_it_and_what_the_rules_say(plan: Plan) -> None:
    thursday = plan.weeks[0].sessions[1]
    verdict = judge_move(thursday, FRI, move_context(runner(), all_sessions(plan), moving=THU))
    assert verdict.allowed
    assert verdict.reasons == ()
    assert [check.rule for check in verdict.checks] == [rule.name for rule in RULES]  # heavy: all rules
    assert verdict.why == (
        f"{MOVED_PREFIX} Thu; Friday: no run today, and tomorrow is neither a key session nor the long run"
    )


def test_a_refused_move_gives_each_broken_rule(plan: Plan) -> None:
    thursday = plan.weeks[0].sessions[1]
    ctx = move_context(runner(), all_sessions(plan), moving=THU)
    saturday = judge_move(thursday, SAT, ctx)
    assert not saturday.allowed
    assert saturday.reasons == ("the day before your long run (Sunday)",)
    assert [c.rule for c in saturday.checks if not c.passed] == ["before_long_run"]
    wednesday = judge_move(thursday, WED, ctx)
    assert set(wednesday.reasons) == {
        "the day before your key session (Thursday)",
        "the day after the heavy session on Tuesday 08 Dec (48 h needed)",
    }
    assert wednesday.why == wednesday.reasons[0]


def test_the_verdict_is_scheduler_violations_for_every_day(plan: Plan) -> None:
    profile = runner()
    sessions = all_sessions(plan)
    for session in sessions:
        ctx = move_context(profile, sessions, moving=session.date)
        week = week_holding(plan, session.date)
        assert week is not None
        for offset in range(7):
            day = week.frame.start_date + timedelta(days=offset)
            verdict = judge_move(session, day, ctx)
            assert list(verdict.reasons) == violations(day, ctx, heavy=session.heavy_lower)


def test_an_upper_body_session_is_checked_only_against_the_rules_for_every_session() -> None:
    light = Session(WED, heavy_lower=False, minutes=30, why="Wednesday: upper body", exercises=())
    ctx = move_context(runner(), [light], moving=WED)
    verdict = judge_move(light, SAT, ctx)  # the day before the long run is fine for the upper body
    assert verdict.allowed
    assert [c.rule for c in verdict.checks] == [rule.name for rule in RULES if not rule.heavy_only]
    assert verdict.why == (
        f"{MOVED_PREFIX} Wed; Saturday: upper body and core only, which every placement rule allows "
        "(after your easy run)"
    )


def test_never_two_sessions_on_one_day_planned_or_logged(plan: Plan) -> None:
    sessions = all_sessions(plan)
    tuesday = plan.weeks[0].sessions[0]
    onto_thursday = judge_move(tuesday, THU, move_context(runner(), sessions, moving=TUE))
    assert "another strength session is already on this day" in onto_thursday.reasons
    light = Session(MON, heavy_lower=False, minutes=30, why="x", exercises=())
    logged_friday = move_context(runner(), [light], moving=MON, busy=[FRI])
    assert judge_move(light, FRI, logged_friday).reasons == (
        "another strength session is already on this day",
    )


def test_moved_plan_moves_one_session_and_keeps_the_rest(plan: Plan) -> None:
    thursday = plan.weeks[0].sessions[1]
    verdict = judge_move(thursday, FRI, move_context(runner(), all_sessions(plan), moving=THU))
    moved = moved_plan(plan, verdict)
    first = moved.weeks[0].sessions
    assert [s.date for s in first] == [TUE, FRI]
    assert first[1].why == verdict.why
    assert first[1].exercises == thursday.exercises
    assert first[0] == plan.weeks[0].sessions[0]
    assert moved.weeks[1:] == plan.weeks[1:]
    assert plan.weeks[0].sessions[1] == thursday  # the original is a value: untouched


def test_a_refused_move_raises_with_the_reasons_on_the_to_field(plan: Plan) -> None:
    thursday = plan.weeks[0].sessions[1]
    verdict = judge_move(thursday, SAT, move_context(runner(), all_sessions(plan), moving=THU))
    with pytest.raises(MoveRefused) as refused:
        moved_plan(plan, verdict)
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("to", "the day before your long run (Sunday)")
    ]
    assert refused.value.verdict is verdict


@pytest.mark.parametrize(
    ("origin", "target", "today", "logged", "expected"),
    [
        (TUE, FRI, WED, frozenset(), {"from": "Tue 08 Dec is past: past sessions stay as they were"}),
        (THU, FRI, THU, frozenset({THU}), {"from": "the session on Thu 10 Dec is already logged; it stays"}),
        (MON, FRI, MONDAY, frozenset(), {"from": "no strength session is planned on Mon 07 Dec"}),
        (
            THU,
            THU,
            MONDAY,
            frozenset(),
            {"to": "that is the day the session is on already; pick another day"},
        ),
        (THU, TUE, WED, frozenset(), {"to": "Tue 08 Dec is past: a session moves to today or later"}),
        (
            THU,
            SUN + timedelta(days=1),
            MONDAY,
            frozenset(),
            {"to": "Mon 14 Dec is outside the session's week (Mon 07 Dec – Sun 13 Dec); " + WITHIN},
        ),
    ],
)
def test_requests_that_cannot_move_name_the_field(
    plan: Plan, origin: date, target: date, today: date, logged: frozenset[date], expected: dict[str, str]
) -> None:
    problems = request_problems(plan, origin=origin, target=target, today=today, logged=logged)
    assert {p.field: p.message for p in problems} == expected
    with pytest.raises(ProfileError):
        check_request(plan, origin=origin, target=target, today=today, logged=logged)


def test_todays_session_may_move_while_it_is_not_logged(plan: Plan) -> None:
    session = check_request(plan, origin=THU, target=FRI, today=THU, logged=frozenset())
    assert session.date == THU


def test_race_rules_come_from_the_profiles_races() -> None:
    """A B race on Saturday: heavy legs need 3 clear days, so Thursday's session cannot go to Friday."""
    profile = runner(races=(Race(SAT, 10_000.0, RacePriority.B, "Club 10K"),), weeks=1)
    plan = build_plan(profile, CATALOGUE)
    sessions = all_sessions(plan)
    heavy = next(s for s in sessions if s.heavy_lower)
    verdict = judge_move(heavy, FRI, move_context(profile, sessions, moving=heavy.date))
    assert "the day before your race (Club 10K)" in verdict.reasons
    assert "1 days before your B race (Club 10K); heavy legs end 3 days out" in verdict.reasons


@PROPERTY_SETTINGS
@given(profile=profiles(max_weeks=16), data=st.data())
def test_an_accepted_move_never_breaks_a_rule_the_planner_enforces(
    profile: Profile, data: st.DataObject
) -> None:
    plan = build_plan(profile, CATALOGUE)
    sessions = all_sessions(plan)
    accepted = []
    for session in sessions:  # every other day of the session's week, judged
        week = week_holding(plan, session.date)
        assert week is not None
        ctx = move_context(profile, sessions, moving=session.date)
        for offset in range(7):
            day = week.frame.start_date + timedelta(days=offset)
            if day != session.date:
                verdict = judge_move(session, day, ctx)
                if verdict.allowed:
                    accepted.append((session, verdict))
                else:
                    with pytest.raises(MoveRefused):
                        moved_plan(plan, verdict)
    event("some move is accepted" if accepted else "no move is accepted")
    if not accepted:
        return
    session, verdict = data.draw(st.sampled_from(accepted), label="accepted move")
    target = verdict.target
    moved = moved_plan(plan, verdict)
    after = all_sessions(moved)
    # every session of the moved plan, the moved one included, passes every rule for its kind
    for placed in after:
        assert violations(placed.date, full_context(profile, after, placed), heavy=placed.heavy_lower) == []
    calendar = RunCalendar(profile.running, profile.races)
    if session.heavy_lower:  # e.g. never heavy legs on or the day before the long run
        assert calendar.run_kind(target) != "long"
        assert calendar.run_kind(target + timedelta(days=1)) != "long"
    assert len({s.date for s in after}) == len(after)  # never two sessions on one day
    # the move changes one session's day and reason, nothing else
    assert [(w.frame, len(w.sessions)) for w in moved.weeks] == [
        (w.frame, len(w.sessions)) for w in plan.weeks
    ]
    changed = [s for s in after if s not in sessions]
    assert [(s.date, s.heavy_lower, s.exercises) for s in changed] == [
        (target, session.heavy_lower, session.exercises)
    ]


def test_the_days_to_move_to_are_the_plan_week_holding_the_session() -> None:
    """Plan weeks start on the plan's first day: a plan starting on a Thursday moves a session
    within Thursday to Wednesday, whatever the calendar's Monday-to-Sunday week says."""
    profile = runner()
    thursday_start = Profile(
        athlete=profile.athlete,
        strength=StrengthSetup(
            start_date=THU, available_days=frozenset(range(6)), session_minutes=50, weeks=2
        ),
        running=RUNNER,
    )
    plan = build_plan(thursday_start, CATALOGUE)
    week = plan.weeks[1]
    assert week.frame.start_date == THU + timedelta(days=7)
    session = week.sessions[0]
    days = [week.frame.start_date + timedelta(days=offset) for offset in range(7)]
    assert target_days(plan, session.date, today=MONDAY) == tuple(d for d in days if d != session.date)
    # from today on only; nothing for a day no plan week holds
    today = days[3]
    assert target_days(plan, session.date, today=today) == tuple(d for d in days[3:] if d != session.date)
    assert target_days(plan, MONDAY - timedelta(days=7), today=MONDAY) == ()


def test_a_session_reads_as_moved_by_its_reason(plan: Plan) -> None:
    thursday = plan.weeks[0].sessions[1]
    assert not was_moved(thursday)
    verdict = judge_move(thursday, FRI, move_context(runner(), all_sessions(plan), moving=THU))
    moved = moved_plan(plan, verdict).weeks[0].sessions[1]
    assert was_moved(moved)
