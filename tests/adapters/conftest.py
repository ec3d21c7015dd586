"""Storage fixtures: every test gets a database of its own, on SQLite and on PostgreSQL alike.

SQLite: a new file in the test's tmp_path. PostgreSQL: a new database created through the admin
URL in IRONMILE_TEST_POSTGRES_URL (`make test` starts a local server and sets it) and dropped
after the test. Without that variable the PostgreSQL cases fail, with the reason: a run can never
pass while silently testing SQLite alone.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import Engine, text
from sqlalchemy.pool import NullPool

from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.migrate import upgrade
from ironmile.adapters.db.tables import metadata
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from tests.adapters.stores import NewUow, Store
from tests.fakes import FakeUnitOfWork

POSTGRES_ENV = "IRONMILE_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An AUTOCOMMIT engine on the test server's maintenance database, for CREATE/DROP DATABASE."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        # never skipped: a storage change must pass on PostgreSQL too, so its absence is a failure
        pytest.fail(
            f"{POSTGRES_ENV} is not set; run the tests with `make test` (or `make postgres` first and "
            f"export {POSTGRES_ENV})",
            pytrace=False,
        )
    admin = make_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except sqlalchemy.exc.OperationalError as error:
        pytest.fail(
            f"cannot connect to PostgreSQL at {POSTGRES_ENV} ({error.orig}); try `make postgres`",
            pytrace=False,
        )
    yield admin
    admin.dispose()


def _fresh_engine(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, *, migrated: bool
) -> Iterator[Engine]:
    if backend == "sqlite":
        engine = make_engine(str(tmp_path / "ironmile.db"))
        if migrated:
            upgrade(engine)
        yield engine
        engine.dispose()
        return
    admin: Engine = request.getfixturevalue("postgres_admin")
    name = f"ironmile_test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        if migrated:
            upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        _drop_database(admin, name)


def _drop_database(admin: Engine, name: str, *, attempts: int = 20, pause_s: float = 0.25) -> None:
    """DROP DATABASE ... WITH (FORCE), tried again for a few seconds: FORCE ends other sessions, but
    an autovacuum worker that has just started on the database runs as the server's superuser, which
    the test role may not end ("must be a member of the role whose process is being terminated");
    autovacuum on a test database is over in moments."""
    for attempt in range(attempts):
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except sqlalchemy.exc.ProgrammingError:
            if attempt == attempts - 1:
                raise
            time.sleep(pause_s)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A new, empty database (no tables): SQLite file or PostgreSQL database."""
    yield from _fresh_engine(request.param, request, tmp_path, migrated=False)


@pytest.fixture(params=BACKENDS)
def migrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A new database with the schema at head."""
    yield from _fresh_engine(request.param, request, tmp_path, migrated=True)


def _sql_store(engine: Engine) -> Store:
    def wipe() -> None:
        with engine.begin() as connection:
            connection.execute(metadata.tables["athletes"].delete())

    return Store(lambda: SqlUnitOfWork(engine), wipe)


def _fake_store() -> Store:
    holder = [FakeUnitOfWork()]

    def wipe() -> None:
        holder[0] = FakeUnitOfWork()

    return Store(lambda: holder[0], wipe)


@pytest.fixture(params=[*BACKENDS, "fake"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A new store on SQLite, PostgreSQL or the in-memory fake, which the same tests hold to the
    same contract."""
    if request.param == "fake":
        yield _fake_store()
        return
    for engine in _fresh_engine(request.param, request, tmp_path, migrated=True):
        yield _sql_store(engine)


@pytest.fixture
def new_uow(store: Store) -> NewUow:
    """Opens units of work on the test's new store."""
    return store.new_uow
