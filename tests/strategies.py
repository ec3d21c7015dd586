"""Hypothesis strategies shared by the property tests: valid athlete profiles of every kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from hypothesis import strategies as st

from ironmile.domain.activity import Activity, Sport
from ironmile.domain.athlete import (
    RED_FLAGS,
    Athlete,
    Goal,
    Health,
    KnownLift,
    Profile,
    Race,
    RacePriority,
    RunningWeek,
    Screen,
    Sex,
    StrengthLevel,
    StrengthSetup,
)
from ironmile.domain.catalogue import EQUIPMENT
from ironmile.domain.running_load import HeartRateProfile
from ironmile.domain.units import UnitSystem

DAYS = list(range(7))
RACE_DISTANCES_M = (5_000.0, 10_000.0, 21_097.5, 42_195.0, 80_000.0)
EQUIPMENT_PRESETS = (
    (),
    ("dumbbell",),
    ("dumbbell", "band", "box"),
    ("barbell", "rack", "bench", "dumbbell", "pullup_bar"),
    EQUIPMENT,
)
LOADED_LIFT_IDS = ("back_squat", "deadlift", "bench_press", "trap_bar_deadlift", "goblet_squat", "hip_thrust")


@st.composite
def running_weeks(draw: st.DrawFn) -> RunningWeek:
    run_days = draw(st.frozensets(st.sampled_from(DAYS), max_size=7))
    ordered = sorted(run_days)
    long_run = draw(st.none() | st.sampled_from(ordered)) if ordered else None
    key_pool = [day for day in ordered if day != long_run]
    key_days = draw(st.frozensets(st.sampled_from(key_pool), max_size=3)) if key_pool else frozenset()
    return RunningWeek(
        weekly_distance_m=draw(st.floats(0, 160_000)),
        run_days=run_days,
        key_days=key_days,
        long_run_day=long_run,
    )


@st.composite
def profiles(draw: st.DrawFn, *, max_weeks: int = 30) -> Profile:
    """Valid profiles: every day pattern, race calendar, equipment set, knee tier and screen."""
    start = draw(st.dates(date(2026, 1, 1), date(2028, 12, 31)))
    races = tuple(
        sorted(
            draw(
                st.lists(
                    st.builds(
                        Race,
                        date=st.integers(0, 7 * max_weeks).map(lambda days: start + timedelta(days=days)),
                        distance_m=st.sampled_from(RACE_DISTANCES_M),
                        priority=st.sampled_from(list(RacePriority)),
                        name=st.none() | st.sampled_from(["Spring 10K", "City Marathon"]),
                    ),
                    max_size=3,
                    unique_by=lambda race: race.date,
                )
            ),
            key=lambda race: race.date,
        )
    )
    equipment = draw(
        st.sampled_from(EQUIPMENT_PRESETS).map(frozenset) | st.frozensets(st.sampled_from(EQUIPMENT))
    )
    # most runners are pain-free: one profile in ten has red flags, most report knee pain 0–3
    red_flags = draw(
        st.sampled_from([False] * 9 + [True]).flatmap(
            lambda flagged: (
                st.frozensets(st.sampled_from(RED_FLAGS), min_size=1, max_size=2)
                if flagged
                else st.just(frozenset())
            )
        )
    )
    bridge = draw(st.none() | st.tuples(st.integers(0, 40), st.integers(0, 40)))
    lifts = draw(
        st.lists(
            st.builds(
                KnownLift,
                exercise_id=st.sampled_from(LOADED_LIFT_IDS),
                load_kg=st.floats(20, 200),
                reps=st.integers(1, 8),
                rir=st.integers(0, 2),
            ),
            max_size=3,
            unique_by=lambda lift: lift.exercise_id,
        )
    )
    return Profile(
        athlete=Athlete(
            body_mass_kg=draw(st.floats(40, 130)),
            units=draw(st.sampled_from(list(UnitSystem))),
            level=draw(st.sampled_from(list(StrengthLevel))),
            goal=draw(st.sampled_from([Goal.STRENGTH, Goal.STRENGTH, Goal.STRENGTH, Goal.MUSCLE])),
        ),
        running=draw(running_weeks()),
        races=races,
        strength=StrengthSetup(
            start_date=start,
            available_days=draw(st.frozensets(st.sampled_from(DAYS), min_size=1)),
            session_minutes=draw(st.integers(20, 120)),
            equipment=equipment,
            weeks=draw(st.none() | st.integers(1, max_weeks)),
            sessions_per_week=draw(st.none() | st.integers(1, 3)),
        ),
        health=Health(knee_pain=draw(st.integers(0, 3) | st.integers(0, 10)), red_flags=red_flags),
        screen=Screen(
            bridge_left_reps=bridge[0] if bridge else None,
            bridge_right_reps=bridge[1] if bridge else None,
            felt_in=draw(st.none() | st.sampled_from(["quads", "glutes_hamstrings", "both"])),
        ),
        lifts=tuple(lifts),
    )


# --- activities: running histories for the running-load, weekly-flag and habit properties ---------

HISTORY_START = date(2026, 1, 5)  # a Monday
ZONES = (
    UTC,
    timezone(timedelta(hours=1)),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=10)),
)
OTHER_SPORTS = [sport for sport in Sport if sport is not Sport.RUNNING]


@st.composite
def activities(draw: st.DrawFn, *, sports: Sequence[Sport] = tuple(Sport), days: int = 84) -> Activity:
    """Any activity within `days` of `HISTORY_START`, each field present or missing on its own."""
    day = HISTORY_START + timedelta(days=draw(st.integers(0, days - 1)))
    start = datetime.combine(
        day, time(draw(st.integers(5, 21)), draw(st.integers(0, 59))), draw(st.sampled_from(ZONES))
    )
    stream = draw(
        st.lists(
            st.tuples(st.integers(40, 220), st.floats(0, 1800)), max_size=6, unique_by=lambda pair: pair[0]
        )
    )
    serial = draw(st.integers(0, 10**9))
    return Activity(
        start=start,
        sport=draw(st.sampled_from(list(sports))),
        source=f"generated/{serial}.fit",
        fingerprint=f"{serial:032x}",
        distance_m=draw(st.none() | st.floats(0, 50_000)),
        moving_s=draw(st.none() | st.floats(0, 6 * 3600)),
        elapsed_s=draw(st.none() | st.floats(0, 7 * 3600)),
        avg_heart_rate_bpm=draw(st.none() | st.floats(60, 200)),
        max_heart_rate_bpm=draw(st.none() | st.floats(90, 240)),
        heart_rate_seconds=tuple(sorted(stream)),
        perceived_exertion=draw(st.none() | st.floats(1, 10)),
    )


def runs(*, days: int = 84) -> st.SearchStrategy[Activity]:
    return activities(sports=(Sport.RUNNING,), days=days)


def other_activities(*, days: int = 84) -> st.SearchStrategy[Activity]:
    return activities(sports=OTHER_SPORTS, days=days)


@st.composite
def heart_rate_profiles(draw: st.DrawFn) -> HeartRateProfile:
    resting = draw(st.floats(35, 90))
    return HeartRateProfile(
        resting_bpm=resting,
        max_bpm=draw(st.floats(resting + 40, 225)),
        sex=draw(st.none() | st.sampled_from(list(Sex))),
    )


REGULAR_HR = HeartRateProfile(resting_bpm=60, max_bpm=190)
# (distance m, speed m/s, share of heart-rate reserve) of each kind of run in a regular week
EASY_RUN = (8_000.0, 2.8, 0.60)
KEY_RUN = (10_000.0, 3.4, 0.85)
LONG_RUN = (20_000.0, 2.7, 0.62)


@dataclass(frozen=True, slots=True)
class RegularHistory:
    """`weeks` identical weeks of running that follow `week` exactly, ending the Sunday before `today`."""

    week: RunningWeek
    runs: tuple[Activity, ...]
    today: date
    weeks: int
    with_heart_rate: bool


@st.composite
def regular_histories(draw: st.DrawFn) -> RegularHistory:
    """Perfectly regular histories whose week can be read back: a long run only beside other runs
    (one run a week has no "clearly longer" run), and without heart rate fewer key runs than half the
    runs (pace is judged against the runner's median pace, so hard runs must not be the majority)."""
    with_hr = draw(st.booleans())
    run_days = draw(st.frozensets(st.sampled_from(DAYS), min_size=1))
    ordered = sorted(run_days)
    long_run = draw(st.none() | st.sampled_from(ordered)) if len(ordered) > 1 else None
    key_pool = [day for day in ordered if day != long_run]
    key_days = draw(
        st.frozensets(st.sampled_from(key_pool), max_size=len(key_pool)) if key_pool else st.just(frozenset())
    )
    if not with_hr and 2 * len(key_days) >= len(run_days):
        key_days = frozenset(sorted(key_days)[: (len(run_days) - 1) // 2])
    weeks = draw(st.integers(2, 10))
    today = HISTORY_START + timedelta(weeks=weeks, days=draw(st.integers(0, 6)))
    history = []
    for week in range(weeks):
        for day in ordered:
            kind = LONG_RUN if day == long_run else KEY_RUN if day in key_days else EASY_RUN
            distance, speed, reserve = kind
            bpm = REGULAR_HR.resting_bpm + reserve * (REGULAR_HR.max_bpm - REGULAR_HR.resting_bpm)
            start = datetime.combine(HISTORY_START + timedelta(weeks=week, days=day), time(7), UTC)
            history.append(
                Activity(
                    start=start,
                    sport=Sport.RUNNING,
                    source=f"regular/{week}-{day}.fit",
                    fingerprint=f"regular-{week}-{day}",
                    distance_m=distance,
                    moving_s=distance / speed,
                    avg_heart_rate_bpm=bpm if with_hr else None,
                )
            )
    weekly = sum((LONG_RUN if d == long_run else KEY_RUN if d in key_days else EASY_RUN)[0] for d in ordered)
    usual = RunningWeek(weekly_distance_m=weekly, run_days=run_days, key_days=key_days, long_run_day=long_run)
    return RegularHistory(usual, tuple(history), today, weeks, with_hr)
