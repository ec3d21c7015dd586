"""FastAPI dependencies as `Annotated` aliases, the one place routes get state, storage and who is
asking. Every route that shows or changes training data goes through `AthleteId`, `OwnViews`,
`Viewed` or `CoachAccount`, so access is decided here, not in each route.

They are `async def`: FastAPI runs a plain `def` dependency in the thread pool, and a hop there and
back costs more than any of these (the account read included, one primary-key lookup).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.accounts import Account, Role
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import NotPermitted, SignInRequired
from ironmile.services import accounts
from ironmile.web.errors import OnboardingRequired
from ironmile.web.params import UserId
from ironmile.web.security import SAFE_METHODS
from ironmile.web.state import AppState
from ironmile.web.view_cache import Made, answer

T = TypeVar("T")


def state_of(request: Request) -> AppState:
    state: AppState = request.app.state.ironmile
    return state


async def app_state(request: Request) -> AppState:
    return state_of(request)


State = Annotated[AppState, Depends(app_state)]


async def new_uow(request: Request, state: State) -> SqlUnitOfWork:
    """GET and HEAD requests only read: their transactions need not take SQLite's write lock."""
    return SqlUnitOfWork(state.engine, read_only=request.method in SAFE_METHODS)


Uow = Annotated[SqlUnitOfWork, Depends(new_uow)]


async def catalogue(state: State) -> Catalogue:
    return state.catalogue


CatalogueDep = Annotated[Catalogue, Depends(catalogue)]


async def today(state: State) -> date:
    return state.today()


Today = Annotated[date, Depends(today)]


def _signed_in(request: Request, uow: SqlUnitOfWork) -> accounts.SignedIn | None:
    uid, epoch = request.session.get("uid"), request.session.get("epoch")
    if not isinstance(uid, int) or not isinstance(epoch, int):
        return None
    found = accounts.signed_in(uow, uid)
    if found is None or found.account.session_epoch != epoch:
        request.session.clear()
        return None
    request.state.account = found.account  # for the templates' navigation
    return found


async def signed_in(request: Request, state: State) -> accounts.SignedIn | None:
    """The signed-in account and its data version, or None. A cookie for a deleted account, or one
    issued before the account's sessions were ended (its epoch is older), counts as signed out.

    Read in a read-only unit of work whatever the method: a write request's own transaction would
    begin by taking SQLite's write lock, and waiting for it here would hold up the event loop."""
    return await on_loop_if_local(
        state, lambda: _signed_in(request, SqlUnitOfWork(state.engine, read_only=True))
    )


async def on_loop_if_local(state: AppState, read: Callable[[], T]) -> T:
    """A short read on the event loop when the database is SQLite (in-process: microseconds, less
    than a hop to the thread pool and back), in the thread pool when it is a server, whose round
    trips would hold up every other request of the worker."""
    if state.engine.dialect.name == "sqlite":
        return read()
    return await run_in_threadpool(read)


SignedIn = Annotated[accounts.SignedIn | None, Depends(signed_in)]


async def optional_account(found: SignedIn) -> Account | None:
    return None if found is None else found.account


MaybeAccount = Annotated[Account | None, Depends(optional_account)]


def _required(found: Account | None) -> Account:
    if found is None:
        raise SignInRequired()
    return found


def _athlete(account: Account) -> Account:
    if account.role is not Role.ATHLETE:
        raise NotPermitted("this is for athlete accounts; a coach sees athletes through their squads")
    return account


def _own_athlete_id(account: Account) -> int:
    if account.athlete_id is None:
        raise OnboardingRequired()
    return account.athlete_id


async def current_account(found: MaybeAccount) -> Account:
    return _required(found)


CurrentAccount = Annotated[Account, Depends(current_account)]


async def athlete_account(account: CurrentAccount) -> Account:
    return _athlete(account)


AthleteAccount = Annotated[Account, Depends(athlete_account)]


async def athlete_id(account: AthleteAccount) -> int:
    """The signed-in athlete's own athlete id; onboarding first if there is none yet."""
    return _own_athlete_id(account)


AthleteId = Annotated[int, Depends(athlete_id)]


async def coach_account(account: CurrentAccount) -> Account:
    if account.role is not Role.COACH:
        raise NotPermitted("this is for coach accounts")
    return account


CoachAccount = Annotated[Account, Depends(coach_account)]


async def viewed_athlete(user_id: UserId, viewer: CurrentAccount, state: State) -> Account:
    """The account in the path (`{user_id}`) when the viewer may read it: their own, or a member of
    a squad they coach; otherwise 404, the same as for an id that does not exist."""
    uow = SqlUnitOfWork(state.engine, read_only=True)
    return await on_loop_if_local(
        state, lambda: accounts.viewable_athlete(uow, viewer=viewer, user_id=user_id)
    )


Viewed = Annotated[Account, Depends(viewed_athlete)]


@dataclass(frozen=True, slots=True)
class OwnViewsOf:
    """The signed-in athlete's reads that are kept between requests (view_cache.py): whose, which
    version of their data, and on which day, make the key with the route's own parts. `uow` is
    for building an answer that is not kept yet."""

    request: Request
    state: AppState
    uow: SqlUnitOfWork
    account: Account
    athlete_id: int
    version: int | None
    today: date

    @property
    def catalogue(self) -> Catalogue:
        return self.state.catalogue

    async def answer(self, parts: tuple[Hashable, ...], build: Callable[[], Made]) -> Response:
        """The answer for this route and its `parts` (its name, its parameters) at this version."""
        key = None if self.version is None else (self.account, self.version, self.today, *parts)
        return await answer(self.request, self.state.views, key, build)


async def own_views(request: Request) -> OwnViewsOf:
    """The same checks as `AthleteId`, in one dependency rather than a chain of six: FastAPI's
    resolving of each costs about as much as answering from what is kept."""
    state = state_of(request)
    uow = SqlUnitOfWork(state.engine, read_only=True)
    found = await on_loop_if_local(state, lambda: _signed_in(request, uow))
    account = _athlete(_required(None if found is None else found.account))
    version = None if found is None else found.data_version
    return OwnViewsOf(request, state, uow, account, _own_athlete_id(account), version, state.today())


OwnViews = Annotated[OwnViewsOf, Depends(own_views)]
