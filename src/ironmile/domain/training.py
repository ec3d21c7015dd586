"""What the athlete did: logged sessions and sets, body mass, pain check-ins and screens.

These are the records the training log stores and the progression, pain and body-mass rules read.
All quantities are SI (kg); dates are the athlete's local calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class LoggedSet:
    """One set as lifted: `load_kg` per dumbbell for dumbbell work, None for bodyweight or band."""

    exercise_id: str
    load_kg: float | None
    reps: int | None  # per side for one-sided exercises
    seconds: int | None  # holds
    rir: int | None  # reps in reserve the athlete reported (0–10)
    pain: int | None = None  # 0–10 pain felt during this exercise, if any was reported


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """A session as trained. `planned` is False for an extra session on a day with none planned."""

    date: date
    sets: tuple[LoggedSet, ...]
    planned: bool = True
    pain_during: int | None = None  # 0–10, worst pain during the session
    session_rpe: int | None = None  # 0–10 (CR-10), the whole session's effort
    note: str | None = None


@dataclass(frozen=True, slots=True)
class MorningPain:
    """Pain (0–10) the morning after training, the number the pain-monitoring model watches."""

    date: date
    pain: int


@dataclass(frozen=True, slots=True)
class BodyMass:
    date: date
    mass_kg: float


@dataclass(frozen=True, slots=True)
class ScreenResultRecord:
    """A stored quad-dominance screen (SCIENCE.md §8)."""

    date: date
    bridge_left_reps: int | None
    bridge_right_reps: int | None
    felt_in: str | None
    hq_ratio: float | None = None


@dataclass(frozen=True, slots=True)
class Swap:
    """From `since` on, `replacement_id` stands wherever the plan says `exercise_id`."""

    since: date
    exercise_id: str
    replacement_id: str
