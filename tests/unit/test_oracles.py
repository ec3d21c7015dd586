"""Oracle tests: every formula and table of SCIENCE.md §5 (and the §8 screen), against the
published numbers, with the source named in each test."""

from __future__ import annotations

import pytest

from ironmile.domain.athlete import E1rmFormula, Screen, StrengthLevel
from ironmile.domain.loading import (
    LEVEL_SHARE_OF_TYPICAL,
    NSCA_PERCENT,
    RTS_PERCENT,
    brzycki,
    epley,
    estimate_1rm,
    estimated_1rm_from_body_mass,
    round_down_load,
    rpe_from_rir,
    rts_percent,
    target_load,
)
from ironmile.domain.screening import assess, bridge_rating, limb_symmetry_index
from ironmile.domain.units import KG_PER_LB, UnitSystem


def test_epley_100kg_for_5_is_116_67() -> None:
    # Epley (1985), Boyd Epley Workout: 1RM = w·(1 + r/30). SCIENCE.md §5 oracle: 116.67.
    assert epley(100, 5) == pytest.approx(116.67, abs=0.005)


def test_brzycki_100kg_for_5_is_112_50() -> None:
    # Brzycki (1993), JOPERD 64:88: 1RM = w·36/(37 − r). SCIENCE.md §5 oracle: 112.50.
    assert brzycki(100, 5) == pytest.approx(112.50, abs=0.005)


@pytest.mark.parametrize("load", [40.0, 100.0, 137.5])
def test_epley_and_brzycki_agree_at_ten_reps(load: float) -> None:
    # SCIENCE.md §5: Epley(w,10) = Brzycki(w,10) = 4w/3.
    assert epley(load, 10) == pytest.approx(4 * load / 3)
    assert brzycki(load, 10) == pytest.approx(4 * load / 3)


def test_a_single_returns_the_load() -> None:
    assert epley(123.0, 1) == 123.0
    assert brzycki(123.0, 1) == 123.0


@pytest.mark.parametrize("reps", [0, 11, 15])
def test_no_estimate_outside_one_to_ten_reps(reps: int) -> None:
    with pytest.raises(ValueError, match="1–10"):
        epley(100, reps)
    with pytest.raises(ValueError, match="1–10"):
        brzycki(100, reps)


def test_reps_in_reserve_count_towards_the_estimate() -> None:
    assert estimate_1rm(100, 3, rir=2) == pytest.approx(epley(100, 5))
    assert estimate_1rm(100, 3, rir=2, formula=E1rmFormula.BRZYCKI) == pytest.approx(brzycki(100, 5))
    with pytest.raises(ValueError, match="not estimated above 10"):
        estimate_1rm(100, 8, rir=3)


def test_rts_chart_matches_the_published_table() -> None:
    # Tuchscherer (2008), The Reactive Training Manual: %1RM by reps + RIR (SCIENCE.md §5).
    published = {1: 100.0, 2: 95.5, 3: 92.2, 4: 89.2, 5: 86.3, 6: 83.7,
                 7: 81.1, 8: 78.6, 9: 76.2, 10: 73.9, 11: 70.7, 12: 68.0}  # fmt: skip
    assert published == RTS_PERCENT
    assert rts_percent(5, 2) == 81.1  # the 3×5 @ RIR 2 of DESIGN.md's example
    assert rts_percent(1, 0) == 100.0
    with pytest.raises(ValueError, match="outside the RTS chart"):
        rts_percent(10, 3)


def test_rpe_is_ten_minus_rir() -> None:
    assert [rpe_from_rir(rir) for rir in (0, 1, 2, 4)] == [10, 9, 8, 6]


def test_nsca_table_matches_the_published_table() -> None:
    # Baechle & Earle, Essentials of Strength Training and Conditioning (NSCA): %1RM by reps.
    published = {1: 100, 2: 95, 3: 93, 4: 90, 5: 87, 6: 85, 7: 83, 8: 80, 9: 77, 10: 75, 12: 70}
    assert published == NSCA_PERCENT


