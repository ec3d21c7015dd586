"""From the PATHs a user names to import items: loose files, folders, plain zips, Strava and Garmin
Connect exports (zipped or unzipped), and every refusal with its reason.

Exports are built in tmp_path around the committed synthetic Strava table; activity files are
small made-up byte strings (discovery never parses them, and `read_ref` gives them back as written).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from ironmile.adapters.importers.archive import FileRef, read_ref
from ironmile.adapters.importers.discovery import Discovery, ImportItem, Rejection, discover
from ironmile.adapters.importers.garmin_connect import garmin_fingerprint
from ironmile.adapters.importers.strava import strava_fingerprint
from tests.corpus import FIXTURES

STRAVA_CSV = (FIXTURES / "strava" / "synthetic-english-2025__activities.csv").read_bytes()


def content(name: str) -> bytes:
    """Distinct bytes per file, so a mix-up shows; gzipped when the name says so."""
    data = f"<gpx><!-- {name} --></gpx>".encode()
    return gzip.compress(data, mtime=0) if name.endswith(".gz") else data


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def build(tmp_path: Path, files: dict[str, bytes], as_zip: bool, name: str = "export") -> Path:
    if as_zip:
        path = tmp_path / f"{name}.zip"
        path.write_bytes(zip_of(files))
        return path
    return write_tree(tmp_path / name, files)


def names(found: Discovery) -> list[str | None]:
    """Each item's file, relative (member name or path below tmp_path's export), None if summary-only."""
    return [
        None if item.ref is None else (item.ref.members[-1] if item.ref.members else item.ref.path)
        for item in found.items
    ]


def reasons(found: Discovery) -> list[str]:
    return [problem.reason for problem in found.rejected]


# ------------------------------------------------------------------------------------------------
# Loose files, folders and plain zips
# ------------------------------------------------------------------------------------------------


def test_single_files_become_items(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"a.fit": content("a.fit"), "b.gpx.gz": content("b.gpx.gz"), "c.TCX": content("c.TCX")}
    )
    found = discover([str(tmp_path / "c.TCX"), str(tmp_path / "a.fit"), str(tmp_path / "b.gpx.gz")])
    assert [item.ref.kind for item in found.items if item.ref] == ["fit", "gpx", "tcx"]
    assert all(item.summary is None for item in found.items)
    assert found.rejected == ()


def test_a_missing_path_is_a_rejection_not_an_error(tmp_path: Path) -> None:
    found = discover(["no/such/run.fit"])
    assert found == Discovery((), (Rejection("no/such/run.fit", "no such file or folder"),))


def test_folders_are_walked_recursively_skipping_hidden_files(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "runs",
        {
            "2024/jan/a.fit": b"a",
            "2024/b.gpx": b"b",
            "c.tcx.gz": content("c.tcx.gz"),
            ".DS_Store": b"x",
            "__MACOSX/2024/._a.fit": b"x",
            ".sync/d.fit": b"x",
            "2024/Thumbs.db": b"x",
            "notes.txt": b"x",
            "2024/route.kml": b"x",
        },
    )
    found = discover([str(root)])
    assert [os.path.relpath(item.ref.path, root) for item in found.items if item.ref] == [
        "2024/b.gpx",
        "2024/jan/a.fit",
        "c.tcx.gz",
    ]
    expected = (
        "expected .fit, .gpx or .tcx (optionally .gz), a .zip of them, a Strava activities.csv or a Garmin "
        "summarizedActivities .json"
    )
    assert [(Path(p.source).name, p.reason) for p in found.rejected] == [
        ("notes.txt", f"unknown file type .txt: {expected}"),
        ("route.kml", f"unknown file type .kml: {expected}"),
    ]


def test_a_zip_of_activity_files_and_zips_inside_it(tmp_path: Path) -> None:
    path = tmp_path / "runs.zip"
    path.write_bytes(
        zip_of({"a.fit": b"a", "more/b.gpx": b"b", "old.zip": zip_of({"c.tcx": b"c"}), "x.pdf": b"x"})
    )
    found = discover([str(path)])
    assert [item.ref.members for item in found.items if item.ref] == [
        ("a.fit",),
        ("more/b.gpx",),
        ("old.zip", "c.tcx"),
    ]
    assert [read_ref(item.ref) for item in found.items if item.ref] == [b"a", b"b", b"c"]
    assert [(p.source, p.reason.split(":")[0]) for p in found.rejected] == [
        (f"{path}!x.pdf", "unknown file type .pdf")
    ]


def test_the_same_file_named_twice_is_one_item(tmp_path: Path) -> None:
    write_tree(tmp_path / "runs", {"a.fit": b"a"})
    found = discover([str(tmp_path / "runs"), str(tmp_path / "runs" / "a.fit"), str(tmp_path / "runs")])
    assert len(found.items) == 1


# ------------------------------------------------------------------------------------------------
# Strava bulk export
# ------------------------------------------------------------------------------------------------

STRAVA_FILES = (
    "1001.fit.gz",
    "1002.gpx",
    "1004.tcx.gz",
    "1005.fit.gz",
    "1007.gpx.gz",
    "1008.fit",
    "2000.gpx",
)


def strava_export() -> dict[str, bytes]:
    files = {"activities.csv": STRAVA_CSV}
    files |= {f"activities/{name}": content(name) for name in STRAVA_FILES}
    # Everything else an export holds is ignored, GPX routes included (they are plans, not activities).
    files |= {
        "profile.csv": b"Athlete ID\n1\n",
        "bikes.csv": b"",
        "media/1.jpg": b"\xff\xd8",
        "routes/r.gpx": b"<gpx/>",
    }
    return files


@pytest.mark.parametrize("as_zip", [True, False], ids=["zip", "folder"])
def test_a_strava_export_joins_rows_and_files_by_the_filename_column(tmp_path: Path, as_zip: bool) -> None:
    path = build(tmp_path, strava_export(), as_zip)
    found = discover([str(path)])
    table = f"{path}!activities.csv" if as_zip else str(path / "activities.csv")

    assert [Path(name).name if name else None for name in names(found)] == [*STRAVA_FILES, None, None]
    joined = {Path(item.ref.name).name: item.summary for item in found.items if item.ref}
    assert joined["1001.fit.gz"] is not None
    assert joined["1001.fit.gz"].fingerprint == strava_fingerprint("9001")
    assert joined["1002.gpx"] is not None
    assert joined["1002.gpx"].source == f"{table} row 3"
    assert joined["1005.fit.gz"] is None  # its row was rejected (bad date); the file still counts
    assert joined["2000.gpx"] is None  # no row names it
    manual, missing = (item.summary for item in found.items[-2:])
    assert manual is not None
    assert manual.source == f"{table} row 4"  # Weight Training, no file
    assert missing is not None
    assert missing.source == f"{table} row 7"
    assert [(p.source, p.reason) for p in found.rejected] == [
        (
            f"{table} row 7",
            "the CSV names 'activities/1006.fit.gz', which is not in the export; kept the row's summary",
        ),
        (
            f"{table} row 6",
            "column 'Activity Date': 'Someday' is not a date we read (expected e.g. "
            "'May 29, 2022, 3:53:35 PM', '2018-09-12 15:02:23' or '29.05.2022, 15:53:35')",
        ),
    ]
    for item in found.items:
        if item.ref is not None:
            written = content(Path(item.ref.name).name)
            assert read_ref(item.ref) == (
                gzip.decompress(written) if item.ref.name.endswith(".gz") else written
            )


def test_an_export_whose_files_were_gunzipped_still_joins(tmp_path: Path) -> None:
    files = {"activities.csv": STRAVA_CSV, "activities/1001.fit": b"fit", "activities/1008.fit": b"fit"}
    found = discover([str(write_tree(tmp_path / "export_1", files))])
    joined = {Path(item.ref.path).name: item.summary for item in found.items if item.ref}
    assert joined["1001.fit"] is not None  # the CSV says activities/1001.fit.gz
    assert joined["1001.fit"].fingerprint == strava_fingerprint("9001")


def test_a_strava_export_inside_a_folder_of_other_files(tmp_path: Path) -> None:
    write_tree(tmp_path / "all", {"old/a.fit": b"a"})
    (tmp_path / "all" / "export_123.zip").write_bytes(zip_of(strava_export()))
    found = discover([str(tmp_path / "all")])
    assert len([item for item in found.items if item.summary]) == 7
    assert ImportItem(FileRef(str(tmp_path / "all" / "old" / "a.fit")), None) in found.items
    assert (
        reasons(found)[0]
        == "the CSV names 'activities/1006.fit.gz', which is not in the export; kept the row's summary"
    )


def test_a_bare_activities_csv_gives_summaries_without_missing_file_complaints(tmp_path: Path) -> None:
    (tmp_path / "my-strava.csv").write_bytes(STRAVA_CSV)
    found = discover([str(tmp_path / "my-strava.csv")])
    assert [item.ref for item in found.items] == [None] * 7
    assert reasons(found) == [
        "column 'Activity Date': 'Someday' is not a date we read (expected e.g. "
        "'May 29, 2022, 3:53:35 PM', '2018-09-12 15:02:23' or '29.05.2022, 15:53:35')"
    ]


def test_activities_csv_named_inside_an_unzipped_export_reads_the_whole_export(tmp_path: Path) -> None:
    path = build(tmp_path, strava_export(), as_zip=False)
    assert discover([str(path / "activities.csv")]) == discover([str(path)])


def test_an_unknown_file_in_the_activities_folder_is_rejected(tmp_path: Path) -> None:
    files = {"activities.csv": STRAVA_CSV, "activities/1001.kml": b"<kml/>"}
    found = discover([str(build(tmp_path, files, as_zip=True))])
    assert any(
        p.source.endswith("!activities/1001.kml") and p.reason.startswith("unknown file type in the export")
        for p in found.rejected
    )


# ------------------------------------------------------------------------------------------------
# Garmin Connect export
# ------------------------------------------------------------------------------------------------


def garmin_entry(activity_id: int, begin_ms: int, activity_type: str = "running") -> dict[str, object]:
    return {
        "activityId": activity_id,
        "activityType": activity_type,
        "beginTimestamp": begin_ms,
        "startTimeLocal": begin_ms + 3_600_000,
        "distance": 500000.0,
        "duration": 1_800_000.0,
    }


def garmin_export(uploads: str = "DI-Connect-Uploaded-Files") -> dict[str, bytes]:
    def table(*entries: dict[str, object]) -> bytes:
        return json.dumps([{"summarizedActivitiesExport": list(entries)}]).encode()

    fitness = "DI_CONNECT/DI-Connect-Fitness/"
    return {
        f"{fitness}runner@example.com_0_summarizedActivities.json": table(
            garmin_entry(11, 1_700_000_000_000), garmin_entry(12, 1_700_100_000_000, "strength_training")
        ),
        f"{fitness}runner@example.com_1001_summarizedActivities.json": table(
            garmin_entry(13, 1_700_200_000_000)
        ),
        f"{fitness}runner@example.com_gear.json": b"[]",
        "DI_CONNECT/DI-Connect-User/user_profile.json": b"{}",
        f"DI_CONNECT/{uploads}/UploadedFiles_0-_Part1.zip": zip_of(
            {"runner_7001.fit": b"fit 1", "runner_7002.fit": b"fit 2", "readme.txt": b"x"}
        ),
    }


@pytest.mark.parametrize("as_zip", [True, False], ids=["zip", "folder"])
@pytest.mark.parametrize("uploads", ["DI-Connect-Uploaded-Files", "DI-Connect-Fitness-Uploaded-Files"])
def test_a_garmin_export_lists_uploaded_files_then_summaries(
    tmp_path: Path, as_zip: bool, uploads: str
) -> None:
    path = build(tmp_path, garmin_export(uploads), as_zip)
    found = discover([str(path)])
    assert found.rejected == ()
    files = [item for item in found.items if item.ref]
    summaries = [item.summary for item in found.items if item.ref is None]
    assert found.items[: len(files)] == tuple(files)  # files first
    assert [item.ref.name for item in files if item.ref] == ["runner_7001.fit", "runner_7002.fit"]
    assert all(item.summary is None for item in files)  # upload ids cannot be joined to activity ids
    assert [read_ref(item.ref) for item in files if item.ref] == [b"fit 1", b"fit 2"]
    assert [s.fingerprint for s in summaries if s] == [garmin_fingerprint(str(n)) for n in (11, 12, 13)]
    assert summaries[2] is not None
    assert summaries[2].source.endswith("_1001_summarizedActivities.json entry 1")


def test_a_garmin_table_named_on_its_own(tmp_path: Path) -> None:
    name = "DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json"
    path = write_tree(tmp_path, {name: garmin_export()[name]}) / name
    found = discover([str(path)])
    assert [item.summary.fingerprint for item in found.items if item.summary] == [
        garmin_fingerprint("11"),
        garmin_fingerprint("12"),
    ]


def test_the_di_connect_folder_itself_is_recognised(tmp_path: Path) -> None:
    root = write_tree(tmp_path, garmin_export())
    found = discover([str(root / "DI_CONNECT")])
    assert found.rejected == ()
    assert len(found.items) == 5


# ------------------------------------------------------------------------------------------------
# Order
# ------------------------------------------------------------------------------------------------


def test_runs_are_reproducible_whatever_order_paths_come_in(tmp_path: Path) -> None:
    strava = build(tmp_path, strava_export(), as_zip=True, name="strava")
    garmin = build(tmp_path, garmin_export(), as_zip=True, name="garmin")
    loose = write_tree(tmp_path / "loose", {"z.fit": b"z", "a.gpx": b"a"})
    forward = discover([str(strava), str(garmin), str(loose)])
    backward = discover([str(loose), str(garmin), str(strava)])
    assert forward.items == backward.items
    assert sorted(forward.rejected, key=repr) == sorted(backward.rejected, key=repr)
    refs = [item.ref for item in forward.items if item.ref]
    assert refs == sorted(refs, key=lambda ref: (ref.path, ref.members))
    first_summary_only = next(i for i, item in enumerate(forward.items) if item.ref is None)
    assert all(item.ref is None for item in forward.items[first_summary_only:])
    assert isinstance(forward.items[0], ImportItem)
    assert isinstance(refs[0], FileRef)


def test_member_names_with_dot_steps_or_backslashes_are_read(tmp_path: Path) -> None:
    # Some zip tools store `./activities.csv`; old Windows ones store `runs\\a.fit`.
    strava = build(tmp_path, {f"./{name}": data for name, data in strava_export().items()}, as_zip=True)
    found = discover([str(strava)])
    assert len([item for item in found.items if item.ref and item.summary]) == 5
    (tmp_path / "windows.zip").write_bytes(zip_of({"runs\\a.fit": b"a"}))
    [item] = discover([str(tmp_path / "windows.zip")]).items
    assert item.ref == FileRef(str(tmp_path / "windows.zip"), ("runs\\a.fit",))
    assert read_ref(item.ref) == b"a"
