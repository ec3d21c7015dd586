"""What the repositories return besides the domain's own log types: stored rows with their ids.

The domain's `LoggedSession`, `BodyMass` and friends carry no database id; these wrappers add the
id where a caller needs one (a correction names the session it corrects, a plan version is kept
as JSON text because its schema, `ironmile.plan/1`, is a public contract of its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ironmile.domain.training import LoggedSession
from ironmile.domain.units import UnitSystem


@dataclass(frozen=True, slots=True)
class StoredAthlete:
    """An athlete; `profile_toml` is the profile file's text as the user wrote it."""

    id: int
    name: str
    units: UnitSystem
    profile_toml: str
    created_on: date


@dataclass(frozen=True, slots=True)
class PlanVersion:
    """An `ironmile.plan/1` document in force from `effective_from` until the next version's."""

    id: int
    athlete_id: int
    created_on: date
    effective_from: date
    document: str


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A logged session and the id that an explicit correction refers to."""

    id: int
    athlete_id: int
    session: LoggedSession
