"""The SQL unit of work: one database transaction per `with` block, shared by its repositories.

Leaving the block rolls back whatever was not committed, on an exception or a forgotten
`commit()` alike, so a half-done service call never leaves half its rows behind.
"""

from __future__ import annotations

from functools import lru_cache
from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ironmile.adapters.db.account_repository import SqlAccountRepository
from ironmile.adapters.db.activity_repository import SqlActivityRepository
from ironmile.adapters.db.engine import read_only_engine
from ironmile.adapters.db.repositories import (
    SqlAthleteRepository,
    SqlBodyMassRepository,
    SqlLogRepository,
    SqlMorningPainRepository,
    SqlPlanRepository,
    SqlScreenRepository,
    SqlSwapRepository,
)
from ironmile.adapters.db.request_repository import SqlAppliedRequestRepository
from ironmile.adapters.db.version_repository import SqlDataVersionRepository


class SqlUnitOfWork:
    """`with SqlUnitOfWork(engine) as uow: ...; uow.commit()`; the repositories exist inside the block.

    One instance may be entered again after its block ends (each time a new transaction), but
    not while it is open.
    """

    athletes: SqlAthleteRepository
    plans: SqlPlanRepository
    log: SqlLogRepository
    body_mass: SqlBodyMassRepository
    morning_pain: SqlMorningPainRepository
    screens: SqlScreenRepository
    swaps: SqlSwapRepository
    activities: SqlActivityRepository
    accounts: SqlAccountRepository
    applied_requests: SqlAppliedRequestRepository
    data_versions: SqlDataVersionRepository

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        """`read_only`: the work only reads, so on SQLite it need not take the write lock
        (engine.read_only_engine); a write in it still works but may wait for other writers."""
        self._sessions = _session_factory(engine, read_only)
        self._session: Session | None = None

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open; nest services, not transactions")
        session = self._session = self._sessions()
        self.athletes = SqlAthleteRepository(session)
        self.plans = SqlPlanRepository(session)
        self.log = SqlLogRepository(session)
        self.body_mass = SqlBodyMassRepository(session)
        self.morning_pain = SqlMorningPainRepository(session)
        self.screens = SqlScreenRepository(session)
        self.swaps = SqlSwapRepository(session)
        self.activities = SqlActivityRepository(session)
        self.accounts = SqlAccountRepository(session)
        self.applied_requests = SqlAppliedRequestRepository(session)
        self.data_versions = SqlDataVersionRepository(session)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self._active(), None
        try:
            session.rollback()
        finally:
            session.close()

    def commit(self) -> None:
        self._active().commit()

    def rollback(self) -> None:
        self._active().rollback()

    def _active(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._session


# One factory per engine and mode: `sessionmaker` builds a Session subclass, and setting up its
# event hooks costs more than a short read itself (the web app makes a unit of work per request).
# A bounded cache: a factory refers to its engine, so the entries of engines no longer used (one
# per test) are let go in turn.
@lru_cache(maxsize=16)
def _session_factory(engine: Engine, read_only: bool) -> sessionmaker[Session]:
    return sessionmaker(read_only_engine(engine) if read_only else engine, expire_on_commit=False)
