"""Accounts for the web app, as rules over plain values: roles, what an email and a password must
be, and the sign-in and sign-up rate limits. Hashing and storage are the shell's (adapters/passwords.py,
adapters/db/account_repository.py); this module decides.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ironmile.domain.errors import FieldProblem, ProfileError


class Role(StrEnum):
    """An athlete owns one athlete's data; a coach sees the athletes of the squads they lead."""

    ATHLETE = "athlete"
    COACH = "coach"


@dataclass(frozen=True, slots=True)
class Account:
    """A stored account; `password_hash` is an argon2id PHC string, never the password."""

    id: int
    email: str
    role: Role
    athlete_id: int | None
    feed_token: str
    session_epoch: int
    created_on: date
    password_hash: str


@dataclass(frozen=True, slots=True)
class Squad:
    id: int
    coach_id: int
    name: str
    invite_code: str
    created_on: date


# Deliberately loose (one @, a dot in the domain, no spaces): only a sent mail proves an address.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EMAIL_MAX = 254  # characters, RFC 5321's path limit
PASSWORD_MIN = 10  # characters; NIST SP 800-63B asks at least 8, we ask a little more
PASSWORD_MAX = 1024  # characters: argon2 takes any length, but a megabyte "password" is an attack


def normal_email(raw: str) -> str:
    """The email as stored and compared: trimmed and lower-case; raises naming the field."""
    email = raw.strip().lower()
    if not email or len(email) > EMAIL_MAX or not _EMAIL.match(email):
        raise ProfileError([FieldProblem("email", "expected an email address such as runner@example.org")])
    return email


def password_problems(password: str, *, email: str) -> list[FieldProblem]:
    problems = []
    if len(password) < PASSWORD_MIN:
        problems.append(FieldProblem("password", f"use at least {PASSWORD_MIN} characters"))
    elif len(password) > PASSWORD_MAX:
        problems.append(FieldProblem("password", f"use at most {PASSWORD_MAX} characters"))
    elif password.strip().lower() == email:
        problems.append(FieldProblem("password", "must not be your email address"))
    return problems


@dataclass(frozen=True, slots=True)
class LoginFailure:
    """A failed sign-in (or a wrong current password): the email tried, the client address it came
    from and when (UTC epoch seconds)."""

    email: str
    address: str
    at_utc_s: float


@dataclass(frozen=True, slots=True)
class LoginLimit:
    """Failed sign-ins allowed within `window_s` seconds: `attempts` for one email from one client
    address, `attempts * spread` for one email from all addresses together, and `attempts * spread`
    from one address for all emails together.

    Per (email, address) stops one client guessing one account's password, and a stranger who
    types the owner's email wrong six times locks out only themselves: the owner, elsewhere, still
    signs in. Per email, with a higher ceiling, stops guessing spread over many addresses; per
    address stops one client trying many accounts (password spraying) without locking a shared
    office out after a few typos each."""

    attempts: int = 5
    window_s: float = 15 * 60
    spread: int = 4

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.spread < 1 or self.window_s <= 0:
            raise ValueError(f"a sign-in limit needs at least one attempt in a window, not {self}")

    def retry_after_s(
        self, *, failures: Iterable[LoginFailure], email: str, address: str, now_s: float
    ) -> int | None:
        """Seconds until `email` may try again from `address`, or None when it may now. Only
        failures inside the window count; others (other emails from other addresses) are ignored."""
        pair, by_email, by_address = [], [], []
        for failure in failures:
            if failure.email == email:
                by_email.append(failure.at_utc_s)
                if failure.address == address:
                    pair.append(failure.at_utc_s)
            if failure.address == address:
                by_address.append(failure.at_utc_s)
        ceiling = self.attempts * self.spread
        return _retry_after_s(
            ((pair, self.attempts), (by_email, ceiling), (by_address, ceiling)), self.window_s, now_s
        )


@dataclass(frozen=True, slots=True)
class SignUpLimit:
    """At most `attempts` sign-ups from one client address within `window_s` seconds. Each one
    costs a full password hash (64 MiB of memory for argon2-cffi's defaults), so an address must
    not start them without bound; a family or a team signing up together stays well under it."""

    attempts: int = 10
    window_s: float = 60 * 60

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.window_s <= 0:
            raise ValueError(f"a sign-up limit needs at least one attempt in a window, not {self}")

    def retry_after_s(self, *, sign_ups: Iterable[float], now_s: float) -> int | None:
        """Seconds until the address may sign up again, or None when it may now; `sign_ups` are
        the address's earlier attempts (UTC epoch seconds)."""
        return _retry_after_s(((list(sign_ups), self.attempts),), self.window_s, now_s)


def _retry_after_s(
    counts: Iterable[tuple[Sequence[float], int]], window_s: float, now_s: float
) -> int | None:
    """Whole seconds (rounded up, at least 1) until every (times, allowed) pair has fewer than
    `allowed` times inside the window (now_s - window_s, now_s]; None when each has already."""
    waits = []
    for times, allowed in counts:
        recent = sorted(t for t in times if now_s - window_s < t <= now_s)
        if len(recent) >= allowed:
            # The try becomes allowed when the oldest time that keeps the count full expires.
            oldest = recent[len(recent) - allowed]
            waits.append(oldest + window_s - now_s)
    return max(1, math.ceil(max(waits))) if waits else None
