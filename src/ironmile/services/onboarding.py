"""Onboarding: a new athlete account's first profile and plan, and the running archive that can
fill in the running week before the profile exists.

An uploaded archive is read twice. First, before any profile is stored, only to propose the
running week (nothing is stored; the file waits in a staging folder under a random token). Then,
once the wizard finishes and the athlete exists, it is imported for them like any other import.
The staging folder is local to this machine: every app instance that may serve the finishing
request must see the same folder. It keeps one upload per account and at most a quota in all.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta, tzinfo
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.importers.archive import DEFAULT_LIMITS, Limits
from ironmile.adapters.profile_toml import parse_profile
from ironmile.adapters.profile_writer import ProfileAnswers, write_profile
from ironmile.domain.accounts import Account, Role
from ironmile.domain.athlete import DAY_NAMES, Profile
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError, IronmileError, NotFoundError, NotPermitted
from ironmile.domain.plan import Plan
from ironmile.domain.planner import build_plan
from ironmile.domain.running_habits import InferredWeek, infer_running_week
from ironmile.domain.running_load import heart_rate_profile
from ironmile.domain.running_weeks import monday_of
from ironmile.domain.screening import ScreenResult, assess
from ironmile.domain.units import UnitSystem, display_from_m
from ironmile.services.importing import ImportReport, import_activities, read_activities
from ironmile.services.running import HABIT_WEEKS
from ironmile.services.training import init_athlete

STAGING_FOLDER = "ironmile-staging"
STAGED_FOR_S = 24 * 60 * 60  # seconds an unfinished wizard's upload is kept
STAGED_UPLOADS = 10  # the staging folder's quota, all accounts together: this many of the largest upload
WITHOUT_IT = "fill in your running week yourself, and import the archive on the Import page once you finish"
UPLOAD_SUFFIXES = (".zip", ".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz", ".csv")
EXPECTED_UPLOAD = (
    "expected a .zip (a Strava or Garmin Connect export, or a zip of .fit, .gpx or .tcx files), "
    "a single .fit, .gpx or .tcx file, or Strava's activities.csv"
)
_TOKEN = re.compile(r"(\d+)-[A-Za-z0-9_-]{32}")  # owner id, then 24 random bytes in base64url
SOURCE = "your profile"
PLACEHOLDER = ProfileAnswers(body_mass=70.0, available_days=("mon",), session_minutes=45)


class ProfileExists(InputError):
    def __init__(self) -> None:
        super().__init__("this account has a profile already; change it in Settings instead")


class StagingRefused(InputError):
    """The staging folder cannot keep an upload (full, or not safe to use); the wizard goes on."""


# --- the profile and its plan -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Preview:
    """The plan a profile would get, built but not stored, for the wizard's review step."""

    profile: Profile
    plan: Plan
    screen: ScreenResult


def profile_text(profile: ProfileAnswers | str) -> str:
    return profile if isinstance(profile, str) else write_profile(profile)


def check(profile: ProfileAnswers | str, *, today: date, catalogue: Catalogue) -> Profile:
    """The profile, parsed; ProfileError names every field at fault."""
    return parse_profile(profile_text(profile), source=SOURCE, today=today, catalogue=catalogue)


def check_part(
    answers: ProfileAnswers, fields: Iterable[str], *, today: date, catalogue: Catalogue
) -> Profile:
    """Check some of the answers (`fields`, by their names in ProfileAnswers) before the rest are
    given: a valid placeholder stands in for the rest, so the checks across fields run too."""
    given = {"units": answers.units} | {field: getattr(answers, field) for field in fields}
    return check(replace(PLACEHOLDER, **given), today=today, catalogue=catalogue)


def preview(profile: ProfileAnswers | str, *, today: date, catalogue: Catalogue) -> Preview:
    """Check the profile and plan it, storing nothing."""
    parsed = check(profile, today=today, catalogue=catalogue)
    return Preview(parsed, build_plan(parsed, catalogue), assess(parsed.screen))


@dataclass(frozen=True, slots=True)
class Finished:
    athlete_id: int
    plan: Plan
    imported: ImportReport | None  # the staged archive's import, when there was one to import
    notes: tuple[str, ...]  # what to tell the athlete about their archive


