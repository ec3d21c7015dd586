"""The schedule use cases (services/schedule.py) on SQLite, PostgreSQL and the in-memory fake: the
stored plan read back whole, a week's calendar, and moving a session as a new plan version while
every earlier version, and so every day before today, stays as it was."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.plan_snapshot import read_full_plan
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import NotFoundError, ProfileError
from ironmile.domain.phases import Phase
from ironmile.domain.planner import build_plan
from ironmile.domain.scheduler import Context, RunCalendar, violations
from ironmile.domain.session_move import MOVED_PREFIX, MoveRefused
from ironmile.domain.units import UnitSystem
from ironmile.render.plan_json import plan_json
from ironmile.services import schedule
from ironmile.services.training import init_athlete, log_sets, version_on
from tests.conftest import EXAMPLES_DIR
from tests.services.conftest import Db

INIT_DAY = date(2026, 11, 30)  # a Monday; the marathoner's plan starts on Monday 7 December
MON_1, TUE_1, WED_1, THU_1, FRI_1, SAT_1, SUN_1 = (date(2026, 12, 7) + timedelta(days=d) for d in range(7))
DELOAD_MONDAY = date(2026, 12, 28)  # week 4, the strength phase's first deload week


def init(uow: UnitOfWork, catalogue: Catalogue) -> int:
    text = (EXAMPLES_DIR / "marathoner.toml").read_text(encoding="utf-8")
    stored = init_athlete(
        uow, profile_text=text, source="marathoner.toml", today=INIT_DAY, catalogue=catalogue
    )
    return stored.athlete.id


def versions(uow: UnitOfWork, athlete_id: int) -> list[tuple[date, str]]:
    with uow:
        return [(v.effective_from, v.document) for v in uow.plans.versions(athlete_id)]


def test_a_stored_plan_reads_back_whole_and_writes_back_byte_for_byte(db: Db, catalogue: Catalogue) -> None:
    athlete_id = init(db.uow, catalogue)
    document = schedule.plan_document(db.uow, today=INIT_DAY, athlete_id=athlete_id)
    plan = read_full_plan(document, catalogue)
    assert plan_json(plan) == document
    profile = parse_profile(
        (EXAMPLES_DIR / "marathoner.toml").read_text(encoding="utf-8"),
        source="marathoner.toml",
        today=INIT_DAY,
        catalogue=catalogue,
    )
    assert plan.weeks == build_plan(profile, catalogue).weeks  # phase positions counted again, the same


def test_the_week_calendar_shows_runs_sessions_and_deloads(db: Db, catalogue: Catalogue) -> None:
    athlete_id = init(db.uow, catalogue)
    week = schedule.week_calendar(
        db.uow, day=WED_1, today=INIT_DAY, catalogue=catalogue, athlete_id=athlete_id
    )
    assert week.monday == MON_1
    assert [d.date for d in week.days] == [MON_1, TUE_1, WED_1, THU_1, FRI_1, SAT_1, SUN_1]
    assert [[r.kind for r in d.runs] for d in week.days] == [
        [],
        ["key"],
        ["easy"],
        ["key"],
        [],
        ["easy"],
        ["long"],
    ]
    assert [d.date for d in week.days if d.session] == [TUE_1, THU_1]
    assert all(d.phase is Phase.STRENGTH and d.week_index == 1 and not d.deload for d in week.days)
    assert week.days[1].session is not None
    assert week.days[1].session.why.startswith("Tuesday: after your key run")
    assert [d.date for d in week.movable] == [TUE_1, THU_1]
    deload = schedule.week_calendar(
        db.uow, day=DELOAD_MONDAY, today=INIT_DAY, catalogue=catalogue, athlete_id=athlete_id
    )
    assert all(d.deload and d.week_index == 4 for d in deload.days)
    before = schedule.week_calendar(
        db.uow, day=INIT_DAY, today=INIT_DAY, catalogue=catalogue, athlete_id=athlete_id
    )
    assert all(d.phase is None and d.session is None and not d.runs for d in before.days)


def test_moving_stores_a_new_version_and_leaves_history_alone(db: Db, catalogue: Catalogue) -> None:
    athlete_id = init(db.uow, catalogue)
    today = TUE_1
    log_sets(
        db.uow,
        day=TUE_1,
        catalogue=catalogue,
        exercise_id="back_squat",
        notation="75x5x3@2",
        athlete_id=athlete_id,
    )
    before = versions(db.uow, athlete_id)
    moved = schedule.move_session(
        db.uow, origin=THU_1, target=FRI_1, today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    after = versions(db.uow, athlete_id)
    assert after[: len(before)] == before  # the old version, exactly as it was
    assert len(after) == len(before) + 1
    effective, document = after[-1]
    assert effective == moved.effective_from == today
    new = read_full_plan(document, catalogue)
    old = read_full_plan(before[0][1], catalogue)
    week_new, week_old = new.weeks[0], old.weeks[0]
    assert [s.date for s in week_new.sessions] == [TUE_1, FRI_1]
    assert week_new.sessions[1].why.startswith(f"{MOVED_PREFIX} Thu; Friday: no run today")
    assert week_new.sessions[1].exercises == week_old.sessions[1].exercises
    assert new.weeks[1:] == old.weeks[1:]
    week = schedule.week_calendar(db.uow, day=THU_1, today=today, catalogue=catalogue, athlete_id=athlete_id)
    assert [d.date for d in week.days if d.session] == [TUE_1, FRI_1]
    assert week.days[1].logged  # today's session is logged: it stays
    assert not week.days[1].movable
    # a day before the move reads the version in force then
    past = schedule.week_calendar(db.uow, day=MON_1, today=today, catalogue=catalogue, athlete_id=athlete_id)
    assert past.days[0].session is None
    assert schedule.plan_document(db.uow, today=MON_1, athlete_id=athlete_id) == before[0][1]
    assert schedule.plan_document(db.uow, today=today, athlete_id=athlete_id) == document


def test_a_refused_move_stores_nothing(db: Db, catalogue: Catalogue) -> None:
    athlete_id = init(db.uow, catalogue)
    rows = db.rows()
    with pytest.raises(MoveRefused) as refused:
        schedule.move_session(
            db.uow, origin=THU_1, target=SAT_1, today=INIT_DAY, catalogue=catalogue, athlete_id=athlete_id
        )
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("to", "the day before your long run (Sunday)")
    ]
    assert db.rows() == rows


REFUSED_REQUESTS = [  # (from, to, the field at fault, words of its message); today is Wednesday
    (TUE_1, FRI_1, "from", "is past"),
    (WED_1, FRI_1, "from", "no strength session is planned"),
    (THU_1, MON_1, "to", "is past"),
    (THU_1, THU_1 + timedelta(days=7), "to", "outside the session's week"),
    (date(1, 1, 1), FRI_1, "from", "out of range"),
]


def test_a_move_that_cannot_be_asked_names_the_field_and_stores_nothing(db: Db, catalogue: Catalogue) -> None:
    athlete_id = init(db.uow, catalogue)
    rows = db.rows()
    for origin, target, field, words in REFUSED_REQUESTS:
        with pytest.raises(ProfileError) as refused:
            schedule.move_session(
                db.uow, origin=origin, target=target, today=WED_1, catalogue=catalogue, athlete_id=athlete_id
            )
        problems = refused.value.problems
        assert any(p.field == field and words in p.message for p in problems), (origin, target, problems)
    assert db.rows() == rows


def test_a_logged_session_stays_and_nothing_lands_on_a_logged_day(db: Db, catalogue: Catalogue) -> None:
    athlete_id = init(db.uow, catalogue)
    log_sets(
        db.uow, day=THU_1, catalogue=catalogue, exercise_id="deadlift", notation="90x5", athlete_id=athlete_id
    )
    with pytest.raises(ProfileError, match="already logged"):
        schedule.check_move(
            db.uow, origin=THU_1, target=FRI_1, today=THU_1, catalogue=catalogue, athlete_id=athlete_id
        )
    log_sets(
        db.uow, day=WED_1, catalogue=catalogue, exercise_id="pull_up", notation="0x8", athlete_id=athlete_id
    )
    verdict = schedule.check_move(
        db.uow,
        origin=TUE_1,
        target=WED_1,
        today=WED_1 - timedelta(days=1),
        catalogue=catalogue,
        athlete_id=athlete_id,
    )
    assert "another strength session is already on this day" in verdict.reasons  # the logged one


def test_the_verdict_agrees_with_the_schedulers_violations(db: Db, catalogue: Catalogue) -> None:
    athlete_id = init(db.uow, catalogue)
    profile = parse_profile(
        (EXAMPLES_DIR / "marathoner.toml").read_text(encoding="utf-8"),
        source="marathoner.toml",
        today=INIT_DAY,
        catalogue=catalogue,
    )
    plan = build_plan(profile, catalogue)
    sessions = [s for week in plan.weeks for s in week.sessions]
    for week in plan.weeks[:2] + plan.weeks[13:15]:  # strength weeks, and the power weeks around the B race
        for session in week.sessions:
            others = [s for s in sessions if s.date != session.date]
            ctx = Context(
                RunCalendar(profile.running, profile.races),
                profile.strength.available_days,
                tuple(s.date for s in others if s.heavy_lower),
                tuple(s.date for s in others),
            )
            for offset in range(7):
                day = week.frame.start_date + timedelta(days=offset)
                if day == session.date:
                    continue
                verdict = schedule.check_move(
                    db.uow,
                    origin=session.date,
                    target=day,
                    today=INIT_DAY,
                    catalogue=catalogue,
                    athlete_id=athlete_id,
                )
                assert list(verdict.reasons) == violations(day, ctx, heavy=session.heavy_lower), (
                    session.date,
                    day,
                )
                assert verdict.allowed == (not violations(day, ctx, heavy=session.heavy_lower))


def test_a_move_in_a_later_version_is_stored_from_that_versions_start(db: Db, catalogue: Catalogue) -> None:
    """A re-plan after a long break can start on a later day; a move inside it must not be hidden
    behind it, so the moved version starts when that one does."""
    athlete_id = init(db.uow, catalogue)
    with db.uow:
        [first] = db.uow.plans.versions(athlete_id)
        db.uow.plans.add(athlete_id, created_on=INIT_DAY, effective_from=FRI_1, document=first.document)
        db.uow.commit()
    tue_2, thu_2, fri_2 = (MON_1 + timedelta(days=d) for d in (8, 10, 11))
    moved = schedule.move_session(
        db.uow, origin=thu_2, target=fri_2, today=INIT_DAY, catalogue=catalogue, athlete_id=athlete_id
    )
    assert moved.effective_from == FRI_1
    week = schedule.week_calendar(
        db.uow, day=fri_2, today=INIT_DAY, catalogue=catalogue, athlete_id=athlete_id
    )
    assert [d.date for d in week.days if d.session] == [tue_2, fri_2]
    with pytest.raises(ProfileError, match="another version of your plan"):  # Thu in one, Sat in the next
        schedule.check_move(
            db.uow, origin=THU_1, target=SAT_1, today=INIT_DAY, catalogue=catalogue, athlete_id=athlete_id
        )


def test_a_plan_starting_on_a_thursday_moves_sessions_within_thursday_to_wednesday_weeks(
    db: Db, catalogue: Catalogue
) -> None:
    """Plan weeks start on the plan's first day: each day of the session's Thursday-to-Wednesday
    week is offered with its verdict, and none of the days outside it."""
    text = (EXAMPLES_DIR / "marathoner.toml").read_text(encoding="utf-8")
    thursday = date(2026, 12, 10)
    stored = init_athlete(
        db.uow,
        profile_text=text.replace("start_date = 2026-12-07", f"start_date = {thursday}"),
        source="marathoner.toml",
        today=INIT_DAY,
        catalogue=catalogue,
    )
    athlete_id = stored.athlete.id
    week = stored.plan.weeks[0]
    assert week.frame.start_date == thursday
    session = week.sessions[0]
    assert session.date == thursday  # the week's first day: all six others follow it
    options = schedule.move_options(
        db.uow, origin=session.date, today=INIT_DAY, catalogue=catalogue, athlete_id=athlete_id
    )
    week_days = [thursday + timedelta(days=offset) for offset in range(7)]
    assert [option.day for option in options] == [day for day in week_days if day != session.date]
    for option in options:
        verdict = schedule.check_move(
            db.uow,
            origin=session.date,
            target=option.day,
            today=INIT_DAY,
            catalogue=catalogue,
            athlete_id=athlete_id,
        )
        assert option.verdict == verdict
        assert option.reasons == verdict.reasons
    assert any(option.allowed for option in options)
    assert any(not option.allowed for option in options)
    with pytest.raises(ProfileError, match="outside the session's week"):  # the Monday before it
        schedule.check_move(
            db.uow,
            origin=session.date,
            target=MON_1,
            today=INIT_DAY,
            catalogue=catalogue,
            athlete_id=athlete_id,
        )
    allowed = next(option for option in options if option.allowed)
    moved = schedule.move_session(
        db.uow,
        origin=session.date,
        target=allowed.day,
        today=INIT_DAY,
        catalogue=catalogue,
        athlete_id=athlete_id,
    )
    assert moved.verdict == allowed.verdict


def test_move_options_start_today_and_name_days_another_version_holds(db: Db, catalogue: Catalogue) -> None:
    athlete_id = init(db.uow, catalogue)
    with db.uow:
        [first] = db.uow.plans.versions(athlete_id)
        db.uow.plans.add(athlete_id, created_on=INIT_DAY, effective_from=FRI_1, document=first.document)
        db.uow.commit()
    options = schedule.move_options(
        db.uow, origin=THU_1, today=TUE_1, catalogue=catalogue, athlete_id=athlete_id
    )
    assert [option.day for option in options] == [TUE_1, WED_1, FRI_1, SAT_1, SUN_1]  # not Monday: past
    asked = {option.day: option for option in options if option.verdict is not None}
    assert list(asked) == [TUE_1, WED_1]
    for day in (FRI_1, SAT_1, SUN_1):
        [option] = [option for option in options if option.day == day]
        assert not option.allowed
        assert option.reasons == (f"another version of your plan is in force on {day:%a %d %b}",)


def test_move_options_for_a_session_that_cannot_move_name_the_from_field(
    db: Db, catalogue: Catalogue
) -> None:
    athlete_id = init(db.uow, catalogue)
    for origin, words in ((TUE_1, "is past"), (FRI_1, "no strength session is planned")):
        with pytest.raises(ProfileError) as refused:
            schedule.move_options(
                db.uow, origin=origin, today=WED_1, catalogue=catalogue, athlete_id=athlete_id
            )
        assert [(p.field, words in p.message) for p in refused.value.problems] == [("from", True)]


def test_the_version_on_a_day_before_the_first_is_the_first(db: Db, catalogue: Catalogue) -> None:
    athlete_id = init(db.uow, catalogue)
    with db.uow:
        [first] = db.uow.plans.versions(athlete_id)
        assert version_on(db.uow, athlete_id, INIT_DAY - timedelta(days=30)) == first
        assert version_on(db.uow, athlete_id, SUN_1) == first
        bare = db.uow.athletes.add(name="bare", units=UnitSystem.METRIC, profile_toml="", created_on=INIT_DAY)
        with pytest.raises(NotFoundError, match="no plan is stored yet"):
            version_on(db.uow, bare, INIT_DAY)
