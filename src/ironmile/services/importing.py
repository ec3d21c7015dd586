"""Importing a running history: many files in, activities stored once each, bad files reported.

The work splits in two. Worker processes (both cores) read, decompress, hash and parse files
(`adapters.importers.parse.parse_file`); this process merges each file with what the export's own
table says about it (a Strava row's sport and perceived exertion), drops what is already stored
and stores the rest, committing every `BATCH_FILES` files. An interruption (crash, Ctrl-C) loses
at most the batch in progress; files already committed are recognised by their hash next time
and skipped without parsing, so running the same command again resumes.

Duplicates are recognised three ways: a file already imported (its hash), an activity already
stored (its fingerprint, e.g. the same Strava row), and the same run from another source (a FIT
and its Strava GPX copy: `domain.activity.same_run`).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import date, tzinfo
from zoneinfo import ZoneInfo

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.importers.archive import FileRef, Limits, clear_archive_cache
from ironmile.adapters.importers.discovery import ImportItem, discover
from ironmile.adapters.importers.parse import ParsedFile, parse_file
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.activity_checks import RunIndex, checked, in_home_zone, richness, with_known_sport
from ironmile.domain.errors import InputError
from ironmile.services.training import current_athlete

BATCH_FILES = 200  # commit often enough that an interruption loses little, rarely enough to be fast
PARALLEL_FROM = 16  # fewer files than this are parsed in-process: starting workers would cost more
# An upload to the web app comes from anyone with an account, so its archives get tighter limits
# than the CLI's (whose files are the machine user's own): see `upload_limits`.
UNPACKED_PER_UPLOAD = 4  # everything unpacked from one uploaded archive: this many times the upload cap
NESTED_ZIP_BYTES = 256 * 2**20  # bytes one zip inside an uploaded zip may inflate to (to a temporary file)


def upload_limits(max_upload_bytes: int) -> Limits:
    """The archive limits for an upload of at most `max_upload_bytes` (bytes) to the web app: all
    it unpacks to at most UNPACKED_PER_UPLOAD times the cap, and one zip inside it to at most
    NESTED_ZIP_BYTES, or the cap itself when that is larger (a Garmin export's UploadedFiles zips
    hold compressed FIT files, so they inflate to about their packed size, which the cap bounds)."""
    total = UNPACKED_PER_UPLOAD * max_upload_bytes
    return Limits(max_total_bytes=total, max_nested_bytes=min(total, max(NESTED_ZIP_BYTES, max_upload_bytes)))


@dataclass(frozen=True, slots=True)
class Rejected:
    file: str
    reason: str


@dataclass
class ImportTally:
    """Counts so far; `on_progress` receives it after every file."""

    files_total: int = 0
    files_done: int = 0
    added: int = 0
    duplicates: int = 0
    fit_fallbacks: int = 0
    unknown_sport: int = 0  # activities whose sources name no sport: kept as "other", not counted as runs
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportReport:
    files: int
    added: int
    duplicates: int
    fit_fallbacks: int
    rejected: tuple[Rejected, ...]
    interrupted: bool = False
    unknown_sport: int = 0


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the parent decides what to keep, workers just stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parsed(
    items: Sequence[ImportItem], limits: Limits, known_hashes: frozenset[str], workers: int
) -> Iterator[tuple[ImportItem, ParsedFile | None]]:
    """Each item with its parsed file (None for a summary-only row), in the items' order."""
    refs = [item.ref for item in items if item.ref is not None]
    if workers <= 1 or len(refs) < PARALLEL_FROM:
        yield from _zip_items(items, (parse_file(ref, limits, known_hashes) for ref in refs))
    else:
        yield from _zip_items(items, _pooled(refs, limits, known_hashes, workers))


