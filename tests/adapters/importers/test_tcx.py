"""The TCX importer against python-tcxparser and real files.

Every valid file of the corpus (tests/corpus.py) is also read by python-tcxparser, an independent
parser (lxml): timer time, distance, start and heart rate must agree within 1 %. python-tcxparser
reads only the first `<Activity>` under `<Activities>`: it raises on multisport sessions (those files
are held to our invariants and to an activity count by ElementTree), and its file-wide values (last
`<DistanceMeters>`, heart rates) are compared only on single-activity files. Where its distance is
known to be wrong, the reason is listed below. Each activity's sport must be the one its own `Sport`
attribute names (read here with ElementTree). Every unusual or corrupt file has its expected outcome
listed: the activities it imports, or the reason it is refused.
"""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import tcxparser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ironmile.adapters.importers.tcx import COURSE_ONLY, NO_ACTIVITIES, read_tcx
from ironmile.adapters.importers.track import HEART_RATE_MAX_GAP_S, plausible_heart_rate
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.errors import RejectedFileError
from tests.corpus import FIXTURES, CorpusFile, corpus

TCX_FIXTURES = FIXTURES / "tcx"
HASH = "0123456789abcdef" * 2

# Files where python-tcxparser's distance (the file's last trackpoint <DistanceMeters>) is not the
# activity's distance; ours must then equal the laps' sum as python-tcxparser reads them.
TCXPARSER_DISTANCE_WRONG = {
    "runalyze__Multiple-Trainings.tcx": "three runs in one file: the last value is the third run's",
    "runalyze__missing-distances.tcx": "the FR310XT's trackpoint distances continue a 42 km running total "
    "from an earlier activity; the lap says 299 m",
    "runalyze__negative-pause.tcx": "the file keeps 10 minutes of trackpoints but laps summing the whole "
    "72 km ride",
    "runalyze__Polar-one-lap-indoor-with-distance.tcx": "indoor: no trackpoint has a distance, only the "
    "lap (94 m), so python-tcxparser says 0",
}


# Every `<Activity Sport="…">` value the corpus holds, as written, and the sport it names; None is an
# activity without the attribute. The schema allows Running, Biking and Other; some apps write lower
# case. A value missing here fails the test: add it with the sport it means.
SPORT_ATTRIBUTES: dict[str | None, Sport] = {
    "Running": Sport.RUNNING,
    "running": Sport.RUNNING,  # Runtastic
    "Biking": Sport.CYCLING,
    "Other": Sport.OTHER,  # swims, stand-up paddling, skiing: TCX has no word for them
    None: Sport.OTHER,
}


def file_bytes(file: CorpusFile | Path) -> bytes:
    path = file.path if isinstance(file, CorpusFile) else file
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def import_or_refusal(data: bytes, source: str = "test.tcx") -> tuple[Activity, ...] | RejectedFileError:
    try:
        return read_tcx(data, source=source, file_hash=HASH)
    except RejectedFileError as refused:
        return refused


def assert_invariants(activity: Activity) -> None:
    """What holds for every TCX activity, whatever the file."""
    assert activity.start.utcoffset() is not None
    assert activity.moving_s is not None
    assert activity.moving_s >= 0
    assert activity.elapsed_s is not None
    assert activity.elapsed_s >= 0
    assert activity.distance_m is None or activity.distance_m >= 0
    assert activity.elevation_gain_m is None or activity.elevation_gain_m >= 0
    rates = [bpm for bpm, _ in activity.heart_rate_seconds]
    assert rates == sorted(rates)
    assert all(seconds > 0 for _, seconds in activity.heart_rate_seconds)
    if activity.avg_heart_rate_bpm is not None:
        assert activity.max_heart_rate_bpm is not None
        assert 20 <= activity.avg_heart_rate_bpm <= activity.max_heart_rate_bpm <= 250


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def assert_sports_from_the_file(activities: tuple[Activity, ...], data: bytes, file_id: str) -> None:
    """Each activity's sport is what its own `<Activity>` says, in document order (a multisport
    session's legs included)."""
    written = [e.get("Sport") for e in ET.fromstring(data).iter() if local(e.tag) == "Activity"]
    unknown = [value for value in written if value not in SPORT_ATTRIBUTES]
    assert not unknown, f"{file_id}: Sport values {unknown} are not in SPORT_ATTRIBUTES"
    assert [a.sport for a in activities] == [SPORT_ATTRIBUTES[value] for value in written], file_id


