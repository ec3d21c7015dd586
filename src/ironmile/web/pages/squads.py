"""The coach's pages (their squads, a squad's overview, one athlete's summary) and joining a squad
by invite link. A squad the coach does not lead, and an athlete outside their squads, are "not found"."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from ironmile.domain.accounts import Role
from ironmile.domain.athlete import DAY_NAMES
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import NotPermitted, ProfileError
from ironmile.domain.running_load import ACWR_CAVEAT
from ironmile.domain.units import UnitSystem, display_from_kg, display_from_m
from ironmile.services import accounts
from ironmile.services.settings import joined_squads
from ironmile.services.squad_overview import (
    athlete_summary,
    led_squads,
    squad_for_invite,
    squad_overview,
    worst_pain,
)
from ironmile.web.api.squads import invite_url
from ironmile.web.deps import (
    AthleteAccount,
    CatalogueDep,
    CoachAccount,
    CurrentAccount,
    MaybeAccount,
    State,
    Today,
    Uow,
    Viewed,
)
from ironmile.web.forms import field_errors, form_values, text
from ironmile.web.pages.progress import load_sentence
from ironmile.web.params import DayQuery, SquadId, UserId
from ironmile.web.templating import render

router = APIRouter()


def distance(metres: float, units: UnitSystem) -> str:
    return f"{display_from_m(metres, units):.1f} {units.distance_label}"


def mass(kg: float, units: UnitSystem) -> str:
    return f"{display_from_kg(kg, units):.1f} {units.mass_label}"


def days(indices: Iterable[int]) -> str:
    return ", ".join(DAY_NAMES[day] for day in sorted(indices)) or "none"


FORMAT = {
    "distance": distance,
    "mass": mass,
    "days": days,
    "acwr_caveat": ACWR_CAVEAT,
    "load_sentence": load_sentence,  # today's running load in the progress page's words
}


def _list(
    request: Request,
    uow: Uow,
    state: State,
    coach: CoachAccount,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    squads = [
        {
            "squad": squad,
            "members": count,
            "invite_url": invite_url(request, state.settings.public_url, squad.invite_code),
        }
        for squad, count in led_squads(uow, coach=coach)
    ]
    context = {"nav": "squads", "squads": squads, "values": values, "errors": errors}
    return render(request, "squads/list.html", context, status=status)


@router.get("/squads")
def squads_page(request: Request, coach: CoachAccount, uow: Uow, state: State) -> Response:
    return _list(request, uow, state, coach, values={}, errors={})


@router.post("/squads")
async def create_squad(
    request: Request, coach: CoachAccount, uow: Uow, state: State, today: Today
) -> Response:
    form = await request.form()
    try:
        squad = accounts.create_squad(uow, coach=coach, name=text(form, "name"), today=today)
    except ProfileError as error:
        errors = field_errors(error, default_field="name")
        return _list(request, uow, state, coach, values=form_values(form), errors=errors, status=422)
    return RedirectResponse(f"/squads/{squad.id}", status_code=303)


@router.get("/squads/{squad_id}")
def squad_page(
    squad_id: SquadId,
    request: Request,
    coach: CoachAccount,
    uow: Uow,
    state: State,
    catalogue: CatalogueDep,
    today: Today,
    day: DayQuery = None,
) -> Response:
    overview = squad_overview(
        uow, coach=coach, squad_id=squad_id, day=day or today, catalogue=catalogue, kept=state.squad_rows
    )
    context = {
        "nav": "squads",
        "overview": overview,
        "invite_url": invite_url(request, state.settings.public_url, overview.squad.invite_code),
        **FORMAT,
    }
    return render(request, "squads/overview.html", context)


@router.post("/squads/{squad_id}/invite")
def renew_invite(squad_id: SquadId, coach: CoachAccount, uow: Uow) -> Response:
    accounts.renew_invite(uow, coach=coach, squad_id=squad_id)
    return RedirectResponse(f"/squads/{squad_id}#invite", status_code=303)


@router.post("/squads/{squad_id}/members/{user_id}/remove")
def remove_member(squad_id: SquadId, user_id: UserId, coach: CoachAccount, uow: Uow) -> Response:
    accounts.remove_member(uow, coach=coach, squad_id=squad_id, user_id=user_id)
    return RedirectResponse(f"/squads/{squad_id}", status_code=303)


@router.get("/athletes/{user_id}")
def athlete_page(
    request: Request,
    athlete: Viewed,
    viewer: CurrentAccount,
    uow: Uow,
    catalogue: CatalogueDep,
    today: Today,
    day: DayQuery = None,
) -> Response:
    """One athlete at a glance, read-only, for their coach (or themselves)."""
    summary = athlete_summary(uow, account=athlete, day=day or today, catalogue=catalogue)
    context = {
        "nav": "squads" if viewer.role is Role.COACH else None,
        "athlete": athlete,
        "summary": summary,
        "as_of": day or today,
        "exercise_names": lambda ids: _names(ids, catalogue),
        "worst_pain": worst_pain,
        **FORMAT,
    }
    return render(request, "squads/athlete.html", context)


def _names(exercise_ids: list[str], catalogue: Catalogue) -> str:
    """Each exercise once, in the order first done, by name (an id if the catalogue lost it)."""
    unique = dict.fromkeys(exercise_ids)
    return ", ".join(catalogue.get(i).name if i in catalogue else i for i in unique)


@router.get("/join/{invite_code}")
def join_page(invite_code: str, request: Request, account: MaybeAccount, uow: Uow) -> Response:
    squad = squad_for_invite(uow, invite_code=invite_code)
    if account is not None and account.role is Role.COACH:
        raise NotPermitted("a coach account cannot join a squad; sign up as an athlete to train")
    member = account is not None and squad.id in {s.id for s in joined_squads(uow, account=account)}
    context = {"squad": squad, "invite_code": invite_code, "member": member}
    return render(request, "squads/join.html", context)


@router.post("/join/{invite_code}")
def join(invite_code: str, athlete: AthleteAccount, uow: Uow, today: Today) -> Response:
    accounts.join_squad(uow, athlete=athlete, invite_code=invite_code, today=today)
    return RedirectResponse("/today" if athlete.athlete_id is not None else "/onboarding", status_code=303)
