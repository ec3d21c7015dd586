"""Account use cases on SQLite and PostgreSQL: sign-up checks, the sign-in and sign-up limits (also
for requests arriving together), squads and who may see whom."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.accounts import Account, LoginLimit, Role, SignUpLimit
from ironmile.domain.errors import NotFoundError, NotPermitted, ProfileError, TooManyAttempts
from ironmile.services import accounts
from ironmile.services.accounts import TooManySignUps, WrongCredentialsError

DAY = date(2026, 11, 26)
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
# Slow enough (16 MiB, two passes: ~20 ms) that attempts arriving together overlap while checked.
SLOW = PasswordHasher(time_cost=2, memory_cost=16 * 1024, parallelism=1)
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


def test_a_blocked_address_is_refused_even_with_the_right_password_but_the_owner_elsewhere_is_not(
    migrated: Engine,
) -> None:
    """A stranger typing the owner's email wrong locks out only their own address."""
    uow = SqlUnitOfWork(migrated)
    _sign_up(uow, "alex@example.org")
    for now in (1000.0, 1001.0, 1002.0):
        with pytest.raises(WrongCredentialsError):
            _sign_in(uow, "alex@example.org", "wrong guess!", now, address="10.6.6.6")
    with pytest.raises(TooManyAttempts) as caught:
        _sign_in(uow, "alex@example.org", PASSWORD, 1003.0, address="10.6.6.6")
    assert caught.value.retry_after_s == 597
    assert _sign_in(uow, "alex@example.org", PASSWORD, 1004.0, address="10.9.9.9").email == "alex@example.org"


def test_guesses_spread_over_many_addresses_stop_at_the_emails_ceiling(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    _sign_up(uow, "alex@example.org")
    ceiling = LIMIT.attempts * LIMIT.spread
    for i in range(ceiling):
        with pytest.raises(WrongCredentialsError):
            _sign_in(uow, "alex@example.org", "wrong guess!", 1000.0 + i, address=f"10.0.0.{i}")
    with pytest.raises(TooManyAttempts):
        _sign_in(uow, "alex@example.org", PASSWORD, 1100.0, address="10.9.9.9")
    assert _sign_in(uow, "alex@example.org", PASSWORD, 1000.0 + ceiling + 600.0).email == "alex@example.org"


def test_a_burst_of_guesses_arriving_together_gets_only_the_limit_checked(migrated: Engine) -> None:
    """Web workers handling wrong guesses at once: each attempt is recorded before its password is
    checked, so only `attempts` of them are checked and every other one is refused."""
    uow = SqlUnitOfWork(migrated)
    accounts.sign_up(
        uow, email="alex@example.org", password=PASSWORD, role=Role.ATHLETE, today=DAY, hasher=SLOW
    )
    burst = 12
    outcomes, errors = _together(
        burst,
        lambda i: accounts.sign_in(
            SqlUnitOfWork(migrated),
            email="alex@example.org",
            password=f"wrong guess {i}",
            address="10.6.6.6",
            now_utc_s=1000.0,
            limit=LIMIT,
            hasher=SLOW,
        ),
    )
    assert errors == []
    assert sorted(outcomes) == sorted(
        ["WrongCredentialsError"] * LIMIT.attempts + ["TooManyAttempts"] * (burst - LIMIT.attempts)
    )
    with uow:
        failures = uow.accounts.failures_since(email="alex@example.org", address="10.6.6.6", since_utc_s=0)
    assert len(failures) == LIMIT.attempts


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


def _sign_up_from(uow: SqlUnitOfWork, email: str, now: float, address: str = "10.0.0.1") -> Account:
    return accounts.sign_up(
        uow,
        email=email,
        password=PASSWORD,
        role=Role.ATHLETE,
        today=DAY,
        hasher=CHEAP,
        address=address,
        now_utc_s=now,
        limit=SignUpLimit(attempts=10, window_s=3600),
    )


def test_an_address_may_try_ten_sign_ups_an_hour(migrated: Engine) -> None:
    uow = SqlUnitOfWork(migrated)
    with pytest.raises(ProfileError):  # refused before any hash: not counted
        accounts.sign_up(
            uow,
            email="nope",
            password="short",
            role=Role.ATHLETE,
            today=DAY,
            address="10.0.0.1",
            now_utc_s=999.0,
        )
    for i in range(9):
        _sign_up_from(uow, f"runner{i}@example.org", 1000.0 + i)
    with pytest.raises(ProfileError, match="exists"):  # probing for accounts counts too
        _sign_up_from(uow, "runner0@example.org", 1009.0)
    with pytest.raises(TooManySignUps) as caught:
        _sign_up_from(uow, "runner10@example.org", 1010.0)
    assert caught.value.retry_after_s == 3590  # when the first, at 1000 s, leaves the hour
    assert str(caught.value) == "too many new accounts from this address; try again in 3590 s"
    _sign_up_from(uow, "runner11@example.org", 1011.0, address="10.0.0.2")
    _sign_up_from(uow, "runner12@example.org", 4600.5)
    _sign_up(uow, "trusted@example.org")  # without an address (the command line): no limit
    with uow:
        assert uow.accounts.by_email("runner10@example.org") is None
        assert uow.accounts.sign_ups_since(address="10.0.0.1", since_utc_s=0) == [
            1001.0 + i for i in range(9)
        ] + [4600.5]  # the expired one was forgotten


def test_a_burst_of_sign_ups_arriving_together_hashes_only_the_limit(migrated: Engine) -> None:
    limit = SignUpLimit(attempts=4, window_s=3600)
    burst = 10
    outcomes, errors = _together(
        burst,
        lambda i: accounts.sign_up(
            SqlUnitOfWork(migrated),
            email=f"runner{i}@example.org",
            password=PASSWORD,
            role=Role.ATHLETE,
            today=DAY,
            hasher=SLOW,
            address="10.0.0.1",
            now_utc_s=1000.0,
            limit=limit,
        ),
    )
    assert errors == []
    assert sorted(outcomes) == sorted(
        ["Account"] * limit.attempts + ["TooManySignUps"] * (burst - limit.attempts)
    )


def _together(count: int, call: Callable[[int], object]) -> tuple[list[str], list[BaseException]]:
    """Run `call(0)` … `call(count - 1)` on threads released at once; each result's or expected
    error's class name, and any other errors."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes.append(type(call(i)).__name__)
        except (TooManyAttempts, WrongCredentialsError) as refused:
            outcomes.append(type(refused).__name__)
        except BaseException as error:  # pragma: no cover - reported by the caller's assertion
            errors.append(error)

    workers = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers), "the attempts deadlocked"
    return outcomes, errors
