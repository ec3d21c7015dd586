"""FastAPI dependencies as `Annotated` aliases, the one place routes get state, storage and who is
asking. Every route that shows or changes training data goes through `AthleteId`, `Viewed` or
`CoachAccount`, so access is decided here, not in each route."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.accounts import Account, Role
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import NotPermitted, SignInRequired
from ironmile.services import accounts
from ironmile.web.errors import OnboardingRequired
from ironmile.web.params import UserId
from ironmile.web.security import SAFE_METHODS
from ironmile.web.state import AppState


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.ironmile
    return state


State = Annotated[AppState, Depends(app_state)]


def new_uow(request: Request, state: State) -> SqlUnitOfWork:
    """GET and HEAD requests only read: their transactions need not take SQLite's write lock."""
    return SqlUnitOfWork(state.engine, read_only=request.method in SAFE_METHODS)


Uow = Annotated[SqlUnitOfWork, Depends(new_uow)]


def catalogue(state: State) -> Catalogue:
    return state.catalogue


CatalogueDep = Annotated[Catalogue, Depends(catalogue)]


def today(state: State) -> date:
    return state.today()


Today = Annotated[date, Depends(today)]


def optional_account(request: Request, uow: Uow) -> Account | None:
    """The signed-in account, or None. A cookie for a deleted account, or one issued before the
    account's sessions were ended (its epoch is older), counts as signed out."""
    uid, epoch = request.session.get("uid"), request.session.get("epoch")
    if not isinstance(uid, int) or not isinstance(epoch, int):
        return None
    found = accounts.account(uow, uid)
    if found is None or found.session_epoch != epoch:
        request.session.clear()
        return None
    request.state.account = found  # for the templates' navigation
    return found


MaybeAccount = Annotated[Account | None, Depends(optional_account)]


def current_account(found: MaybeAccount) -> Account:
    if found is None:
        raise SignInRequired()
    return found


CurrentAccount = Annotated[Account, Depends(current_account)]


def athlete_account(account: CurrentAccount) -> Account:
    if account.role is not Role.ATHLETE:
        raise NotPermitted("this is for athlete accounts; a coach sees athletes through their squads")
    return account


AthleteAccount = Annotated[Account, Depends(athlete_account)]


def athlete_id(account: AthleteAccount) -> int:
    """The signed-in athlete's own athlete id; onboarding first if there is none yet."""
    if account.athlete_id is None:
        raise OnboardingRequired()
    return account.athlete_id


AthleteId = Annotated[int, Depends(athlete_id)]


def coach_account(account: CurrentAccount) -> Account:
    if account.role is not Role.COACH:
        raise NotPermitted("this is for coach accounts")
    return account


CoachAccount = Annotated[Account, Depends(coach_account)]


def viewed_athlete(user_id: UserId, viewer: CurrentAccount, uow: Uow) -> Account:
    """The account in the path (`{user_id}`) when the viewer may read it: their own, or a member of
    a squad they coach; otherwise 404, the same as for an id that does not exist."""
    return accounts.viewable_athlete(uow, viewer=viewer, user_id=user_id)


Viewed = Annotated[Account, Depends(viewed_athlete)]
