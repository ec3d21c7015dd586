"""Account use cases for the web app: sign up and sign in (both rate limited), changing the
password, squads and invites, and the one access rule every page and API route goes through
(`viewable_athlete`).

Passwords are hashed by adapters/passwords.py; the rules (email, password, rate limits) are the
domain's (domain/accounts.py). Each function is one unit of work.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from argon2 import PasswordHasher

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.passwords import DEFAULT_HASHER, hash_password, needs_rehash, verify_password
from ironmile.domain.accounts import (
    Account,
    LoginLimit,
    Role,
    SignUpLimit,
    Squad,
    normal_email,
    password_problems,
)
from ironmile.domain.errors import (
    FieldProblem,
    InputError,
    NotFoundError,
    NotPermitted,
    ProfileError,
    TooManyAttempts,
)

TOKEN_BYTES = 24  # 192 random bits for feed tokens and invite codes: unguessable, short enough to paste
SQUAD_NAME_MAX = 80
SIGN_UP_LIMIT = SignUpLimit()  # the web's: 10 sign-ups an hour per client address


class TooManySignUps(TooManyAttempts):
    """Too many sign-ups from this client address; `retry_after_s` until the next one."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(retry_after_s)
        self.args = (f"too many new accounts from this address; try again in {retry_after_s} s",)


class WrongCredentialsError(InputError):
    """Unknown email or wrong password: one message for both, so emails cannot be probed."""

    def __init__(self) -> None:
        super().__init__("that email and password do not match an account")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def sign_up(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    role: Role,
    today: date,
    hasher: PasswordHasher = DEFAULT_HASHER,
    address: str | None = None,
    now_utc_s: float | None = None,
    limit: SignUpLimit = SIGN_UP_LIMIT,
) -> Account:
    """A new account. Field problems (all of them, at once) raise ProfileError naming each field.

    With a client `address` (the web always passes one, with `now_utc_s`), the attempt counts
    against the address's sign-up limit before the password is hashed (TooManySignUps); callers
    without one (the command line, seeding) are trusted and not limited."""
    problems: list[FieldProblem] = []
    try:
        email = normal_email(email)
    except ProfileError as error:
        problems.extend(error.problems)
    problems.extend(password_problems(password, email=email))
    if problems:
        raise ProfileError(problems)
    if address is not None:
        if now_utc_s is None:
            raise TypeError("sign_up needs now_utc_s with an address, to count the attempt")
        _claim_sign_up(uow, address=address, now_utc_s=now_utc_s, limit=limit)
    # Saying that an account exists lets anyone learn which emails have one. That is a deliberate
    # product decision: a runner who forgot signing up is told to sign in instead. The sign-up limit
    # above keeps such probing slow; asking before the hash keeps it cheap.
    taken = ProfileError([FieldProblem("email", "an account with this email exists; sign in instead")])
    with uow:
        if uow.accounts.by_email(email) is not None:
            raise taken
    password_hash = hash_password(password, hasher)  # outside the transaction: it takes ~50 ms
    with uow:
        if uow.accounts.by_email(email) is not None:  # taken while the password was hashed
            raise taken
        user_id = uow.accounts.add(
            email=email, password_hash=password_hash, role=role, feed_token=new_token(), created_on=today
        )
        uow.commit()
        return _existing(uow, user_id)


def _claim_sign_up(uow: UnitOfWork, *, address: str, now_utc_s: float, limit: SignUpLimit) -> None:
    """Count the address's recent sign-ups and record this one in one transaction, before any hash
    is made: requests arriving together are counted one after the other, so at most
    `limit.attempts` of them ever reach the hash."""
    since = now_utc_s - limit.window_s
    with uow:
        uow.accounts.lock_sign_ups(address)
        earlier = uow.accounts.sign_ups_since(address=address, since_utc_s=since)
        wait = limit.retry_after_s(sign_ups=earlier, now_s=now_utc_s)
        if wait is not None:
            raise TooManySignUps(wait)
        uow.accounts.forget_sign_ups(before_utc_s=since)
        uow.accounts.record_sign_up(address=address, at_utc_s=now_utc_s)
        uow.commit()


