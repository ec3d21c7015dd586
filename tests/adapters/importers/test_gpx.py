"""The GPX importer (and the track arithmetic it shares with TCX) against gpxpy and real files.

Every valid file of the corpus (tests/corpus.py: the committed fixtures, plus the shared corpus when
IRONMILE_TESTDATA is set) is read by gpxpy too, as an independent parser: distances, durations, start
and heart rate must agree within 1 %, and the sport must be the one the file's own track `<type>` names
(read here with ElementTree). Where gpxpy cannot serve (it raises, or drops the extensions holding
heart rate), the reason is listed below and the file is held to our own invariants. Every unusual or
corrupt file has its expected outcome listed: the activities it imports, or the reason it is refused.
No position is printed.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import gpxpy
import gpxpy.gpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ironmile.adapters.importers.gpx import NO_TIMED_POINTS, read_gpx, sport_from_type
from ironmile.adapters.importers.track import (
    EARTH_RADIUS_M,
    HEART_RATE_MAX_GAP_S,
    elevation_gain_m,
    haversine_m,
    heart_rate_seconds,
    path_length_m,
)
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.errors import RejectedFileError
from tests.corpus import FIXTURES, CorpusFile, corpus

GPX_FIXTURES = FIXTURES / "gpx"

# Files gpxpy cannot read, or reads without what we compare.
GPXPY_RAISES = {
    "runalyze__standard.gpx": "gpxpy raises 'latitude is mandatory' on the first <trkpt>, which has no "
    "lat/lon (an eTrex 30 writes one before its first fix); we skip that point",
}
GPXPY_DROPS_EXTENSIONS = {
    "runalyze__hr-not-always-there.gpx": 'the file says version="1.0", so gpxpy reads it as GPX 1.0, '
    "which has no <extensions>, and never sees the heart rates",
}


# Every track `<type>` text the corpus holds (stripped, as written), and the sport it names; None is a
# file without any. A value missing here fails the test: add it with the sport it means.
TYPE_SPORTS: dict[str | None, Sport] = {
    "running": Sport.RUNNING,  # Garmin Connect's activity key
    "run": Sport.RUNNING,  # gpxpy's test file
    "9": Sport.RUNNING,  # Strava's GPX export: its numeric code for a run
    "cycling": Sport.CYCLING,
    "biking": Sport.CYCLING,
    "ride": Sport.CYCLING,
    "1": Sport.CYCLING,  # Strava's numeric code for a ride
    "jkljkl": Sport.OTHER,  # gpxpy's test of arbitrary text
    "...": Sport.OTHER,
    "unknown": Sport.OTHER,  # OpenTracks, when no activity type was chosen
    "the category": Sport.OTHER,  # OpenTracks writes the user's own category name
    None: Sport.OTHER,
}


def file_bytes(file: CorpusFile | Path) -> bytes:
    path = file.path if isinstance(file, CorpusFile) else file
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def read_one(data: bytes, source: str = "test.gpx") -> Activity:
    (activity,) = read_gpx(data, source=source, file_hash="f" * 32)  # one activity per file
    assert activity.fingerprint == "f" * 32
    return activity


def import_or_refusal(data: bytes, source: str = "test.gpx") -> Activity | RejectedFileError:
    try:
        return read_one(data, source)
    except RejectedFileError as refused:
        return refused


def track_type(data: bytes) -> str | None:
    """The first non-empty `<type>` directly under a `<trk>`, as the file writes it (stripped)."""
    root = ET.fromstring(data)
    for track in root:
        if local(track.tag) != "trk":
            continue
        for child in track:
            if local(child.tag) == "type" and child.text and child.text.strip():
                return child.text.strip()
    return None


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def assert_sport_from_the_file(activity: Activity, data: bytes, file_id: str) -> None:
    written = track_type(data)
    assert written in TYPE_SPORTS, f"{file_id}: track <type> {written!r} is not in TYPE_SPORTS"
    assert activity.sport is TYPE_SPORTS[written], f"{file_id}: <type> {written!r}"


def assert_invariants(activity: Activity) -> None:
    """What holds for every GPX activity, whatever the file."""
    assert activity.start.utcoffset() is not None
    assert activity.moving_s is not None
    assert activity.elapsed_s is not None
    assert 0 <= activity.moving_s <= activity.elapsed_s + 1e-6  # segments are parts of the span
    assert activity.distance_m is None or activity.distance_m >= 0
    assert activity.elevation_gain_m is None or activity.elevation_gain_m >= 0
    seconds = [s for _, s in activity.heart_rate_seconds]
    assert all(s > 0 for s in seconds)
    assert sum(seconds) <= activity.moving_s + 1e-6  # heart-rate time lies within the segments
    rates = [bpm for bpm, _ in activity.heart_rate_seconds]
    assert rates == sorted(rates)
    if activity.avg_heart_rate_bpm is not None:
        assert activity.max_heart_rate_bpm is not None
        assert 20 <= activity.avg_heart_rate_bpm <= activity.max_heart_rate_bpm + 0.5 <= 250.5


# --- every valid file against gpxpy -----------------------------------------------------------

OK = [f for f in corpus("gpx") if f.role == "ok"]
OTHERS = [f for f in corpus("gpx") if f.role != "ok"]


def gpxpy_heart_rate(point: gpxpy.gpx.GPXTrackPoint) -> float | None:
    for extension in point.extensions:
        for element in extension.iter():
            if element.tag.rsplit("}", 1)[-1] == "hr" and element.text:
                return float(element.text)
    return None


def utc(moment: datetime) -> datetime:
    """gpxpy leaves times written without an offset naive; the GPX schema says they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@pytest.mark.parametrize("file", OK, ids=[f.id for f in OK])
