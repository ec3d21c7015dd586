"""Account use cases on SQLite and PostgreSQL: sign-up checks, sign-in limits, squads and who may
see whom."""

from __future__ import annotations

from datetime import date

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.accounts import Account, LoginLimit, Role
from ironmile.domain.errors import NotFoundError, NotPermitted, ProfileError, TooManyAttempts
from ironmile.services import accounts
from ironmile.services.accounts import WrongCredentialsError

DAY = date(2026, 11, 26)
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "correct horse battery"
LIMIT = LoginLimit(attempts=3, window_s=600)


def _sign_up(uow: SqlUnitOfWork, email: str, role: Role = Role.ATHLETE) -> Account:
    return accounts.sign_up(uow, email=email, password=PASSWORD, role=role, today=DAY, hasher=CHEAP)


def _sign_in(uow: SqlUnitOfWork, email: str, password: str, now: float, address: str = "10.0.0.1") -> Account:
    return accounts.sign_in(
        uow, email=email, password=password, address=address, now_utc_s=now, limit=LIMIT, hasher=CHEAP
    )


def test_sign_up_reports_every_bad_field_at_once_and_stores_nothing(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    with pytest.raises(ProfileError) as caught:
        accounts.sign_up(uow, email="nope", password="short", role=Role.ATHLETE, today=DAY, hasher=CHEAP)
    assert {p.field for p in caught.value.problems} == {"email", "password"}
    with uow:
        assert uow.accounts.by_email("nope") is None


def test_sign_in_counts_failures_and_a_success_clears_them(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    _sign_up(uow, "alex@example.org")
    for now in (1000.0, 1001.0):
        with pytest.raises(WrongCredentialsError):
            _sign_in(uow, "alex@example.org", "wrong guess!", now)
    assert _sign_in(uow, "ALEX@example.org", PASSWORD, 1002.0).email == "alex@example.org"
    for now in (1003.0, 1004.0):  # the success cleared the count: two more misses are allowed
        with pytest.raises(WrongCredentialsError):
            _sign_in(uow, "alex@example.org", "wrong guess!", now)
    assert _sign_in(uow, "alex@example.org", PASSWORD, 1005.0).email == "alex@example.org"


def test_a_blocked_email_is_refused_even_with_the_right_password(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    _sign_up(uow, "alex@example.org")
    for now in (1000.0, 1001.0, 1002.0):
        with pytest.raises(WrongCredentialsError):
            _sign_in(uow, "alex@example.org", "wrong guess!", now)
    with pytest.raises(TooManyAttempts) as caught:
        _sign_in(uow, "alex@example.org", PASSWORD, 1003.0, address="10.9.9.9")
    assert caught.value.retry_after_s == 597
    assert _sign_in(uow, "alex@example.org", PASSWORD, 1600.5).email == "alex@example.org"


def test_an_unknown_email_fails_like_a_wrong_password(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    with pytest.raises(WrongCredentialsError):
        _sign_in(uow, "nobody@example.org", PASSWORD, 1000.0)


def test_a_sign_in_upgrades_a_hash_made_with_older_parameters(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    _sign_up(uow, "alex@example.org")
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    account = accounts.sign_in(
        uow,
        email="alex@example.org",
        password=PASSWORD,
        address="a",
        now_utc_s=1.0,
        limit=LIMIT,
        hasher=stronger,
    )
    assert "m=16,t=2,p=1" in account.password_hash
    assert account.session_epoch == 0  # a rehash is not a new password: nobody is signed out


def test_a_coach_sees_members_of_their_squads_and_nobody_else(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    coach = _sign_up(uow, "coach@example.org", Role.COACH)
    other_coach = _sign_up(uow, "other@example.org", Role.COACH)
    runner = _sign_up(uow, "runner@example.org")
    stranger = _sign_up(uow, "stranger@example.org")
    squad = accounts.create_squad(uow, coach=coach, name="  Tuesday club ", today=DAY)
    assert squad.name == "Tuesday club"
    with pytest.raises(NotFoundError):
        accounts.viewable_athlete(uow, viewer=coach, user_id=runner.id)  # not joined yet
    accounts.join_squad(uow, athlete=runner, invite_code=squad.invite_code, today=DAY)
    assert accounts.viewable_athlete(uow, viewer=coach, user_id=runner.id).email == "runner@example.org"
    assert accounts.viewable_athlete(uow, viewer=runner, user_id=runner.id) == runner
    for viewer, target in ((other_coach, runner), (stranger, runner), (runner, stranger), (coach, 999)):
        target_id = target if isinstance(target, int) else target.id
        with pytest.raises(NotFoundError):
            accounts.viewable_athlete(uow, viewer=viewer, user_id=target_id)


def test_invites_renew_and_roles_are_kept_apart(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    coach = _sign_up(uow, "coach@example.org", Role.COACH)
    runner = _sign_up(uow, "runner@example.org")
    with pytest.raises(NotPermitted):
        accounts.create_squad(uow, coach=runner, name="mine", today=DAY)
    squad = accounts.create_squad(uow, coach=coach, name="Club", today=DAY)
    with pytest.raises(NotPermitted):
        accounts.join_squad(uow, athlete=coach, invite_code=squad.invite_code, today=DAY)
    renewed = accounts.renew_invite(uow, coach=coach, squad_id=squad.id)
    assert renewed.invite_code != squad.invite_code
    with pytest.raises(NotFoundError, match="not valid"):
        accounts.join_squad(uow, athlete=runner, invite_code=squad.invite_code, today=DAY)
    accounts.join_squad(uow, athlete=runner, invite_code=renewed.invite_code, today=DAY)
    accounts.remove_member(uow, coach=coach, squad_id=squad.id, user_id=runner.id)
    with pytest.raises(NotFoundError):
        accounts.leave_squad(uow, athlete=runner, squad_id=squad.id)
    with pytest.raises(ProfileError):
        accounts.create_squad(uow, coach=coach, name="   ", today=DAY)


def test_another_coach_cannot_manage_a_squad(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    coach = _sign_up(uow, "coach@example.org", Role.COACH)
    other = _sign_up(uow, "other@example.org", Role.COACH)
    squad = accounts.create_squad(uow, coach=coach, name="Club", today=DAY)
    with pytest.raises(NotFoundError):
        accounts.renew_invite(uow, coach=other, squad_id=squad.id)
    with pytest.raises(NotFoundError):
        accounts.led_squad(uow, coach=other, squad_id=squad.id)


def test_renewing_the_feed_token_replaces_it(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    runner = _sign_up(uow, "runner@example.org")
    token = accounts.renew_feed_token(uow, user=runner)
    with uow:
        assert uow.accounts.by_feed_token(runner.feed_token) is None
        found = uow.accounts.by_feed_token(token)
        assert found is not None
        assert found.id == runner.id
