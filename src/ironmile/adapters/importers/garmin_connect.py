"""Garmin Connect's data export table, `DI_CONNECT/DI-Connect-Fitness/*summarizedActivities.json`.

The root is a list wrapper, `[{"summarizedActivitiesExport": [entry, …]}]`, and a large account's
table is split over several files (`…_0_summarizedActivities.json`, `…_1001_…`). Units, from the
public parsers listed in FORMATS.md §2.2 (Garmin documents none of them):

| key                                          | unit                                           |
|----------------------------------------------|------------------------------------------------|
| distance, elevationGain                      | centimetres                                    |
| duration (timer), movingDuration, elapsedDuration | milliseconds                              |
| beginTimestamp (or startTimeGmt)             | epoch milliseconds, UTC                        |
| startTimeLocal                               | epoch milliseconds of the local wall clock     |
| avgHr, maxHr                                 | beats per minute                               |

The zone offset is startTimeLocal − beginTimestamp, rounded to 15 minutes (every real zone is a
multiple of 15 minutes; the two stamps can differ by a few milliseconds).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from ironmile.adapters.importers.archive import Rejection
from ironmile.domain.activity import Activity, Sport

_QUARTER_HOUR_MS = 15 * 60 * 1000
_MAX_OFFSET = timedelta(hours=14)  # the widest real UTC offsets are −12:00 and +14:00

# Garmin's activityType keys (Connect's typeKey values).
_SPORT_KEYS: dict[Sport, tuple[str, ...]] = {
    Sport.RUNNING: (
        *("running", "trail_running", "treadmill_running", "track_running", "indoor_running"),
        *("virtual_run", "street_running", "ultra_run", "obstacle_run"),
    ),
    Sport.CYCLING: (
        *("cycling", "road_biking", "mountain_biking", "gravel_cycling", "indoor_cycling", "virtual_ride"),
        *("e_bike_fitness", "e_bike_mountain", "cyclocross", "track_cycling", "recumbent_cycling", "bmx"),
    ),
    Sport.SWIMMING: ("swimming", "lap_swimming", "open_water_swimming"),
    Sport.WALKING: ("walking", "casual_walking", "speed_walking"),
    Sport.HIKING: ("hiking",),
    Sport.STRENGTH: ("strength_training",),
    Sport.ROWING: ("rowing", "indoor_rowing"),
    Sport.SKIING: ("resort_skiing", "backcountry_skiing", "cross_country_skiing_ws", "skate_skiing_ws"),
}
_SPORTS = {key: sport for sport, keys in _SPORT_KEYS.items() for key in keys}
# Keys we have not listed yet, by the word in them (checked in this order).
_SPORT_WORDS = (
    ("skiing", Sport.SKIING),
    ("run", Sport.RUNNING),
    ("cycling", Sport.CYCLING),
    ("biking", Sport.CYCLING),
    ("swim", Sport.SWIMMING),
    ("walking", Sport.WALKING),
    ("hiking", Sport.HIKING),
    ("rowing", Sport.ROWING),
)


@dataclass(frozen=True, slots=True)
class GarminTable:
    summaries: tuple[Activity, ...]
    rejected: tuple[Rejection, ...]


class _BadKey(Exception):
    def __init__(self, key: str, reason: str) -> None:
        self.key, self.reason = key, reason
        super().__init__(reason)


def garmin_fingerprint(activity_id: str) -> str:
    return hashlib.sha256(f"garmin:{activity_id}".encode()).hexdigest()[:32]


def sport_of(activity_type: object) -> Sport:
    """`activityType` (a key such as `trail_running`, or `{"typeKey": …}` as the API writes it)."""
    if isinstance(activity_type, dict):
        activity_type = activity_type.get("typeKey")
    key = str(activity_type or "").strip().lower()
    if key in _SPORTS:
        return _SPORTS[key]
    return next((sport for word, sport in _SPORT_WORDS if word in key), Sport.OTHER)


def _number(entry: dict[str, Any], key: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise _BadKey(key, f"{value!r} is not a non-negative number")
    return float(value)


def _scaled(entry: dict[str, Any], key: str, per_unit: float) -> float | None:
    value = _number(entry, key)
    return None if value is None else value / per_unit


def _start(entry: dict[str, Any]) -> datetime:
    key = "beginTimestamp" if entry.get("beginTimestamp") is not None else "startTimeGmt"
    utc_ms = _number(entry, key)
    if utc_ms is None:
        raise _BadKey("beginTimestamp", "missing, and no startTimeGmt either")
    start = datetime.fromtimestamp(utc_ms / 1000, tz=UTC)
    local_ms = _number(entry, "startTimeLocal")
    if local_ms is None:
        return start
    offset = timedelta(milliseconds=round((local_ms - utc_ms) / _QUARTER_HOUR_MS) * _QUARTER_HOUR_MS)
    if abs(offset) > _MAX_OFFSET:
        raise _BadKey("startTimeLocal", f"{offset} away from beginTimestamp, more than any time zone")
    return start.astimezone(timezone(offset))


def _entry_activity(entry: object, source: str) -> Activity:
    if not isinstance(entry, dict):
        raise _BadKey("", f"a {type(entry).__name__}, not an object")
    activity_id = entry.get("activityId")
    if activity_id is None or str(activity_id).strip() == "":
        raise _BadKey("activityId", "missing")
    moving_ms = _number(entry, "duration")
    if moving_ms is None:
        moving_ms = _number(entry, "movingDuration")
    return Activity(
        start=_start(entry),
        sport=sport_of(entry.get("activityType")),
        source=source,
        fingerprint=garmin_fingerprint(str(activity_id).strip()),
        distance_m=_scaled(entry, "distance", 100),
        moving_s=None if moving_ms is None else moving_ms / 1000,
        elapsed_s=_scaled(entry, "elapsedDuration", 1000),
        elevation_gain_m=_scaled(entry, "elevationGain", 100),
        avg_heart_rate_bpm=_number(entry, "avgHr"),
        max_heart_rate_bpm=_number(entry, "maxHr"),
    )


def _entries(document: object) -> list[object] | None:
    """The activity entries of a parsed table, or None when it is not shaped like one."""
    wrappers = document if isinstance(document, list) else [document]
    entries: list[object] = []
    for wrapper in wrappers:
        inner = wrapper.get("summarizedActivitiesExport") if isinstance(wrapper, dict) else None
        if not isinstance(inner, list):
            return None
        entries.extend(inner)
    return entries


def read_summarized_activities(data: bytes, source: str) -> GarminTable:
    """Every entry of one summarizedActivities JSON as a summary, or a Rejection naming the entry
    and key. `source` names the file in reports; summaries are `<source> entry N` (from 1)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return GarminTable((), (Rejection(source, f"not a readable JSON file: {error}"),))
    entries = _entries(document)
    if entries is None:
        reason = 'not a Garmin summarizedActivities file: expected [{"summarizedActivitiesExport": [...]}]'
        return GarminTable((), (Rejection(source, reason),))
    summaries: list[Activity] = []
    rejected: list[Rejection] = []
    for number, entry in enumerate(entries, start=1):
        entry_source = f"{source} entry {number}"
        try:
            summaries.append(_entry_activity(entry, entry_source))
        except _BadKey as bad:
            where = f"key {bad.key!r}: " if bad.key else ""
            rejected.append(Rejection(entry_source, f"{where}{bad.reason}"))
        except (OverflowError, ValueError, OSError) as error:  # a timestamp beyond datetime's range
            rejected.append(Rejection(entry_source, f"unusable start time: {error}"))
    return GarminTable(tuple(summaries), tuple(rejected))
