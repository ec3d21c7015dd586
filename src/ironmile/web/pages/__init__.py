"""The HTML pages, one module per page; none of them is part of the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter

from ironmile.web.pages import auth, exports, imports, onboarding, plan, progress, settings, squads, today

router = APIRouter(include_in_schema=False)
for module in (today, plan, progress, auth, onboarding, imports, exports, settings, squads):
    router.include_router(module.router)
