"""GPX files (1.0 and 1.1, any writer) to one Activity each.

What is read, per file: every `<trkpt>` of every `<trk>`/`<trkseg>`; its `lat`/`lon`, `<ele>`, `<time>`
and any extension element named `hr` (Garmin TrackPointExtension v1/v2 under any prefix, `ns3:`,
Movescount's `gpxdata:`). Routes (`<rte>`) and waypoints (`<wpt>`) are not recordings and are ignored.

* distance: the path length within each segment (haversine), summed; segments are never joined, and
  points without `lat`/`lon` are skipped. GPX has no distance field: every app recomputes it, so
  expect ±1–2 % against the recording device.
* moving time: the segments' durations summed (the gaps between segments are pauses); elapsed time:
  from the earliest to the latest timestamp. Timestamps keep their UTC offset (OpenTracks writes
  local offsets) and may carry fractions of a second; times without an offset are UTC, as the GPX
  schema says.
* start: the earliest timestamp, with its own offset (usually UTC).
* heart rate: average weighted by time, maximum, and seconds at each rate (see `track.py`).
* elevation gain: per segment, with the hysteresis band of `track.ELEVATION_HYSTERESIS_M`.
* sport: from the first track's `<type>`: words as Garmin and others write them (`running`,
  `cycling`, …) or Strava's numeric codes (`9` run, `1` ride). Anything else is Sport.OTHER — a
  Strava export names the sport in its `activities.csv`, which the import prefers to the file.

A file without a single timed track point (a planned route, a waypoint list, the metadata-only GPX
Strava writes for a manual activity) is not a recording and is rejected.
"""

from __future__ import annotations

from datetime import datetime

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

NO_TIMED_POINTS = "a GPX route/metadata without timed track points, not a recorded activity"

# `<type>` texts, lower-cased with spaces and hyphens as underscores: Garmin Connect's activity keys,
# the English words other apps write, Strava's activity names and the numeric codes Strava's GPX
# export writes (9 is a run, 1 a ride: the only two we have seen in real files).
_TYPE_WORDS: dict[Sport, str] = {
    Sport.RUNNING: "running run trail_running treadmill_running street_running track_running "
    "indoor_running virtual_run virtualrun trailrun ultra_run 9",
    Sport.CYCLING: "cycling biking ride road_biking mountain_biking gravel_cycling indoor_cycling "
    "virtual_ride virtualride mountainbikeride gravelride e_bike_fitness ebikeride 1",
    Sport.SWIMMING: "swimming swim lap_swimming open_water_swimming",
    Sport.WALKING: "walking walk casual_walking speed_walking",
    Sport.HIKING: "hiking hike",
    Sport.STRENGTH: "strength_training weighttraining weight_training",
    Sport.ROWING: "rowing indoor_rowing",
    Sport.SKIING: "skiing cross_country_skiing skate_skiing backcountry_skiing resort_skiing "
    "nordicski alpineski backcountryski",
}
_SPORTS_BY_TYPE = {word: sport for sport, words in _TYPE_WORDS.items() for word in words.split()}


def read_gpx(data: bytes, *, source: str, file_hash: str) -> tuple[Activity, ...]:
    """The one activity a GPX file records; RejectedFileError when it records none or cannot be read.

    `data` is the whole (decompressed) file; `file_hash` becomes the activity's fingerprint."""
    reader = _GpxReader(source)
    read_elements(data, reader, source=source, root="gpx", kind="GPX")
    return (reader.activity(file_hash),)


def sport_from_type(text: str) -> Sport:
    """A track's `<type>` text as a Sport (Sport.OTHER when unknown or empty)."""
    return _SPORTS_BY_TYPE.get(text.strip().lower().replace(" ", "_").replace("-", "_"), Sport.OTHER)


