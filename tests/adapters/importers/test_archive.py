"""Reading files, gzip and zips (nested too) safely: the bytes come back intact, and every hostile
or broken input is refused with a reason that names the fault: by `read_ref` when reading, by
`discover` (as a Rejection, the rest going on) when listing the inputs.

The archives are built in tmp_path. Their members are small made-up byte strings: this module
never parses FIT/GPX/TCX, it only moves bytes, so any content does.
"""

from __future__ import annotations

import gzip
import io
import os
import pickle
import struct
import zipfile
from pathlib import Path

import pytest

from ironmile.adapters.importers.archive import FileRef, Limits, clear_archive_cache, read_ref
from ironmile.adapters.importers.discovery import Rejection, discover
from ironmile.domain.errors import RejectedFileError

GPX = b'<?xml version="1.0"?><gpx version="1.1" creator="ironmile tests"><trk><trkseg/></trk></gpx>'
FIT = b"\x0e\x10\x98\x08\x00\x00\x00\x00.FIT\x00\x00"  # a 14-byte FIT header of an empty file


def make_zip(path: Path, members: dict[str, bytes], *, stored: bool = False) -> Path:
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 3, 1, 6, 0, 0)), data, compress_type=method)
    return path


def zip_bytes(members: dict[str, bytes], *, stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DEFAULTS = Limits()


def refused(ref: FileRef, limits: Limits = DEFAULTS) -> str:
    with pytest.raises(RejectedFileError) as caught:
        read_ref(ref, limits)
    assert caught.value.source == ref.display
    return caught.value.reason


# ------------------------------------------------------------------------------------------------
# FileRef
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("run.fit", "fit"),
        ("RUN.FIT.GZ", "fit"),
        ("activities/123.gpx.gz", "gpx"),
        ("a.b.tcx", "tcx"),
        ("notes.txt", None),
        ("run.fit.zip", None),
        ("fit", None),
        ("run.gz", None),
    ],
)
def test_kind_comes_from_the_name_ignoring_gz_and_case(name: str, kind: str | None) -> None:
    assert FileRef("/data/export.zip", (name,)).kind == kind
    assert FileRef(f"/data/{name}").kind == kind


def test_display_chains_members_after_the_path() -> None:
    ref = FileRef("/data/export.zip", ("DI_CONNECT/UploadedFiles_0.zip", "123.fit"))
    assert ref.display == "/data/export.zip!DI_CONNECT/UploadedFiles_0.zip!123.fit"
    assert FileRef("/data/run.gpx").display == "/data/run.gpx"


def test_file_refs_survive_pickling_for_worker_processes() -> None:
    ref = FileRef("/data/export.zip", ("activities/1.fit.gz",))
    assert pickle.loads(pickle.dumps(ref)) == ref


# ------------------------------------------------------------------------------------------------
# Reading intact files
# ------------------------------------------------------------------------------------------------


def test_reads_a_plain_file_and_a_gzipped_one(tmp_path: Path) -> None:
    (tmp_path / "run.gpx").write_bytes(GPX)
    (tmp_path / "run.fit.gz").write_bytes(gzip.compress(FIT))
    assert read_ref(FileRef(str(tmp_path / "run.gpx"))) == GPX
    assert read_ref(FileRef(str(tmp_path / "run.fit.gz"))) == FIT


def test_reads_concatenated_gzip_members_as_one_file(tmp_path: Path) -> None:
    (tmp_path / "run.gpx.gz").write_bytes(gzip.compress(GPX[:20]) + gzip.compress(GPX[20:]))
    assert read_ref(FileRef(str(tmp_path / "run.gpx.gz"))) == GPX


@pytest.mark.parametrize("stored", [False, True], ids=["deflated", "stored"])
def test_reads_zip_members_and_gzip_inside_zip(tmp_path: Path, stored: bool) -> None:
    path = make_zip(
        tmp_path / "export.zip", {"a/run.gpx": GPX, "a/1.fit.gz": gzip.compress(FIT)}, stored=stored
    )
    assert read_ref(FileRef(str(path), ("a/run.gpx",))) == GPX
    assert read_ref(FileRef(str(path), ("a/1.fit.gz",))) == FIT


