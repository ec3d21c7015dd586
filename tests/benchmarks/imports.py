"""The import benchmark: a heavy user's Strava export (3,000 one-hour runs by default) imported end
to end into SQLite by `ironmile import`, against a fitdecode-based import of a sample of the same
files measured in the same run.

Templates are real modern-watch runs from the shared corpus (IRONMILE_TESTDATA, default
../shared/testdata); without it, the committed fenix 2 run. Each copy is shifted to its own day
and gzipped, as in a Strava export (tests/benchmarks/archive.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from tests.benchmarks.archive import build_export

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = (  # one-hour-ish runs from modern watches (FR955 + Stryd, FR935, FR735XT, fenix 3)
    "gc__Fr955v19.28andStryd.fit",
    "runalyze__FR735XT-with-performance-condition.fit",
    "runalyze__Fenix-3-with-runscribe-v1-38.fit",
    "fitparse__activity-small-fenix2-run.fit",
)
FALLBACK_TEMPLATE = (
    ROOT / "tests" / "fixtures" / "activities" / "fit" / "fitparse__activity-small-fenix2-run.fit"
)
SAMPLE = 60  # files imported both ways, one process each, for the per-file ratio


@dataclass(frozen=True)
class ImportFigures:
    runs: int
    megabytes: float  # decompressed FIT bytes
    wall_s: float
    peak_rss_mb: float  # the import's whole process tree, sampled every 20 ms
    fast_per_file_ms: float
    fitdecode_per_file_ms: float

    @property
    def per_second(self) -> float:
        return self.runs / self.wall_s

    @property
    def fitdecode_archive_s(self) -> float:
        """What the fitdecode path would take for the whole archive on both cores (perfect scaling)."""
        return self.fitdecode_per_file_ms / 1000 * self.runs / 2

    @property
    def speedup(self) -> float:
        return self.fitdecode_archive_s / self.wall_s


def templates() -> list[Path]:
    corpus = (
        Path(os.environ.get("IRONMILE_TESTDATA", ROOT.parent / "shared" / "testdata")) / "activities" / "fit"
    )
    found = [corpus / name for name in TEMPLATES if (corpus / name).is_file()]
    return found or [FALLBACK_TEMPLATE]


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (Linux /proc)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def _timed_import(folder: Path, database: Path) -> tuple[float, float, dict[str, object]]:
    command = [
        sys.executable,
        "-m",
        "ironmile",
        "import",
        str(folder),
        "--db",
        str(database),
        "--format",
        "json",
    ]
    peak = [0]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"import failed ({process.returncode}): {stderr}")
    return wall, peak[0] / 1024, json.loads(stdout)


def _per_file_ms(folder: Path, *, fitdecode: bool) -> float:
    """Median-free plain mean over the sample, in this process, one core: read, hash, parse."""
    from ironmile.adapters.importers import parse
    from ironmile.adapters.importers.archive import FileRef, Limits
    from ironmile.adapters.importers.fit_activity import activities_from
    from ironmile.adapters.importers.fit_fallback import decode_parts

    def fitdecode_reader(data: bytes, *, source: str, file_hash: str) -> tuple[tuple[object, ...], bool]:
        return activities_from(decode_parts(data, source), source=source, file_hash=file_hash), True

    files = sorted(folder.glob("activities/*.fit.gz"))[:SAMPLE]
    original = parse.PARSERS["fit"]
    parse.PARSERS["fit"] = fitdecode_reader if fitdecode else original  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        for path in files:
            result = parse.parse_file(FileRef(str(path)), Limits())
            assert result.activities, result.rejection
        return (time.perf_counter() - started) / len(files) * 1000
    finally:
        parse.PARSERS["fit"] = original


def run_import_benchmark(runs: int) -> ImportFigures:
    with tempfile.TemporaryDirectory(prefix="ironmile-bench-") as scratch:
        folder = Path(scratch) / "export"
        build_export(folder, templates(), runs, first_day=datetime(2017, 1, 2, tzinfo=UTC))
        megabytes = sum(len(_gunzip(path)) for path in folder.glob("activities/*.fit.gz")) / 1e6
        database = Path(scratch) / "bench.db"
        profile = ROOT / "examples" / "marathoner.toml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ironmile",
                "init",
                "-p",
                str(profile),
                "--db",
                str(database),
                "--date",
                date(2026, 11, 26).isoformat(),
            ],
            check=True,
            capture_output=True,
        )
        wall, peak, report = _timed_import(folder, database)
        if report["added"] != runs or report["rejected"]:
            raise RuntimeError(f"unexpected import result: {report}")
        fast = _per_file_ms(folder, fitdecode=False)
        slow = _per_file_ms(folder, fitdecode=True)
        return ImportFigures(runs, megabytes, wall, peak, fast, slow)


def _gunzip(path: Path) -> bytes:
    import gzip

    return gzip.decompress(path.read_bytes())
