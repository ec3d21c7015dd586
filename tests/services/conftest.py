"""Service fixtures: the storage tests' per-test databases (SQLite file, PostgreSQL database), reused.

`postgres_admin`, `engine` and `migrated` come from tests/adapters/conftest.py unchanged; `db`
adds the in-memory fake, so the same service test runs on all three stores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.db.tables import metadata
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from tests.adapters.conftest import BACKENDS, _fresh_engine, engine, migrated, postgres_admin
from tests.fakes import FakeUnitOfWork

__all__ = ["Db", "db", "engine", "migrated", "postgres_admin", "sql_db"]


@dataclass(frozen=True)
class Db:
    """A store for one test: `uow` is reused across service calls, as the CLI does; `rows()` counts
    every table's rows (SQL) or every record the fake holds, to prove a refusal wrote nothing."""

    backend: str
    uow: UnitOfWork
    rows: Callable[[], dict[str, int]]
    engine: Engine | None = None


def _sql_rows(engine: Engine) -> Callable[[], dict[str, int]]:
    def rows() -> dict[str, int]:
        with engine.connect() as connection:
            return {
                name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in metadata.tables.items()
            }

    return rows


def _fake_rows(uow: FakeUnitOfWork) -> Callable[[], dict[str, int]]:
    def rows() -> dict[str, int]:
        with uow:
            athletes = uow.athletes.all()
            sessions = [s for a in athletes for s in uow.log.between(a.id)]
            return {
                "athletes": len(athletes),
                "plan_versions": sum(len(uow.plans.versions(a.id)) for a in athletes),
                "logged_sessions": len(sessions),
                "logged_sets": sum(len(s.session.sets) for s in sessions),
            }

    return rows


def _sql_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    for fresh in _fresh_engine(backend, request, tmp_path, migrated=True):
        yield Db(backend, SqlUnitOfWork(fresh), _sql_rows(fresh), fresh)


@pytest.fixture(params=[*BACKENDS, "fake"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    """A new, migrated store: SQLite file, PostgreSQL database or the in-memory fake."""
    if request.param == "fake":
        fake = FakeUnitOfWork()
        yield Db("fake", fake, _fake_rows(fake))
        return
    yield from _sql_db(request.param, request, tmp_path)


@pytest.fixture(params=BACKENDS)
def sql_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    """A new, migrated SQL database (SQLite file or PostgreSQL), for transaction tests."""
    yield from _sql_db(request.param, request, tmp_path)