class _GpxReader:
    """Collects totals segment by segment as expat reports the elements (an xml_stream.ElementReader)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.text_parts: list[str] = []
        self.in_track = False  # inside a <trk> but not in one of its <trkseg>s: where its <type> is
        self.in_segment = False
        self.track_type: str | None = None
        self.segment: track.Segment | None = None
        self.totals = track.TrackTotals()
        self.in_point = False
        self.lat: float | None = None
        self.lon: float | None = None
        self.ele: float | None = None
        self.time: datetime | None = None
        self.hr: float | None = None
        self.first: datetime | None = None
        self.last: datetime | None = None
        self.points = 0
        self.route_points = 0
        self.waypoints = 0
        self.unreadable_times = 0

    def start_handlers(self) -> dict[str, StartHandler]:
        return {
            "trkpt": self._start_point,
            "trkseg": self._start_segment,
            "trk": self._start_track,
            "rtept": self._start_route_point,
            "wpt": self._start_waypoint,
        }

    def end_handlers(self) -> dict[str, EndHandler]:
        return {
            "ele": self._end_ele,
            "time": self._end_time,
            "hr": self._end_hr,
            "trkpt": self._end_point,
            "trkseg": self._end_segment,
            "trk": self._end_track,
            "type": self._end_type,
        }

    def _start_point(self, attrs: dict[str, str]) -> None:
        self.in_point = True
        try:  # the common case, fast; NaN and infinities fail Segment.add's range check
            self.lat, self.lon = float(attrs["lat"]), float(attrs["lon"])
        except (KeyError, ValueError):
            self.lat, self.lon = parse_number(attrs.get("lat")), parse_number(attrs.get("lon"))
        self.ele = self.time = self.hr = None

    def _start_segment(self, attrs: dict[str, str]) -> None:
        self._close_segment()
        self.segment = track.Segment()
        self.in_segment = True

    def _start_track(self, attrs: dict[str, str]) -> None:
        self.in_track = True

    def _start_route_point(self, attrs: dict[str, str]) -> None:
        self.route_points += 1

    def _start_waypoint(self, attrs: dict[str, str]) -> None:
        self.waypoints += 1

    def _end_ele(self) -> None:
        if self.in_point:
            self.ele = parse_number("".join(self.text_parts))

    def _end_time(self) -> None:
        if self.in_point:
            self.time = parse_time("".join(self.text_parts))
            if self.time is None:
                self.unreadable_times += 1

    def _end_hr(self) -> None:
        if self.in_point:
            bpm = parse_number("".join(self.text_parts))
            if bpm is not None and track.plausible_heart_rate(bpm):
                self.hr = bpm

    def _end_type(self) -> None:
        if self.in_track and not self.in_segment and not self.in_point and self.track_type is None:
            self.track_type = "".join(self.text_parts).strip() or None

    def _end_segment(self) -> None:
        self._close_segment()
        self.in_segment = False

    def _end_track(self) -> None:
        self._close_segment()
        self.in_track = self.in_segment = False

    def _end_point(self) -> None:
        self.in_point = False
        if self.segment is None:  # a <trkpt> outside any <trkseg>: its <trk> is taken as one segment
            self.segment = track.Segment()
        self.points += 1
        moment = self.time
        if moment is not None:
            if self.first is None or moment < self.first:
                self.first = moment
            if self.last is None or moment > self.last:
                self.last = moment
        seconds = moment.timestamp() if moment is not None else None
        self.segment.add(self.lat, self.lon, self.ele, seconds, self.hr)

    def _close_segment(self) -> None:
        if self.segment is not None:
            self.totals.add(self.segment)
            self.segment = None

    def activity(self, file_hash: str) -> Activity:
        self._close_segment()
        if self.first is None or self.last is None:
            raise RejectedFileError(self.source, f"{NO_TIMED_POINTS} ({self._contents()})")
        totals = self.totals
        return Activity(
            start=self.first,
            sport=sport_from_type(self.track_type or ""),
            source=self.source,
            fingerprint=file_hash,
            distance_m=totals.distance_m if totals.positioned_points else None,
            moving_s=round(totals.moving_s, 3),
            elapsed_s=(self.last - self.first).total_seconds(),
            elevation_gain_m=totals.elevation_gain_m if totals.elevation_points else None,
            avg_heart_rate_bpm=totals.average_heart_rate_bpm(),
            max_heart_rate_bpm=totals.max_heart_rate_bpm,
            heart_rate_seconds=totals.heart_rate_seconds(),
        )

    def _contents(self) -> str:
        found = f"found {self.points} track points without a readable time"
        if self.unreadable_times:
            found += f" ({self.unreadable_times} <time> values unreadable)"
        return f"{found}, {self.route_points} route points, {self.waypoints} waypoints"
