"""The API router turns away paths outside its prefixes before trying its routes one by one; that
is only right while every API route starts with one of them."""

from __future__ import annotations

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from ironmile.web.api import router as api_router


def test_every_api_route_starts_with_a_prefix_the_api_router_admits() -> None:
    paths = [c.path for c in iter_route_contexts(api_router.routes) if isinstance(c.original_route, APIRoute)]
    assert len(paths) > 40
    assert [path for path in paths if not path.startswith(api_router.prefixes)] == []  # type: ignore[attr-defined]


def test_api_routes_and_pages_both_answer_through_the_app(athlete: TestClient) -> None:
    assert athlete.get("/healthz").status_code == 200
    assert athlete.get("/api/v1/me").status_code == 200
    assert athlete.get("/today").status_code == 200
    assert athlete.get("/api/v1/no-such-thing").status_code == 404
    assert athlete.get("/no-such-page").status_code == 404
    assert athlete.delete("/api/v1/me").status_code == 405  # the path is there, not the method
