"""Accounts, squads, failed sign-ins and sign-up attempts on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.accounts import LoginFailure, Role
from ironmile.domain.units import UnitSystem

DAY = date(2026, 11, 26)


def _add(uow: SqlUnitOfWork, email: str, role: Role = Role.ATHLETE) -> int:
    return uow.accounts.add(
        email=email, password_hash="h", role=role, feed_token=f"t-{email}", created_on=DAY
    )


def test_accounts_round_trip_and_emails_are_unique(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    with uow:
        user_id = _add(uow, "alex@example.org")
        uow.commit()
    with uow:
        found = uow.accounts.by_email("alex@example.org")
        assert found is not None
        assert (found.id, found.role, found.athlete_id, found.session_epoch) == (
            user_id,
            Role.ATHLETE,
            None,
            0,
        )
        assert uow.accounts.by_feed_token("t-alex@example.org") == found
        assert uow.accounts.get(user_id + 100) is None
    with uow, pytest.raises(IntegrityError):
        _add(uow, "alex@example.org")


def test_a_new_password_ends_earlier_sessions(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    with uow:
        user_id = _add(uow, "alex@example.org")
        uow.accounts.set_password(user_id, "new")
        uow.accounts.end_sessions(user_id)
        uow.commit()
    with uow:
        account = uow.accounts.get(user_id)
        assert account is not None
        assert (account.password_hash, account.session_epoch) == ("new", 2)


def test_an_athlete_links_to_one_account_and_deleting_it_unlinks(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    with uow:
        user_id = _add(uow, "alex@example.org")
        athlete_id = uow.athletes.add(
            name="alex@example.org", units=UnitSystem.METRIC, profile_toml="", created_on=DAY
        )
        uow.accounts.set_athlete(user_id, athlete_id)
        uow.commit()
    with uow:
        linked = uow.accounts.by_athlete(athlete_id)
        assert linked is not None
        assert linked.id == user_id


def test_squads_members_and_who_coaches_whom(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    with uow:
        coach = _add(uow, "coach@example.org", Role.COACH)
        other_coach = _add(uow, "other@example.org", Role.COACH)
        runner = _add(uow, "runner@example.org")
        squad = uow.accounts.add_squad(coach_id=coach, name="Tuesday club", invite_code="abc", created_on=DAY)
        assert uow.accounts.add_member(squad, runner, joined_on=DAY)
        assert not uow.accounts.add_member(squad, runner, joined_on=DAY)  # already in
        uow.commit()
    with uow:
        assert [s.name for s in uow.accounts.squads_led_by(coach)] == ["Tuesday club"]
        assert [s.id for s in uow.accounts.squads_joined_by(runner)] == [squad]
        assert [m.email for m in uow.accounts.members(squad)] == ["runner@example.org"]
        assert uow.accounts.coaches(coach, runner)
        assert not uow.accounts.coaches(other_coach, runner)
        assert not uow.accounts.coaches(coach, coach)
        found = uow.accounts.squad_by_invite("abc")
        assert found is not None
        assert found.id == squad
        uow.accounts.set_invite_code(squad, "def")
        assert uow.accounts.squad_by_invite("abc") is None
        uow.accounts.remove_member(squad, runner)
        assert not uow.accounts.coaches(coach, runner)


def test_failures_are_found_by_email_or_address_and_forgotten(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    with uow:
        uow.accounts.lock_failures(email="a@example.org", address="10.0.0.1")
        first = uow.accounts.record_failure(email="a@example.org", address="10.0.0.1", at_utc_s=100.0)
        uow.accounts.record_failure(email="b@example.org", address="10.0.0.1", at_utc_s=200.0)
        uow.accounts.record_failure(email="a@example.org", address="10.0.0.2", at_utc_s=300.0)
        uow.accounts.record_failure(email="c@example.org", address="10.0.0.3", at_utc_s=300.0)
        uow.commit()
    with uow:
        assert uow.accounts.failures_since(email="a@example.org", address="10.0.0.1", since_utc_s=0) == [
            LoginFailure("a@example.org", "10.0.0.1", 100.0),
            LoginFailure("b@example.org", "10.0.0.1", 200.0),
            LoginFailure("a@example.org", "10.0.0.2", 300.0),
        ]
        assert uow.accounts.failures_since(email="a@example.org", address="x", since_utc_s=150) == [
            LoginFailure("a@example.org", "10.0.0.2", 300.0)
        ]
        uow.accounts.forget_failure(first)
        assert uow.accounts.failures_since(email="a@example.org", address="y", since_utc_s=0) == [
            LoginFailure("a@example.org", "10.0.0.2", 300.0)
        ]
        uow.accounts.forget_failures(before_utc_s=250)
        assert uow.accounts.failures_since(email="b@example.org", address="10.0.0.1", since_utc_s=0) == []
        uow.accounts.clear_failures("a@example.org")
        assert uow.accounts.failures_since(email="a@example.org", address="10.0.0.3", since_utc_s=0) == [
            LoginFailure("c@example.org", "10.0.0.3", 300.0)
        ]


def test_sign_up_attempts_are_counted_per_address_and_forgotten(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    with uow:
        uow.accounts.lock_sign_ups("10.0.0.1")
        for at in (300.0, 100.0):
            uow.accounts.record_sign_up(address="10.0.0.1", at_utc_s=at)
        uow.accounts.record_sign_up(address="10.0.0.2", at_utc_s=200.0)
        uow.commit()
    with uow:
        assert uow.accounts.sign_ups_since(address="10.0.0.1", since_utc_s=0) == [100.0, 300.0]
        assert uow.accounts.sign_ups_since(address="10.0.0.1", since_utc_s=150) == [300.0]
        uow.accounts.forget_sign_ups(before_utc_s=250)
        assert uow.accounts.sign_ups_since(address="10.0.0.1", since_utc_s=0) == [300.0]
        assert uow.accounts.sign_ups_since(address="10.0.0.2", since_utc_s=0) == []
