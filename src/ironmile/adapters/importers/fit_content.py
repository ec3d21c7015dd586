"""What the FIT decoders take from a file, before it becomes an `Activity`.

Both decoders (the fast reader and the fitdecode fallback) produce this shape, so one mapping turns
either into activities. Times are FIT times: seconds since 1989-12-31 UTC, or, below
`fit_profile.FIRST_ABSOLUTE_TIME`, seconds since the device was switched on. Enums are FIT's own
numbers. `None` means the file did not hold the value (or held FIT's "invalid" marker).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FitSession:
    """One `session` message: a whole activity, or one leg of a multisport activity."""

    start_time: int | None = None  # FIT time, s
    end_time: int | None = None  # FIT time, s: when the session message was written (its end)
    sport: int | None = None
    sub_sport: int | None = None
    total_distance_m: float | None = None
    total_timer_s: float | None = None  # timer running: pauses excluded
    total_elapsed_s: float | None = None  # wall clock from start to end
    total_ascent_m: float | None = None
    avg_heart_rate_bpm: float | None = None
    max_heart_rate_bpm: float | None = None


@dataclass(frozen=True, slots=True)
class FitPart:
    """One FIT file; a "chained" file holds several, one after the other.

    The three record tuples run in parallel, one entry per `record` message in file order."""

    file_type: int | None = None  # file_id.type: 4 = activity; None when the file did not say
    sessions: tuple[FitSession, ...] = ()
    record_times: tuple[int | None, ...] = ()  # FIT time, s
    record_distances_m: tuple[float | None, ...] = ()  # metres from the start
    record_heart_rates_bpm: tuple[int | None, ...] = ()
    sport: int | None = None  # from the `sport` message, for files without sessions
    sub_sport: int | None = None
    activity_time: int | None = None  # activity.timestamp, FIT time, s (UTC or system time)
    activity_local_time: int | None = None  # activity.local_timestamp: the same moment, local clock
