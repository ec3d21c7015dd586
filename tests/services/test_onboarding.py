"""Onboarding on SQLite and PostgreSQL: the first profile stored with its plan and its account link
in one go, refused when it cannot be right, and the running archive read before the profile exists
and imported after it does."""

from __future__ import annotations

import os
import shutil
import stat
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from ironmile.adapters.db.tables import metadata
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.adapters.importers.archive import Limits
from ironmile.adapters.profile_writer import ProfileAnswers
from ironmile.domain.accounts import Account, Role
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError, NotPermitted, ProfileError
from ironmile.domain.units import UnitSystem
from ironmile.services import accounts, onboarding

TODAY = date(2026, 11, 26)  # a Thursday, inside the example export's last week
ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "examples" / "strava-export.zip"  # 16 real runs, 3–29 Nov 2026
MARATHONER = (ROOT / "examples" / "marathoner.toml").read_text(encoding="utf-8")
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
ANSWERS = ProfileAnswers(
    body_mass=61.0, run_days=("tue", "sat"), available_days=("mon", "thu"), session_minutes=40
)
ROOMY = 2**30  # bytes: a staging quota these tests never come near, but for the quota's own


@pytest.fixture(autouse=True)
def staging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    return temp / "ironmile-staging"


def account(uow: SqlUnitOfWork, email: str = "sam@example.org", role: Role = Role.ATHLETE) -> Account:
    return accounts.sign_up(
        uow, email=email, password="correct horse battery", role=role, today=TODAY, hasher=CHEAP
    )


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(metadata.tables[name])).scalar_one()
            for name in ("athletes", "plan_versions", "activities", "screens")
        }


def stage(owner: Account, quota_bytes: int = ROOMY) -> str:
    with EXPORT.open("rb") as upload:
        return onboarding.stage_upload(upload, owner_id=owner.id, suffix=".zip", quota_bytes=quota_bytes)


def someone(account_id: int) -> Account:
    """An athlete account as the staging functions see it: only the id matters to them."""
    return Account(account_id, "", Role.ATHLETE, None, "", 0, TODAY, "")


def test_finishing_stores_the_profile_and_plan_linked_to_the_account(
    migrated: Engine, catalogue: Catalogue
) -> None:
    uow = SqlUnitOfWork(migrated)
    sam = account(uow)
    finished = onboarding.finish(uow, account=sam, profile=ANSWERS, today=TODAY, catalogue=catalogue)
    assert (finished.imported, finished.notes) == (None, ())
    with uow:
        linked = uow.accounts.get(sam.id)
        athlete = uow.athletes.get(finished.athlete_id)
    assert linked is not None
    assert linked.athlete_id == finished.athlete_id
    assert athlete is not None
    assert athlete.name == "sam@example.org"
    assert athlete.profile_toml == onboarding.profile_text(ANSWERS)
    assert finished.plan.start_date == date(2026, 11, 30)  # the next Monday
    assert counts(migrated) == {"athletes": 1, "plan_versions": 1, "activities": 0, "screens": 0}


def test_a_second_finish_a_coach_and_a_bad_profile_are_refused_and_store_nothing(
    migrated: Engine, catalogue: Catalogue
) -> None:
    uow = SqlUnitOfWork(migrated)
    sam, coach = account(uow), account(uow, "coach@example.org", Role.COACH)
    with pytest.raises(ProfileError) as bad:
        onboarding.finish(
            uow, account=sam, profile=MARATHONER.replace("68.0", "0"), today=TODAY, catalogue=catalogue
        )
    assert [p.field for p in bad.value.problems] == ["athlete.body_mass"]
    with pytest.raises(NotPermitted):
        onboarding.finish(uow, account=coach, profile=MARATHONER, today=TODAY, catalogue=catalogue)
    assert counts(migrated)["athletes"] == 0
    onboarding.finish(uow, account=sam, profile=MARATHONER, today=TODAY, catalogue=catalogue)
    with pytest.raises(onboarding.ProfileExists):  # `sam` still says "no profile": the store decides
        onboarding.finish(uow, account=sam, profile=ANSWERS, today=TODAY, catalogue=catalogue)
    assert counts(migrated) == {"athletes": 1, "plan_versions": 1, "activities": 0, "screens": 0}


def test_the_staged_archive_is_imported_for_the_new_athlete_and_then_deleted(
    migrated: Engine, catalogue: Catalogue, staging: Path
) -> None:
    uow = SqlUnitOfWork(migrated)
    sam = account(uow)
    token = stage(sam)
    finished = onboarding.finish(
        uow, account=sam, profile=ANSWERS, today=TODAY, catalogue=catalogue, staged_token=token
    )
    assert finished.imported is not None
    assert finished.imported.added == 15
    assert finished.notes == (
        "Imported 15 activities from your archive; 1 could not be read (archive!activities/202611297.fit.gz: "
        "it starts on 2026-11-29, which cannot be right (expected 1985 to 2026-11-28): the device's clock "
        "was not set).",
    )
    with uow:
        assert uow.activities.count(finished.athlete_id) == 15
    assert list(staging.iterdir()) == []