def test_valid_file_agrees_with_gpxpy(file: CorpusFile) -> None:
    data = file_bytes(file)
    if file.id in GPXPY_RAISES:
        with pytest.raises(gpxpy.gpx.GPXException):
            gpxpy.parse(data.decode("utf-8-sig"))
        activity = read_one(data, file.id)
        assert_invariants(activity)
        assert_sport_from_the_file(activity, data, file.id)
        return
    parsed = gpxpy.parse(data.decode("utf-8-sig"))
    segments = [segment.points for track in parsed.tracks for segment in track.segments]
    times = [utc(p.time) for points in segments for p in points if p.time is not None]
    if not times:  # a route, waypoints or a track without times: nothing was recorded
        with pytest.raises(RejectedFileError) as refused:
            read_one(data, file.id)
        assert NO_TIMED_POINTS in refused.value.reason
        return

    activity = read_one(data, file.id)
    assert_invariants(activity)
    assert_sport_from_the_file(activity, data, file.id)
    # gpxpy measures on the equatorial radius (6,378,137 m), 0.11 % longer than our mean radius.
    gpxpy_length = sum(segment.length_2d() for track in parsed.tracks for segment in track.segments)
    assert activity.distance_m == pytest.approx(gpxpy_length, rel=0.01, abs=0.01)
    spans = [
        (max(stamps) - min(stamps)).total_seconds()
        for points in segments
        if (stamps := [utc(p.time) for p in points if p.time is not None])
    ]
    assert activity.moving_s == pytest.approx(sum(spans), rel=0.01, abs=0.01)
    duration = parsed.get_duration()  # None when some segment has no times
    if duration is not None:
        assert activity.moving_s == pytest.approx(duration, rel=0.01, abs=1.0)
    assert abs(activity.start - min(times)) < timedelta(milliseconds=1)
    assert activity.elapsed_s == pytest.approx((max(times) - min(times)).total_seconds(), abs=1e-3)

    elevations = [[p.elevation for p in points if p.elevation is not None] for points in segments]
    if any(elevations):
        # The band only ever removes climbing: we never count more than every rise summed.
        every_rise = sum(max(0.0, b - a) for es in elevations for a, b in pairwise(es))
        assert activity.elevation_gain_m is not None
        assert activity.elevation_gain_m <= every_rise + 1e-6
    else:
        assert activity.elevation_gain_m is None

    if file.id in GPXPY_DROPS_EXTENSIONS:
        assert activity.max_heart_rate_bpm is not None
        return
    expected: dict[int, float] = {}
    samples = []
    for points in segments:
        beats = [(p.time, hr) for p in points if p.time is not None and (hr := gpxpy_heart_rate(p))]
        samples += [hr for _, hr in beats]
        for (moment, hr), (following, _) in pairwise(beats):
            step = (following - moment).total_seconds()
            if step > 0:
                expected[round(hr)] = expected.get(round(hr), 0.0) + min(step, HEART_RATE_MAX_GAP_S)
    if not samples:
        assert activity.avg_heart_rate_bpm is None
        assert activity.heart_rate_seconds == ()
        return
    assert activity.max_heart_rate_bpm == max(samples)
    assert dict(activity.heart_rate_seconds) == pytest.approx(expected, rel=0.01)
    total = sum(expected.values())
    assert activity.avg_heart_rate_bpm == pytest.approx(
        sum(bpm * s for bpm, s in expected.items()) / total, rel=0.01
    )


