"""Hypothesis strategies for whole training logs as the storage layer keeps them.

Values span what the schema allows (any date, loads from 0 kg, text with any character but NUL,
which PostgreSQL's TEXT cannot hold), so a property test on them covers both backends' edges.

Two limits of the activities table (activity_repository.py) shape the activity strategy, because
the SQL stores keep less than the in-memory fake: the start is kept as float UTC epoch seconds, which
hold microseconds exactly only within about 1900–2100 (whole seconds in any year), and histogram
seconds are kept as text to 6 significant digits (`:g`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from hypothesis import strategies as st

from ironmile.adapters.db.ports import StoredActivity
from ironmile.domain.activity import Activity, Sport
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

# Any offset Python and the table's CHECK (±86 400 s) both take, to the second (historic local mean
# times such as Amsterdam's +00:19:32 have seconds).
utc_offsets = st.integers(-86_399, 86_399).map(lambda seconds: timezone(timedelta(seconds=seconds)))


def _kept_start(start: datetime) -> datetime:
    """The start with its microseconds dropped where float epoch seconds cannot hold them."""
    return start if 1900 <= start.year <= 2100 else start.replace(microsecond=0)


# Years 2 to 9998: one year's margin keeps every offset's UTC instant within Python's years 1–9999.
starts = st.datetimes(datetime(2, 1, 1), datetime(9998, 12, 31), timezones=utc_offsets).map(_kept_start)
non_negative = st.floats(0.0, allow_nan=False, allow_infinity=False)
positive = st.floats(0.0, exclude_min=True, allow_nan=False, allow_infinity=False)
# Time at one heart rate, as the table's text keeps it (6 significant digits).
histogram_seconds = st.floats(0.0, 1e7, allow_nan=False).map(lambda seconds: float(f"{seconds:g}"))
histograms = st.lists(
    st.tuples(st.integers(1, 300), histogram_seconds), max_size=6, unique_by=lambda pair: pair[0]
).map(lambda pairs: tuple(sorted(pairs)))

activities = st.builds(
    Activity,
    start=starts,
    sport=st.sampled_from(Sport),
    source=texts,
    fingerprint=texts,
    distance_m=st.none() | non_negative,
    moving_s=st.none() | non_negative,
    elapsed_s=st.none() | non_negative,
    elevation_gain_m=st.none() | non_negative,
    avg_heart_rate_bpm=st.none() | positive,
    max_heart_rate_bpm=st.none() | positive,
    heart_rate_seconds=histograms,
    perceived_exertion=st.none() | st.floats(1.0, 10.0),
)
stored_activities = st.builds(
    StoredActivity, activity=activities, source_hash=st.none() | texts, imported_on=st.dates()
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
    activities: list[StoredActivity] = field(default_factory=list)


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
    activities=st.lists(stored_activities, max_size=4, unique_by=lambda s: s.activity.fingerprint),
)
