"""The pain-monitoring model (SCIENCE.md §7; Silbernagel et al. 2007, AJSM 35:897): pain ≤ 5/10
during, settled by the next morning, and morning pain not rising week to week."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ironmile.domain.pain_monitor import (
    REDUCE_MARKED,
    REDUCE_MILD,
    PainAction,
    decide,
    knee_pain_tier_change,
)
from ironmile.domain.training import MorningPain

SESSION = date(2026, 12, 8)
NEXT_DAY = SESSION + timedelta(days=1)


def mornings(*pairs: tuple[date, int]) -> list[MorningPain]:
    return [MorningPain(day, pain) for day, pain in pairs]


def steady(pain: int, *, days: int = 14, end: date = NEXT_DAY) -> list[MorningPain]:
    """One check-in a day for `days` days up to `end`, all at `pain`."""
    return [MorningPain(end - timedelta(days=offset), pain) for offset in range(days)]


def test_no_pain_reported_lets_the_load_progress() -> None:
    decision = decide(exercise_id="back_squat", during=[], mornings=[], today=NEXT_DAY)
    assert decision.decision is PainAction.PROGRESS
    assert decision.load_factor == 1.0
    assert decision.reason == "no pain reported → the load may progress"


def test_pain_up_to_five_that_settles_is_acceptable() -> None:
    # Silbernagel et al. 2007: up to 5/10 during activity is allowed if it has settled by the next morning.
    decision = decide(
        exercise_id="back_squat",
        during=[(SESSION, 5)],
        mornings=mornings((SESSION, 2), (NEXT_DAY, 2)),
        today=NEXT_DAY,
    )
    assert decision.decision is PainAction.PROGRESS
    assert decision.reason == "pain 5/10 during, settled by the next morning → the load may progress"


def test_a_pain_free_session_needs_no_morning_check_in() -> None:
    decision = decide(exercise_id="back_squat", during=[(SESSION, 0)], mornings=[], today=SESSION)
    assert decision.decision is PainAction.PROGRESS
    assert decision.reason == "pain 0/10 during → the load may progress"


def test_pain_above_the_edge_reduces_by_ten_percent() -> None:
    decision = decide(
        exercise_id="back_squat",
        during=[(SESSION, 6)],
        mornings=mornings((SESSION, 1), (NEXT_DAY, 1)),
        today=NEXT_DAY,
    )
    assert decision.decision is PainAction.REDUCE
    assert decision.load_factor == REDUCE_MILD == 0.9
    assert not decision.suggest_regression
    assert (
        decision.reason
        == "pain 6/10 during the session on 2026-12-08 (above 5) → lighten this exercise by 10 %"
    )


def test_pain_well_above_the_edge_reduces_by_twenty_percent_and_offers_a_regression() -> None:
    decision = decide(exercise_id="back_squat", during=[(SESSION, 7)], mornings=[], today=SESSION)
    assert decision.load_factor == REDUCE_MARKED == 0.8
    assert decision.suggest_regression
    assert decision.reason.endswith("lighten this exercise by 20 %, or swap to an easier variant")


def test_the_edge_is_configurable() -> None:
    decision = decide(exercise_id="back_squat", during=[(SESSION, 4)], mornings=[], today=SESSION, edge=3)
    assert decision.decision is PainAction.REDUCE
    assert "(above 3)" in decision.reason


def test_next_morning_above_the_baseline_has_not_settled() -> None:
    decision = decide(
        exercise_id="split_squat",
        during=[(SESSION, 3)],
        mornings=mornings((SESSION, 1), (NEXT_DAY, 3)),
        today=NEXT_DAY,
    )
    assert decision.decision is PainAction.REDUCE
    assert decision.reason == (
        "next morning 3/10, above the 1/10 before the session → lighten this exercise by 10 %"
    )


def test_next_morning_above_the_edge_has_not_settled_even_without_a_baseline() -> None:
    decision = decide(
        exercise_id="split_squat", during=[(SESSION, 4)], mornings=mornings((NEXT_DAY, 6)), today=NEXT_DAY
    )
    assert decision.decision is PainAction.REDUCE
    assert "next morning 6/10 (above 5)" in decision.reason


def test_painful_session_without_a_next_morning_check_in_holds() -> None:
    decision = decide(exercise_id="split_squat", during=[(SESSION, 3)], mornings=[], today=SESSION)
    assert decision.decision is PainAction.HOLD
    assert decision.load_factor == 1.0
    assert "log the next morning's pain" in decision.reason


def test_morning_pain_rising_week_to_week_reduces() -> None:
    # Silbernagel et al. 2007: pain must not increase from week to week.
    earlier = steady(1, days=7, end=NEXT_DAY - timedelta(days=7))
    recent = steady(2, days=7)
    decision = decide(
        exercise_id="back_squat", during=[(SESSION, 2)], mornings=earlier + recent, today=NEXT_DAY
    )
    assert decision.decision is PainAction.REDUCE
    assert "morning pain rising week to week (1.0 → 2.0/10 on average)" in decision.reason


def test_a_single_bad_morning_is_not_a_rising_trend() -> None:
    check_ins = steady(1)
    check_ins[3] = MorningPain(check_ins[3].date, 4)  # one morning 3 points worse: +0.43 on the week
    decision = decide(exercise_id="back_squat", during=[], mornings=check_ins, today=NEXT_DAY)
    assert decision.decision is PainAction.PROGRESS
    assert decision.reason == "morning pain not rising → the load may progress"


def test_too_few_check_ins_say_nothing_about_the_trend() -> None:
    sparse = mornings((NEXT_DAY - timedelta(days=10), 0), (NEXT_DAY, 5))
    decision = decide(exercise_id="back_squat", during=[], mornings=sparse, today=NEXT_DAY)
    assert decision.decision is PainAction.PROGRESS


def test_two_failed_criteria_reduce_by_twenty_percent() -> None:
    decision = decide(
        exercise_id="back_squat",
        during=[(SESSION, 6)],
        mornings=mornings((SESSION, 1), (NEXT_DAY, 4)),
        today=NEXT_DAY,
    )
    assert decision.load_factor == REDUCE_MARKED
    assert decision.reason.count(";") == 1


def test_only_the_latest_session_and_only_the_past_count() -> None:
    earlier = SESSION - timedelta(days=3)
    decision = decide(
        exercise_id="back_squat",
        during=[(earlier, 8), (SESSION, 1), (SESSION, 2), (NEXT_DAY + timedelta(days=2), 9)],
        mornings=mornings((SESSION, 0), (NEXT_DAY, 0), (NEXT_DAY + timedelta(days=1), 9)),
        today=NEXT_DAY,
    )
    assert decision.decision is PainAction.PROGRESS
    assert decision.reason.startswith("pain 2/10 during")  # the worst report of the latest day


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (2, 3, None),
        (4, 5, None),
        (
            3,
            4,
            "Knee pain up from 3 to 4/10: the plan changes from the normal plan to the knee-friendly plan",
        ),
        (5, 2, "Knee pain down from 5 to 2/10: the plan can move from the knee-friendly plan"),
        (5, 6, "Knee pain up from 5 to 6/10: the plan changes from the knee-friendly plan"),
        (7, 4, "Knee pain down from 7 to 4/10: the plan can move from a plan with no loaded knee bending"),
    ],
)
def test_knee_pain_tier_changes_in_words(previous: int, current: int, expected: str | None) -> None:
    # Tiers of SCIENCE.md §7: 0–3 normal, 4–5 knee-friendly, ≥ 6 no loaded knee flexion.
    sentence = knee_pain_tier_change(previous, current)
    if expected is None:
        assert sentence is None
    else:
        assert sentence is not None
        assert sentence.startswith(expected)


def test_reaching_the_top_tier_says_to_see_a_clinician() -> None:
    sentence = knee_pain_tier_change(2, 8)
    assert sentence is not None
    assert "see a clinician" in sentence
    assert "clinician" not in (knee_pain_tier_change(8, 2) or "")


def test_knee_pain_outside_zero_to_ten_is_refused() -> None:
    with pytest.raises(ValueError, match="current knee pain must be 0–10"):
        knee_pain_tier_change(2, 11)