# --- every valid file against python-tcxparser --------------------------------------------------

# One parametrised test over all files: the committed fixtures are all valid, so a separate test of
# the unusual and corrupt files would have no case without the shared corpus.
FILES = corpus("tcx")


def child_value(element: Any, *path: str) -> Any:
    """A value under a python-tcxparser (lxml.objectify) element, or None when absent."""
    for name in path:
        if not hasattr(element, name):
            return None
        element = getattr(element, name)
    return element.pyval


def oracle_heart_rate_seconds(activity: Any) -> dict[int, float]:
    """Our documented rule applied to python-tcxparser's trackpoints: each <Track> a segment, each
    reading counts the seconds to the next (at most HEART_RATE_MAX_GAP_S), repeated times dropped."""
    seconds: dict[int, float] = {}
    seen: set[datetime] = set()
    for lap in activity.Lap:
        for track in getattr(lap, "Track", []):
            beats = []
            for point in getattr(track, "Trackpoint", []):
                time = child_value(point, "Time")
                if time is None:
                    continue
                moment = datetime.fromisoformat(str(time))
                if moment in seen:
                    continue
                seen.add(moment)
                rate = child_value(point, "HeartRateBpm", "Value")
                if rate is not None and plausible_heart_rate(rate):
                    beats.append((moment, rate))
            for (moment, rate), (following, _) in pairwise(beats):
                step = (following - moment).total_seconds()
                if step > 0:
                    seconds[round(rate)] = seconds.get(round(rate), 0.0) + min(step, HEART_RATE_MAX_GAP_S)
    return seconds


# What every unusual or corrupt file of the corpus must give: the number of activities it imports, or a
# part of the reason it is refused for. A file missing here fails the test, so a new corpus file gets
# classified; a changed outcome fails too.
EXPECTED_OUTCOMES: dict[str, int | str] = {
    "runalyze__First-point-empty.tcx": 1,  # its first <Trackpoint> holds a time and nothing else
    "runalyze__Route-only.tcx": COURSE_ONLY,
    "runalyze__Swim-without-time_by-Timekiller.tcx": 1,  # a pool swim: 30 laps, trackpoints of times only
    "runalyze__watt-extension-without-namespace.tcx": 1,  # power in an unprefixed <TPX>: not read anyway
}


@pytest.mark.parametrize("file", FILES, ids=[f.id for f in FILES])
def test_corpus_file(file: CorpusFile) -> None:
    """A valid file agrees with python-tcxparser; any other has the outcome listed for it."""
    if file.role == "ok":
        agrees_with_python_tcxparser(file)
    else:
        has_its_expected_outcome(file)


def agrees_with_python_tcxparser(file: CorpusFile) -> None:
    data = file_bytes(file)
    activities = read_tcx(data, source=file.id, file_hash=HASH)
    for activity in activities:
        assert_invariants(activity)
    assert_sports_from_the_file(activities, data, file.id)
    count = sum(1 for element in ET.fromstring(data).iter() if local(element.tag) == "Activity")
    assert len(activities) == count
    expected = [HASH] if count == 1 else [f"{HASH}#{n}" for n in range(1, count + 1)]
    assert [a.fingerprint for a in activities] == expected
    try:
        parsed = tcxparser.TCXParser(io.BytesIO(data))
    except AttributeError:  # python-tcxparser looks for Activities/Activity, absent in multisport files
        assert b"MultiSportSession" in data
        return

    first = activities[0]
    laps = list(parsed.activity.Lap)
    assert first.moving_s == pytest.approx(float(parsed.duration), rel=0.01)
    assert first.start == datetime.fromisoformat(str(child_value(parsed.activity, "Id")))

    lap_distances = [child_value(lap, "DistanceMeters") for lap in laps]
    if file.id in TCXPARSER_DISTANCE_WRONG:
        assert first.distance_m == pytest.approx(sum(lap_distances))
    else:
        assert first.distance_m == pytest.approx(float(parsed.distance), rel=0.01, abs=0.5)

    weighted = [
        (average, child_value(lap, "TotalTimeSeconds"))
        for lap in laps
        if (average := child_value(lap, "AverageHeartRateBpm", "Value")) is not None
    ]
    histogram = oracle_heart_rate_seconds(parsed.activity)
    assert dict(first.heart_rate_seconds) == pytest.approx(histogram, rel=0.01)
    if weighted:  # the laps' own averages, weighted by lap time
        expected_average = sum(a * s for a, s in weighted) / sum(s for _, s in weighted)
        assert first.avg_heart_rate_bpm == pytest.approx(expected_average, rel=0.01)
    elif histogram:
        expected_average = sum(bpm * s for bpm, s in histogram.items()) / sum(histogram.values())
        assert first.avg_heart_rate_bpm == pytest.approx(expected_average, rel=0.01)
    else:
        assert first.avg_heart_rate_bpm is None
    if count == 1:  # python-tcxparser's heart rates are the whole file's
        lap_maxima = [m for lap in laps if (m := child_value(lap, "MaximumHeartRateBpm", "Value"))]
        known = [*lap_maxima, *([parsed.hr_max] if parsed.hr_values() else [])]
        assert first.max_heart_rate_bpm == (max(known) if known else None)


