"""Strength sessions as Garmin FIT workout files, one file per session, for copying onto a watch.

Layout (docs/exports.md): `file_id`, `workout`, then the steps: an open warm-up step, and per
exercise a work step (reps, or a timed hold), a timed rest step and a repeat step that goes back to
the work step once per set; then one `exercise_title` per distinct Garmin exercise. Loads are stored
in kg (the FIT unit) whatever the plan's units; `weight_display_unit` only decides how the watch
shows them. Nothing here reads a clock or a random source, so exporting a plan twice gives the same
bytes.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from datetime import UTC, date, datetime, time

from ironmile.domain.errors import InputError
from ironmile.domain.plan import Plan, PlannedExercise, Session, StoredPlan
from ironmile.domain.prescription import Role
from ironmile.domain.units import UnitSystem, kg_from_display
from ironmile.render.fit_encoding import MAX_STRING_BYTES, CheckedEncoder, FieldValue, enum_value
from ironmile.render.plan_text import load_text

MANUFACTURER = "development"  # FIT's value for software that is not a Garmin device
_DISPLAY_UNIT = {UnitSystem.METRIC: "kilogram", UnitSystem.IMPERIAL: "pound"}
_SAFE_PREFIX = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
_WARM_UP_NOTES = "Easy cardio and mobility for a few minutes. Press lap when ready."

WORKOUTS_README = """\
Garmin watch workouts
=====================

Each .fit file is one strength session of the plan, named by its date (YYYY-MM-DD). It holds a
warm-up step (press lap when you are ready), then for each exercise: the work step (reps, or a
timed hold), the rest and the number of sets, with the load and the exercise's name.

Copy them to the watch over USB:

1. Connect the watch to the computer with its charging cable.
2. Open the watch's storage. Older watches show up as a drive named GARMIN. Newer ones are MTP
   devices: Windows shows them in Explorer; on macOS use an MTP app such as OpenMTP; on Linux use
   your file manager (gvfs-mtp) or jmtpfs.
3. Copy the .fit files into the folder GARMIN/NewFiles.
4. Eject the watch and unplug it. The watch imports the files; the workouts then appear in its
   workout list (Training > Workouts on most models).

Copy a few weeks at a time: watches keep a limited number of workouts. Garmin Connect's
"Import Data" page does not take workout files, only activities. When the plan changes, delete the
old workouts on the watch before copying the new files, so a day does not show up twice.
"""


def session_workout(
    session: Session, *, name: str, units: UnitSystem, serial_number: int, warm_up: bool = True
) -> bytes:
    """The FIT workout file of one session; `units` are the plan's (loads in kg or lb)."""
    if not session.exercises:
        raise InputError(f"the session on {session.date} has no exercises: there is no workout to write")
    steps: list[dict[str, FieldValue]] = []
    if warm_up:
        steps.append(_warm_up_step())
    for item in session.exercises:
        steps.extend(_exercise_steps(item, units, first_index=len(steps), session_date=session.date))
    encoder = CheckedEncoder()
    encoder.write(
        "file_id",
        {
            "type": "workout",
            "manufacturer": MANUFACTURER,
            "product": 0,
            "serial_number": serial_number,
            "time_created": datetime.combine(session.date, time(0, 0), tzinfo=UTC),
        },
    )
    encoder.write(
        "workout",
        {
            "wkt_name": _text(name),
            "sport": "training",
            "sub_sport": "strength_training",
            "num_valid_steps": len(steps),
            "wkt_description": _text(f"{session.why} (about {session.minutes} min)"),
        },
    )
    for index, step in enumerate(steps):
        encoder.write("workout_step", {"message_index": index, **step})
    for index, title in enumerate(_exercise_titles(session)):
        encoder.write("exercise_title", {"message_index": index, **title})
    return encoder.close()


def plan_workouts(plan: Plan | StoredPlan, *, prefix: str = "") -> dict[str, bytes]:
    """One workout file per session, by file name: `<prefix><YYYY-MM-DD>-strength.fit`.

    Names sort by date; when two sessions share a date they become `-strength-1.fit`, `-strength-2.fit`.
    """
    if prefix and not _SAFE_PREFIX.fullmatch(prefix):
        raise InputError(
            f"file name prefix {prefix!r}: use letters, digits, '-', '_' and '.' only, not starting with '.'"
        )
    sessions = sorted((s for week in plan.weeks for s in week.sessions), key=lambda s: s.date)
    if not sessions:
        raise InputError("the plan has no strength sessions: there are no Garmin workouts to write")
    per_date = Counter(session.date for session in sessions)
    files: dict[str, bytes] = {}
    seen: dict[date, int] = {}
    for session in sessions:
        number = seen[session.date] = seen.get(session.date, 0) + 1
        shared = per_date[session.date] > 1
        identity = f"{prefix}{session.date.isoformat()}-strength" + (f"-{number}" if shared else "")
        files[f"{identity}.fit"] = session_workout(
            session,
            name=f"Strength {session.date:%a %d %b}" + (f" ({number})" if shared else ""),
            units=plan.units,
            serial_number=serial_number_for(identity),
        )
    return files


