"""In-memory stand-ins for the storage ports, for service tests that need no database.

`FakeUnitOfWork` keeps the same contract as `SqlUnitOfWork` (ports.py): a `with` block works on a
copy of the committed data, and only `commit()` makes it stick. The storage tests run the
repository round-trips against it too, so it cannot drift from the real thing unnoticed.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from types import TracebackType
from typing import Self

from ironmile.adapters.db.ports import AppliedRequest, StoredActivity
from ironmile.adapters.db.records import PlanVersion, StoredAthlete, StoredSession
from ironmile.domain.activity import Activity
from ironmile.domain.swapping import swaps_in_force
from ironmile.domain.training import BodyMass, LoggedSession, MorningPain, ScreenResultRecord, Swap
from ironmile.domain.units import UnitSystem


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


@dataclass
class _Store:
    """Everything a fake database holds; ids are list positions + 1, so they grow like sequences,
    but for sessions, which can be deleted: those count on `last_session_id`."""

    athletes: list[StoredAthlete] = field(default_factory=list)
    plans: list[PlanVersion] = field(default_factory=list)
    sessions: list[StoredSession] = field(default_factory=list)
    last_session_id: int = 0  # never given out again, as PostgreSQL's sequence does
    body_mass: dict[tuple[int, date], BodyMass] = field(default_factory=dict)
    morning_pain: dict[tuple[int, date], MorningPain] = field(default_factory=dict)
    screens: list[tuple[int, ScreenResultRecord]] = field(default_factory=list)
    swaps: dict[tuple[int, date, str], Swap] = field(default_factory=dict)
    activities: list[tuple[int, Activity, str | None, date]] = field(default_factory=list)
    applied_requests: dict[tuple[int, str], AppliedRequest] = field(default_factory=dict)
    # athlete id → (all their data as text when the version was handed out, that version)
    data_versions: dict[int, tuple[str, int]] = field(default_factory=dict)


class FakeAthleteRepository:
    def __init__(self, store: _Store) -> None:
        self._store = store

    def add(self, *, name: str, units: UnitSystem, profile_toml: str, created_on: date) -> int:
        if self.by_name(name) is not None:
            raise ValueError(f"athlete name {name!r} is taken")  # the database's unique constraint
        athlete_id = len(self._store.athletes) + 1
        self._store.athletes.append(StoredAthlete(athlete_id, name, units, profile_toml, created_on))
        return athlete_id

    def get(self, athlete_id: int) -> StoredAthlete | None:
        return next((a for a in self._store.athletes if a.id == athlete_id), None)

    def by_name(self, name: str) -> StoredAthlete | None:
        return next((a for a in self._store.athletes if a.name == name), None)

    def all(self) -> list[StoredAthlete]:
        return sorted(self._store.athletes, key=lambda athlete: athlete.name)

    def update_profile(self, athlete_id: int, *, profile_toml: str, units: UnitSystem) -> None:
        athlete = self.get(athlete_id)
        if athlete is None:
            raise LookupError(f"no athlete with id {athlete_id}")
        updated = replace(athlete, profile_toml=profile_toml, units=units)
        self._store.athletes[athlete_id - 1] = updated


class FakePlanRepository:
    def __init__(self, store: _Store) -> None:
        self._store = store

    def add(self, athlete_id: int, *, created_on: date, effective_from: date, document: str) -> int:
        plan_id = len(self._store.plans) + 1
        self._store.plans.append(PlanVersion(plan_id, athlete_id, created_on, effective_from, document))
        return plan_id

    def versions(self, athlete_id: int) -> list[PlanVersion]:
        mine = [plan for plan in self._store.plans if plan.athlete_id == athlete_id]
        return sorted(mine, key=lambda plan: (plan.effective_from, plan.id))

    def in_force(self, athlete_id: int, on: date) -> PlanVersion | None:
        started = [plan for plan in self.versions(athlete_id) if plan.effective_from <= on]
        return started[-1] if started else None


class FakeLogRepository:
    def __init__(self, store: _Store) -> None:
        self._store = store

    def add(self, athlete_id: int, session: LoggedSession) -> int:
        self._store.last_session_id += 1
        session_id = self._store.last_session_id
        self._store.sessions.append(StoredSession(session_id, athlete_id, session))
        return session_id

    def get(self, session_id: int) -> StoredSession | None:
        return next((s for s in self._store.sessions if s.id == session_id), None)

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[StoredSession]:
        mine = [
            s
            for s in self._store.sessions
            if s.athlete_id == athlete_id and _within(s.session.date, start, end)
        ]
        return sorted(mine, key=lambda stored: (stored.session.date, stored.id))

    def correct(self, session_id: int, session: LoggedSession) -> None:
        index = self._index(session_id)
        self._store.sessions[index] = replace(self._store.sessions[index], session=session)

    def delete(self, session_id: int) -> None:
        del self._store.sessions[self._index(session_id)]

    def _index(self, session_id: int) -> int:
        for index, stored in enumerate(self._store.sessions):
            if stored.id == session_id:
                return index
        raise LookupError(f"no logged session with id {session_id}")


class FakeBodyMassRepository:
    def __init__(self, store: _Store) -> None:
        self._rows = store.body_mass

    def put(self, athlete_id: int, record: BodyMass) -> None:
        self._rows[athlete_id, record.date] = record

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[BodyMass]:
        return sorted(
            (r for (owner, day), r in self._rows.items() if owner == athlete_id and _within(day, start, end)),
            key=lambda record: record.date,
        )

    def latest(self, athlete_id: int, *, as_of: date) -> BodyMass | None:
        return next(reversed(self.between(athlete_id, end=as_of)), None)


class FakeMorningPainRepository:
    def __init__(self, store: _Store) -> None:
        self._rows = store.morning_pain

    def put(self, athlete_id: int, record: MorningPain) -> None:
        self._rows[athlete_id, record.date] = record

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[MorningPain]:
        return sorted(
            (r for (owner, day), r in self._rows.items() if owner == athlete_id and _within(day, start, end)),
            key=lambda record: record.date,
        )

    def latest(self, athlete_id: int, *, as_of: date) -> MorningPain | None:
        return next(reversed(self.between(athlete_id, end=as_of)), None)


class FakeScreenRepository:
    def __init__(self, store: _Store) -> None:
        self._rows = store.screens

    def add(self, athlete_id: int, record: ScreenResultRecord) -> None:
        self._rows.append((athlete_id, record))

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[ScreenResultRecord]:
        mine = [r for owner, r in self._rows if owner == athlete_id and _within(r.date, start, end)]
        return sorted(mine, key=lambda record: record.date)  # stable: ties stay in the order stored

    def latest(self, athlete_id: int, *, as_of: date) -> ScreenResultRecord | None:
        return next(reversed(self.between(athlete_id, end=as_of)), None)


class FakeSwapRepository:
    def __init__(self, store: _Store) -> None:
        self._rows = store.swaps

    def put(self, athlete_id: int, swap: Swap) -> None:
        self._rows[athlete_id, swap.since, swap.exercise_id] = swap

    def between(self, athlete_id: int, *, start: date | None = None, end: date | None = None) -> list[Swap]:
        return sorted(
            (
                s
                for (owner, day, _), s in self._rows.items()
                if owner == athlete_id and _within(day, start, end)
            ),
            key=lambda swap: (swap.since, swap.exercise_id),
        )

    def in_force(self, athlete_id: int, on: date) -> dict[str, str]:
        return swaps_in_force(self.between(athlete_id, end=on))


class FakeActivityRepository:
    def __init__(self, store: _Store) -> None:
        self._store = store

    def add_many(
        self, athlete_id: int, activities: Iterable[tuple[Activity, str | None]], *, imported_on: date
    ) -> int:
        added = 0
        for activity, source_hash in activities:
            taken = {b.fingerprint for a, b, _, _ in self._store.activities if a == athlete_id}
            if activity.fingerprint in taken:
                raise ValueError(f"fingerprint {activity.fingerprint} is taken")  # the unique constraint
            self._store.activities.append((athlete_id, activity, source_hash, imported_on))
            added += 1
        return added

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[Activity]:
        mine = [
            b
            for a, b, _, _ in self._store.activities
            if a == athlete_id and _within(b.start.date(), start, end)
        ]
        return sorted(mine, key=lambda activity: activity.start)

    def stored(self, athlete_id: int) -> list[StoredActivity]:
        mine = [StoredActivity(b, h, d) for a, b, h, d in self._store.activities if a == athlete_id]
        return sorted(mine, key=lambda stored: stored.activity.start)

    def source_hashes(self, athlete_id: int) -> dict[str, int]:
        hashes = [h for a, _, h, _ in self._store.activities if a == athlete_id and h is not None]
        return {h: hashes.count(h) for h in hashes}

    def count(self, athlete_id: int) -> int:
        return sum(1 for a, *_ in self._store.activities if a == athlete_id)


class FakeAppliedRequestRepository:
    def __init__(self, store: _Store) -> None:
        self._rows = store.applied_requests

    def lock_athlete(self, athlete_id: int) -> None:
        """Nothing to do: a fake unit of work serves one caller at a time."""

    def get(self, athlete_id: int, request_id: str) -> AppliedRequest | None:
        return self._rows.get((athlete_id, request_id))

    def add(self, athlete_id: int, request: AppliedRequest) -> None:
        if (athlete_id, request.request_id) in self._rows:
            raise ValueError(f"request {request.request_id} is applied already")  # the unique constraint
        self._rows[athlete_id, request.request_id] = request

    def on_day(self, athlete_id: int, day: date) -> list[AppliedRequest]:
        found = [r for (owner, _), r in self._rows.items() if owner == athlete_id and r.applied_on == day]
        return sorted(found, key=lambda request: request.position)

    def forget(self, athlete_id: int, request: AppliedRequest) -> None:
        stored = self._rows.pop((athlete_id, request.request_id), None)
        if stored is None:
            return
        for later in self.on_day(athlete_id, stored.applied_on):
            if later.position > stored.position:
                self._rows[athlete_id, later.request_id] = replace(later, position=later.position - 1)


def _athlete_data(store: _Store, athlete_id: int) -> str:
    """Everything stored for one athlete, as text that changes whenever any of it does."""
    return repr(
        (
            [athlete for athlete in store.athletes if athlete.id == athlete_id],
            [plan for plan in store.plans if plan.athlete_id == athlete_id],
            [stored for stored in store.sessions if stored.athlete_id == athlete_id],
            *(
                {key: row for key, row in rows.items() if key[0] == athlete_id}
                for rows in (store.body_mass, store.morning_pain, store.swaps, store.applied_requests)
            ),
            [row for row in store.screens if row[0] == athlete_id],
            [row for row in store.activities if row[0] == athlete_id],
        )
    )


class FakeDataVersionRepository:
    """Versions as the database's triggers keep them, worked out when asked and settled on every
    commit: a new number, larger than all before, whenever the athlete's data differs from when the
    last one was handed out. The record is part of the transaction (a rollback gives the committed
    number back); `clock` is not, like PostgreSQL's sequence."""

    def __init__(self, store: _Store, clock: Iterator[int]) -> None:
        self._store = store
        self._clock = clock

    def version(self, athlete_id: int) -> int | None:
        if not any(athlete.id == athlete_id for athlete in self._store.athletes):
            return None
        data = _athlete_data(self._store, athlete_id)
        handed_out = self._store.data_versions.get(athlete_id)
        if handed_out is None or handed_out[0] != data:
            handed_out = self._store.data_versions[athlete_id] = (data, next(self._clock))
        return handed_out[1]

    def settle(self) -> None:
        """Bring every athlete's version up to date, as the triggers would have as each write ran."""
        for athlete in self._store.athletes:
            self.version(athlete.id)


