"""Password hashing with argon2id (argon2-cffi), the OWASP-recommended algorithm.

argon2-cffi's defaults are RFC 9106's "second recommended" profile (64 MiB, 3 passes, 4 lanes).
`needs_rehash` lets a sign-in upgrade a hash made with older parameters. Tests pass cheaper
parameters (`PasswordHasher(time_cost=1, memory_cost=8)`): the algorithm is the same.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

DEFAULT_HASHER = PasswordHasher()

# A hash of a random password, checked when an email is unknown, so that an unknown email and a
# wrong password take the same time and cannot be told apart.
_DUMMY_HASH = DEFAULT_HASHER.hash("ironmile: no such account")


def hash_password(password: str, hasher: PasswordHasher = DEFAULT_HASHER) -> str:
    return hasher.hash(password)


def verify_password(
    password_hash: str | None, password: str, hasher: PasswordHasher = DEFAULT_HASHER
) -> bool:
    """True when `password` matches; a None hash (unknown account) still costs one verification."""
    try:
        return hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, hasher: PasswordHasher = DEFAULT_HASHER) -> bool:
    return hasher.check_needs_rehash(password_hash)
