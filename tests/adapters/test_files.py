"""Writing several output files at once: whole or not at all, never over a file without --force."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ironmile.adapters.files import write_atomic, write_folder
from ironmile.domain.errors import FileAccessError, OutputExistsError

FILES: dict[str, str | bytes] = {"a.fit": b"\x0e\x10", "README.txt": "copy these\n"}


def test_a_new_folder_appears_with_every_file(tmp_path: Path) -> None:
    write_folder(tmp_path / "watch", FILES)
    assert (tmp_path / "watch" / "a.fit").read_bytes() == b"\x0e\x10"
    assert (tmp_path / "watch" / "README.txt").read_text() == "copy these\n"
    assert sorted(os.listdir(tmp_path)) == ["watch"]  # no staging folder left behind


def test_an_existing_folder_gets_the_files_beside_its_own(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    write_folder(tmp_path, FILES)
    assert sorted(os.listdir(tmp_path)) == ["README.txt", "a.fit", "keep.txt"]


def test_existing_files_are_refused_without_force_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "README.txt").write_text("old")
    with pytest.raises(OutputExistsError, match=r"README\.txt.*--force"):
        write_folder(tmp_path, FILES)
    assert (tmp_path / "README.txt").read_text() == "old"
    assert not (tmp_path / "a.fit").exists()
    write_folder(tmp_path, FILES, force=True)
    assert (tmp_path / "README.txt").read_text() == "copy these\n"


def test_a_file_where_the_folder_should_be_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "watch").write_text("a file")
    with pytest.raises(FileAccessError, match="is a file; give a folder"):
        write_folder(tmp_path / "watch", FILES)


def test_an_unwritable_place_is_bad_input_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileAccessError, match="cannot write here"):
        write_folder(tmp_path / "missing" / "watch", FILES)
    assert not (tmp_path / "missing").exists()


def test_outputs_get_ordinary_permissions_not_private_ones(tmp_path: Path) -> None:
    """A calendar file published by a web server must be readable by it: mode 0666 less the umask."""
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "plan.ics", "BEGIN:VCALENDAR\r\n")
        write_folder(tmp_path / "watch", FILES)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "plan.ics").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "watch").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "watch" / "a.fit").stat().st_mode) == 0o644


def test_forcing_a_folder_removes_stale_outputs_of_the_same_kind_only(tmp_path: Path) -> None:
    (tmp_path / "2026-12-08-strength.fit").write_bytes(b"old")
    (tmp_path / "notes.txt").write_text("mine")
    write_folder(tmp_path, {"2026-12-09-strength.fit": b"new"}, force=True, replaces="*-strength*.fit")
    assert sorted(os.listdir(tmp_path)) == ["2026-12-09-strength.fit", "notes.txt"]


def test_a_folder_where_a_file_should_be_is_named_before_force_is_suggested(tmp_path: Path) -> None:
    (tmp_path / "plan.pdf").mkdir()
    with pytest.raises(FileAccessError, match="is a folder; give a file name"):
        write_atomic(tmp_path / "plan.pdf", b"%PDF")


def test_an_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the data is being flushed to disk (fault injected at fsync)."""

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "plan.pdf", b"%PDF")
    assert os.listdir(tmp_path) == []
