"""The CSV export on SQLite, PostgreSQL and the fake: every file parses back with csv.DictReader and
holds exactly the stored rows, in the stored order, whatever characters the text holds."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.csv_export import export_csv
from ironmile.adapters.plan_snapshot import StoredPlanError, read_plan
from ironmile.domain.training import BodyMass, LoggedSession, LoggedSet, MorningPain, ScreenResultRecord, Swap
from ironmile.domain.units import UnitSystem
from ironmile.render.plan_json import plan_json
from ironmile.services.planning import plan_from_file
from tests.adapters.log_strategies import AthleteLog, athlete_logs
from tests.adapters.stores import NewUow, Store
from tests.adapters.test_backup import store_log
from tests.adapters.test_backup_activities import LATE_RIDE, MORNING_RUN, UTC_SWIM

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    "sets.csv",
    "body_mass.csv",
    "morning_pain.csv",
    "screens.csv",
    "swaps.csv",
    "activities.csv",
    "plan_versions.csv",
    "planned_sessions.csv",
]
# A comma, a quote mark, CRLF, a bare CR, a bare LF, and text beyond ASCII: all must survive.
NOTE = 'Felt strong, "heavy" day\r\nknee ok\rKnie – gut ✓\n2×5'


@cache
def plan_document(example: str) -> str:
    catalogue = load_catalogue()
    return plan_json(
        plan_from_file(ROOT / "examples" / f"{example}.toml", today=date(2026, 11, 26), catalogue=catalogue)
    )


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def cell(value: object) -> str:
    """How the export writes one value (module docstring of csv_export.py)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def expected_log_rows(log: AthleteLog) -> dict[str, list[dict[str, str]]]:
    """Every non-plan file as it should read back, written out from the log independently of the
    export (sorted() is stable: ties stay in the order stored)."""
    sets: list[dict[str, str]] = []
    for number, session in enumerate(sorted(log.sessions, key=lambda s: s.date), start=1):
        head = {
            "date": cell(session.date),
            "session": str(number),
            "planned": cell(session.planned),
            "session_rpe": cell(session.session_rpe),
            "pain_during": cell(session.pain_during),
            "note": cell(session.note),
        }
        no_set = dict.fromkeys(("set", "exercise_id", "load_kg", "reps", "seconds", "rir", "pain"), "")
        sets.extend([{**head, **no_set}] if not session.sets else [])
        sets.extend(
            {
                **head,
                "set": str(position),
                "exercise_id": logged.exercise_id,
                "load_kg": cell(logged.load_kg),
                "reps": cell(logged.reps),
                "seconds": cell(logged.seconds),
                "rir": cell(logged.rir),
                "pain": cell(logged.pain),
            }
            for position, logged in enumerate(session.sets, start=1)
        )
    activities = [
        {
            "start": stored.activity.start.isoformat(),
            "local_date": cell(stored.activity.start.date()),
            "sport": stored.activity.sport.value,
            "distance_m": cell(stored.activity.distance_m),
            "moving_s": cell(stored.activity.moving_s),
            "elapsed_s": cell(stored.activity.elapsed_s),
            "elevation_gain_m": cell(stored.activity.elevation_gain_m),
            "avg_heart_rate_bpm": cell(stored.activity.avg_heart_rate_bpm),
            "max_heart_rate_bpm": cell(stored.activity.max_heart_rate_bpm),
            "perceived_exertion": cell(stored.activity.perceived_exertion),
            "heart_rate_seconds": " ".join(f"{b}:{s!r}" for b, s in stored.activity.heart_rate_seconds),
            "source": stored.activity.source,
            "fingerprint": stored.activity.fingerprint,
            "source_hash": cell(stored.source_hash),
            "imported_on": cell(stored.imported_on),
        }
        for stored in sorted(log.activities, key=lambda stored: stored.activity.start)
    ]
    return {
        "sets.csv": sets,
        "body_mass.csv": [
            {"date": cell(m.date), "mass_kg": cell(m.mass_kg)}
            for m in sorted(log.body_mass, key=lambda m: m.date)
        ],
        "morning_pain.csv": [
            {"date": cell(p.date), "pain": cell(p.pain)}
            for p in sorted(log.morning_pain, key=lambda p: p.date)
        ],
        "screens.csv": [
            {
                "date": cell(s.date),
                "bridge_left_reps": cell(s.bridge_left_reps),
                "bridge_right_reps": cell(s.bridge_right_reps),
                "felt_in": cell(s.felt_in),
                "hq_ratio": cell(s.hq_ratio),
            }
            for s in sorted(log.screens, key=lambda s: s.date)
        ],
        "swaps.csv": [
            {"since": cell(s.since), "exercise_id": s.exercise_id, "replacement_id": s.replacement_id}
            for s in sorted(log.swaps, key=lambda s: (s.since, s.exercise_id))
        ],
        "activities.csv": activities,
    }


