"""The athlete's stored plan and data as files to take away: the plan as a PDF, as a calendar (a
download, and the private feed a calendar app subscribes to), Garmin watch workouts, and everything
stored as a JSON backup or as CSV tables.

The renderers are the command line's (`ironmile plan --format pdf|ics|fit`, cli/exports.py); only
where the plan comes from differs: the stored plan versions, not a profile file. The plan exported
is the version in force today (before the first plan starts, the first), the same one the day view
shows. These functions only read.

Calendar events keep their UIDs across plan versions (render/ics.py keys them on the athlete and the
week), and each event's SEQUENCE counts how often its content changed from one stored version to
the next, so a calendar app that re-imports the file replaces changed events instead of keeping
stale ones. Nothing in these files comes from the clock: the same stored data on the same day gives
the same bytes.
"""

from __future__ import annotations

import io
import re
import tomllib
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from functools import lru_cache

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.db.records import PlanVersion, StoredAthlete
from ironmile.adapters.plan_snapshot import read_full_plan
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import FieldProblem, InputError, NotFoundError, ProfileError
from ironmile.domain.plan import Plan
from ironmile.domain.units import UnitSystem
from ironmile.render.fit_workout import WORKOUTS_README, plan_workouts
from ironmile.render.ics import plan_calendar
from ironmile.render.pdf import Paper, beginner_pdf, plan_pdf
from ironmile.render.session_words import scheduled_sessions, session_description, session_summary
from ironmile.services.training import current_athlete, export_all, export_tables, version_on

__all__ = [
    "Download",
    "Paper",
    "PlanOverview",
    "backup_json",
    "beginner_programme",
    "calendar_sequences",
    "feed_calendar",
    "plan_calendar_file",
    "plan_overview",
    "plan_pdf_file",
    "tables_zip",
    "workouts_zip",
]

PDF = "application/pdf"
ICS = "text/calendar; charset=utf-8"
ZIP = "application/zip"
JSON = "application/json"
# Zip members carry a date; the earliest zip can hold keeps the archive free of the clock.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
BEGINNER_WEEKS = range(8, 13)  # render/pdf.beginner_pdf: 8 to 12 weeks
_FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")  # services.accounts.new_token: 32 URL-safe characters

EventKey = tuple[date, int]  # (the week's Monday, the session's number in that week): its UID
EventContent = tuple[date, str, str]  # (date, summary, description)


@dataclass(frozen=True, slots=True)
class Download:
    """A file to send: its suggested name, media type and bytes."""

    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class PlanOverview:
    title: str
    start_date: date
    end_date: date
    sessions: int  # strength sessions in the plan
    upcoming: int  # of them on or after today


@dataclass(frozen=True, slots=True)
class _Stored:
    athlete: StoredAthlete
    versions: tuple[PlanVersion, ...]  # oldest first, ending with the version exported
    plan: Plan  # the last of `versions`, read back


def _stored(uow: UnitOfWork, *, athlete_id: int | None, today: date, catalogue: Catalogue) -> _Stored:
    with uow:
        athlete = current_athlete(uow, athlete_id)
        chosen = version_on(uow, athlete.id, today)
        versions = uow.plans.versions(athlete.id)
    upto = tuple(versions[: next(i for i, v in enumerate(versions) if v.id == chosen.id) + 1])
    return _Stored(athlete, upto, read_full_plan(chosen.document, catalogue))


def _title(athlete: StoredAthlete) -> str:
    """The profile's own name for the athlete, as the command line titles the plan."""
    try:
        name = tomllib.loads(athlete.profile_toml).get("athlete", {}).get("name")
    except tomllib.TOMLDecodeError:
        name = None
    return f"{name}'s strength plan" if isinstance(name, str) and name.strip() else "Your strength plan"


def plan_overview(
    uow: UnitOfWork, *, today: date, catalogue: Catalogue, athlete_id: int | None = None
) -> PlanOverview:
    stored = _stored(uow, athlete_id=athlete_id, today=today, catalogue=catalogue)
    sessions = [s for week in stored.plan.weeks for s in week.sessions]
    return PlanOverview(
        title=_title(stored.athlete),
        start_date=stored.plan.start_date,
        end_date=stored.plan.end_date,
        sessions=len(sessions),
        upcoming=sum(1 for s in sessions if s.date >= today),
    )


def plan_pdf_file(
    uow: UnitOfWork,
    *,
    today: date,
    catalogue: Catalogue,
    paper: Paper = Paper.A4,
    athlete_id: int | None = None,
) -> Download:
    """The printable plan (landscape, `paper` size), as `ironmile plan --format pdf` prints it."""
    stored = _stored(uow, athlete_id=athlete_id, today=today, catalogue=catalogue)
    content = plan_pdf(stored.plan, title=_title(stored.athlete), paper=paper)
    return Download(f"ironmile-plan-{today.isoformat()}.pdf", PDF, content)


def _events(plan: Plan) -> dict[EventKey, EventContent]:
    """Each calendar event of the plan by its UID's key, numbered as render/ics.py numbers them."""
    numbers: dict[date, int] = {}
    events: dict[EventKey, EventContent] = {}
    for item in scheduled_sessions(plan):  # date order, as plan_calendar walks them
        week = item.week.start_date
        number = numbers[week] = numbers.get(week, 0) + 1
        events[(week, number)] = (
            item.session.date,
            session_summary(item),
            session_description(item, plan.units),
        )
    return events


