"""Reading the user's files and writing outputs atomically (temporary file, then rename)."""

from __future__ import annotations

import os
import tempfile
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


def write_atomic(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Write `data` to `path` whole or not at all; refuse to replace a file unless `force`."""
    if path.exists() and not force:
        raise OutputExistsError(str(path))
    if path.is_dir():
        raise FileAccessError(str(path), "is a folder; give a file name")
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
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise FileAccessError(str(path), f"cannot write: {error.strerror or error}") from None
