"""Scenario tests of the planner: the situations a runner or coach would check by hand."""

from __future__ import annotations

from datetime import date

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.domain.athlete import (
    Athlete,
    Goal,
    Health,
    KnownLift,
    Profile,
    Race,
    RacePriority,
    RunningWeek,
    StrengthLevel,
    StrengthSetup,
)
from ironmile.domain.plan import Plan
from ironmile.domain.planner import build_plan
from ironmile.domain.prescription import Role

CATALOGUE = load_catalogue()
MONDAY = date(2026, 12, 7)
GYM = frozenset({"barbell", "rack", "bench", "dumbbell", "pullup_bar", "box", "band"})
RUNNER = RunningWeek(run_days=frozenset({1, 3, 5, 6}), key_days=frozenset({1, 3}), long_run_day=6)


def profile(
    *,
    level: StrengthLevel = StrengthLevel.INTERMEDIATE,
    days: frozenset[int] = frozenset(range(6)),
    health: Health | None = None,
    lifts: tuple[KnownLift, ...] = (),
    goal: Goal = Goal.STRENGTH,
    races: tuple[Race, ...] = (),
    weeks: int | None = 8,
    minutes: int = 60,
    running: RunningWeek = RUNNER,
) -> Profile:
    return Profile(
        athlete=Athlete(body_mass_kg=70.0, level=level, goal=goal),
        strength=StrengthSetup(
            start_date=MONDAY, available_days=days, session_minutes=minutes, equipment=GYM, weeks=weeks
        ),
        running=running,
        races=races,
        health=health or Health(),
        lifts=lifts,
    )


def plan(**kwargs: object) -> Plan:
    return build_plan(profile(**kwargs), CATALOGUE)  # type: ignore[arg-type]


def test_saturday_only_before_the_long_run_is_lightened_with_a_reason() -> None:
    result = plan(days=frozenset({5}))
    first = result.weeks[0]
    assert [session.heavy_lower for session in first.sessions] == [False]
    assert "upper body and core only" in first.sessions[0].why
    assert any(
        warning.startswith("Week 1 (2026-12-07)") and "Sat: the day before your long run" in warning
        for warning in result.warnings
    )


def test_red_flags_stop_lower_body_loading_and_send_to_a_clinician() -> None:
    result = plan(health=Health(knee_pain=2, red_flags=frozenset({"swelling"})))
    exercises = [item.exercise for week in result.weeks for s in week.sessions for item in s.exercises]
    assert exercises
    assert all(exercise.region != "lower" for exercise in exercises)
    assert "see a clinician" in result.warnings[0]
    assert "swelling" in result.warnings[0]


def test_knee_friendly_sessions_start_with_isometric_holds() -> None:
    result = plan(health=Health(knee_pain=5))
    for week in result.weeks:
        for session in week.sessions:
            assert session.exercises[0].role is Role.ISOMETRIC
            assert session.exercises[0].seconds == 45
    mains = {
        item.exercise.id
        for w in result.weeks
        for s in w.sessions
        for item in s.exercises
        if item.role is Role.MAIN
    }
    assert "back_squat" not in mains  # hip-dominant mains instead of deep loaded squats


def test_advanced_lifters_with_safe_days_get_three_sessions() -> None:
    light_week = RunningWeek(run_days=frozenset({2, 6}), key_days=frozenset({2}), long_run_day=6)
    advanced = plan(level=StrengthLevel.ADVANCED, days=frozenset(range(7)), running=light_week)
    counts = [len(week.sessions) for week in advanced.weeks if week.frame.phase.value == "strength"]
    assert counts
    assert max(counts) == 3
    # Tue/Thu key runs and a Sunday long run leave only two legal days: no third session, no warning.
    busy = plan(level=StrengthLevel.ADVANCED, days=frozenset(range(7)))
    assert max(len(week.sessions) for week in busy.weeks) == 2
    assert not any("lightened" in warning for warning in busy.warnings)


def test_known_lift_sets_the_load_and_related_lifts_are_explained() -> None:
    result = plan(lifts=(KnownLift("back_squat", 100.0, 5),))
    items = [item for week in result.weeks for s in week.sessions for item in s.exercises]
    squat = next(item for item in items if item.exercise.id == "back_squat")
    assert squat.load == 92.5
    assert squat.percent_1rm == 81.1
    assert squat.note is None
    notes = [item.note for item in items if item.note]
    assert any(note.startswith("Calibrate:") for note in notes)
    calibrated = [item.exercise.id for item in items if item.note and item.note.startswith("Calibrate:")]
    assert len(calibrated) == len(set(calibrated)), "the calibration note appears once per exercise"


def test_muscle_goal_uses_hypertrophy_ranges() -> None:
    result = plan(goal=Goal.MUSCLE)
    mains = [item for w in result.weeks for s in w.sessions for item in s.exercises if item.role is Role.MAIN]
    assert all(item.reps is not None and item.reps >= 8 for item in mains)


def test_taper_after_maintenance_halves_the_sets_and_keeps_the_load() -> None:
    race = Race(date(2027, 1, 24), 21_097.5, RacePriority.A, "Half")  # 7 weeks out: race season
    result = plan(races=(race,), weeks=None)
    phases = [week.frame.phase.value for week in result.weeks]
    assert phases[:7] == ["maintenance"] * 5 + ["taper", "race"]
    maintenance, taper = result.weeks[4], result.weeks[5]
    sets = [sum(item.sets for s in week.sessions for item in s.exercises) for week in (maintenance, taper)]
    assert sets[1] <= 0.6 * sets[0]
    main = {item.exercise.id: item.percent_1rm for s in maintenance.sessions for item in s.exercises}
    for session in taper.sessions:
        for item in session.exercises:
            if item.exercise.id in main and item.role is Role.MAIN:
                assert item.percent_1rm == main[item.exercise.id]


def test_the_week_before_an_a_race_keeps_heavy_legs_seven_days_away() -> None:
    race = Race(date(2027, 3, 14), 42_195.0, RacePriority.A, "Marathon")
    result = plan(races=(race,), weeks=None)
    for week in result.weeks:
        for session in week.sessions:
            if session.heavy_lower:
                assert not 0 <= (race.date - session.date).days < 7
