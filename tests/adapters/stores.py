"""What the storage fixtures hand to tests: a way to open units of work on one new store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ironmile.adapters.db.ports import UnitOfWork

NewUow = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class Store:
    """One new, migrated store: `new_uow()` opens units of work on it, `wipe()` empties it again
    (the cascade takes every athlete's rows), for property tests that need an empty store per example."""

    new_uow: NewUow
    wipe: Callable[[], None]
