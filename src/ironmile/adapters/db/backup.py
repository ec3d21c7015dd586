"""Export and restore of one athlete's stored data, as a plain JSON-ready dict (`ironmile.dump/1`).

`dump` lists every table's rows for the athlete in a canonical order (by date, then by the order
they were stored), with ISO dates and floats exactly as stored, and no database ids: the same
database always dumps to the same dict, so `json.dumps(..., sort_keys=True)` of an unchanged
database is byte-identical. `load` validates a document and stores it through the repositories in
that same order, so `dump(load(dump(x)))` equals `dump(x)`. Both work on any `UnitOfWork` and,
like repositories, never commit: the calling service does.

    {"schema": "ironmile.dump/1",
     "athlete": {"name", "units", "profile_toml", "created_on"},
     "plan_versions": [{"created_on", "effective_from", "document"}],
     "logged_sessions": [{"date", "planned", "pain_during", "session_rpe", "note",
                          "sets": [{"exercise_id", "load_kg", "reps", "seconds", "rir", "pain"}]}],
     "morning_pain": [{"date", "pain"}], "body_mass": [{"date", "mass_kg"}],
     "screens": [{"date", "bridge_left_reps", "bridge_right_reps", "felt_in", "hq_ratio"}],
     "swaps": [{"since", "exercise_id", "replacement_id"}],
     "activities": [{"start", "sport", "distance_m", "moving_s", "elapsed_s", "elevation_gain_m",
                     "avg_heart_rate_bpm", "max_heart_rate_bpm", "heart_rate_seconds": [[bpm, seconds]],
                     "perceived_exertion", "source", "fingerprint", "source_hash", "imported_on"}]}

Activities come by start time; `start` is ISO 8601 with the local UTC offset
(`2026-06-01T06:30:15+02:00`), so it reads back as the same instant on the same local day, and
`source_hash` is the hash of the file it came from (null for a row without a file), which keeps a
re-import after a restore from storing it twice (backup_activities.py has an example). A document
without `activities` (written before they were stored) restores with none.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby
from typing import Any

from ironmile.adapters.db.backup_activities import activity_entry
from ironmile.adapters.db.backup_document import SCHEMA, parse_document
from ironmile.adapters.db.ports import UnitOfWork
from ironmile.domain.errors import InputError
from ironmile.domain.training import LoggedSession

__all__ = ["SCHEMA", "dump", "load"]


def dump(uow: UnitOfWork, athlete_id: int) -> dict[str, Any]:
    """Every stored row of one athlete, canonically ordered; LookupError for an unknown id."""
    athlete = uow.athletes.get(athlete_id)
    if athlete is None:
        raise LookupError(f"no athlete with id {athlete_id}")
    return {
        "schema": SCHEMA,
        "athlete": {
            "name": athlete.name,
            "units": athlete.units.value,
            "profile_toml": athlete.profile_toml,
            "created_on": athlete.created_on.isoformat(),
        },
        "plan_versions": [
            {
                "created_on": version.created_on.isoformat(),
                "effective_from": version.effective_from.isoformat(),
                "document": version.document,
            }
            for version in uow.plans.versions(athlete_id)
        ],
        "logged_sessions": [_session(stored.session) for stored in uow.log.between(athlete_id)],
        "morning_pain": [
            {"date": record.date.isoformat(), "pain": record.pain}
            for record in uow.morning_pain.between(athlete_id)
        ],
        "body_mass": [
            {"date": record.date.isoformat(), "mass_kg": record.mass_kg}
            for record in uow.body_mass.between(athlete_id)
        ],
        "screens": [
            {
                "date": screen.date.isoformat(),
                "bridge_left_reps": screen.bridge_left_reps,
                "bridge_right_reps": screen.bridge_right_reps,
                "felt_in": screen.felt_in,
                "hq_ratio": screen.hq_ratio,
            }
            for screen in uow.screens.between(athlete_id)
        ],
        "swaps": [
            {
                "since": swap.since.isoformat(),
                "exercise_id": swap.exercise_id,
                "replacement_id": swap.replacement_id,
            }
            for swap in uow.swaps.between(athlete_id)
        ],
        "activities": [activity_entry(stored) for stored in uow.activities.stored(athlete_id)],
    }


def _session(session: LoggedSession) -> dict[str, Any]:
    return {
        "date": session.date.isoformat(),
        "planned": session.planned,
        "pain_during": session.pain_during,
        "session_rpe": session.session_rpe,
        "note": session.note,
        "sets": [
            {
                "exercise_id": logged.exercise_id,
                "load_kg": logged.load_kg,
                "reps": logged.reps,
                "seconds": logged.seconds,
                "rir": logged.rir,
                "pain": logged.pain,
            }
            for logged in session.sets
        ],
    }


def load(uow: UnitOfWork, document: Mapping[str, Any]) -> int:
    """Store a dumped athlete with all their rows and return the new athlete id.

    The document is checked whole first (`backup_document.py`): every problem at once, one line
    each, in an `InputError` naming the field, such as
    `logged_sessions[3].sets[0].reps: expected an integer 0 to 100, not 101`.
    An athlete of the same name must not exist yet.
    """
    parsed = parse_document(document)
    if uow.athletes.by_name(parsed.name) is not None:
        raise InputError(
            f"athlete.name: an athlete named {parsed.name!r} already exists; restore into an empty database"
        )
    athlete_id = uow.athletes.add(
        name=parsed.name, units=parsed.units, profile_toml=parsed.profile_toml, created_on=parsed.created_on
    )
    for created_on, effective_from, text in parsed.plan_versions:
        uow.plans.add(athlete_id, created_on=created_on, effective_from=effective_from, document=text)
    for session in parsed.sessions:
        uow.log.add(athlete_id, session)
    for pain in parsed.morning_pain:
        uow.morning_pain.put(athlete_id, pain)
    for mass in parsed.body_mass:
        uow.body_mass.put(athlete_id, mass)
    for screen in parsed.screens:
        uow.screens.add(athlete_id, screen)
    for swap in parsed.swaps:
        uow.swaps.put(athlete_id, swap)
    # one batch per run of equal import days, in the document's order (ties of start keep it)
    for imported_on, batch in groupby(parsed.activities, key=lambda stored: stored.imported_on):
        uow.activities.add_many(
            athlete_id, [(stored.activity, stored.source_hash) for stored in batch], imported_on=imported_on
        )
    return athlete_id
