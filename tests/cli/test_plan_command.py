"""The `ironmile` command line on its happy paths: `plan` in every format and with every override,
`--out` files, `exercises` listing and `exercises show`, `--version` and `--help` everywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner, Result

from ironmile import __version__
from ironmile.cli import app
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.plan import Plan
from ironmile.render.plan_json import plan_document, plan_json
from ironmile.render.plan_text import plan_text
from ironmile.services.planning import plan_from_file

TODAY = date(2026, 11, 26)  # a Thursday
EXIT_BAD_INPUT = 2
WIDE = {"COLUMNS": "200"}  # Rich tables at full width, so ids and names are not cut short


def invoke(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(app, list(args), env=WIDE)
    assert "Traceback" not in result.output
    return result


def ok(runner: CliRunner, *args: str) -> Result:
    result = invoke(runner, *args)
    assert result.exception is None, result.exception
    assert result.exit_code == 0, result.output
    return result


def plan_args(profile: Path, *args: str) -> list[str]:
    return ["plan", "--profile", str(profile), "--date", TODAY.isoformat(), *args]


def service_plan(profile: Path, catalogue: Catalogue, **overrides: Any) -> Plan:
    return plan_from_file(profile, today=TODAY, catalogue=catalogue, **overrides)


def json_plan(runner: CliRunner, profile: Path, *args: str) -> dict[str, Any]:
    result = ok(runner, *plan_args(profile, "--format", "json", *args))
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def without_start_date(examples_dir: Path, tmp_path: Path) -> Path:
    text = (examples_dir / "novice_dumbbells.toml").read_text(encoding="utf-8")
    assert "start_date = 2026-12-07\n" in text
    profile = tmp_path / "no_start.toml"
    profile.write_text(text.replace("start_date = 2026-12-07\n", ""), encoding="utf-8")
    return profile


# --- plan ---------------------------------------------------------------------------------------


def test_plan_json_is_the_documented_schema_and_equals_the_service_result(
    runner: CliRunner, examples_dir: Path, catalogue: Catalogue
) -> None:
    profile = examples_dir / "marathoner.toml"
    result = ok(runner, *plan_args(profile, "--format", "json"))
    document = json.loads(result.stdout)
    assert document["schema"] == "ironmile.plan/1"
    expected = service_plan(profile, catalogue)
    assert document == plan_document(expected)
    assert result.stdout == plan_json(expected)
    assert result.stderr == ""


def test_plan_text_format_equals_the_text_rendering(
    runner: CliRunner, examples_dir: Path, catalogue: Catalogue
) -> None:
    profile = examples_dir / "marathoner.toml"
    result = ok(runner, *plan_args(profile, "--format", "text"))
    assert result.stdout == plan_text(service_plan(profile, catalogue))
    assert result.stdout.startswith("ironmile plan · 2026-12-07 → ")


def test_plan_default_table_shows_every_week_heading(
    runner: CliRunner, examples_dir: Path, catalogue: Catalogue
) -> None:
    profile = examples_dir / "marathoner.toml"
    result = ok(runner, *plan_args(profile))
    plan = service_plan(profile, catalogue)
    for week in plan.weeks:
        frame = week.frame
        assert f"Week {frame.index} · {frame.start_date:%a %d %b %Y} · {frame.phase.value}" in result.stdout
    assert f"Week {len(plan.weeks) + 1} ·" not in result.stdout
    first_session = plan.weeks[0].sessions[0]
    assert first_session.exercises[0].exercise.name in result.stdout
    assert not result.stdout.lstrip().startswith("{")  # a table, not JSON


def test_plan_out_writes_the_file_and_nothing_to_stdout(
    runner: CliRunner, examples_dir: Path, catalogue: Catalogue, tmp_path: Path
) -> None:
    profile = examples_dir / "marathoner.toml"
    out = tmp_path / "plan.json"
    result = ok(runner, *plan_args(profile, "--format", "json", "--out", str(out)))
    assert out.read_text(encoding="utf-8") == plan_json(service_plan(profile, catalogue))
    assert result.stdout == ""
    assert str(out) in result.stderr
    # Atomic: written through a temporary file in the same folder, which is gone afterwards.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.json"]


def test_plan_out_in_table_format_writes_plain_text(
    runner: CliRunner, examples_dir: Path, catalogue: Catalogue, tmp_path: Path
) -> None:
    profile = examples_dir / "marathoner.toml"
    out = tmp_path / "plan.txt"
    ok(runner, *plan_args(profile, "--out", str(out)))
    assert out.read_text(encoding="utf-8") == plan_text(service_plan(profile, catalogue))


def test_plan_out_refuses_to_overwrite_without_force(
    runner: CliRunner, examples_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan.json"
    out.write_text("keep me\n", encoding="utf-8")
    before = out.stat()
    result = invoke(runner, *plan_args(examples_dir / "marathoner.toml", "--format", "json", "-o", str(out)))
    assert result.exit_code == EXIT_BAD_INPUT
    assert result.stdout == ""
    assert result.stderr == f"error: {out}: file exists; pass --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert out.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.json"]


def test_plan_out_with_force_replaces_the_file(
    runner: CliRunner, examples_dir: Path, catalogue: Catalogue, tmp_path: Path
) -> None:
    profile = examples_dir / "marathoner.toml"
    out = tmp_path / "plan.json"
    out.write_text("old plan\n", encoding="utf-8")
    ok(runner, *plan_args(profile, "--format", "json", "--out", str(out), "--force"))
    assert out.read_text(encoding="utf-8") == plan_json(service_plan(profile, catalogue))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.json"]


def test_plan_out_into_a_missing_folder_is_bad_input(
    runner: CliRunner, examples_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "missing" / "plan.json"
    result = invoke(
        runner, *plan_args(examples_dir / "marathoner.toml", "--format", "json", "--out", str(out))
    )
    assert result.exit_code == EXIT_BAD_INPUT
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {out}: cannot write")
    assert "No such file or directory" in lines[0]
    assert not (tmp_path / "missing").exists()


def test_plan_weeks_option_sets_the_number_of_weeks(runner: CliRunner, examples_dir: Path) -> None:
    document = json_plan(runner, examples_dir / "marathoner.toml", "--weeks", "6")
    assert [week["index"] for week in document["weeks"]] == [1, 2, 3, 4, 5, 6]
    assert document["start_date"] == "2026-12-07"
    assert document["end_date"] == "2027-01-17"  # 6 × 7 days, inclusive


def test_plan_start_option_moves_the_start_date(runner: CliRunner, examples_dir: Path) -> None:
    document = json_plan(runner, examples_dir / "marathoner.toml", "--start", "2027-01-04")
    assert document["start_date"] == "2027-01-04"
    assert document["weeks"][0]["start_date"] == "2027-01-04"
    first_day = min(item["date"] for week in document["weeks"] for item in [*week["runs"], *week["sessions"]])
    assert first_day >= "2027-01-04"


@pytest.mark.parametrize(
    ("as_of", "expected_start"),
    [
        ("2026-11-26", "2026-11-30"),  # a Thursday: the following Monday
        ("2026-11-30", "2026-12-07"),  # a Monday: the next one, a week to get ready
        ("2027-01-03", "2027-01-04"),  # a Sunday: tomorrow
    ],
)
def test_plan_date_option_sets_the_default_start_to_the_next_monday(
    runner: CliRunner, examples_dir: Path, tmp_path: Path, as_of: str, expected_start: str
) -> None:
    profile = without_start_date(examples_dir, tmp_path)
    result = ok(runner, "plan", "--profile", str(profile), "--format", "json", "--date", as_of)
    document = json.loads(result.stdout)
    assert document["start_date"] == expected_start
    assert date.fromisoformat(expected_start).weekday() == 0


def test_plan_date_option_does_not_override_a_start_date_in_the_profile(
    runner: CliRunner, examples_dir: Path
) -> None:
    result = ok(
        runner,
        "plan",
        "-p",
        str(examples_dir / "novice_dumbbells.toml"),
        "-f",
        "json",
        "--date",
        "2026-11-02",
    )
    assert json.loads(result.stdout)["start_date"] == "2026-12-07"


def test_plan_of_the_same_profile_twice_is_byte_identical(runner: CliRunner, examples_dir: Path) -> None:
    for profile in sorted(examples_dir.glob("*.toml")):
        first = ok(runner, *plan_args(profile, "--format", "json")).stdout_bytes
        second = ok(runner, *plan_args(profile, "--format", "json")).stdout_bytes
        assert first == second, profile.name
        assert first.endswith(b"\n")


@pytest.mark.slow
def test_plan_json_is_byte_identical_across_processes_with_different_hash_seeds(
    examples_dir: Path, tmp_path: Path
) -> None:
    """Set and dict iteration order must not leak into the output (string hashing is per process)."""
    outputs = []
    for seed in ("1", "2"):
        run = [sys.executable, "-m", "ironmile", "plan", "--date", TODAY.isoformat(), "--format", "json"]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.append(
            [
                subprocess.run(
                    [*run, "--profile", str(profile)], capture_output=True, env=env, timeout=120, check=True
                ).stdout
                for profile in sorted(examples_dir.glob("*.toml"))
            ]
        )
    assert outputs[0] == outputs[1]
    assert all(output.startswith(b'{\n  "schema": "ironmile.plan/1"') for output in outputs[0])


# --- entry points, version, help ----------------------------------------------------------------


def test_python_dash_m_ironmile_help_works() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "ironmile", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "plan" in completed.stdout
    assert "exercises" in completed.stdout
    assert "Traceback" not in completed.stderr


def test_version_option_prints_the_package_version(runner: CliRunner) -> None:
    result = ok(runner, "--version")
    assert result.stdout == f"ironmile {__version__}\n"


def all_command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand of the app, found by walking the Click tree."""
    root = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = [()]

    def walk(command: object, prefix: tuple[str, ...]) -> None:
        if isinstance(command, TyperGroup):
            for name, sub in command.commands.items():
                paths.append((*prefix, name))
                walk(sub, (*prefix, name))

    walk(root, ())
    return paths