# What every unusual or corrupt file of the corpus must give: 1 (it imports, as one activity) or a
# part of the reason it is refused for. A file missing here fails the test, so a new corpus file gets
# classified; a changed outcome fails too.
EXPECTED_OUTCOMES: dict[str, int | str] = {
    "gpxpy__route.gpx": f"{NO_TIMED_POINTS} (found 0 track points without a readable time, 55 route points",
    "gc__MetadataOnly.gpx": f"{NO_TIMED_POINTS} (found 0 track points without a readable time, 0 route "
    "points, 0 waypoints)",  # what Strava writes for a manual activity
    "opentracks__gpx_timezone.gpx": 1,  # one point at a +01:15 offset
    "opentracks__legacy_gpx_pause_resume.gpx": 1,  # pause markers at lat 100/200, skipped
    # GPSies gives a planned route placeholder times from 2010-01-01T00:00:00Z on: a GPX reader cannot
    # tell them from a recording, so it imports.
    "runalyze__Route-only.gpx": 1,
}


@pytest.mark.parametrize("file", OTHERS, ids=[f.id for f in OTHERS])
def test_unusual_or_corrupt_file_has_its_expected_outcome(file: CorpusFile) -> None:
    assert file.id in EXPECTED_OUTCOMES, f"{file.id} ({file.role}): add its outcome to EXPECTED_OUTCOMES"
    expected = EXPECTED_OUTCOMES[file.id]
    assert file.role != "bad" or isinstance(expected, str), f"{file.id} is corrupt: it must be refused"
    data = file_bytes(file)
    if isinstance(expected, str):
        with pytest.raises(RejectedFileError) as refused:
            read_gpx(data, source=file.id, file_hash="f" * 32)
        assert refused.value.source == file.id
        assert expected in refused.value.reason
    else:
        activities = read_gpx(data, source=file.id, file_hash="f" * 32)
        assert len(activities) == expected
        for activity in activities:
            assert_invariants(activity)
            assert_sport_from_the_file(activity, data, file.id)


def test_the_valid_files_name_running_and_cycling_so_a_lost_sport_would_show() -> None:
    assert {Sport.RUNNING, Sport.CYCLING} <= {TYPE_SPORTS.get(track_type(file_bytes(f))) for f in OK}


def test_a_route_or_waypoints_alone_are_refused_as_not_a_recording() -> None:
    with pytest.raises(RejectedFileError) as route:
        read_one(file_bytes(GPX_FIXTURES / "gpxpy__route.gpx"))
    found = "found 0 track points without a readable time, 55 route points, 0 waypoints"
    assert route.value.reason == f"{NO_TIMED_POINTS} ({found})"
    with pytest.raises(RejectedFileError) as waypoint:  # a file with a UTF-8 BOM: read, then refused
        read_one(file_bytes(GPX_FIXTURES / "gpxpy__unicode_with_bom.gpx"))
    assert waypoint.value.reason.endswith("0 route points, 1 waypoints)")


