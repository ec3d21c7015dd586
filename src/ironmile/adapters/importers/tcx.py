"""TCX files (Garmin Training Center) to one Activity per `<Activity>`.

A file may hold several activities: three runs in one export, or a multisport session (bike, run, …
under `<MultiSportSession>`), and each becomes an Activity of its own, fingerprinted
`<file hash>#<n>` with n its position among the file's `<Activity>` elements (1, 2, …).

What is read, per activity:

* sport: the `Sport` attribute (`Running`/`running`, `Biking`, `Other`: TCX knows no more sports, so
  swims, hikes and skiing arrive as Sport.OTHER).
* start: the `<Id>` timestamp (Garmin's start time), else the first lap's `StartTime`, else the first
  trackpoint's time.
* distance: the laps' `<DistanceMeters>` summed, when every lap has one; else (or when that is 0) the
  trackpoints' cumulative `<DistanceMeters>` (largest minus smallest); else the path through their
  positions, per `<Track>`.
* moving time: the laps' `<TotalTimeSeconds>` summed (the device's timer time); elapsed time: from the
  first to the last moment of the activity (trackpoint times, lap starts and ends).
* trackpoints repeating the time of an earlier one in the same activity are dropped (COROS repeats the
  whole track inside every lap).
* heart rate: average from the laps' `<AverageHeartRateBpm>` weighted by lap time (trackpoints when no
  lap has one); maximum over the laps' `<MaximumHeartRateBpm>` and the trackpoints; seconds at each
  rate from the trackpoints, each `<Track>` a segment (see `track.py`).
* elevation gain: from the trackpoints' `<AltitudeMeters>`, per `<Track>`.

Extensions (speed, cadence, power) are not read. A file holding only courses (planned routes) is not
a recording and is rejected.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ironmile.adapters.importers import track
from ironmile.adapters.importers.xml_stream import (
    EndHandler,
    StartHandler,
    parse_number,
    parse_time,
    read_elements,
)
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.errors import RejectedFileError

COURSE_ONLY = "a TCX course (a planned route), not a recorded activity"
NO_ACTIVITIES = "a TCX file without any <Activity>, not a recorded activity"

_SPORTS = {"running": Sport.RUNNING, "biking": Sport.CYCLING}
_LONGEST_LAP_S = 7 * 24 * 3600.0  # a lap time beyond a week is a corrupt value, not a lap


def read_tcx(data: bytes, *, source: str, file_hash: str) -> tuple[Activity, ...]:
    """Every activity a TCX file records; RejectedFileError when it records none or cannot be read.

    `data` is the whole (decompressed) file. One activity is fingerprinted `file_hash`; several are
    `file_hash#1`, `file_hash#2`, … in file order."""
    reader = _TcxReader()
    read_elements(data, reader, source=source, root="TrainingCenterDatabase", kind="TCX")
    if not reader.activities:
        reason = COURSE_ONLY if reader.courses else NO_ACTIVITIES
        raise RejectedFileError(source, reason)
    several = len(reader.activities) > 1
    usable: list[Activity] = []
    problems: list[str] = []
    for number, parts in enumerate(reader.activities, start=1):
        fingerprint = f"{file_hash}#{number}" if several else file_hash
        activity = parts.activity(source, fingerprint)
        if isinstance(activity, Activity):
            usable.append(activity)
        else:
            problems.append(
                f"<Activity> {number} has {activity}" if several else f"its <Activity> has {activity}"
            )
    if not usable:
        raise RejectedFileError(source, "; ".join(problems) + ", so nothing was recorded")
    return tuple(usable)


@dataclass(slots=True)
class _Lap:
    """A lap's own summary: start, timer time (s), distance (m), average and maximum HR (beats/min)."""

    start: datetime | None = None
    total_time_s: float | None = None
    distance_m: float | None = None
    avg_heart_rate_bpm: float | None = None
    max_heart_rate_bpm: float | None = None