def test_the_command_tree_holds_the_commands_these_tests_cover() -> None:
    assert {("plan",), ("exercises",), ("exercises", "show")} <= set(all_command_paths())


@pytest.mark.parametrize("path", all_command_paths(), ids=lambda path: " ".join(("ironmile", *path)))
def test_every_command_has_help_with_an_example(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = ok(runner, *path, "--help")
    text = " ".join(result.stdout.split())  # help text may be re-wrapped to the terminal width
    assert "Usage:" in text
    assert "Example:" in text
    assert text.split("Example:", 1)[1].lstrip().startswith(" ".join(("ironmile", *path)))


# --- exercises ----------------------------------------------------------------------------------


def exercises_json(runner: CliRunner, *args: str) -> list[dict[str, Any]]:
    result = ok(runner, "exercises", *args, "--format", "json")
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return items


def test_exercises_lists_the_whole_catalogue_as_a_table(runner: CliRunner, catalogue: Catalogue) -> None:
    result = ok(runner, "exercises")
    assert f"{len(catalogue)} exercises" in result.stdout
    for exercise in catalogue:
        assert exercise.id in result.stdout


def test_exercises_json_lists_every_exercise_in_catalogue_order(
    runner: CliRunner, catalogue: Catalogue
) -> None:
    items = exercises_json(runner)
    assert [item["id"] for item in items] == [exercise.id for exercise in catalogue]
    assert set(items[0]) >= {"id", "name", "pattern", "region", "equipment", "knee_demand"}


def test_exercises_pattern_filter(runner: CliRunner, catalogue: Catalogue) -> None:
    items = exercises_json(runner, "--pattern", "hinge")
    assert {item["pattern"] for item in items} == {"hinge"}
    assert [item["id"] for item in items] == [e.id for e in catalogue if e.pattern == "hinge"]
    assert {"deadlift", "romanian_deadlift", "trap_bar_deadlift"} <= {item["id"] for item in items}


def test_exercises_pattern_filter_as_a_table(runner: CliRunner, catalogue: Catalogue) -> None:
    result = ok(runner, "exercises", "--pattern", "hinge")
    hinges = [e for e in catalogue if e.pattern == "hinge"]
    assert f"{len(hinges)} exercises" in result.stdout
    assert "deadlift" in result.stdout
    assert "back_squat" not in result.stdout


def test_exercises_equipment_filter_keeps_what_dumbbells_or_bodyweight_allow(
    runner: CliRunner, catalogue: Catalogue
) -> None:
    items = exercises_json(runner, "--equipment", "dumbbell")
    assert all(set(item["equipment"]) <= {"dumbbell"} for item in items)
    assert [item["id"] for item in items] == [e.id for e in catalogue if e.equipment <= {"dumbbell"}]
    assert any(item["equipment"] == ["dumbbell"] for item in items)
    assert any(item["equipment"] == [] for item in items)
    assert "back_squat" not in {item["id"] for item in items}


def test_exercises_equipment_option_repeats(runner: CliRunner) -> None:
    items = exercises_json(runner, "-e", "barbell", "-e", "rack")
    ids = {item["id"] for item in items}
    assert "back_squat" in ids  # needs both
    assert all(set(item["equipment"]) <= {"barbell", "rack"} for item in items)


def test_exercises_bodyweight_filter(runner: CliRunner, catalogue: Catalogue) -> None:
    items = exercises_json(runner, "--bodyweight")
    assert items
    assert all(item["equipment"] == [] for item in items)
    assert len(items) == sum(1 for e in catalogue if not e.equipment)


def test_exercises_knee_demand_filter(runner: CliRunner, catalogue: Catalogue) -> None:
    items = exercises_json(runner, "--knee-demand", "low")
    assert items
    assert {item["knee_demand"] for item in items} == {"low"}
    assert len(items) == sum(1 for e in catalogue if e.knee_demand == "low")


def test_exercises_filters_combine(runner: CliRunner) -> None:
    items = exercises_json(runner, "--pattern", "hinge", "--equipment", "dumbbell", "--knee-demand", "low")
    assert items
    for item in items:
        assert item["pattern"] == "hinge"
        assert item["knee_demand"] == "low"
        assert set(item["equipment"]) <= {"dumbbell"}


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--pattern", "hnge"], "--pattern"),
        (["--equipment", "anvil"], "--equipment"),
        (["--knee-demand", "none"], "--knee-demand"),
    ],
    ids=["pattern", "equipment", "knee-demand"],
)
def test_exercises_bad_filter_is_bad_input(runner: CliRunner, args: list[str], field: str) -> None:
    result = invoke(runner, "exercises", *args)
    assert result.exit_code == EXIT_BAD_INPUT
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {field}: {args[1]!r} is not one of ")


