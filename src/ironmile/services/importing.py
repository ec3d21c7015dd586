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
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.importers.archive import FileRef, Limits, clear_archive_cache
from ironmile.adapters.importers.discovery import ImportItem, discover
from ironmile.adapters.importers.parse import ParsedFile, parse_file
from ironmile.domain.activity import SAME_RUN_START_WINDOW, Activity, same_run
from ironmile.services.training import current_athlete

BATCH_FILES = 200  # commit often enough that an interruption loses little, rarely enough to be fast
PARALLEL_FROM = 16  # fewer files than this are parsed in-process: starting workers would cost more


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
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportReport:
    files: int
    added: int
    duplicates: int
    fit_fallbacks: int
    rejected: tuple[Rejected, ...]
    interrupted: bool = False


class _Known:
    """What is stored already (or added in this run): fingerprints, and starts by minute to find
    the same run from another source without comparing every pair."""

    def __init__(self, activities: Iterable[Activity]) -> None:
        self.fingerprints: set[str] = set()
        self._by_minute: dict[int, list[Activity]] = defaultdict(list)
        for activity in activities:
            self.add(activity)

    @staticmethod
    def _minute(start: datetime) -> int:
        return int(start.timestamp() // 60)

    def add(self, activity: Activity) -> None:
        self.fingerprints.add(activity.fingerprint)
        self._by_minute[self._minute(activity.start)].append(activity)

    def holds(self, activity: Activity) -> bool:
        if activity.fingerprint in self.fingerprints:
            return True
        reach = int(SAME_RUN_START_WINDOW.total_seconds() // 60) + 1
        minute = self._minute(activity.start)
        return any(
            same_run(activity, other)
            for bucket in range(minute - reach, minute + reach + 1)
            for other in self._by_minute.get(bucket, ())
        )


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


def _merge(item: ImportItem, parsed: ParsedFile | None) -> tuple[list[Activity], str | None]:
    """The activities an item contributes, and a rejection reason if its file was refused. The
    export's table knows the sport the athlete chose and their perceived exertion; the file knows
    the rest. A refused file with a table row still contributes the row's summary."""
    summary = item.summary
    if parsed is None or parsed.rejection is not None:
        reason = parsed.rejection if parsed is not None else None
        if summary is not None and reason is not None:
            reason += "; kept the summary from the export's table instead"
        return ([summary] if summary is not None else []), reason
    activities = list(parsed.activities)
    if summary is not None and len(activities) == 1:
        activities[0] = replace(
            activities[0],
            sport=summary.sport,
            perceived_exertion=summary.perceived_exertion or activities[0].perceived_exertion,
        )
    return activities, None


def import_activities(
    uow: UnitOfWork,
    paths: Sequence[str],
    *,
    today: date,
    workers: int = 2,
    limits: Limits | None = None,
    on_progress: Callable[[ImportTally], None] | None = None,
    batch_files: int = BATCH_FILES,
) -> ImportReport:
    """Import every activity found under `paths` for the database's athlete."""
    limits = limits or Limits()
    discovery = discover(paths, limits)
    tally = ImportTally(files_total=len(discovery.items))
    tally.rejected.extend(Rejected(r.source, r.reason) for r in discovery.rejected)
    with uow:
        athlete_id = current_athlete(uow).id
        stored_hashes = uow.activities.source_hashes(athlete_id)
        known = _Known(uow.activities.between(athlete_id))
    pending: list[tuple[Activity, str | None]] = []
    interrupted = False

    def flush() -> None:
        if pending:
            with uow:
                uow.activities.add_many(athlete_id, pending, imported_on=today)
                uow.commit()
            pending.clear()

    try:
        for done, (item, parsed) in enumerate(
            _parsed(discovery.items, limits, frozenset(stored_hashes), workers), start=1
        ):
            if parsed is not None and parsed.already_stored:
                tally.duplicates += stored_hashes.get(parsed.file_hash or "", 1)
            else:
                if parsed is not None and parsed.used_fallback:
                    tally.fit_fallbacks += 1
                activities, reason = _merge(item, parsed)
                if reason is not None:
                    tally.rejected.append(Rejected(parsed.source if parsed else "?", reason))
                for activity in activities:
                    if known.holds(activity):
                        tally.duplicates += 1
                        continue
                    known.add(activity)
                    tally.added += 1
                    pending.append((activity, parsed.file_hash if parsed and not parsed.rejection else None))
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
    )
