"""Swapping an exercise keeps the pattern and emphasis and respects equipment and knee pain."""

from __future__ import annotations

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.domain.catalogue import EQUIPMENT
from ironmile.domain.pain import KneeTier
from ironmile.domain.swapping import equivalents

CATALOGUE = load_catalogue()


def test_equivalents_share_pattern_and_emphasis_and_fit_the_equipment() -> None:
    squat = CATALOGUE.get("back_squat")
    options = equivalents(squat, CATALOGUE, equipment=["dumbbell", "box"], tier=KneeTier.NORMAL)
    assert options
    for other in options:
        assert other.pattern == squat.pattern
        assert other.emphasis == squat.emphasis
        assert other.equipment <= {"dumbbell", "box"}
        assert other.id != squat.id


def test_same_form_comes_first() -> None:
    split = CATALOGUE.get("bulgarian_split_squat")
    options = equivalents(split, CATALOGUE, equipment=EQUIPMENT, tier=KneeTier.NORMAL)
    assert options[0].unilateral


def test_knee_tier_filters_equivalents() -> None:
    lunge = CATALOGUE.get("split_squat")
    assert equivalents(lunge, CATALOGUE, equipment=EQUIPMENT, tier=KneeTier.NORMAL)
    # every lunge bends the knee under load: at knee pain ≥ 6 there is no equivalent to offer
    assert equivalents(lunge, CATALOGUE, equipment=EQUIPMENT, tier=KneeTier.NO_KNEE_FLEXION) == []


def test_swaps_follow_chains_and_a_swap_back_undoes_them() -> None:
    from datetime import date

    from ironmile.domain.swapping import swapped, swaps_in_force
    from ironmile.domain.training import Swap

    first, second, third = date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)
    swaps = [Swap(first, "back_squat", "box_squat"), Swap(second, "box_squat", "goblet_squat")]
    assert swapped("back_squat", swaps, first) == "box_squat"
    assert swapped("back_squat", swaps, second) == "goblet_squat"
    undone = [*swaps, Swap(third, "back_squat", "back_squat")]
    assert swapped("back_squat", undone, third) == "back_squat"
    assert swapped("back_squat", undone, second) == "goblet_squat"  # the past stays as it was
    assert swaps_in_force(undone) == {"box_squat": "goblet_squat"}
