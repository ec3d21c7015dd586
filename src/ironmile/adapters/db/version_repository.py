"""Athlete data versions in SQL (contract: `DataVersionRepository` in ports.py).

Only reads: the database's triggers (migration 0006) write every version, in the same transaction
as the change, so the number is right whichever process or code path changed the rows.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ironmile.adapters.db.tables import AthleteDataVersionRow


class SqlDataVersionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def version(self, athlete_id: int) -> int | None:
        # A plain read on the connection, not the ORM: every request asks, and a row object from
        # the identity map would keep a version read earlier in the transaction while the triggers
        # go on changing it. Pending writes are flushed first, so their triggers have run.
        self._session.flush()
        found: int | None = self._session.connection().execute(_VERSION, {"athlete_id": athlete_id}).scalar()
        return found


_VERSION = select(AthleteDataVersionRow.version).where(
    AthleteDataVersionRow.athlete_id == bindparam("athlete_id")
)
