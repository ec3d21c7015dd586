"""Plates per side for a barbell load, in the standard kg and lb sets and in any other set."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ironmile.domain.plates import (
    IMPERIAL_BAR_LB,
    IMPERIAL_PLATES_LB,
    METRIC_BAR_KG,
    METRIC_PLATES_KG,
    STANDARD,
    plates_per_side,
)
from ironmile.domain.units import UnitSystem


def metric(total: float) -> tuple[float, ...] | None:
    return plates_per_side(total, bar=METRIC_BAR_KG, plates=METRIC_PLATES_KG)


def imperial(total: float) -> tuple[float, ...] | None:
    return plates_per_side(total, bar=IMPERIAL_BAR_LB, plates=IMPERIAL_PLATES_LB)


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (102.5, (25.0, 15.0, 1.25)),
        (20.0, ()),
        (22.5, (1.25,)),
        (60.0, (20.0,)),
        (140.0, (25.0, 25.0, 10.0)),
        (182.5, (25.0, 25.0, 25.0, 5.0, 1.25)),
    ],
)
def test_metric_loads(total: float, expected: tuple[float, ...]) -> None:
    assert metric(total) == expected


@pytest.mark.parametrize(
    ("total", "expected"),
    [(135.0, (45.0,)), (45.0, ()), (225.0, (45.0, 45.0)), (185.0, (45.0, 25.0)), (140.0, (45.0, 2.5))],
)
def test_imperial_loads(total: float, expected: tuple[float, ...]) -> None:
    assert imperial(total) == expected


@pytest.mark.parametrize("total", [101.0, 21.0, 10.0, 19.99, 102.4])
def test_not_loadable_is_none(total: float) -> None:
    assert metric(total) is None


def test_imperial_not_loadable_is_none() -> None:
    assert imperial(137.0) is None
    assert imperial(40.0) is None


def test_standard_sets_by_unit_system() -> None:
    assert STANDARD[UnitSystem.METRIC].bar == 20.0
    assert STANDARD[UnitSystem.IMPERIAL].plates[0] == 45.0


def test_a_set_where_greedy_fails_is_still_solved_exactly() -> None:
    # Per side 20 with 15s and 10s: greedy takes 15 and is stuck at 5; two 10s load it.
    assert plates_per_side(60.0, bar=20.0, plates=(15.0, 10.0)) == (10.0, 10.0)
    assert plates_per_side(50.0, bar=20.0, plates=(15.0, 10.0)) == (15.0,)
    assert plates_per_side(30.0, bar=20.0, plates=(15.0, 10.0)) is None


def test_a_plate_that_is_not_a_weight_is_refused() -> None:
    with pytest.raises(ValueError, match="plate"):
        plates_per_side(60.0, bar=20.0, plates=(0.0, 10.0))


@given(st.lists(st.sampled_from(METRIC_PLATES_KG), max_size=12))
def test_every_standard_metric_combination_is_found_with_no_more_plates(chosen: list[float]) -> None:
    total = METRIC_BAR_KG + 2 * sum(chosen)
    found = metric(total)
    assert found is not None
    assert sum(found) == pytest.approx(sum(chosen))
    assert len(found) <= len(chosen)
    assert list(found) == sorted(found, reverse=True)


@pytest.mark.parametrize(
    ("bar", "plates"), [(METRIC_BAR_KG, METRIC_PLATES_KG), (IMPERIAL_BAR_LB, IMPERIAL_PLATES_LB)]
)
def test_greedy_finds_every_combination_of_the_standard_sets(bar: float, plates: tuple[float, ...]) -> None:
    # Exhaustive up to 4 plates a side.
    for count in range(1, 5):
        for combination in itertools.combinations_with_replacement(plates, count):
            found = plates_per_side(bar + 2 * sum(combination), bar=bar, plates=plates)
            assert found is not None
            assert sum(found) == pytest.approx(sum(combination))
            if plates is METRIC_PLATES_KG:  # in kg greedy is also the fewest plates
                assert len(found) <= count


def test_greedy_loads_big_plates_first_even_when_fewer_would_do() -> None:
    assert imperial(45.0 + 2 * 60.0) == (45.0, 10.0, 5.0)  # not 35 + 25
