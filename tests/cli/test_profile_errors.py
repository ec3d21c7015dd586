"""`ironmile plan --profile FILE` with bad input: exit code 2, one `error:` line per problem naming
the field and what was expected (DESIGN.md, "Athlete profile"), and never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ironmile.cli import app

EXIT_BAD_INPUT = 2

VALID_PROFILE = """\
# A small valid profile; every case below breaks exactly one thing in it.
[athlete]
name = "Test"
body_mass = 68.0
units = "metric"

[running]
weekly_distance = 40
run_days = ["tue", "thu", "sun"]
key_days = ["tue"]
long_run_day = "sun"

[strength]
start_date = 2026-12-07
available_days = ["mon", "wed", "fri"]
session_minutes = 45
equipment = ["barbell", "rack", "dumbbell"]

[health]
knee_pain = 0
red_flags = []
"""


def edit(old: str, new: str) -> str:
    assert old in VALID_PROFILE, old
    return VALID_PROFILE.replace(old, new, 1)


@dataclass(frozen=True)
class Case:
    profile: str
    # One tuple per expected error line, in output order: fragments that line must contain
    # (the field path, the offending value and what was expected).
    lines: tuple[tuple[str, ...], ...]


CASES: dict[str, Case] = {
    "unknown-time-zone": Case(
        edit("body_mass = 68.0", 'body_mass = 68.0\ntime_zone = "Europe/Berlln"'),
        (("athlete.time_zone: 'Europe/Berlln' is not a time zone", "IANA"),),
    ),
    "resting-not-below-max": Case(
        edit("body_mass = 68.0", "body_mass = 68.0\nresting_heart_rate = 100\nmax_heart_rate = 100"),
        (("athlete.resting_heart_rate: 100 is not below athlete.max_heart_rate (100)",),),
    ),
    "resting-heart-rate-too-high": Case(
        edit("body_mass = 68.0", "body_mass = 68.0\nresting_heart_rate = 150"),
        (("athlete.resting_heart_rate: ", "150"),),
    ),
    "bad-day-name": Case(
        edit('["mon", "wed", "fri"]', '["mon", "wed", "fryday"]'),
        (("strength.available_days[2]: 'fryday' is not a day (mon…sun)",),),
    ),
    "negative-body-mass": Case(
        edit("body_mass = 68.0", "body_mass = -5"),
        (("athlete.body_mass: ", "-5", "greater than 0"),),
    ),
    # TOML has types: a quoted number or a boolean is not a body mass (no silent coercion to 68 or 1).
    "quoted-body-mass": Case(
        edit("body_mass = 68.0", 'body_mass = "68"'),
        (("athlete.body_mass: ", "'68'", "not a number", "body mass"),),
    ),
    "boolean-body-mass": Case(
        edit("body_mass = 68.0", "body_mass = true"),
        (("athlete.body_mass: ", "not a number", "body mass"),),
    ),
    "missing-body-mass": Case(
        edit("body_mass = 68.0\n", ""),
        (("athlete.body_mass: ", "missing", "body mass", "greater than 0"),),
    ),
    "unknown-equipment": Case(
        edit('equipment = ["barbell", "rack", "dumbbell"]', 'equipment = ["barbell", "anvil"]'),
        (("strength.equipment[1]: ", "'anvil'", "not known equipment", "barbell", "sliders"),),
    ),
    "malformed-toml": Case(
        edit("body_mass = 68.0", "body_mass = = 68.0"),
        (("not valid TOML", "line 4"),),
    ),
    "empty-file": Case("", (("empty", "expected [athlete] and [strength]"),)),
    "comment-only-file": Case(
        "# just a comment\n\n   # and another\n",
        (("empty", "expected [athlete] and [strength]"),),
    ),
    "knee-pain-above-10": Case(
        edit("knee_pain = 0", "knee_pain = 11"),
        (("health.knee_pain: ", "11", "at most 10"),),
    ),
    "knee-pain-below-0": Case(
        edit("knee_pain = 0", "knee_pain = -1"),
        (("health.knee_pain: ", "-1", "at least 0"),),
    ),
    "unparseable-start-date": Case(
        edit("start_date = 2026-12-07", 'start_date = "next week"'),
        (("strength.start_date: ", "'next week'", "not a date", "2026-12-07"),),
    ),
    "unknown-units": Case(
        edit('units = "metric"', 'units = "stone"'),
        (("athlete.units: ", "'stone'", "'metric'", "'imperial'"),),
    ),
    "zero-session-minutes": Case(
        edit("session_minutes = 45", "session_minutes = 0"),
        (("strength.session_minutes: ", "0", "at least 20"),),
    ),
    "race-before-start": Case(
        VALID_PROFILE + '\n[[races]]\nname = "Turkey Trot"\ndate = 2026-11-26\ndistance = 5\n',
        (("races[0].date: ", "2026-11-26", "before the plan starts", "2026-12-07"),),
    ),
    "key-day-not-a-run-day": Case(
        edit('key_days = ["tue"]', 'key_days = ["wed"]'),
        (("running.key_days[0]: ", "'wed'", "running.run_days"),),
    ),
    "unknown-red-flag": Case(
        edit("red_flags = []", 'red_flags = ["headache"]'),
        (("health.red_flags[0]: ", "'headache'", "not a red flag", "swelling", "numbness"),),
    ),
    "unknown-field": Case(
        edit("weekly_distance = 40", "weekly_distance = 40\nweekly_km = 40"),
        (("running.weekly_km: ", "unknown field"),),
    ),
    # A misspelt required field is two problems: the real name is missing, the typo is unknown.
    "typo-bodymass": Case(
        edit("body_mass = 68.0", "bodymass = 68.0"),
        (("athlete.body_mass: ", "missing", "body mass"), ("athlete.bodymass: ", "unknown field")),
    ),
    "lift-for-unknown-exercise": Case(
        VALID_PROFILE + "\n[lifts]\nback_squatt = { load = 60, reps = 5 }\n",
        (("lifts.back_squatt: ", "not an exercise id", "ironmile exercises"),),
    ),
    "lift-with-12-reps": Case(
        VALID_PROFILE + "\n[lifts]\nback_squat = { load = 60, reps = 12 }\n",
        (("lifts.back_squat.reps: ", "12", "at most 10"),),
    ),
}


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_bad_input(result: Result, expected: tuple[tuple[str, ...], ...], *, prefix: str = "") -> None:
    """Exit 2, nothing on stdout, exactly the expected `error:` lines and no traceback."""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert result.stdout == ""
    lines = error_lines(result)
    assert len(lines) == len(expected), lines
    for line, fragments in zip(lines, expected, strict=True):
        assert line.startswith(f"error: {prefix}"), line
        for fragment in fragments:
            assert fragment in line, f"{fragment!r} not in {line!r}"


def plan(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["plan", "--date", "2026-11-26", *args])


def test_the_valid_base_profile_plans_so_each_case_breaks_only_one_thing(
    runner: CliRunner, tmp_path: Path
) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text(VALID_PROFILE, encoding="utf-8")
    result = plan(runner, "--profile", str(profile), "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_invalid_profile_exits_2_with_one_line_per_problem(
    runner: CliRunner, tmp_path: Path, case: Case
) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text(case.profile, encoding="utf-8")
    result = plan(runner, "--profile", str(profile))
    assert_bad_input(result, case.lines, prefix=f"{profile}: ")


def test_bad_day_name_reads_exactly_as_documented(runner: CliRunner, tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text(CASES["bad-day-name"].profile, encoding="utf-8")
    result = plan(runner, "--profile", str(profile))
    assert result.stderr == f"error: {profile}: strength.available_days[2]: 'fryday' is not a day (mon…sun)\n"


def test_three_problems_at_once_give_three_lines(runner: CliRunner, tmp_path: Path) -> None:
    text = (
        VALID_PROFILE.replace("body_mass = 68.0", "body_mass = -5")
        .replace('["mon", "wed", "fri"]', '["mon", "wed", "fryday"]')
        .replace("session_minutes = 45", "session_minutes = 0")
    )
    profile = tmp_path / "profile.toml"
    profile.write_text(text, encoding="utf-8")
    result = plan(runner, "--profile", str(profile))
    assert_bad_input(
        result,
        (
            ("athlete.body_mass: ", "-5", "greater than 0"),
            ("strength.available_days[2]: ", "'fryday'", "mon…sun"),
            ("strength.session_minutes: ", "0", "at least 20"),
        ),
        prefix=f"{profile}: ",
    )


def test_missing_profile_file(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    result = plan(runner, "--profile", str(missing))
    assert_bad_input(result, ((f"{missing}: no such file",),))


def test_profile_path_that_is_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = plan(runner, "--profile", str(tmp_path))
    assert_bad_input(result, ((f"{tmp_path}: ", "is a folder, not a file"),))


def test_profile_that_is_not_utf8(runner: CliRunner, tmp_path: Path) -> None:
    profile = tmp_path / "latin1.toml"
    profile.write_bytes(edit('name = "Test"', 'name = "José"').encode("latin-1"))
    result = plan(runner, "--profile", str(profile))
    assert_bad_input(result, ((f"{profile}: ", "not UTF-8"),))


@pytest.mark.parametrize("value", ["2027-13-01", "next monday"])
def test_bad_start_option(runner: CliRunner, tmp_path: Path, value: str) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text(VALID_PROFILE, encoding="utf-8")
    result = plan(runner, "--profile", str(profile), "--start", value)
    assert_bad_input(result, (("--start: ", repr(value), "YYYY-MM-DD"),))


def test_bad_date_option(runner: CliRunner, tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text(VALID_PROFILE, encoding="utf-8")
    result = runner.invoke(app, ["plan", "--profile", str(profile), "--date", "26/11/2026"])
    assert_bad_input(result, (("--date: ", "'26/11/2026'", "YYYY-MM-DD"),))


@pytest.mark.parametrize("weeks", ["0", "105"])
def test_out_of_range_weeks_option(runner: CliRunner, tmp_path: Path, weeks: str) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text(VALID_PROFILE, encoding="utf-8")
    result = plan(runner, "--profile", str(profile), "--weeks", weeks)
    assert_bad_input(result, (("--weeks: ", weeks, "1 to 104"),))


def test_start_option_after_a_race_names_the_race(runner: CliRunner, tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text(VALID_PROFILE + "\n[[races]]\ndate = 2027-03-07\ndistance = 10\n", encoding="utf-8")
    result = plan(runner, "--profile", str(profile), "--start", "2027-04-05")
    assert_bad_input(result, (("races[0].date: ", "2027-03-07", "before the plan starts", "2027-04-05"),))
