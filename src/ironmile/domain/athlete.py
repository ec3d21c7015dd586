"""The athlete's profile as plain typed data: who they are, how they run, what they can lift with.

Everything is in SI units (kg, m) whatever the profile file used; `units` remembers how to show it.
Days of the week are ints, Monday = 0 … Sunday = 6, as `date.weekday()` returns them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ironmile.domain.units import UnitSystem

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_TITLES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

RED_FLAGS = ("swelling", "locking", "giving_way", "night_pain", "trauma", "numbness")


class StrengthLevel(StrEnum):
    NOVICE = "novice"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Goal(StrEnum):
    STRENGTH = "strength"  # the default: stronger, not heavier
    MUSCLE = "muscle"  # opt-in: hypertrophy ranges, for runners who want mass


class RacePriority(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class Sex(StrEnum):
    """Only used to pick Banister's TRIMP weighting (SCIENCE.md §6), which differs by sex."""

    FEMALE = "female"
    MALE = "male"


class E1rmFormula(StrEnum):
    EPLEY = "epley"
    BRZYCKI = "brzycki"


@dataclass(frozen=True, slots=True)
class Athlete:
    body_mass_kg: float
    units: UnitSystem = UnitSystem.METRIC
    level: StrengthLevel = StrengthLevel.NOVICE
    goal: Goal = Goal.STRENGTH
    name: str | None = None
    sex: Sex | None = None
    resting_heart_rate_bpm: int | None = None  # beats per minute; for heart-rate-based running load
    max_heart_rate_bpm: int | None = None  # beats per minute
    time_zone: str | None = None  # IANA name, e.g. Europe/Berlin: where runs without a UTC offset were


@dataclass(frozen=True, slots=True)
class RunningWeek:
    """The runner's usual week; key days are the hard sessions (intervals, tempo, hills)."""

    weekly_distance_m: float = 0.0
    run_days: frozenset[int] = frozenset()
    key_days: frozenset[int] = frozenset()
    long_run_day: int | None = None


@dataclass(frozen=True, slots=True)
class Race:
    date: date
    distance_m: float
    priority: RacePriority = RacePriority.A
    name: str | None = None

    @property
    def label(self) -> str:
        return self.name or f"race on {self.date:%d %b}"


@dataclass(frozen=True, slots=True)
class StrengthSetup:
    start_date: date
    available_days: frozenset[int]
    session_minutes: int
    equipment: frozenset[str] = frozenset()
    weeks: int | None = None  # None: through the last A race and its recovery, else 12
    sessions_per_week: int | None = None  # an upper cap; the phase decides the rest
    e1rm_formula: E1rmFormula = E1rmFormula.EPLEY


@dataclass(frozen=True, slots=True)
class Health:
    knee_pain: int = 0  # 0–10 numeric pain rating
    red_flags: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Screen:
    """Quad-dominance screen results (SCIENCE.md §8); every field optional."""

    bridge_left_reps: int | None = None
    bridge_right_reps: int | None = None
    felt_in: str | None = None  # quads | glutes_hamstrings | both
    hq_ratio: float | None = None  # conventional hamstring:quadriceps torque ratio


@dataclass(frozen=True, slots=True)
class KnownLift:
    """A recent best set: `load_kg` for `reps` with `rir` reps left in reserve (per hand for dumbbells)."""

    exercise_id: str
    load_kg: float
    reps: int
    rir: int = 0


@dataclass(frozen=True, slots=True)
class Profile:
    athlete: Athlete
    strength: StrengthSetup
    running: RunningWeek = RunningWeek()
    races: tuple[Race, ...] = ()
    health: Health = Health()
    screen: Screen = Screen()
    lifts: tuple[KnownLift, ...] = field(default_factory=tuple)
