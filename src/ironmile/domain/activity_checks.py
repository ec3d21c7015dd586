"""What an import may store, and which of two records of one session to keep.

Files and export tables carry values no device can measure (a heart rate of 0, a year-1 clock);
taken at face value they break arithmetic downstream or the database's own checks. The rules here
turn such values into "missing", refuse activities whose start cannot be right, and index stored
activities by start so that the same session from another source is found without comparing every
pair.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from ironmile.domain.activity import SAME_RUN_START_WINDOW, Activity, Sport, same_run

# Before 1985 no consumer device recorded a workout; a start that early is a clock that was never set.
EARLIEST_START = datetime(1985, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)  # time zones and a watch a day ahead; later than that is a bad clock
HEART_RATE_RANGE_BPM = (20.0, 250.0)


def _measured(value: float | None, *, low: float = 0.0, high: float = math.inf) -> float | None:
    """The value when it is a number within [low, high], else missing."""
    if value is None or not math.isfinite(value) or not low <= value <= high:
        return None
    return value


def checked(activity: Activity, *, today: date) -> Activity | str:
    """The activity with impossible values taken as missing, or the reason it cannot be stored."""
    try:
        instant = activity.start.astimezone(UTC)
    except (OverflowError, ValueError):
        return f"its start ({activity.start.isoformat()}) is out of range: the device's clock was not set"
    latest = datetime.combine(today + FUTURE_SLACK + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    if not EARLIEST_START <= instant < latest:
        expected = f"{EARLIEST_START.year} to {(today + FUTURE_SLACK).isoformat()}"
        return (
            f"it starts on {instant.date().isoformat()}, which cannot be right (expected {expected}): "
            "the device's clock was not set"
        )
    low_bpm, high_bpm = HEART_RATE_RANGE_BPM
    return replace(
        activity,
        distance_m=_measured(activity.distance_m),
        moving_s=_measured(activity.moving_s),
        elapsed_s=_measured(activity.elapsed_s),
        elevation_gain_m=_measured(activity.elevation_gain_m),
        avg_heart_rate_bpm=_measured(activity.avg_heart_rate_bpm, low=low_bpm, high=high_bpm),
        max_heart_rate_bpm=_measured(activity.max_heart_rate_bpm, low=low_bpm, high=high_bpm),
        perceived_exertion=_measured(activity.perceived_exertion, low=1.0, high=10.0),
        heart_rate_seconds=tuple(
            (bpm, seconds)
            for bpm, seconds in activity.heart_rate_seconds
            if low_bpm <= bpm <= high_bpm and math.isfinite(seconds) and seconds >= 0
        ),
    )


def in_home_zone(activity: Activity, home: tzinfo | None) -> Activity:
    """GPX and TCX times are UTC, and so are Strava's table dates: such a start, shown at UTC, can
    fall on the wrong day (a Sunday-evening run in California is Monday in UTC). With the athlete's
    home zone, a start at offset 0 is moved to it: the same instant, on the athlete's local day."""
    if home is None or activity.start.utcoffset() != timedelta(0):
        return activity
    return replace(activity, start=activity.start.astimezone(home))


def richness(activity: Activity) -> tuple[bool, bool, bool, bool]:
    """How much an activity tells, to keep the better of two records of one session: a heart-rate
    stream, then an average heart rate, then a distance, then a duration."""
    return (
        bool(activity.heart_rate_seconds),
        activity.avg_heart_rate_bpm is not None,
        activity.distance_m is not None,
        activity.duration_s is not None,
    )


def with_known_sport(found: Activity, table: Activity) -> Activity:
    """A file's activity with what the export's table adds: the sport the athlete chose (unless the
    table does not know it either) and their perceived exertion."""
    return replace(
        found,
        sport=found.sport if table.sport is Sport.OTHER else table.sport,
        perceived_exertion=table.perceived_exertion or found.perceived_exertion,
    )


class RunIndex:
    """Activities by start minute; finds the record of the same session from another source."""

    def __init__(self) -> None:
        self.fingerprints: set[str] = set()
        self._by_minute: dict[int, list[Activity]] = defaultdict(list)

    @staticmethod
    def _minute(activity: Activity) -> int:
        return int(activity.start.timestamp() // 60)

    def add(self, activity: Activity) -> None:
        self.fingerprints.add(activity.fingerprint)
        self._by_minute[self._minute(activity)].append(activity)

    def remove(self, activity: Activity) -> None:
        self.fingerprints.discard(activity.fingerprint)
        self._by_minute[self._minute(activity)].remove(activity)

    def match(self, activity: Activity, *, any_distance: bool = False) -> Activity | None:
        """A held activity that is this one: the same fingerprint, or the same session by
        `same_run`. `any_distance`: a table row and a file that start together are one session
        even when the athlete corrected the distance in the table (a treadmill run)."""
        reach = int(SAME_RUN_START_WINDOW.total_seconds() // 60) + 1
        minute = self._minute(activity)
        for bucket in range(minute - reach, minute + reach + 1):
            for other in self._by_minute.get(bucket, ()):
                if other.fingerprint == activity.fingerprint:
                    return other
                loose = replace(other, distance_m=None) if any_distance else other
                if same_run(activity, loose):
                    return other
        return None