def calendar_sequences(plans: Sequence[Plan]) -> dict[date, int]:
    """SEQUENCE per session date of the last plan: how many times, from one plan version to the
    next (`plans` oldest first), the event with the same UID changed its date or its text. An event
    missing from a version keeps its count; unchanged events are left out (SEQUENCE 0)."""
    if not plans:
        return {}
    changes: dict[EventKey, int] = {}
    last: dict[EventKey, EventContent] = {}
    for plan in plans:
        for key, content in _events(plan).items():
            if key in last and last[key] != content:
                changes[key] = changes.get(key, 0) + 1
            last[key] = content
    sequences: dict[date, int] = {}
    for key, (day, _, _) in _events(plans[-1]).items():
        if changes.get(key):
            sequences[day] = max(sequences.get(day, 0), changes[key])
    return sequences


def plan_calendar_file(
    uow: UnitOfWork, *, today: date, catalogue: Catalogue, athlete_id: int | None = None
) -> Download:
    """The plan as an .ics file of all-day events, with stable UIDs and SEQUENCE from the stored
    versions; DTSTAMP is midnight UTC on the day the exported version was made."""
    stored = _stored(uow, athlete_id=athlete_id, today=today, catalogue=catalogue)
    plans = [read_full_plan(v.document, catalogue) for v in stored.versions[:-1]] + [stored.plan]
    title = _title(stored.athlete)
    content = plan_calendar(
        stored.plan,
        identity=stored.athlete.name,
        name=f"{title} (ironmile)",
        sequences=calendar_sequences(plans),
        stamp=datetime.combine(stored.versions[-1].created_on, time(0, 0), tzinfo=UTC),
    )
    return Download("ironmile-plan.ics", ICS, content)


def feed_calendar(uow: UnitOfWork, *, token: str, today: date, catalogue: Catalogue) -> Download:
    """The calendar of the account whose feed token this is; NotFoundError for any other token
    (a renewed one included) and for an account without a plan."""
    account = None
    if _FEED_TOKEN.fullmatch(token):
        with uow:
            account = uow.accounts.by_feed_token(token)
    if account is None or account.athlete_id is None:
        raise NotFoundError("no calendar at this address; the link may have been renewed")
    return plan_calendar_file(uow, today=today, catalogue=catalogue, athlete_id=account.athlete_id)


def _zip(files: Mapping[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            member = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, data)
    return buffer.getvalue()


def workouts_zip(
    uow: UnitOfWork, *, today: date, catalogue: Catalogue, athlete_id: int | None = None
) -> Download:
    """One Garmin FIT workout per session from today on, named as `ironmile plan --format fit`
    names them (`YYYY-MM-DD-strength.fit`), with the README on copying them to a watch."""
    stored = _stored(uow, athlete_id=athlete_id, today=today, catalogue=catalogue)
    plan = stored.plan
    upcoming = replace(
        plan,
        weeks=tuple(
            replace(week, sessions=tuple(s for s in week.sessions if s.date >= today)) for week in plan.weeks
        ),
    )
    if not any(week.sessions for week in upcoming.weeks):
        raise InputError(
            f"the plan has no strength sessions on or after {today.isoformat()}: nothing to put on a watch"
        )
    files: dict[str, str | bytes] = dict(plan_workouts(upcoming))
    files["README.txt"] = WORKOUTS_README
    return Download(f"ironmile-workouts-{today.isoformat()}.zip", ZIP, _zip(files))


def backup_json(uow: UnitOfWork, *, today: date, athlete_id: int | None = None) -> Download:
    """Everything stored for the athlete, as `ironmile export` writes it (`ironmile restore` reads it)."""
    content = export_all(uow, athlete_id=athlete_id).encode("utf-8")
    return Download(f"ironmile-backup-{today.isoformat()}.json", JSON, content)


def tables_zip(uow: UnitOfWork, *, today: date, athlete_id: int | None = None) -> Download:
    """Every table as a CSV file (and the profile as TOML), zipped."""
    tables = export_tables(uow, athlete_id=athlete_id)
    return Download(f"ironmile-tables-{today.isoformat()}.zip", ZIP, _zip(dict(sorted(tables.items()))))


def beginner_programme(*, units: UnitSystem, paper: Paper, weeks: int = 10) -> Download:
    """The free beginner programme; no account or database involved. Each of the 20 variants is
    made once per process: the address is public, and a PDF costs about a second of CPU."""
    if weeks not in BEGINNER_WEEKS:
        raise ProfileError(
            [FieldProblem("weeks", f"{weeks} is out of range; expected {BEGINNER_WEEKS[0]} to 12")]
        )
    return Download(
        f"ironmile-beginner-{weeks}-weeks-{units.value}-{paper.value}.pdf",
        PDF,
        _beginner_pdf(units, paper, weeks),
    )


@lru_cache(maxsize=len(UnitSystem) * len(Paper) * len(BEGINNER_WEEKS))
def _beginner_pdf(units: UnitSystem, paper: Paper, weeks: int) -> bytes:
    return beginner_pdf(units=units, paper=paper, catalogue=load_catalogue(), weeks=weeks)
