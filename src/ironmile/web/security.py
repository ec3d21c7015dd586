"""Sessions and CSRF protection.

Sessions are Starlette's signed cookies (itsdangerous, HMAC-SHA1 over the secret key): the cookie
holds the account id and its session epoch, nothing else. It is HttpOnly and SameSite=Lax always,
Secure unless the app serves localhost only. The epoch check (`deps.py`) makes logout-everywhere and
password changes end old cookies even though the server keeps no session table.

CSRF: a synchronizer token kept in the session and sent back with every state-changing request,
as the form field `csrf_token` or the `X-CSRF-Token` header (htmx sends the header, set once on
<body>). This is a few lines rather than a library because the maintained middlewares check the
header only (starlette-csrf) or need a call in every route (fastapi-csrf-protect); forms must
work without JavaScript too. Comparison is constant-time.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncIterator

from fastapi import Request

from ironmile.domain.errors import NotPermitted

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfError(NotPermitted):
    def __init__(self) -> None:
        super().__init__("the form's security token is missing or out of date; reload the page and try again")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


async def require_csrf(request: Request) -> AsyncIterator[None]:
    """A dependency on every route: unsafe methods must carry the session's token.

    A form read here (for its token) is closed when the request is done, refused or not, so the
    temporary files of a refused upload do not linger."""
    try:
        if request.method not in SAFE_METHODS:
            await _check(request)
        yield
    finally:
        await request.close()


async def _check(request: Request) -> None:
    expected = request.session.get(CSRF_FIELD)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or sent is None or not hmac.compare_digest(expected, sent):
        raise CsrfError()


def start_session(request: Request, *, user_id: int, epoch: int) -> None:
    """Sign in: a fresh session (and CSRF token) so nothing from before sign-in carries over."""
    request.session.clear()
    request.session.update({"uid": user_id, "epoch": epoch, CSRF_FIELD: secrets.token_urlsafe(32)})


def end_session(request: Request) -> None:
    request.session.clear()
