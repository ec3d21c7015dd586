"""Swapping an exercise for an equivalent one: same movement pattern and emphasis, something the
athlete can do with their equipment and knee-pain tier, closest in form first."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.pain import KneeTier
from ironmile.domain.selection import allowed
from ironmile.domain.training import Swap


def equivalents(
    exercise: Exercise, catalogue: Catalogue, *, equipment: Collection[str], tier: KneeTier
) -> list[Exercise]:
    """Candidates for replacing `exercise`, best first.

    Same pattern, region and emphasis are required; then the ranking prefers the same one- or
    two-sided form, the same compound/isolation kind, a listed progression or regression, a
    loadable implement when the original was loaded, and lower knee demand. Ties break on the id.
    """
    related = set(exercise.progressions) | set(exercise.regressions)
    knee_rank = {"low": 0, "moderate": 1, "high": 2}

    def rank(other: Exercise) -> tuple[object, ...]:
        return (
            other.unilateral != exercise.unilateral,
            other.compound != exercise.compound,
            other.id not in related,
            other.loaded != exercise.loaded,
            knee_rank[other.knee_demand],
            other.id,
        )

    return sorted(
        (
            other
            for other in catalogue
            if other.id != exercise.id
            and other.pattern == exercise.pattern
            and other.region == exercise.region
            and other.emphasis == exercise.emphasis
            and allowed(other, equipment=equipment, tier=tier)
        ),
        key=rank,
    )


def swaps_in_force(swaps: Sequence[Swap]) -> dict[str, str]:
    """The swaps standing after `swaps`, taken in order of `since`: the latest swap of each
    exercise wins, and a swap back to the exercise itself undoes the earlier ones."""
    latest = {swap.exercise_id: swap.replacement_id for swap in sorted(swaps, key=lambda s: s.since)}
    return {exercise: replacement for exercise, replacement in latest.items() if exercise != replacement}


def swapped(exercise_id: str, swaps: Sequence[Swap], day: date) -> str:
    """The exercise standing for `exercise_id` on `day`, following chains (A → B, then B → C)."""
    in_force = swaps_in_force([swap for swap in swaps if swap.since <= day])
    current, seen = exercise_id, {exercise_id}
    while current in in_force and in_force[current] not in seen:
        current = in_force[current]
        seen.add(current)
    return current
