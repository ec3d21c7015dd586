"""Turning the PATHs a user names into import items: activity files, and the summaries that the
Strava and Garmin Connect exports keep in their own tables.

Accepted: FIT/GPX/TCX files (plain or .gz), folders (recursive), zips of those (zips inside zips
too), a Strava bulk export (zip or folder: `activities.csv` + `activities/`), a bare
`activities.csv`, and a Garmin Connect export (zip or folder: `DI_CONNECT/…`). Inside a recognised
export every other file (media, profile.csv, routes…) is ignored silently; anywhere else a file of
another type is a Rejection. Hidden files (`.DS_Store`, `__MACOSX/`) are always ignored.

Nothing is decompressed here but the export tables and zips inside zips (only their listing is
needed); the activity files are read later, one by one, with `archive.read_ref`.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ironmile.adapters.importers.archive import (
    DEFAULT_LIMITS,
    FileRef,
    Limits,
    Refused,
    Rejection,
    base_name,
    check_declared,
    kind_of,
    open_nested,
    open_zip,
    read_member,
    read_plain,
    regular_file_size,
    too_large,
    unsafe_reason,
)
from ironmile.adapters.importers.garmin_connect import read_summarized_activities
from ironmile.adapters.importers.strava import read_activities_csv
from ironmile.domain.activity import Activity

__all__ = ["Discovery", "FileRef", "ImportItem", "Limits", "Rejection", "discover"]

STRAVA_TABLE = "activities.csv"
STRAVA_FILES = "activities/"
GARMIN_ROOT = "di_connect"
GARMIN_TABLE = "summarizedactivities"  # in `<email>_0_summarizedActivities.json`, case-folded
GARMIN_UPLOADS = ("di-connect-uploaded-files", "di-connect-fitness-uploaded-files")  # newer, older
IGNORED = ("__macosx", "thumbs.db", "desktop.ini")
EXPECTED = (
    "expected .fit, .gpx or .tcx (optionally .gz), a .zip of them, a Strava activities.csv or a "
    "Garmin summarizedActivities .json"
)


@dataclass(frozen=True, slots=True)
class ImportItem:
    ref: FileRef | None  # the activity file; None for a summary-only row (a manual activity)
    summary: Activity | None  # what the export's own table says (Strava row, Garmin JSON entry)


@dataclass(frozen=True, slots=True)
class Discovery:
    items: tuple[ImportItem, ...]
    rejected: tuple[Rejection, ...]


def is_hidden(name: str) -> bool:
    return any(
        (part.startswith(".") and part not in (".", "..")) or part.casefold() in IGNORED
        for part in name.split("/")
    )


def clean_name(name: str) -> str:
    """A member name '/'-separated, without `./` steps (`.\\runs\\a.fit` -> `runs/a.fit`)."""
    return "/".join(part for part in name.replace("\\", "/").split("/") if part not in ("", "."))


# ------------------------------------------------------------------------------------------------
# Containers: a folder on disk or a zip, listed the same way
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str  # '/'-separated path inside the container
    ref: FileRef
    info: zipfile.ZipInfo | None = None  # for zip members


class _Folder:
    def __init__(self, root: str, limits: Limits, only: str | None = None) -> None:
        self.limits, self.entries, self.problems = limits, list[_Entry](), list[Rejection]()
        self.own_name = os.path.basename(root)  # a Garmin export unzipped by hand: `…/DI_CONNECT`
        if only is not None:
            self.entries.append(_Entry(only, FileRef(os.path.join(root, only))))
            return

        def unreadable(error: OSError) -> None:
            self.problems.append(Rejection(str(error.filename), f"cannot read the folder: {error.strerror}"))

        for folder, subfolders, files in os.walk(root, onerror=unreadable):
            subfolders.sort()
            relative = os.path.relpath(folder, root).replace(os.sep, "/")
            prefix = "" if relative == "." else relative + "/"
            for file in sorted(files):
                self.entries.append(_Entry(prefix + file, FileRef(os.path.join(folder, file))))

    def check(self, entry: _Entry) -> None:
        size = regular_file_size(entry.ref.path)
        if size > self.limits.max_file_bytes:
            raise Refused(too_large(size, self.limits))

    def read(self, entry: _Entry) -> bytes:
        return read_plain(entry.ref.path, self.limits)

    def open_nested(self, entry: _Entry, stack: contextlib.ExitStack) -> _Zip:
        raw = stack.enter_context(open(entry.ref.path, "rb"))  # noqa: SIM115 (the stack closes it)
        return _Zip(stack.enter_context(open_zip(raw, 0, self.limits)), entry.ref, 0, self.limits)


class _Zip:
    def __init__(self, archive: zipfile.ZipFile, ref: FileRef, depth: int, limits: Limits) -> None:
        self.archive, self.depth, self.limits, self.own_name = archive, depth, limits, ""
        self.entries, self.problems = list[_Entry](), list[Rejection]()
        infos = [info for info in archive.infolist() if not info.is_dir()]
        declared = sum(info.file_size for info in infos)
        if declared > limits.max_total_bytes:
            raise Refused(
                f"zip would decompress to {declared:,} bytes, more than the limit of "
                f"{limits.max_total_bytes:,} for one archive"
            )
        for info in sorted(infos, key=lambda info: info.filename):
            member = FileRef(ref.path, (*ref.members, info.filename))
            reason = unsafe_reason(info.filename)
            if reason:
                self.problems.append(Rejection(member.display, reason))
            else:
                self.entries.append(_Entry(clean_name(info.filename), member, info))

    def _info(self, entry: _Entry) -> zipfile.ZipInfo:
        assert entry.info is not None, "zip entries carry their ZipInfo"
        return entry.info

    def check(self, entry: _Entry) -> None:
        check_declared(self._info(entry), self.limits.max_file_bytes, self.limits)

    def read(self, entry: _Entry) -> bytes:
        return read_member(self.archive, self._info(entry), self.limits)

    def open_nested(self, entry: _Entry, stack: contextlib.ExitStack) -> _Zip:
        inner = open_nested(self.archive, self._info(entry), self.depth + 1, self.limits, stack)
        return _Zip(inner, entry.ref, self.depth + 1, self.limits)


_Container = _Folder | _Zip


def _under(container: _Container, prefix: str) -> Iterator[tuple[str, _Entry]]:
    """(name relative to `prefix`, entry) for every visible entry below `prefix`."""
    for entry in container.entries:
        if entry.name.startswith(prefix) and not is_hidden(entry.name[len(prefix) :]):
            yield entry.name[len(prefix) :], entry


_Tree = dict[str, tuple[list[_Entry], set[str]]]  # folder prefix -> (its files, its subfolder names)


def _tree(container: _Container) -> _Tree:
    """The folder structure of a container's visible entries, built in one pass."""
    tree: _Tree = {"": ([], set())}
    for relative, entry in _under(container, ""):
        parts = relative.split("/")
        for depth in range(len(parts) - 1):
            parent = "".join(part + "/" for part in parts[:depth])
            tree.setdefault(parent, ([], set()))[1].add(parts[depth])
        tree.setdefault("".join(part + "/" for part in parts[:-1]), ([], set()))[0].append(entry)
    return tree


