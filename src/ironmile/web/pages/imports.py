"""The import page: choose activity files or an export zip, watch the upload's progress, read what
was added, what was already there and which files could not be read (and why).

Without JavaScript the form posts and the whole page comes back with the result; upload.js sends
the same form with XMLHttpRequest (for the progress bar) and gets only the panel back
(`X-Requested-With: XMLHttpRequest`), which it puts in place of the old one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ironmile.domain.errors import InputError
from ironmile.domain.running_report import RunningReport
from ironmile.domain.units import display_from_m
from ironmile.services.running import running_report
from ironmile.web.api.imports import (
    ACTIVITY_SUFFIXES,
    MAX_FILES,
    SPORTS,
    UploadResult,
    close_form_afterwards,
    receive_upload,
)
from ironmile.web.deps import AthleteId, CatalogueDep, State, Today, Uow
from ironmile.web.forms import field_errors, text
from ironmile.web.templating import render

router = APIRouter()

PAGE = "imports/index.html"
PANEL = "imports/_panel.html"
# What the file picker offers (browsers match the last suffix only, so `.gz` stands for `.fit.gz`…).
ACCEPT = ",".join(sorted({"." + suffix.rsplit(".", 1)[-1] for suffix in ACTIVITY_SUFFIXES}))
SUMMARY_WEEKS = 4  # the running summary after an import: this week and the three before it


def _context(
    state: State,
    *,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    result: UploadResult | None = None,
    summary: RunningReport | None = None,
) -> dict[str, Any]:
    return {
        "nav": "import",
        "values": values,
        "errors": errors,
        "result": result,
        "summary": summary,
        "weeks": _weeks(summary) if summary is not None else [],
        "flags": [flag for week in reversed(summary.weeks) for flag in week.flags] if summary else [],
        "sports": [("", "Say nothing (kept as “other”, not counted as runs)")]
        + [(sport.value, sport.value.capitalize()) for sport in SPORTS],
        "accept": ACCEPT,
        "max_upload_mb": state.settings.max_upload_mb,
        "max_upload_bytes": state.settings.max_upload_bytes,
        "max_files": MAX_FILES,
    }


def _weeks(report: RunningReport) -> list[dict[str, Any]]:
    """The report's weeks, newest first, in the athlete's units."""
    return [
        {
            "start": week.week_start,
            "runs": week.runs,
            "distance": round(display_from_m(week.distance_m, report.units), 1),
            "long_run": round(display_from_m(week.long_run_m, report.units), 1),
        }
        for week in reversed(report.weeks)
    ]


@router.get("/import")
def import_form(request: Request, state: State, athlete_id: AthleteId) -> Response:
    return render(request, PAGE, _context(state, values={"sport": ""}, errors={}))


@router.post("/import", dependencies=[Depends(close_form_afterwards)])
async def import_upload(
    request: Request, state: State, uow: Uow, today: Today, catalogue: CatalogueDep, athlete_id: AthleteId
) -> Response:
    form = await request.form(max_files=MAX_FILES)
    values = {"sport": text(form, "sport")}
    template = PANEL if request.headers.get("x-requested-with") == "XMLHttpRequest" else PAGE
    try:
        result = await receive_upload(
            form,
            uow=uow,
            today=today,
            athlete_id=athlete_id,
            sport=values["sport"],
            max_upload_bytes=state.settings.max_upload_bytes,
        )
    except InputError as error:
        errors = field_errors(error, default_field="files")
        return render(request, template, _context(state, values=values, errors=errors), status=422)
    summary = await run_in_threadpool(
        running_report, uow, today=today, weeks=SUMMARY_WEEKS, catalogue=catalogue, athlete_id=athlete_id
    )
    context = _context(state, values=values, errors={}, result=result, summary=summary)
    return render(request, template, context)