@pytest.mark.parametrize("stored", [False, True], ids=["deflated", "stored"])
def test_reads_members_of_a_zip_inside_a_zip(tmp_path: Path, stored: bool) -> None:
    # Garmin's export holds its original FIT files in zips inside the export zip. A stored inner zip
    # is read in place; a compressed one is inflated once per process and reused.
    inner = zip_bytes({f"{n}.fit": FIT + bytes([n]) for n in range(5)})
    path = make_zip(tmp_path / "export.zip", {"DI_CONNECT/Up/UploadedFiles_0.zip": inner}, stored=stored)
    clear_archive_cache()
    for n in range(5):
        assert read_ref(FileRef(str(path), ("DI_CONNECT/Up/UploadedFiles_0.zip", f"{n}.fit"))) == FIT + bytes(
            [n]
        )
    clear_archive_cache()


# ------------------------------------------------------------------------------------------------
# Refusals, each with the reason a user reads
# ------------------------------------------------------------------------------------------------


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert refused(FileRef(str(tmp_path / "gone.fit"))) == "cannot read the file: No such file or directory"


def test_an_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    # A sparse 8 GiB file: reading it would take minutes and all memory; refusing it takes a stat.
    path = tmp_path / "huge.fit"
    with path.open("wb") as file:
        file.truncate(8 * 2**30)
    assert refused(FileRef(str(path))) == (
        "file is 8,589,934,592 bytes, more than the limit of 67,108,864 bytes for one activity file"
    )


@pytest.mark.parametrize("kept", ["half", "header", "magic", "first byte"])
def test_a_truncated_gzip_is_refused(tmp_path: Path, kept: str) -> None:
    whole = gzip.compress(GPX * 50)
    length = {"half": len(whole) // 2, "header": 10, "magic": 2, "first byte": 1}[kept]
    (tmp_path / "run.gpx.gz").write_bytes(whole[:length])
    assert refused(FileRef(str(tmp_path / "run.gpx.gz"))) == "gzip stream ends early (the file is truncated)"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (FIT, "not a gzip file (bad magic bytes: 0E 10 where a gzip file starts with 1F 8B)"),
        (GPX, "not a gzip file (bad magic bytes: 3C 3F where a gzip file starts with 1F 8B)"),
        (b"\x1f", "gzip stream ends early (the file is truncated)"),  # the magic's first byte: cut off
        (b"\x8b\x1f", "not a gzip file (bad magic bytes: 8B 1F where a gzip file starts with 1F 8B)"),
        (b"", "not a gzip file: the file is empty (0 bytes)"),
    ],
)
def test_a_file_that_is_not_gzip_is_refused_as_such_not_as_truncated(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    (tmp_path / "run.fit.gz").write_bytes(content)
    assert refused(FileRef(str(tmp_path / "run.fit.gz"))) == reason


def test_a_gzip_header_with_an_unknown_compression_method_is_refused_as_invalid(tmp_path: Path) -> None:
    # RFC 1952: byte 2 is the compression method, and 8 (deflate) is the only one defined.
    damaged = bytearray(gzip.compress(GPX))
    damaged[2] = 7
    (tmp_path / "run.gpx.gz").write_bytes(bytes(damaged))
    assert refused(FileRef(str(tmp_path / "run.gpx.gz"))) == (
        "not a valid gzip stream: Error -3 while decompressing data: unknown compression method"
    )


def test_a_gzip_bomb_is_refused_while_inflating(tmp_path: Path) -> None:
    (tmp_path / "bomb.fit.gz").write_bytes(gzip.compress(bytes(2**24)))  # 16 MiB of zeros in ~16 KB
    reason = refused(FileRef(str(tmp_path / "bomb.fit.gz")))
    assert reason.startswith("decompresses to more than 100 × its compressed size of ")


def test_a_zip_bomb_member_is_refused_while_inflating(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "bomb.zip", {"bomb.fit": bytes(2**24)})
    reason = refused(FileRef(str(path), ("bomb.fit",)))
    assert reason.startswith("decompresses to more than 100 × its compressed size of ")
    assert reason.endswith(" bytes (a zip bomb?)")


def test_a_member_past_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "big.zip", {"big.gpx": GPX * 40})
    assert refused(FileRef(str(path), ("big.gpx",)), Limits(max_file_bytes=1000, max_ratio=1e9)) == (
        "decompresses to more than 1,000 bytes (the limit for one file)"
    )


def _lie_about_size(data: bytes, name: bytes, declared: int) -> bytes:
    """The zip with `name`'s uncompressed size rewritten to `declared` in both headers."""
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04")
    central = patched.find(b"PK\x01\x02")
    assert patched[local + 30 : local + 30 + len(name)] == name
    struct.pack_into("<I", patched, local + 22, declared)
    assert patched[central + 46 : central + 46 + len(name)] == name
    struct.pack_into("<I", patched, central + 24, declared)
    return bytes(patched)


