"""The web app on PostgreSQL, as a coach's squad runs it: the account and version reads go through
the thread pool rather than the event loop, and the database's triggers keep kept answers fresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.adapters.conftest import _fresh_engine, postgres_admin  # noqa: F401 (a fixture it needs)
from tests.web.conftest import Clock, onboard, sign_up
from tests.web.test_view_cache import TUE, squat_outside_the_app


@pytest.fixture
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh PostgreSQL database in place of the web tests' SQLite file."""
    yield from _fresh_engine("postgresql", request, tmp_path, migrated=False)


def test_kept_answers_follow_writes_made_outside_the_app(
    client: TestClient, engine: Engine, clock: Clock
) -> None:
    assert engine.dialect.name == "postgresql"
    clock.today = TUE
    athlete_id = onboard(engine, sign_up(client, "pat@example.org"), "pat@example.org")
    assert client.get("/healthz").json()["database"] == "ok"
    paths = (f"/today?date={TUE}", f"/api/v1/today?date={TUE}")
    before = [client.get(path).text for path in paths]
    assert before == [client.get(path).text for path in paths]  # kept, and the same
    squat_outside_the_app(engine, athlete_id)
    after = [client.get(path).text for path in paths]
    assert all("77.5" not in page for page in before)
    assert all("77.5" in page for page in after)