def expected_plan_rows(log: AthleteLog) -> dict[str, list[dict[str, str]]]:
    """The plan files, from the documents read back the way the training log reads them."""
    catalogue = load_catalogue()
    versions = sorted(log.plan_versions, key=lambda version: version[1])
    planned: list[dict[str, str]] = []
    for number, (_, effective_from, document) in enumerate(versions, start=1):
        stored = read_plan(document, catalogue)
        planned.extend(
            {
                "version": str(number),
                "effective_from": cell(effective_from),
                "date": cell(session.date),
                "exercise_id": item.exercise.id,
                "name": item.exercise.name,
                "sets": cell(item.sets),
                "reps": cell(item.reps),
                "seconds": cell(item.seconds),
                "rir": cell(item.rir),
                "load": cell(item.load),
                "load_unit": stored.units.mass_label,
                "rest_seconds": cell(item.rest_seconds),
            }
            for week in stored.weeks
            for session in week.sessions
            for item in session.exercises
        )
    return {
        "plan_versions.csv": [
            {"version": str(n), "created_on": cell(c), "effective_from": cell(e)}
            for n, (c, e, _) in enumerate(versions, start=1)
        ],
        "planned_sessions.csv": planned,
    }


WRITTEN = AthleteLog(
    name="Alex",
    units=UnitSystem.METRIC,
    profile_toml="[athlete]\n",
    created_on=date(2026, 11, 26),
    plan_versions=[
        (date(2026, 12, 1), date(2026, 12, 7), plan_document("imperial_ultra")),
        (date(2026, 11, 26), date(2026, 11, 30), plan_document("marathoner")),
    ],
    sessions=[
        LoggedSession(
            date(2027, 1, 6), sets=(LoggedSet("plank", None, None, 45, None),), planned=False, note=None
        ),
        LoggedSession(
            date(2027, 1, 4),
            sets=(
                LoggedSet("back_squat", 60.0, 5, None, 2),
                LoggedSet("back_squat", 62.5, 5, None, 1, pain=3),
            ),
            planned=True,
            pain_during=2,
            session_rpe=7,
            note=NOTE,
        ),
        LoggedSession(date(2027, 1, 4), sets=(), planned=False, session_rpe=3, note="walked, no lifting"),
    ],
    morning_pain=[MorningPain(date(2027, 1, 5), 1), MorningPain(date(2027, 1, 4), 0)],
    body_mass=[BodyMass(date(2027, 1, 4), 68.35)],
    screens=[ScreenResultRecord(date(2027, 1, 2), 14, 11, "glutes_hamstrings", 0.62)],
    swaps=[Swap(date(2027, 1, 5), "back_squat", "goblet_squat")],
    activities=[LATE_RIDE, MORNING_RUN, UTC_SWIM],
)


