"""Accounts, squads, failed sign-ins and sign-up attempts in SQL (contract: `AccountRepository` in
ports.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, delete, exists, or_, select, text, update
from sqlalchemy.orm import Session

from ironmile.adapters.db.tables import (
    LoginFailureRow,
    SignUpAttemptRow,
    SquadMemberRow,
    SquadRow,
    UserRow,
)
from ironmile.domain.accounts import Account, LoginFailure, Role, Squad

# Name spaces of PostgreSQL's two-key advisory locks (first key; the second is a hash of the text).
# Locks taken with one bigint key elsewhere never collide with these two-key ones.
_EMAIL_LOCKS, _ADDRESS_LOCKS, _SIGN_UP_LOCKS = 1, 2, 3


_BY_ID = select(UserRow.__table__).where(UserRow.id == bindparam("user_id"))


def _account(row: UserRow | Row[Any]) -> Account:
    return Account(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        athlete_id=row.athlete_id,
        feed_token=row.feed_token,
        session_epoch=row.session_epoch,
        created_on=row.created_on,
        password_hash=row.password_hash,
    )


def _squad(row: SquadRow) -> Squad:
    return Squad(row.id, row.coach_id, row.name, row.invite_code, row.created_on)


class SqlAccountRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # --- accounts ---

    def add(self, *, email: str, password_hash: str, role: Role, feed_token: str, created_on: date) -> int:
        row = UserRow(
            email=email,
            password_hash=password_hash,
            role=role.value,
            athlete_id=None,
            feed_token=feed_token,
            session_epoch=0,
            created_on=created_on,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, user_id: int) -> Account | None:
        # Every request asks this, so it reads a plain row: the ORM's identity map and loading
        # cost more than the query. Flushed first, so changes pending in this unit of work count.
        self._session.flush()
        found = self._session.connection().execute(_BY_ID, {"user_id": user_id}).one_or_none()
        return None if found is None else _account(found)

    def by_email(self, email: str) -> Account | None:
        row = self._session.scalars(select(UserRow).where(UserRow.email == email)).one_or_none()
        return None if row is None else _account(row)

    def by_feed_token(self, token: str) -> Account | None:
        row = self._session.scalars(select(UserRow).where(UserRow.feed_token == token)).one_or_none()
        return None if row is None else _account(row)

    def by_athlete(self, athlete_id: int) -> Account | None:
        row = self._session.scalars(select(UserRow).where(UserRow.athlete_id == athlete_id)).one_or_none()
        return None if row is None else _account(row)

    def set_athlete(self, user_id: int, athlete_id: int) -> None:
        self._session.execute(update(UserRow).where(UserRow.id == user_id).values(athlete_id=athlete_id))

    def set_password(self, user_id: int, password_hash: str) -> None:
        """A new hash also ends every session issued before (the epoch goes up)."""
        self._session.execute(
            update(UserRow)
            .where(UserRow.id == user_id)
            .values(password_hash=password_hash, session_epoch=UserRow.session_epoch + 1)
        )

    def upgrade_hash(self, user_id: int, password_hash: str) -> None:
        """The same password hashed with newer parameters: sessions stay as they are."""
        self._session.execute(
            update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
        )

    def end_sessions(self, user_id: int) -> None:
        self._session.execute(
            update(UserRow).where(UserRow.id == user_id).values(session_epoch=UserRow.session_epoch + 1)
        )

    def set_feed_token(self, user_id: int, token: str) -> None:
        self._session.execute(update(UserRow).where(UserRow.id == user_id).values(feed_token=token))

    # --- squads ---

    def add_squad(self, *, coach_id: int, name: str, invite_code: str, created_on: date) -> int:
        row = SquadRow(coach_id=coach_id, name=name, invite_code=invite_code, created_on=created_on)
        self._session.add(row)
        self._session.flush()
        return row.id

    def squad(self, squad_id: int) -> Squad | None:
        row = self._session.get(SquadRow, squad_id)
        return None if row is None else _squad(row)

    def squads_led_by(self, coach_id: int) -> list[Squad]:
        rows = self._session.scalars(
            select(SquadRow).where(SquadRow.coach_id == coach_id).order_by(SquadRow.id)
        )
        return [_squad(row) for row in rows]

    def squads_joined_by(self, user_id: int) -> list[Squad]:
        rows = self._session.scalars(
            select(SquadRow)
            .join(SquadMemberRow, SquadMemberRow.squad_id == SquadRow.id)
            .where(SquadMemberRow.user_id == user_id)
            .order_by(SquadRow.id)
        )
        return [_squad(row) for row in rows]

    def squad_by_invite(self, invite_code: str) -> Squad | None:
        row = self._session.scalars(select(SquadRow).where(SquadRow.invite_code == invite_code)).one_or_none()
        return None if row is None else _squad(row)

    def set_invite_code(self, squad_id: int, invite_code: str) -> None:
        self._session.execute(update(SquadRow).where(SquadRow.id == squad_id).values(invite_code=invite_code))

    def add_member(self, squad_id: int, user_id: int, *, joined_on: date) -> bool:
        """Add the account to the squad; False (and no change) when it is a member already."""
        if self._session.get(SquadMemberRow, (squad_id, user_id)) is not None:
            return False
        self._session.add(SquadMemberRow(squad_id=squad_id, user_id=user_id, joined_on=joined_on))
        self._session.flush()
        return True

    def remove_member(self, squad_id: int, user_id: int) -> None:
        self._session.execute(
            delete(SquadMemberRow).where(
                SquadMemberRow.squad_id == squad_id, SquadMemberRow.user_id == user_id
            )
        )

    def members(self, squad_id: int) -> list[Account]:
        rows = self._session.scalars(
            select(UserRow)
            .join(SquadMemberRow, SquadMemberRow.user_id == UserRow.id)
            .where(SquadMemberRow.squad_id == squad_id)
            .order_by(UserRow.email)
        )
        return [_account(row) for row in rows]

    def coaches(self, coach_id: int, user_id: int) -> bool:
        """True when `user_id` is a member of a squad `coach_id` leads."""
        query = select(
            exists()
            .where(SquadMemberRow.user_id == user_id)
            .where(SquadMemberRow.squad_id == SquadRow.id)
            .where(SquadRow.coach_id == coach_id)
        )
        return bool(self._session.scalar(query))

    # --- failed sign-ins and sign-up attempts ---

    def lock_failures(self, *, email: str, address: str) -> None:
        """PostgreSQL: transaction-level advisory locks on the email, then on the address, held until
        the transaction ends, so that counting the failures and recording this attempt is one step
        for requests arriving together. Keyed by a hash of the text: an email without an account has
        no row to lock. SQLite needs nothing: every transaction there begins IMMEDIATE (engine.py),
        so writers already take turns."""
        self._advisory_lock(_EMAIL_LOCKS, email)
        self._advisory_lock(_ADDRESS_LOCKS, address)

    def record_failure(self, *, email: str, address: str, at_utc_s: float) -> int:
        """Store a failure and return its id (to forget it if the attempt turns out right)."""
        row = LoginFailureRow(email=email, address=address, at_utc_s=at_utc_s)
        self._session.add(row)
        self._session.flush()
        return row.id

    def forget_failure(self, failure_id: int) -> None:
        self._session.execute(delete(LoginFailureRow).where(LoginFailureRow.id == failure_id))

    def failures_since(self, *, email: str, address: str, since_utc_s: float) -> list[LoginFailure]:
        """Failures since `since_utc_s` (UTC epoch s) for this email or from this address, oldest first."""
        rows = self._session.execute(
            select(LoginFailureRow.email, LoginFailureRow.address, LoginFailureRow.at_utc_s)
            .where(
                LoginFailureRow.at_utc_s >= since_utc_s,
                or_(LoginFailureRow.email == email, LoginFailureRow.address == address),
            )
            .order_by(LoginFailureRow.at_utc_s, LoginFailureRow.id)
        ).all()
        return [LoginFailure(e, a, t) for e, a, t in rows]

    def forget_failures(self, *, before_utc_s: float) -> None:
        """Drop failures too old to count, so the table stays small."""
        self._session.execute(delete(LoginFailureRow).where(LoginFailureRow.at_utc_s < before_utc_s))

    def clear_failures(self, email: str) -> None:
        self._session.execute(delete(LoginFailureRow).where(LoginFailureRow.email == email))

    def lock_sign_ups(self, address: str) -> None:
        """Like `lock_failures`, for counting and recording an address's sign-up attempts."""
        self._advisory_lock(_SIGN_UP_LOCKS, address)

    def record_sign_up(self, *, address: str, at_utc_s: float) -> None:
        self._session.add(SignUpAttemptRow(address=address, at_utc_s=at_utc_s))
        self._session.flush()

    def sign_ups_since(self, *, address: str, since_utc_s: float) -> list[float]:
        """Times (UTC epoch s) of the address's sign-up attempts since `since_utc_s`, oldest first."""
        return list(
            self._session.scalars(
                select(SignUpAttemptRow.at_utc_s)
                .where(SignUpAttemptRow.address == address, SignUpAttemptRow.at_utc_s >= since_utc_s)
                .order_by(SignUpAttemptRow.at_utc_s)
            )
        )

    def forget_sign_ups(self, *, before_utc_s: float) -> None:
        self._session.execute(delete(SignUpAttemptRow).where(SignUpAttemptRow.at_utc_s < before_utc_s))

    def _advisory_lock(self, space: int, key: str) -> None:
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(CAST(:space AS integer), hashtext(:key))"),
                {"space": space, "key": key},
            )
