"""Plates per side for a barbell load, so the gym screen can say what to put on the bar.

Loads here are in the athlete's display units (kg or lb), because plates are made in those units:
a 45 lb plate is not a round number of kilograms. A gym is assumed to have enough of each plate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ironmile.domain.units import UnitSystem

# Olympic bar and calibrated plate sets as found in most gyms (IWF colours for kg; US plates in lb).
METRIC_BAR_KG = 20.0
METRIC_PLATES_KG = (25.0, 20.0, 15.0, 10.0, 5.0, 2.5, 1.25)
IMPERIAL_BAR_LB = 45.0
IMPERIAL_PLATES_LB = (45.0, 35.0, 25.0, 10.0, 5.0, 2.5)
_HUNDREDTHS = 100  # plates are exact in hundredths of a kg or lb; integers avoid float drift


@dataclass(frozen=True, slots=True)
class PlateSet:
    bar: float
    plates: tuple[float, ...]  # heaviest first


STANDARD = {
    UnitSystem.METRIC: PlateSet(METRIC_BAR_KG, METRIC_PLATES_KG),
    UnitSystem.IMPERIAL: PlateSet(IMPERIAL_BAR_LB, IMPERIAL_PLATES_LB),
}


def plates_per_side(total: float, *, bar: float, plates: Sequence[float]) -> tuple[float, ...] | None:
    """The plates for one side of the bar, heaviest first; () for the empty bar; None when `total`
    cannot be loaded exactly (below the bar, or between plate combinations).

    Greedy (the heaviest plate that fits, repeatedly) is how lifters load a bar, and for both
    standard sets it always finds an exact answer: the smallest plate divides every other. It may
    use more plates than needed (45 + 10 + 5 lb rather than 35 + 25), which suits gyms where the
    big plates are the ones at hand. For other sets greedy can miss an answer that exists (15s and
    10s for 20 a side), so its remainder is checked and an exact fewest-plates search settles it.
    """
    per_side = _hundredths((total - bar) / 2)
    if per_side is None or per_side < 0:
        return None
    sizes: set[int] = set()
    for plate in plates:
        size = _hundredths(plate)
        if size is None or size <= 0:
            raise ValueError(f"plate {plate!r} must be a positive weight in hundredths at most")
        sizes.add(size)
    heaviest_first = sorted(sizes, reverse=True)
    chosen = _greedy(per_side, heaviest_first)
    if chosen is None:
        chosen = _fewest(per_side, heaviest_first)
    return None if chosen is None else tuple(size / _HUNDREDTHS for size in chosen)


def _hundredths(value: float) -> int | None:
    """`value` as a whole number of hundredths, or None when it is not one."""
    scaled = value * _HUNDREDTHS
    whole = round(scaled)
    return whole if math.isclose(scaled, whole, abs_tol=1e-6) else None


def _greedy(amount: int, sizes: Sequence[int]) -> list[int] | None:
    chosen: list[int] = []
    for size in sizes:
        count, amount = divmod(amount, size)
        chosen.extend([size] * count)
    return chosen if amount == 0 else None  # verify: the remainder must be exactly nothing


def _fewest(amount: int, sizes: Sequence[int]) -> list[int] | None:
    """The fewest plates summing exactly to `amount` (dynamic programming over hundredths)."""
    unreachable = amount + 1  # more plates than any real answer needs
    fewest = [0] + [unreachable] * amount
    last = [0] * (amount + 1)
    for reach in range(1, amount + 1):
        for size in sizes:
            if size <= reach and fewest[reach - size] + 1 < fewest[reach]:
                fewest[reach], last[reach] = fewest[reach - size] + 1, size
    if fewest[amount] >= unreachable:
        return None
    chosen: list[int] = []
    while amount:
        chosen.append(last[amount])
        amount -= last[amount]
    return sorted(chosen, reverse=True)
