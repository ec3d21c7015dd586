"""swap, profile, screen, report and replan through the command line, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ironmile.cli import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "training.db")
    result = CliRunner().invoke(
        app, ["init", "-p", str(ROOT / "examples" / "marathoner.toml"), "--db", path, "--date", "2026-11-30"]
    )
    assert result.exit_code == 0, result.output
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_swap_text_and_json(db: str) -> None:
    code, out, _ = run("swap", "back_squat", "--to", "box_squat", "--db", db, "--date", "2026-12-08")
    assert code == 0
    assert "box_squat" in out
    code, out, _ = run("swap", "deadlift", "-f", "json", "--db", db, "--date", "2026-12-08")
    document = json.loads(out)
    assert code == 0
    assert document["exercise"] == "deadlift"
    assert document["since"] == "2026-12-08"
    code, _, err = run("swap", "back_squat", "--to", "bench_press", "--db", db)
    assert code == 2
    assert "--to" in err


def test_profile_show_edit_and_replan(db: str, tmp_path: Path) -> None:
    code, out, _ = run("profile", "show", "--db", db)
    assert code == 0
    assert 'name = "Alex"' in out
    code, out, _ = run("profile", "show", "-f", "json", "--db", db)
    assert json.loads(out)["strength"]["session_minutes"] == 50
    edited = tmp_path / "edited.toml"
    edited.write_text(
        (ROOT / "examples" / "marathoner.toml").read_text().replace("= 50", "= 40"), encoding="utf-8"
    )
    code, out, _ = run(
        "profile", "edit", "--from", str(edited), "-f", "json", "--db", db, "--date", "2026-12-20"
    )
    assert code == 0
    assert json.loads(out)["plan_from"] == "2026-12-20"
    bad = tmp_path / "bad.toml"
    bad.write_text("[athlete]\n", encoding="utf-8")
    code, _, err = run("profile", "edit", "--from", str(bad), "--db", db)
    assert code == 2
    assert "athlete.body_mass" in err
    code, out, _ = run("replan", "--db", db, "--date", "2027-01-04")
    assert code == 0
    assert "2027-01-04" in out


def test_screen_flags_and_prompts(db: str) -> None:
    code, out, _ = run(
        "screen", "--left", "17", "--right", "23", "--felt-in", "quads", "-f", "json", "--db", db
    )
    document = json.loads(out)
    assert code == 0
    assert document["quad_dominant"]
    assert document["posterior_target"] == 2.0
    result = CliRunner().invoke(app, ["screen", "--db", db], input="26\n27\nglutes_hamstrings\n")
    assert result.exit_code == 0
    assert "no quad dominance flagged" in result.stdout
    code, _, err = run("screen", "--left", "20", "--right", "20", "--felt-in", "calves", "--db", db)
    assert code == 2
    assert "--felt-in" in err


def test_report_after_logging(db: str) -> None:
    for day, sets in (("2026-12-08", "75x5x3@2"), ("2026-12-15", "77.5x5x3@2")):
        assert run("log", "back_squat", sets, "--db", db, "--date", day)[0] == 0
    assert run("log", "--body-mass", "68", "--db", db, "--date", "2026-12-15")[0] == 0
    code, out, _ = run("report", "-f", "json", "--db", db, "--date", "2026-12-16")
    document = json.loads(out)
    squat = next(lift for lift in document["lifts"] if lift["id"] == "back_squat")
    assert code == 0
    assert len(squat["points"]) == 2
    assert squat["change_pct"] > 0
    code, out, _ = run("report", "--db", db, "--date", "2026-12-16")
    assert code == 0
    assert "back_squat" in out
    assert "adherence" in out


def test_interactive_log_asks_exercise_by_exercise(db: str) -> None:
    # squat as planned, split squat skipped, pull-up as planned, bench in notation, the rest as
    # planned, one extra exercise, then pain and effort
    answers = "\n-\n\n52.5x6x3@2\n\n\n\nplank\n45sx2\n\n3\n7\n"
    result = CliRunner().invoke(app, ["log", "--db", db, "--date", "2026-12-08"], input=answers)
    assert result.exit_code == 0, result.output
    assert "17 sets logged in the planned session" in result.stdout
    document = json.loads(run("export", "--db", db)[1])
    session = document["logged_sessions"][0]
    assert (session["pain_during"], session["session_rpe"]) == (3, 7)
    exercises = {entry["exercise_id"] for entry in session["sets"]}
    assert "bulgarian_split_squat" not in exercises
    assert {"back_squat", "bench_press", "plank"} <= exercises
    bench = [entry for entry in session["sets"] if entry["exercise_id"] == "bench_press"]
    assert {entry["load_kg"] for entry in bench} == {52.5}


def test_interactive_log_refuses_a_bad_entry_and_writes_nothing(db: str) -> None:
    before = run("export", "--db", db)[1]
    result = CliRunner().invoke(
        app, ["log", "--db", db, "--date", "2026-12-08"], input="75x5x3@11\n" + "\n" * 12
    )
    assert result.exit_code == 2
    assert "rir" in result.stderr
    assert run("export", "--db", db)[1] == before
