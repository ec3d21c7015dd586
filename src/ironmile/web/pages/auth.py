"""Sign up, sign in, sign out, and the home address that sends each visitor where they belong."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from ironmile.domain.accounts import EMAIL_MAX, PASSWORD_MAX, Role
from ironmile.domain.errors import InputError, TooManyAttempts
from ironmile.services import accounts
from ironmile.web.api.account import client_address
from ironmile.web.deps import CurrentAccount, MaybeAccount, State, Today, Uow
from ironmile.web.forms import field_errors, form_values, text
from ironmile.web.security import end_session, start_session
from ironmile.web.templating import render

router = APIRouter()


def safe_next(value: str | None) -> str | None:
    """A same-site path to go to after sign-in; anything else (another host, `//evil`) is ignored."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return None


def too_long(form: FormData) -> dict[str, str]:
    """The email and password fields over their caps (EMAIL_MAX, PASSWORD_MAX characters), as the
    API's schema caps them. Checked before anything else: the form parser takes up to 1 MB a field,
    and an email is stored with each failed sign-in."""
    caps = {"email": EMAIL_MAX, "password": PASSWORD_MAX}
    return {
        name: f"use at most {most} characters"
        for name, most in caps.items()
        if len(str(form.get(name) or "")) > most
    }


def landing(role: Role, has_profile: bool) -> str:
    if role is Role.COACH:
        return "/squads"
    return "/today" if has_profile else "/onboarding"


@router.get("/")
def home(account: MaybeAccount) -> Response:
    if account is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(landing(account.role, account.athlete_id is not None), status_code=303)


@router.get("/signup")
def signup_form(request: Request, invite: str | None = None) -> Response:
    return render(
        request, "auth/signup.html", {"values": {"role": "athlete", "invite": invite or ""}, "errors": {}}
    )


@router.post("/signup")
async def signup(request: Request, uow: Uow, state: State, today: Today) -> Response:
    form = await request.form()
    role_text = text(form, "role") or "athlete"
    errors = too_long(form)
    values = {k: v for k, v in form_values(form).items() if k not in errors}  # not echoed at 1 MB
    if role_text not in {r.value for r in Role}:
        errors.setdefault("role", "choose athlete or coach")
    if errors:
        return render(request, "auth/signup.html", {"values": values, "errors": errors}, status=422)
    try:
        account = accounts.sign_up(
            uow,
            email=text(form, "email"),
            password=str(form.get("password") or ""),
            role=Role(role_text),
            today=today,
            hasher=state.hasher,
            address=client_address(request),
            now_utc_s=state.now_utc_s(),
        )
    except TooManyAttempts as error:
        return render(
            request,
            "auth/signup.html",
            {"values": values, "errors": {"email": str(error)}},
            status=429,
            headers={"Retry-After": str(error.retry_after_s)},
        )
    except InputError as error:
        return render(
            request,
            "auth/signup.html",
            {"values": values, "errors": field_errors(error, default_field="email")},
            status=422,
        )
    start_session(request, user_id=account.id, epoch=account.session_epoch)
    invite = text(form, "invite")
    if invite and account.role is Role.ATHLETE:
        return RedirectResponse(f"/join/{invite}", status_code=303)
    return RedirectResponse(landing(account.role, False), status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "auth/login.html", {"values": {"next": safe_next(next) or ""}, "errors": {}})


@router.post("/login")
async def login(request: Request, uow: Uow, state: State) -> Response:
    form = await request.form()
    errors = too_long(form)
    values = {k: v for k, v in form_values(form).items() if k not in errors}
    if errors:
        return render(request, "auth/login.html", {"values": values, "errors": errors}, status=422)
    try:
        account = accounts.sign_in(
            uow,
            email=text(form, "email"),
            password=str(form.get("password") or ""),
            address=client_address(request),
            now_utc_s=state.now_utc_s(),
            limit=state.login_limit,
            hasher=state.hasher,
        )
    except TooManyAttempts as error:
        return render(
            request,
            "auth/login.html",
            {"values": values, "errors": {"email": str(error)}},
            status=429,
            headers={"Retry-After": str(error.retry_after_s)},
        )
    except InputError as error:
        return render(
            request, "auth/login.html", {"values": values, "errors": {"password": str(error)}}, status=422
        )
    start_session(request, user_id=account.id, epoch=account.session_epoch)
    target = safe_next(text(form, "next")) or landing(account.role, account.athlete_id is not None)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    end_session(request)
    return RedirectResponse("/login", status_code=303)


@router.post("/logout-everywhere")
def logout_everywhere(request: Request, account: CurrentAccount, uow: Uow) -> Response:
    accounts.end_sessions(uow, user_id=account.id)
    end_session(request)
    return RedirectResponse("/login", status_code=303)
