"""The JSON API under /api/v1: the same services as the pages, described by OpenAPI."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope

from ironmile.web.api import (
    account,
    exports,
    health,
    imports,
    plan,
    profile,
    progress,
    settings,
    squads,
    training,
)


class _PrefixedRouter(APIRouter):
    """Every route of the API starts with one of `prefixes`: a request for any other path (every
    page) is turned away with one string comparison, where FastAPI would try each of the API's
    routes in turn (measured: a fifth of the time a kept page takes to send)."""

    prefixes: tuple[str, ...] = ("/api/", "/healthz")

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if not str(scope.get("path", "")).startswith(self.prefixes):
            return Match.NONE, {}
        return super().matches(scope)


router = _PrefixedRouter()
router.include_router(health.router)
for module in (account, profile, training, plan, progress, imports, exports, settings, squads):
    router.include_router(module.router, prefix="/api/v1")
