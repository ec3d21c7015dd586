"""Pure arithmetic over recorded tracks, shared by the GPX and TCX importers (no XML here).

A *segment* is a run of samples recorded without a pause (a GPX `<trkseg>`, a TCX `<Track>`).
Distances and climbs are summed within segments and never across the gap between two of them: the
athlete may have moved while the recording was paused (a car, a ferry), and a device does not count
that either.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

# Mean Earth radius (IUGG), metres. gpxpy uses the equatorial radius (6,378,137 m), so its lengths
# are 0.11 % longer than ours on the same points.
EARTH_RADIUS_M = 6_371_008.8

# A climb counts only once the ground has risen this many metres above the lowest point since the last
# summit, and a descent of as much ends it. Altitude wanders by tenths of a metre to metres from sample
# to sample even on barometric devices, and summing every rise turns that into phantom climbing. On the
# one activity of the shared corpus that exists both as a FIT file with the watch's own total ascent
# and as a Strava GPX (a 1.4 h Forerunner 935 ride), the watch says 79 m; summing every rise gives
# 230 m, gpxpy's `get_uphill_downhill` (a 0.3/0.4/0.3 moving average, then every rise) 214 m, and this
# band 96 m (4 m would give 62 m). Rolling ground of less than 3 m is not counted.
ELEVATION_HYSTERESIS_M = 3.0

# A heart-rate sample stands for the time until the next sample, but for no more than this many
# seconds: longer gaps are pauses (auto-pause, a stop with the watch asleep) or a lost strap, not time
# at that rate. Devices record every second, or in Garmin's "smart recording" whenever something changes:
# on the shared corpus' smart-recorded files (Edge 705, vivoactive HR) 5 % of the steps exceed 15–38 s,
# and a 10 s cap would drop 12–42 % of their time, 30 s only 0–8 %. Longer gaps are taken as pauses.
HEART_RATE_MAX_GAP_S = 30.0

# Heart rates outside this range (beats/min) are sensor dropouts (0 is "no reading") and are skipped.
HEART_RATE_PLAUSIBLE_BPM = (20.0, 250.0)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def path_length_m(latitudes: Sequence[float], longitudes: Sequence[float]) -> float:
    """Length in metres of one segment's path through its points (degrees), in recording order: the
    sum of `haversine_m` over consecutive points, with each point's cosine worked out once."""
    radians, sin, cos = math.radians, math.sin, math.cos
    angle = 0.0  # central angle, radians
    previous: tuple[float, float, float] | None = None
    for lat, lon in zip(latitudes, longitudes, strict=True):
        phi, lam = radians(lat), radians(lon)
        cos_phi = cos(phi)
        if previous is not None:
            phi0, lam0, cos_phi0 = previous
            a = sin((phi - phi0) / 2) ** 2 + cos_phi0 * cos_phi * sin((lam - lam0) / 2) ** 2
            angle += math.asin(math.sqrt(min(1.0, a)))
        previous = (phi, lam, cos_phi)
    return 2 * EARTH_RADIUS_M * angle


def elevation_gain_m(elevations: Iterable[float], hysteresis_m: float = ELEVATION_HYSTERESIS_M) -> float:
    """Total ascent in metres of one segment: each climb from trough to summit, once it exceeds the band.

    A climb is counted in full (from its lowest point) as soon as it is followed by a descent of at
    least `hysteresis_m`, or the segment ends; wiggles smaller than the band inside a climb do not
    interrupt it, and rises smaller than the band are ignored."""
    iterator = iter(elevations)
    first = next(iterator, None)
    if first is None:
        return 0.0
    gain = 0.0
    trough = summit = first
    for elevation in iterator:
        if elevation > summit:
            summit = elevation
        elif summit - elevation >= hysteresis_m:
            if summit - trough >= hysteresis_m:
                gain += summit - trough
            trough = summit = elevation
        elif elevation < trough:
            trough = summit = elevation
    if summit - trough >= hysteresis_m:
        gain += summit - trough
    return gain


def heart_rate_seconds(
    times_s: Sequence[float], bpms: Sequence[float], max_gap_s: float = HEART_RATE_MAX_GAP_S
) -> dict[int, float]:
    """Seconds spent at each whole heart rate (beats/min) within one segment.

    `times_s` are the heart-rate samples' times (seconds on any common clock) in recording order.
    Each sample counts the time to the next sample, at most `max_gap_s`; the last sample and steps
    backwards in time count nothing. (The FIT importer counts the same way, with a cap of its own.)"""
    seconds: dict[int, float] = {}
    for i in range(len(times_s) - 1):
        step = times_s[i + 1] - times_s[i]
        if step > 0:
            bpm = round(bpms[i])
            seconds[bpm] = seconds.get(bpm, 0.0) + min(step, max_gap_s)
    return seconds


