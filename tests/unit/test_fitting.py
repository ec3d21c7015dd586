"""Fitting a drafted week to the guard, the balance rules and the minutes (domain/fitting.py)."""

from __future__ import annotations

from datetime import date

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.domain.fitting import (
    DraftItem,
    DraftSession,
    apply_guard,
    balance_emphasis,
    balance_upper,
    cap_total_sets,
    fit_minutes,
    missing_families,
)
from ironmile.domain.prescription import Dose, Role
from ironmile.domain.volume import emphasis_sets, sets_by_pattern

CATALOGUE = load_catalogue()
DAY = date(2026, 12, 8)


def item(exercise_id: str, sets: int, role: Role = Role.SECONDARY, priority: int = 2) -> DraftItem:
    return DraftItem(CATALOGUE.get(exercise_id), role, priority, Dose(sets, 6, None, 2, 120))


def session(*items: DraftItem) -> DraftSession:
    return DraftSession(DAY, heavy_lower=True, why="Tuesday: test", items=list(items))


def sets(drafts: list[DraftSession]) -> dict[str, int]:
    return {i.exercise.id: i.sets for d in drafts for i in d.items}


def test_guard_trims_sets_before_dropping_exercises() -> None:
    week = [
        session(
            item("back_squat", 4, Role.MAIN, 0),
            item("hip_thrust", 4),
            item("split_squat", 4, priority=3),
            item("standing_calf_raise", 3, Role.ACCESSORY, 3),
        )
    ]
    apply_guard(week, required=frozenset({"calf", "single_leg"}))
    counts = sets(week)
    assert sum(counts.values()) == 10
    assert set(counts) == {"back_squat", "hip_thrust", "split_squat", "standing_calf_raise"}
    assert counts["back_squat"] == 4  # the main lift keeps its sets


def test_guard_caps_a_pattern_across_the_week() -> None:
    week = [
        session(item("deadlift", 4, Role.MAIN, 0), item("romanian_deadlift", 3)),
        session(item("trap_bar_deadlift", 4, Role.MAIN, 0)),
    ]
    apply_guard(week, required=frozenset())
    assert sets_by_pattern(i for d in week for i in d.items)["hinge"] <= 8


def test_pull_sets_must_match_push_sets() -> None:
    week = [session(item("bench_press", 3), item("overhead_press", 3), item("pull_up", 2))]
    balance_upper(week)
    counts = sets(week)
    assert counts.get("pull_up", 0) >= counts.get("bench_press", 0) + counts.get("overhead_press", 0)


def test_without_any_pull_exercise_push_work_goes() -> None:
    week = [session(item("bench_press", 3, priority=0), item("plank", 2, Role.CORE, 1))]
    balance_upper(week)
    assert "bench_press" not in sets(week)


def test_emphasis_balance_adds_posterior_sets_then_cuts_anterior_work() -> None:
    week = [session(item("front_squat", 4, Role.MAIN, 0), item("hip_thrust", 2), item("wall_sit", 3))]
    assert balance_emphasis(week, 2.0, guard=True)
    posterior, anterior = emphasis_sets(i for d in week for i in d.items)
    assert posterior >= 2.0 * anterior


def test_emphasis_balance_reports_failure_when_nothing_posterior_exists() -> None:
    week = [session(item("front_squat", 3, Role.MAIN, 0))]
    assert not balance_emphasis(week, 1.5, guard=True)


def test_minutes_fit_drops_covered_work_first_and_keeps_families() -> None:
    week = [
        session(
            item("deadlift", 3, Role.MAIN, 0),
            item("hip_thrust", 3),
            item("single_leg_romanian_deadlift", 3, priority=3),
            item("barbell_row", 3),
            item("overhead_press", 2, priority=4),
            item("side_plank", 2, Role.CORE, 3),
        ),
        session(
            item("pull_up", 3, priority=1), item("push_up", 2, priority=1), item("plank", 2, Role.CORE, 1)
        ),
    ]
    required = frozenset({"hinge", "single_leg", "pull", "push", "core"})
    fit_minutes(week, limit=30, target=1.5, required=required)
    assert week[0].minutes <= 30
    assert missing_families(week, required) == []


def test_taper_cap_cuts_the_week_to_the_limit() -> None:
    week = [session(item("deadlift", 3, Role.MAIN, 0), item("hip_thrust", 3), item("barbell_row", 3))]
    cap_total_sets(week, limit=5, target=1.5)
    assert sum(sets(week).values()) <= 5
