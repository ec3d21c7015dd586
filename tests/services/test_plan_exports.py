"""The stored plan as files, through the service on a real SQLite database: the plan read back whole
from its stored document, calendar events that keep their UIDs and count their changes across plan
versions, watch workouts from today on, and feed tokens that open one calendar only."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from icalendar import Calendar

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.migrate import upgrade
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.adapters.plan_snapshot import StoredPlanError, read_full_plan
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.accounts import Role
from ironmile.domain.errors import InputError, NotFoundError, ProfileError
from ironmile.domain.plan import Plan
from ironmile.domain.planner import build_plan
from ironmile.domain.units import UnitSystem
from ironmile.render.plan_json import plan_json
from ironmile.services import accounts, plan_exports, review, training
from ironmile.services.plan_exports import Paper, calendar_sequences

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()
INIT_DAY = date(2026, 11, 30)  # the marathoner's plan starts on 2026-12-07
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def example(name: str) -> str:
    return (ROOT / "examples" / name).read_text(encoding="utf-8")


@pytest.fixture
def uow(tmp_path: Path) -> SqlUnitOfWork:
    engine = make_engine(str(tmp_path / "ironmile.db"))
    upgrade(engine)
    unit = SqlUnitOfWork(engine)
    training.init_athlete(
        unit,
        profile_text=example("marathoner.toml"),
        source="marathoner.toml",
        today=INIT_DAY,
        catalogue=CATALOGUE,
    )
    return unit


def events(ics: bytes) -> dict[str, tuple[int, date, str]]:
    """UID → (SEQUENCE, date, description) of every event."""
    calendar = Calendar.from_ical(ics)
    return {
        str(event["UID"]): (
            int(event.get("SEQUENCE", 0)),
            event.decoded("DTSTART"),
            str(event["DESCRIPTION"]),
        )
        for event in calendar.walk("VEVENT")
    }


@pytest.mark.parametrize(
    "name",
    [
        "marathoner.toml",
        "imperial_ultra.toml",
        "knee_pain_5k.toml",
        "novice_dumbbells.toml",
        "bodyweight_only.toml",
    ],
)
def test_a_stored_plan_reads_back_as_the_plan_that_was_stored(name: str) -> None:
    profile = parse_profile(example(name), source=name, today=INIT_DAY, catalogue=CATALOGUE)
    plan = build_plan(profile, CATALOGUE)
    assert read_full_plan(plan_json(plan), CATALOGUE) == plan


def test_a_damaged_plan_document_is_named_as_such() -> None:
    profile = parse_profile(example("marathoner.toml"), source="m", today=INIT_DAY, catalogue=CATALOGUE)
    document = plan_json(build_plan(profile, CATALOGUE)).replace('"focus"', '"focal"', 1)
    with pytest.raises(StoredPlanError, match="damaged"):
        read_full_plan(document, CATALOGUE)


def _minutes_plus(plan: Plan, minutes: int, *, on: date | None = None) -> Plan:
    """The plan with sessions `minutes` longer (all of them, or the one `on` a date): their titles change."""
    return replace(
        plan,
        weeks=tuple(
            replace(
                week,
                sessions=tuple(
                    replace(s, minutes=s.minutes + minutes) if on in (None, s.date) else s
                    for s in week.sessions
                ),
            )
            for week in plan.weeks
        ),
    )


def test_sequence_counts_each_change_of_an_event_from_version_to_version() -> None:
    profile = parse_profile(example("marathoner.toml"), source="m", today=INIT_DAY, catalogue=CATALOGUE)
    first = build_plan(profile, CATALOGUE)
    longer = _minutes_plus(first, 5)
    dates = {s.date for week in first.weeks for s in week.sessions}
    one_day = min(dates)
    assert calendar_sequences([]) == {}
    assert calendar_sequences([first]) == {}
    assert calendar_sequences([first, first]) == {}
    assert calendar_sequences([first, longer]) == dict.fromkeys(dates, 1)
    assert calendar_sequences([first, longer, longer]) == dict.fromkeys(dates, 1)
    assert calendar_sequences([first, longer, first]) == dict.fromkeys(dates, 2)
    assert calendar_sequences([first, _minutes_plus(first, 5, on=one_day)]) == {one_day: 1}


def test_the_calendar_keeps_uids_and_raises_sequence_only_where_a_new_version_changed_a_session(
    uow: SqlUnitOfWork,
) -> None:
    before = events(plan_exports.plan_calendar_file(uow, today=INIT_DAY, catalogue=CATALOGUE).content)
    assert {sequence for sequence, _, _ in before.values()} == {0}
    # The B race a week later: the sessions around both dates change, the rest of the plan does not.
    moved = review.show_profile(uow).replace("date = 2027-03-14", "date = 2027-03-21")
    review.edit_profile(uow, profile_text=moved, source="moved.toml", today=INIT_DAY, catalogue=CATALOGUE)
    download = plan_exports.plan_calendar_file(uow, today=INIT_DAY, catalogue=CATALOGUE)
    after = events(download.content)
    assert after.keys() == before.keys()
    changed = {uid for uid in after if after[uid][1:] != before[uid][1:]}
    assert changed
    assert len(changed) < len(after)
    assert {uid for uid, (sequence, _, _) in after.items() if sequence == 1} == changed
    assert {sequence for uid, (sequence, _, _) in after.items() if uid not in changed} == {0}
    assert download.media_type == "text/calendar; charset=utf-8"
    stamp = Calendar.from_ical(download.content).walk("VEVENT")[0].decoded("DTSTAMP")
    assert stamp == datetime(2026, 11, 30, tzinfo=UTC)  # the day the version in force was made


def test_a_replan_that_changes_nothing_leaves_every_sequence_at_zero(uow: SqlUnitOfWork) -> None:
    first = plan_exports.plan_calendar_file(uow, today=INIT_DAY, catalogue=CATALOGUE).content
    review.replan(uow, today=INIT_DAY, catalogue=CATALOGUE)
    assert plan_exports.plan_calendar_file(uow, today=INIT_DAY, catalogue=CATALOGUE).content == first


def test_watch_workouts_are_the_sessions_from_today_on_named_as_the_command_line_names_them(
    uow: SqlUnitOfWork,
) -> None:
    everything = plan_exports.workouts_zip(uow, today=INIT_DAY, catalogue=CATALOGUE)
    later_day = date(2027, 2, 3)
    later = plan_exports.workouts_zip(uow, today=later_day, catalogue=CATALOGUE)
    with (
        zipfile.ZipFile(io.BytesIO(everything.content)) as all_files,
        zipfile.ZipFile(io.BytesIO(later.content)) as later_files,
    ):
        all_names, later_names = set(all_files.namelist()), set(later_files.namelist())
    assert "README.txt" in later_names
    with uow:
        stored = training.plan_on(uow, training.current_athlete(uow), INIT_DAY, CATALOGUE)
    dates = [s.date.isoformat() for week in stored.weeks for s in week.sessions]
    assert all_names - {"README.txt"} == {f"{day}-strength.fit" for day in dates}
    assert later_names - {"README.txt"} == {
        f"{day}-strength.fit" for day in dates if day >= later_day.isoformat()
    }
    assert later.filename == "ironmile-workouts-2027-02-03.zip"
    assert plan_exports.workouts_zip(uow, today=INIT_DAY, catalogue=CATALOGUE).content == everything.content
    with pytest.raises(InputError, match="no strength sessions on or after 2027-12-01"):
        plan_exports.workouts_zip(uow, today=date(2027, 12, 1), catalogue=CATALOGUE)


def test_the_overview_counts_the_sessions_still_to_come(uow: SqlUnitOfWork) -> None:
    overview = plan_exports.plan_overview(uow, today=date(2027, 2, 3), catalogue=CATALOGUE)
    assert overview.title == "Alex's strength plan"
    assert overview.start_date == date(2026, 12, 7)
    assert 0 < overview.upcoming < overview.sessions


def test_a_feed_token_opens_its_own_account_s_calendar_and_nothing_else(uow: SqlUnitOfWork) -> None:
    account = accounts.sign_up(
        uow,
        email="alex@example.org",
        password="correct horse battery",
        role=Role.ATHLETE,
        today=INIT_DAY,
        hasher=CHEAP_HASHER,
    )
    with pytest.raises(NotFoundError):  # no plan linked to the account yet
        plan_exports.feed_calendar(uow, token=account.feed_token, today=INIT_DAY, catalogue=CATALOGUE)
    with uow:
        uow.accounts.set_athlete(account.id, training.current_athlete(uow).id)
        uow.commit()
    feed = plan_exports.feed_calendar(uow, token=account.feed_token, today=INIT_DAY, catalogue=CATALOGUE)
    assert feed.content == plan_exports.plan_calendar_file(uow, today=INIT_DAY, catalogue=CATALOGUE).content
    for wrong in ("", "x", account.feed_token.swapcase(), "../" * 12):
        with pytest.raises(NotFoundError, match="renewed"):
            plan_exports.feed_calendar(uow, token=wrong, today=INIT_DAY, catalogue=CATALOGUE)
    renewed = accounts.renew_feed_token(uow, user=account)
    with pytest.raises(NotFoundError):
        plan_exports.feed_calendar(uow, token=account.feed_token, today=INIT_DAY, catalogue=CATALOGUE)
    assert (
        plan_exports.feed_calendar(uow, token=renewed, today=INIT_DAY, catalogue=CATALOGUE).content
        == feed.content
    )


def test_the_beginner_programme_takes_8_to_12_weeks() -> None:
    with pytest.raises(ProfileError) as refused:
        plan_exports.beginner_programme(units=UnitSystem.METRIC, paper=Paper.A4, weeks=13)
    assert refused.value.problems[0].field == "weeks"
    download = plan_exports.beginner_programme(units=UnitSystem.IMPERIAL, paper=Paper.LETTER, weeks=8)
    assert download.filename == "ironmile-beginner-8-weeks-imperial-letter.pdf"
    assert download.content.startswith(b"%PDF")
