"""docs/web.md and the app agree: every endpoint the page names exists, and every API endpoint the
app serves is named on the page."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.routing import APIRoute, iter_route_contexts

from ironmile.adapters.db.engine import make_engine
from ironmile.web.app import create_app
from ironmile.web.settings import WebSettings

WEB_DOC = Path(__file__).resolve().parents[2] / "docs" / "web.md"
# Every endpoint is written out in full as `METHOD /path` (query strings are not part of the path).
MENTION = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)[^`]*`")


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def documented() -> set[tuple[str, str]]:
    text = WEB_DOC.read_text(encoding="utf-8")
    return {(match.group(1), _shape(match.group(2))) for match in MENTION.finditer(text)}


def served(tmp_path: Path) -> set[tuple[str, str]]:
    app = create_app(WebSettings(), engine=make_engine(str(tmp_path / "docs.db")))
    return {
        (method, _shape(context.path))
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        for method in (context.methods or set()) - {"HEAD"}
    }


def test_every_endpoint_the_page_names_exists(tmp_path: Path) -> None:
    missing = documented() - served(tmp_path)
    assert not missing, f"docs/web.md names endpoints the app does not serve: {sorted(missing)}"


def test_every_api_endpoint_is_on_the_page(tmp_path: Path) -> None:
    api = {
        (method, path)
        for method, path in served(tmp_path)
        if path.startswith(("/api/v1/", "/healthz", "/feed/"))
    }
    undocumented = api - documented()
    assert not undocumented, f"API endpoints missing from docs/web.md: {sorted(undocumented)}"
