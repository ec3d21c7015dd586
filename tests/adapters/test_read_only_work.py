"""A unit of work that only reads does not take SQLite's write lock: readers go on while a writer
holds it (WAL), and a reader never makes a writer wait."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.migrate import upgrade
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.units import UnitSystem


def test_a_reader_reads_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "wal.db"), connect_args={"timeout": 0.2})
    upgrade(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.athletes.add(name="Alex", units=UnitSystem.METRIC, profile_toml="", created_on=date(2026, 11, 26))
        uow.commit()
    with engine.connect() as writer:
        writer.execute(text("UPDATE athletes SET name = 'Sam'"))  # BEGIN IMMEDIATE: holds the write lock
        with SqlUnitOfWork(engine, read_only=True) as reader:
            assert [a.name for a in reader.athletes.all()] == ["Alex"]  # the last committed snapshot
        blocked = SqlUnitOfWork(engine)  # an ordinary unit of work begins IMMEDIATE: it must wait
        with pytest.raises(OperationalError, match="database is locked"), blocked:
            blocked.athletes.all()
        writer.rollback()
    engine.dispose()
