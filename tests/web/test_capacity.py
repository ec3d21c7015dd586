"""How much a worker takes on at once: its threads (IRONMILE_THREADS) and a database pool sized to
them, so no request waits for a connection and none is opened per request."""

from __future__ import annotations

from pathlib import Path

from anyio import to_thread
from fastapi.testclient import TestClient
from sqlalchemy.pool import QueuePool

from ironmile.web.app import create_app
from ironmile.web.settings import WebSettings
from tests.web.conftest import CHEAP_HASHER


def test_the_thread_limit_and_the_pool_follow_the_setting(tmp_path: Path) -> None:
    settings = WebSettings(_env_file=None, db=str(tmp_path / "web.db"), threads=5)  # type: ignore[call-arg]
    app = create_app(settings, hasher=CHEAP_HASHER)
    pool = app.state.ironmile.engine.pool
    assert isinstance(pool, QueuePool)
    assert pool.size() == 5 + 2  # the threads, and two for the event loop's short reads
    with TestClient(app) as client:  # runs the app's startup
        assert client.portal is not None
        tokens = client.portal.call(lambda: to_thread.current_default_thread_limiter().total_tokens)
        assert tokens == 5
        assert client.get("/healthz").status_code == 200
    app.state.ironmile.engine.dispose()


def test_an_in_memory_database_keeps_its_own_pool() -> None:
    app = create_app(WebSettings(_env_file=None, db="sqlite://"), hasher=CHEAP_HASHER)  # type: ignore[call-arg]
    assert TestClient(app).get("/healthz").json()["database"] == "ok"
