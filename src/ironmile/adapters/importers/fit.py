"""FIT activity files (Garmin, COROS, Wahoo, Suunto, …) to activities.

`read_fit` is what the import's worker processes call for each decompressed FIT file. The fast
reader (`fit_reader`) checks the file and decodes the few messages an import needs; when it meets
an intact file laid out in a way it does not decode, fitdecode (`fit_fallback`) reads the whole file
instead. Corrupt files (CRC mismatch, truncation) are rejected before either decoder maps anything,
never handed to the fallback. The mapping to `Activity` (`fit_activity`) is the same for both.
"""

from __future__ import annotations

from dataclasses import dataclass

from ironmile.adapters.importers.fit_activity import activities_from
from ironmile.adapters.importers.fit_fallback import decode_parts
from ironmile.adapters.importers.fit_layout import FitNotUnderstood
from ironmile.adapters.importers.fit_reader import read_parts
from ironmile.domain.activity import Activity
from ironmile.domain.errors import RejectedFileError


@dataclass(frozen=True, slots=True)
class FitImport:
    activities: tuple[Activity, ...]
    used_fallback: bool  # True when the fast reader gave up and fitdecode decoded the file


def read_fit(data: bytes, *, source: str, file_hash: str) -> FitImport:
    """The activities in one FIT file (`data`: its whole decompressed bytes).

    Raises `RejectedFileError` naming what is wrong when the file is not an intact FIT activity
    file. `file_hash` becomes the fingerprint, with `#n` appended when the file holds several
    activities (the legs of a multisport session)."""
    try:
        parts = read_parts(data, source)
        used_fallback = False
    except FitNotUnderstood as unusual:
        try:
            parts = decode_parts(data, source)
        except RejectedFileError as failed:
            raise RejectedFileError(source, f"{failed.reason} (read in full because {unusual})") from None
        used_fallback = True
    return FitImport(activities_from(parts, source=source, file_hash=file_hash), used_fallback)