def serial_number_for(identity: str) -> int:
    """A file_id serial number (uint32z: 1 to 2**32 - 1) that depends only on the workout's identity.

    The watch tells workout files apart by (type, manufacturer, product, serial number), so each
    session needs its own, and re-exporting the same session must give the same one.
    """
    return zlib.crc32(f"ironmile workout {identity}".encode()) or 1


def _warm_up_step() -> dict[str, FieldValue]:
    return {
        "wkt_step_name": "Warm-up",
        "duration_type": "open",
        "target_type": "open",
        "intensity": "warmup",
        "notes": _WARM_UP_NOTES,
        "exercise_category": "warm_up",
    }


def _exercise_steps(
    item: PlannedExercise, units: UnitSystem, *, first_index: int, session_date: date
) -> list[dict[str, FieldValue]]:
    """Work, rest (when there is any) and a repeat back to the work step `sets` times."""
    label = f"the session on {session_date}, {item.exercise.name}"
    if item.sets < 1 or item.rest_seconds < 0:
        raise InputError(f"{label}: needs at least one set and no negative rest")
    if (item.reps is None) == (item.seconds is None) or (item.reps or item.seconds or 0) < 1:
        raise InputError(f"{label}: needs either reps or seconds per set (a positive whole number)")
    work: dict[str, FieldValue] = {"wkt_step_name": _text(item.exercise.name)}
    if item.seconds is not None:
        work |= {"duration_type": "time", "duration_value": item.seconds * 1000}  # raw unit: ms
    else:
        work |= {"duration_type": "reps", "duration_value": item.reps or 0}
    work |= {"target_type": "open", "intensity": "active", "notes": _text(_notes(item, units))}
    work |= _exercise_fields(item)
    if item.load is not None:
        work["exercise_weight"] = kg_from_display(item.load, units)  # kg; the encoder stores kg × 100
    work["weight_display_unit"] = _DISPLAY_UNIT[units]
    steps = [work]
    if item.rest_seconds > 0:
        steps.append(
            {
                "wkt_step_name": "Rest",
                "duration_type": "time",
                "duration_value": item.rest_seconds * 1000,  # raw unit: ms
                "target_type": "open",
                "intensity": "rest",
            }
        )
    steps.append(
        {
            "duration_type": "repeat_until_steps_cmplt",
            "duration_value": first_index,  # message_index of the work step to go back to
            "target_value": item.sets,  # how many times the work (and rest) is done in all
        }
    )
    return steps


def _exercise_fields(item: PlannedExercise) -> dict[str, FieldValue]:
    """Garmin's category, and its exercise name number when the catalogue maps one.

    Without a Garmin name (a Nordic curl has none) only the category is written; the step's name
    and notes carry the real exercise, and the exercise_title message gives the watch its title.
    """
    garmin = item.exercise.garmin
    fields: dict[str, FieldValue] = {"exercise_category": garmin.category}
    if garmin.name is not None:
        fields["exercise_name"] = enum_value(f"{garmin.category}_exercise_name", garmin.name)
    return fields


def _exercise_titles(session: Session) -> list[dict[str, FieldValue]]:
    """One title per distinct Garmin (category, name), named after its first exercise in the session."""
    titles: dict[tuple[FieldValue, FieldValue | None], dict[str, FieldValue]] = {}
    for item in session.exercises:
        fields = _exercise_fields(item)
        key = (fields["exercise_category"], fields.get("exercise_name"))
        titles.setdefault(key, {**fields, "wkt_step_name": _text(item.exercise.name)})
    return list(titles.values())


def _notes(item: PlannedExercise, units: UnitSystem) -> str:
    side = " per side" if item.exercise.unilateral else ""
    amount = f"{item.seconds} s" if item.seconds is not None else f"{item.reps} reps"
    parts = [f"{item.exercise.name}: {item.sets} x {amount}{side}", load_text(item, units)]
    if item.rir is not None:
        parts.append(f"RIR {item.rir}")
    if item.role is Role.MAIN and item.exercise.loaded:
        parts.append("2 ramp-up sets first")
    text = ", ".join(parts) + "."
    return f"{text} {item.note}" if item.note else text


def _text(text: str) -> str:
    """`text` cut to what a FIT string field holds, ending in '...' when cut, never mid-character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= MAX_STRING_BYTES:
        return text
    return encoded[: MAX_STRING_BYTES - 3].decode("utf-8", errors="ignore").rstrip() + "..."