def has_its_expected_outcome(file: CorpusFile) -> None:
    assert file.id in EXPECTED_OUTCOMES, f"{file.id} ({file.role}): add its outcome to EXPECTED_OUTCOMES"
    expected = EXPECTED_OUTCOMES[file.id]
    assert file.role != "bad" or isinstance(expected, str), f"{file.id} is corrupt: it must be refused"
    data = file_bytes(file)
    if isinstance(expected, str):
        with pytest.raises(RejectedFileError) as refused:
            read_tcx(data, source=file.id, file_hash=HASH)
        assert refused.value.source == file.id
        assert expected in refused.value.reason
    else:
        activities = read_tcx(data, source=file.id, file_hash=HASH)
        assert len(activities) == expected
        for activity in activities:
            assert_invariants(activity)
        assert_sports_from_the_file(activities, data, file.id)


def test_the_valid_files_name_running_and_cycling_so_a_lost_sport_would_show() -> None:
    written = {
        SPORT_ATTRIBUTES.get(element.get("Sport"))
        for file in FILES
        if file.role == "ok"
        for element in ET.fromstring(file_bytes(file)).iter()
        if local(element.tag) == "Activity"
    }
    assert {Sport.RUNNING, Sport.CYCLING} <= written


def test_garmin_fr410_run_from_python_tcxparsers_own_test_file() -> None:
    # python-tcxparser's tests/test_tcxparser.py expects of this file: duration 1992.78 s,
    # distance 4686.31103516 m (last trackpoint), hr_max 189, activity "running".
    (activity,) = read_tcx(file_bytes(TCX_FIXTURES / "tcxparser__test.tcx"), source="t", file_hash=HASH)
    assert activity.sport is Sport.RUNNING
    assert activity.moving_s == pytest.approx(1992.78)
    assert activity.distance_m == pytest.approx(4686.31103516, rel=0.001)  # laps sum to 4689.4 m
    assert activity.max_heart_rate_bpm == 189
    assert activity.start == datetime(2012, 12, 26, 21, 29, 53, tzinfo=UTC)


# --- behaviour on small hand-written files (positions invented) ---------------------------------


def tcx(activities: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f"<Activities>{activities}</Activities>{extra}</TrainingCenterDatabase>"
    ).encode()