def test_opentracks_local_offset_is_kept() -> None:
    activity = read_one(file_bytes(GPX_FIXTURES / "opentracks__gpx_timezone.gpx"))
    assert activity.start.isoformat() == "2021-01-07T21:51:59.179000+01:15"
    assert (activity.distance_m, activity.moving_s, activity.elapsed_s) == (0.0, 0.0, 0.0)


def test_opentracks_legacy_pause_markers_are_not_positions() -> None:
    # Old OpenTracks wrote a pause as lat="100" and a resume as lat="200"; gpxpy measures ~39,500 km.
    activity = read_one(file_bytes(GPX_FIXTURES / "opentracks__legacy_gpx_pause_resume.gpx"))
    assert activity.distance_m is not None
    assert activity.distance_m < 1000
    assert activity.moving_s == pytest.approx(4.924)


def test_sub_second_times_with_an_offset_and_a_run_type() -> None:
    activity = read_one(file_bytes(GPX_FIXTURES / "gpxpy__track-with-less-sec-time.gpx"))
    assert activity.sport is Sport.RUNNING
    assert activity.start.isoformat() == "2015-12-11T15:43:13+01:00"
    assert activity.moving_s == pytest.approx(0.994)


def test_garmin_connect_export_reads_ns3_heart_rate_and_cycling_type() -> None:
    activity = read_one(file_bytes(GPX_FIXTURES / "sweatpy__activity_5039744860.gpx"))
    assert activity.sport is Sport.CYCLING
    assert activity.max_heart_rate_bpm == 156
    assert activity.start == datetime(2020, 6, 1, 14, 52, 40, tzinfo=UTC)


# --- behaviour on small hand-written files (positions invented) -------------------------------


def gpx(body: str, *, head: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" '
        f'xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v2"{head}>\n{body}\n</gpx>'
    ).encode()


def point(
    lat: float | None, lon: float | None, time: str | None, *, ele: float | None = None, ext: str = ""
) -> str:
    attrs = "".join(f' {k}="{v}"' for k, v in (("lat", lat), ("lon", lon)) if v is not None)
    inner = (f"<ele>{ele}</ele>" if ele is not None else "") + (f"<time>{time}</time>" if time else "")
    return f"<trkpt{attrs}>{inner}{ext}</trkpt>"


def hr(bpm: float, tag: str = "gpxtpx:hr") -> str:
    extension = f"<gpxtpx:TrackPointExtension><{tag}>{bpm}</{tag}></gpxtpx:TrackPointExtension>"
    return f"<extensions>{extension}</extensions>"


def test_segments_are_never_joined_and_their_gap_is_a_pause() -> None:
    first = point(0.0, 0.0, "2024-05-01T08:00:00Z") + point(0.0, 0.001, "2024-05-01T08:01:00Z")
    second = point(1.0, 1.0, "2024-05-01T08:30:00Z") + point(1.0, 1.001, "2024-05-01T08:32:00Z")
    activity = read_one(gpx(f"<trk><trkseg>{first}</trkseg><trkseg>{second}</trkseg></trk>"))
    step_a = haversine_m(0.0, 0.0, 0.0, 0.001)
    step_b = haversine_m(1.0, 1.0, 1.0, 1.001)
    assert activity.distance_m == pytest.approx(step_a + step_b)  # not the 157 km between segments
    assert activity.moving_s == 60 + 120
    assert activity.elapsed_s == 32 * 60


