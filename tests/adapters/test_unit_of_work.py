"""One transaction per `with` block: kept on commit(), gone otherwise, even when the process dies."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

import pytest
from sqlalchemy import Engine, text

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.training import BodyMass, LoggedSession, LoggedSet
from ironmile.domain.units import UnitSystem
from tests.adapters.stores import NewUow

DAY = date(2027, 1, 4)
SESSION = LoggedSession(date=DAY, sets=(LoggedSet("deadlift", 100.0, 3, None, 2),) * 3)


def write_some(uow: UnitOfWork, name: str = "Alex") -> int:
    athlete_id = uow.athletes.add(name=name, units=UnitSystem.METRIC, profile_toml="", created_on=DAY)
    uow.log.add(athlete_id, SESSION)
    uow.body_mass.put(athlete_id, BodyMass(DAY, 70.0))
    return athlete_id


def names(new_uow: NewUow) -> list[str]:
    with new_uow() as uow:
        return [athlete.name for athlete in uow.athletes.all()]


def test_commit_keeps_the_work(new_uow: NewUow) -> None:
    with new_uow() as uow:
        athlete_id = write_some(uow)
        uow.commit()
    with new_uow() as uow:
        assert [s.session for s in uow.log.between(athlete_id)] == [SESSION]
        assert uow.body_mass.between(athlete_id) == [BodyMass(DAY, 70.0)]


def test_leaving_without_commit_keeps_nothing(new_uow: NewUow) -> None:
    with new_uow() as uow:
        write_some(uow)
    assert names(new_uow) == []


def test_an_exception_rolls_back_and_propagates(new_uow: NewUow) -> None:
    with new_uow() as uow:
        write_some(uow, "Kept")
        uow.commit()

    def fail_half_way() -> None:
        with new_uow() as uow:
            write_some(uow, "Lost")
            raise RuntimeError("failed half way")

    with pytest.raises(RuntimeError, match="half way"):
        fail_half_way()
    assert names(new_uow) == ["Kept"]


def test_rollback_discards_and_the_block_goes_on(new_uow: NewUow) -> None:
    with new_uow() as uow:
        write_some(uow, "Discarded")
        uow.rollback()
        write_some(uow, "Kept")
        uow.commit()
    assert names(new_uow) == ["Kept"]


def test_work_after_a_commit_needs_its_own_commit(new_uow: NewUow) -> None:
    with new_uow() as uow:
        write_some(uow, "First")
        uow.commit()
        write_some(uow, "Second")
    assert names(new_uow) == ["First"]


def test_a_unit_of_work_cannot_be_nested_in_itself(new_uow: NewUow) -> None:
    uow = new_uow()
    with uow, pytest.raises(RuntimeError, match="already open"), uow:
        pass  # pragma: no cover - never reached


def test_the_sql_unit_of_work_refuses_use_outside_its_block(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    with pytest.raises(RuntimeError, match="outside"):
        uow.commit()
    with uow:
        write_some(uow)
        uow.commit()
    with pytest.raises(RuntimeError, match="outside"):
        uow.rollback()


CRASH = textwrap.dedent(
    """
    import os, sys
    from datetime import date
    from ironmile.adapters.db.engine import make_engine
    from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
    from ironmile.domain.training import LoggedSession, LoggedSet
    from ironmile.domain.units import UnitSystem

    uow = SqlUnitOfWork(make_engine(sys.argv[1]))
    day, next_day, metric = date(2027, 1, 4), date(2027, 1, 5), UnitSystem.METRIC
    with uow:
        alex = uow.athletes.add(name="Alex", units=metric, profile_toml="", created_on=day)
        uow.log.add(alex, LoggedSession(date=day, sets=(LoggedSet("deadlift", 100.0, 3, None, 2),)))
        uow.commit()
    with uow:
        uow.log.add(alex, LoggedSession(date=next_day, sets=(LoggedSet("deadlift", 105.0, 3, None, 1),)))
        uow.athletes.add(name="Sam", units=metric, profile_toml="", created_on=next_day)
        os._exit(3)  # dies mid-transaction: no rollback, no close, no atexit
    """
)


def test_a_process_that_dies_mid_transaction_leaves_only_committed_work(migrated: Engine) -> None:
    url = migrated.url.render_as_string(hide_password=False)
    crashed = subprocess.run([sys.executable, "-c", CRASH, url], capture_output=True, text=True, timeout=120)
    assert crashed.returncode == 3, crashed.stderr
    migrated.dispose()
    with SqlUnitOfWork(migrated) as uow:
        assert [athlete.name for athlete in uow.athletes.all()] == ["Alex"]
        alex = uow.athletes.all()[0].id
        assert [s.session.date for s in uow.log.between(alex)] == [DAY]
    with migrated.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM logged_sets")).scalar_one() == 1
        if migrated.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
