"""ironmile's error tree (domain/errors.py) mapped to HTTP, here and only here.

API requests (paths under /api/) get JSON `{"detail": message, "fields": [{"field", "message"}]}`;
pages get the error page, except "sign in first", which redirects to the sign-in page, and "no
profile yet", which redirects to onboarding.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from ironmile.domain.errors import (
    AccessError,
    InputError,
    IronmileError,
    NotFoundError,
    NotPermitted,
    ProfileError,
    SignInRequired,
    TooManyAttempts,
    UnknownExerciseError,
)
from ironmile.web.templating import render


class OnboardingRequired(IronmileError):
    """An athlete account without a stored profile asked for something that needs one."""

    def __init__(self) -> None:
        super().__init__("finish onboarding first: your profile is not stored yet")


def status_of(error: IronmileError) -> int:
    match error:
        case SignInRequired():
            return 401
        case TooManyAttempts():
            return 429
        case NotPermitted() | AccessError():
            return 403
        case NotFoundError() | UnknownExerciseError():
            return 404
        case OnboardingRequired():
            return 409
        case InputError():
            return 422
        case _:
            return 500


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _fields(error: IronmileError) -> list[dict[str, str]]:
    if isinstance(error, ProfileError):
        return [{"field": p.field, "message": p.message} for p in error.problems]
    return []


async def ironmile_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, IronmileError)
    status = status_of(error)
    headers = {"Retry-After": str(error.retry_after_s)} if isinstance(error, TooManyAttempts) else None
    if is_api(request):
        body = {"detail": str(error), "fields": _fields(error)}
        return JSONResponse(body, status_code=status, headers=headers)
    if isinstance(error, SignInRequired) and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    if isinstance(error, OnboardingRequired) and request.method == "GET":
        return RedirectResponse("/onboarding", status_code=303)
    return render(
        request, "error.html", {"status": status, "message": str(error)}, status=status, headers=headers
    )


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if is_api(request):
        return JSONResponse({"detail": error.detail, "fields": []}, status_code=error.status_code)
    message = "no such page" if error.status_code == 404 else str(error.detail)
    return render(
        request, "error.html", {"status": error.status_code, "message": message}, status=error.status_code
    )


async def validation_error(request: Request, error: Exception) -> Response:
    """FastAPI's own request validation: 422 with each field named, the API's error shape."""
    assert isinstance(error, RequestValidationError)
    fields = [
        {"field": ".".join(str(part) for part in problem["loc"] if part != "body"), "message": problem["msg"]}
        for problem in error.errors()
    ]
    detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    if is_api(request):
        return JSONResponse({"detail": detail, "fields": fields}, status_code=422)
    return render(request, "error.html", {"status": 422, "message": detail}, status=422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(IronmileError, ironmile_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