def test_tracks_count_as_segments_and_points_without_position_are_skipped() -> None:
    first = point(None, None, "2024-05-01T08:00:00Z") + point(0.0, 0.0, "2024-05-01T08:00:10Z")
    first += point(0.0, 0.001, "2024-05-01T08:00:20Z") + point(95.0, 0.0, "2024-05-01T08:00:30Z")
    second = point(0.0, 0.002, "2024-05-01T09:00:00Z") + point(0.0, 0.003, "2024-05-01T09:00:30Z")
    activity = read_one(gpx(f"<trk><trkseg>{first}</trkseg></trk><trk><trkseg>{second}</trkseg></trk>"))
    assert activity.distance_m == pytest.approx(2 * haversine_m(0.0, 0.0, 0.0, 0.001))
    assert activity.moving_s == 30 + 30
    assert activity.start == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def test_heart_rate_from_any_prefix_and_time_capped_per_sample() -> None:
    points = [
        point(0.0, 0.0, "2024-05-01T08:00:00Z", ext=hr(120)),
        point(0.0, 0.0001, "2024-05-01T08:00:01Z", ext=hr(130, "ns3:hr")),
        point(
            0.0, 0.0002, "2024-05-01T08:00:03Z", ext="<extensions><gpxdata:hr>140</gpxdata:hr></extensions>"
        ),
        point(0.0, 0.0003, "2024-05-01T08:02:03Z", ext=hr(0)),  # 0: no reading
        point(0.0, 0.0004, "2024-05-01T08:02:04Z", ext=hr(150, "hr")),
    ]
    body = "<trk><trkseg>" + "".join(points) + "</trkseg></trk>"
    activity = read_one(gpx(body, head=' xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0"'))
    # 120 for 1 s, 130 for 2 s, 140 until the next reading two minutes later: capped; 150 is the last.
    assert activity.heart_rate_seconds == ((120, 1.0), (130, 2.0), (140, HEART_RATE_MAX_GAP_S))
    assert activity.max_heart_rate_bpm == 150
    assert activity.avg_heart_rate_bpm == pytest.approx((120 + 260 + 140 * HEART_RATE_MAX_GAP_S) / 33)


@pytest.mark.parametrize(
    ("text", "sport"),
    [
        *[("running", Sport.RUNNING), ("9", Sport.RUNNING), (" Trail Running ", Sport.RUNNING)],
        *[("1", Sport.CYCLING), ("cycling", Sport.CYCLING), ("hiking", Sport.HIKING)],
        *[("lap_swimming", Sport.SWIMMING), ("unknown", Sport.OTHER), ("", Sport.OTHER)],
    ],
)
def test_sport_from_track_type(text: str, sport: Sport) -> None:
    assert sport_from_type(text) is sport


def test_only_the_tracks_own_type_names_the_sport() -> None:
    pts = point(0.0, 0.0, "2024-05-01T08:00:00Z") + point(0.0, 0.0, "2024-05-01T08:00:05Z")
    in_point = pts.replace("</trkpt>", "<type>running</type></trkpt>", 1)
    assert read_one(gpx(f"<trk><trkseg>{in_point}</trkseg></trk>")).sport is Sport.OTHER
    after = f"<trk><trkseg>{pts}</trkseg><type>9</type></trk>"
    assert read_one(gpx(after)).sport is Sport.RUNNING
    metadata = f"<metadata><time>2020-01-01T00:00:00Z</time></metadata><trk><trkseg>{pts}</trkseg></trk>"
    assert read_one(gpx(metadata)).start == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def test_times_without_offset_are_utc_and_garbled_values_are_skipped() -> None:
    body = point(0.0, 0.0, "2024-05-01T08:00:00", ele=10.0) + point(0.0, 0.0, "yesterday", ele=float("nan"))
    body += point(0.0, 0.0, "2024-05-01T08:00:10.5", ele=20.0)
    activity = read_one(gpx(f"<trk><trkseg>{body}</trkseg></trk>"))
    assert activity.start == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert activity.moving_s == 10.5
    assert activity.elevation_gain_m == 10.0


def test_a_track_without_any_time_is_refused_with_the_counts() -> None:
    body = "<trk><trkseg>" + point(0.0, 0.0, None) + point(0.0, 0.0, "soon") + "</trkseg></trk>"
    with pytest.raises(RejectedFileError) as refused:
        read_one(gpx(body))
    assert refused.value.reason == (
        f"{NO_TIMED_POINTS} (found 2 track points without a readable time (1 <time> values unreadable), "
        "0 route points, 0 waypoints)"
    )


