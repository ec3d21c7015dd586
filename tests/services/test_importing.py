"""Importing a running history through the service, on SQLite, PostgreSQL and the fake: real files
from tests/fixtures, stored once each however often and from wherever they come, bad files reported
and skipped, an interrupted import kept and resumed."""

from __future__ import annotations

import csv
import gzip
import re
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.importers.archive import FileRef, Limits
from ironmile.adapters.importers.parse import parse_file
from ironmile.domain.activity import Sport
from ironmile.domain.errors import InputError
from ironmile.services import training
from ironmile.services.importing import ImportTally, import_activities
from tests.benchmarks.archive import shift_fit
from tests.corpus import FIXTURES
from tests.services.conftest import Db

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 30)
FENIX_RUN = FIXTURES / "fit" / "fitparse__activity-small-fenix2-run.fit"
GPX_RIDE = FIXTURES / "gpx" / "sweatpy__activity_5039744860.gpx"
TCX_RIDE = FIXTURES / "tcx" / "sweatpy__activity_5039744860.tcx"  # the same ride as GPX_RIDE
UNTYPED_GPX = FIXTURES / "gpx" / "gpxpy__korita-zbevnica.gpx"  # no <type>: sport unknown on its own
BAD_CRC = FIXTURES / "fit" / "fitparse__activity-filecrc.fit"


def init(uow: UnitOfWork) -> int:
    training.init_athlete(
        uow,
        profile_text=(ROOT / "examples" / "marathoner.toml").read_text(encoding="utf-8"),
        source="marathoner.toml",
        today=TODAY,
        catalogue=load_catalogue(),
    )
    with uow:
        return training.current_athlete(uow).id


def stored(uow: UnitOfWork, athlete: int) -> list[tuple[str, str]]:
    with uow:
        return [(a.fingerprint, a.sport.value) for a in uow.activities.between(athlete)]


def shifted_runs(folder: Path, count: int) -> list[Path]:
    """`count` distinct runs: the fenix 2 file moved to a new day each time."""
    folder.mkdir(parents=True, exist_ok=True)
    data = FENIX_RUN.read_bytes()
    paths = []
    for day in range(count):
        path = folder / f"run-{day:03d}.fit"
        path.write_bytes(shift_fit(data, (day + 1) * 86400))
        paths.append(path)
    return paths


def test_importing_the_fixtures_stores_each_activity_once_and_reports_bad_files(db: Db) -> None:
    athlete = init(db.uow)
    first = import_activities(db.uow, [str(FIXTURES / "fit"), str(FIXTURES / "gpx")], today=TODAY)
    reasons = {Path(r.file).name: r.reason for r in first.rejected}
    assert "CRC" in reasons["fitparse__activity-filecrc.fit"]
    assert "not an activity" in reasons["fitparse__Settings.fit"]
    assert "unknown file type .md" in reasons["PROVENANCE.md"]
    assert first.added == len(stored(db.uow, athlete)) > 10
    # the fenix 5 run is committed both plain and gzipped: one activity
    assert first.duplicates >= 1
    again = import_activities(db.uow, [str(FIXTURES / "fit"), str(FIXTURES / "gpx")], today=TODAY)
    assert again.added == 0
    assert again.duplicates == first.added + first.duplicates
    assert len(stored(db.uow, athlete)) == first.added


def test_the_same_ride_from_two_sources_is_stored_once(db: Db) -> None:
    athlete = init(db.uow)
    report = import_activities(db.uow, [str(GPX_RIDE), str(TCX_RIDE)], today=TODAY)
    assert (report.added, report.duplicates, report.rejected) == (1, 1, ())
    assert len(stored(db.uow, athlete)) == 1


def test_a_strava_export_takes_the_sport_from_its_table_and_keeps_manual_rows(db: Db, tmp_path: Path) -> None:
    athlete = init(db.uow)
    export = tmp_path / "export_123"
    (export / "activities").mkdir(parents=True)
    (export / "activities" / "987.gpx.gz").write_bytes(gzip.compress(UNTYPED_GPX.read_bytes()))
    shutil.copy(BAD_CRC, export / "activities" / "555.fit")
    with (export / "activities.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Activity ID",
                "Activity Date",
                "Activity Name",
                "Activity Type",
                "Elapsed Time",
                "Distance",
                "Filename",
                "Elapsed Time",
                "Moving Time",
                "Distance",
            ]
        )
        writer.writerow(
            [
                "1",
                "Oct 3, 2010, 9:36:30 AM",
                "Hills",
                "Run",
                "3600",
                "14.90",
                "activities/987.gpx.gz",
                "3600.0",
                "3500.0",
                "14897.0",
            ]
        )
        writer.writerow(
            [
                "2",
                "May 1, 2024, 6:00:00 AM",
                "Treadmill",
                "Run",
                "1800",
                "5.00",
                "",
                "1800.0",
                "1800.0",
                "5000.0",
            ]
        )
        writer.writerow(
            [
                "3",
                "Apr 9, 2012, 9:22:26 PM",
                "Broken",
                "Run",
                "14",
                "0.01",
                "activities/555.fit",
                "14.0",
                "14.0",
                "6.0",
            ]
        )
    report = import_activities(db.uow, [str(export)], today=TODAY)
    assert report.added == 3
    [rejected] = report.rejected
    assert rejected.file.endswith("555.fit")
    assert "CRC" in rejected.reason
    assert "kept the summary" in rejected.reason
    with db.uow as uow:
        runs = uow.activities.between(athlete)
    assert [a.sport for a in runs] == [Sport.RUNNING] * 3  # the untyped GPX became a run from the CSV
    assert {round(a.distance_m or 0) for a in runs} >= {5000}