def test_an_archive_that_is_gone_or_someone_elses_leaves_the_profile_stored_and_says_so(
    migrated: Engine, catalogue: Catalogue, staging: Path
) -> None:
    uow = SqlUnitOfWork(migrated)
    sam, kim = account(uow), account(uow, "kim@example.org")
    kims = stage(kim)
    finished = onboarding.finish(
        uow, account=sam, profile=ANSWERS, today=TODAY, catalogue=catalogue, staged_token=kims
    )
    assert "no longer on the server" in finished.notes[0]
    assert "Import page" in finished.notes[0]
    assert onboarding.staged_archive(kims, owner_id=kim.id) is not None  # untouched
    for path in staging.iterdir():
        path.unlink()
    finished = onboarding.finish(
        uow, account=kim, profile=ANSWERS, today=TODAY, catalogue=catalogue, staged_token=kims
    )
    assert finished.imported is None
    assert "Import page" in finished.notes[0]
    assert counts(migrated) == {"athletes": 2, "plan_versions": 2, "activities": 0, "screens": 0}


def test_a_token_finds_only_its_owners_upload_and_never_a_path(staging: Path) -> None:
    token = stage(someone(7))
    staged = onboarding.staged_archive(token, owner_id=7)
    assert staged is not None
    assert staged.read_bytes() == EXPORT.read_bytes()
    assert staged.stat().st_mode & 0o077 == 0  # this server's user only
    assert onboarding.staged_archive(token, owner_id=8) is None
    for forged in ("7-../../etc/passwd", f"7-{'a' * 31}/", "7", token + ".zip", ""):
        assert onboarding.staged_archive(forged, owner_id=7) is None
    with EXPORT.open("rb") as upload, pytest.raises(InputError):
        onboarding.stage_upload(upload, owner_id=7, suffix=".exe", quota_bytes=ROOMY)


def test_staging_sweeps_uploads_older_than_a_day(staging: Path) -> None:
    old, fresh = (stage(someone(n)) for n in (1, 2))
    old_path = onboarding.staged_archive(old, owner_id=1)
    assert old_path is not None
    day_ago = time.time() - onboarding.STAGED_FOR_S - 60
    os.utime(old_path, (day_ago, day_ago))
    assert onboarding.sweep_staging() == 1
    assert onboarding.staged_archive(old, owner_id=1) is None
    assert onboarding.staged_archive(fresh, owner_id=2) is not None


def test_an_account_keeps_one_staged_upload_however_often_it_uploads(staging: Path) -> None:
    # A client that never sends its earlier token back still holds one file: staging deletes the
    # account's earlier uploads. Account 12's survive account 1's (no prefix match on "1").
    twelves = stage(someone(12))
    first, second = stage(someone(1)), stage(someone(1))
    assert onboarding.staged_archive(first, owner_id=1) is None
    assert sorted(path.name for path in staging.iterdir()) == sorted([f"{second}.zip", f"{twelves}.zip"])


def test_staging_past_the_quota_is_refused_and_stores_nothing(staging: Path) -> None:
    size = EXPORT.stat().st_size  # bytes
    twelves = stage(someone(12), quota_bytes=size)  # fills the quota exactly
    with pytest.raises(onboarding.StagingRefused) as refused:
        stage(someone(1), quota_bytes=2 * size - 1)
    assert str(refused.value) == (
        "this server holds too many uploads to keep yours until you finish; fill in your running week "
        "yourself, and import the archive on the Import page once you finish"
    )
    assert [path.name for path in staging.iterdir()] == [f"{twelves}.zip"]
    again = stage(someone(12), quota_bytes=size)  # replacing one's own upload frees its room first
    assert [path.name for path in staging.iterdir()] == [f"{again}.zip"]


def test_the_staging_folder_is_made_private_to_this_user(staging: Path) -> None:
    stage(someone(1))
    found = staging.lstat()
    assert (stat.S_ISDIR(found.st_mode), stat.S_IMODE(found.st_mode), found.st_uid) == (
        True,
        0o700,
        os.geteuid(),
    )


@pytest.mark.parametrize(
    ("planted", "problem"),
    [
        ("link", "is not a folder (a link or a file)"),
        ("file", "is not a folder (a link or a file)"),
        ("open", "is open to other users (mode 777, not 700)"),
    ],
)
def test_a_staging_folder_someone_could_have_planted_is_refused(
    staging: Path, tmp_path: Path, planted: str, problem: str
) -> None:
    # The temporary folder is shared: another local user may create the staging path first.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if planted == "link":
        staging.symlink_to(elsewhere, target_is_directory=True)
    elif planted == "file":
        staging.write_bytes(b"")
    else:
        staging.mkdir()
        staging.chmod(0o777)
    with pytest.raises(onboarding.StagingRefused) as refused:
        stage(someone(1))
    assert (
        str(refused.value) == f"this server cannot keep uploads: {staging} {problem}; {onboarding.WITHOUT_IT}"
    )
    assert list(elsewhere.iterdir()) == []
    assert not staging.is_dir() or list(staging.iterdir()) == []


