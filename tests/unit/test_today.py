"""Today's session: planned doses, loads progressed from the log, swaps and plates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.plan_snapshot import read_plan
from ironmile.domain.plan import StoredPlan
from ironmile.domain.swapping import swapped
from ironmile.domain.today import day_view
from ironmile.domain.training import LoggedSession, LoggedSet, Swap
from ironmile.render.plan_json import plan_json
from ironmile.services.planning import plan_from_file

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()


def marathoner() -> StoredPlan:
    plan = plan_from_file(
        ROOT / "examples" / "marathoner.toml", today=date(2026, 11, 26), catalogue=CATALOGUE
    )
    return read_plan(plan_json(plan), CATALOGUE)


def squat_sets(load: float, reps: int, rir: int, sets: int = 3) -> tuple[LoggedSet, ...]:
    return tuple(LoggedSet("back_squat", load, reps, None, rir) for _ in range(sets))


def test_first_session_uses_the_planned_load_with_plates() -> None:
    plan = marathoner()
    first = plan.weeks[0].sessions[0]
    view = day_view(plan=plan, day=first.date, logged=(), swaps=(), catalogue=CATALOGUE, deload=False)
    squat = view.targets[0]
    assert squat.exercise.id == "back_squat"
    assert squat.load == first.exercises[0].load == 75.0
    assert squat.plates_per_side == (25.0, 2.5)  # 20 kg bar + 2 × 27.5 kg
    assert view.why == first.why


def test_sets_with_reps_to_spare_progress_the_next_session() -> None:
    plan = marathoner()
    first, second = plan.weeks[0].sessions[0], plan.weeks[1].sessions[0]
    logged = [LoggedSession(first.date, squat_sets(75.0, 5, 3))]
    view = day_view(plan=plan, day=second.date, logged=logged, swaps=(), catalogue=CATALOGUE, deload=False)
    squat = next(t for t in view.targets if t.exercise.id == "back_squat")
    assert squat.load is not None
    assert squat.load > 75.0
    assert "+" in squat.why


def test_a_swap_replaces_the_exercise_from_its_date_on() -> None:
    plan = marathoner()
    first = plan.weeks[0].sessions[0]
    swap = Swap(first.date, "back_squat", "box_squat")
    before = day_view(
        plan=plan,
        day=first.date - timedelta(days=7),
        logged=(),
        swaps=[swap],
        catalogue=CATALOGUE,
        deload=False,
    )
    assert before.targets == ()
    view = day_view(plan=plan, day=first.date, logged=(), swaps=[swap], catalogue=CATALOGUE, deload=False)
    assert view.targets[0].exercise.id == "box_squat"
    assert view.targets[0].swapped_from == "back_squat"
    assert (
        swapped(
            "back_squat",
            [swap, replace(swap, exercise_id="box_squat", replacement_id="goblet_squat")],
            first.date,
        )
        == "goblet_squat"
    )


def test_a_day_without_a_session_points_to_the_next_one() -> None:
    plan = marathoner()
    first = plan.weeks[0].sessions[0]
    view = day_view(
        plan=plan, day=first.date - timedelta(days=1), logged=(), swaps=(), catalogue=CATALOGUE, deload=False
    )
    assert view.targets == ()
    assert view.why is None
    assert view.next_session == first.date


def test_a_swapped_in_lift_gets_a_first_load_from_the_planned_one() -> None:
    plan = marathoner()
    first = plan.weeks[0].sessions[0]
    swap = Swap(first.date, "back_squat", "box_squat")
    view = day_view(plan=plan, day=first.date, logged=(), swaps=[swap], catalogue=CATALOGUE, deload=False)
    box = view.targets[0]
    squat, box_squat = CATALOGUE.get("back_squat"), CATALOGUE.get("box_squat")
    assert box_squat.strength_ratio is not None
    assert squat.strength_ratio is not None
    expected = 75.0 * box_squat.strength_ratio / squat.strength_ratio  # same %1RM, scaled e1RM
    assert box.load is not None
    assert expected - 2.5 < box.load <= expected
    assert "calibrate" in box.why


def test_a_painful_session_is_not_hidden_by_a_milder_set() -> None:
    """Pain 3/10 on the squat's sets but 6/10 for the whole session: the squat is treated as 6/10,
    above the model's 5/10 line, so its next load drops (Silbernagel et al. 2007)."""
    plan = marathoner()
    first, second = plan.weeks[0].sessions[0], plan.weeks[1].sessions[0]
    sets = tuple(replace(s, pain=3) for s in squat_sets(75.0, 5, 3))
    mild = [LoggedSession(first.date, sets)]
    painful = [LoggedSession(first.date, sets, pain_during=6)]
    kept = day_view(plan=plan, day=second.date, logged=mild, swaps=(), catalogue=CATALOGUE, deload=False)
    cut = day_view(plan=plan, day=second.date, logged=painful, swaps=(), catalogue=CATALOGUE, deload=False)
    squat_kept = next(t for t in kept.targets if t.exercise.id == "back_squat")
    squat_cut = next(t for t in cut.targets if t.exercise.id == "back_squat")
    assert squat_kept.load is not None
    assert squat_cut.load is not None
    assert squat_cut.load < 75.0 <= squat_kept.load
    assert "pain" in squat_cut.why