def sign_in(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    address: str,
    now_utc_s: float,
    limit: LoginLimit,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> Account:
    """The account for these credentials. Refused while the email, the client address or the two
    together are over the failure limit (TooManyAttempts, checked before the password so guesses
    cost nothing); a failure is recorded; a success clears the email's failures."""
    email = email.strip().lower()
    with uow:
        claim_attempt(uow, email=email, address=address, now_utc_s=now_utc_s, limit=limit)
        account = uow.accounts.by_email(email)
        uow.commit()
    if not verify_password(account.password_hash if account else None, password, hasher) or account is None:
        raise WrongCredentialsError()  # the attempt's failure stays recorded
    with uow:
        uow.accounts.clear_failures(email)  # this attempt's recorded failure among them
        if needs_rehash(account.password_hash, hasher):
            uow.accounts.upgrade_hash(account.id, hash_password(password, hasher))
        uow.commit()
        return _existing(uow, account.id)


def claim_attempt(uow: UnitOfWork, *, email: str, address: str, now_utc_s: float, limit: LoginLimit) -> int:
    """Inside the caller's transaction (to be committed before the password is checked): raise
    TooManyAttempts if the limit is reached, else record this attempt as a failure and return
    its id, for the caller to forget if the password proves right.

    Counting first and recording after the slow password check would let requests arriving
    together all pass the count before any of them is recorded. Recorded first, under the lock,
    every attempt counts against the next, so at most `limit.attempts` passwords are checked."""
    uow.accounts.lock_failures(email=email, address=address)
    since = now_utc_s - limit.window_s
    failures = uow.accounts.failures_since(email=email, address=address, since_utc_s=since)
    wait = limit.retry_after_s(failures=failures, email=email, address=address, now_s=now_utc_s)
    if wait is not None:
        raise TooManyAttempts(wait)
    uow.accounts.forget_failures(before_utc_s=since)
    return uow.accounts.record_failure(email=email, address=address, at_utc_s=now_utc_s)


def change_password(
    uow: UnitOfWork,
    *,
    account: Account,
    old_password: str,
    new_password: str,
    confirm_password: str,
    address: str,
    now_utc_s: float,
    limit: LoginLimit,
    hasher: PasswordHasher,
) -> Account:
    """A new password; every other session ends (the account's session epoch goes up), so the
    caller starts this one again with the returned account. A wrong current password counts as a
    failed sign-in for the rate limit: a stolen session must not become a password-guessing oracle."""
    with uow:
        attempt = claim_attempt(uow, email=account.email, address=address, now_utc_s=now_utc_s, limit=limit)
        uow.commit()
    problems: list[FieldProblem] = []
    if verify_password(account.password_hash, old_password, hasher):
        with uow:
            uow.accounts.forget_failure(attempt)
            uow.commit()
    else:
        problems.append(FieldProblem("old_password", "that is not your current password"))
    new_problems = password_problems(new_password, email=account.email)
    problems.extend(FieldProblem("new_password", p.message) for p in new_problems)
    if not new_problems and not problems and new_password == old_password:
        problems.append(FieldProblem("new_password", "choose a password other than the current one"))
    if confirm_password != new_password:
        problems.append(FieldProblem("confirm_password", "does not match the new password"))
    if problems:
        raise ProfileError(problems)
    password_hash = hash_password(new_password, hasher)  # outside the transaction: it takes ~50 ms
    with uow:
        uow.accounts.set_password(account.id, password_hash)
        uow.commit()
        changed = uow.accounts.get(account.id)
    if changed is None:  # pragma: no cover - the account signed in a moment ago
        raise NotFoundError(f"account {account.id} was not found")
    return changed


def account(uow: UnitOfWork, user_id: int) -> Account | None:
    with uow:
        return uow.accounts.get(user_id)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """An account as a request finds it, with the version of its athlete's data at that moment
    (None for a coach, an athlete not yet onboarded, or a database without versions)."""

    account: Account
    data_version: int | None


def signed_in(uow: UnitOfWork, user_id: int) -> SignedIn | None:
    """The account and its athlete's data version, read in one transaction."""
    with uow:
        found = uow.accounts.get(user_id)
        if found is None:
            return None
        version = None if found.athlete_id is None else uow.data_versions.version(found.athlete_id)
        return SignedIn(found, version)


def end_sessions(uow: UnitOfWork, *, user_id: int) -> None:
    """Log out everywhere: every session cookie issued so far stops working."""
    with uow:
        uow.accounts.end_sessions(user_id)
        uow.commit()


def _existing(uow: UnitOfWork, user_id: int) -> Account:
    stored = uow.accounts.get(user_id)
    if stored is None:  # pragma: no cover - written a moment ago in this unit of work
        raise NotFoundError(f"account {user_id} was not found")
    return stored


# --- who may see whom --------------------------------------------------------------------------------


def viewable_athlete(uow: UnitOfWork, *, viewer: Account, user_id: int) -> Account:
    """The account `user_id` if `viewer` may read its data: it is the viewer's own, or the viewer
    coaches a squad it joined. Anything else is "not found", the same answer as for an id that
    does not exist, so that ids cannot be probed."""
    with uow:
        if user_id == viewer.id:
            return viewer
        if viewer.role is Role.COACH and uow.accounts.coaches(viewer.id, user_id):
            target = uow.accounts.get(user_id)
            if target is not None:
                return target
    raise NotFoundError(f"no athlete {user_id} in your squads")


# --- squads -------------------------------------------------------------------------------------------


def create_squad(uow: UnitOfWork, *, coach: Account, name: str, today: date) -> Squad:
    if coach.role is not Role.COACH:
        raise NotPermitted("only a coach account can lead a squad")
    name = name.strip()
    if not name or len(name) > SQUAD_NAME_MAX:
        raise ProfileError(
            [FieldProblem("name", f"expected a squad name of 1 to {SQUAD_NAME_MAX} characters")]
        )
    with uow:
        squad_id = uow.accounts.add_squad(
            coach_id=coach.id, name=name, invite_code=new_token(), created_on=today
        )
        uow.commit()
        squad = uow.accounts.squad(squad_id)
    assert squad is not None
    return squad


def led_squad(uow: UnitOfWork, *, coach: Account, squad_id: int) -> Squad:
    """The squad if `coach` leads it; otherwise "not found" (not 403: nothing about it leaks)."""
    with uow:
        squad = uow.accounts.squad(squad_id)
    if squad is None or squad.coach_id != coach.id:
        raise NotFoundError(f"no squad {squad_id} among the squads you lead")
    return squad


def renew_invite(uow: UnitOfWork, *, coach: Account, squad_id: int) -> Squad:
    """A new invite code; the old link stops working (members already in stay)."""
    led_squad(uow, coach=coach, squad_id=squad_id)
    with uow:
        uow.accounts.set_invite_code(squad_id, new_token())
        uow.commit()
        squad = uow.accounts.squad(squad_id)
    assert squad is not None
    return squad


def join_squad(uow: UnitOfWork, *, athlete: Account, invite_code: str, today: date) -> Squad:
    if athlete.role is not Role.ATHLETE:
        raise NotPermitted("a coach account cannot join a squad; sign up as an athlete to train")
    with uow:
        squad = uow.accounts.squad_by_invite(invite_code.strip())
        if squad is None:
            raise NotFoundError("that invite link is not valid (it may have been renewed); ask your coach")
        uow.accounts.add_member(squad.id, athlete.id, joined_on=today)
        uow.commit()
    return squad


def leave_squad(uow: UnitOfWork, *, athlete: Account, squad_id: int) -> None:
    with uow:
        if squad_id not in {s.id for s in uow.accounts.squads_joined_by(athlete.id)}:
            raise NotFoundError(f"you are not in squad {squad_id}")
        uow.accounts.remove_member(squad_id, athlete.id)
        uow.commit()


def remove_member(uow: UnitOfWork, *, coach: Account, squad_id: int, user_id: int) -> None:
    led_squad(uow, coach=coach, squad_id=squad_id)
    with uow:
        if user_id not in {m.id for m in uow.accounts.members(squad_id)}:
            raise NotFoundError(f"no athlete {user_id} in this squad")
        uow.accounts.remove_member(squad_id, user_id)
        uow.commit()


def renew_feed_token(uow: UnitOfWork, *, user: Account) -> str:
    """A new calendar feed URL; calendars subscribed to the old one stop updating."""
    token = new_token()
    with uow:
        uow.accounts.set_feed_token(user.id, token)
        uow.commit()
    return token
