"""Zips inside zips, and what reading them costs in memory: a compressed inner zip is inflated to a
temporary file rather than into memory, one past its cap is refused before it is inflated, and a
member read from a zip is held once, not twice.

Memory is measured with tracemalloc (the peak of Python's allocations during one call, less what
was allocated before it), since that is where an inflated zip would sit. The archives are built in
a temporary folder; their members are made-up bytes that deflate about 25× (zeros with a random
byte every 61), well inside the 100× ratio limit, so only the size limits decide.
"""

from __future__ import annotations

import io
import random
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from ironmile.adapters.importers.archive import (
    SPOOL_BYTES,
    FileRef,
    Limits,
    clear_archive_cache,
    read_ref,
)
from ironmile.adapters.importers.discovery import Rejection, discover
from ironmile.domain.errors import RejectedFileError

GPX = b'<?xml version="1.0"?><gpx version="1.1" creator="ironmile tests"><trk><trkseg/></trk></gpx>'
FIT = b"\x0e\x10\x98\x08\x00\x00\x00\x00.FIT\x00\x00"  # a 14-byte FIT header of an empty file
INNER = "uploads/batch_0.zip"
PADDING_BYTES = 40 * 2**20  # the inner zip's filler: five times SPOOL_BYTES
T = TypeVar("T")


def filler(size: int) -> bytes:
    """`size` bytes that deflate about 25×, the same on every run."""
    rng = random.Random(61)
    unit = b"".join(bytes([rng.randrange(256)]) + bytes(60) for _ in range(4096))
    return (unit * (size // len(unit) + 1))[:size]


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def peak_growth(call: Callable[[], T]) -> tuple[T, int]:
    """What `call` returns, and the most memory (bytes) it held at once beyond what it started with."""
    clear_archive_cache()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        clear_archive_cache()
    return result, peak - before


@pytest.fixture(scope="module")
def inner_zip() -> bytes:
    """A zip of one small GPX and PADDING_BYTES of filler (stored, so the zip is as large as that)."""
    return zip_bytes({"run.gpx": GPX, "padding.bin": filler(PADDING_BYTES)}, zipfile.ZIP_STORED)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory, inner_zip: bytes) -> Path:
    """An export holding the inner zip deflated (about 1.7 MB for 40 MiB), and a FIT beside it."""
    path = tmp_path_factory.mktemp("nested") / "export.zip"
    path.write_bytes(zip_bytes({INNER: inner_zip, "run.fit": FIT}))
    return path


def test_a_compressed_inner_zip_is_inflated_to_a_temporary_file_not_into_memory(
    export: Path, inner_zip: bytes
) -> None:
    data, grew = peak_growth(lambda: read_ref(FileRef(str(export), (INNER, "run.gpx"))))
    assert data == GPX
    assert grew < SPOOL_BYTES + 8 * 2**20 < len(inner_zip) / 2  # 40 MiB would have been held twice before
    found, grew = peak_growth(lambda: discover([str(export)]))
    assert [item.ref.display for item in found.items if item.ref] == [
        f"{export}!run.fit",
        f"{export}!{INNER}!run.gpx",
    ]
    assert grew < SPOOL_BYTES + 8 * 2**20


def test_an_inner_zip_over_its_cap_is_refused_before_any_of_it_is_inflated(
    export: Path, inner_zip: bytes
) -> None:
    capped = Limits(max_nested_bytes=8 * 2**20)
    ref = FileRef(str(export), (INNER, "run.gpx"))
    with pytest.raises(RejectedFileError) as caught:
        peak_growth(lambda: read_ref(ref, capped))
    assert (caught.value.source, caught.value.reason) == (
        ref.display,
        "decompresses to more than 8,388,608 bytes (the limit for one zip inside a zip)",
    )
    found, grew = peak_growth(lambda: discover([str(export)], capped))
    assert [item.ref.display for item in found.items if item.ref] == [f"{export}!run.fit"]  # the rest goes on
    assert found.rejected == (
        Rejection(
            f"{export}!{INNER}",
            "decompresses to more than 8,388,608 bytes (the limit for one zip inside a zip)",
        ),
    )
    assert grew < 2**20 < len(inner_zip) / 40


def _declare(data: bytes, name: bytes, size: int) -> bytes:
    """The zip with `name`'s uncompressed size rewritten to `size` (bytes) in both headers."""
    patched = bytearray(data)
    local, central = patched.find(b"PK\x03\x04"), patched.find(b"PK\x01\x02")
    assert patched[local + 30 : local + 30 + len(name)] == name
    assert patched[central + 46 : central + 46 + len(name)] == name
    struct.pack_into("<I", patched, local + 22, size)
    struct.pack_into("<I", patched, central + 24, size)
    return bytes(patched)


def test_an_inner_zip_understating_its_size_is_stopped_at_what_it_declared(
    tmp_path: Path, inner_zip: bytes
) -> None:
    # Declared under the cap, 40 MiB in truth: zipfile inflates no more than the declared 4 MiB and
    # the CRC then exposes the lie, so the cap holds for a liar too.
    path = tmp_path / "liar.zip"
    path.write_bytes(_declare(zip_bytes({INNER: inner_zip}), INNER.encode(), 4 * 2**20))
    ref = FileRef(str(path), (INNER, "run.gpx"))
    with pytest.raises(RejectedFileError) as caught:
        peak_growth(lambda: read_ref(ref, Limits(max_nested_bytes=8 * 2**20)))
    assert caught.value.reason == f"corrupt zip member: Bad CRC-32 for file '{INNER}'"


def test_a_member_read_from_a_zip_is_held_once(tmp_path: Path) -> None:
    size = 24 * 2**20  # bytes, under the 64 MiB limit for one activity file
    path = tmp_path / "big.zip"
    path.write_bytes(zip_bytes({"big.gpx": filler(size)}))
    data, grew = peak_growth(lambda: read_ref(FileRef(str(path), ("big.gpx",))))
    assert len(data) == size
    assert grew < 1.5 * size  # a copy made on the way out would need twice the size
