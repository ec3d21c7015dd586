"""Settings over the API: the training setup (units, equipment, days, minutes; a change re-plans from
today), the password, and the squads an athlete joined."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ironmile.domain.accounts import Account, Role
from ironmile.domain.errors import ProfileError
from ironmile.services import accounts, settings
from ironmile.web.api.account import client_address
from ironmile.web.api.schemas import ERRORS, CsrfPublic
from ironmile.web.api.squads import JoinedPublic
from ironmile.web.deps import AthleteAccount, AthleteId, CatalogueDep, CurrentAccount, State, Today, Uow
from ironmile.web.security import csrf_token, start_session

router = APIRouter(tags=["settings"], responses=ERRORS)


class TrainingPublic(BaseModel):
    units: Literal["metric", "imperial"]
    equipment: list[str] = Field(description="catalogue equipment; bodyweight is always available")
    available_days: list[str] = Field(description="mon…sun")
    session_minutes: int
    bar: float = Field(description="the bar's mass in the profile's units (kg or lb)")
    plates: list[float] = Field(
        description="plates in the profile's units, heaviest first; they follow units"
    )

    @classmethod
    def of(cls, training: settings.TrainingSettings) -> TrainingPublic:
        return cls(
            units=training.units.value,
            equipment=list(training.equipment),
            available_days=list(training.available_days),
            session_minutes=training.session_minutes,
            bar=training.bar,
            plates=list(training.plates),
        )


class SettingsPublic(BaseModel):
    email: str
    role: Role
    training: TrainingPublic | None = Field(description="athletes with a stored profile")
    training_problem: str | None = Field(None, description="why the stored profile cannot be edited here")
    squads: list[JoinedPublic] = Field(description="squads joined (athletes)")


class SettingsUpdate(BaseModel):
    """Only the fields sent change; plates are not a setting of their own (they follow units)."""

    model_config = ConfigDict(extra="forbid")

    units: Literal["metric", "imperial"] | None = None
    equipment: list[str] | None = Field(None, max_length=50)
    available_days: list[str] | None = Field(None, max_length=7)
    session_minutes: int | None = Field(None, description="20 to 240")


class SettingsChanged(BaseModel):
    training: TrainingPublic
    replanned: bool = Field(description="false when nothing changed")
    effective_from: dt.date | None = Field(description="the new plan version is in force from this day")
    message: str


class PasswordChange(BaseModel):
    old_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)
    confirm_password: str | None = Field(None, max_length=1024, description="default: new_password")


def _settings_of(account: Account, uow: Uow, today: dt.date, catalogue: CatalogueDep) -> SettingsPublic:
    training, problem = None, None
    if account.athlete_id is not None:
        try:
            training = TrainingPublic.of(
                settings.training_settings(
                    uow, today=today, catalogue=catalogue, athlete_id=account.athlete_id
                )
            )
        except ProfileError as error:
            problem = str(error)
    squads = settings.joined_squads(uow, account=account)
    return SettingsPublic(
        email=account.email,
        role=account.role,
        training=training,
        training_problem=problem,
        squads=[JoinedPublic(id=squad.id, name=squad.name) for squad in squads],
    )


@router.get("/settings", response_model=SettingsPublic)
def get_settings(account: CurrentAccount, uow: Uow, today: Today, catalogue: CatalogueDep) -> SettingsPublic:
    return _settings_of(account, uow, today, catalogue)


@router.patch("/settings", response_model=SettingsChanged)
def patch_settings(
    body: SettingsUpdate, athlete_id: AthleteId, uow: Uow, today: Today, catalogue: CatalogueDep
) -> SettingsChanged:
    """Change the training setup in the stored profile and re-plan from today. Changing units
    converts the profile's body mass, distances and lift loads."""
    changed = settings.change_training(
        uow,
        today=today,
        catalogue=catalogue,
        athlete_id=athlete_id,
        units=body.units,
        equipment=body.equipment,
        available_days=body.available_days,
        session_minutes=body.session_minutes,
    )
    replanned = changed.replanned
    return SettingsChanged(
        training=TrainingPublic.of(changed.settings),
        replanned=replanned is not None,
        effective_from=replanned.effective_from if replanned else None,
        message="your plan was rebuilt from today" if replanned else "nothing changed",
    )


@router.post("/account/password", response_model=CsrfPublic)
def change_password(
    body: PasswordChange, request: Request, account: CurrentAccount, uow: Uow, state: State
) -> CsrfPublic:
    """Change the password. Every other session ends; this one continues with a new cookie and a
    new CSRF token (in the response)."""
    changed = accounts.change_password(
        uow,
        account=account,
        old_password=body.old_password,
        new_password=body.new_password,
        confirm_password=body.new_password if body.confirm_password is None else body.confirm_password,
        address=client_address(request),
        now_utc_s=state.now_utc_s(),
        limit=state.login_limit,
        hasher=state.hasher,
    )
    start_session(request, user_id=changed.id, epoch=changed.session_epoch)
    return CsrfPublic(csrf_token=csrf_token(request))


@router.delete("/settings/squads/{squad_id}", status_code=204)
def leave_squad(squad_id: int, athlete: AthleteAccount, uow: Uow) -> Response:
    """Leave a squad: its coach no longer sees your data through it."""
    accounts.leave_squad(uow, athlete=athlete, squad_id=squad_id)
    return Response(status_code=204)