def test_whole_file_on_one_line_and_utf16() -> None:
    body = (
        "<trk><trkseg>" + point(1.0, 2.0, "2024-05-01T08:00:00Z") + point(1.0, 2.001, "2024-05-01T08:00:09Z")
    )
    one_line = gpx(body + "</trkseg></trk>").replace(b"\n", b"")
    assert read_one(one_line).moving_s == 9
    utf16 = one_line.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert read_one(utf16) == read_one(one_line)


# --- track arithmetic --------------------------------------------------------------------------


def test_haversine_matches_the_published_example() -> None:
    # Rosetta Code, "Haversine formula": Nashville BNA (36.12, -86.67) to Los Angeles LAX
    # (33.94, -118.40) on a sphere of radius 6372.8 km is 2887.2599506071106 km.
    on_their_sphere_km = haversine_m(36.12, -86.67, 33.94, -118.40) / EARTH_RADIUS_M * 6372.8
    assert on_their_sphere_km == pytest.approx(2887.2599506071106, rel=1e-12)
    assert haversine_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(2 * 3.141592653589793 * EARTH_RADIUS_M / 360)
    lats, lons = [0.0, 45.0, 45.001, -33.9, 89.9, 89.9], [0.0, 7.0, 7.0, 151.2, -179.9, 179.9]
    steps = sum(haversine_m(lats[i - 1], lons[i - 1], lats[i], lons[i]) for i in range(1, len(lats)))
    assert path_length_m(lats, lons) == pytest.approx(steps, rel=1e-12)
    assert path_length_m([], []) == path_length_m([1.0], [2.0]) == 0.0


@pytest.mark.parametrize(
    ("elevations", "gain"),
    [
        ([], 0.0),
        ([100.0], 0.0),
        ([100.0, 101.0, 100.0, 101.5, 100.2, 102.0], 0.0),  # GPS noise under the 3 m band
        ([100.0, 101.0, 102.0, 103.0, 104.0], 4.0),  # a steady climb counts in full
        ([100.0, 104.0, 102.0, 106.0], 6.0),  # a 2 m dip does not break the climb
        ([100.0, 104.0, 100.0, 104.0], 8.0),  # two climbs separated by a real descent
        ([100.0, 102.9, 99.9, 102.0], 0.0),  # rises of 2.9 m and 2.1 m: both under the band
        ([100.0, 102.9, 99.8, 102.9], 3.1),  # … but a rise of 3.1 m is not
    ],
)
def test_elevation_gain_hysteresis(elevations: list[float], gain: float) -> None:
    assert elevation_gain_m(elevations) == pytest.approx(gain)


def test_heart_rate_seconds_ignore_backward_steps_and_the_last_sample() -> None:
    assert heart_rate_seconds([0.0, 1.0, 0.5, 2.0, 100.0], [140, 141, 142, 143.4, 150]) == {
        140: 1.0,
        142: 1.5,
        143: HEART_RATE_MAX_GAP_S,
    }


# --- truncated and corrupted files --------------------------------------------------------------

SMALL_REAL = file_bytes(GPX_FIXTURES / "sweatpy__activity_5039744860.gpx")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(SMALL_REAL)))
def test_any_truncation_imports_or_is_refused(cut: int) -> None:
    result = import_or_refusal(SMALL_REAL[:cut])
    if isinstance(result, RejectedFileError):
        assert result.reason
    else:
        assert_invariants(result)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(at=st.integers(min_value=0, max_value=len(SMALL_REAL) - 1), byte=st.integers(0, 255))
def test_any_single_corrupt_byte_imports_or_is_refused(at: int, byte: int) -> None:
    data = SMALL_REAL[:at] + bytes([byte]) + SMALL_REAL[at + 1 :]
    result = import_or_refusal(data)
    if isinstance(result, RejectedFileError):
        assert result.reason
    else:
        assert result.start.utcoffset() is not None
