"""Hypothesis strategies shared by the property tests: valid athlete profiles of every kind."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

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
    StrengthLevel,
    StrengthSetup,
)
from ironmile.domain.catalogue import EQUIPMENT
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
