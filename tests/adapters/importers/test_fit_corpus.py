"""The FIT importer against real files: the committed fixtures, plus the shared corpus when
IRONMILE_TESTDATA is set (tests/corpus.py).

Every valid file is checked against an independent full decode by fitdecode, written here: sample by
sample for the fast reader's records, and per session for the imported totals (within 1 %). The
fitdecode fallback must produce exactly what the fast reader produces. Every corrupt and unusual
file has its expected outcome listed: the activities it imports, or the fault it is rejected for.
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import fitdecode  # type: ignore[import-untyped]  # fitdecode ships no type information
import pytest

from ironmile.adapters.importers.archive import FileRef, read_ref
from ironmile.adapters.importers.fit import read_fit
from ironmile.adapters.importers.fit_activity import HEART_RATE_GAP_CAP_S, activities_from
from ironmile.adapters.importers.fit_fallback import decode_parts
from ironmile.adapters.importers.fit_reader import read_parts
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.errors import RejectedFileError
from tests.corpus import CorpusFile, corpus

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)


def fit_files(role: str) -> list[CorpusFile]:
    return [f for f in corpus("fit") if f.role == role and f.path.name.lower().endswith((".fit", ".fit.gz"))]


def file_bytes(file: CorpusFile) -> bytes:
    data = file.path.read_bytes()
    return gzip.decompress(data) if file.path.name.lower().endswith(".gz") else data


OK = fit_files("ok")
EDGE = fit_files("edge")
BAD = fit_files("bad")
ids = [f.id for f in OK]


# --- the reference: fitdecode's standard decode of the whole file -----------------------------


@dataclass
class Part:
    file_type: str | None = None
    sessions: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    activity: dict[str, Any] = field(default_factory=dict)


def stored(frame: Any, name: str) -> Any:
    """The value of a field the message stores itself (fitdecode also derives fields from others)."""
    for data in frame.fields:
        if data.field_def is not None and not data.field_def.is_dev and data.name == name:
            return data.value
    return None


@functools.cache
def reference_of(file: CorpusFile) -> list[Part]:
    """Decoded once per file: three tests compare against it, and fitdecode takes ~2 s per MB."""
    return reference(file_bytes(file))


def reference(data: bytes) -> list[Part]:
    parts: list[Part] = []
    reader = fitdecode.FitReader(
        data, check_crc=fitdecode.CrcCheck.RAISE, error_handling=fitdecode.ErrorHandling.IGNORE
    )
    with reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitHeader):
                parts.append(Part())
            elif not isinstance(frame, fitdecode.FitDataMessage):
                continue
            elif frame.name == "file_id" and parts[-1].file_type is None:
                parts[-1].file_type = stored(frame, "type")
            elif frame.name == "session":
                parts[-1].sessions.append({f.name: f.value for f in frame.fields})
            elif frame.name == "activity" and not parts[-1].activity:
                parts[-1].activity = {f.name: f.value for f in frame.fields}
            elif frame.name == "record":
                parts[-1].records.append(
                    {
                        "timestamp": frame.get_value("timestamp", fallback=None),
                        "distance": stored(frame, "distance"),
                        "heart_rate": stored(frame, "heart_rate"),
                    }
                )
    return parts


def fit_seconds(value: Any) -> int | None:
    if isinstance(value, datetime):
        return int((value - FIT_EPOCH).total_seconds())
    return value  # type: ignore[no-any-return]  # system time (an int) or None


@dataclass(frozen=True)
class Expected:
    """One session's totals as fitdecode decodes them, completed from the records by our rules."""

    start: datetime | None
    distance_m: float | None
    moving_s: float | None
    elapsed_s: float | None
    avg_heart_rate_bpm: float | None
    max_heart_rate_bpm: float | None
    heart_rate_total_s: float
    sport: str | None


