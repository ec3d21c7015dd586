"""Accounts for the web app, as rules over plain values: roles, what an email and a password must
be, and the sign-in rate limit. Hashing and storage are the shell's (adapters/passwords.py,
adapters/db/account_repository.py); this module decides.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
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
class LoginLimit:
    """At most `attempts` failed sign-ins per email, and `attempts * 4` per client address, within
    `window_s` seconds. Per email stops guessing one account's password; per address stops one
    client from trying many accounts (password spraying) without locking a shared office out."""

    attempts: int = 5
    window_s: float = 15 * 60

    def retry_after_s(
        self, *, email_failures: Sequence[float], address_failures: Sequence[float], now_s: float
    ) -> int | None:
        """Seconds until another try is allowed, or None when one is allowed now. Failures are
        UTC epoch seconds; only those inside the window count."""
        waits = []
        for failures, allowed in ((email_failures, self.attempts), (address_failures, self.attempts * 4)):
            recent = sorted(t for t in failures if now_s - self.window_s < t <= now_s)
            if len(recent) >= allowed:
                # The try becomes allowed when the oldest failure that keeps the count full expires.
                oldest = recent[len(recent) - allowed]
                waits.append(oldest + self.window_s - now_s)
        return max(1, math.ceil(max(waits))) if waits else None
