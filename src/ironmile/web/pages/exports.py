"""The export page and its downloads: the plan as a PDF and a calendar (a file, and a private feed
address a calendar app subscribes to), watch workouts, the backup and the CSV tables; also the
free beginner programme, which needs no account.

The feed (`/feed/{token}.ics`) is read by calendar apps, which cannot sign in: the unguessable
token in its address is the key, so the page offers to renew it should the address leak.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from ironmile.domain.units import UnitSystem
from ironmile.services import accounts, plan_exports
from ironmile.services.plan_exports import BEGINNER_WEEKS, Paper
from ironmile.web.api.exports import download_response, feed_url
from ironmile.web.deps import AthleteAccount, AthleteId, CatalogueDep, State, Today, Uow
from ironmile.web.templating import render

router = APIRouter()

BEGINNER_CACHE_S = 24 * 3600  # the programme changes only with a new release (its URL carries no version)


@router.get("/export")
def export_page(
    request: Request,
    state: State,
    uow: Uow,
    today: Today,
    catalogue: CatalogueDep,
    account: AthleteAccount,
    athlete_id: AthleteId,
    renewed: bool = False,
) -> Response:
    url = feed_url(request, state, account.feed_token)
    context = {
        "nav": "export",
        "overview": plan_exports.plan_overview(uow, today=today, catalogue=catalogue, athlete_id=athlete_id),
        "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[-1],
        "papers": [(Paper.A4, "A4"), (Paper.LETTER, "US letter")],
        "units": [(UnitSystem.METRIC, "kg, km"), (UnitSystem.IMPERIAL, "lb, mi")],
        "renewed": renewed,
        "today": today,
    }
    return render(request, "exports/index.html", context)


@router.get("/export/plan.pdf")
def plan_pdf(
    uow: Uow, today: Today, catalogue: CatalogueDep, athlete_id: AthleteId, paper: Paper = Paper.A4
) -> Response:
    return download_response(
        plan_exports.plan_pdf_file(uow, today=today, catalogue=catalogue, paper=paper, athlete_id=athlete_id)
    )


@router.get("/export/plan.ics")
def plan_ics(uow: Uow, today: Today, catalogue: CatalogueDep, athlete_id: AthleteId) -> Response:
    return download_response(
        plan_exports.plan_calendar_file(uow, today=today, catalogue=catalogue, athlete_id=athlete_id)
    )


@router.get("/export/workouts.zip")
def workouts_zip(uow: Uow, today: Today, catalogue: CatalogueDep, athlete_id: AthleteId) -> Response:
    return download_response(
        plan_exports.workouts_zip(uow, today=today, catalogue=catalogue, athlete_id=athlete_id)
    )


@router.get("/export/backup.json")
def backup_json(uow: Uow, today: Today, athlete_id: AthleteId) -> Response:
    return download_response(plan_exports.backup_json(uow, today=today, athlete_id=athlete_id))


@router.get("/export/tables.zip")
def tables_zip(uow: Uow, today: Today, athlete_id: AthleteId) -> Response:
    return download_response(plan_exports.tables_zip(uow, today=today, athlete_id=athlete_id))


@router.post("/export/feed")
def renew_feed(uow: Uow, account: AthleteAccount) -> Response:
    """A new feed address; calendars subscribed to the old one stop updating."""
    accounts.renew_feed_token(uow, user=account)
    return RedirectResponse("/export?renewed=true#feed", status_code=303)


@router.api_route("/feed/{token}.ics", methods=["GET", "HEAD"])  # calendar apps probe with HEAD
def feed(token: str, uow: Uow, today: Today, catalogue: CatalogueDep) -> Response:
    """The calendar feed: no session, the token is the key; any other token is "not found"."""
    response = download_response(
        plan_exports.feed_calendar(uow, token=token, today=today, catalogue=catalogue), disposition="inline"
    )
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@router.get("/beginner.pdf")
def beginner_pdf(
    units: UnitSystem = UnitSystem.METRIC,
    paper: Paper = Paper.A4,
    weeks: Annotated[int, Query(ge=BEGINNER_WEEKS[0], le=BEGINNER_WEEKS[-1])] = 10,
) -> Response:
    """The free beginner programme: public, the same for everyone, so caches may keep it."""
    response = download_response(
        plan_exports.beginner_programme(units=units, paper=paper, weeks=weeks), disposition="inline"
    )
    response.headers["Cache-Control"] = f"public, max-age={BEGINNER_CACHE_S}"
    return response