def test_rounding_is_down_to_the_step_and_never_above() -> None:
    # SCIENCE.md §5: round down to what the athlete can load (2.5 kg bar steps, 2 kg dumbbells).
    assert round_down_load(57.4, 2.5) == 55.0
    assert round_down_load(57.5, 2.5) == 57.5
    assert round_down_load(17.9, 2.0) == 16.0
    assert round_down_load(0.3 * 3, 0.3) == pytest.approx(0.9)  # float noise does not lose a step


def test_target_load_from_e1rm_chart_and_plates() -> None:
    # e1RM 116.67 kg (100 × 5 Epley), 3×5 @ RIR 2 → 81.1 % → 94.6 kg → 92.5 kg on the bar.
    load = target_load(epley(100, 5), reps=5, rir=2, implement="barbell", units=UnitSystem.METRIC)
    assert load.percent_1rm == 81.1
    assert load.value == 92.5


def test_target_load_in_pounds_rounds_to_five_pound_steps() -> None:
    e1rm_kg = 225 * KG_PER_LB  # 225 lb
    load = target_load(e1rm_kg, reps=5, rir=2, implement="barbell", units=UnitSystem.IMPERIAL)
    assert load.value == 180.0  # 225 × 0.811 = 182.5 → 180 lb


def test_target_below_an_empty_bar_has_no_load() -> None:
    load = target_load(20.0, reps=5, rir=2, implement="barbell", units=UnitSystem.METRIC)
    assert load.value is None
    assert load.below_minimum


def test_deload_scale_lowers_the_load_by_ten_percent() -> None:
    full = target_load(150.0, reps=5, rir=2, implement="barbell", units=UnitSystem.METRIC)
    deload = target_load(150.0, reps=5, rir=2, implement="barbell", units=UnitSystem.METRIC, scale=0.9)
    assert full.value == 120.0  # 150 × 0.811 = 121.65
    assert deload.value == 107.5  # 150 × 0.811 × 0.9 = 109.5


def test_body_mass_estimate_is_conservative_by_level() -> None:
    novice = estimated_1rm_from_body_mass(70, 1.25, StrengthLevel.NOVICE)
    advanced = estimated_1rm_from_body_mass(70, 1.25, StrengthLevel.ADVANCED)
    assert novice == pytest.approx(70 * 1.25 * LEVEL_SHARE_OF_TYPICAL[StrengthLevel.NOVICE])
    assert novice < advanced < 70 * 1.25


def test_single_leg_bridge_ratings() -> None:
    # Freckleton et al. 2014, BJSM 48:713: < 20 poor, 20–25 average, > 25 good (heuristic).
    assert [bridge_rating(r) for r in (19, 20, 25, 26)] == ["poor", "average", "average", "good"]


def test_limb_symmetry_index_flags_the_weaker_side_below_90() -> None:
    assert limb_symmetry_index(18, 20) == pytest.approx(90.0)
    flagged = assess(Screen(bridge_left_reps=22, bridge_right_reps=26))
    assert flagged.weaker_side == "left"
    assert flagged.quad_dominant
    assert flagged.limb_symmetry_index == pytest.approx(22 / 26 * 100)
    even = assess(Screen(bridge_left_reps=24, bridge_right_reps=26))
    assert even.weaker_side is None
    assert not even.quad_dominant


def test_quad_dominance_flags_set_the_posterior_target() -> None:
    # SCIENCE.md §3 and §8: target 1.5, 2.0 when flagged (self-report or H:Q < 0.6, Coombs & Garbutt 2002).
    assert assess(Screen()).posterior_target == 1.5
    assert assess(Screen(felt_in="quads")).posterior_target == 2.0
    assert assess(Screen(felt_in="both")).posterior_target == 1.5
    assert assess(Screen(hq_ratio=0.55)).posterior_target == 2.0
    assert assess(Screen(hq_ratio=0.65)).posterior_target == 1.5