def test_a_staging_folder_of_another_user_is_refused(staging: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Making a folder that another user owns needs root; this server running as another user than
    # the folder's owner is the same case, seen from here.
    staging.mkdir(mode=0o700)
    monkeypatch.setattr(os, "geteuid", lambda: staging.stat().st_uid + 1)
    with pytest.raises(onboarding.StagingRefused, match=r"ironmile-staging belongs to another user; fill in"):
        stage(someone(1))
    assert list(staging.iterdir()) == []


def test_finishing_with_an_unsafe_staging_folder_stores_the_profile_and_says_why(
    migrated: Engine, catalogue: Catalogue, staging: Path
) -> None:
    uow = SqlUnitOfWork(migrated)
    sam = account(uow)
    token = stage(sam)
    staging.chmod(0o755)
    finished = onboarding.finish(
        uow, account=sam, profile=ANSWERS, today=TODAY, catalogue=catalogue, staged_token=token
    )
    assert (finished.imported, finished.notes) == (
        None,
        (
            f"Your archive could not be imported (this server cannot keep uploads: {staging} is open to "
            f"other users (mode 755, not 700); {onboarding.WITHOUT_IT}); try again on the Import page.",
        ),
    )
    assert counts(migrated) == {"athletes": 1, "plan_versions": 1, "activities": 0, "screens": 0}


def test_a_staged_archive_is_read_within_the_limits_it_is_given(staging: Path) -> None:
    token = stage(someone(1))
    with zipfile.ZipFile(EXPORT) as export:
        unpacked = sum(info.file_size for info in export.infolist() if not info.is_dir())  # bytes
    with pytest.raises(InputError) as refused:
        onboarding.read_staged_week(
            token, owner_id=1, today=TODAY, display_name="export.zip", limits=Limits(max_total_bytes=1000)
        )
    assert str(refused.value).endswith(
        f"export.zip: zip would decompress to {unpacked:,} bytes, more than the limit of 1,000 for one "
        "archive"
    )


def test_the_example_export_shows_a_tuesday_thursday_saturday_sunday_week() -> None:
    week = onboarding.read_running_week(EXPORT, today=TODAY, display_name="export.zip")
    assert week.inferred is not None
    running = week.inferred.running
    assert (sorted(running.run_days), running.long_run_day) == ([1, 3, 5, 6], 6)
    assert (week.activities, week.runs, week.runs_looked_at) == (15, 15, 12)
    assert week.unreadable == (
        "export.zip!activities/202611297.fit.gz: it starts on 2026-11-29, which cannot be right "
        "(expected 1985 to 2026-11-28): the device's clock was not set",
    )
    assert week.summary == (
        "Found 15 runs from 03 Nov 2026 to 28 Nov 2026; your week below is read from the last 12 runs "
        "over 3 weeks."
    )
    assert week.running_answers(UnitSystem.IMPERIAL)["weekly_distance"] == "24.6"  # 39.6 km


def test_an_export_made_months_ago_is_read_up_to_its_own_last_week(migrated: Engine) -> None:
    week = onboarding.read_running_week(EXPORT, today=date(2027, 6, 1))
    assert week.inferred is not None
    assert week.inferred.weeks_seen == 4
    assert (week.runs_looked_at, sorted(week.inferred.running.run_days)) == (16, [1, 3, 5, 6])


def test_a_file_without_activities_is_refused_and_rides_only_give_no_week(tmp_path: Path) -> None:
    photos = tmp_path / "photos.zip"
    with zipfile.ZipFile(photos, "w") as bundle:
        bundle.writestr("beach.jpg", b"\xff\xd8")
    with pytest.raises(InputError, match=r"found no activities in photos\.zip .*unknown file type \.jpg"):
        onboarding.read_running_week(photos, today=TODAY)
    ride = tmp_path / "ride.gpx"
    shutil.copy(ROOT / "tests" / "fixtures" / "activities" / "gpx" / "sweatpy__activity_5039744860.gpx", ride)
    week = onboarding.read_running_week(ride, today=TODAY)
    assert (week.inferred, week.activities, week.running_answers(UnitSystem.METRIC)) == (None, 1, {})
    assert week.summary == "Found 1 activities but no runs, so your running week is up to you."


def test_a_step_is_checked_with_the_rest_of_the_profile_stood_in(catalogue: Catalogue) -> None:
    running = ProfileAnswers(run_days=("tue",), key_days=("wed",))  # no body mass, no strength days yet
    with pytest.raises(ProfileError) as caught:
        onboarding.check_part(running, ("run_days", "key_days"), today=TODAY, catalogue=catalogue)
    assert [p.field for p in caught.value.problems] == ["running.key_days[0]"]
    fine = onboarding.check_part(ANSWERS, ("body_mass",), today=TODAY, catalogue=catalogue)
    assert fine.athlete.body_mass_kg == 61.0
