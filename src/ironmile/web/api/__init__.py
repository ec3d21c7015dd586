"""The JSON API under /api/v1: the same services as the pages, described by OpenAPI."""

from __future__ import annotations

from fastapi import APIRouter

from ironmile.web.api import account, health

router = APIRouter()
router.include_router(health.router)
router.include_router(account.router, prefix="/api/v1")