@dataclass(slots=True)
class _ActivityParts:
    """Everything read inside one `<Activity>`, turned into an Activity when it closes."""

    sport: Sport
    id_time: datetime | None = None
    laps: list[_Lap] = field(default_factory=list)
    totals: track.TrackTotals = field(default_factory=track.TrackTotals)
    first: datetime | None = None  # earliest and latest trackpoint times
    last: datetime | None = None
    seen_times_s: set[float] = field(default_factory=set)  # to drop trackpoints written twice
    min_distance_m: float | None = None  # trackpoints' cumulative <DistanceMeters>, smallest and largest
    max_distance_m: float | None = None

    def activity(self, source: str, fingerprint: str) -> Activity | str:
        """The Activity, or what it lacks (`no start time`, …) when there is none to make."""
        laps = self.laps
        start = self.id_time or next((lap.start for lap in laps if lap.start is not None), None) or self.first
        timed_laps = [lap.total_time_s for lap in laps if lap.total_time_s is not None]
        if start is None:
            return "no start time (no <Id>, lap StartTime or trackpoint <Time>)"
        if not timed_laps and self.first is None:
            return "no lap <TotalTimeSeconds> and no timed trackpoints"
        totals = self.totals
        return Activity(
            start=start,
            sport=self.sport,
            source=source,
            fingerprint=fingerprint,
            distance_m=self._distance_m(),
            moving_s=round(sum(timed_laps) if timed_laps else totals.moving_s, 3),
            elapsed_s=self._elapsed_s(start),
            elevation_gain_m=totals.elevation_gain_m if totals.elevation_points else None,
            avg_heart_rate_bpm=self._average_heart_rate_bpm(),
            max_heart_rate_bpm=self._max_heart_rate_bpm(),
            heart_rate_seconds=totals.heart_rate_seconds(),
        )

    def _distance_m(self) -> float | None:
        """The first positive of: laps' sum, trackpoints' cumulative distance, path length; else 0 or None.

        Some devices write 0 into every lap of an indoor or GPS-less activity yet fill in the
        trackpoints, so a zero is only believed when no other source says more."""
        laps = self.laps
        candidates = [
            sum(lap.distance_m or 0.0 for lap in laps)
            if laps and all(lap.distance_m is not None for lap in laps)
            else None,
            self.max_distance_m - self.min_distance_m
            if self.min_distance_m is not None and self.max_distance_m is not None
            else None,
            self.totals.distance_m if self.totals.positioned_points else None,
        ]
        known = [distance for distance in candidates if distance is not None]
        return next((distance for distance in known if distance > 0), known[0] if known else None)

    def _elapsed_s(self, start: datetime) -> float:
        """From the earliest to the latest moment the activity mentions: trackpoint times, lap starts and
        lap ends (start + timer time). Files trimmed to their first minutes keep laps that run on."""
        moments = [start] + [moment for moment in (self.first, self.last) if moment is not None]
        for lap in self.laps:
            if lap.start is not None:
                moments.append(lap.start)
                with contextlib.suppress(OverflowError):  # a start in the year 9999
                    moments.append(lap.start + timedelta(seconds=lap.total_time_s or 0.0))
        return (max(moments) - min(moments)).total_seconds()

    def _average_heart_rate_bpm(self) -> float | None:
        from_laps = track.time_weighted_mean(
            (lap.avg_heart_rate_bpm, lap.total_time_s)
            for lap in self.laps
            if lap.avg_heart_rate_bpm is not None and lap.total_time_s is not None
        )
        return from_laps if from_laps is not None else self.totals.average_heart_rate_bpm()

    def _max_heart_rate_bpm(self) -> float | None:
        known = [lap.max_heart_rate_bpm for lap in self.laps if lap.max_heart_rate_bpm is not None]
        if self.totals.max_heart_rate_bpm is not None:
            known.append(self.totals.max_heart_rate_bpm)
        return max(known) if known else None


