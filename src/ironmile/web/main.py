"""The app as uvicorn imports it (`uvicorn --factory ironmile.web.main:app_from_environment`):
settings from `IRONMILE_*` environment variables, as each worker process starts."""

from __future__ import annotations

from fastapi import FastAPI

from ironmile.web.app import create_app
from ironmile.web.settings import WebSettings


def app_from_environment() -> FastAPI:
    return create_app(WebSettings())
