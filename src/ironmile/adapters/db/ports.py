"""The storage ports services depend on: small Protocols, so service tests can use in-memory fakes.

Contract shared by every implementation: repositories never commit; `UnitOfWork` is one
transaction per `with` block, kept only when `commit()` was called, rolled back otherwise (also on
an exception). Date bounds are inclusive, and a bound of None leaves that side open. Lists come in
a fixed order (by date, then by insertion), so callers and exports are deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Protocol, Self

from ironmile.adapters.db.records import PlanVersion, StoredAthlete, StoredSession
from ironmile.domain.accounts import Account, LoginFailure, Role, Squad
from ironmile.domain.activity import Activity
from ironmile.domain.training import BodyMass, LoggedSession, MorningPain, ScreenResultRecord, Swap
from ironmile.domain.units import UnitSystem


class AthleteRepository(Protocol):
    def add(self, *, name: str, units: UnitSystem, profile_toml: str, created_on: date) -> int:
        """Store a new athlete and return its id. Names are unique: check `by_name` first, since a
        duplicate fails the whole transaction (IntegrityError on SQL)."""
        ...

    def get(self, athlete_id: int) -> StoredAthlete | None: ...

    def by_name(self, name: str) -> StoredAthlete | None: ...

    def all(self) -> list[StoredAthlete]:
        """Every athlete, by name."""
        ...

    def update_profile(self, athlete_id: int, *, profile_toml: str, units: UnitSystem) -> None:
        """Replace the profile text; raises LookupError for an unknown id."""
        ...


class PlanRepository(Protocol):
    def add(self, athlete_id: int, *, created_on: date, effective_from: date, document: str) -> int:
        """Store a plan version (an `ironmile.plan/1` JSON text) and return its id."""
        ...

    def versions(self, athlete_id: int) -> list[PlanVersion]:
        """Every version, by `effective_from` and then by the order they were added."""
        ...

    def in_force(self, athlete_id: int, on: date) -> PlanVersion | None:
        """The version with the latest `effective_from` on or before `on` (the last added on a tie)."""
        ...


class LogRepository(Protocol):
    """The training history: sessions are added, and only explicitly corrected or deleted."""

    def add(self, athlete_id: int, session: LoggedSession) -> int:
        """Store a session with its sets, in their order, and return the session's id."""
        ...

    def get(self, session_id: int) -> StoredSession | None: ...

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[StoredSession]: ...

    def correct(self, session_id: int, session: LoggedSession) -> None:
        """Replace a stored session and all its sets (the user fixed a typo); LookupError if unknown."""
        ...

    def delete(self, session_id: int) -> None:
        """Remove a stored session with all its sets (its last set was undone, so the day was not
        trained after all); LookupError if unknown. The id may be given out again (SQLite hands out
        the largest id + 1), so keep no session id across a delete."""
        ...


class BodyMassRepository(Protocol):
    def put(self, athlete_id: int, record: BodyMass) -> None:
        """Store the day's mass, replacing an earlier reading of the same day."""
        ...

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[BodyMass]: ...

    def latest(self, athlete_id: int, *, as_of: date) -> BodyMass | None: ...


class MorningPainRepository(Protocol):
    def put(self, athlete_id: int, record: MorningPain) -> None:
        """Store the morning's pain, replacing an earlier reading of the same day."""
        ...

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[MorningPain]: ...

    def latest(self, athlete_id: int, *, as_of: date) -> MorningPain | None: ...


class ScreenRepository(Protocol):
    def add(self, athlete_id: int, record: ScreenResultRecord) -> None: ...

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[ScreenResultRecord]: ...

    def latest(self, athlete_id: int, *, as_of: date) -> ScreenResultRecord | None:
        """The last screen on or before `as_of` (the last stored on a tie)."""
        ...


class SwapRepository(Protocol):
    def put(self, athlete_id: int, swap: Swap) -> None:
        """Store a swap, replacing one for the same exercise from the same day."""
        ...

    def between(self, athlete_id: int, *, start: date | None = None, end: date | None = None) -> list[Swap]:
        """Swaps by `since`, then by exercise id."""
        ...

    def in_force(self, athlete_id: int, on: date) -> dict[str, str]:
        """Exercise id → replacement id on day `on`: each exercise's latest swap on or before `on`;
        a swap of an exercise to itself undoes the earlier ones and does not appear."""
        ...


@dataclass(frozen=True, slots=True)
class StoredActivity:
    """An activity with what was stored beside it: the hash of its file (None for a summary row
    without a file) and the day it was imported."""

    activity: Activity
    source_hash: str | None
    imported_on: date


class ActivityRepository(Protocol):
    """Imported activities; an import adds, nothing edits."""

    def add_many(
        self, athlete_id: int, activities: Iterable[tuple[Activity, str | None]], *, imported_on: date
    ) -> int:
        """Store activities, each with the hash of the file it came from (None for a summary row
        without a file); returns how many. Fingerprints are unique per athlete: check first."""
        ...

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[Activity]:
        """Activities whose local start date is within the bounds, by start time."""
        ...

    def stored(self, athlete_id: int) -> list[StoredActivity]:
        """Every activity with its file hash and import day, by start time (for backups and exports)."""
        ...

    def source_hashes(self, athlete_id: int) -> dict[str, int]:
        """Hash of every file activities were imported from → how many (a re-import skips them)."""
        ...

    def count(self, athlete_id: int) -> int: ...


