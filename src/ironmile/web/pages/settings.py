"""Settings: the training setup (saved into the profile and re-planned from today), the whole
profile as text (races, the running week, everything the wizard asked), the password, logging out
everywhere, and the squads an athlete joined. Each form posts on its own; a refused form
comes back at 422 with each field's message next to it and what was typed kept (passwords never)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from ironmile.domain.accounts import Account, Role
from ironmile.domain.athlete import DAY_NAMES, DAY_TITLES
from ironmile.domain.catalogue import EQUIPMENT
from ironmile.domain.errors import FieldProblem, ProfileError, TooManyAttempts
from ironmile.domain.plates import STANDARD
from ironmile.domain.units import UnitSystem
from ironmile.services import accounts, review, settings
from ironmile.web.api.account import client_address
from ironmile.web.deps import AthleteAccount, AthleteId, CatalogueDep, CurrentAccount, State, Today, Uow
from ironmile.web.forms import field_errors, text
from ironmile.web.security import start_session
from ironmile.web.templating import render

router = APIRouter()

TRAINING_FIELDS = ("units", "equipment", "available_days", "session_minutes")
EQUIPMENT_NAMES = {"pullup_bar": "pull-up bar", "trap_bar": "trap bar"}
UNIT_OPTIONS = [("metric", "metric (kg, km)"), ("imperial", "imperial (lb, mi)")]
SAVED = {
    "training": "Saved: your plan was rebuilt from today. Past sessions and earlier plans stay as they were.",
    "unchanged": "Nothing changed, so your plan stays as it is.",
    "password": "Password changed. Every other device is signed out.",
    "left": "You left the squad; its coach no longer sees your data through it.",
    "profile": "Profile saved: your plan was rebuilt from today. Past sessions and earlier plans stay as "
    "they were.",
}
PROFILE_MAX_CHARACTERS = 100_000  # a profile with many races is a few kilobytes


def _page(
    request: Request,
    account: Account,
    uow: Uow,
    today: Today,
    catalogue: CatalogueDep,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    saved: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    profile_text: str | None = None,
    profile_errors: list[str] | None = None,
) -> Response:
    training, problem = None, None
    if account.role is Role.ATHLETE and account.athlete_id is not None:
        if profile_text is None:
            profile_text = review.show_profile(uow, athlete_id=account.athlete_id)
        try:
            training = settings.training_settings(
                uow, today=today, catalogue=catalogue, athlete_id=account.athlete_id
            )
        except ProfileError as error:
            problem = str(error)
    current = (
        {
            "units": training.units.value,
            "equipment": list(training.equipment),
            "available_days": list(training.available_days),
            "session_minutes": str(training.session_minutes),
        }
        if training
        else {}
    )
    context = {
        "nav": "settings",
        "training": training,
        "training_problem": problem,
        "values": values if values is not None else current,
        "errors": errors or {},
        "saved": SAVED.get(saved or ""),
        "squads": settings.joined_squads(uow, account=account) if account.role is Role.ATHLETE else [],
        "unit_options": UNIT_OPTIONS,
        "equipment_options": [(item, EQUIPMENT_NAMES.get(item, item)) for item in EQUIPMENT],
        "day_options": list(zip(DAY_NAMES, DAY_TITLES, strict=True)),
        "plate_sets": {units.value: _plates(units) for units in UnitSystem},
        "profile_text": profile_text,  # None for a coach or before onboarding
        "profile_errors": profile_errors or [],
    }
    return render(request, "settings/settings.html", context, status=status, headers=headers)


def _plates(units: UnitSystem) -> str:
    standard, label = STANDARD[units], units.mass_label
    plates = ", ".join(f"{plate:g}" for plate in standard.plates)
    return f"a {standard.bar:g} {label} bar with {plates} {label} plates"


@router.get("/settings")
def settings_page(
    request: Request,
    account: CurrentAccount,
    uow: Uow,
    today: Today,
    catalogue: CatalogueDep,
    saved: str | None = None,
) -> Response:
    return _page(request, account, uow, today, catalogue, saved=saved)


def _training_values(form: FormData) -> dict[str, Any]:
    """What the training form sent; an unticked box sends nothing, so an absent list is empty."""
    return {
        "units": text(form, "units"),
        "equipment": [v for v in form.getlist("equipment") if isinstance(v, str)],
        "available_days": [v for v in form.getlist("available_days") if isinstance(v, str)],
        "session_minutes": text(form, "session_minutes"),
    }


@router.post("/settings/training")
async def save_training(
    request: Request,
    account: AthleteAccount,
    athlete_id: AthleteId,
    uow: Uow,
    today: Today,
    catalogue: CatalogueDep,
) -> Response:
    values = _training_values(await request.form())
    try:
        changed = settings.change_training(
            uow, today=today, catalogue=catalogue, athlete_id=athlete_id, **values
        )
    except ProfileError as error:
        errors: dict[str, str] = {}
        for problem in error.problems:
            name = problem.field.rsplit(".", 1)[-1].split("[", 1)[0]
            if name in TRAINING_FIELDS:
                errors.setdefault(name, problem.message)
            else:  # a problem elsewhere in the profile (a race now before the start): shown whole
                errors.setdefault("training", str(problem))
        return _page(request, account, uow, today, catalogue, values=values, errors=errors, status=422)
    saved = "training" if changed.replanned is not None else "unchanged"
    return RedirectResponse(f"/settings?saved={saved}", status_code=303)


@router.post("/settings/profile")
async def save_profile(
    request: Request,
    account: AthleteAccount,
    athlete_id: AthleteId,
    uow: Uow,
    today: Today,
    catalogue: CatalogueDep,
) -> Response:
    """The whole profile as typed: checked like `ironmile init` checks a file, stored, re-planned
    from today. A refused profile comes back with every problem listed and the text as typed."""
    typed = (await request.form()).get("toml")
    toml = typed if isinstance(typed, str) else ""
    try:
        if len(toml) > PROFILE_MAX_CHARACTERS:
            raise ProfileError(
                [
                    FieldProblem(
                        "toml", f"{len(toml):,} characters; a profile may have {PROFILE_MAX_CHARACTERS:,}"
                    )
                ]
            )
        review.edit_profile(
            uow, profile_text=toml, source="settings", today=today, catalogue=catalogue, athlete_id=athlete_id
        )
    except ProfileError as error:
        problems = [str(problem) for problem in error.problems] or [str(error)]
        return _page(
            request, account, uow, today, catalogue, profile_text=toml, profile_errors=problems, status=422
        )
    return RedirectResponse("/settings?saved=profile", status_code=303)


@router.post("/settings/password")
async def change_password(
    request: Request, account: CurrentAccount, uow: Uow, state: State, today: Today, catalogue: CatalogueDep
) -> Response:
    form = await request.form()
    try:
        changed = accounts.change_password(
            uow,
            account=account,
            old_password=str(form.get("old_password") or ""),
            new_password=str(form.get("new_password") or ""),
            confirm_password=str(form.get("confirm_password") or ""),
            address=client_address(request),
            now_utc_s=state.now_utc_s(),
            limit=state.login_limit,
            hasher=state.hasher,
        )
    except TooManyAttempts as error:
        retry = {"Retry-After": str(error.retry_after_s)}
        errors = {"old_password": str(error)}
        return _page(request, account, uow, today, catalogue, errors=errors, status=429, headers=retry)
    except ProfileError as error:
        errors = field_errors(error, default_field="old_password")
        return _page(request, account, uow, today, catalogue, errors=errors, status=422)
    start_session(request, user_id=changed.id, epoch=changed.session_epoch)  # this browser stays in
    return RedirectResponse("/settings?saved=password", status_code=303)


@router.post("/settings/squads/{squad_id}/leave")
def leave_squad(squad_id: int, account: AthleteAccount, uow: Uow) -> Response:
    accounts.leave_squad(uow, athlete=account, squad_id=squad_id)
    return RedirectResponse("/settings?saved=left", status_code=303)