def merge_seconds(histograms: Iterable[Mapping[int, float]]) -> tuple[tuple[int, float], ...]:
    """Several segments' (bpm → seconds) maps as one tuple of (bpm, seconds) sorted by bpm."""
    total: dict[int, float] = {}
    for histogram in histograms:
        for bpm, seconds in histogram.items():
            total[bpm] = total.get(bpm, 0.0) + seconds
    return tuple(sorted(total.items()))


def time_weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Mean of `(value, seconds)` pairs weighted by their seconds; None when no time was recorded."""
    weighted = 0.0
    seconds = 0.0
    for value, weight in pairs:
        weighted += value * weight
        seconds += weight
    return weighted / seconds if seconds > 0 else None


def plausible_heart_rate(bpm: float) -> bool:
    low, high = HEART_RATE_PLAUSIBLE_BPM
    return low <= bpm <= high


class Segment:
    """The samples of one segment in recording order: positions (degrees), elevations (m) and times (s)
    of the points that have them, and the heart rates (beats/min) of the timed points, with their times."""

    __slots__ = ("elevations", "heart_rate_times_s", "heart_rates_bpm", "latitudes", "longitudes", "times_s")

    def __init__(self) -> None:
        self.latitudes: list[float] = []
        self.longitudes: list[float] = []
        self.elevations: list[float] = []
        self.times_s: list[float] = []
        self.heart_rate_times_s: list[float] = []
        self.heart_rates_bpm: list[float] = []

    def add(
        self,
        lat: float | None,
        lon: float | None,
        elevation_m: float | None,
        time_s: float | None,
        heart_rate_bpm: float | None,
    ) -> None:
        """One recorded point; a position outside ±90°/±180° counts as missing, as does a heart rate
        without a time (it cannot be weighted)."""
        if lat is not None and lon is not None and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0:
            self.latitudes.append(lat)
            self.longitudes.append(lon)
        if elevation_m is not None:
            self.elevations.append(elevation_m)
        if time_s is not None:
            self.times_s.append(time_s)
            if heart_rate_bpm is not None:
                self.heart_rate_times_s.append(time_s)
                self.heart_rates_bpm.append(heart_rate_bpm)


class TrackTotals:
    """Totals over the segments of one activity, added one segment at a time."""

    def __init__(self) -> None:
        self.positioned_points = 0
        self.distance_m = 0.0  # path length, metres, summed within segments
        self.moving_s = 0.0  # segments' spans (last minus first time), seconds
        self.elevation_points = 0
        self.elevation_gain_m = 0.0
        self._histograms: list[dict[int, float]] = []
        self._heart_rate_sum = 0.0
        self._heart_rate_count = 0
        self.max_heart_rate_bpm: float | None = None

    def add(self, segment: Segment) -> None:
        self.positioned_points += len(segment.latitudes)
        self.distance_m += path_length_m(segment.latitudes, segment.longitudes)
        if segment.elevations:
            self.elevation_points += len(segment.elevations)
            self.elevation_gain_m += elevation_gain_m(segment.elevations)
        if segment.times_s:
            self.moving_s += max(segment.times_s) - min(segment.times_s)
        rates = segment.heart_rates_bpm
        if rates:
            self._histograms.append(heart_rate_seconds(segment.heart_rate_times_s, rates))
            self._heart_rate_sum += sum(rates)
            self._heart_rate_count += len(rates)
            peak = max(rates)
            self.max_heart_rate_bpm = (
                peak if self.max_heart_rate_bpm is None else max(self.max_heart_rate_bpm, peak)
            )

    def heart_rate_seconds(self) -> tuple[tuple[int, float], ...]:
        """Seconds at each heart rate over all segments, sorted by beats/min."""
        return merge_seconds(self._histograms)

    def average_heart_rate_bpm(self) -> float | None:
        """Time-weighted mean of the samples; their plain mean when no sample spans any time."""
        weighted = time_weighted_mean((float(bpm), seconds) for bpm, seconds in self.heart_rate_seconds())
        if weighted is None and self._heart_rate_count:
            return self._heart_rate_sum / self._heart_rate_count
        return weighted
