"""The HTML pages, one module per page; none of them is part of the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter

from ironmile.web.pages import auth

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