# ------------------------------------------------------------------------------------------------
# Walking
# ------------------------------------------------------------------------------------------------


@dataclass
class _Walk:
    limits: Limits
    stack: contextlib.ExitStack
    files: dict[tuple[str, tuple[str, ...]], ImportItem] = field(default_factory=dict)
    summaries: dict[tuple[str, int], ImportItem] = field(default_factory=dict)
    rejected: dict[Rejection, None] = field(default_factory=dict)  # ordered, without repeats

    def reject(self, source: str, reason: str) -> None:
        self.rejected[Rejection(source, reason)] = None

    def add_file(self, ref: FileRef, summary: Activity | None = None) -> None:
        key = (ref.path, ref.members)
        if key not in self.files or summary is not None:  # the same file twice: keep its summary
            self.files[key] = ImportItem(ref, summary)

    def add_summary(self, summary: Activity, table: str, number: int) -> None:
        self.summaries[(table, number)] = ImportItem(None, summary)

    def allowed(self, container: _Container, entry: _Entry) -> bool:
        """Whether an activity file passes the size checks (a Rejection when it does not)."""
        try:
            container.check(entry)
        except Refused as refused:
            self.reject(entry.ref.display, refused.reason)
            return False
        except OSError as error:
            self.reject(entry.ref.display, f"cannot read the file: {error.strerror or error}")
            return False
        return True

    def accept(self, container: _Container, entry: _Entry) -> None:
        if self.allowed(container, entry):
            self.add_file(entry.ref)

    def read(self, container: _Container, entry: _Entry) -> bytes | None:
        """An export table's bytes, or None (and a Rejection) when it cannot be read."""
        try:
            return container.read(entry)
        except Refused as refused:
            self.reject(entry.ref.display, refused.reason)
        except OSError as error:
            self.reject(entry.ref.display, f"cannot read the file: {error.strerror or error}")
        return None

    def nested(self, container: _Container, entry: _Entry) -> _Zip | None:
        try:
            inner = container.open_nested(entry, self.stack)
        except Refused as refused:
            self.reject(entry.ref.display, refused.reason)
            return None
        for problem in inner.problems:
            self.reject(problem.source, problem.reason)
        return inner

    def given(self, path: str) -> None:
        """One PATH as the user typed it."""
        full = os.path.abspath(path)
        if not os.path.exists(full):
            self.reject(path, "no such file or folder")
        elif os.path.isdir(full):
            folder = _Folder(full, self.limits)
            for problem in folder.problems:
                self.reject(problem.source, problem.reason)
            self.scan(folder)
        elif base_name(full).lower().endswith(".csv"):
            parent, name = os.path.split(full)
            if name.lower() == STRAVA_TABLE and os.path.isdir(os.path.join(parent, "activities")):
                self.strava(_Folder(parent, self.limits), "", name)
            else:  # a bare table: summaries only, since the files are not there to join
                self.strava(_Folder(parent, self.limits, only=name), "", name, bare=True)
        else:
            parent, name = os.path.split(full)
            single = _Folder(parent, self.limits, only=name)
            self.plain(single, single.entries[0])

    def scan(self, container: _Container, prefix: str = "", tree: _Tree | None = None) -> None:
        """A folder (of a folder tree or a zip): an export root, or files and subfolders to walk."""
        tree = _tree(container) if tree is None else tree
        files, subfolders = tree.get(prefix, ([], set()))
        table = next((base_name(e.name) for e in files if base_name(e.name).lower() == STRAVA_TABLE), None)
        own_name = prefix.rstrip("/").rsplit("/", 1)[-1] if prefix else container.own_name
        if table:
            self.strava(container, prefix, table)
        elif GARMIN_ROOT in (own_name.lower(), *(sub.lower() for sub in subfolders)):
            self.garmin(container, prefix)
        else:
            for entry in files:
                self.plain(container, entry)
            for sub in sorted(subfolders):
                self.scan(container, prefix + sub + "/", tree)

    def plain(self, container: _Container, entry: _Entry) -> None:
        """A file outside any export: an activity, a zip to walk, a Garmin table, or a Rejection."""
        name = base_name(entry.name).lower()
        if kind_of(name):
            self.accept(container, entry)
        elif name.endswith(".zip"):
            inner = self.nested(container, entry)
            if inner is not None:
                self.scan(inner)
        elif name.endswith(".json") and GARMIN_TABLE in name:
            self.garmin_table(container, entry)
        else:
            suffix = "." + name.rsplit(".", 1)[-1] if "." in name else "(none)"
            self.reject(entry.ref.display, f"unknown file type {suffix}: {EXPECTED}")

    # --------------------------------------------------------------------------------------------
    # Strava: activities.csv joined with activities/ by the Filename column
    # --------------------------------------------------------------------------------------------

    def strava(self, container: _Container, prefix: str, table_name: str, bare: bool = False) -> None:
        table_entry = next(e for e in container.entries if e.name == prefix + table_name)
        available: dict[str, FileRef] = {}  # 'activities/123.fit.gz' -> its file
        refused: set[str] = set()
        for relative, entry in _under(container, prefix + STRAVA_FILES):
            if kind_of(relative) is None:
                self.reject(
                    entry.ref.display, f"unknown file type in the export's activities folder: {EXPECTED}"
                )
            elif self.allowed(container, entry):
                available[STRAVA_FILES + relative] = entry.ref
                continue
            refused.add(STRAVA_FILES + relative)
        data = self.read(container, table_entry)
        table = None if data is None else read_activities_csv(data, table_entry.ref.display)
        used: set[str] = set()
        for row in table.rows if table else ():
            name = _match(row.filename, available) if row.filename else None
            if name is not None:
                self.add_file(available[name], row.summary)
                used.add(name)
                continue
            self.add_summary(row.summary, table_entry.ref.display, row.row)
            if row.filename and not bare and _match(row.filename, refused) is None:
                missing = (
                    f"the CSV names {row.filename!r}, which is not in the export; kept the row's summary"
                )
                self.reject(row.summary.source, missing)
        for problem in table.rejected if table else ():
            self.reject(problem.source, problem.reason)
        for name, ref in available.items():
            if name not in used:
                self.add_file(ref)

    # --------------------------------------------------------------------------------------------
    # Garmin Connect: summarizedActivities tables, and uploaded files in nested zips
    # --------------------------------------------------------------------------------------------

    def garmin(self, container: _Container, prefix: str) -> None:
        for relative, entry in _under(container, prefix):
            folders = [part.lower() for part in relative.split("/")[:-1]]
            name = base_name(relative).lower()
            if name.endswith(".json") and GARMIN_TABLE in name:
                self.garmin_table(container, entry)
            elif any(folder in GARMIN_UPLOADS for folder in folders):
                self.uploads(container, entry)

    def uploads(self, container: _Container, entry: _Entry) -> None:
        """An uploaded file (the original FIT, named by upload id) or a zip of them; others ignored."""
        if kind_of(entry.name):
            self.accept(container, entry)
        elif entry.name.lower().endswith(".zip"):
            inner = self.nested(container, entry)
            if inner is not None:
                for _, member in _under(inner, ""):
                    self.uploads(inner, member)

    def garmin_table(self, container: _Container, entry: _Entry) -> None:
        data = self.read(container, entry)
        if data is None:
            return
        table = read_summarized_activities(data, entry.ref.display)
        for number, summary in enumerate(table.summaries, start=1):
            self.add_summary(summary, entry.ref.display, number)
        for problem in table.rejected:
            self.reject(problem.source, problem.reason)


def _match(filename: str, names: dict[str, FileRef] | set[str]) -> str | None:
    """The export's name for a `Filename` cell: as written, or with `.gz` added or dropped (people
    often gunzip an unzipped export's files)."""
    candidates = (filename, filename + ".gz", filename.removesuffix(".gz"))
    return next((name for name in candidates if name in names), None)


def discover(paths: Sequence[str], limits: Limits = DEFAULT_LIMITS) -> Discovery:
    """Every import item under `paths`, and every Rejection on the way; never raises for one bad
    file, row or path. Items come in a stable order: files by (path, member chain), then the
    summary-only items by table and row, so two runs over the same input agree."""
    with contextlib.ExitStack() as stack:
        walk = _Walk(limits, stack)
        for path in paths:
            try:
                walk.given(path)
            except Refused as refused:
                walk.reject(path, refused.reason)
            except OSError as error:
                walk.reject(path, f"cannot read: {error.strerror or error}")
    files = [walk.files[key] for key in sorted(walk.files)]
    summaries = [walk.summaries[key] for key in sorted(walk.summaries)]
    return Discovery(tuple(files + summaries), tuple(walk.rejected))
