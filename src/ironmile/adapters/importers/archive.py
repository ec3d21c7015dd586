"""Reading activity files from disk, gzip and zip archives (zips inside zips too).

Files are read into memory, never extracted; a compressed zip inside a zip is inflated into an
anonymous temporary file (on disk past SPOOL_BYTES). Reads are bounded while they stream: declared
sizes only refuse early (a zip bomb lies about them). A `FileRef` names one file (a path plus the
chain of zip members to it) and is picklable, so worker processes reopen it (`read_ref`).
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import stat
import struct
import tempfile
import threading
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from ironmile.domain.errors import RejectedFileError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

ACTIVITY_KINDS = ("fit", "gpx", "tcx")
GZIP_SUFFIX = ".gz"
_CHUNK = 1 << 20  # bytes decompressed per step: bounds memory between two limit checks
_ENCRYPTED = 0x1  # zip general-purpose flag bit 0
_GZIP_MAGIC = b"\x1f\x8b"  # the first two bytes of every gzip member (RFC 1952)
SPOOL_BYTES = 8 * 2**20  # bytes of an inflated nested zip held in memory before it moves to disk
ONE_FILE, ONE_NESTED_ZIP = "one file", "one zip inside a zip"  # what a size limit is for, in messages


@dataclass(frozen=True, slots=True)
class Limits:
    """Safety limits for untrusted archives. The defaults sit far above any real runner's export
    and far below what would exhaust a laptop; docs/importing.md gives the reasoning."""

    # One activity file after decompression, bytes. The largest real file we have seen is 1.7 MB
    # (a 1 Hz TCX); a 24-hour ultra at 1 Hz with every field is ~20 MB of FIT.
    max_file_bytes: int = 64 * 2**20
    # Decompressed / compressed size, per zip member or .gz. Real activity files deflate 2× (FIT)
    # to 37× (a repetitive TCX); a zip bomb needs ~1000×.
    max_ratio: float = 100.0
    # Entries in one zip. A decade of daily runs plus media is ~10,000 entries.
    max_members: int = 200_000
    # Everything decompressed from one archive, bytes (a large Garmin export is a few GB).
    max_total_bytes: int = 16 * 2**30
    # One zip inside a zip once inflated (to a temporary file), bytes; Garmin's inflate to ~their size.
    max_nested_bytes: int = 16 * 2**30
    # How many zips a zip may sit inside: Garmin's UploadedFiles zips sit inside the export (1).
    max_depth: int = 2


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class FileRef:
    """One file to read: `path` on disk (absolute) and, for a zip member, the member chain from the
    outermost zip inwards (`("DI_CONNECT/…/UploadedFiles_0.zip", "123.fit")`)."""

    path: str
    members: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The innermost name: the member name, or the path for a plain file."""
        return self.members[-1] if self.members else self.path

    @property
    def display(self) -> str:
        """How reports show the file: `export.zip!activities/123.fit.gz`."""
        return "!".join((self.path, *self.members))

    @property
    def kind(self) -> str | None:
        """`fit`, `gpx` or `tcx` from the name (case and a `.gz` suffix ignored), else None."""
        return kind_of(self.name)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A file, row or entry that cannot be imported, and why (shown to the user as it is)."""

    source: str
    reason: str


class Refused(Exception):
    """Internal: a read refused for `reason`; callers attach the file's name."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def base_name(name: str) -> str:
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def kind_of(name: str) -> str | None:
    base = base_name(name).lower().removesuffix(GZIP_SUFFIX)
    suffix = base.rsplit(".", 1)[-1] if "." in base else ""
    return suffix if suffix in ACTIVITY_KINDS else None


