"""Password hashing: argon2id at RFC 9106's recommended cost, and verification that never raises."""

from __future__ import annotations

from argon2 import PasswordHasher

from ironmile.adapters.passwords import hash_password, needs_rehash, verify_password


def test_the_default_hash_is_argon2id_with_64_mib_and_3_passes() -> None:
    """RFC 9106 §4 "second recommended option": m=64 MiB, t=3, p=4 (argon2-cffi's defaults)."""
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse battery ")


def test_unknown_accounts_and_broken_hashes_verify_false() -> None:
    assert not verify_password(None, "anything at all")
    assert not verify_password("not a hash", "anything at all")


def test_a_hash_made_with_cheaper_parameters_asks_to_be_redone() -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    stored = hash_password("correct horse battery", cheap)
    assert verify_password(stored, "correct horse battery", cheap)
    assert needs_rehash(stored)
    assert not needs_rehash(hash_password("correct horse battery"))
