"""The web app on PostgreSQL, as a coach's squad runs it: the account and version reads go through
the thread pool rather than the event loop, and the database's triggers keep kept answers fresh."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.services.training import log_sets
from tests.adapters.conftest import _fresh_engine, postgres_admin  # noqa: F401 (a fixture it needs)
from tests.web.conftest import Clock, onboard, sign_up

TUE = date(2026, 12, 8)  # the marathoner's first session: back squat first


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
    log_sets(
        SqlUnitOfWork(engine),
        day=TUE,
        catalogue=load_catalogue(),
        exercise_id="back_squat",
        notation="77.5x5",
        athlete_id=athlete_id,
    )
    after = [client.get(path).text for path in paths]
    assert all("77.5" not in page for page in before)
    assert all("77.5" in page for page in after)
