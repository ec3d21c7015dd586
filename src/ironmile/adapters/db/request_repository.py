"""Applied requests in SQL (contract: `AppliedRequestRepository` in ports.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ironmile.adapters.db.ports import AppliedRequest
from ironmile.adapters.db.tables import AppliedRequestRow, AthleteRow


class SqlAppliedRequestRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def lock_athlete(self, athlete_id: int) -> None:
        """PostgreSQL: a row lock on the athlete, held until the transaction ends; a second
        transaction asking for it waits, then sees what the first committed. SQLite needs nothing:
        every transaction there begins IMMEDIATE (engine.py), so writers already take turns, and
        SQLAlchemy leaves FOR UPDATE out of SQLite's SQL."""
        self._session.execute(select(AthleteRow.id).where(AthleteRow.id == athlete_id).with_for_update())

    def get(self, athlete_id: int, request_id: str) -> AppliedRequest | None:
        row = self._session.scalars(
            select(AppliedRequestRow).where(
                AppliedRequestRow.athlete_id == athlete_id, AppliedRequestRow.request_id == request_id
            )
        ).one_or_none()
        return None if row is None else AppliedRequest(row.request_id, row.applied_on, row.position)

    def add(self, athlete_id: int, request: AppliedRequest) -> None:
        self._session.add(
            AppliedRequestRow(
                athlete_id=athlete_id,
                request_id=request.request_id,
                applied_on=request.applied_on,
                position=request.position,
            )
        )
        self._session.flush()

    def on_day(self, athlete_id: int, day: dt.date) -> list[AppliedRequest]:
        rows = self._session.scalars(
            select(AppliedRequestRow)
            .where(AppliedRequestRow.athlete_id == athlete_id, AppliedRequestRow.applied_on == day)
            .order_by(AppliedRequestRow.position)
        )
        return [AppliedRequest(row.request_id, row.applied_on, row.position) for row in rows]

    def forget(self, athlete_id: int, request: AppliedRequest) -> None:
        row = self._session.scalars(
            select(AppliedRequestRow).where(
                AppliedRequestRow.athlete_id == athlete_id, AppliedRequestRow.request_id == request.request_id
            )
        ).one_or_none()
        if row is None:
            return
        day, position = row.applied_on, row.position  # as stored: the caller's copy may be stale
        self._session.delete(row)
        self._session.flush()
        self._session.execute(
            update(AppliedRequestRow)
            .where(
                AppliedRequestRow.athlete_id == athlete_id,
                AppliedRequestRow.applied_on == day,
                AppliedRequestRow.position > position,
            )
            .values(position=AppliedRequestRow.position - 1)
        )
        self._session.flush()
