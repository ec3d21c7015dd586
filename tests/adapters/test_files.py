"""Writing several output files at once: whole or not at all, never over a file without --force."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ironmile.adapters.files import write_folder
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
