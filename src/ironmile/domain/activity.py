"""The one shape every imported activity takes, whatever file or service it came from.

Importers (`ironmile.adapters.importers`) map FIT messages, GPX/TCX elements, Strava CSV columns and
Garmin Connect JSON keys to this shape; none of those names travel further. Quantities are SI:

| field              | type / unit                       | meaning                                         |
|--------------------|-----------------------------------|-------------------------------------------------|
| start              | datetime with a zone (UTC offset) | when it started; the local offset if known      |
| sport              | Sport                             | running, cycling, …; only running is load        |
| distance_m         | float, metres, or None            | total distance                                  |
| moving_s           | float, seconds, or None           | timer / moving time (pauses excluded)           |
| elapsed_s          | float, seconds, or None           | wall-clock time from start to finish            |
| elevation_gain_m   | float, metres, or None            | total ascent                                    |
| avg_heart_rate_bpm | float, beats/min, or None         | average heart rate                              |
| max_heart_rate_bpm | float, beats/min, or None         | highest heart rate                              |
| heart_rate_seconds | ((bpm, seconds), …) by bpm        | time at each heart rate (empty: no stream)      |
| perceived_exertion | float 1–10 or None                | the athlete's own rating (session RPE)          |
| source             | str                               | the file (`export.zip!activities/1.fit`)        |
| fingerprint        | str                               | identity of the source content, see below       |

`fingerprint` is `<sha256 of the file's decompressed bytes, hex, first 32>` plus `#<n>` for the
n-th activity of a file that holds several (multisport FIT sessions, multi-activity TCX), or for a
row without a file, the hash of the service's own id (`strava:<activity id>`). Importing the same
file twice therefore yields the same fingerprints. The same run recorded twice (a FIT and its
Strava GPX copy) has different fingerprints and is recognised by `same_run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Sport(StrEnum):
    RUNNING = "running"  # road, trail, track, treadmill and virtual runs alike
    CYCLING = "cycling"
    SWIMMING = "swimming"
    WALKING = "walking"
    HIKING = "hiking"
    STRENGTH = "strength"
    ROWING = "rowing"
    SKIING = "skiing"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Activity:
    start: datetime
    sport: Sport
    source: str
    fingerprint: str
    distance_m: float | None = None
    moving_s: float | None = None
    elapsed_s: float | None = None
    elevation_gain_m: float | None = None
    avg_heart_rate_bpm: float | None = None
    max_heart_rate_bpm: float | None = None
    heart_rate_seconds: tuple[tuple[int, float], ...] = ()
    perceived_exertion: float | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.start.utcoffset() is None:
            raise ValueError(f"{self.source}: activity start {self.start} has no time zone")

    @property
    def is_run(self) -> bool:
        return self.sport is Sport.RUNNING

    @property
    def duration_s(self) -> float | None:
        """Moving time when known, else elapsed time."""
        return self.moving_s if self.moving_s is not None else self.elapsed_s


# Two records of one run: starts within two minutes (devices and apps round and clip the start
# differently) and distances within 3 % (GPX distances are recomputed from positions, ±1–2 %) or
# within 250 m (on a short activity, GPS noise at the start and end outweighs any share).
SAME_RUN_START_WINDOW = timedelta(minutes=2)
SAME_RUN_DISTANCE_SHARE = 0.03
SAME_RUN_DISTANCE_SLACK_M = 250.0


def same_run(a: Activity, b: Activity) -> bool:
    """Whether two activities are one session recorded by two sources (a FIT and its Strava copy)."""
    if a.sport is not b.sport or abs(a.start - b.start) > SAME_RUN_START_WINDOW:
        return False
    if a.distance_m is None or b.distance_m is None or max(a.distance_m, b.distance_m) == 0:
        return True
    allowed = max(SAME_RUN_DISTANCE_SHARE * max(a.distance_m, b.distance_m), SAME_RUN_DISTANCE_SLACK_M)
    return abs(a.distance_m - b.distance_m) <= allowed
