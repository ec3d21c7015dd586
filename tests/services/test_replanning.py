"""Re-planning, swaps, check-ins, screens and the report through the services, on a real SQLite
database: the future changes, the past never does."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.migrate import upgrade
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.errors import InputError
from ironmile.domain.training import ScreenResultRecord
from ironmile.services import review, training

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()
INIT_DAY = date(2026, 11, 30)
FIRST_SESSION = date(2026, 12, 8)


@pytest.fixture
def uow(tmp_path: Path) -> SqlUnitOfWork:
    engine = make_engine(str(tmp_path / "ironmile.db"))
    upgrade(engine)
    unit = SqlUnitOfWork(engine)
    training.init_athlete(
        unit,
        profile_text=(ROOT / "examples" / "marathoner.toml").read_text(encoding="utf-8"),
        source="marathoner.toml",
        today=INIT_DAY,
        catalogue=CATALOGUE,
    )
    return unit


def test_editing_the_profile_replans_the_future_and_keeps_the_past(uow: SqlUnitOfWork) -> None:
    training.log_sets(
        uow, day=FIRST_SESSION, catalogue=CATALOGUE, exercise_id="back_squat", notation="75x5x3@2"
    )
    before_first = training.show_day(uow, day=FIRST_SESSION, catalogue=CATALOGUE)
    exported = training.export_all(uow)
    text = review.show_profile(uow).replace("session_minutes = 50", "session_minutes = 30")
    edit_day = FIRST_SESSION + timedelta(days=5)
    result = review.edit_profile(
        uow, profile_text=text, source="edited.toml", today=edit_day, catalogue=CATALOGUE
    )
    assert result.effective_from == edit_day
    assert training.show_day(uow, day=FIRST_SESSION, catalogue=CATALOGUE) == before_first  # past untouched
    later = training.show_day(uow, day=FIRST_SESSION + timedelta(days=7), catalogue=CATALOGUE)
    assert later.targets
    assert sum(t.sets for t in later.targets) < sum(t.sets for t in before_first.targets)
    after = training.export_all(uow)
    assert after != exported
    assert '"load_kg": 75.0' in after  # the logged set is still there


def test_a_bad_profile_edit_changes_nothing(uow: SqlUnitOfWork) -> None:
    exported = training.export_all(uow)
    with pytest.raises(InputError, match=r"strength\.session_minutes"):
        review.edit_profile(
            uow,
            profile_text=review.show_profile(uow).replace("session_minutes = 50", "session_minutes = 0"),
            source="bad.toml",
            today=FIRST_SESSION,
            catalogue=CATALOGUE,
        )
    assert training.export_all(uow) == exported


def test_more_than_four_weeks_off_starts_again_with_foundation(uow: SqlUnitOfWork) -> None:
    training.log_sets(
        uow, day=FIRST_SESSION, catalogue=CATALOGUE, exercise_id="back_squat", notation="75x5x3@2"
    )
    back = FIRST_SESSION + timedelta(days=40)
    result = review.replan(uow, today=back, catalogue=CATALOGUE)
    assert result.foundation_again
    assert result.plan.weeks[0].frame.phase.value == "foundation"


def test_swap_uses_an_equivalent_and_refuses_a_stranger(uow: SqlUnitOfWork) -> None:
    swap = review.swap_exercise(
        uow, exercise_id="back_squat", replacement_id=None, day=FIRST_SESSION, catalogue=CATALOGUE
    )
    replacement = CATALOGUE.get(swap.replacement_id)
    assert replacement.pattern == "squat"
    assert replacement.emphasis == "posterior"
    view = training.show_day(uow, day=FIRST_SESSION, catalogue=CATALOGUE)
    assert view.targets[0].exercise.id == swap.replacement_id
    with pytest.raises(InputError, match="--to"):
        review.swap_exercise(
            uow,
            exercise_id="back_squat",
            replacement_id="bench_press",
            day=FIRST_SESSION,
            catalogue=CATALOGUE,
        )


def test_body_mass_guard_warns_when_the_trend_climbs(uow: SqlUnitOfWork) -> None:
    warnings: list[str] = []
    for offset in range(29):
        warnings = review.record_body(
            uow,
            day=FIRST_SESSION + timedelta(days=offset),
            catalogue=CATALOGUE,
            body_mass=68.0 + offset * 0.08,
        )
    assert warnings
    assert "2" in warnings[0]
    with pytest.raises(InputError, match="--morning-pain"):
        review.record_body(uow, day=FIRST_SESSION, catalogue=CATALOGUE, morning_pain=11)


def test_a_flagged_screen_raises_the_posterior_target(uow: SqlUnitOfWork) -> None:
    record = ScreenResultRecord(FIRST_SESSION, 17, 23, "quads")
    result, replanned = review.record_screen(uow, record=record, today=FIRST_SESSION, catalogue=CATALOGUE)
    assert result.quad_dominant
    assert replanned.plan.posterior_target == 2.0
    with pytest.raises(InputError, match="--felt-in"):
        review.record_screen(
            uow,
            record=ScreenResultRecord(FIRST_SESSION, 20, 20, "calves"),
            today=FIRST_SESSION,
            catalogue=CATALOGUE,
        )


def test_report_counts_adherence_and_strength(uow: SqlUnitOfWork) -> None:
    training.log_sets(
        uow, day=FIRST_SESSION, catalogue=CATALOGUE, exercise_id="back_squat", notation="75x5x3@2"
    )
    second = FIRST_SESSION + timedelta(days=7)
    training.log_sets(uow, day=second, catalogue=CATALOGUE, exercise_id="back_squat", notation="77.5x5x3@2")
    report = review.build_athlete_report(uow, today=second + timedelta(days=1), catalogue=CATALOGUE)
    squat = next(lift for lift in report.lifts if lift.exercise_id == "back_squat")
    assert len(squat.points) == 2
    assert squat.change_pct is not None
    assert squat.change_pct > 0
    assert report.adherence.done == 2
    assert report.adherence.planned >= 3


def test_as_planned_after_a_partial_log_keeps_what_was_logged(uow: SqlUnitOfWork) -> None:
    training.log_sets(
        uow, day=FIRST_SESSION, catalogue=CATALOGUE, exercise_id="back_squat", notation="70x5x3@2"
    )
    session = training.log_sets(uow, day=FIRST_SESSION, catalogue=CATALOGUE, as_planned=True)
    squats = [s for s in session.sets if s.exercise_id == "back_squat"]
    assert len(squats) == 3
    assert {s.load_kg for s in squats} == {70.0}
    with pytest.raises(InputError, match="already logged"):
        training.log_sets(uow, day=FIRST_SESSION, catalogue=CATALOGUE, as_planned=True)


def test_painful_exercise_is_lightened_from_the_next_session(uow: SqlUnitOfWork) -> None:
    # Silbernagel et al. 2007: pain during > 5/10, or not settled by the next morning → lighten it
    training.log_sets(
        uow,
        day=FIRST_SESSION,
        catalogue=CATALOGUE,
        exercise_id="back_squat",
        notation="75x5x3@3",
        pain_during=7,
    )
    review.record_body(uow, day=FIRST_SESSION + timedelta(days=1), catalogue=CATALOGUE, morning_pain=6)
    view = training.show_day(uow, day=FIRST_SESSION + timedelta(days=7), catalogue=CATALOGUE)
    squat = next(t for t in view.targets if t.exercise.id == "back_squat")
    assert squat.load is not None
    assert squat.load < 75.0
    assert "pain:" in squat.why
    bench = next(t for t in view.targets if t.exercise.id == "bench_press")
    assert "pain:" not in bench.why  # only the aggravating exercise


def test_settled_pain_lets_the_load_progress(uow: SqlUnitOfWork) -> None:
    training.log_sets(
        uow,
        day=FIRST_SESSION,
        catalogue=CATALOGUE,
        exercise_id="back_squat",
        notation="75x5x3@3",
        pain_during=3,
    )
    review.record_body(uow, day=FIRST_SESSION, catalogue=CATALOGUE, morning_pain=1)
    review.record_body(uow, day=FIRST_SESSION + timedelta(days=1), catalogue=CATALOGUE, morning_pain=1)
    view = training.show_day(uow, day=FIRST_SESSION + timedelta(days=7), catalogue=CATALOGUE)
    squat = next(t for t in view.targets if t.exercise.id == "back_squat")
    assert squat.load == 77.5


def test_a_new_red_flag_stops_lower_body_loading_from_today(uow: SqlUnitOfWork) -> None:
    text = review.show_profile(uow).replace("red_flags = []", 'red_flags = ["swelling"]')
    edit_day = FIRST_SESSION + timedelta(days=1)
    review.edit_profile(uow, profile_text=text, source="flag.toml", today=edit_day, catalogue=CATALOGUE)
    before = training.show_day(uow, day=FIRST_SESSION, catalogue=CATALOGUE)
    assert any(t.exercise.region == "lower" for t in before.targets)  # the past stays as planned
    probe = training.show_day(uow, day=edit_day, catalogue=CATALOGUE)
    next_day = edit_day if probe.targets else probe.next_session
    assert next_day is not None
    after = training.show_day(uow, day=next_day, catalogue=CATALOGUE)
    assert after.targets
    assert all(t.exercise.region != "lower" for t in after.targets)
    assert any("see a clinician" in warning for warning in after.safety)
