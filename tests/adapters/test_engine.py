"""Choosing the database (`--db`, IRONMILE_DB, default) and how SQLite connections are set up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from ironmile.adapters.db.engine import database_url, default_database_url, make_engine, to_url


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs puts user data under XDG_DATA_HOME on Linux."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def test_the_command_line_wins_over_the_environment() -> None:
    assert database_url("cli.db", {"IRONMILE_DB": "env.db"}) == "cli.db"


def test_the_environment_wins_over_the_default() -> None:
    assert database_url(None, {"IRONMILE_DB": "postgresql+psycopg://db/ironmile"}) == (
        "postgresql+psycopg://db/ironmile"
    )


def test_the_default_is_a_sqlite_file_in_the_user_data_folder_which_is_created(data_home: Path) -> None:
    url = database_url(None, {"IRONMILE_DB": ""})
    assert url == default_database_url() == f"sqlite:///{data_home}/ironmile/ironmile.db"
    assert (data_home / "ironmile").is_dir()


def test_a_plain_path_is_a_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    engine = make_engine(str(path))
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    engine.dispose()
    assert path.is_file()


def test_paths_and_urls_are_told_apart(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert to_url("~/log.db").database == f"{tmp_path}/log.db"
    assert to_url("relative/log.db").render_as_string() == "sqlite:///relative/log.db"
    assert to_url("sqlite:///x.db").database == "x.db"
    assert to_url("postgresql://u:p@host/db").drivername == "postgresql+psycopg"
    assert to_url("postgres://u:p@host/db").drivername == "postgresql+psycopg"
    assert to_url("postgresql+psycopg://u:p@host/db").drivername == "postgresql+psycopg"


def test_sqlite_gets_foreign_keys_and_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'log.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    engine.dispose()


def test_sqlite_transactions_cover_ddl(tmp_path: Path) -> None:
    """pysqlite alone would run CREATE TABLE outside any transaction; ours rolls it back."""
    engine = make_engine(str(tmp_path / "log.db"))
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.rollback()
        tables = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).all()
    engine.dispose()
    assert tables == []
