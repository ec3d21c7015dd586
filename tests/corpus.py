"""Real activity files for the importer tests: the committed fixtures, plus the whole shared corpus
when `IRONMILE_TESTDATA` points at it (`.ci/run` sets it).

Both places describe their files in the same Markdown table (`| file | bytes | role | source path |
what it is | parsed facts |`): the shared corpus in `activities/MANIFEST.md`, the fixtures in
`tests/fixtures/activities/<kind>/PROVENANCE.md`. Roles: `ok` (a valid activity), `edge` (valid but
unusual: not an activity, no records, route only…), `bad` (corrupt or truncated: must be rejected).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "activities"
_ROW = re.compile(
    r"^\|\s*`(?P<file>[^`]+)`\s*\|\s*(?P<bytes>\d+)\s*\|\s*(?P<role>ok|edge|bad)\s*\|(?P<rest>.*)\|\s*$"
)


@dataclass(frozen=True, slots=True)
class CorpusFile:
    path: Path
    role: str  # ok | edge | bad
    facts: str  # the table's "what it is" and "parsed facts" columns, for messages

    @property
    def id(self) -> str:
        return self.path.name


def _rows(table: Path, folder: Path) -> list[CorpusFile]:
    files = []
    for line in table.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match and (folder / match["file"]).is_file():
            files.append(CorpusFile(folder / match["file"], match["role"], match["rest"].strip()))
    return files


def shared_testdata() -> Path | None:
    """The shared corpus's root (holding `activities/`), or None when the variable is unset. Set to a
    folder without the corpus, it is a mistake worth stopping for, not a reason to test less."""
    root = os.environ.get("IRONMILE_TESTDATA")
    if not root:
        return None
    if not (Path(root) / "activities" / "MANIFEST.md").is_file():
        raise FileNotFoundError(f"IRONMILE_TESTDATA={root} holds no activities/MANIFEST.md")
    return Path(root)


def corpus(kind: str) -> list[CorpusFile]:
    """Every known file of one kind (fit, gpx, tcx, strava): fixtures first, then the shared corpus
    (a file present in both is listed once). Never empty: the fixtures are committed."""
    files = _rows(FIXTURES / kind / "PROVENANCE.md", FIXTURES / kind)
    root = shared_testdata()
    if root is not None:
        shared = root / "activities"
        seen = {f.path.name for f in files}
        files += [f for f in _rows(shared / "MANIFEST.md", shared / kind) if f.path.name not in seen]
    return files