class FakeUnitOfWork:
    """`with uow: ...; uow.commit()` over lists and dicts; `committed` counts the commits."""

    def __init__(self) -> None:
        self._committed = _Store()
        self._version_clock = itertools.count(1)
        self._open = False
        self.committed = 0
        self._begin()

    def _begin(self) -> None:
        self._working = copy.deepcopy(self._committed)
        self.athletes = FakeAthleteRepository(self._working)
        self.plans = FakePlanRepository(self._working)
        self.log = FakeLogRepository(self._working)
        self.body_mass = FakeBodyMassRepository(self._working)
        self.morning_pain = FakeMorningPainRepository(self._working)
        self.screens = FakeScreenRepository(self._working)
        self.swaps = FakeSwapRepository(self._working)
        self.activities = FakeActivityRepository(self._working)
        self.applied_requests = FakeAppliedRequestRepository(self._working)
        self.data_versions = FakeDataVersionRepository(self._working, self._version_clock)

    def __enter__(self) -> Self:
        if self._open:
            raise RuntimeError("this unit of work is already open; nest services, not transactions")
        self._open = True
        self._begin()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._open = False
        self._begin()

    def commit(self) -> None:
        self.data_versions.settle()
        self._committed = copy.deepcopy(self._working)
        self.committed += 1

    def rollback(self) -> None:
        self._begin()
