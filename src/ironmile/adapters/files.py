"""Reading the user's files and writing outputs atomically (temporary file, then rename)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ironmile.domain.errors import FileAccessError, OutputExistsError


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileAccessError(str(path), "no such file") from None
    except IsADirectoryError:
        raise FileAccessError(str(path), "is a folder, not a file") from None
    except UnicodeDecodeError as error:
        raise FileAccessError(str(path), f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise FileAccessError(str(path), error.strerror or str(error)) from None


def _read_umask() -> int:
    # os.umask can only be read by setting it; done once, at import, before any thread could race it
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def write_atomic(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Write `data` to `path` whole or not at all; refuse to replace a file unless `force`. The file
    gets the permissions a plain `open()` would give it (mkstemp's are private to the owner)."""
    if path.is_dir():
        raise FileAccessError(str(path), "is a folder; give a file name")
    if path.exists() and not force:
        raise OutputExistsError(str(path))
    directory = path.parent if str(path.parent) else Path(".")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise FileAccessError(str(path), f"cannot write here: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except OSError as error:
        raise FileAccessError(str(path), f"cannot write: {error.strerror or error}") from None
    finally:  # also on Ctrl-C: no temporary file is left behind
        Path(temporary).unlink(missing_ok=True)


def write_folder(
    directory: Path, files: Mapping[str, str | bytes], *, force: bool = False, replaces: str | None = None
) -> None:
    """Write several files into `directory` (created if missing) whole or not at all.

    Every file is written into a temporary folder beside `directory` first; a new folder is then
    renamed into place in one step, and into an existing folder each file is renamed in turn. An
    existing file of the same name is refused (listing them all) unless `force`. With `force`,
    files matching the glob `replaces` that the new set does not hold are removed: they are left
    over from an earlier export (a workout on a day that no longer has one)."""
    if directory.exists() and not directory.is_dir():
        raise FileAccessError(str(directory), "is a file; give a folder for these outputs")
    clashes = sorted(name for name in files if (directory / name).exists())
    if clashes and not force:
        shown = ", ".join(clashes[:3]) + (f" and {len(clashes) - 3} more" if len(clashes) > 3 else "")
        raise OutputExistsError(f"{directory}/ ({shown})")
    parent = directory.parent if str(directory.parent) else Path(".")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".tmp", dir=parent))
    except OSError as error:
        raise FileAccessError(str(directory), f"cannot write here: {error.strerror or error}") from None
    try:
        staging.chmod(0o777 & ~_UMASK)
        for name, data in files.items():
            payload = data.encode("utf-8") if isinstance(data, str) else data
            (staging / name).write_bytes(payload)
        if not directory.exists():
            staging.rename(directory)
            return
        for name in files:
            os.replace(staging / name, directory / name)
        if force and replaces is not None:
            for stale in directory.glob(replaces):
                if stale.name not in files:
                    stale.unlink()
    except OSError as error:
        raise FileAccessError(str(directory), f"cannot write: {error.strerror or error}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
