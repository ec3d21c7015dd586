"""Uploading a running history: activity files and export zips in, a report of what was added out.

The upload is written to a temporary folder in chunks (Starlette spools each part to disk past
1 MB; it is copied on in 1 MB chunks, never read whole), imported by `services.importing` like
`ironmile import` does, and the folder is deleted, whatever happened. The body's size is capped by
`IRONMILE_MAX_UPLOAD_MB` before any of this (web/limits.py: 413), and what its archives may unpack
to is capped relative to that (`services.importing.upload_limits`). Files of another type, and
empty files, refuse the whole upload (422, each file named) before anything is imported; a file
that turns out to be corrupt is reported and skipped, and the rest of the batch imports.

Files are read in this process (`workers=1`), in a worker thread: a process pool per request
would take both cores of a small server from every other user for the length of an import, and
an upload of a few files would spend more time starting workers than parsing.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.importers.archive import Limits
from ironmile.domain.activity import Sport
from ironmile.domain.errors import FieldProblem, InputError, ProfileError
from ironmile.services.importing import import_activities, upload_limits
from ironmile.web.api.schemas import ERRORS, Problem
from ironmile.web.deps import AthleteId, State, Today, Uow

router = APIRouter(tags=["imports"], responses=ERRORS)

CHUNK_BYTES = 1024 * 1024
MAX_FILES = 1000  # parts per upload (Starlette's default); more files go in a zip
MAX_NAME_CHARS = 120
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz", ".zip")
EXPECTED = (
    "expected .fit, .gpx or .tcx files (optionally .gz), or a .zip of them such as a Strava or Garmin export"
)
SPORTS = tuple(sport for sport in Sport if sport is not Sport.OTHER)
_UNSAFE = re.compile(r"[^\w .()+-]")


@dataclass(frozen=True, slots=True)
class RejectedUpload:
    file: str  # as uploaded; a file inside a zip as `export.zip!activities/123.fit.gz`
    reason: str


@dataclass(frozen=True, slots=True)
class UploadResult:
    added: int  # activities stored
    duplicates: int  # activities already stored (or twice in the upload), skipped
    files: int  # activity files read, zip members included
    rejected: tuple[RejectedUpload, ...]
    unknown_sport: int  # of the added activities, those whose files name no sport ("other")
    uploads: tuple[str, ...]  # the names of the files uploaded


class RejectedPublic(BaseModel):
    file: str
    reason: str


class ImportPublic(BaseModel):
    added: int
    duplicates: int
    files: int
    rejected: list[RejectedPublic]
    unknown_sport: int
    uploads: list[str]

    @classmethod
    def of(cls, result: UploadResult) -> ImportPublic:
        return cls(
            added=result.added,
            duplicates=result.duplicates,
            files=result.files,
            rejected=[RejectedPublic(file=r.file, reason=r.reason) for r in result.rejected],
            unknown_sport=result.unknown_sport,
            uploads=list(result.uploads),
        )


def uploaded_name(upload: UploadFile) -> str:
    """The file's own name, without any folders the browser sent along."""
    return (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()


def _stored_name(name: str, index: int) -> str:
    """A name safe to create in the temporary folder: no path, no hidden file (the importer skips
    those), no control characters; the type suffix kept."""
    safe = _UNSAFE.sub("_", name).lstrip(". ")
    if len(safe) > MAX_NAME_CHARS:
        suffix = next(s for s in ACTIVITY_SUFFIXES if safe.lower().endswith(s))
        safe = safe[: MAX_NAME_CHARS - len(suffix)] + suffix
    return safe if "." in safe else f"upload-{index}{name[name.rfind('.') :]}"


def chosen_sport(value: str) -> Sport | None:
    if not value:
        return None
    if value not in {s.value for s in SPORTS}:
        names = ", ".join(s.value for s in SPORTS)
        raise ProfileError([FieldProblem("sport", f"{value!r} is not a sport ironmile knows ({names})")])
    return Sport(value)


def checked_uploads(form: FormData) -> list[UploadFile]:
    """The uploaded files, refused together (field `files`) when none was chosen, or any is empty
    or of another type, so that nothing is imported from an upload the user has to redo."""
    uploads = [value for value in form.getlist("files") if isinstance(value, UploadFile)]
    chosen = [u for u in uploads if uploaded_name(u) or u.size]
    if not chosen:
        raise ProfileError([FieldProblem("files", f"choose at least one file: {EXPECTED}")])
    problems = []
    for upload in chosen:
        name = uploaded_name(upload) or "a file without a name"
        if not name.lower().endswith(ACTIVITY_SUFFIXES):
            problems.append(f"{name} is not an activity file or a zip")
        elif upload.size == 0:
            problems.append(f"{name} is empty (0 bytes)")
    if problems:
        raise ProfileError([FieldProblem("files", "; ".join(problems) + f"; {EXPECTED}")])
    return chosen


def _import(
    uow: UnitOfWork,
    uploads: list[UploadFile],
    *,
    today: date,
    athlete_id: int,
    sport: Sport | None,
    limits: Limits,
) -> UploadResult:
    """Save, import, delete: runs in a worker thread (file copies and parsing block)."""
    folder = Path(tempfile.mkdtemp(prefix="ironmile-upload-")).resolve()
    local = re.compile(re.escape(str(folder)) + r"[/\\]\d+[/\\]")

    def shown(text: str) -> str:
        return local.sub("", text).replace(str(folder), "upload")

    try:
        paths = []
        for index, upload in enumerate(uploads):
            target = folder / str(index) / _stored_name(uploaded_name(upload), index)
            target.parent.mkdir()
            upload.file.seek(0)
            with target.open("wb") as out:
                shutil.copyfileobj(upload.file, out, CHUNK_BYTES)
            paths.append(str(target))
        try:
            report = import_activities(
                uow, paths, today=today, workers=1, sport=sport, athlete_id=athlete_id, limits=limits
            )
        except InputError as error:
            raise ProfileError([FieldProblem("files", shown(str(error)))]) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return UploadResult(
        added=report.added,
        duplicates=report.duplicates,
        files=report.files,
        rejected=tuple(RejectedUpload(shown(r.file), shown(r.reason)) for r in report.rejected),
        unknown_sport=report.unknown_sport,
        uploads=tuple(uploaded_name(u) for u in uploads),
    )


async def close_form_afterwards(request: Request) -> AsyncIterator[None]:
    """Close the upload's spooled files when the request ends, however it ends: the CSRF check
    reads a form-posted upload before the sign-in check may refuse it, and nothing else closes them."""
    try:
        yield
    finally:
        await request.close()


async def receive_upload(
    form: FormData, *, uow: UnitOfWork, today: date, athlete_id: int, sport: str, max_upload_bytes: int
) -> UploadResult:
    """Check the upload, then import it off the event loop, its archives held to the limits for an
    upload of `max_upload_bytes` (bytes). Raises ProfileError naming each field at fault (both,
    when both are)."""
    problems: list[FieldProblem] = []
    chosen: Sport | None = None
    uploads: list[UploadFile] = []
    try:
        chosen = chosen_sport(sport)
    except ProfileError as error:
        problems.extend(error.problems)
    try:
        uploads = checked_uploads(form)
    except ProfileError as error:
        problems.extend(error.problems)
    if problems:
        raise ProfileError(problems)
    limits = upload_limits(max_upload_bytes)
    return await run_in_threadpool(
        _import, uow, uploads, today=today, athlete_id=athlete_id, sport=chosen, limits=limits
    )


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": EXPECTED,
                        },
                        "sport": {
                            "type": "string",
                            "enum": ["", *(s.value for s in SPORTS)],
                            "description": "the sport of activities whose files do not say (a GPX "
                            "without a type); empty: kept as 'other', not counted as runs",
                        },
                    },
                }
            }
        },
    }
}


@router.post(
    "/imports",
    response_model=ImportPublic,
    openapi_extra=UPLOAD_BODY,
    dependencies=[Depends(close_form_afterwards)],
    responses={413: {"model": Problem, "description": "larger than IRONMILE_MAX_UPLOAD_MB"}},
)
async def create_import(
    request: Request, state: State, uow: Uow, today: Today, athlete_id: AthleteId
) -> ImportPublic:
    """Import activity files (multipart field `files`, repeated): FIT, GPX or TCX (optionally .gz),
    zips of them, Strava or Garmin Connect export zips. Activities already stored count as
    duplicates; each file that cannot be read is listed in `rejected` and the rest are imported."""
    form = await request.form(max_files=MAX_FILES)
    sport = str(form.get("sport") or "").strip()
    result = await receive_upload(
        form,
        uow=uow,
        today=today,
        athlete_id=athlete_id,
        sport=sport,
        max_upload_bytes=state.settings.max_upload_bytes,
    )
    return ImportPublic.of(result)