def read_ref(ref: FileRef, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The file's decompressed bytes, every limit enforced while reading.

    Raises RejectedFileError(ref.display, reason) for anything missing, corrupt, unsafe or too large."""
    try:
        if ref.members:
            archive = _innermost_zip(ref, limits)
            data = read_member(archive, member_info(archive, ref.members[-1]), limits)
        else:
            data = read_plain(ref.path, limits)
        return gunzip(data, limits) if ref.name.lower().endswith(GZIP_SUFFIX) else data
    except Refused as refused:
        raise RejectedFileError(ref.display, refused.reason) from None
    except OSError as error:
        raise RejectedFileError(ref.display, f"cannot read the file: {error.strerror or error}") from None


# The zip `read_ref` read from last, kept open per thread (web imports run side by side): items come
# ordered by (path, members), so an export is read through one open zip (parsing a 3,000-entry
# directory per file would cost more than the files), and a compressed nested zip is inflated once.
# It holds an open file (and its temporary file) until the next archive or `clear_archive_cache`.
_ZipKey = tuple[str, int, int, tuple[str, ...], Limits]  # path, mtime (ns), size (bytes), chain, limits
_Zips = dict[_ZipKey, tuple[contextlib.ExitStack, zipfile.ZipFile]]
_threads = threading.local()


def _open_zips() -> _Zips:
    zips: _Zips = _threads.__dict__.setdefault("zips", {})
    return zips


def clear_archive_cache() -> None:
    """Close the zip `read_ref` keeps open in this thread (call after an import)."""
    for stack, _ in _open_zips().values():
        stack.close()
    _open_zips().clear()


atexit.register(clear_archive_cache)


def _innermost_zip(ref: FileRef, limits: Limits) -> zipfile.ZipFile:
    """The zip holding `ref`'s file, opened through its chain of members; the zips on the way stay
    open with it (an inner zip reads through the outer ones) until the next archive."""
    status = os.stat(ref.path)
    key = (ref.path, status.st_mtime_ns, status.st_size, ref.members[:-1], limits)
    if key in _open_zips():
        return _open_zips()[key][1]
    clear_archive_cache()
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(open(ref.path, "rb"))
        archive = stack.enter_context(open_zip(raw, 0, limits))
        for depth, name in enumerate(ref.members[:-1], start=1):
            if reason := unsafe_reason(name):
                raise Refused(reason)
            archive = open_nested(archive, member_info(archive, name), depth, limits, stack)
        _open_zips()[key] = (stack.pop_all(), archive)
    return archive


def regular_file_size(path: str) -> int:
    """The size of a regular file; a FIFO or device is refused, since reading it could block."""
    status = os.stat(path)
    if not stat.S_ISREG(status.st_mode):
        raise Refused("not a regular file (a device, pipe or socket)")
    return status.st_size


def read_plain(path: str, limits: Limits) -> bytes:
    """A file on disk, refused by its size before any byte is read."""
    size = regular_file_size(path)
    if size > limits.max_file_bytes:
        raise Refused(too_large(size, limits))
    with open(path, "rb") as file:
        data = file.read(limits.max_file_bytes + 1)  # the file may have grown since stat
    if len(data) > limits.max_file_bytes:
        raise Refused(too_large(len(data), limits))
    return data


def too_large(size: int, limits: Limits) -> str:
    return (
        f"file is {size:,} bytes, more than the limit of {limits.max_file_bytes:,} bytes for one "
        "activity file"
    )


def _bounded(produced: int, compressed: int, max_bytes: int, limits: Limits, what: str = ONE_FILE) -> None:
    if produced > max_bytes:
        raise Refused(f"decompresses to more than {max_bytes:,} bytes (the limit for {what})")
    if produced > limits.max_ratio * max(compressed, 1):
        raise Refused(
            f"decompresses to more than {limits.max_ratio:g} × its compressed size of {compressed:,} "
            "bytes (a zip bomb?)"
        )


def gunzip(data: bytes, limits: Limits) -> bytes:
    """Decompress a .gz held in memory (several concatenated gzip members allowed), bounded."""
    _check_gzip_magic(data)
    out = io.BytesIO()  # getvalue() hands over its buffer: no second copy
    pending = data
    while True:
        inflater = zlib.decompressobj(wbits=31)  # 31: gzip header and trailer, CRC checked
        try:
            while not inflater.eof:
                chunk = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                out.write(chunk)
                _bounded(out.tell(), len(data), limits.max_file_bytes, limits)
                if not chunk and not pending and not inflater.eof:
                    raise Refused("gzip stream ends early (the file is truncated)")
        except zlib.error as error:
            raise Refused(f"not a valid gzip stream: {error}") from None
        pending = inflater.unused_data
        if not pending.startswith(_GZIP_MAGIC):  # trailing zero padding or junk: the stream is done
            return out.getvalue()


def _check_gzip_magic(data: bytes) -> None:
    """Refuse a file that is not gzip at all (an uncompressed file named `.gz`) by its first two bytes,
    so that only a real gzip stream that stops short is called truncated. One or two bytes that begin
    the magic number are a gzip file cut off, and left to the inflater to say so."""
    if not data:
        raise Refused("not a gzip file: the file is empty (0 bytes)")
    if not _GZIP_MAGIC.startswith(data[:2]):
        found = " ".join(f"{byte:02X}" for byte in data[:2])
        raise Refused(f"not a gzip file (bad magic bytes: {found} where a gzip file starts with 1F 8B)")


# ------------------------------------------------------------------------------------------------
# Zip archives
# ------------------------------------------------------------------------------------------------


def unsafe_reason(name: str) -> str | None:
    """Why a member name is unsafe (absolute, drive letter, `..`, NUL), or None when it is fine.
    Backslashes count as separators, so `..\\x.fit` is caught too."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or "\0" in name:
        return f"unsafe path in zip: {name!r} is absolute"
    if ".." in parts:
        return f"unsafe path in zip: {name!r} climbs out with '..'"
    return None


def _declared_entries(file: IO[bytes]) -> int:
    """The entry count from the end-of-central-directory record (zip64 aware), read before zipfile
    builds one object per entry, so a zip claiming millions of entries costs no memory."""
    file.seek(0, os.SEEK_END)
    size = file.tell()
    tail_size = min(size, 22 + 0xFFFF)  # the record plus the longest possible comment
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise Refused("not a zip file: no end-of-archive record (truncated or not a zip)")
    (entries,) = struct.unpack_from("<H", tail, at + 10)
    locator = at - 20
    if entries == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        (record_at,) = struct.unpack_from("<Q", tail, locator + 8)
        file.seek(record_at)
        record = file.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            (entries,) = struct.unpack_from("<Q", record, 32)
    return int(entries)


def check_depth(depth: int, limits: Limits) -> None:
    if depth > limits.max_depth:
        raise Refused(f"zip nested {depth} deep inside other zips, more than the limit of {limits.max_depth}")


def open_zip(file: IO[bytes], depth: int, limits: Limits) -> zipfile.ZipFile:
    """A zip opened for reading after the depth and entry-count checks; `depth` counts the zips
    this one sits inside (0 for a zip on disk)."""
    check_depth(depth, limits)
    entries = _declared_entries(file)
    if entries > limits.max_members:
        raise Refused(f"zip has {entries:,} entries, more than the limit of {limits.max_members:,}")
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error) as error:
        raise Refused(f"not a zip file: {error}") from None
    if len(archive.infolist()) > limits.max_members:
        archive.close()
        raise Refused(f"zip has more than {limits.max_members:,} entries (the limit)")
    return archive