def trackpoint(
    time: str, *, hr: int | None = None, distance: float | None = None, pos: tuple[float, float] | None = None
) -> str:
    parts = [f"<Time>{time}</Time>"]
    if pos is not None:
        parts.append(
            f"<Position><LatitudeDegrees>{pos[0]}</LatitudeDegrees><LongitudeDegrees>{pos[1]}</LongitudeDegrees></Position>"
        )
    if distance is not None:
        parts.append(f"<DistanceMeters>{distance}</DistanceMeters>")
    if hr is not None:
        parts.append(f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>")
    return "<Trackpoint>" + "".join(parts) + "</Trackpoint>"


def lap(
    start: str,
    seconds: float | None,
    distance: float | None,
    points: str = "",
    *,
    avg: int | None = None,
    peak: int | None = None,
) -> str:
    totals = (f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds>" if seconds is not None else "") + (
        f"<DistanceMeters>{distance}</DistanceMeters>" if distance is not None else ""
    )
    if avg is not None:
        totals += f"<AverageHeartRateBpm><Value>{avg}</Value></AverageHeartRateBpm>"
    if peak is not None:
        totals += f"<MaximumHeartRateBpm><Value>{peak}</Value></MaximumHeartRateBpm>"
    return f'<Lap StartTime="{start}">{totals}<Track>{points}</Track></Lap>'


def activity(sport: str, start: str, laps: str) -> str:
    return f'<Activity Sport="{sport}"><Id>{start}</Id>{laps}</Activity>'


def test_several_activities_each_with_its_fingerprint_sport_and_totals() -> None:
    run = activity(
        "Running", "2024-05-01T08:00:00Z", lap("2024-05-01T08:00:00Z", 1800.0, 5000.0, avg=150, peak=170)
    )
    ride = activity("Biking", "2024-05-02T08:00:00Z", lap("2024-05-02T08:00:00Z", 3600.0, 30000.0))
    other = activity("Other", "2024-05-03T08:00:00Z", lap("2024-05-03T08:00:00Z", 60.0, 0.0))
    first, second, third = read_tcx(tcx(run + ride + other), source="three.tcx", file_hash=HASH)
    assert [a.fingerprint for a in (first, second, third)] == [f"{HASH}#1", f"{HASH}#2", f"{HASH}#3"]
    assert [a.sport for a in (first, second, third)] == [Sport.RUNNING, Sport.CYCLING, Sport.OTHER]
    assert (first.distance_m, first.moving_s, first.elapsed_s) == (5000.0, 1800.0, 1800.0)
    assert (first.avg_heart_rate_bpm, first.max_heart_rate_bpm) == (150, 170)
    assert second.start == datetime(2024, 5, 2, 8, 0, tzinfo=UTC)


def test_a_multisport_session_gives_one_activity_per_sport() -> None:
    bike = activity("Biking", "2024-05-01T08:00:00Z", lap("2024-05-01T08:00:00Z", 3600.0, 30000.0))
    run = activity("running", "2024-05-01T09:02:00Z", lap("2024-05-01T09:02:00Z", 1800.0, 6000.0))
    session = (
        "<MultiSportSession><Id>2024-05-01T07:00:00Z</Id>"
        f"<FirstSport>{bike}</FirstSport><NextSport>{run}</NextSport></MultiSportSession>"
    )
    first, second = read_tcx(tcx(session), source="brick.tcx", file_hash=HASH)
    assert (first.sport, second.sport) == (Sport.CYCLING, Sport.RUNNING)
    assert first.start == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)  # not the session's own <Id>
    assert second.distance_m == 6000.0


def test_a_course_is_refused_as_a_planned_route() -> None:
    course = "<Courses><Course><Name>loop</Name><Lap><TotalTimeSeconds>600</TotalTimeSeconds>"
    course += "<DistanceMeters>2000</DistanceMeters></Lap><Track>"
    course += trackpoint("2010-01-01T00:00:00Z", distance=0.0) + "</Track></Course></Courses>"
    data = tcx("", extra=course).replace(b"<Activities></Activities>", b"")
    with pytest.raises(RejectedFileError) as refused:
        read_tcx(data, source="course.tcx", file_hash=HASH)
    assert refused.value.reason == COURSE_ONLY
    with pytest.raises(RejectedFileError) as empty:
        read_tcx(tcx(""), source="empty.tcx", file_hash=HASH)
    assert empty.value.reason == NO_ACTIVITIES


def test_an_activity_without_any_time_is_refused_with_what_it_lacks() -> None:
    data = tcx('<Activity Sport="Running"><Lap><Track><Trackpoint/></Track></Lap></Activity>')
    with pytest.raises(RejectedFileError) as refused:
        read_tcx(data, source="x.tcx", file_hash=HASH)
    assert refused.value.reason == (
        "its <Activity> has no start time (no <Id>, lap StartTime or trackpoint <Time>), "
        "so nothing was recorded"
    )


def test_lap_totals_written_after_the_track_are_still_the_laps() -> None:
    # Sigma Data Center writes <Track> before the lap's own totals, against the schema's order.
    points = trackpoint("2024-05-01T08:00:00Z", distance=0.0) + trackpoint(
        "2024-05-01T08:00:10Z", distance=50.0
    )
    late = '<Lap StartTime="2024-05-01T08:00:00Z"><Track>' + points + "</Track>"
    late += "<TotalTimeSeconds>600</TotalTimeSeconds><DistanceMeters>3000</DistanceMeters></Lap>"
    (result,) = read_tcx(
        tcx(activity("Biking", "2024-05-01T08:00:00Z", late)), source="s.tcx", file_hash=HASH
    )
    assert (result.distance_m, result.moving_s) == (3000.0, 600.0)
    assert result.elapsed_s == 600.0  # to the end of the lap, past the last trackpoint


