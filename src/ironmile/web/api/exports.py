"""Downloads over the API: the plan (PDF, iCalendar), watch workouts, the backup and the tables.

Each answer is the file itself, with its media type and a `Content-Disposition` file name; the
OpenAPI document describes them as binary (or JSON) bodies. A coach downloads a squad member's plan
PDF through `/athletes/{user_id}/exports/plan.pdf`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from ironmile.domain.errors import NotFoundError
from ironmile.services import accounts, plan_exports
from ironmile.services.plan_exports import Download, Paper
from ironmile.web.api.schemas import ERRORS
from ironmile.web.deps import AthleteAccount, AthleteId, CatalogueDep, State, Today, Uow, Viewed

router = APIRouter(tags=["exports"], responses=ERRORS)


def download_response(download: Download, *, disposition: str = "attachment") -> Response:
    """The file, with a name to save it under. Names are ASCII (dates, letters, hyphens), so the
    plain `filename=` form suffices."""
    return Response(
        download.content,
        media_type=download.media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{download.filename}"'},
    )


def feed_url(request: Request, state: State, token: str) -> str:
    """The calendar feed's full address: under IRONMILE_PUBLIC_URL when set (behind a proxy the
    request's own address may be an internal one), else under the address this request came to."""
    base = state.settings.public_url or str(request.base_url)
    return f"{base.rstrip('/')}/feed/{token}.ics"


def _binary(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": what,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
    }


PDF_RESPONSE = _binary("application/pdf", "the plan as a printable PDF (landscape)")
ICS_RESPONSE = _binary("text/calendar", "the plan's strength sessions as iCalendar all-day events")
ZIP_WORKOUTS = _binary("application/zip", "one Garmin FIT workout per session from today on, and README.txt")
ZIP_TABLES = _binary("application/zip", "one CSV file per table, and profile.toml")
JSON_BACKUP: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "everything stored for the athlete (`ironmile restore` reads it back)",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.get("/exports/plan.pdf", response_class=Response, responses=PDF_RESPONSE)
def plan_pdf(
    uow: Uow, today: Today, catalogue: CatalogueDep, athlete_id: AthleteId, paper: Paper = Paper.A4
) -> Response:
    """The plan in force today as a PDF, on A4 or US letter paper."""
    return download_response(
        plan_exports.plan_pdf_file(uow, today=today, catalogue=catalogue, paper=paper, athlete_id=athlete_id)
    )


@router.get("/exports/plan.ics", response_class=Response, responses=ICS_RESPONSE)
def plan_ics(uow: Uow, today: Today, catalogue: CatalogueDep, athlete_id: AthleteId) -> Response:
    """The plan as an .ics file to import; UIDs stay the same and SEQUENCE rises when a new plan
    version changes a session, so importing a newer file updates events instead of doubling them."""
    return download_response(
        plan_exports.plan_calendar_file(uow, today=today, catalogue=catalogue, athlete_id=athlete_id)
    )


@router.get("/exports/workouts.zip", response_class=Response, responses=ZIP_WORKOUTS)
def workouts_zip(uow: Uow, today: Today, catalogue: CatalogueDep, athlete_id: AthleteId) -> Response:
    """Garmin watch workouts (`YYYY-MM-DD-strength.fit`) for every session from today on."""
    return download_response(
        plan_exports.workouts_zip(uow, today=today, catalogue=catalogue, athlete_id=athlete_id)
    )


@router.get("/exports/backup.json", response_class=Response, responses=JSON_BACKUP)
def backup_json(uow: Uow, today: Today, athlete_id: AthleteId) -> Response:
    """Everything stored for the athlete, as `ironmile export` writes it."""
    return download_response(plan_exports.backup_json(uow, today=today, athlete_id=athlete_id))


@router.get("/exports/tables.zip", response_class=Response, responses=ZIP_TABLES)
def tables_zip(uow: Uow, today: Today, athlete_id: AthleteId) -> Response:
    """Every table as CSV, for a spreadsheet."""
    return download_response(plan_exports.tables_zip(uow, today=today, athlete_id=athlete_id))


class FeedPublic(BaseModel):
    url: str


@router.get("/exports/feed", response_model=FeedPublic)
def feed(request: Request, state: State, account: AthleteAccount) -> FeedPublic:
    """The private calendar feed's address (no sign-in needed to read it: keep it to yourself)."""
    return FeedPublic(url=feed_url(request, state, account.feed_token))


@router.post("/exports/feed", response_model=FeedPublic)
def renew_feed(request: Request, state: State, uow: Uow, account: AthleteAccount) -> FeedPublic:
    """A new feed address; the old one stops working at once."""
    return FeedPublic(url=feed_url(request, state, accounts.renew_feed_token(uow, user=account)))


@router.get("/athletes/{user_id}/exports/plan.pdf", response_class=Response, responses=PDF_RESPONSE)
def athlete_plan_pdf(
    viewed: Viewed, uow: Uow, today: Today, catalogue: CatalogueDep, paper: Paper = Paper.A4
) -> Response:
    """A squad member's plan PDF, for their coach (or the athlete themselves)."""
    if viewed.athlete_id is None:
        raise NotFoundError(f"athlete {viewed.id} has no plan yet")
    return download_response(
        plan_exports.plan_pdf_file(
            uow, today=today, catalogue=catalogue, paper=paper, athlete_id=viewed.athlete_id
        )
    )
