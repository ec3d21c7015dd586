"""One file in, its activities out: read (decompressing, with limits), hash, pick the parser.

`parse_file` is what the import's worker processes run, so it takes and returns only plain,
picklable data. A file whose hash is already stored is not parsed at all: a re-import of the same
archive, or the resumption of an interrupted one, costs a read and a hash per file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from ironmile.adapters.importers.archive import FileRef, Limits, read_ref
from ironmile.adapters.importers.fit import read_fit
from ironmile.adapters.importers.gpx import read_gpx
from ironmile.adapters.importers.tcx import read_tcx
from ironmile.domain.activity import Activity
from ironmile.domain.errors import RejectedFileError

HASH_CHARS = 32  # 128 bits of SHA-256: collisions are out of reach for any archive


@dataclass(frozen=True, slots=True)
class ParsedFile:
    source: str
    file_hash: str | None  # None when the file could not even be read
    activities: tuple[Activity, ...] = ()
    already_stored: bool = False  # the hash was known: not parsed
    used_fallback: bool = False  # the FIT fast reader gave up; the reference decoder read it
    rejection: str | None = None  # why the file was refused


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def _read_fit(data: bytes, *, source: str, file_hash: str) -> tuple[tuple[Activity, ...], bool]:
    result = read_fit(data, source=source, file_hash=file_hash)
    return result.activities, result.used_fallback


def _read_xml(
    reader: Callable[..., tuple[Activity, ...]],
) -> Callable[..., tuple[tuple[Activity, ...], bool]]:
    def read(data: bytes, *, source: str, file_hash: str) -> tuple[tuple[Activity, ...], bool]:
        return reader(data, source=source, file_hash=file_hash), False

    return read


PARSERS = {"fit": _read_fit, "gpx": _read_xml(read_gpx), "tcx": _read_xml(read_tcx)}


def parse_file(ref: FileRef, limits: Limits, known_hashes: frozenset[str] = frozenset()) -> ParsedFile:
    """Never raises for a bad file: the reason comes back in `rejection`."""
    source = ref.display
    kind = ref.kind
    if kind is None:
        return ParsedFile(
            source, None, rejection="unknown file type (expected .fit, .gpx or .tcx, optionally .gz)"
        )
    try:
        data = read_ref(ref, limits)
    except RejectedFileError as error:
        return ParsedFile(source, None, rejection=error.reason)
    digest = file_hash(data)
    if digest in known_hashes:
        return ParsedFile(source, digest, already_stored=True)
    try:
        activities, used_fallback = PARSERS[kind](data, source=source, file_hash=digest)
    except RejectedFileError as error:
        return ParsedFile(source, digest, rejection=error.reason)
    except Exception as error:  # a parser bug on one odd file must not end an import of thousands
        return ParsedFile(source, digest, rejection=f"could not be read ({type(error).__name__}: {error})")
    if not activities:
        return ParsedFile(source, digest, rejection="no activity in the file")
    return ParsedFile(source, digest, activities, used_fallback=used_fallback)
