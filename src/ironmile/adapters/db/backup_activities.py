"""Imported activities in an `ironmile.dump/1` document: written out, and read back with every check.

Each activity is one object with every field of `domain/activity.py` plus what the table keeps
beside it (the file's hash and the import day):

    {"start": "2026-06-01T06:30:15+02:00", "sport": "running", "distance_m": 10012.37,
     "moving_s": 3100.0, "elapsed_s": 3260.5, "elevation_gain_m": 87.0,
     "avg_heart_rate_bpm": 148.6, "max_heart_rate_bpm": 171.0,
     "heart_rate_seconds": [[120, 61.0], [148, 1800.5]], "perceived_exertion": null,
     "source": "export.zip!activities/1.fit.gz", "fingerprint": "…", "source_hash": "…",
     "imported_on": "2026-07-01"}

The start keeps its local offset, so it reads back as the same instant on the same local day.
The checks repeat the activities table's CHECK constraints (tables.py), so a document that passes
them stores without a database error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, Protocol

from ironmile.adapters.db.ports import StoredActivity
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.errors import FieldProblem

ACTIVITY_KEYS = (
    "start",
    "sport",
    "distance_m",
    "moving_s",
    "elapsed_s",
    "elevation_gain_m",
    "avg_heart_rate_bpm",
    "max_heart_rate_bpm",
    "heart_rate_seconds",
    "perceived_exertion",
    "source",
    "fingerprint",
    "source_hash",
    "imported_on",
)

# What `datetime.isoformat()` writes for an aware time: seconds, optional fraction, and an offset
# (seconds in the offset only for historic local mean times such as +00:19:32).
_ISO_START = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?P<zone>Z|[+-]\d{2}:\d{2}(?::\d{2})?)?"
)
_SPORTS = tuple(sport.value for sport in Sport)


def activity_entry(stored: StoredActivity) -> dict[str, Any]:
    """One stored activity as a document object; floats exactly as stored."""
    activity = stored.activity
    return {
        "start": activity.start.isoformat(),
        "sport": activity.sport.value,
        "distance_m": activity.distance_m,
        "moving_s": activity.moving_s,
        "elapsed_s": activity.elapsed_s,
        "elevation_gain_m": activity.elevation_gain_m,
        "avg_heart_rate_bpm": activity.avg_heart_rate_bpm,
        "max_heart_rate_bpm": activity.max_heart_rate_bpm,
        "heart_rate_seconds": [[bpm, seconds] for bpm, seconds in activity.heart_rate_seconds],
        "perceived_exertion": activity.perceived_exertion,
        "source": activity.source,
        "fingerprint": activity.fingerprint,
        "source_hash": stored.source_hash,
        "imported_on": stored.imported_on.isoformat(),
    }


def one_per_fingerprint(stored: StoredActivity) -> tuple[object, str]:
    """The key no two activities may share (the table's unique constraint) and the message if two do."""
    fingerprint = stored.activity.fingerprint
    return fingerprint, f"a second activity with fingerprint {fingerprint!r}; each file is stored once"


class FieldReader(Protocol):
    """The field checks of `backup_document._Reader` that reading an activity uses."""

    problems: list[FieldProblem]

    def record(self, path: str, value: Any, keys: tuple[str, ...]) -> Mapping[str, Any] | None: ...

    def text(self, path: str, value: Any, *, optional: bool = False) -> str | None: ...

    def day(self, path: str, value: Any) -> date | None: ...

    def fail(self, path: str, message: str) -> None: ...


def read_activity(reader: FieldReader, path: str, value: Any) -> StoredActivity | None:
    """The activity object at `path`, or None with every problem reported to `reader`."""
    row = reader.record(path, value, ACTIVITY_KEYS)
    if row is None:
        return None
    problems_before = len(reader.problems)
    start = _start(reader, f"{path}.start", row["start"])
    sport = reader.text(f"{path}.sport", row["sport"])
    if sport is not None and sport not in _SPORTS:
        reader.fail(f"{path}.sport", f"expected one of {', '.join(_SPORTS)}, not {sport!r}")
    measures = {
        key: _number(reader, f"{path}.{key}", row[key], low=0.0, above_low=False)
        for key in ("distance_m", "moving_s", "elapsed_s", "elevation_gain_m")
    }
    heart_rates = {
        key: _number(reader, f"{path}.{key}", row[key], low=0.0, above_low=True)
        for key in ("avg_heart_rate_bpm", "max_heart_rate_bpm")
    }
    exertion = _number(reader, f"{path}.perceived_exertion", row["perceived_exertion"], low=1.0, high=10.0)
    histogram = _histogram(reader, f"{path}.heart_rate_seconds", row["heart_rate_seconds"])
    source = reader.text(f"{path}.source", row["source"])
    fingerprint = reader.text(f"{path}.fingerprint", row["fingerprint"])
    source_hash = reader.text(f"{path}.source_hash", row["source_hash"], optional=True)
    imported_on = reader.day(f"{path}.imported_on", row["imported_on"])
    if len(reader.problems) > problems_before or start is None or sport is None or imported_on is None:
        return None
    activity = Activity(
        start=start,
        sport=Sport(sport),
        source=source or "",
        fingerprint=fingerprint or "",
        heart_rate_seconds=histogram,
        perceived_exertion=exertion,
        **measures,
        **heart_rates,
    )
    return StoredActivity(activity, source_hash, imported_on)


def _start(reader: FieldReader, path: str, value: Any) -> datetime | None:
    """An aware time as ISO 8601 with its offset; the instant must also exist in UTC (years 1 to
    9999), since the table keeps it as UTC epoch seconds beside the offset."""
    expected = "expected a time as YYYY-MM-DDTHH:MM:SS with its UTC offset (such as +02:00)"
    match = _ISO_START.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        reader.fail(path, f"{expected}, not {value!r}")
        return None
    if match["zone"] is None:
        reader.fail(path, f"{value!r} has no UTC offset; {expected}")
        return None
    try:
        start = datetime.fromisoformat(value)
        start.astimezone(UTC)  # raises OverflowError when the UTC instant is outside datetime's years
    except ValueError:
        reader.fail(path, f"{expected}, not {value!r}")
        return None
    except OverflowError:
        reader.fail(path, f"{value!r} is outside the years 1 to 9999 in UTC")
        return None
    return start


def _number(
    reader: FieldReader,
    path: str,
    value: Any,
    *,
    low: float,
    above_low: bool = False,
    high: float | None = None,
) -> float | None:
    """A finite number (or null) from `low` (excluded when `above_low`) up to `high`; ints as floats."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        number = float(value)
        if (number > low if above_low else number >= low) and (high is None or number <= high):
            return number
    if high is not None:
        expected = f"a number from {low:g} to {high:g}"
    else:
        expected = f"a number {'above' if above_low else 'of at least'} {low:g}"
    reader.fail(path, f"expected {expected} or null, not {value!r}")
    return None


def _histogram(reader: FieldReader, path: str, value: Any) -> tuple[tuple[int, float], ...]:
    """`[[bpm, seconds], …]`: whole beats per minute above 0, each once and in rising order (the
    domain's order), and seconds of at least 0."""
    if not isinstance(value, list):
        reader.fail(path, "expected a list of [bpm, seconds] pairs")
        return ()
    pairs: list[tuple[int, float]] = []
    for position, item in enumerate(value):
        where = f"{path}[{position}]"
        if not (isinstance(item, list) and len(item) == 2):
            reader.fail(where, f"expected a [bpm, seconds] pair, not {item!r}")
            continue
        bpm, seconds = item
        if not (isinstance(bpm, int) and not isinstance(bpm, bool) and bpm > 0):
            reader.fail(where, f"expected whole beats per minute above 0, not {bpm!r}")
            continue
        if pairs and bpm <= pairs[-1][0]:
            reader.fail(where, f"{bpm} bpm after {pairs[-1][0]} bpm; expected each bpm once, in rising order")
        if not (
            isinstance(seconds, int | float)
            and not isinstance(seconds, bool)
            and math.isfinite(seconds)
            and seconds >= 0
        ):
            reader.fail(where, f"expected seconds as a number of at least 0, not {seconds!r}")
            continue
        pairs.append((bpm, float(seconds)))
    return tuple(pairs)
