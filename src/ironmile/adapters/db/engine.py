"""Which database, and an engine for it: `--db` / `IRONMILE_DB` / a SQLite file in the user's data folder.

SQLite connections get foreign keys ON (off by default, and ON DELETE CASCADE depends on them),
WAL journaling (readers do not block the writer) and real transactions: pysqlite's own
transaction handling neither begins before DDL nor before a SELECT, so it is switched off and every
transaction starts with BEGIN IMMEDIATE. Migrations are then atomic, and a write never fails half
way with "database is locked" because another writer got in between its read and its write:
it waits up to the busy timeout instead. A unit of work that only reads (the web app's GET
requests) asks for a plain deferred BEGIN (`read_only_engine`): under WAL it reads a snapshot
without taking the write lock, so fifty readers never queue behind each other or a writer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

ENV_VAR = "IRONMILE_DB"
DEFAULT_FILE_NAME = "ironmile.db"
SQLITE_BUSY_TIMEOUT_S = 10.0

_URL_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def database_url(cli_value: str | None, environ: Mapping[str, str]) -> str:
    """The database to open: the `--db` value, else `IRONMILE_DB`, else the default SQLite file.

    Empty strings count as not given, so `IRONMILE_DB=` in a shell falls back to the default.
    """
    return cli_value or environ.get(ENV_VAR) or default_database_url()


def default_database_url() -> str:
    """A SQLite URL for `ironmile.db` in the user data folder, which this creates if missing."""
    folder = Path(platformdirs.user_data_dir("ironmile", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return URL.create("sqlite", database=str(folder / DEFAULT_FILE_NAME)).render_as_string()


def to_url(url_or_path: str) -> URL:
    """A SQLAlchemy URL from a URL or a plain file path (a SQLite database; `~` is expanded).

    `postgresql://` and `postgres://` URLs get the psycopg 3 driver, the one ironmile ships.
    """
    if not _URL_PATTERN.match(url_or_path):
        return URL.create("sqlite", database=str(Path(url_or_path).expanduser()))
    url = make_url(url_or_path)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for a SQLAlchemy URL or a SQLite file path; `options` go to `create_engine`."""
    parsed = to_url(url)
    if parsed.get_backend_name() != "sqlite":
        # A server may restart under a long-lived web app; test each pooled connection before use.
        return create_engine(parsed, **{"pool_pre_ping": True, **options})
    connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_S, **options.pop("connect_args", {})}
    engine = create_engine(parsed, connect_args=connect_args, **options)
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, in _begin_immediate
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


_BEGIN_OPTION = "ironmile_sqlite_begin"


def read_only_engine(engine: Engine) -> Engine:
    """The same engine, its SQLite transactions beginning DEFERRED (for units of work that only
    read); other databases are returned as they are."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"})


def _begin_immediate(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")
