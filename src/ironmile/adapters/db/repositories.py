"""SQLAlchemy repositories: rows in, domain types out, inside a session the unit of work owns.

They flush (to get ids and surface constraint errors early) but never commit. The contract of
each method is written on its Protocol in `ports.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ironmile.adapters.db.records import PlanVersion, StoredAthlete, StoredSession
from ironmile.adapters.db.tables import (
    AthleteRow,
    BodyMassRow,
    LoggedSessionRow,
    LoggedSetRow,
    MorningPainRow,
    PlanVersionRow,
    ScreenRow,
    SwapRow,
)
from ironmile.domain.swapping import swaps_in_force
from ironmile.domain.training import BodyMass, LoggedSession, LoggedSet, MorningPain, ScreenResultRecord, Swap
from ironmile.domain.units import UnitSystem


def _within(
    column: InstrumentedAttribute[date], start: date | None, end: date | None
) -> list[ColumnElement[bool]]:
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column <= end)
    return conditions


class SqlAthleteRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, name: str, units: UnitSystem, profile_toml: str, created_on: date) -> int:
        row = AthleteRow(name=name, units=units.value, profile_toml=profile_toml, created_on=created_on)
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, athlete_id: int) -> StoredAthlete | None:
        row = self._session.get(AthleteRow, athlete_id)
        return None if row is None else _athlete(row)

    def by_name(self, name: str) -> StoredAthlete | None:
        row = self._session.scalars(select(AthleteRow).where(AthleteRow.name == name)).one_or_none()
        return None if row is None else _athlete(row)

    def all(self) -> list[StoredAthlete]:
        return [_athlete(row) for row in self._session.scalars(select(AthleteRow).order_by(AthleteRow.name))]

    def update_profile(self, athlete_id: int, *, profile_toml: str, units: UnitSystem) -> None:
        row = self._session.get(AthleteRow, athlete_id)
        if row is None:
            raise LookupError(f"no athlete with id {athlete_id}")
        row.profile_toml = profile_toml
        row.units = units.value
        self._session.flush()


def _athlete(row: AthleteRow) -> StoredAthlete:
    return StoredAthlete(
        id=row.id,
        name=row.name,
        units=UnitSystem(row.units),
        profile_toml=row.profile_toml,
        created_on=row.created_on,
    )


class SqlPlanRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, athlete_id: int, *, created_on: date, effective_from: date, document: str) -> int:
        row = PlanVersionRow(
            athlete_id=athlete_id, created_on=created_on, effective_from=effective_from, document=document
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def versions(self, athlete_id: int) -> list[PlanVersion]:
        query = (
            select(PlanVersionRow)
            .where(PlanVersionRow.athlete_id == athlete_id)
            .order_by(PlanVersionRow.effective_from, PlanVersionRow.id)
        )
        return [_plan(row) for row in self._session.scalars(query)]

    def in_force(self, athlete_id: int, on: date) -> PlanVersion | None:
        query = (
            select(PlanVersionRow)
            .where(PlanVersionRow.athlete_id == athlete_id, PlanVersionRow.effective_from <= on)
            .order_by(PlanVersionRow.effective_from.desc(), PlanVersionRow.id.desc())
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else _plan(row)


def _plan(row: PlanVersionRow) -> PlanVersion:
    return PlanVersion(
        id=row.id,
        athlete_id=row.athlete_id,
        created_on=row.created_on,
        effective_from=row.effective_from,
        document=row.document,
    )


class SqlLogRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, athlete_id: int, session: LoggedSession) -> int:
        row = LoggedSessionRow(athlete_id=athlete_id, **_session_fields(session))
        self._session.add(row)
        self._session.flush()
        self._add_sets(row.id, session.sets)
        return row.id

    def get(self, session_id: int) -> StoredSession | None:
        found = self._sessions(LoggedSessionRow.id == session_id)
        return found[0] if found else None

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[StoredSession]:
        return self._sessions(
            LoggedSessionRow.athlete_id == athlete_id, *_within(LoggedSessionRow.date, start, end)
        )

    def _sessions(self, *where: ColumnElement[bool]) -> list[StoredSession]:
        """The sessions matching `where`, by date, with their sets in order: two queries of plain
        rows, not ORM objects (a year of sets reads about six times faster; the web app reads the
        log on every Today page)."""
        session = LoggedSessionRow
        sessions = self._session.execute(
            select(
                session.id,
                session.athlete_id,
                session.date,
                session.planned,
                session.pain_during,
                session.session_rpe,
                session.note,
            )
            .where(*where)
            .order_by(session.date, session.id)
        ).all()
        sets: dict[int, list[LoggedSet]] = defaultdict(list)
        if sessions:
            row = LoggedSetRow
            query = (
                select(row.session_id, row.exercise_id, row.load_kg, row.reps, row.seconds, row.rir, row.pain)
                .join(session, session.id == row.session_id)
                .where(*where)
                .order_by(row.session_id, row.position)
            )
            for session_id, exercise_id, load_kg, reps, seconds, rir, pain in self._session.execute(query):
                sets[session_id].append(LoggedSet(exercise_id, load_kg, reps, seconds, rir, pain))
        return [
            StoredSession(
                id=found.id,
                athlete_id=found.athlete_id,
                session=LoggedSession(
                    date=found.date,
                    sets=tuple(sets[found.id]),
                    planned=found.planned,
                    pain_during=found.pain_during,
                    session_rpe=found.session_rpe,
                    note=found.note,
                ),
            )
            for found in sessions
        ]

    def correct(self, session_id: int, session: LoggedSession) -> None:
        row = self._session.get(LoggedSessionRow, session_id)
        if row is None:
            raise LookupError(f"no logged session with id {session_id}")
        for name, value in _session_fields(session).items():
            setattr(row, name, value)
        self._session.execute(delete(LoggedSetRow).where(LoggedSetRow.session_id == session_id))
        self._add_sets(session_id, session.sets)

    def delete(self, session_id: int) -> None:
        row = self._session.get(LoggedSessionRow, session_id)
        if row is None:
            raise LookupError(f"no logged session with id {session_id}")
        # the sets first, while their session still names the athlete whose data version they bump
        self._session.execute(delete(LoggedSetRow).where(LoggedSetRow.session_id == session_id))
        self._session.delete(row)
        self._session.flush()

    def _add_sets(self, session_id: int, sets: Sequence[LoggedSet]) -> None:
        self._session.add_all(
            LoggedSetRow(
                session_id=session_id,
                position=position,
                exercise_id=logged.exercise_id,
                load_kg=logged.load_kg,
                reps=logged.reps,
                seconds=logged.seconds,
                rir=logged.rir,
                pain=logged.pain,
            )
            for position, logged in enumerate(sets)
        )
        self._session.flush()


def _session_fields(session: LoggedSession) -> dict[str, Any]:
    return {
        "date": session.date,
        "planned": session.planned,
        "pain_during": session.pain_during,
        "session_rpe": session.session_rpe,
        "note": session.note,
    }


class SqlBodyMassRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def put(self, athlete_id: int, record: BodyMass) -> None:
        row = self._session.get(BodyMassRow, (athlete_id, record.date))
        if row is None:
            self._session.add(BodyMassRow(athlete_id=athlete_id, date=record.date, mass_kg=record.mass_kg))
        else:
            row.mass_kg = record.mass_kg
        self._session.flush()

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[BodyMass]:
        query = (
            select(BodyMassRow)
            .where(BodyMassRow.athlete_id == athlete_id, *_within(BodyMassRow.date, start, end))
            .order_by(BodyMassRow.date)
        )
        return [BodyMass(date=row.date, mass_kg=row.mass_kg) for row in self._session.scalars(query)]

    def latest(self, athlete_id: int, *, as_of: date) -> BodyMass | None:
        query = (
            select(BodyMassRow)
            .where(BodyMassRow.athlete_id == athlete_id, BodyMassRow.date <= as_of)
            .order_by(BodyMassRow.date.desc())
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else BodyMass(date=row.date, mass_kg=row.mass_kg)


class SqlMorningPainRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def put(self, athlete_id: int, record: MorningPain) -> None:
        row = self._session.get(MorningPainRow, (athlete_id, record.date))
        if row is None:
            self._session.add(MorningPainRow(athlete_id=athlete_id, date=record.date, pain=record.pain))
        else:
            row.pain = record.pain
        self._session.flush()

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[MorningPain]:
        query = (
            select(MorningPainRow)
            .where(MorningPainRow.athlete_id == athlete_id, *_within(MorningPainRow.date, start, end))
            .order_by(MorningPainRow.date)
        )
        return [MorningPain(date=row.date, pain=row.pain) for row in self._session.scalars(query)]

    def latest(self, athlete_id: int, *, as_of: date) -> MorningPain | None:
        query = (
            select(MorningPainRow)
            .where(MorningPainRow.athlete_id == athlete_id, MorningPainRow.date <= as_of)
            .order_by(MorningPainRow.date.desc())
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else MorningPain(date=row.date, pain=row.pain)


class SqlScreenRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, athlete_id: int, record: ScreenResultRecord) -> None:
        self._session.add(
            ScreenRow(
                athlete_id=athlete_id,
                date=record.date,
                bridge_left_reps=record.bridge_left_reps,
                bridge_right_reps=record.bridge_right_reps,
                felt_in=record.felt_in,
                hq_ratio=record.hq_ratio,
            )
        )
        self._session.flush()

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[ScreenResultRecord]:
        query = (
            select(ScreenRow)
            .where(ScreenRow.athlete_id == athlete_id, *_within(ScreenRow.date, start, end))
            .order_by(ScreenRow.date, ScreenRow.id)
        )
        return [_screen(row) for row in self._session.scalars(query)]

    def latest(self, athlete_id: int, *, as_of: date) -> ScreenResultRecord | None:
        query = (
            select(ScreenRow)
            .where(ScreenRow.athlete_id == athlete_id, ScreenRow.date <= as_of)
            .order_by(ScreenRow.date.desc(), ScreenRow.id.desc())
            .limit(1)
        )
        row = self._session.scalars(query).first()
        return None if row is None else _screen(row)


def _screen(row: ScreenRow) -> ScreenResultRecord:
    return ScreenResultRecord(
        date=row.date,
        bridge_left_reps=row.bridge_left_reps,
        bridge_right_reps=row.bridge_right_reps,
        felt_in=row.felt_in,
        hq_ratio=row.hq_ratio,
    )


class SqlSwapRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def put(self, athlete_id: int, swap: Swap) -> None:
        query = select(SwapRow).where(
            SwapRow.athlete_id == athlete_id,
            SwapRow.since == swap.since,
            SwapRow.exercise_id == swap.exercise_id,
        )
        row = self._session.scalars(query).one_or_none()
        if row is None:
            self._session.add(
                SwapRow(
                    athlete_id=athlete_id,
                    since=swap.since,
                    exercise_id=swap.exercise_id,
                    replacement_id=swap.replacement_id,
                )
            )
        else:
            row.replacement_id = swap.replacement_id
        self._session.flush()

    def between(self, athlete_id: int, *, start: date | None = None, end: date | None = None) -> list[Swap]:
        query = (
            select(SwapRow)
            .where(SwapRow.athlete_id == athlete_id, *_within(SwapRow.since, start, end))
            .order_by(SwapRow.since, SwapRow.exercise_id)
        )
        return [
            Swap(since=row.since, exercise_id=row.exercise_id, replacement_id=row.replacement_id)
            for row in self._session.scalars(query)
        ]

    def in_force(self, athlete_id: int, on: date) -> dict[str, str]:
        return swaps_in_force(self.between(athlete_id, end=on))
