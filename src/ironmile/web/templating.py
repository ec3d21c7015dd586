"""Jinja2 templates: autoescaped, with the CSRF token, static URLs and unit formatting at hand.

Pages render through `render`, so tests can read `response.template.name` and `response.context`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from ironmile import __version__
from ironmile.web.security import CSRF_FIELD, csrf_token
from ironmile.web.view_cache import CSRF_PLACEHOLDER, Made

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals["version"] = __version__
TEMPLATES.env.globals["csrf_field"] = CSRF_FIELD


def _static(path: str) -> str:
    # The version in the query string makes browsers fetch new files after an upgrade.
    return f"/static/{path}?v={__version__}"


TEMPLATES.env.globals["static"] = _static


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    values = {
        "csrf_token": csrf_token(request),
        "account": getattr(request.state, "account", None),
        **(context or {}),
    }
    return TEMPLATES.TemplateResponse(request, name, values, status_code=status, headers=dict(headers or {}))


def made_page(request: Request, name: str, context: Mapping[str, Any], *, status: int = 200) -> Made:
    """A page rendered to be kept (view_cache.py): the CSRF token left as a placeholder, filled in
    for each session that is sent it."""
    values = {"csrf_token": CSRF_PLACEHOLDER, "account": getattr(request.state, "account", None), **context}
    template = TEMPLATES.get_template(name)
    body = template.render({"request": request, **values}).encode()
    # Kept without the request: it holds the session of whoever asked first.
    return Made(body, "text/html; charset=utf-8", status=status, template=template, context=values)