def test_exercises_show_explains_one_exercise_as_text(runner: CliRunner) -> None:
    result = ok(runner, "exercises", "show", "back_squat")
    lines = result.stdout.splitlines()
    assert lines[0] == "Low-bar back squat (back_squat)"
    assert "  equipment: barbell, rack" in lines
    assert "  progressions: Front squat (front_squat)" in lines
    assert any(line.startswith("  regressions: ") and "Goblet squat (goblet_squat)" in line for line in lines)
    assert any(line.startswith("  cue: ") for line in lines)


def test_exercises_show_json_resolves_progressions_to_names(runner: CliRunner, catalogue: Catalogue) -> None:
    result = ok(runner, "exercises", "show", "back_squat", "--format", "json")
    document = json.loads(result.stdout)
    squat = catalogue.get("back_squat")
    assert document["id"] == "back_squat"
    assert document["name"] == "Low-bar back squat"
    assert document["progressions"] == [{"id": i, "name": catalogue.get(i).name} for i in squat.progressions]
    assert document["regressions"] == [{"id": i, "name": catalogue.get(i).name} for i in squat.regressions]
    assert {"id": "front_squat", "name": "Front squat"} in document["progressions"]


def test_exercises_show_unknown_id_suggests_the_closest(runner: CliRunner) -> None:
    result = invoke(runner, "exercises", "show", "back_squatt")
    assert result.exit_code == EXIT_BAD_INPUT
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "error: no exercise with id 'back_squatt' in the catalogue (did you mean back_squat"
    )