def test_a_member_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    # A bomb that declares 1 KB: reading stops at the declared size and the CRC exposes the lie.
    path = tmp_path / "liar.zip"
    path.write_bytes(_lie_about_size(zip_bytes({"run.fit": bytes(2**22)}), b"run.fit", 1000))
    assert refused(FileRef(str(path), ("run.fit",))) == "corrupt zip member: Bad CRC-32 for file 'run.fit'"


def test_a_corrupt_zip_is_refused(tmp_path: Path) -> None:
    (tmp_path / "junk.zip").write_bytes(b"this is not a zip archive" * 10)
    assert refused(FileRef(str(tmp_path / "junk.zip"), ("run.fit",))) == (
        "not a zip file: no end-of-archive record (truncated or not a zip)"
    )


def test_a_truncated_zip_is_refused(tmp_path: Path) -> None:
    whole = zip_bytes({"run.gpx": GPX * 100, "b.gpx": GPX})
    (tmp_path / "cut.zip").write_bytes(whole[: len(whole) // 2])
    assert refused(FileRef(str(tmp_path / "cut.zip"), ("run.gpx",))).startswith("not a zip file: ")


def test_a_zip_with_too_many_members_is_refused(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "many.zip", {f"{n}.gpx": GPX for n in range(6)})
    assert refused(FileRef(str(path), ("0.gpx",)), Limits(max_members=5)) == (
        "zip has 6 entries, more than the limit of 5"
    )


def test_zips_nested_deeper_than_the_limit_are_refused(tmp_path: Path) -> None:
    deepest = zip_bytes({"run.fit": FIT})
    for depth in (3, 2):
        deepest = zip_bytes({f"level{depth}.zip": deepest})
    path = make_zip(tmp_path / "outer.zip", {"level1.zip": deepest})
    ref = FileRef(str(path), ("level1.zip", "level2.zip", "level3.zip", "run.fit"))
    assert refused(ref) == "zip nested 3 deep inside other zips, more than the limit of 2"
    assert read_ref(ref, Limits(max_depth=3)) == FIT


@pytest.mark.parametrize("name", ["../evil.zip", "/etc/evil.zip", "..\\evil.zip", "C:/evil.zip"])
def test_an_unsafe_member_name_in_the_chain_is_refused(tmp_path: Path, name: str) -> None:
    path = make_zip(tmp_path / "export.zip", {name: zip_bytes({"run.fit": FIT})})
    assert refused(FileRef(str(path), (name, "run.fit"))).startswith(f"unsafe path in zip: {name!r}")


def test_an_encrypted_member_is_refused(tmp_path: Path) -> None:
    # zipfile cannot write encrypted members: set the "encrypted" flag bit in both headers instead.
    data = bytearray(zip_bytes({"run.fit": FIT}))
    data[data.find(b"PK\x03\x04") + 6] |= 0x1
    data[data.find(b"PK\x01\x02") + 8] |= 0x1
    (tmp_path / "locked.zip").write_bytes(bytes(data))
    assert refused(FileRef(str(tmp_path / "locked.zip"), ("run.fit",))) == (
        "zip member is encrypted (password protected)"
    )


def test_a_member_missing_from_the_zip_is_refused(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "export.zip", {"a.gpx": GPX})
    assert refused(FileRef(str(path), ("b.gpx",))).startswith("no member 'b.gpx' in the zip")


def _zip64(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int) -> Path:
    """A zip whose entry count only the zip64 end record holds (0xFFFF in the classic one), as
    writers do past 65,535 entries; zipfile is made to write the zip64 records for a few."""
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 2)
    data = bytearray(zip_bytes({f"{n}.gpx": GPX for n in range(count)}))
    monkeypatch.undo()
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 0xFFFF, 0xFFFF)
    path = tmp_path / "big.zip"
    path.write_bytes(bytes(data))
    return path


def test_the_member_count_of_a_zip64_archive_is_read_from_its_zip64_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _zip64(tmp_path, monkeypatch, 6)
    assert read_ref(FileRef(str(path), ("5.gpx",))) == GPX
    assert refused(FileRef(str(path), ("0.gpx",)), Limits(max_members=5)) == (
        "zip has 6 entries, more than the limit of 5"
    )


def test_a_zip_understating_its_member_count_is_still_refused(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({f"{n}.gpx": GPX for n in range(6)}))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 1, 1)
    (tmp_path / "liar.zip").write_bytes(bytes(data))
    assert refused(FileRef(str(tmp_path / "liar.zip"), ("0.gpx",)), Limits(max_members=5)) == (
        "zip has more than 5 entries (the limit)"
    )


