"""The JSON API under /api/v1: the same services as the pages, described by OpenAPI."""

from __future__ import annotations

from fastapi import APIRouter

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

router = APIRouter()
router.include_router(health.router)
for module in (account, profile, training, plan, progress, imports, exports, settings, squads):
    router.include_router(module.router, prefix="/api/v1")