def test_a_garmin_export_with_nested_fit_zips_and_summaries(db: Db, tmp_path: Path) -> None:
    athlete = init(db.uow)
    run = parse_file(FileRef(str(FENIX_RUN)), Limits()).activities[0]
    nested = tmp_path / "UploadedFiles_0-_Part1.zip"
    with zipfile.ZipFile(nested, "w", zipfile.ZIP_DEFLATED) as inner:
        inner.writestr("u_12345.fit", FENIX_RUN.read_bytes())
    begin_ms = int(run.start.timestamp() * 1000)
    offset_ms = int((run.start.utcoffset() or 0).total_seconds() * 1000) if run.start.utcoffset() else 0
    summaries = [
        {
            "summarizedActivitiesExport": [
                {
                    "activityId": 1,
                    "activityType": "running",
                    "beginTimestamp": begin_ms,
                    "startTimeLocal": begin_ms + offset_ms,
                    "distance": 900_800.0,
                    "duration": 2_832_000.0,
                },
                {
                    "activityId": 2,
                    "activityType": "cycling",
                    "beginTimestamp": 1_700_000_000_000,
                    "startTimeLocal": 1_700_000_000_000,
                    "distance": 3_000_000.0,
                    "duration": 3_600_000.0,
                },
            ]
        }
    ]
    export = tmp_path / "garmin.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as outer:
        outer.write(nested, "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip")
        import json

        outer.writestr(
            "DI_CONNECT/DI-Connect-Fitness/me@example.com_0_summarizedActivities.json", json.dumps(summaries)
        )
    report = import_activities(db.uow, [str(export)], today=TODAY)
    assert (report.added, report.duplicates, report.rejected) == (2, 1, ())  # the run's summary is its FIT
    assert sorted(sport for _, sport in stored(db.uow, athlete)) == ["cycling", "running"]


def test_files_are_read_by_two_processes_with_the_same_result(db: Db, tmp_path: Path) -> None:
    athlete = init(db.uow)
    shifted_runs(tmp_path / "runs", 24)
    parallel = import_activities(db.uow, [str(tmp_path / "runs")], today=TODAY, workers=2)
    assert (parallel.added, parallel.duplicates, parallel.rejected) == (24, 0, ())
    serial_fingerprints = sorted(
        parse_file(FileRef(str(path)), Limits()).activities[0].fingerprint
        for path in sorted((tmp_path / "runs").iterdir())
    )
    assert sorted(fingerprint for fingerprint, _ in stored(db.uow, athlete)) == serial_fingerprints


def test_an_interrupted_import_keeps_committed_batches_and_resumes(db: Db, tmp_path: Path) -> None:
    athlete = init(db.uow)
    shifted_runs(tmp_path / "runs", 12)

    def interrupt_after_seven(tally: ImportTally) -> None:
        if tally.files_done == 7:
            raise KeyboardInterrupt

    cut = import_activities(
        db.uow,
        [str(tmp_path / "runs")],
        today=TODAY,
        workers=1,
        batch_files=3,
        on_progress=interrupt_after_seven,
    )
    assert cut.interrupted
    assert cut.added == len(stored(db.uow, athlete)) == 6  # two whole batches of three; the third was open
    rest = import_activities(db.uow, [str(tmp_path / "runs")], today=TODAY)
    assert not rest.interrupted
    assert (rest.added, rest.duplicates) == (6, 6)
    assert len(stored(db.uow, athlete)) == 12


def test_a_zip_bomb_in_the_batch_is_refused_and_the_rest_imports(db: Db, tmp_path: Path) -> None:
    init(db.uow)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("huge.gpx", b"<" + b"a" * (50 * 2**20))
    report = import_activities(db.uow, [str(bomb), str(FENIX_RUN)], today=TODAY)
    assert report.added == 1
    [rejected] = report.rejected
    assert "huge.gpx" in rejected.file
    assert "ratio" in rejected.reason or "compress" in rejected.reason


