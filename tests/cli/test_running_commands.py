"""`ironmile import`, `ironmile running` and `ironmile profile suggest` on a SQLite file: JSON twins,
a report of rejected files, exit 2 when nothing at all could be read."""

from __future__ import annotations

import json
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.benchmarks.archive import shift_fit
from tests.cli.test_training_commands import EXIT_BAD_INPUT, bad, invoke, ok
from tests.cli.walkthrough import DOCS, shows, walkthrough
from tests.conftest import EXAMPLES_DIR
from tests.corpus import FIXTURES

FENIX_RUN = FIXTURES / "fit" / "fitparse__activity-small-fenix2-run.fit"
RECORDED_ON = date(2015, 8, 15)  # the day the fenix 2 run was recorded
AS_OF = "2026-11-30"


@pytest.fixture(autouse=True)
def _no_default_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("IRONMILE_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))


@pytest.fixture
def db(runner: CliRunner, tmp_path: Path) -> str:
    """An athlete whose profile writes down no running week."""
    text = (EXAMPLES_DIR / "marathoner.toml").read_text(encoding="utf-8")
    profile = tmp_path / "no-running.toml"
    profile.write_text(
        text.split("[running]")[0] + "[[races]]" + text.split("[[races]]", 1)[1], encoding="utf-8"
    )
    path = str(tmp_path / "runs.db")
    ok(runner, "init", "-p", str(profile), "--db", path, "--date", AS_OF)
    return path


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Eight weeks of runs on Tuesday, Thursday, Saturday and Sunday before the week of AS_OF."""
    folder = tmp_path / "history"
    folder.mkdir()
    data = FENIX_RUN.read_bytes()
    monday = date.fromisoformat(AS_OF) - timedelta(weeks=8)
    for week in range(8):
        for weekday in (1, 3, 5, 6):
            day = monday + timedelta(weeks=week, days=weekday)
            shifted = shift_fit(data, (day - RECORDED_ON).days * 86400)
            (folder / f"{day}.fit").write_bytes(shifted)
    return folder


def test_import_json_counts_added_duplicates_and_rejections(
    runner: CliRunner, db: str, history: Path
) -> None:
    (history / "notes.txt").write_text("not an activity")
    first = json.loads(
        ok(runner, "import", str(history), "--db", db, "--date", AS_OF, "--format", "json").stdout
    )
    assert (first["added"], first["duplicates"], first["files"]) == (32, 0, 32)
    assert first["rejected"] == [
        {
            "file": str(history / "notes.txt"),
            "reason": first["rejected"][0]["reason"],
        }
    ]
    assert "unknown file type .txt" in first["rejected"][0]["reason"]
    again = json.loads(
        ok(runner, "import", str(history), "--db", db, "--date", AS_OF, "--format", "json").stdout
    )
    assert (again["added"], again["duplicates"]) == (0, 32)


def test_import_table_lists_rejected_files_with_reasons(runner: CliRunner, db: str) -> None:
    result = ok(runner, "import", str(FIXTURES / "fit"), "--db", db, env={"COLUMNS": "300"})
    assert "activities added" in result.stdout
    assert "Rejected files" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "fitparse__activity-filecrc.fit" in line)
    assert "FIT file CRC mismatch" in row


def test_import_of_nothing_readable_exits_2(runner: CliRunner, db: str) -> None:
    result = invoke(
        runner, "import", str(FIXTURES / "fit" / "fitparse__Settings.fit"), "--db", db, "--format", "json"
    )
    assert result.exit_code == EXIT_BAD_INPUT
    assert json.loads(result.stdout)["rejected"][0]["reason"] == "a FIT settings file, not an activity"


def test_import_before_init_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    line = bad(runner, "import", str(FENIX_RUN), "--db", str(tmp_path / "missing.db"))
    assert line.endswith(
        "no such database; create it with `ironmile init --profile FILE --db "
        + str(tmp_path / "missing.db")
        + "`"
    )
    assert not (tmp_path / "missing.db").exists()


def test_running_shows_weeks_and_load(runner: CliRunner, db: str, history: Path) -> None:
    ok(runner, "import", str(history), "--db", db, "--date", AS_OF)
    table = ok(runner, "running", "--db", db, "--date", AS_OF, "--weeks", "9").stdout
    assert "Running, 9 weeks" in table
    assert "36.0 km" in table  # four 9.0 km runs a week
    assert "ACWR" in table
    document = json.loads(
        ok(runner, "running", "--db", db, "--date", AS_OF, "--weeks", "9", "--format", "json").stdout
    )
    assert [week["runs"] for week in document["weeks"]] == [4] * 8 + [0]
    assert set(document["weeks"][0]) == {
        "start_date",
        "distance_m",
        "duration_s",
        "runs",
        "long_run_m",
        "flags",
    }
    assert document["days"][-1]["date"] == AS_OF
    assert {"load", "acwr", "acwr_band", "ctl", "atl", "tsb"} <= set(document["days"][-1])


def test_profile_suggest_prints_a_running_table_to_paste(runner: CliRunner, db: str, history: Path) -> None:
    ok(runner, "import", str(history), "--db", db, "--date", AS_OF)
    text = ok(runner, "profile", "suggest", "--db", db, "--date", AS_OF).stdout
    running = tomllib.loads(text)["running"]
    assert running["run_days"] == ["tue", "thu", "sat", "sun"]
    assert running["weekly_distance"] == pytest.approx(36.0, abs=0.1)
    document = json.loads(
        ok(runner, "profile", "suggest", "--db", db, "--date", AS_OF, "--format", "json").stdout
    )
    assert document["running"]["run_days"] == ["tue", "thu", "sat", "sun"]
    assert document["weeks_seen"] == 8
    assert document["reasons"]


def test_profile_suggest_without_runs_is_bad_input(runner: CliRunner, db: str) -> None:
    assert bad(runner, "profile", "suggest", "--db", db, "--date", AS_OF).startswith(
        "error: no running week found"
    )


def test_replan_takes_the_running_week_from_history(runner: CliRunner, db: str, history: Path) -> None:
    ok(runner, "import", str(history), "--db", db, "--date", AS_OF)
    result = ok(runner, "replan", "--db", db, "--date", AS_OF)
    assert "from your imported runs: runs Tuesday, Thursday, Saturday, Sunday" in result.stdout


def test_the_importing_walkthrough_runs_as_shown(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples").symlink_to(EXAMPLES_DIR)
    monkeypatch.chdir(tmp_path)
    commands = walkthrough(DOCS / "importing.md")
    assert len(commands) >= 5
    for args, shown in commands:
        result = invoke(runner, *args)
        assert result.exit_code == 0, (args, result.output)
        assert shows(shown, result.stdout), (args, result.stdout)