def test_an_unsupported_compression_method_is_refused(tmp_path: Path) -> None:
    # Method 9 (Deflate64, written by Windows Explorer for large files) is not in zipfile.
    data = bytearray(zip_bytes({"run.fit": FIT * 10}))
    struct.pack_into("<H", data, data.find(b"PK\x03\x04") + 8, 9)
    struct.pack_into("<H", data, data.find(b"PK\x01\x02") + 10, 9)
    (tmp_path / "d64.zip").write_bytes(bytes(data))
    assert refused(FileRef(str(tmp_path / "d64.zip"), ("run.fit",))).startswith(
        "zip member uses an unsupported compression: "
    )


def test_a_pipe_is_refused_rather_than_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "run.fit")  # reading a FIFO nobody writes to would block forever
    assert refused(FileRef(str(tmp_path / "run.fit"))) == "not a regular file (a device, pipe or socket)"


# ------------------------------------------------------------------------------------------------
# The same refusals while listing inputs: discover rejects the entry and goes on with the rest
# ------------------------------------------------------------------------------------------------


def test_a_corrupt_zip_among_good_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.fit").write_bytes(b"a")
    (root / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    found = discover([str(root)])
    assert [item.ref.path for item in found.items if item.ref] == [str(root / "good.fit")]
    assert [problem.reason for problem in found.rejected] == [
        "not a zip file: no end-of-archive record (truncated or not a zip)"
    ]


@pytest.mark.parametrize("member", ["../evil.fit", "/etc/evil.fit", "..\\evil.fit", "C:/evil.fit"])
def test_unsafe_member_names_are_rejected(tmp_path: Path, member: str) -> None:
    path = tmp_path / "trap.zip"
    path.write_bytes(zip_bytes({member: b"x", "ok.fit": b"ok"}))
    found = discover([str(path)])
    assert [item.ref.members for item in found.items if item.ref] == [("ok.fit",)]
    [problem] = found.rejected
    assert problem.source == f"{path}!{member}"
    assert problem.reason.startswith(f"unsafe path in zip: {member!r}")


def test_a_zip_bomb_member_is_rejected_by_its_declared_sizes(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(zip_bytes({"bomb.fit": bytes(2**24), "ok.gpx": b"<gpx/>"}))
    found = discover([str(path)])
    assert [item.ref.members for item in found.items if item.ref] == [("ok.gpx",)]
    [problem] = found.rejected
    assert problem.reason.startswith("decompresses to more than 100 × its compressed size of ")


def test_zips_nested_too_deep_are_rejected(tmp_path: Path) -> None:
    inner = zip_bytes({"run.fit": b"x"})
    for level in (3, 2, 1):
        inner = zip_bytes({f"level{level}.zip": inner, f"at{level}.fit": b"x"})
    (tmp_path / "outer.zip").write_bytes(inner)
    found = discover([str(tmp_path / "outer.zip")])
    assert [item.ref.members[-1] for item in found.items if item.ref] == ["at1.fit", "at2.fit", "at3.fit"]
    [problem] = found.rejected
    assert problem.source.endswith("!level1.zip!level2.zip!level3.zip")
    assert problem.reason == "zip nested 3 deep inside other zips, more than the limit of 2"


def test_a_zip_with_too_many_members_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "many.zip").write_bytes(zip_bytes({f"{n}.fit": b"x" for n in range(11)}))
    found = discover([str(tmp_path / "many.zip")], Limits(max_members=10))
    assert found.items == ()
    assert [problem.reason for problem in found.rejected] == ["zip has 11 entries, more than the limit of 10"]


def test_a_zip_declaring_more_than_the_total_limit_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "big.zip").write_bytes(zip_bytes({"a.gpx": b"a" * 600, "b.gpx": b"b" * 600}))
    found = discover([str(tmp_path / "big.zip")], Limits(max_total_bytes=1000))
    assert [problem.reason for problem in found.rejected] == [
        "zip would decompress to 1,200 bytes, more than the limit of 1,000 for one archive"
    ]


def test_an_oversized_file_in_a_folder_is_rejected_without_reading_it(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "ok.fit").write_bytes(b"x")
    with (root / "huge.fit").open("wb") as file:
        file.truncate(2**36)  # a sparse 64 GiB file
    found = discover([str(root)])
    assert [item.ref.path for item in found.items if item.ref] == [str(root / "ok.fit")]
    assert found.rejected == (
        Rejection(
            str(root / "huge.fit"),
            "file is 68,719,476,736 bytes, more than the limit of 67,108,864 bytes for one activity file",
        ),
    )