def finish(
    uow: UnitOfWork,
    *,
    account: Account,
    profile: ProfileAnswers | str,
    today: date,
    catalogue: Catalogue,
    staged_token: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Finished:
    """Store the account's first profile and plan (one transaction, with the account's link to the
    athlete), then import the staged archive, if any, for the new athlete within `limits`.

    Refused (nothing stored) for a coach, for an account that has a profile, and for a profile
    with problems. An archive that is gone or unreadable does not undo the profile: the notes say
    so and point to the import page."""
    if account.role is not Role.ATHLETE:
        raise NotPermitted("only athlete accounts have a training profile")
    with uow:
        current = uow.accounts.get(account.id)
    if current is None:
        raise NotFoundError("this account no longer exists")
    if current.athlete_id is not None:
        raise ProfileExists()
    stored = init_athlete(
        uow,
        profile_text=profile_text(profile),
        source=SOURCE,
        today=today,
        catalogue=catalogue,
        name=current.email,
        owner_id=current.id,
    )
    athlete_id = stored.athlete.id
    if not staged_token:
        return Finished(athlete_id, stored.plan, None, ())
    try:
        path = staged_archive(staged_token, owner_id=current.id)
        if path is None:
            gone = (
                "Your uploaded archive was no longer on the server (uploads are kept for a day); "
                "import it on the Import page."
            )
            return Finished(athlete_id, stored.plan, None, (gone,))
        try:
            report = import_activities(
                uow, [str(path)], today=today, workers=1, athlete_id=athlete_id, limits=limits
            )
        finally:
            path.unlink(missing_ok=True)
    except (IronmileError, OSError) as error:
        failed = f"Your archive could not be imported ({error}); try again on the Import page."
        return Finished(athlete_id, stored.plan, None, (failed,))
    note = f"Imported {report.added} activit{'y' if report.added == 1 else 'ies'} from your archive"
    if report.rejected:
        reasons = unreadable_summary(
            [f"{r.file.replace(str(path), 'archive')}: {r.reason}" for r in report.rejected]
        )
        note += f"; {len(report.rejected)} could not be read ({reasons})"
    return Finished(athlete_id, stored.plan, report, (note + ".",))


# --- staging an upload ----------------------------------------------------------------------------


def upload_suffix(filename: str) -> str | None:
    """The suffix an upload is kept under (it tells the importer what the file is), or None for a
    file that is not an archive, an activity file or Strava's table."""
    lower = filename.strip().lower()
    return next(
        (suffix for suffix in sorted(UPLOAD_SUFFIXES, key=len, reverse=True) if lower.endswith(suffix)), None
    )


def staging_folder() -> Path:
    """The folder uploads wait in, private to this server's user. It sits in the shared temporary
    folder, where another local user could have made it first (to read uploads or plant files), so
    it is refused unless it is a real folder (not a link), this user's own and closed to others."""
    folder = Path(tempfile.gettempdir()) / STAGING_FOLDER
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    found = folder.lstat()
    problem = None
    if not stat.S_ISDIR(found.st_mode):
        problem = "is not a folder (a link or a file)"
    elif found.st_uid != os.geteuid():
        problem = "belongs to another user"
    elif found.st_mode & 0o077:
        problem = f"is open to other users (mode {stat.S_IMODE(found.st_mode):o}, not 700)"
    if problem:
        raise StagingRefused(f"this server cannot keep uploads: {folder} {problem}; {WITHOUT_IT}")
    return folder


def _staged(folder: Path) -> list[tuple[Path, int]]:
    """Every staged upload in the folder, with its owner's account id (other files are left be)."""
    matches = ((path, _TOKEN.fullmatch(path.name.split(".", 1)[0])) for path in folder.iterdir())
    return [(path, int(match[1])) for path, match in matches if match]


def sweep_staging(*, now_s: float | None = None) -> int:
    """Delete staged uploads older than a day (wizards never finished); returns how many.
    File times are the real clock's, so `now_s` defaults to it."""
    limit = (time.time() if now_s is None else now_s) - STAGED_FOR_S
    removed = 0
    for path, _ in _staged(staging_folder()):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # finished meanwhile
            continue
    return removed


def stage_upload(source: BinaryIO, *, owner_id: int, suffix: str, quota_bytes: int) -> str:
    """Keep an upload for the account until the wizard finishes; returns its token. An account keeps
    one (its earlier uploads are deleted), readable by this server's user only. Uploads older than a
    day are swept first; StagingRefused when the folder would hold more than `quota_bytes` (bytes)."""
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError(f"archive: {EXPECTED_UPLOAD}")
    folder = staging_folder()
    size = source.seek(0, os.SEEK_END)
    source.seek(0)
    # An flock on the folder itself: one upload staged at a time across this machine's app
    # processes, so two at once cannot both take the quota's last room.
    lock = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sweep_staging()
        held = 0
        for path, owner in _staged(folder):
            with contextlib.suppress(FileNotFoundError):  # finished meanwhile
                if owner == owner_id:
                    path.unlink()
                else:
                    held += path.stat().st_size
        if held + size > quota_bytes:
            raise StagingRefused(
                f"this server holds too many uploads to keep yours until you finish; {WITHOUT_IT}"
            )
        token = f"{owner_id}-{secrets.token_urlsafe(24)}"
        target = folder / f"{token}{suffix}"
        try:
            with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as copy:
                shutil.copyfileobj(source, copy)
        except OSError as error:  # the disk is full, most likely
            target.unlink(missing_ok=True)
            raise StagingRefused(
                f"this server could not keep your upload ({error.strerror}); {WITHOUT_IT}"
            ) from None
    finally:
        os.close(lock)  # and with it the lock
    return token


def staged_archive(token: str, *, owner_id: int) -> Path | None:
    """The staged upload of `token`, if it is still here and belongs to `owner_id` (a token is
    never a path: anything but the token's own shape finds nothing)."""
    match = _TOKEN.fullmatch(token)
    if match is None or int(match[1]) != owner_id:
        return None
    folder = staging_folder()
    return next((p for s in UPLOAD_SUFFIXES if (p := folder / f"{token}{s}").is_file()), None)


def discard_staged(token: str, *, owner_id: int) -> None:
    path = staged_archive(token, owner_id=owner_id)
    if path is not None:
        path.unlink(missing_ok=True)


# --- the running week an archive shows ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArchiveWeek:
    """What an archive says about the runner's week, before anything is stored."""

    inferred: InferredWeek | None  # None: no runs at all
    activities: int  # readable activities of any sport
    runs: int  # runs among them
    runs_looked_at: int  # runs in the weeks the inference looked at
    unreadable: tuple[str, ...]  # one line per file or row that could not be read
    first_run: date | None
    last_run: date | None

    @property
    def summary(self) -> str:
        """One sentence: what was found and what the running week was read from."""
        if self.inferred is None or self.last_run is None:
            return f"Found {self.activities} activities but no runs, so your running week is up to you."
        if not self.inferred.running.run_days:
            return (
                f"Found {self.runs} runs up to {self.last_run:%d %b %Y}, but no regular running week "
                "in them (see why below), so your running week is up to you."
            )
        weeks = self.inferred.weeks_seen
        return (
            f"Found {self.runs} runs from {self.first_run:%d %b %Y} to {self.last_run:%d %b %Y}; your week "
            f"below is read from the last {self.runs_looked_at} runs over {weeks} week{'s' * (weeks != 1)}."
        )

    def running_answers(self, units: UnitSystem) -> dict[str, str | list[str]]:
        """The inferred week in the profile's words (days `mon`…, the weekly distance in km or mi
        to 0.1), as the wizard's step 1 shows it; empty when the archive shows no week."""
        if self.inferred is None or not self.inferred.running.run_days:
            return {}
        running = self.inferred.running
        weekly = display_from_m(running.weekly_distance_m, units)
        return {
            "run_days": [DAY_NAMES[day] for day in sorted(running.run_days)],
            "key_days": [DAY_NAMES[day] for day in sorted(running.key_days)],
            "long_run_day": DAY_NAMES[running.long_run_day] if running.long_run_day is not None else "",
            "weekly_distance": f"{round(weekly, 1):g}",
        }


def read_running_week(
    path: Path,
    *,
    today: date,
    home: tzinfo | None = None,
    display_name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ArchiveWeek:
    """The running week an archive shows, read from the 8 whole weeks up to its last run (an export
    made a while ago still shows the runner's habits), not stored. `display_name` replaces the
    file's path in messages. Raises InputError when the file holds no activity at all."""
    activities, unreadable = read_activities(str(path), today=today, home=home, limits=limits)
    shown = display_name or path.name
    unreadable = [line.replace(os.path.abspath(path), shown).replace(str(path), shown) for line in unreadable]
    if not activities:
        first = f"; {unreadable[0]}" if unreadable else ""
        raise InputError(f"archive: found no activities in {shown} ({EXPECTED_UPLOAD}){first}")
    runs = [a for a in activities if a.is_run]
    if not runs:
        return ArchiveWeek(None, len(activities), 0, 0, tuple(unreadable), None, None)
    days = sorted(run.start.date() for run in runs)
    # the inference reads whole weeks before the week of its "today": the runs' last week counts
    # unless it is still in progress
    until = min(today, monday_of(days[-1]) + timedelta(weeks=1))
    hr = heart_rate_profile(resting_bpm=None, max_bpm=None, sex=None, activities=runs)
    inferred = infer_running_week(runs, today=until, weeks=HABIT_WEEKS, hr=hr)
    window_start = monday_of(until) - timedelta(weeks=HABIT_WEEKS)
    looked_at = sum(1 for day in days if window_start <= day < monday_of(until))
    return ArchiveWeek(inferred, len(activities), len(runs), looked_at, tuple(unreadable), days[0], days[-1])


def home_zone(name: str | None) -> ZoneInfo | None:
    """The zone of an IANA name, None for none or a name that is not one (the profile check names
    that mistake; an archive is read in UTC meanwhile)."""
    try:
        return ZoneInfo(name.strip()) if name and name.strip() else None
    except (ValueError, KeyError, OSError):
        return None


def read_staged_week(
    token: str,
    *,
    owner_id: int,
    today: date,
    time_zone: str | None = None,
    display_name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ArchiveWeek:
    """`read_running_week` of a staged upload; `time_zone`: the runner's, if they named one yet."""
    path = staged_archive(token, owner_id=owner_id)
    if path is None:
        raise InputError("archive: the upload is no longer on the server; upload it again")
    home = home_zone(time_zone)
    return read_running_week(path, today=today, home=home, display_name=display_name, limits=limits)


def unreadable_summary(lines: Sequence[str], *, shown: int = 3) -> str:
    """The first few reasons files could not be read, and how many more there were."""
    text = "; ".join(lines[:shown])
    return text + (f" (and {len(lines) - shown} more)" if len(lines) > shown else "")
