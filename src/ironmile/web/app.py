"""The composition root: `create_app(settings)` builds the app from its parts, once.

Pages and the API share the services and the access rules (deps.py); the OpenAPI document
describes the API only, at /api/v1/openapi.json, with its docs at /api/v1/docs.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path

from anyio import to_thread
from argon2 import PasswordHasher
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from ironmile import __version__
from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.engine import database_url, make_engine, to_url
from ironmile.adapters.db.migrate import upgrade
from ironmile.adapters.passwords import DEFAULT_HASHER
from ironmile.domain.accounts import LoginLimit
from ironmile.web import errors
from ironmile.web.headers import SecurityHeaders
from ironmile.web.limits import BodyLimit
from ironmile.web.security import require_csrf
from ironmile.web.settings import WebSettings
from ironmile.web.state import AppState
from ironmile.web.view_cache import ViewCache

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "ironmile_session"


def create_app(
    settings: WebSettings,
    *,
    engine: Engine | None = None,
    today: Callable[[], date] = date.today,
    now_utc_s: Callable[[], float] = time.time,
    hasher: PasswordHasher = DEFAULT_HASHER,
    secure_cookies: bool | None = None,
) -> FastAPI:
    """The web app. `engine` defaults to the settings' database (migrated here, before serving);
    `secure_cookies` defaults to the setting, else on in production."""
    from ironmile.web.api import router as api_router
    from ironmile.web.pages import router as pages_router

    # A connection for each thread and a couple for the event loop's short reads (deps.signed_in),
    # so no request waits for one and none is opened and closed per request. (An in-memory SQLite
    # database has a pool of one connection, without these options.)
    url = database_url(settings.db, {})
    in_memory = to_url(url).get_backend_name() == "sqlite" and to_url(url).database in (None, "", ":memory:")
    pool = {} if in_memory else {"pool_size": settings.threads + 2, "max_overflow": settings.threads}
    engine = engine or make_engine(url, **pool)
    upgrade(engine)
    secure = settings.secure_cookies if settings.secure_cookies is not None else secure_cookies
    if secure is None:
        secure = settings.environment.value == "production"

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Python runs one thread at a time, so threads past those waiting on the database or on an
        # import's file readers only queue for the interpreter lock (AnyIO's default is 40); each
        # holds a pooled connection while it reads, so workers × (threads + 2) must stay under
        # PostgreSQL's max_connections (100 by default).
        to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="ironmile API",
        version=__version__,
        summary="Strength training for runners: plans, the training log, running history, exports.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        dependencies=[Depends(require_csrf)],
    )
    app.state.ironmile = AppState(
        settings=settings,
        engine=engine,
        catalogue=load_catalogue(),
        today=today,
        now_utc_s=now_utc_s,
        hasher=hasher,
        login_limit=LoginLimit(settings.login_attempts, settings.login_window_minutes * 60.0),
        secure_cookies=secure,
        views=ViewCache(settings.view_cache_entries),
        squad_rows=ViewCache(settings.view_cache_entries),
    )
    errors.install(app)
    app.include_router(api_router)
    app.include_router(pages_router)
    # Compressed: the chart libraries are 600 KB, 180 KB gzipped, on a phone in a gym basement.
    app.mount("/static", GZipMiddleware(StaticFiles(directory=STATIC_DIR), minimum_size=1024), name="static")

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=int(timedelta(days=settings.session_days).total_seconds()),
        same_site="lax",
        https_only=secure,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
    return app
