"""One athlete's stored data as CSV files, one per table, for spreadsheets and scripts.

Each file has a header row; column names carry their SI unit (`load_kg`, `distance_m`,
`moving_s`), except the planned load, which is in the plan's own units, named in `load_unit`.
Cells: ISO dates (`2027-01-04`) and times with their UTC offset (`2026-06-01T06:30:15+02:00`),
`true`/`false`, floats as Python's shortest exact form (`60.0`, `1e-05`: `float()` reads back the
stored value bit for bit), and an empty cell for a missing value (so an empty note and no note read
alike). Rows come in the repositories' order (by date, then by the order stored) and lines end
in `\\n`, so the same data always gives the same text; write it as UTF-8.

    sets.csv              one row per logged set, with its session's fields (a session without
                          sets gets one row with the set columns empty)
    body_mass.csv         one row per reading; so morning_pain.csv, screens.csv, swaps.csv
    activities.csv        one row per imported activity; its heart-rate histogram as
                          `bpm:seconds` pairs joined by spaces
    plan_versions.csv     one row per stored plan version
    planned_sessions.csv  one row per planned exercise of each version's sessions

`session` in sets.csv and `version` in the plan files number the sessions and versions from 1 in
the file's order, so rows of one session, or of one version, can be grouped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import chain
from typing import Any

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.db.records import PlanVersion
from ironmile.adapters.plan_snapshot import StoredPlanError
from ironmile.domain.plan import PLAN_SCHEMA
from ironmile.domain.units import UnitSystem

Cell = str | int | float | bool | date | None

SETS_COLUMNS = (
    "date",
    "session",
    "planned",
    "session_rpe",
    "pain_during",
    "note",
    "set",
    "exercise_id",
    "load_kg",
    "reps",
    "seconds",
    "rir",
    "pain",
)
BODY_MASS_COLUMNS = ("date", "mass_kg")
MORNING_PAIN_COLUMNS = ("date", "pain")
SCREENS_COLUMNS = ("date", "bridge_left_reps", "bridge_right_reps", "felt_in", "hq_ratio")
SWAPS_COLUMNS = ("since", "exercise_id", "replacement_id")
ACTIVITIES_COLUMNS = (
    "start",
    "local_date",
    "sport",
    "distance_m",
    "moving_s",
    "elapsed_s",
    "elevation_gain_m",
    "avg_heart_rate_bpm",
    "max_heart_rate_bpm",
    "perceived_exertion",
    "heart_rate_seconds",
    "source",
    "fingerprint",
    "source_hash",
    "imported_on",
)
PLAN_VERSIONS_COLUMNS = ("version", "created_on", "effective_from")
PLANNED_SESSIONS_COLUMNS = (
    "version",
    "effective_from",
    "date",
    "exercise_id",
    "name",
    "sets",
    "reps",
    "seconds",
    "rir",
    "load",
    "load_unit",
    "rest_seconds",
)


def export_csv(uow: UnitOfWork, athlete_id: int) -> dict[str, str]:
    """File name → CSV text for every table of one athlete; LookupError for an unknown id,
    StoredPlanError for a stored plan document that cannot be read."""
    if uow.athletes.get(athlete_id) is None:
        raise LookupError(f"no athlete with id {athlete_id}")
    versions = uow.plans.versions(athlete_id)
    return {
        "sets.csv": _table(SETS_COLUMNS, _set_rows(uow, athlete_id)),
        "body_mass.csv": _table(
            BODY_MASS_COLUMNS, ((r.date, r.mass_kg) for r in uow.body_mass.between(athlete_id))
        ),
        "morning_pain.csv": _table(
            MORNING_PAIN_COLUMNS, ((r.date, r.pain) for r in uow.morning_pain.between(athlete_id))
        ),
        "screens.csv": _table(
            SCREENS_COLUMNS,
            (
                (s.date, s.bridge_left_reps, s.bridge_right_reps, s.felt_in, s.hq_ratio)
                for s in uow.screens.between(athlete_id)
            ),
        ),
        "swaps.csv": _table(
            SWAPS_COLUMNS,
            ((s.since, s.exercise_id, s.replacement_id) for s in uow.swaps.between(athlete_id)),
        ),
        "activities.csv": _table(ACTIVITIES_COLUMNS, _activity_rows(uow, athlete_id)),
        "plan_versions.csv": _table(
            PLAN_VERSIONS_COLUMNS,
            ((number, v.created_on, v.effective_from) for number, v in enumerate(versions, start=1)),
        ),
        "planned_sessions.csv": _table(
            PLANNED_SESSIONS_COLUMNS,
            (row for number, v in enumerate(versions, start=1) for row in _planned_rows(number, v)),
        ),
    }


def _set_rows(uow: UnitOfWork, athlete_id: int) -> Iterator[tuple[Cell, ...]]:
    for number, stored in enumerate(uow.log.between(athlete_id), start=1):
        session = stored.session
        head = (session.date, number, session.planned, session.session_rpe, session.pain_during, session.note)
        if not session.sets:
            yield head + (None,) * (len(SETS_COLUMNS) - len(head))  # keeps the note and ratings
        for position, logged in enumerate(session.sets, start=1):
            yield (
                *head,
                position,
                logged.exercise_id,
                logged.load_kg,
                logged.reps,
                logged.seconds,
                logged.rir,
                logged.pain,
            )


def _activity_rows(uow: UnitOfWork, athlete_id: int) -> Iterator[tuple[Cell, ...]]:
    for stored in uow.activities.stored(athlete_id):
        activity = stored.activity
        yield (
            activity.start,
            activity.start.date(),
            activity.sport.value,
            activity.distance_m,
            activity.moving_s,
            activity.elapsed_s,
            activity.elevation_gain_m,
            activity.avg_heart_rate_bpm,
            activity.max_heart_rate_bpm,
            activity.perceived_exertion,
            " ".join(f"{bpm}:{seconds!r}" for bpm, seconds in activity.heart_rate_seconds),
            activity.source,
            activity.fingerprint,
            stored.source_hash,
            stored.imported_on,
        )


def _planned_rows(number: int, version: PlanVersion) -> list[tuple[Cell, ...]]:
    """Every planned exercise of the version's `ironmile.plan/1` document, read as plain JSON so
    that a document naming exercises this version's catalogue lacks still exports."""
    try:
        document = json.loads(version.document)
        if document["schema"] != PLAN_SCHEMA:
            raise ValueError(f"schema {document['schema']!r}, expected {PLAN_SCHEMA}")
        unit = UnitSystem(document["units"]).mass_label
        return [
            (
                number,
                version.effective_from,
                date.fromisoformat(session["date"]),
                *(_scalar(item[key]) for key in ("id", "name", "sets", "reps", "seconds", "rir", "load")),
                unit,
                _scalar(item["rest_seconds"]),
            )
            for week in document["weeks"]
            for session in week["sessions"]
            for item in session["exercises"]
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise StoredPlanError(
            f"plan version {number} (in force from {version.effective_from}) is damaged: {error!r}"
        ) from None


def _scalar(value: Any) -> Cell:
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"expected a string, number or null, not {value!r}")


def _table(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The header and rows, each line ended by `\n`.

    The writer quotes a cell only for the characters of its own line terminator, so with `\n` a
    bare `\r` in a note would go out unquoted and read back as a line break. It writes with `\r\n`
    instead, which quotes cells holding either, and each row's terminator is then swapped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for row in chain([columns], ([_text(value) for value in row] for row in rows)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue().removesuffix("\r\n") + "\n")
    return "".join(lines)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is an int
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)