def test_distance_falls_back_from_laps_to_trackpoints_to_positions() -> None:
    offset = trackpoint("2024-05-01T08:00:00Z", distance=42000.0) + trackpoint(
        "2024-05-01T08:01:00Z", distance=42250.0
    )
    zero_lap = activity("Running", "2024-05-01T08:00:00Z", lap("2024-05-01T08:00:00Z", 60.0, 0.0, offset))
    (from_points,) = read_tcx(tcx(zero_lap), source="a.tcx", file_hash=HASH)
    assert from_points.distance_m == 250.0  # a running total from an earlier activity: max − min
    moving = trackpoint("2024-05-01T08:00:00Z", pos=(0.0, 0.0)) + trackpoint(
        "2024-05-01T08:01:00Z", pos=(0.0, 0.001)
    )
    no_lap_distance = activity(
        "Running", "2024-05-01T08:00:00Z", lap("2024-05-01T08:00:00Z", 60.0, None, moving)
    )
    (from_path,) = read_tcx(tcx(no_lap_distance), source="b.tcx", file_hash=HASH)
    assert from_path.distance_m == pytest.approx(111.195, rel=1e-4)
    indoor = activity("Running", "2024-05-01T08:00:00Z", lap("2024-05-01T08:00:00Z", 60.0, None))
    (unknown,) = read_tcx(tcx(indoor), source="c.tcx", file_hash=HASH)
    assert unknown.distance_m is None


def test_a_track_repeated_in_every_lap_counts_once() -> None:
    # COROS writes the whole track again inside every lap.
    points = "".join(trackpoint(f"2024-05-01T08:00:{s:02d}Z", hr=140 + s) for s in range(0, 20, 5))
    laps = lap("2024-05-01T08:00:00Z", 10.0, 20.0, points) + lap("2024-05-01T08:00:10Z", 5.0, 10.0, points)
    (result,) = read_tcx(tcx(activity("Other", "2024-05-01T08:00:00Z", laps)), source="c.tcx", file_hash=HASH)
    assert result.heart_rate_seconds == ((140, 5.0), (145, 5.0), (150, 5.0))
    assert (result.moving_s, result.distance_m) == (15.0, 30.0)


def test_average_heart_rate_is_weighted_by_lap_time_and_maximum_takes_every_source() -> None:
    points = trackpoint("2024-05-01T08:00:00Z", hr=150) + trackpoint("2024-05-01T08:00:01Z", hr=181)
    laps = lap("2024-05-01T08:00:00Z", 600.0, 2000.0, points, avg=150, peak=175)
    laps += lap("2024-05-01T08:10:00Z", 300.0, 1000.0, avg=120)
    (result,) = read_tcx(
        tcx(activity("Running", "2024-05-01T08:00:00Z", laps)), source="h.tcx", file_hash=HASH
    )
    assert result.avg_heart_rate_bpm == 140.0  # (150 × 600 + 120 × 300) / 900
    assert result.max_heart_rate_bpm == 181  # a trackpoint above the laps' maxima


def test_start_falls_back_to_the_first_lap_and_sport_defaults_to_other() -> None:
    data = tcx(
        '<Activity Sport="Swimming"><Id>pool</Id>'
        + lap("2024-05-01T06:30:00+02:00", 900.0, 1000.0)
        + "</Activity>"
    )
    (result,) = read_tcx(data, source="s.tcx", file_hash=HASH)
    assert result.start == datetime.fromisoformat("2024-05-01T06:30:00+02:00")
    assert result.start.utcoffset() == timedelta(hours=2)
    assert result.sport is Sport.OTHER


# --- truncated and corrupted files ---------------------------------------------------------------

SMALL_REAL = file_bytes(TCX_FIXTURES / "sweatpy__activity_5039744860.tcx")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(SMALL_REAL)))
def test_any_truncation_imports_or_is_refused(cut: int) -> None:
    result = import_or_refusal(SMALL_REAL[:cut])
    if isinstance(result, RejectedFileError):
        assert result.reason
    else:
        for one in result:
            assert_invariants(one)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(at=st.integers(min_value=0, max_value=len(SMALL_REAL) - 1), byte=st.integers(0, 255))
def test_any_single_corrupt_byte_imports_or_is_refused(at: int, byte: int) -> None:
    result = import_or_refusal(SMALL_REAL[:at] + bytes([byte]) + SMALL_REAL[at + 1 :])
    if isinstance(result, RejectedFileError):
        assert result.reason
    else:
        assert all(one.start.utcoffset() is not None for one in result)
