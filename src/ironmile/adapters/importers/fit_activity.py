"""Decoded FIT files (`FitPart`s) to activities: one per session, or one from the records alone.

Rules, in the order a reader of a FIT file meets them:

* Only activity files count. A chained file may hold an activity and, say, its settings; the parts
  that say they are something else are left out, and a file with no activity part is rejected.
* One activity per session message (a triathlon gives swim, transitions, bike, run). A file with
  records but no session (some Edge files) gives one activity built from its records, provided it
  has the activity message that a device writes when it closes a recording; without either summary
  the file (intact: its CRC matches) is not a finished recording, and is rejected as unfinished.
* The start is the session's start time in UTC, shown at the local offset the device recorded
  (activity.local_timestamp − activity.timestamp, rounded to 15 min), else at UTC. Old watches that
  count time from switch-on ("system time") give only the local wall-clock time through the same
  two fields; it is kept, labelled UTC because the true offset is unknown.
* Totals come from the session; distance falls back to the last record distance, heart rate to the
  records, within the session's time range.
* Time at each heart rate: each heart-rate sample counts the seconds until the next heart-rate
  sample, at most `HEART_RATE_GAP_CAP_S`. Devices sample every 1 s, or every few seconds with
  "smart recording" (some write several records a second, not all with a heart rate); a longer gap
  is a pause (auto-pause, a stop at a crossing) or a lost strap, which must not count as effort.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise

from ironmile.adapters.importers import fit_profile as profile
from ironmile.adapters.importers.fit_content import FitPart, FitSession
from ironmile.adapters.importers.fit_sport import sport_of
from ironmile.adapters.importers.track import HEART_RATE_MAX_GAP_S
from ironmile.domain.activity import Activity
from ironmile.domain.errors import RejectedFileError

# One rule for every file type (track.py gives the measurements behind 30 s).
HEART_RATE_GAP_CAP_S = HEART_RATE_MAX_GAP_S
_FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
_OFFSET_STEP_S = 15 * 60  # UTC offsets are whole quarter hours
_MAX_OFFSET_S = 14 * 3600


def activities_from(parts: tuple[FitPart, ...], *, source: str, file_hash: str) -> tuple[Activity, ...]:
    """Every activity in a decoded FIT file, fingerprinted `file_hash` or `file_hash#n` (n from 1)."""
    wanted = [part for part in parts if part.file_type in (None, profile.ACTIVITY_FILE)]
    other_types = [part.file_type for part in parts if part.file_type is not None]
    if not wanted and other_types:
        raise RejectedFileError(
            source, f"a FIT {profile.file_type_name(other_types[0])} file, not an activity"
        )
    found = [activity for part in wanted for activity in _part_activities(part, source)]
    if not found:
        raise RejectedFileError(
            source, "a FIT activity file with no sessions and no records: nothing to import"
        )
    if len(found) == 1:
        return (replace(found[0], fingerprint=file_hash),)
    return tuple(replace(a, fingerprint=f"{file_hash}#{n}") for n, a in enumerate(found, start=1))


class _Clock:
    """FIT times to datetimes, at the local offset the file records."""

    def __init__(self, part: FitPart) -> None:
        self.zone: timezone = UTC
        self.system_to_local_s: int | None = None  # local wall-clock time − system time, s
        utc, local = part.activity_time, part.activity_local_time
        if utc is None or local is None or local < profile.FIRST_ABSOLUTE_TIME:
            return
        if utc >= profile.FIRST_ABSOLUTE_TIME:
            offset = round((local - utc) / _OFFSET_STEP_S) * _OFFSET_STEP_S
            if abs(offset) <= _MAX_OFFSET_S:
                self.zone = timezone(timedelta(seconds=offset))
        else:
            self.system_to_local_s = local - utc

    def at(self, time: int) -> datetime | None:
        if time >= profile.FIRST_ABSOLUTE_TIME:
            return (_FIT_EPOCH + timedelta(seconds=time)).astimezone(self.zone)
        if self.system_to_local_s is not None:
            return _FIT_EPOCH + timedelta(seconds=time + self.system_to_local_s)
        return None


def _part_activities(part: FitPart, source: str) -> list[Activity]:
    clock = _Clock(part)
    if part.sessions:
        starts = [_session_start(session, part.record_times) for session in part.sessions]
        return [
            _session_activity(part, session, start, _session_limit(session, start, starts), clock, source, n)
            for n, (session, start) in enumerate(zip(part.sessions, starts, strict=True), start=1)
        ]
    if not part.record_times:
        return []
    if part.activity_time is None and part.activity_local_time is None:
        # The reader has checked the framing and CRC, so the file is complete as written: it was not
        # cut off in transfer. What is known is only that the summaries are missing.
        records = f"{len(part.record_times)} record{'' if len(part.record_times) == 1 else 's'}"
        raise RejectedFileError(
            source,
            f"an unfinished FIT activity: {records} but no session and no activity message: "
            "not a finished activity recording (a device writes both when it saves one)",
        )
    stamped = [t for t in part.record_times if t is not None]
    if not stamped:
        raise RejectedFileError(
            source, "FIT records without timestamps: the activity cannot be placed in time"
        )
    first, last = min(stamped), max(stamped)
    samples = _Samples(part, first, last + 1)
    return [
        Activity(
            start=_datetime(clock, first, source, "the first record"),
            sport=sport_of(part.sport, part.sub_sport),
            source=source,
            fingerprint="",
            distance_m=samples.last_distance_m,
            elapsed_s=float(last - first),
            avg_heart_rate_bpm=samples.avg_heart_rate_bpm(),
            max_heart_rate_bpm=samples.max_heart_rate_bpm(),
            heart_rate_seconds=samples.heart_rate_seconds,
        )
    ]


def _session_start(session: FitSession, record_times: tuple[int | None, ...]) -> int | None:
    if session.start_time is not None:
        return session.start_time
    if session.end_time is not None and session.total_elapsed_s is not None:
        return session.end_time - math.ceil(session.total_elapsed_s)
    return min((t for t in record_times if t is not None), default=None)


def _session_limit(session: FitSession, start: int | None, starts: list[int | None]) -> float:
    """The first FIT time after the session: its end (inclusive), or the next session's start."""
    if start is None:
        return -math.inf
    ends = [session.end_time or start]
    # Elapsed time should cover the timer time; a few files say otherwise, so take whichever is longer.
    ends += [start + math.ceil(s) for s in (session.total_elapsed_s, session.total_timer_s) if s is not None]
    limit: float = max(ends) + 1
    later = [other for other in starts if other is not None and other > start]
    return min([limit, *later])


