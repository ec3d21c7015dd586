"""Reading archives from several threads at once, as the web app's imports do: each thread keeps
its own open zip, so one import never closes the zip another is reading."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

from ironmile.adapters.importers.archive import FileRef, clear_archive_cache, read_ref

MEMBERS = 300  # enough reads that the two threads interleave many times


def _export(path: Path, marker: bytes) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(MEMBERS):
            archive.writestr(f"{index}.gpx", b"<gpx>" + marker * 2000 + b"</gpx>")


def test_two_threads_reading_two_archives_each_read_their_own(tmp_path: Path) -> None:
    for name, marker in (("a.zip", b"A"), ("b.zip", b"B")):
        _export(tmp_path / name, marker)
    problems: list[str] = []

    def read_all(name: str, marker: bytes) -> None:
        try:
            for index in range(MEMBERS):
                content = read_ref(FileRef(str(tmp_path / name), (f"{index}.gpx",)))
                if marker * 2000 not in content:
                    problems.append(f"{name}!{index}.gpx came back with the other archive's content")
        except Exception as error:  # reported below; a thread's exception would be lost otherwise
            problems.append(f"{name}: {type(error).__name__}: {error}")
        finally:
            clear_archive_cache()

    threads = [threading.Thread(target=read_all, args=args) for args in (("a.zip", b"A"), ("b.zip", b"B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert problems == []