class _TcxReader:
    """Collects activities as expat reports the elements (an xml_stream.ElementReader)."""

    def __init__(self) -> None:
        self.text_parts: list[str] = []
        self.activities: list[_ActivityParts] = []
        self.courses = 0
        self.current: _ActivityParts | None = None
        self.lap: _Lap | None = None
        self.in_track = False  # inside a <Track>: lap totals are the <Lap>'s children outside it
        self.segment: track.Segment | None = None
        self.in_point = False
        self.value_owner = ""  # the element a <Value> belongs to: HeartRateBpm, AverageHeartRateBpm…
        self.time: datetime | None = None
        self.lat: float | None = None
        self.lon: float | None = None
        self.altitude: float | None = None
        self.distance: float | None = None
        self.hr: float | None = None

    def start_handlers(self) -> dict[str, StartHandler]:
        return {
            "Trackpoint": self._start_point,
            "HeartRateBpm": self._start_heart_rate,
            "AverageHeartRateBpm": self._start_average_heart_rate,
            "MaximumHeartRateBpm": self._start_maximum_heart_rate,
            "Track": self._start_track,
            "Lap": self._start_lap,
            "Activity": self._start_activity,
            "Course": self._start_course,
        }

    def end_handlers(self) -> dict[str, EndHandler]:
        return {
            "Time": self._end_time,
            "LatitudeDegrees": self._end_latitude,
            "LongitudeDegrees": self._end_longitude,
            "AltitudeMeters": self._end_altitude,
            "DistanceMeters": self._end_distance,
            "Value": self._end_value,
            "Trackpoint": self._end_point,
            "TotalTimeSeconds": self._end_total_time,
            "Track": self._end_track,
            "Lap": self._end_lap,
            "Id": self._end_id,
            "Activity": self._end_activity,
        }

    def _start_point(self, attrs: dict[str, str]) -> None:
        if self.current is not None:
            self.in_point = True
            self.time = self.lat = self.lon = self.altitude = self.distance = self.hr = None

    def _start_heart_rate(self, attrs: dict[str, str]) -> None:
        self.value_owner = "HeartRateBpm"

    def _start_average_heart_rate(self, attrs: dict[str, str]) -> None:
        self.value_owner = "AverageHeartRateBpm"

    def _start_maximum_heart_rate(self, attrs: dict[str, str]) -> None:
        self.value_owner = "MaximumHeartRateBpm"

    def _start_track(self, attrs: dict[str, str]) -> None:
        self._close_segment()
        self.in_track = True
        if self.current is not None:
            self.segment = track.Segment()

    def _start_lap(self, attrs: dict[str, str]) -> None:
        if self.current is not None:
            self.lap = _Lap(start=parse_time(attrs.get("StartTime", "")))
            self.current.laps.append(self.lap)

    def _start_activity(self, attrs: dict[str, str]) -> None:
        self.current = _ActivityParts(_SPORTS.get(attrs.get("Sport", "").strip().lower(), Sport.OTHER))
        self.activities.append(self.current)

    def _start_course(self, attrs: dict[str, str]) -> None:
        self.courses += 1

    def _end_time(self) -> None:
        if self.in_point:
            self.time = parse_time("".join(self.text_parts))

    def _end_latitude(self) -> None:
        if self.in_point:
            self.lat = parse_number("".join(self.text_parts))

    def _end_longitude(self) -> None:
        if self.in_point:
            self.lon = parse_number("".join(self.text_parts))

    def _end_altitude(self) -> None:
        if self.in_point:
            self.altitude = parse_number("".join(self.text_parts))

    def _end_distance(self) -> None:
        if self.in_point:
            self.distance = parse_number("".join(self.text_parts))
        elif self.lap is not None and not self.in_track:
            distance = parse_number("".join(self.text_parts))
            if distance is not None and distance >= 0:
                self.lap.distance_m = distance

    def _end_value(self) -> None:
        bpm = parse_number("".join(self.text_parts))
        if bpm is None or not track.plausible_heart_rate(bpm):
            return
        owner = self.value_owner
        if self.in_point:
            if owner == "HeartRateBpm":
                self.hr = bpm
        elif self.lap is None or self.in_track:
            return
        elif owner == "AverageHeartRateBpm":
            self.lap.avg_heart_rate_bpm = bpm
        elif owner == "MaximumHeartRateBpm":
            self.lap.max_heart_rate_bpm = bpm

    def _end_point(self) -> None:
        if self.in_point:
            self.in_point = False
            self._add_point()

    def _end_total_time(self) -> None:
        if self.lap is not None and not self.in_track:
            seconds = parse_number("".join(self.text_parts))
            if seconds is not None and 0 <= seconds <= _LONGEST_LAP_S:
                self.lap.total_time_s = seconds

    def _end_track(self) -> None:
        self._close_segment()
        self.in_track = False

    def _end_lap(self) -> None:
        self._close_segment()
        self.lap = None
        self.in_track = False

    def _end_id(self) -> None:
        # The activity's own <Id> precedes its laps; other <Id>s (a multisport session's) are outside it.
        if self.current is not None and not self.current.laps:
            self.current.id_time = parse_time("".join(self.text_parts))

    def _end_activity(self) -> None:
        self._close_segment()
        self.current = self.lap = None

    def _add_point(self) -> None:
        parts = self.current
        if parts is None:
            return
        if self.segment is None:  # a <Trackpoint> outside any <Track>
            self.segment = track.Segment()
        moment = self.time
        seconds = moment.timestamp() if moment is not None else None
        if seconds is not None:
            if seconds in parts.seen_times_s:
                return  # a repeat: COROS writes the whole track again inside every lap
            parts.seen_times_s.add(seconds)
        distance = self.distance
        if distance is not None and distance >= 0:
            if parts.min_distance_m is None or distance < parts.min_distance_m:
                parts.min_distance_m = distance
            if parts.max_distance_m is None or distance > parts.max_distance_m:
                parts.max_distance_m = distance
        if moment is not None:
            if parts.first is None or moment < parts.first:
                parts.first = moment
            if parts.last is None or moment > parts.last:
                parts.last = moment
        self.segment.add(self.lat, self.lon, self.altitude, seconds, self.hr)

    def _close_segment(self) -> None:
        if self.segment is not None and self.current is not None:
            self.current.totals.add(self.segment)
        self.segment = None
