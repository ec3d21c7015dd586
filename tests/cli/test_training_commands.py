"""The training-log commands through the CLI: init, today, week, log, export and restore on a SQLite
file in tmp_path, `IRONMILE_DB`, exit code 2 with one clear line for bad input, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ironmile.cli import app
from tests.cli.walkthrough import DOCS, shows, walkthrough
from tests.conftest import EXAMPLES_DIR

EXIT_BAD_INPUT = 2
MARATHONER = str(EXAMPLES_DIR / "marathoner.toml")
NOT_INITIALISED = "error: no athlete in this database yet: run `ironmile init --profile FILE` first"


def no_such_database(path: str) -> str:
    return f"error: {path}: no such database; create it with `ironmile init --profile FILE --db {path}`"


@pytest.fixture(autouse=True)
def _no_default_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the user's own database: no IRONMILE_DB, and a data folder in tmp_path."""
    monkeypatch.delenv("IRONMILE_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))


def invoke(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Result:
    result = runner.invoke(app, list(args), env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def ok(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Result:
    result = invoke(runner, *args, env=env)
    assert result.exit_code == 0, result.output
    return result


def bad(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> str:
    """The one error line of a command refused as bad input (exit 2, nothing on stdout)."""
    result = invoke(runner, *args, env=env)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    return line


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "training.db")


@pytest.fixture
def initialised(runner: CliRunner, db: str) -> str:
    ok(runner, "init", "-p", MARATHONER, "--db", db, "--date", "2026-11-30")
    return db


def test_init_says_what_it_stored(runner: CliRunner, db: str) -> None:
    result = ok(runner, "init", "--profile", MARATHONER, "--db", db, "--date", "2026-11-30")
    assert result.stdout == (
        "stored 'Alex' with a 22-week plan (2026-12-07 → 2027-05-09); see it with `ironmile today`\n"
    )
    assert Path(db).is_file()


def test_init_json(runner: CliRunner, db: str) -> None:
    result = ok(runner, "init", "-p", MARATHONER, "--db", db, "--date", "2026-11-30", "--format", "json")
    assert json.loads(result.stdout) == {
        "athlete": "Alex",
        "start_date": "2026-12-07",
        "end_date": "2027-05-09",
        "weeks": 22,
    }


def test_init_twice_is_refused(runner: CliRunner, initialised: str) -> None:
    line = bad(runner, "init", "-p", MARATHONER, "--db", initialised, "--date", "2026-12-01")
    assert line == "error: an athlete named 'Alex' is already stored in this database"


def test_init_with_a_missing_profile_is_refused(runner: CliRunner, db: str, tmp_path: Path) -> None:
    line = bad(runner, "init", "-p", str(tmp_path / "nope.toml"), "--db", db)
    assert "nope.toml" in line
    assert "no such file" in line


def test_today_shows_loads_plates_per_side_rest_and_why(runner: CliRunner, initialised: str) -> None:
    text = ok(runner, "today", "--db", initialised, "--date", "2026-12-08").stdout
    lines = text.splitlines()
    assert lines[0] == "Tue 08 Dec 2026 · legs + upper body"
    assert lines[1].startswith("why: Tuesday: after your key run")
    assert lines[2] == "1. Low-bar back squat: 3×5 RIR 2 · 75 kg (per side: 25 + 2.5) · rest 3:00"
    assert "per side" in text
    assert "bodyweight" in text


def test_today_json_has_plates_per_side_and_why(runner: CliRunner, initialised: str) -> None:
    document = json.loads(
        ok(runner, "today", "--db", initialised, "--date", "2026-12-08", "-f", "json").stdout
    )
    assert document["date"] == "2026-12-08"
    assert document["units"] == "metric"
    assert document["why"].startswith("Tuesday")
    squat = document["exercises"][0]
    assert squat["id"] == "back_squat"
    assert (squat["load"], squat["plates_per_side"], squat["sets"], squat["reps"], squat["rir"]) == (
        75.0,
        [25, 2.5],
        3,
        5,
        2,
    )
    assert squat["why"].startswith("first session")
    assert all("plates_per_side" in exercise and exercise["why"] for exercise in document["exercises"])


def test_today_on_a_day_without_a_session_names_the_next_one(runner: CliRunner, initialised: str) -> None:
    result = ok(runner, "today", "--db", initialised, "--date", "2026-12-09")
    assert result.stdout == "Wed 09 Dec 2026: no strength session planned; next session Thu 10 Dec\n"


def test_week_shows_every_session_of_the_week(runner: CliRunner, initialised: str) -> None:
    text = ok(runner, "week", "--db", initialised, "--date", "2026-12-09").stdout
    headings = [line for line in text.splitlines() if " · " in line and not line[0].isdigit()]
    assert headings == ["Tue 08 Dec 2026 · legs + upper body", "Thu 10 Dec 2026 · legs + upper body"]
    documents = json.loads(
        ok(runner, "week", "--db", initialised, "--date", "2026-12-09", "-f", "json").stdout
    )
    assert [d["date"] for d in documents] == ["2026-12-08", "2026-12-10"]


def test_week_before_the_plan_starts(runner: CliRunner, initialised: str) -> None:
    result = ok(runner, "week", "--db", initialised, "--date", "2026-11-30")
    assert result.stdout == "no strength session planned in the week of Mon 30 Nov 2026\n"


def test_log_notation_then_today_shows_the_progressed_load(runner: CliRunner, initialised: str) -> None:
    result = ok(runner, "log", "back_squat", "75x5x3@3", "--db", initialised, "--date", "2026-12-08")
    assert result.stdout == "2026-12-08: 3 sets logged in the planned session\n"
    text = ok(runner, "today", "--db", initialised, "--date", "2026-12-15").stdout
    assert "1. Low-bar back squat: 3×5 RIR 2 · 77.5 kg (per side: 25 + 2.5 + 1.25) · rest 3:00" in text
    assert "→ +2.5 kg: 77.5 kg" in text


def test_log_json_and_an_extra_session(runner: CliRunner, initialised: str) -> None:
    result = ok(
        runner, "log", "push_up", "bw x12x2@2", "--db", initialised, "--date", "2026-12-09", "-f", "json"
    )
    document = json.loads(result.stdout)
    assert document["planned"] is False
    assert (
        document["sets"]
        == [
            {"exercise": "push_up", "load_kg": None, "reps": 12, "seconds": None, "rir": 2},
        ]
        * 2
    )
    text = ok(runner, "log", "plank", "45sx2", "--db", initialised, "--date", "2026-12-09").stdout
    assert text == "2026-12-09: 4 sets logged in the extra session (no session was planned)\n"


def test_log_as_planned(runner: CliRunner, initialised: str) -> None:
    view = json.loads(ok(runner, "today", "--db", initialised, "--date", "2026-12-10", "-f", "json").stdout)
    result = ok(runner, "log", "--as-planned", "--db", initialised, "--date", "2026-12-10", "-f", "json")
    sets = json.loads(result.stdout)["sets"]
    assert len(sets) == sum(exercise["sets"] for exercise in view["exercises"])
    assert [s["exercise"] for s in sets][:3] == [view["exercises"][0]["id"]] * 3


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (["back_squat", "60x5", "--pain", "11"], "error: --pain: 11 is out of range; expected 0 to 10"),
        (["back_squat", "60x5", "--rpe", "-1"], "error: --rpe: -1 is out of range; expected 0 to 10"),
        (["back_squat", "75x5x3@11"], "error: log '75x5x3@11': rir: 11 is impossible; expected 0–10"),
        (["back_squat", "75x500"], "error: log '75x500': reps: 500 is impossible; expected 1–100"),
        (["back_squat", "--", "-60x5"], "error: log '-60x5': load: -60 is negative; expected 0 or more"),
        (["back_squat"], "error: give an exercise and its sets (e.g. `back_squat 60x5x3@2`) or --as-planned"),
        (
            ["--as-planned"],
            "error: --as-planned: no session is planned on 2026-12-09; log the sets you did instead",
        ),
    ],
)
def test_log_refuses_impossible_values_by_name(
    runner: CliRunner, initialised: str, arguments: list[str], line: str
) -> None:
    assert bad(runner, "log", "--db", initialised, "--date", "2026-12-09", *arguments) == line
    export = json.loads(ok(runner, "export", "--db", initialised).stdout)
    assert export["logged_sessions"] == []


def test_log_an_unknown_exercise_suggests_ids(runner: CliRunner, initialised: str) -> None:
    line = bad(runner, "log", "back_squatt", "60x5", "--db", initialised, "--date", "2026-12-08")
    assert line.startswith("error: no exercise with id 'back_squatt'")
    assert "back_squat" in line.removeprefix("error: no exercise with id 'back_squatt'")


def test_a_bad_date_is_refused(runner: CliRunner, initialised: str) -> None:
    line = bad(runner, "today", "--db", initialised, "--date", "2026-13-01")
    assert line == "error: --date: '2026-13-01' is not a date; expected YYYY-MM-DD"


def test_export_out_then_restore_into_a_fresh_database(
    runner: CliRunner, initialised: str, tmp_path: Path
) -> None:
    ok(runner, "log", "back_squat", "75x5x3@3", "--db", initialised, "--date", "2026-12-08")
    ok(runner, "log", "--as-planned", "--db", initialised, "--date", "2026-12-10")
    backup = tmp_path / "backup.json"
    result = ok(runner, "export", "--db", initialised, "--out", str(backup))
    assert result.stdout == ""
    assert result.stderr == f"wrote {backup}\n"
    assert json.loads(backup.read_text(encoding="utf-8"))["schema"] == "ironmile.dump/1"
    assert ok(runner, "export", "--db", initialised).stdout == backup.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup.json")] == []  # no temp left

    fresh = str(tmp_path / "fresh.db")
    assert ok(runner, "restore", str(backup), "--db", fresh).stdout == f"restored {backup}\n"
    assert ok(runner, "export", "--db", fresh).stdout == backup.read_text(encoding="utf-8")
    assert "77.5 kg" in ok(runner, "today", "--db", fresh, "--date", "2026-12-15").stdout


def test_export_refuses_an_existing_file_without_force(
    runner: CliRunner, initialised: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    backup.write_text("keep me\n", encoding="utf-8")
    line = bad(runner, "export", "--db", initialised, "--out", str(backup))
    assert str(backup) in line
    assert "--force" in line
    assert backup.read_text(encoding="utf-8") == "keep me\n"
    ok(runner, "export", "--db", initialised, "--out", str(backup), "--force")
    assert json.loads(backup.read_text(encoding="utf-8"))["athlete"]["name"] == "Alex"


def test_restore_refuses_a_database_in_use_and_broken_files(
    runner: CliRunner, initialised: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    ok(runner, "export", "--db", initialised, "--out", str(backup))
    line = bad(runner, "restore", str(backup), "--db", initialised)
    assert line == f"error: {backup}: the database already holds an athlete; restore into an empty one"

    broken = tmp_path / "broken.json"
    broken.write_text(backup.read_text(encoding="utf-8")[:100], encoding="utf-8")
    fresh = str(tmp_path / "fresh.db")
    line = bad(runner, "restore", str(broken), "--db", fresh)
    assert line.startswith(f"error: {broken}: not JSON")
    assert bad(runner, "today", "--db", fresh, "--date", "2026-12-08") == NOT_INITIALISED  # nothing written
    assert "no such file" in bad(runner, "restore", str(tmp_path / "missing.json"), "--db", fresh)


def test_export_csv_needs_a_folder(runner: CliRunner, initialised: str) -> None:
    assert (
        bad(runner, "export", "--db", initialised, "--format", "csv")
        == "error: --out: CSV is one file per table: give a folder, e.g. --out my-data/"
    )


def test_export_csv_writes_one_file_per_table(runner: CliRunner, initialised: str, tmp_path: Path) -> None:
    ok(runner, "log", "back_squat", "75x5x3@3", "--date", "2026-12-08", "--db", initialised)
    out = tmp_path / "my-data"
    ok(runner, "export", "--db", initialised, "--format", "csv", "--out", str(out))
    assert sorted(path.name for path in out.iterdir()) == [
        "activities.csv",
        "body_mass.csv",
        "morning_pain.csv",
        "plan_versions.csv",
        "planned_sessions.csv",
        "profile.toml",
        "screens.csv",
        "sets.csv",
        "swaps.csv",
    ]
    sets = (out / "sets.csv").read_text(encoding="utf-8").splitlines()
    assert len(sets) == 4  # the header and three sets of 75 kg × 5
    assert all(",back_squat," in line and ",75.0," in line for line in sets[1:])
    assert (out / "profile.toml").read_text(encoding="utf-8") == Path(MARATHONER).read_text(encoding="utf-8")
    again = bad(runner, "export", "--db", initialised, "--format", "csv", "--out", str(out))
    assert again.startswith("error: ")
    assert "--force" in again


def test_ironmile_db_environment_variable_instead_of_db(runner: CliRunner, tmp_path: Path) -> None:
    env = {"IRONMILE_DB": str(tmp_path / "env.db")}
    ok(runner, "init", "-p", MARATHONER, "--date", "2026-11-30", env=env)
    assert (tmp_path / "env.db").is_file()
    ok(runner, "log", "back_squat", "75x5x3@3", "--date", "2026-12-08", env=env)
    assert "77.5 kg" in ok(runner, "today", "--date", "2026-12-15", env=env).stdout
    url_env = {"IRONMILE_DB": f"sqlite:///{tmp_path / 'env.db'}"}
    assert "77.5 kg" in ok(runner, "week", "--date", "2026-12-15", env=url_env).stdout
    # --db wins over the environment
    other = str(tmp_path / "other.db")
    assert bad(runner, "today", "--db", other, "--date", "2026-12-15", env=env) == no_such_database(other)


@pytest.mark.parametrize(
    "arguments",
    [
        ["today", "--date", "2026-12-08"],
        ["today", "--format", "json"],
        ["week"],
        ["log", "back_squat", "60x5"],
        ["log", "--as-planned", "--date", "2026-12-08"],
        ["export"],
        ["export", "--out", "backup.json"],
    ],
    ids=" ".join,
)
def test_every_command_on_a_missing_database_exits_2_naming_it(
    runner: CliRunner, db: str, arguments: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert bad(runner, *arguments, "--db", db) == no_such_database(db)
    assert not (tmp_path / "backup.json").exists()
    assert not Path(db).exists()  # a mistyped --db leaves no empty database behind


def test_no_database_option_uses_the_user_data_folder(runner: CliRunner, tmp_path: Path) -> None:
    ok(runner, "init", "-p", MARATHONER, "--date", "2026-11-30")
    assert (tmp_path / "data-home" / "ironmile" / "ironmile.db").is_file()
    assert "75 kg" in ok(runner, "today", "--date", "2026-12-08").stdout


# ------------------------------------------------------------------------------------------------
# docs/training-log.md: its walkthrough replayed in order, on one database
# ------------------------------------------------------------------------------------------------

TRAINING_LOG_DOC = DOCS / "training-log.md"


def test_the_training_log_walkthrough_runs_as_shown(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples").symlink_to(EXAMPLES_DIR)
    monkeypatch.chdir(tmp_path)
    commands = walkthrough(TRAINING_LOG_DOC)
    assert len(commands) >= 10
    for args, shown in commands:
        result = invoke(runner, *args)
        if shown and shown[0].startswith("error: "):
            assert result.exit_code == EXIT_BAD_INPUT, (args, result.output)
            assert result.stderr.splitlines() == shown, args
        else:
            assert result.exit_code == 0, (args, result.output)
            assert shows(shown, result.stdout), (args, result.stdout)
    assert (tmp_path / "backup.json").is_file()
    assert ok(runner, "export", "--db", "copy.db").stdout == (tmp_path / "backup.json").read_text(
        encoding="utf-8"
    )
