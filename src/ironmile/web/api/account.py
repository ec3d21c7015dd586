"""Accounts over the API: a CSRF token, sign up, sign in and out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ironmile.services import accounts
from ironmile.web.api.schemas import ERRORS, AccountCreate, AccountPublic, CsrfPublic, SessionCreate
from ironmile.web.deps import CurrentAccount, State, Today, Uow
from ironmile.web.security import csrf_token, end_session, start_session

router = APIRouter(tags=["account"], responses=ERRORS)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/csrf", response_model=CsrfPublic)
def get_csrf(request: Request) -> CsrfPublic:
    """The session's CSRF token: send it as `X-CSRF-Token` with every POST, PUT, PATCH and DELETE."""
    return CsrfPublic(csrf_token=csrf_token(request))


@router.post(
    "/accounts",
    response_model=AccountPublic,
    status_code=201,
    responses={429: {"description": "too many sign-ups from this address"}},
)
def create_account(
    body: AccountCreate, request: Request, uow: Uow, state: State, today: Today
) -> AccountPublic:
    """Sign up (and in). One client address may sign up 10 times an hour."""
    account = accounts.sign_up(
        uow,
        email=body.email,
        password=body.password,
        role=body.role,
        today=today,
        hasher=state.hasher,
        address=client_address(request),
        now_utc_s=state.now_utc_s(),
    )
    start_session(request, user_id=account.id, epoch=account.session_epoch)
    return AccountPublic.of(account)


@router.post("/session", response_model=AccountPublic, responses={429: {"description": "too many failures"}})
def create_session(body: SessionCreate, request: Request, uow: Uow, state: State) -> AccountPublic:
    """Sign in. The response carries the session cookie; ask /csrf again for the new token."""
    account = accounts.sign_in(
        uow,
        email=body.email,
        password=body.password,
        address=client_address(request),
        now_utc_s=state.now_utc_s(),
        limit=state.login_limit,
        hasher=state.hasher,
    )
    start_session(request, user_id=account.id, epoch=account.session_epoch)
    return AccountPublic.of(account)


@router.delete("/session", status_code=204)
def delete_session(request: Request) -> Response:
    """Sign out (this browser or client)."""
    end_session(request)
    return Response(status_code=204)


@router.get("/me", response_model=AccountPublic)
async def me(account: CurrentAccount) -> AccountPublic:
    return AccountPublic.of(account)