def test_every_file_holds_exactly_the_stored_rows(new_uow: NewUow) -> None:
    with new_uow() as uow:
        athlete_id = store_log(uow, WRITTEN)
        uow.commit()
    with new_uow() as uow:
        files = export_csv(uow, athlete_id)
        assert export_csv(uow, athlete_id) == files  # the same data gives the same text
    assert list(files) == FILES
    assert {name: rows(text) for name, text in files.items()} == expected_log_rows(
        WRITTEN
    ) | expected_plan_rows(WRITTEN)
    sets = rows(files["sets.csv"])
    assert [row["note"] for row in sets] == [NOTE, NOTE, "walked, no lifting", ""]
    assert [float(row["load_kg"]) for row in sets[:2]] == [60.0, 62.5]
    assert sets[2]["exercise_id"] == sets[2]["set"] == ""  # the session without sets keeps its note
    planned = rows(files["planned_sessions.csv"])
    assert {row["load_unit"] for row in planned if row["version"] == "1"} == {"kg"}  # marathoner: metric
    assert {row["load_unit"] for row in planned if row["version"] == "2"} == {"lb"}  # imperial_ultra
    assert {row["effective_from"] for row in planned} == {"2026-11-30", "2026-12-07"}
    activities = rows(files["activities.csv"])
    assert activities[0]["start"] == "2026-06-01T06:30:15+02:00"
    assert activities[0]["heart_rate_seconds"] == "120:61.0 148:1800.5 171:3.0"
    assert float(activities[0]["distance_m"]) == 10_012.37


def test_files_are_header_led_with_unix_line_endings(new_uow: NewUow) -> None:
    with new_uow() as uow:
        athlete_id = store_log(uow, WRITTEN)
        uow.commit()
    with new_uow() as uow:
        files = export_csv(uow, athlete_id)
    assert files["sets.csv"].startswith(
        "date,session,planned,session_rpe,pain_during,note,set,exercise_id,load_kg,reps,seconds,rir,pain\n"
    )
    assert files["activities.csv"].startswith("start,local_date,sport,distance_m,moving_s,elapsed_s,")
    for name, text in files.items():
        assert text.endswith("\n"), name
        # the only carriage returns are the note's own, inside its quoted cells (quotes doubled)
        assert "\r" not in text.replace(NOTE.replace('"', '""'), ""), name
        assert text.encode("utf-8").decode("utf-8") == text


def test_an_athlete_without_rows_gets_the_headers_alone(new_uow: NewUow) -> None:
    with new_uow() as uow:
        athlete_id = uow.athletes.add(
            name="Sam", units=UnitSystem.IMPERIAL, profile_toml="", created_on=date(2027, 1, 1)
        )
        uow.commit()
    with new_uow() as uow:
        files = export_csv(uow, athlete_id)
    assert files["body_mass.csv"] == "date,mass_kg\n"
    assert files["swaps.csv"] == "since,exercise_id,replacement_id\n"
    assert all(text.count("\n") == 1 and rows(text) == [] for text in files.values())


def test_an_unknown_athlete_is_a_lookup_error(new_uow: NewUow) -> None:
    with pytest.raises(LookupError), new_uow() as uow:
        export_csv(uow, 12345)


@pytest.mark.parametrize(
    "document",
    ["not json", '{"schema": "ironmile.plan/9"}', '{"schema": "ironmile.plan/1", "units": "metric"}'],
)
def test_a_damaged_plan_document_names_its_version(new_uow: NewUow, document: str) -> None:
    log = replace(WRITTEN, plan_versions=[(date(2027, 1, 1), date(2027, 1, 1), document)])
    with new_uow() as uow:
        athlete_id = store_log(uow, log)
        uow.commit()
    with (
        pytest.raises(StoredPlanError, match=r"plan version 1 \(in force from 2027-01-01\) is damaged"),
        new_uow() as uow,
    ):
        export_csv(uow, athlete_id)


@settings(
    max_examples=25,
    deadline=None,
    # The store is made once per test; every example wipes it first, so examples do not share rows.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(log=athlete_logs.map(lambda log: replace(log, plan_versions=[])))
def test_generated_logs_read_back_exactly(store: Store, log: AthleteLog) -> None:
    """Any text (commas, quotes, CR, LF, any Unicode) and any stored float survive the round trip."""
    store.wipe()
    with store.new_uow() as uow:
        athlete_id = store_log(uow, log)
        uow.commit()
    with store.new_uow() as uow:
        files = export_csv(uow, athlete_id)
    expected = expected_log_rows(log)
    assert {name: rows(files[name]) for name in expected} == expected
    for row, mass in zip(
        rows(files["body_mass.csv"]), sorted(log.body_mass, key=lambda m: m.date), strict=True
    ):
        assert float(row["mass_kg"]) == mass.mass_kg
