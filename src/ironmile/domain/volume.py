"""Counting a week's volume: lower-body sets by emphasis, sets per pattern, and rule coverage.

These counts are what the rules are stated in (SCIENCE.md §2–3), so the planner and the tests use
the same definitions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from ironmile.domain.catalogue import Exercise

# The movement families every training week must hold (SCIENCE.md §3).
WEEKLY_FAMILIES = ("hinge", "hamstring", "single_leg", "calf", "push", "pull", "core")
LEG_FAMILIES = frozenset({"hinge", "hamstring", "single_leg", "calf"})


class SetsOf(Protocol):
    @property
    def exercise(self) -> Exercise: ...

    @property
    def sets(self) -> int: ...


def families(exercise: Exercise) -> frozenset[str]:
    """The weekly movement families an exercise counts for."""
    found = set()
    single_leg_strength = exercise.unilateral and exercise.pattern in ("squat", "lunge", "hinge", "bridge")
    if exercise.pattern == "hinge":
        found.add("hinge")
    if exercise.hamstring_dominant:
        found.add("hamstring")
    if single_leg_strength:  # a one-leg calf raise is calf work, not single-leg strength
        found.add("single_leg")
    if exercise.pattern == "calf":
        found.add("calf")
    if exercise.pattern in ("push", "pull"):
        found.add(exercise.pattern)
    if exercise.region == "core":
        found.add("core")
    return frozenset(found)


def emphasis_sets(items: Iterable[SetsOf]) -> tuple[int, int]:
    """(posterior, anterior) lower-body working sets."""
    posterior = anterior = 0
    for item in items:
        if item.exercise.region != "lower":
            continue
        if item.exercise.emphasis == "posterior":
            posterior += item.sets
        elif item.exercise.emphasis == "anterior":
            anterior += item.sets
    return posterior, anterior


def sets_by_pattern(items: Iterable[SetsOf]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for item in items:
        counts[item.exercise.pattern] += item.sets
    return counts


def covered(items: Iterable[SetsOf]) -> frozenset[str]:
    found: set[str] = set()
    for item in items:
        found |= families(item.exercise)
    return frozenset(found)


def ratio_holds(posterior: int, anterior: int, target: float) -> bool:
    """Posterior ≥ target × anterior (trivially true with no anterior work)."""
    return anterior == 0 or posterior >= target * anterior - 1e-9