def test_importing_before_init_is_refused(db: Db) -> None:
    with pytest.raises(training.NotInitialisedError):
        import_activities(db.uow, [str(FENIX_RUN)], today=TODAY)


def test_impossible_values_are_refused_or_dropped_and_never_poison_later_imports(
    db: Db, tmp_path: Path
) -> None:
    """A year-1 clock in a GPX and a heart rate of 0 in a Strava row: one refused with its reason,
    the other stored without the impossible value; the next import still works."""
    athlete = init(db.uow)
    year_one = tmp_path / "year-one.gpx"
    text = UNTYPED_GPX.read_text(encoding="utf-8")
    year_one.write_text(re.sub(r"<time>\d{4}-", "<time>0001-", text), encoding="utf-8")
    export = tmp_path / "export"
    export.mkdir()
    with (export / "activities.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Activity ID",
                "Activity Date",
                "Activity Type",
                "Filename",
                "Average Heart Rate",
                "Distance",
                "Elapsed Time",
                "Distance",
            ]
        )
        writer.writerow(["7", "May 1, 2024, 6:00:00 AM", "Run", "", "0", "5.00", "1800", "5000.0"])
    report = import_activities(db.uow, [str(year_one), str(export)], today=TODAY)
    assert report.added == 1
    [refused] = report.rejected
    assert "the device's clock was not set" in refused.reason
    with db.uow as uow:
        [stored] = uow.activities.between(athlete)
    assert stored.avg_heart_rate_bpm is None
    assert import_activities(db.uow, [str(FENIX_RUN)], today=TODAY).added == 1


def test_of_two_records_of_one_session_the_one_with_heart_rate_is_kept(db: Db, tmp_path: Path) -> None:
    athlete = init(db.uow)
    with_hr = FIXTURES / "tcx" / "tcxparser__test.tcx"
    without = tmp_path / "a-first-without-heart-rate.tcx"  # sorts first, so it is found first
    text = with_hr.read_text(encoding="utf-8")
    without.write_text(
        re.sub(
            r"<(Average|Maximum)?HeartRateBpm>.*?</(Average|Maximum)?HeartRateBpm>", "", text, flags=re.DOTALL
        ),
        encoding="utf-8",
    )
    shutil.copy(with_hr, tmp_path / "b-with-heart-rate.tcx")
    report = import_activities(db.uow, [str(tmp_path)], today=TODAY)
    assert (report.added, report.duplicates) == (1, 1)
    with db.uow as uow:
        [stored] = uow.activities.between(athlete)
    assert stored.heart_rate_seconds
    assert stored.source.endswith("b-with-heart-rate.tcx")


def test_files_without_a_sport_take_the_one_the_athlete_names(db: Db) -> None:
    athlete = init(db.uow)
    unnamed = import_activities(db.uow, [str(UNTYPED_GPX)], today=TODAY)
    assert unnamed.unknown_sport == 1
    other = FIXTURES / "gpx" / "gpxpy__around-visnjan-with-car.gpx"  # another untyped track
    named = import_activities(db.uow, [str(other)], today=TODAY, sport=Sport.RUNNING)
    assert named.unknown_sport == 0
    with db.uow as uow:
        sports = sorted(a.sport.value for a in uow.activities.between(athlete))
    assert sports == ["other", "running"]


def test_a_folder_without_activity_files_is_bad_input(db: Db, tmp_path: Path) -> None:
    init(db.uow)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no activity files in"):
        import_activities(db.uow, [str(tmp_path / "empty")], today=TODAY)


def test_utc_only_files_count_on_the_athletes_local_day(db: Db) -> None:
    """GPX times are UTC; with the profile's time zone the stored start is the athlete's local time."""
    text = (ROOT / "examples" / "marathoner.toml").read_text(encoding="utf-8")
    training.init_athlete(
        db.uow,
        profile_text=text.replace('name = "Alex"', 'name = "Alex"\ntime_zone = "America/Los_Angeles"'),
        source="marathoner.toml",
        today=TODAY,
        catalogue=load_catalogue(),
    )
    import_activities(db.uow, [str(GPX_RIDE)], today=TODAY)  # starts 2020-06-01T14:52:40Z
    with db.uow as uow:
        [ride] = uow.activities.between(training.current_athlete(uow).id)
    assert ride.start.utcoffset() == timedelta(hours=-7)  # Pacific daylight time
    assert (ride.start.date(), ride.start.hour) == (date(2020, 6, 1), 7)