def _session_activity(
    part: FitPart, session: FitSession, start: int | None, limit: float, clock: _Clock, source: str, n: int
) -> Activity:
    if start is None:
        raise RejectedFileError(source, f"FIT session {n} has no start time and the file no timestamps")
    samples = _Samples(part, start, limit)
    elapsed = session.total_elapsed_s
    if elapsed is None and session.end_time is not None and session.end_time >= start:
        elapsed = float(session.end_time - start)
    return Activity(
        start=_datetime(clock, start, source, f"session {n}"),
        sport=sport_of(session.sport, session.sub_sport)
        if session.sport is not None
        else sport_of(part.sport, part.sub_sport),
        source=source,
        fingerprint="",
        distance_m=_first_known(session.total_distance_m, samples.last_distance_m),
        moving_s=session.total_timer_s,
        elapsed_s=elapsed,
        elevation_gain_m=session.total_ascent_m,
        avg_heart_rate_bpm=_beats(session.avg_heart_rate_bpm) or samples.avg_heart_rate_bpm(),
        max_heart_rate_bpm=_beats(session.max_heart_rate_bpm) or samples.max_heart_rate_bpm(),
        heart_rate_seconds=samples.heart_rate_seconds,
    )


def _first_known(value: float | None, fallback: float | None) -> float | None:
    return value if value is not None else fallback


def _beats(value: float | None) -> float | None:
    """A heart rate in beats/min; 0 is what some apps store for "no heart rate"."""
    return float(value) if value else None


def _datetime(clock: _Clock, time: int, source: str, what: str) -> datetime:
    moment = clock.at(time)
    if moment is None:
        raise RejectedFileError(
            source,
            f"the start of {what} is in device time (seconds since switch-on) and the file has no "
            "activity message with the local time to anchor it",
        )
    return moment


class _Samples:
    """The records whose time lies in [low, limit), in file order (one pass: files hold ~10⁴–10⁵)."""

    def __init__(self, part: FitPart, low: float, limit: float) -> None:
        self.last_distance_m: float | None = None
        beats: list[tuple[int, int]] = []  # (FIT time s, beats/min) of each heart-rate sample
        samples = zip(part.record_times, part.record_distances_m, part.record_heart_rates_bpm, strict=True)
        for time, distance, rate in samples:
            if time is None or time < low or time >= limit:
                continue
            if distance is not None:
                self.last_distance_m = distance
            if rate:  # 0 is what some apps store for "no heart rate"
                beats.append((time, rate))
        self.heart_rates = [rate for _, rate in beats]
        seconds: dict[int, float] = {}
        cap = HEART_RATE_GAP_CAP_S
        for (time, rate), (next_time, _) in pairwise(beats):
            gap = next_time - time
            if gap > 0:
                seconds[rate] = seconds.get(rate, 0.0) + (gap if gap < cap else cap)
        self.heart_rate_seconds = tuple(sorted(seconds.items()))

    def max_heart_rate_bpm(self) -> float | None:
        return float(max(self.heart_rates)) if self.heart_rates else None

    def avg_heart_rate_bpm(self) -> float | None:
        """Time-weighted from the histogram; the plain mean when the samples span no time."""
        total = sum(s for _, s in self.heart_rate_seconds)
        if total > 0:
            return sum(rate * s for rate, s in self.heart_rate_seconds) / total
        return sum(self.heart_rates) / len(self.heart_rates) if self.heart_rates else None