def member_info(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    try:
        return archive.getinfo(name)
    except KeyError:
        raise Refused(f"no member {name!r} in the zip (the archive changed since it was listed?)") from None


def check_declared(info: zipfile.ZipInfo, max_bytes: int, limits: Limits, what: str = ONE_FILE) -> None:
    """Refuse early on what the zip declares; reading re-checks, since declarations can lie."""
    if info.flag_bits & _ENCRYPTED:
        raise Refused("zip member is encrypted (password protected)")
    _bounded(info.file_size, info.compress_size, max_bytes, limits, what)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    """An activity file's or export table's bytes, at most max_file_bytes."""
    out = io.BytesIO()  # getvalue() hands over its buffer: no second copy
    _inflate(archive, info, out, limits.max_file_bytes, ONE_FILE, limits)
    return out.getvalue()


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: IO[bytes], limit: int, what: str, limits: Limits
) -> None:
    """Write a member's bytes to the empty `target`, at most `limit` (zipfile itself stops at the
    declared size and then checks the CRC, so a member lying about its size fails as corrupt)."""
    check_declared(info, limit, limits, what)
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                target.write(chunk)
                _bounded(target.tell(), info.compress_size, limit, limits, what)
    except NotImplementedError as error:
        raise Refused(f"zip member uses an unsupported compression: {error}") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise Refused(f"corrupt zip member: {error}") from None


class _Window(io.RawIOBase):
    """A read-only view of `length` bytes at `start` of a seekable file: a zip stored (not
    compressed) inside another zip is opened in place, without copying it into memory."""

    def __init__(self, file: IO[bytes], start: int, length: int) -> None:
        super().__init__()
        self._file, self._start, self._length, self._pos = file, start, length, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._length}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        wanted = min(len(view), self._length - self._pos)
        if wanted <= 0:
            return 0
        self._file.seek(self._start + self._pos)
        data = self._file.read(wanted)
        view[: len(data)] = data
        self._pos += len(data)
        return len(data)


def _stored_window(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> _Window | None:
    """The in-place view of a stored member, or None when it is compressed."""
    if info.compress_type != zipfile.ZIP_STORED or archive.fp is None:
        return None
    archive.fp.seek(info.header_offset)
    header = archive.fp.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise Refused(f"corrupt zip: no local header for {info.filename!r}")
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    start = info.header_offset + 30 + name_length + extra_length
    return _Window(archive.fp, start, info.compress_size)


def open_nested(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, depth: int, limits: Limits, stack: contextlib.ExitStack
) -> zipfile.ZipFile:
    """The zip stored as member `info` of `archive`, which `stack` closes: read in place when stored,
    else inflated (at most max_nested_bytes) into an anonymous temporary file that `stack` deletes."""
    check_depth(depth, limits)  # before inflating anything
    check_declared(info, limits.max_nested_bytes, limits, ONE_NESTED_ZIP)
    window = _stored_window(archive, info)
    if window is not None:
        return stack.enter_context(open_zip(io.BufferedReader(window), depth, limits))
    with contextlib.ExitStack() as own:  # a refused zip's temporary file goes at once
        spool = own.enter_context(tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES))
        _inflate(archive, info, spool, limits.max_nested_bytes, ONE_NESTED_ZIP, limits)
        spool.seek(0)
        inner = own.enter_context(open_zip(spool, depth, limits))
        stack.push(own.pop_all())
    return inner