def expected_sessions(part: Part) -> list[Expected]:
    samples = [(fit_seconds(r["timestamp"]), r) for r in part.records]
    starts = [fit_seconds(s.get("start_time")) for s in part.sessions]
    result = []
    for session, start in zip(part.sessions, starts, strict=True):
        assert start is not None, "every session in the corpus has a start time"
        timer, elapsed = session.get("total_timer_time"), session.get("total_elapsed_time")
        end = max(
            [fit_seconds(session.get("timestamp")) or start]
            + [start + int(-(-s // 1)) for s in (timer, elapsed) if s is not None]
        )
        next_start = min([s for s in starts if s is not None and s > start], default=end + 1)
        inside = [r for t, r in samples if t is not None and start <= t <= end and t < next_start]
        seconds = heart_rate_seconds(inside)
        distances = [r["distance"] for r in inside if r["distance"] is not None]
        rates = [r["heart_rate"] for r in inside if r["heart_rate"]]
        total = sum(seconds.values())
        weighted = sum(bpm * s for bpm, s in seconds.items()) / total if total else None
        result.append(
            Expected(
                start=session["start_time"] if isinstance(session.get("start_time"), datetime) else None,
                distance_m=_first(session.get("total_distance"), distances[-1] if distances else None),
                moving_s=timer,
                elapsed_s=elapsed,
                avg_heart_rate_bpm=session.get("avg_heart_rate") or weighted,
                max_heart_rate_bpm=session.get("max_heart_rate") or (max(rates) if rates else None),
                heart_rate_total_s=total,
                sport=session.get("sport") if isinstance(session.get("sport"), str) else None,
            )
        )
    return result


def expected_activities(part: Part) -> list[Expected]:
    if part.sessions:
        return expected_sessions(part)
    return [expected_from_records(part)] if part.records else []


def expected_from_records(part: Part) -> Expected:
    """A file without sessions: the distance and heart rate its records give."""
    distances = [r["distance"] for r in part.records if r["distance"] is not None]
    rates = [r["heart_rate"] for r in part.records if r["heart_rate"]]
    seconds = heart_rate_seconds(part.records)
    total = sum(seconds.values())
    times = [t for r in part.records if (t := fit_seconds(r["timestamp"])) is not None]
    return Expected(
        start=min(r["timestamp"] for r in part.records if r["timestamp"] is not None),
        distance_m=distances[-1] if distances else None,
        moving_s=None,
        elapsed_s=float(max(times) - min(times)),
        avg_heart_rate_bpm=sum(bpm * s for bpm, s in seconds.items()) / total if total else None,
        max_heart_rate_bpm=max(rates) if rates else None,
        heart_rate_total_s=total,
        sport=None,
    )


def heart_rate_seconds(records: list[dict[str, Any]]) -> dict[int, float]:
    """Our documented rule, written again: each heart-rate sample holds until the next, ≤ the cap."""
    beats = [(fit_seconds(r["timestamp"]), r["heart_rate"]) for r in records if r["heart_rate"]]
    seconds: dict[int, float] = {}
    for (time, bpm), (next_time, _) in pairwise(beats):
        gap = next_time - time  # type: ignore[operator]
        if gap > 0:
            seconds[bpm] = seconds.get(bpm, 0.0) + min(gap, HEART_RATE_GAP_CAP_S)
    return seconds


def _first(value: float | None, fallback: float | None) -> float | None:
    return value if value is not None else fallback


def close(actual: float | None, expected: float | None) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return actual == pytest.approx(expected, rel=0.01, abs=0.01)


# --- valid files -------------------------------------------------------------------------------


def test_the_corpus_has_valid_corrupt_and_unusual_files() -> None:
    assert len(OK) >= 8
    assert len(BAD) >= 4
    assert len(EDGE) >= 6


@pytest.mark.parametrize("file", OK, ids=ids)
def test_fast_reader_matches_fitdecode_sample_by_sample(file: CorpusFile) -> None:
    data = file_bytes(file)
    ours = read_parts(data, file.id)
    theirs = reference_of(file)
    assert len(ours) == len(theirs)
    for part, ref in zip(ours, theirs, strict=True):
        assert len(part.record_times) == len(ref.records)
        assert list(part.record_times) == [fit_seconds(r["timestamp"]) for r in ref.records]
        assert list(part.record_heart_rates_bpm) == [r["heart_rate"] for r in ref.records]
        for ours_m, ref_m in zip(part.record_distances_m, (r["distance"] for r in ref.records), strict=True):
            assert close(ours_m, ref_m)
        assert len(part.sessions) == len(ref.sessions)
        for session, ref_session in zip(part.sessions, ref.sessions, strict=True):
            assert close(session.total_distance_m, ref_session.get("total_distance"))
            assert close(session.total_timer_s, ref_session.get("total_timer_time"))
            assert close(session.total_elapsed_s, ref_session.get("total_elapsed_time"))


@pytest.mark.parametrize("file", OK, ids=ids)
def test_imported_totals_agree_with_fitdecode_within_one_percent(file: CorpusFile) -> None:
    data = file_bytes(file)
    imported = read_fit(data, source=file.id, file_hash="h")
    assert not imported.used_fallback, "every valid corpus file is within the fast reader's reach"
    parts = [p for p in reference_of(file) if p.file_type in (None, "activity")]
    expected = [e for p in parts for e in expected_activities(p)]
    assert len(imported.activities) == len(expected)
    for activity, want in zip(imported.activities, expected, strict=True):
        problems = disagreements(activity, want)
        assert not problems, f"{file.id}: {problems}"


def disagreements(activity: Activity, want: Expected) -> list[str]:
    problems = []
    for name in ("distance_m", "moving_s", "elapsed_s", "avg_heart_rate_bpm", "max_heart_rate_bpm"):
        if not close(getattr(activity, name), getattr(want, name)):
            problems.append(f"{name}: imported {getattr(activity, name)}, fitdecode {getattr(want, name)}")
    heart_rate_total = sum(s for _, s in activity.heart_rate_seconds)
    if not close(heart_rate_total, want.heart_rate_total_s):
        problems.append(
            f"heart-rate seconds: imported {heart_rate_total}, fitdecode {want.heart_rate_total_s}"
        )
    if want.start is not None and activity.start != want.start:
        problems.append(f"start: imported {activity.start}, fitdecode {want.start}")
    sports = {"running": Sport.RUNNING, "cycling": Sport.CYCLING, "swimming": Sport.SWIMMING}
    if want.sport in sports and activity.sport is not sports[want.sport]:
        problems.append(f"sport: imported {activity.sport}, fitdecode {want.sport}")
    return problems


@pytest.mark.parametrize("file", OK, ids=ids)
def test_the_start_carries_the_offset_the_device_recorded(file: CorpusFile) -> None:
    data = file_bytes(file)
    activity = read_fit(data, source=file.id, file_hash="h").activities[0]
    message = reference_of(file)[0].activity
    utc, local = message.get("timestamp"), message.get("local_timestamp")
    offset = timedelta(0)  # also for device time (no UTC clock at all): the true offset is unknown
    if isinstance(utc, datetime) and isinstance(local, datetime) and local.year > 1999:
        recorded = timedelta(minutes=15) * round((local - utc) / timedelta(minutes=15))
        # Real offsets lie within ±14 h; FR70 firmware writes a local time days off (ignored).
        offset = recorded if abs(recorded) <= timedelta(hours=14) else offset
    assert activity.start.utcoffset() == offset


@pytest.mark.parametrize("file", OK, ids=ids)
def test_the_fitdecode_fallback_decodes_exactly_what_the_fast_reader_does(file: CorpusFile) -> None:
    data = file_bytes(file)
    fast, fallback = read_parts(data, file.id), decode_parts(data, file.id)
    assert fallback == fast
    assert activities_from(fallback, source=file.id, file_hash="h") == activities_from(
        fast, source=file.id, file_hash="h"
    )


@pytest.mark.parametrize("file", OK, ids=ids)
def test_fingerprints_are_the_file_hash_numbered_when_a_file_holds_several(file: CorpusFile) -> None:
    activities = read_fit(file_bytes(file), source=file.id, file_hash="abc").activities
    if len(activities) == 1:
        assert activities[0].fingerprint == "abc"
    else:
        assert [a.fingerprint for a in activities] == [f"abc#{n}" for n in range(1, len(activities) + 1)]
    assert all(a.source == file.id for a in activities)


# --- corrupt and unusual files -----------------------------------------------------------------

# What every corrupt (bad) and unusual (edge) file of the corpus must give: the number of activities it
# imports, or a part of the reason it is rejected for (the MANIFEST describes each file's fault). A
# file missing here fails the test, so a new corpus file gets classified; a changed outcome fails too.
EXPECTED_OUTCOMES: dict[str, int | str] = {
    # corrupt: rejected, naming the fault and where it is
    "fitparse__activity-filecrc.fit": "FIT file CRC mismatch at byte 769: stored 0xB1D5, computed 0xA1D5",
    "fitparse__activity-settings-corruptheader.fit": "not a FIT file: bytes 779–782 after the FIT file "
    "that ends at byte 771 are b'.GIT', expected b'.FIT'",
    "fitparse__activity-settings-nodata.fit": "truncated at byte 786: the FIT header at byte 771 declares "
    "68 bytes of messages",
    "fitparse__activity-unexpected-eof.fit": "truncated at byte 768: the FIT header at byte 0 declares 757 "
    "bytes of messages",
    "fitparse__nick.fit": "FIT file CRC mismatch at byte 403454: stored 0x0040, computed 0x1AD2",
    "fitparse__strava-android-app-201.10-b1218918.fit": "truncated at byte 78233: the FIT header at byte 0 "
    "declares 78236 bytes of messages",
    # The FIT SDK's "truncated activity" example: its CRC is intact, only the summaries are missing.
    "muktihari__activity_truncated.fit": "an unfinished FIT activity: 14 records but no session and no "
    "activity message: not a finished activity recording",
    # The gzip layer refuses it before any FIT byte is read.
    "gzip-truncated__activity-small-fenix2-run.fit.gz": "gzip stream ends early (the file is truncated)",
    # unusual: not an activity, or an activity without the usual summaries
    "fitparse__Settings.fit": "a FIT settings file, not an activity",
    "fitparse__MonitoringFile.fit": "a FIT monitoring file, not an activity",
    "fitparse__WeightScaleSingleUser.fit": "a FIT weight file, not an activity",
    "fitparse__WorkoutIndividualSteps.fit": "a FIT workout file, not an activity",
    # Intact (CRC matches), 3 records and nothing else: not called cut off, since nothing was lost.
    "fitparse__DeveloperData.fit": "an unfinished FIT activity: 3 records but no session and no activity "
    "message: not a finished activity recording",
    # Two chained activity files, the second with a bad CRC: corrupt, so the whole file is refused.
    "fitparse__activity-activity-filecrc.fit": "FIT file CRC mismatch at byte 1540: stored 0xB1D5, "
    "computed 0xA1D5",
    "fitparse__activity-settings.fit": 1,  # activity + settings: the activity alone
    "fitparse__elemnt-bolt-no-application-id-inside-developer-data-id.fit": 1,
    "tormoder__unterminated-strings.fit": 1,
    "gc__2012_02_05_09_03_59.fit": 1,  # a session and no records
    "gc__moxy.fit": 1,  # no file type, one session
    "gc__3386684871-saved.fit": 1,  # no timer time
    "muktihari__valid_only_contain_fileid.fit": 1,  # one record and an activity message
}


@pytest.mark.parametrize("file", BAD + EDGE, ids=[f.id for f in BAD + EDGE])
def test_corrupt_and_unusual_files_have_their_expected_outcome(file: CorpusFile) -> None:
    assert file.id in EXPECTED_OUTCOMES, f"{file.id} ({file.role}): add its outcome to EXPECTED_OUTCOMES"
    expected = EXPECTED_OUTCOMES[file.id]
    assert file.role != "bad" or isinstance(expected, str), f"{file.id} is corrupt: it must be rejected"
    # Through the archive layer, as an import reads it: a .gz is decompressed there (or refused).
    ref = FileRef(str(file.path))
    if isinstance(expected, str):
        with pytest.raises(RejectedFileError) as rejected:
            read_fit(read_ref(ref), source=file.id, file_hash="h")
        assert rejected.value.source in (file.id, ref.display)
        assert expected in rejected.value.reason
    else:
        activities = read_fit(read_ref(ref), source=file.id, file_hash="h").activities
        assert len(activities) == expected
        assert all(a.source == file.id and a.start.utcoffset() is not None for a in activities)
