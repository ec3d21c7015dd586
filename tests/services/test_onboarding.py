"""Onboarding on SQLite and PostgreSQL: the first profile stored with its plan and its account link
in one go, refused when it cannot be right, and the running archive read before the profile exists
and imported after it does."""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from ironmile.adapters.db.tables import metadata
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
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


def stage(owner: Account) -> str:
    with EXPORT.open("rb") as upload:
        return onboarding.stage_upload(upload, owner_id=owner.id, suffix=".zip")


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
    with EXPORT.open("rb") as upload:
        token = onboarding.stage_upload(upload, owner_id=7, suffix=".zip")
    staged = onboarding.staged_archive(token, owner_id=7)
    assert staged is not None
    assert staged.read_bytes() == EXPORT.read_bytes()
    assert staged.stat().st_mode & 0o077 == 0  # this server's user only
    assert onboarding.staged_archive(token, owner_id=8) is None
    for forged in ("7-../../etc/passwd", f"7-{'a' * 31}/", "7", token + ".zip", ""):
        assert onboarding.staged_archive(forged, owner_id=7) is None
    with EXPORT.open("rb") as upload, pytest.raises(InputError):
        onboarding.stage_upload(upload, owner_id=7, suffix=".exe")


def test_staging_sweeps_uploads_older_than_a_day(staging: Path) -> None:
    old, fresh = (stage(Account(n, "", Role.ATHLETE, None, "", 0, TODAY, "")) for n in (1, 2))
    old_path = onboarding.staged_archive(old, owner_id=1)
    assert old_path is not None
    day_ago = time.time() - onboarding.STAGED_FOR_S - 60
    os.utime(old_path, (day_ago, day_ago))
    assert onboarding.sweep_staging() == 1
    assert onboarding.staged_archive(old, owner_id=1) is None
    assert onboarding.staged_archive(fresh, owner_id=2) is not None


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
