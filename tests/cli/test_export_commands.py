"""Taking the plan along through the CLI: `plan --format pdf|ics|fit` and `beginner`. Outputs are
written whole or not at all, never over a file without --force, and bad options exit 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest
from garmin_fit_sdk import Decoder, Stream
from typer.testing import CliRunner

from tests.cli.test_training_commands import bad, ok
from tests.conftest import EXAMPLES_DIR

MARATHONER = str(EXAMPLES_DIR / "marathoner.toml")
IMPERIAL = str(EXAMPLES_DIR / "imperial_ultra.toml")
AS_OF = ("--date", "2026-11-26")


def session_count(runner: CliRunner, profile: str) -> int:
    plan = json.loads(ok(runner, "plan", "-p", profile, "--format", "json", *AS_OF).stdout)
    return sum(len(week["sessions"]) for week in plan["weeks"])


def test_pdf_goes_to_a_file_and_is_not_overwritten_without_force(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    result = ok(runner, "plan", "-p", MARATHONER, "--format", "pdf", "--out", str(out), *AS_OF)
    assert result.stdout == ""
    assert out.read_bytes().startswith(b"%PDF-")
    first = out.read_bytes()
    assert "--force" in bad(runner, "plan", "-p", MARATHONER, "--format", "pdf", "--out", str(out), *AS_OF)
    assert out.read_bytes() == first
    ok(
        runner,
        "plan",
        "-p",
        MARATHONER,
        "--format",
        "pdf",
        "--out",
        str(out),
        "--force",
        "--paper",
        "letter",
        *AS_OF,
    )
    assert out.read_bytes() != first  # letter paper this time


def test_pdf_needs_a_file(runner: CliRunner) -> None:
    line = bad(runner, "plan", "-p", MARATHONER, "--format", "pdf", *AS_OF)
    assert line == "error: --out: a PDF needs a file to go to, e.g. --out plan.pdf"


def test_an_unwritable_place_is_refused_and_leaves_nothing(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "plan.pdf"
    line = bad(runner, "plan", "-p", MARATHONER, "--format", "pdf", "--out", str(out), *AS_OF)
    assert line.startswith(f"error: {out}: cannot write here")
    assert not (tmp_path / "missing").exists()


def test_ics_to_stdout_has_one_event_per_session_and_re_exports_byte_identical(runner: CliRunner) -> None:
    first = ok(runner, "plan", "-p", MARATHONER, "--format", "ics", *AS_OF).stdout
    again = ok(runner, "plan", "-p", MARATHONER, "--format", "ics", *AS_OF).stdout
    assert first == again
    calendar = icalendar.Calendar.from_ical(first)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == session_count(runner, MARATHONER)
    assert len({str(event["UID"]) for event in events}) == len(events)


def test_ics_timed_events_carry_the_time_zone(runner: CliRunner) -> None:
    text = ok(
        runner,
        "plan",
        "-p",
        MARATHONER,
        "--format",
        "ics",
        "--time",
        "07:30",
        "--tz",
        "Europe/Berlin",
        *AS_OF,
    ).stdout
    calendar = icalendar.Calendar.from_ical(text)
    event = next(iter(calendar.walk("VEVENT")))
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (7, 30, "Europe/Berlin")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--time", "07:30"], "error: --time: --time and --tz go together (timed events need a time zone)"),
        (
            ["--time", "7h30", "--tz", "Europe/Berlin"],
            "error: --time: '7h30' is not a time; expected HH:MM, e.g. 07:30",
        ),
        (
            ["--time", "25:00", "--tz", "UTC"],
            "error: --time: '25:00' is not a time of day; expected 00:00 to 23:59",
        ),
    ],
)
def test_ics_bad_time_options_are_bad_input(runner: CliRunner, options: list[str], message: str) -> None:
    assert bad(runner, "plan", "-p", MARATHONER, "--format", "ics", *options, *AS_OF) == message


def test_ics_unknown_time_zone_is_named(runner: CliRunner) -> None:
    line = bad(
        runner, "plan", "-p", MARATHONER, "--format", "ics", "--time", "07:00", "--tz", "Mars/Olympus", *AS_OF
    )
    assert "Mars/Olympus" in line


def test_fit_writes_one_workout_per_session_and_a_readme(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "watch"
    ok(runner, "plan", "-p", IMPERIAL, "--format", "fit", "--out", str(out), *AS_OF)
    workouts = sorted(out.glob("*.fit"))
    assert len(workouts) == session_count(runner, IMPERIAL)
    assert "GARMIN/NewFiles" in (out / "README.txt").read_text(encoding="utf-8")
    data = bytearray(workouts[0].read_bytes())
    assert Decoder(Stream.from_byte_array(data)).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(data)).read()
    assert errors == []
    assert messages["workout_mesgs"][0]["sub_sport"] == "strength_training"
    before = workouts[0].read_bytes()
    assert "--force" in bad(runner, "plan", "-p", IMPERIAL, "--format", "fit", "--out", str(out), *AS_OF)
    assert workouts[0].read_bytes() == before


def test_fit_again_with_force_removes_workouts_the_new_plan_no_longer_has(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "watch"
    ok(runner, "plan", "-p", MARATHONER, "--format", "fit", "--out", str(out), *AS_OF)
    stale = out / "2020-01-01-strength.fit"  # a workout from an older plan
    stale.write_bytes(b"old")
    (out / "notes.txt").write_text("mine")
    ok(runner, "plan", "-p", MARATHONER, "--format", "fit", "--out", str(out), "--force", *AS_OF)
    assert not stale.exists()
    assert (out / "notes.txt").exists()
    assert len(list(out.glob("*.fit"))) == session_count(runner, MARATHONER)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--format", "text", "--paper", "letter"], "error: --paper: only applies to --format pdf"),
        (["--format", "pdf", "--out", "x.pdf", "--tz", "UTC"], "error: --tz: only applies to --format ics"),
        (["--time", "07:00"], "error: --time: only applies to --format ics"),
    ],
)
def test_options_of_another_format_are_refused_not_ignored(
    runner: CliRunner, options: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert bad(runner, "plan", "-p", MARATHONER, *options, *AS_OF) == message
    assert list(tmp_path.iterdir()) == []


def test_fit_needs_a_folder(runner: CliRunner) -> None:
    line = bad(runner, "plan", "-p", MARATHONER, "--format", "fit", *AS_OF)
    assert line == "error: --out: watch workouts are one file per session: give a folder, e.g. --out watch/"


def test_beginner_writes_the_programme_without_profile_or_database(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "beginner.pdf"
    ok(runner, "beginner", "--pdf", str(out), "--units", "imperial", "--paper", "letter", "--weeks", "8")
    assert out.read_bytes().startswith(b"%PDF-")
    assert not list(tmp_path.glob("*.db"))


def test_beginner_refuses_unknown_units(runner: CliRunner, tmp_path: Path) -> None:
    line = bad(runner, "beginner", "--pdf", str(tmp_path / "b.pdf"), "--units", "furlongs")
    assert line == "error: --units: 'furlongs' is not metric or imperial"
