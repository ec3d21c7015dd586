"""Hypothesis strategies for whole training logs as the storage layer keeps them.

Values span what the schema allows (any date, loads from 0 kg, text with any character but NUL,
which PostgreSQL's TEXT cannot hold), so a property test on them covers both backends' edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hypothesis import strategies as st

from ironmile.domain.training import BodyMass, LoggedSession, LoggedSet, MorningPain, ScreenResultRecord, Swap
from ironmile.domain.units import UnitSystem

# Any character that UTF-8 can encode (no lone surrogates) but NUL.
texts = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
exercise_ids = st.sampled_from(("back_squat", "deadlift", "plank", "nordic_hamstring_curl", "hip_thrust"))
pains = st.integers(0, 10)
kilograms = st.floats(0.0, 1_000.0, allow_nan=False, allow_infinity=False)
positive_kilograms = st.floats(0.0, 1_000.0, exclude_min=True, allow_nan=False, allow_infinity=False)

logged_sets = st.builds(
    LoggedSet,
    exercise_id=exercise_ids,
    load_kg=st.none() | kilograms,
    reps=st.none() | st.integers(0, 100),
    seconds=st.none() | st.integers(0, 100_000),
    rir=st.none() | st.integers(0, 10),
    pain=st.none() | pains,
)

logged_sessions = st.builds(
    LoggedSession,
    date=st.dates(),
    sets=st.lists(logged_sets, max_size=5).map(tuple),
    planned=st.booleans(),
    pain_during=st.none() | pains,
    session_rpe=st.none() | st.integers(0, 10),
    note=st.none() | texts,
)

screens = st.builds(
    ScreenResultRecord,
    date=st.dates(),
    bridge_left_reps=st.none() | st.integers(0, 500),
    bridge_right_reps=st.none() | st.integers(0, 500),
    felt_in=st.none() | st.sampled_from(("quads", "glutes_hamstrings", "both")),
    hq_ratio=st.none() | st.floats(0.0, 5.0, exclude_min=True, allow_nan=False),
)


@dataclass(frozen=True)
class AthleteLog:
    """Everything one athlete may have stored, in the order it was stored."""

    name: str
    units: UnitSystem
    profile_toml: str
    created_on: date
    plan_versions: list[tuple[date, date, str]]
    sessions: list[LoggedSession]
    morning_pain: list[MorningPain]
    body_mass: list[BodyMass]
    screens: list[ScreenResultRecord]
    swaps: list[Swap]


athlete_logs = st.builds(
    AthleteLog,
    name=texts,
    units=st.sampled_from(UnitSystem),
    profile_toml=texts,
    created_on=st.dates(),
    plan_versions=st.lists(st.tuples(st.dates(), st.dates(), texts), max_size=4),
    sessions=st.lists(logged_sessions, max_size=6),
    morning_pain=st.lists(st.builds(MorningPain, st.dates(), pains), max_size=5, unique_by=lambda r: r.date),
    body_mass=st.lists(
        st.builds(BodyMass, st.dates(), positive_kilograms), max_size=5, unique_by=lambda r: r.date
    ),
    screens=st.lists(screens, max_size=3),
    swaps=st.lists(
        st.builds(Swap, st.dates(), exercise_ids, exercise_ids),
        max_size=4,
        unique_by=lambda s: (s.since, s.exercise_id),
    ),
)