def _pooled(
    refs: list[FileRef], limits: Limits, known_hashes: frozenset[str], workers: int
) -> Iterator[ParsedFile]:
    """Files parsed by `workers` processes, in order. Should the pool break (a worker killed for
    memory, or unable to start), the files not yet read are read in this process instead."""
    # forkserver, not fork: the parent may run threads (the progress bar), which fork does not copy
    # safely. The server imports the parsers once; each worker is forked from it, ready to go.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["ironmile.adapters.importers.parse"])
    done = 0
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_ignore_interrupts) as pool:
            try:
                chunk = max(1, min(32, len(refs) // (workers * 8)))
                for result in pool.map(
                    parse_file, refs, [limits] * len(refs), [known_hashes] * len(refs), chunksize=chunk
                ):
                    done += 1
                    yield result
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    except BrokenProcessPool:
        yield from (parse_file(ref, limits, known_hashes) for ref in refs[done:])


def _zip_items(
    items: Sequence[ImportItem], results: Iterator[ParsedFile]
) -> Iterator[tuple[ImportItem, ParsedFile | None]]:
    for item in items:
        yield item, (next(results) if item.ref is not None else None)


def _merge(
    item: ImportItem, parsed: ParsedFile | None, sport: Sport | None
) -> tuple[list[Activity], str | None]:
    """The activities an item contributes, and a rejection reason if its file was refused. The
    export's table knows the sport the athlete chose and their perceived exertion; the file knows
    the rest. A refused file with a table row still contributes the row's summary. `sport` is the
    athlete's word for files that do not say (a GPX without a type)."""
    summary = item.summary
    if parsed is None or parsed.rejection is not None:
        reason = parsed.rejection if parsed is not None else None
        if summary is not None and reason is not None:
            reason += "; kept the summary from the export's table instead"
        return ([summary] if summary is not None else []), reason
    activities = list(parsed.activities)
    if summary is not None and len(activities) == 1:
        activities[0] = with_known_sport(activities[0], summary)
    elif summary is None and sport is not None:
        activities = [replace(a, sport=sport) if a.sport is Sport.OTHER else a for a in activities]
    return activities, None


def _home_zone(profile_toml: str, *, today: date) -> ZoneInfo | None:
    """The athlete's `time_zone` from the stored profile, if they gave one."""
    name = parse_profile(
        profile_toml, source="stored profile", today=today, catalogue=load_catalogue()
    ).athlete.time_zone
    return ZoneInfo(name) if name else None


def read_activities(
    path: str, *, today: date, home: tzinfo | None, limits: Limits
) -> tuple[list[Activity], list[str]]:
    """Every readable activity in the file at `path` (the same run from two sources once), as an
    import would store them, and the reasons for what could not be read; nothing is stored (the
    onboarding wizard reads the running week from them before the athlete exists)."""
    discovery = discover([path], limits)
    unreadable = [f"{r.source}: {r.reason}" for r in discovery.rejected]
    index = RunIndex()
    found: list[Activity] = []
    try:
        for item in discovery.items:
            parsed = parse_file(item.ref, limits) if item.ref is not None else None
            if parsed is not None and parsed.rejection is not None:
                unreadable.append(f"{parsed.source}: {parsed.rejection}")
            if parsed is None or parsed.rejection is not None:
                activities = [item.summary] if item.summary is not None else []
            elif item.summary is not None and len(parsed.activities) == 1:
                activities = [with_known_sport(parsed.activities[0], item.summary)]
            else:
                activities = list(parsed.activities)
            for activity in activities:
                result = checked(in_home_zone(activity, home), today=today)
                if isinstance(result, str):
                    unreadable.append(f"{activity.source}: {result}")
                elif result.fingerprint not in index.fingerprints and index.match(result) is None:
                    index.add(result)
                    found.append(result)
    finally:
        clear_archive_cache()
    return found, unreadable


def import_activities(
    uow: UnitOfWork,
    paths: Sequence[str],
    *,
    today: date,
    workers: int = 2,
    limits: Limits | None = None,
    on_progress: Callable[[ImportTally], None] | None = None,
    batch_files: int = BATCH_FILES,
    sport: Sport | None = None,
    athlete_id: int | None = None,
) -> ImportReport:
    """Import every activity found under `paths` for the athlete `athlete_id` (else the database's
    one). `sport`: the sport of activities whose file does not say (most often a GPX without a
    type), instead of "other"."""
    limits = limits or Limits()
    discovery = discover(paths, limits)
    if not discovery.items and not discovery.rejected:
        raise InputError(
            f"no activity files in {', '.join(paths)}: expected .fit, .gpx or .tcx files (optionally .gz), "
            "zips of them, or a Strava or Garmin Connect export"
        )
    tally = ImportTally(files_total=sum(1 for item in discovery.items if item.ref is not None))
    tally.rejected.extend(Rejected(r.source, r.reason) for r in discovery.rejected)
    with uow:
        athlete = current_athlete(uow, athlete_id)
        owner = athlete.id
        stored_hashes = uow.activities.source_hashes(owner)
        known = RunIndex()
        for stored in uow.activities.between(owner):
            known.add(stored)
    home = _home_zone(athlete.profile_toml, today=today)
    pending: dict[str, tuple[Activity, str | None]] = {}  # by fingerprint, in the order found
    interrupted = False

    def flush() -> None:
        if pending:
            with uow:
                uow.activities.add_many(owner, list(pending.values()), imported_on=today)
                uow.commit()
            pending.clear()

    def keep(activity: Activity, source_hash: str | None, *, from_table: bool) -> None:
        """Store the activity unless it is one held already; of two records of one session still
        waiting in this batch, the richer one (heart rate, distance) is kept."""
        if activity.fingerprint in known.fingerprints:
            tally.duplicates += 1
            return
        twin = known.match(activity, any_distance=from_table)
        if twin is None:
            known.add(activity)
            pending[activity.fingerprint] = (activity, source_hash)
            tally.added += 1
            tally.unknown_sport += activity.sport is Sport.OTHER
            return
        tally.duplicates += 1
        if twin.fingerprint in pending and richness(activity) > richness(twin):
            known.remove(twin)
            del pending[twin.fingerprint]
            known.add(activity)
            pending[activity.fingerprint] = (activity, source_hash)

    done = 0
    try:
        for item, parsed in _parsed(discovery.items, limits, frozenset(stored_hashes), workers):
            if parsed is not None and parsed.already_stored:
                tally.duplicates += stored_hashes.get(parsed.file_hash or "", 1)
            else:
                if parsed is not None and parsed.used_fallback:
                    tally.fit_fallbacks += 1
                activities, reason = _merge(item, parsed, sport)
                if reason is not None:
                    tally.rejected.append(Rejected(parsed.source if parsed else "?", reason))
                file_hash = parsed.file_hash if parsed is not None and parsed.rejection is None else None
                for activity in activities:
                    result = checked(in_home_zone(activity, home), today=today)
                    if isinstance(result, str):
                        tally.rejected.append(Rejected(activity.source, result))
                        continue
                    keep(result, file_hash, from_table=file_hash is None)
            if parsed is not None:
                done += 1
                tally.files_done = done
                if done % batch_files == 0:
                    flush()
            if on_progress is not None:
                on_progress(tally)
        flush()
    except KeyboardInterrupt:
        interrupted = True  # the open batch was rolled back or never stored; earlier ones are kept
        tally.added -= len(pending)
    finally:
        clear_archive_cache()  # in-process reads keep the last archive open; let it go
    return ImportReport(
        files=tally.files_total,
        added=tally.added,
        duplicates=tally.duplicates,
        fit_fallbacks=tally.fit_fallbacks,
        rejected=tuple(tally.rejected),
        interrupted=interrupted,
        unknown_sport=tally.unknown_sport,
    )