class AccountRepository(Protocol):
    """Web accounts, squads, failed sign-ins and sign-up attempts; emails are stored normalised
    (domain/accounts.py)."""

    def add(self, *, email: str, password_hash: str, role: Role, feed_token: str, created_on: date) -> int:
        """Store a new account (no athlete yet, session epoch 0); emails are unique: check first."""
        ...

    def get(self, user_id: int) -> Account | None: ...
    def by_email(self, email: str) -> Account | None: ...
    def by_feed_token(self, token: str) -> Account | None: ...
    def by_athlete(self, athlete_id: int) -> Account | None: ...
    def set_athlete(self, user_id: int, athlete_id: int) -> None: ...
    def set_password(self, user_id: int, password_hash: str) -> None:
        """Replace the hash and end every session issued before."""
        ...

    def upgrade_hash(self, user_id: int, password_hash: str) -> None:
        """Store a rehash of the same password; sessions are not ended."""
        ...

    def end_sessions(self, user_id: int) -> None: ...
    def set_feed_token(self, user_id: int, token: str) -> None: ...
    def add_squad(self, *, coach_id: int, name: str, invite_code: str, created_on: date) -> int: ...
    def squad(self, squad_id: int) -> Squad | None: ...
    def squads_led_by(self, coach_id: int) -> list[Squad]: ...
    def squads_joined_by(self, user_id: int) -> list[Squad]: ...
    def squad_by_invite(self, invite_code: str) -> Squad | None: ...
    def set_invite_code(self, squad_id: int, invite_code: str) -> None: ...
    def add_member(self, squad_id: int, user_id: int, *, joined_on: date) -> bool: ...
    def remove_member(self, squad_id: int, user_id: int) -> None: ...
    def members(self, squad_id: int) -> list[Account]: ...
    def coaches(self, coach_id: int, user_id: int) -> bool:
        """True when `user_id` belongs to a squad that `coach_id` leads."""
        ...

    def lock_failures(self, *, email: str, address: str) -> None:
        """Make this transaction the only one counting or recording failures for this email and
        this address until it ends, so requests arriving together are counted one after the other."""
        ...

    def record_failure(self, *, email: str, address: str, at_utc_s: float) -> int:
        """Store a failed sign-in; returns its id for `forget_failure`."""
        ...

    def forget_failure(self, failure_id: int) -> None: ...
    def failures_since(self, *, email: str, address: str, since_utc_s: float) -> list[LoginFailure]:
        """Failures at or after `since_utc_s` (UTC epoch s) for this email or from this address."""
        ...

    def forget_failures(self, *, before_utc_s: float) -> None: ...
    def clear_failures(self, email: str) -> None: ...
    def lock_sign_ups(self, address: str) -> None:
        """Like `lock_failures`, for the address's sign-up attempts."""
        ...

    def record_sign_up(self, *, address: str, at_utc_s: float) -> None: ...
    def sign_ups_since(self, *, address: str, since_utc_s: float) -> list[float]:
        """Times (UTC epoch s) of the address's sign-up attempts at or after `since_utc_s`."""
        ...

    def forget_sign_ups(self, *, before_utc_s: float) -> None: ...


@dataclass(frozen=True, slots=True)
class AppliedRequest:
    """A write request already applied: the id its client generated, the training day it changed
    and the 0-based place of the set it added in that day's session."""

    request_id: str
    applied_on: date
    position: int


class AppliedRequestRepository(Protocol):
    """Idempotency keys: a request id is stored in the same transaction as the change it made."""

    def lock_athlete(self, athlete_id: int) -> None:
        """Make this transaction the athlete's only writer of requests until it ends, so two
        requests arriving together (a retry racing its original) are applied one after the other."""
        ...

    def get(self, athlete_id: int, request_id: str) -> AppliedRequest | None: ...

    def add(self, athlete_id: int, request: AppliedRequest) -> None:
        """Record a request; ids are unique per athlete: check `get` first (under `lock_athlete`)."""
        ...

    def on_day(self, athlete_id: int, day: date) -> list[AppliedRequest]:
        """The requests applied to `day`'s session, by position."""
        ...

    def forget(self, athlete_id: int, request: AppliedRequest) -> None:
        """Drop a request whose set was taken out of its day's session: the requests applied later
        on that day move up one place, as their sets did. Unknown requests are left alone."""
        ...


class DataVersionRepository(Protocol):
    """A number per athlete that changes whenever any of that athlete's stored data changes,
    whichever process wrote it, for caches of views computed from that data.

    A new version is larger than every version handed out before, to any athlete, so a cache
    keyed by (athlete id, version) never serves another athlete's data or an older state. Read it
    before the data it guards: data read after it is at least as new."""

    def version(self, athlete_id: int) -> int | None:
        """The athlete's current version, as this transaction sees it (its own writes included);
        None for an unknown athlete."""
        ...


class UnitOfWork(Protocol):
    """One transaction: `with uow: ...; uow.commit()`. Leaving the block without commit rolls back."""

    @property
    def athletes(self) -> AthleteRepository: ...
    @property
    def plans(self) -> PlanRepository: ...
    @property
    def log(self) -> LogRepository: ...
    @property
    def body_mass(self) -> BodyMassRepository: ...
    @property
    def morning_pain(self) -> MorningPainRepository: ...
    @property
    def screens(self) -> ScreenRepository: ...
    @property
    def swaps(self) -> SwapRepository: ...
    @property
    def activities(self) -> ActivityRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def applied_requests(self) -> AppliedRequestRepository: ...
    @property
    def data_versions(self) -> DataVersionRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
