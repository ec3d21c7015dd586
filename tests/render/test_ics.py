"""The .ics export: what calendar apps read back, and why a re-export updates instead of duplicating.

Plans come from the bundled example profiles through the same parse and build steps as `ironmile plan`.
Files are read back by two independent parsers (icalendar, vobject) and queried by date range with
recurring-ical-events, as a calendar app would.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events
import vobject
from icalendar import Calendar, Component

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.errors import InputError
from ironmile.domain.plan import Plan, PlannedRun, Session
from ironmile.domain.planner import build_plan
from ironmile.render.ics import IRONMILE_NAMESPACE, PRODID, plan_calendar, session_uid
from ironmile.render.plan_text import load_text
from ironmile.render.session_words import scheduled_sessions, session_description, session_summary

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = date(2026, 11, 26)  # the as-of day the golden plans use
BERLIN = "Europe/Berlin"
# EU summer time (Directive 2000/84/EC): from 01:00 UTC on the last Sunday of March to 01:00 UTC on
# the last Sunday of October. In 2027 those Sundays are 28 March and 31 October.
SUMMER_TIME_2027 = (date(2027, 3, 28), date(2027, 10, 31))


@cache
def example_plan(stem: str, start: date | None = None) -> Plan:
    catalogue = load_catalogue()
    text = (EXAMPLES / f"{stem}.toml").read_text(encoding="utf-8")
    profile = parse_profile(text, source=f"{stem}.toml", today=TODAY, catalogue=catalogue)
    if start is not None:
        profile = replace(profile, strength=replace(profile.strength, start_date=start))
    return build_plan(profile, catalogue)


def sessions_of(plan: Plan) -> list[Session]:
    return [session for week in plan.weeks for session in week.sessions]


def events_by_uid(data: bytes) -> dict[str, Component]:
    return {str(event["UID"]): event for event in Calendar.from_ical(data).walk("VEVENT")}


@pytest.fixture
def read_with_vobject(monkeypatch: pytest.MonkeyPatch) -> Callable[[bytes], Any]:
    """vobject.readOne with validation, each file read with its own VTIMEZONE.

    vobject keeps the first VTIMEZONE it meets per TZID for the rest of the process (and falls back
    to pytz, which is not installed), so a later file would be read with an earlier file's zone; each
    read here starts from vobject's initial registry, as a fresh client would.
    """
    initial = {"UTC": vars(vobject.icalendar)["__tzidMap"]["UTC"]}

    def read(data: bytes) -> Any:
        monkeypatch.setattr(vobject.icalendar, "__tzidMap", dict(initial))
        return vobject.readOne(data.decode("utf-8"), validate=True)

    return read


def export(
    plan: Plan,
    *,
    time_zone: str | None = None,
    start_time: time | None = None,
    sequences: dict[date, int] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    return plan_calendar(
        plan,
        identity="Alex",
        name="Alex · strength",
        time_zone=time_zone,
        start_time=start_time,
        sequences=sequences,
        stamp=stamp,
    )


@pytest.mark.parametrize("stem", ["marathoner", "imperial_ultra", "bodyweight_only"])
def test_icalendar_reads_one_event_per_session_with_its_words(stem: str) -> None:
    plan = example_plan(stem)
    calendar = Calendar.from_ical(export(plan))
    events = calendar.walk("VEVENT")
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["X-WR-CALNAME"]) == "Alex · strength"
    assert [event.decoded("DTSTART") for event in events] == [s.date for s in sessions_of(plan)]
    for event, item in zip(events, scheduled_sessions(plan), strict=True):
        assert str(event["SUMMARY"]) == session_summary(item)
        assert str(event["DESCRIPTION"]) == session_description(item, plan.units)
        assert event.categories == ["Strength"]
        for exercise in item.session.exercises:
            assert exercise.exercise.name in str(event["DESCRIPTION"])
            assert load_text(exercise, plan.units) in str(event["DESCRIPTION"])


def test_vobject_validates_and_reads_the_same_events(read_with_vobject: Callable[[bytes], Any]) -> None:
    plan = example_plan("marathoner")
    for data in (export(plan), export(plan, time_zone=BERLIN, start_time=time(7, 0))):
        calendar = read_with_vobject(data)
        events = calendar.vevent_list
        assert len(events) == len(sessions_of(plan))
        for event, item in zip(events, scheduled_sessions(plan), strict=True):
            start = event.dtstart.value
            assert (start.date() if isinstance(start, datetime) else start) == item.session.date
            assert event.summary.value == session_summary(item)
            assert event.description.value == session_description(item, plan.units)


def test_description_lists_every_exercise_on_its_own_line_then_why() -> None:
    # Marathoner, Tue 8 Dec 2026 (tests/golden/marathoner.txt): the first heavy session.
    item = scheduled_sessions(example_plan("marathoner"))[0]
    lines = session_description(item, example_plan("marathoner").units).split("\n")
    assert lines[0] == "Week 1 of 22 · strength phase"
    assert lines[1] == "1. Low-bar back squat: 3×5 RIR 2 · 75 kg · rest 3:00"
    assert lines[2] == "2. Bulgarian split squat: 3×6/side RIR 2 · 12 kg per dumbbell · rest 2:00"
    assert lines[7] == "7. Pallof press: 2×10/side RIR 3 · band · rest 0:45"
    assert lines[8].startswith("Why this day: Tuesday: after your key run")
    assert "**" not in "\n".join(lines)
    assert "#" not in "\n".join(lines)


def test_summary_names_the_run_the_session_follows() -> None:
    items = scheduled_sessions(example_plan("marathoner"))
    assert session_summary(items[0]) == "Strength: legs + upper body (~47 min), after your key run"
    without_run = [item for item in items if item.run is None]
    assert without_run
    assert all("after" not in session_summary(item) for item in without_run)
    easy = scheduled_sessions(example_plan("novice_dumbbells"))[0]  # Mon 7 Dec 2026, an easy run day
    assert session_summary(easy).endswith(", after your easy run")


def test_a_session_on_race_day_says_so() -> None:
    plan = example_plan("marathoner")
    first = plan.weeks[0]
    day = first.sessions[0].date
    runs = (*(run for run in first.runs if run.date != day), PlannedRun(day, "race", "Club 10K"))
    raced = replace(plan, weeks=(replace(first, runs=runs), *plan.weeks[1:]))
    event = Calendar.from_ical(export(raced)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]).endswith(", race day, after Club 10K")


def test_a_range_query_returns_the_sessions_of_that_week() -> None:
    plan = example_plan("marathoner")
    week = plan.weeks[2]
    calendar = Calendar.from_ical(export(plan))
    found = recurring_ical_events.of(calendar).between(
        week.frame.start_date, week.frame.end_date + timedelta(1)
    )
    assert [event.start for event in found] == [session.date for session in week.sessions]


def test_all_day_events_are_dates_ending_the_next_day_and_leave_the_day_free() -> None:
    data = export(example_plan("novice_dumbbells"))
    for event in Calendar.from_ical(data).walk("VEVENT"):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date
        assert end == start + timedelta(days=1)
        assert str(event["TRANSP"]) == "TRANSPARENT"
    assert b"DTSTART;VALUE=DATE:20261207\r\n" in data
    assert b"VTIMEZONE" not in data


@pytest.mark.parametrize(
    ("stem", "start"),
    [("marathoner", None), ("novice_dumbbells", date(2027, 9, 6))],
    ids=["march", "october"],
)
def test_timed_events_in_berlin_have_the_right_utc_instants_across_the_dst_change(
    stem: str, start: date | None, read_with_vobject: Callable[[bytes], Any]
) -> None:
    plan = example_plan(stem, start)
    data = export(plan, time_zone=BERLIN, start_time=time(7, 0))
    assert b"DTSTART;TZID=Europe/Berlin:" in data
    events = Calendar.from_ical(data).walk("VEVENT")
    # Read the instants back with vobject too, which resolves TZID only through the file's VTIMEZONE.
    parsed = read_with_vobject(data).vevent_list
    summer, winter = 0, 0
    for event, other, session in zip(events, parsed, sessions_of(plan), strict=True):
        in_summer = SUMMER_TIME_2027[0] <= session.date < SUMMER_TIME_2027[1]
        summer, winter = summer + in_summer, winter + (not in_summer)
        expected = datetime.combine(session.date, time(5 if in_summer else 6, 0), tzinfo=UTC)
        for start, end in (
            (event.decoded("DTSTART"), event.decoded("DTEND")),
            (other.dtstart.value, other.dtend.value),
        ):
            assert start.astimezone(UTC) == expected
            assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(minutes=session.minutes)
    # The plan really crosses the change.
    assert summer > 0
    assert winter > 0


def test_the_time_zone_covers_the_plan_only() -> None:
    data = export(example_plan("marathoner"), time_zone=BERLIN, start_time=time(7, 0))
    zones = Calendar.from_ical(data).walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == [BERLIN]
    assert b"1970" not in data
    assert b"2038" not in data


def test_a_re_export_of_the_same_plan_is_byte_identical() -> None:
    plan = example_plan("marathoner")
    assert export(plan) == export(plan)
    timed = export(plan, time_zone=BERLIN, start_time=time(18, 30))
    assert timed == export(plan, time_zone=BERLIN, start_time=time(18, 30))


def uids_by_place(plan: Plan) -> set[str]:
    """The UIDs a plan's sessions should get: identity, the week's Monday, the place in the week."""
    return {
        session_uid("Alex", week.frame.start_date, ordinal)
        for week in plan.weeks
        for ordinal, _ in enumerate(sorted(week.sessions, key=lambda s: s.date), start=1)
    }


def test_uids_depend_on_identity_week_and_place_only() -> None:
    # The namespace is fixed forever: changing it would duplicate every event in runners' calendars.
    assert uuid.uuid5(uuid.NAMESPACE_DNS, "ironmile.invalid") == IRONMILE_NAMESPACE
    assert (
        session_uid("Alex", date(2026, 12, 7), 1) == "318eaa6f-71c4-560d-86e2-b615b2fe2929@ironmile.invalid"
    )
    plan = example_plan("marathoner")
    assert set(events_by_uid(export(plan))) == uids_by_place(plan)
    other = plan_calendar(plan, identity="Casey", name="Alex · strength")
    assert not set(events_by_uid(other)) & set(events_by_uid(export(plan)))


def test_changing_one_session_keeps_every_uid_and_changes_only_that_event() -> None:
    plan = example_plan("marathoner")
    week = plan.weeks[3]
    session = week.sessions[0]
    heavier = replace(session.exercises[0], load=(session.exercises[0].load or 0) + 2.5)
    changed_session = replace(session, exercises=(heavier, *session.exercises[1:]))
    changed_week = replace(week, sessions=(changed_session, *week.sessions[1:]))
    changed = replace(plan, weeks=(*plan.weeks[:3], changed_week, *plan.weeks[4:]))

    old_file, new_file = export(plan), export(changed, sequences={session.date: 1})
    before, after = events_by_uid(old_file), events_by_uid(new_file)
    assert set(after) == set(before)
    differing = {uid for uid in before if before[uid].to_ical() != after[uid].to_ical()}
    uid = session_uid("Alex", week.frame.start_date, 1)
    assert differing == {uid}
    # Byte for byte, everything outside that one event is as it was.
    assert before[uid].to_ical() in old_file
    assert old_file.replace(before[uid].to_ical(), b"") == new_file.replace(after[uid].to_ical(), b"")
    assert int(before[uid]["SEQUENCE"]) == 0
    assert int(after[uid]["SEQUENCE"]) == 1
    assert f"{heavier.load:g} kg" in str(after[uid]["DESCRIPTION"])


def test_a_session_moved_to_another_day_of_its_week_keeps_its_uid() -> None:
    """New key days move sessions: the calendar must move the event, not add a second one."""
    plan = example_plan("marathoner")
    week = plan.weeks[3]
    session = week.sessions[0]
    moved = replace(session, date=session.date + timedelta(days=1))
    changed = replace(
        plan, weeks=(*plan.weeks[:3], replace(week, sessions=(moved, *week.sessions[1:])), *plan.weeks[4:])
    )
    before, after = events_by_uid(export(plan)), events_by_uid(export(changed))
    assert set(after) == set(before)
    uid = session_uid("Alex", week.frame.start_date, 1)
    assert after[uid].decoded("DTSTART") == before[uid].decoded("DTSTART") + timedelta(days=1)


def test_two_sessions_on_one_day_get_two_uids() -> None:
    plan = example_plan("marathoner")
    week = plan.weeks[3]
    first, second = week.sessions[0], week.sessions[1]
    same_day = replace(second, date=first.date)
    doubled = replace(
        plan,
        weeks=(
            *plan.weeks[:3],
            replace(week, sessions=(first, same_day, *week.sessions[2:])),
            *plan.weeks[4:],
        ),
    )
    events = list(Calendar.from_ical(export(doubled)).walk("VEVENT"))
    assert len({str(event["UID"]) for event in events}) == len(events) == len(sessions_of(doubled))


def test_stamps_come_from_the_plan_not_the_clock() -> None:
    plan = example_plan("marathoner")
    event = Calendar.from_ical(export(plan)).walk("VEVENT")[0]
    assert event.decoded("DTSTAMP") == datetime(2026, 12, 7, tzinfo=UTC)  # the plan's start date
    assert event.decoded("LAST-MODIFIED") == datetime(2026, 12, 7, tzinfo=UTC)
    made = datetime(2026, 11, 26, 9, 15, 30, 123456, tzinfo=UTC)
    assert Calendar.from_ical(export(plan, stamp=made)).walk("VEVENT")[0].decoded("DTSTAMP") == made.replace(
        microsecond=0
    )


def test_lines_end_in_crlf_and_fold_at_75_octets_without_splitting_characters() -> None:
    data = export(example_plan("marathoner"), time_zone=BERLIN, start_time=time(7, 0))
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long descriptions really were folded
    for line in lines:
        line.decode("utf-8")  # raises if a fold split a multi-byte character such as × or ·


def test_imperial_plans_show_pounds() -> None:
    plan = example_plan("imperial_ultra")
    events = Calendar.from_ical(export(plan)).walk("VEVENT")
    loaded = 0
    for event, session in zip(events, sessions_of(plan), strict=True):
        assert " kg" not in str(event["DESCRIPTION"])
        for exercise in session.exercises:
            if exercise.load is not None:
                loaded += 1
                assert f"{exercise.exercise.name}: " in str(event["DESCRIPTION"])
                assert f" · {exercise.load:g} lb" in str(event["DESCRIPTION"])
    assert loaded  # the ultra runner lifts barbells and dumbbells: pounds really were shown


def test_an_empty_plan_is_refused() -> None:
    plan = example_plan("marathoner")
    empty = replace(plan, weeks=tuple(replace(week, sessions=()) for week in plan.weeks))
    with pytest.raises(InputError, match="the plan has no strength sessions to export"):
        export(empty)


def test_an_unknown_time_zone_is_named_in_the_error() -> None:
    with pytest.raises(InputError, match=r"unknown time zone 'Europe/Atlantis'"):
        export(example_plan("marathoner"), time_zone="Europe/Atlantis", start_time=time(7, 0))
    for malformed in ("../etc", "Europe", ""):
        with pytest.raises(InputError, match=re.escape(f"unknown time zone {malformed!r}")):
            export(example_plan("marathoner"), time_zone=malformed, start_time=time(7, 0))


def test_a_start_time_without_a_time_zone_is_refused() -> None:
    with pytest.raises(InputError, match="needs a time zone"):
        export(example_plan("marathoner"), start_time=time(7, 0))
