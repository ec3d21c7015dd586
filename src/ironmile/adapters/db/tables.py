"""The training log's tables, the one description of the schema that migrations must match.

Only portable column types (Integer, BigInteger, Float, Text, Boolean, Date) so that SQLite and
PostgreSQL store and return the same values: Float is an IEEE double on both, so a stored float
reads back bit for bit. Quantities are SI (kg, s). CHECK constraints repeat the domain's ranges
as a second line of defence against a bug or a hand-edited database; the services validate first. Every
athlete-owned row goes when its athlete goes (ON DELETE CASCADE), and every athlete-owned table
has a key or index leading with (athlete_id, its date column), the shape of nearly every query;
sets are reached through (session_id, position).

Constraint names come from the naming convention so that future migrations (SQLite's batch mode
in particular) can address them by name. A change here needs a new Alembic revision; the schema
test fails until it is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        str: Text(),
        float: Float(),
        int: Integer(),
        bool: Boolean(),
        dt.date: Date(),
    }


def _range(column: str, low: int, high: int) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN {low} AND {high}", name=f"{column}_range")


class AthleteRow(Base):
    """An athlete; `profile_toml` is the profile exactly as the user wrote it (it is the source of
    truth, re-parsed when planning), `name` identifies the athlete to the CLI and is unique."""

    __tablename__ = "athletes"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("units IN ('metric', 'imperial')", name="units_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    units: Mapped[str]
    profile_toml: Mapped[str]
    created_on: Mapped[dt.date]


class PlanVersionRow(Base):
    """An `ironmile.plan/1` JSON document, in force from `effective_from` until the next version's
    `effective_from`; of two versions with the same date the later one (higher id) wins."""

    __tablename__ = "plan_versions"
    __table_args__ = (Index(None, "athlete_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    created_on: Mapped[dt.date]
    effective_from: Mapped[dt.date]
    document: Mapped[str]


class LoggedSessionRow(Base):
    __tablename__ = "logged_sessions"
    __table_args__ = (
        Index(None, "athlete_id", "date"),
        _range("pain_during", 0, 10),
        _range("session_rpe", 0, 10),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    date: Mapped[dt.date]
    planned: Mapped[bool]
    pain_during: Mapped[int | None]
    session_rpe: Mapped[int | None]
    note: Mapped[str | None]


class LoggedSetRow(Base):
    """One set; `position` (0-based) keeps the order the sets were lifted in."""

    __tablename__ = "logged_sets"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
        CheckConstraint("load_kg >= 0", name="load_kg_nonnegative"),
        _range("reps", 0, 100),
        CheckConstraint("seconds >= 0", name="seconds_nonnegative"),
        _range("rir", 0, 10),
        _range("pain", 0, 10),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("logged_sessions.id", ondelete="CASCADE"))
    position: Mapped[int]
    exercise_id: Mapped[str]
    load_kg: Mapped[float | None]
    reps: Mapped[int | None]
    seconds: Mapped[int | None]
    rir: Mapped[int | None]
    pain: Mapped[int | None]


class MorningPainRow(Base):
    """One reading per athlete and day: the key is (athlete_id, date)."""

    __tablename__ = "morning_pain"
    __table_args__ = (_range("pain", 0, 10),)

    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True)
    date: Mapped[dt.date] = mapped_column(primary_key=True)
    pain: Mapped[int]


class BodyMassRow(Base):
    """One reading per athlete and day: the key is (athlete_id, date)."""

    __tablename__ = "body_mass"
    __table_args__ = (CheckConstraint("mass_kg > 0", name="mass_kg_positive"),)

    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True)
    date: Mapped[dt.date] = mapped_column(primary_key=True)
    mass_kg: Mapped[float]


class ScreenRow(Base):
    __tablename__ = "screens"
    __table_args__ = (
        Index(None, "athlete_id", "date"),
        CheckConstraint("bridge_left_reps >= 0", name="bridge_left_reps_nonnegative"),
        CheckConstraint("bridge_right_reps >= 0", name="bridge_right_reps_nonnegative"),
        CheckConstraint("felt_in IN ('quads', 'glutes_hamstrings', 'both')", name="felt_in_known"),
        CheckConstraint("hq_ratio > 0", name="hq_ratio_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    date: Mapped[dt.date]
    bridge_left_reps: Mapped[int | None]
    bridge_right_reps: Mapped[int | None]
    felt_in: Mapped[str | None]
    hq_ratio: Mapped[float | None]


class SwapRow(Base):
    """From `since` on, `replacement_id` stands for `exercise_id`; one swap per exercise and day,
    and the unique key's index leads with (athlete_id, since) for the date queries."""

    __tablename__ = "swaps"
    __table_args__ = (UniqueConstraint("athlete_id", "since", "exercise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    since: Mapped[dt.date]
    exercise_id: Mapped[str]
    replacement_id: Mapped[str]


class ActivityRow(Base):
    """An imported activity (domain/activity.py has the shape and units). The start is kept as UTC
    epoch seconds plus the local offset, and `local_date` is the day it started where it was
    recorded, the day every weekly and daily summary counts it on. `source_hash` is the hash of the
    file it came from: an import skips files whose hash is already stored, which makes a re-import
    fast and an interrupted one resumable. `heart_rate_seconds` is compact text, `bpm:seconds`
    pairs joined by spaces (time spent at each heart rate), empty without a heart-rate stream."""

    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("athlete_id", "fingerprint"),
        Index(None, "athlete_id", "local_date"),
        Index(None, "athlete_id", "source_hash"),
        CheckConstraint(
            "sport IN ('running', 'cycling', 'swimming', 'walking', 'hiking', 'strength', 'rowing', "
            "'skiing', 'other')",
            name="sport_known",
        ),
        CheckConstraint("utc_offset_s BETWEEN -86400 AND 86400", name="utc_offset_s_range"),
        CheckConstraint("distance_m >= 0", name="distance_m_nonnegative"),
        CheckConstraint("moving_s >= 0", name="moving_s_nonnegative"),
        CheckConstraint("elapsed_s >= 0", name="elapsed_s_nonnegative"),
        CheckConstraint("elevation_gain_m >= 0", name="elevation_gain_m_nonnegative"),
        CheckConstraint("avg_heart_rate_bpm > 0", name="avg_heart_rate_bpm_positive"),
        CheckConstraint("max_heart_rate_bpm > 0", name="max_heart_rate_bpm_positive"),
        CheckConstraint("perceived_exertion BETWEEN 1 AND 10", name="perceived_exertion_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    fingerprint: Mapped[str]
    source_hash: Mapped[str | None]
    source: Mapped[str]
    imported_on: Mapped[dt.date]
    start_utc_s: Mapped[float]
    utc_offset_s: Mapped[int]
    local_date: Mapped[dt.date]
    sport: Mapped[str]
    distance_m: Mapped[float | None]
    moving_s: Mapped[float | None]
    elapsed_s: Mapped[float | None]
    elevation_gain_m: Mapped[float | None]
    avg_heart_rate_bpm: Mapped[float | None]
    max_heart_rate_bpm: Mapped[float | None]
    perceived_exertion: Mapped[float | None]
    heart_rate_seconds: Mapped[str]


# --- accounts (the web app) -------------------------------------------------------------------------


class UserRow(Base):
    """A web account. `email` is stored lower-case and is the login name. `athlete_id` is the
    athlete whose data the account owns (none until onboarding stores a profile; a coach may have
    none). `password_hash` is an argon2id PHC string. `session_epoch` is written into every session
    cookie: raising it (password change, "log out everywhere") invalidates the cookies issued before.
    `feed_token` is the secret part of the account's calendar feed URL."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("email"),
        UniqueConstraint("athlete_id"),
        UniqueConstraint("feed_token"),
        CheckConstraint("role IN ('athlete', 'coach')", name="role_known"),
        CheckConstraint("session_epoch >= 0", name="session_epoch_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str]
    password_hash: Mapped[str]
    role: Mapped[str]
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("athletes.id", ondelete="SET NULL"))
    feed_token: Mapped[str]
    session_epoch: Mapped[int]
    created_on: Mapped[dt.date]


class SquadRow(Base):
    """A coach's squad; athletes join with `invite_code`, which the coach can renew."""

    __tablename__ = "squads"
    __table_args__ = (UniqueConstraint("invite_code"), Index(None, "coach_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str]
    invite_code: Mapped[str]
    created_on: Mapped[dt.date]


class SquadMemberRow(Base):
    """An athlete's account in a squad; the key is (squad_id, user_id)."""

    __tablename__ = "squad_members"
    __table_args__ = (Index(None, "user_id"),)

    squad_id: Mapped[int] = mapped_column(ForeignKey("squads.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    joined_on: Mapped[dt.date]


class LoginFailureRow(Base):
    """A failed sign-in, kept for the rate limit (counted per email and per client address over a
    window) in the database rather than in memory, so every web worker sees the same count."""

    __tablename__ = "login_failures"
    __table_args__ = (Index(None, "email", "at_utc_s"), Index(None, "address", "at_utc_s"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str]
    address: Mapped[str]
    at_utc_s: Mapped[float]


class SignUpAttemptRow(Base):
    """A sign-up attempt that got as far as hashing its password (UTC epoch s, client address),
    kept for the per-address sign-up limit, in the database for the same reason as login_failures."""

    __tablename__ = "sign_up_attempts"
    __table_args__ = (Index(None, "address", "at_utc_s"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str]
    at_utc_s: Mapped[float]


class AppliedRequestRow(Base):
    """A write request already applied, by the id its client generated (a UUID), so that a client
    retrying after a lost response (a phone in a gym basement) cannot log the same set twice.
    Written in the same transaction as the change it records. `applied_on` is the training day the
    request changed and `position` the 0-based place of the set it added in that day's session, so
    a repeat can answer with what the first request stored."""

    __tablename__ = "applied_requests"
    __table_args__ = (
        UniqueConstraint("athlete_id", "request_id"),
        Index(None, "athlete_id", "applied_on"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    request_id: Mapped[str]
    applied_on: Mapped[dt.date]
    position: Mapped[int]


# --- derived data -----------------------------------------------------------------------------------


class AthleteDataVersionRow(Base):
    """A number that changes whenever any of the athlete's rows is inserted, updated or deleted, so
    a cache of views computed from them knows with one read whether they are stale. Database
    triggers keep it (migration 0006), whoever writes; nothing in the application writes it, and
    backups leave it out. Each new value is larger than every value handed out before, to any
    athlete, so (athlete_id, version) never names another athlete's data, even when SQLite gives a
    deleted athlete's id to a new one. A count, no unit; BigInteger as it only grows."""

    __tablename__ = "athlete_data_versions"

    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    version: Mapped[int] = mapped_column(BigInteger)


metadata = Base.metadata
