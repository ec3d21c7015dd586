"""The plan as plain data: weeks, runs, sessions and prescribed exercises.

Loads are already in the profile's units (rounding to loadable weights happens in those units);
every other quantity is SI or a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ironmile.domain.catalogue import Exercise
from ironmile.domain.phases import PhaseWeek
from ironmile.domain.prescription import Role
from ironmile.domain.units import UnitSystem

PLAN_SCHEMA = "ironmile.plan/1"


@dataclass(frozen=True, slots=True)
class PlannedRun:
    date: date
    kind: str  # easy | key | long | race
    race: str | None = None  # the race's name on race days


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    exercise: Exercise
    role: Role
    sets: int
    reps: int | None  # per side for unilateral exercises
    seconds: int | None
    rir: int | None
    percent_1rm: float | None  # of the e1RM behind `load`, after any deload scaling
    load: float | None  # profile units; None for bodyweight or when below the lightest weight
    rest_seconds: int
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Session:
    date: date
    heavy_lower: bool
    minutes: int  # estimated from sets, reps, rest, transitions and warm-up
    why: str
    exercises: tuple[PlannedExercise, ...]


@dataclass(frozen=True, slots=True)
class PlanWeek:
    frame: PhaseWeek
    runs: tuple[PlannedRun, ...]
    sessions: tuple[Session, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    units: UnitSystem
    start_date: date
    end_date: date
    warnings: tuple[str, ...]
    weeks: tuple[PlanWeek, ...]
    posterior_target: float


@dataclass(frozen=True, slots=True)
class StoredWeek:
    """A week of a stored plan, as read back from its JSON document."""

    index: int
    start_date: date
    phase: str
    deload: bool
    sessions: tuple[Session, ...]


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """A plan as it was stored: what was planned, frozen, whatever the planner does later."""

    units: UnitSystem
    start_date: date
    end_date: date
    warnings: tuple[str, ...]
    weeks: tuple[StoredWeek, ...]

    def session_on(self, day: date) -> Session | None:
        for week in self.weeks:
            for session in week.sessions:
                if session.date == day:
                    return session
        return None

    def week_of(self, day: date) -> StoredWeek | None:
        return next((w for w in self.weeks if w.start_date <= day < w.start_date + timedelta(days=7)), None)

    def sessions_between(self, first: date, last: date) -> list[Session]:
        return [s for week in self.weeks for s in week.sessions if first <= s.date <= last]
