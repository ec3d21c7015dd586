"""Selection: fill a slot with one exercise from the catalogue (SCIENCE.md §3 and §7).

Only what the athlete can do with their equipment, within their knee-pain tier; the slot's
preferred ids first, then posterior-leaning and loadable forms; a different exercise from those
already used this week where one exists. Ties break on the id, so plans are deterministic.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.pain import KneeTier
from ironmile.domain.slots import SLOTS

_EMPHASIS_RANK = {"posterior": 0, "balanced": 1, None: 1, "anterior": 2}
_KNEE_RANK = {"low": 0, "moderate": 1, "high": 2}


def allowed(exercise: Exercise, *, equipment: Collection[str], tier: KneeTier) -> bool:
    """Whether the athlete may be given this exercise at all."""
    if not exercise.equipment <= frozenset(equipment):
        return False
    if tier >= KneeTier.RED_FLAG and exercise.region == "lower":
        return False  # red flags: no lower-body loading at all
    if tier >= KneeTier.NO_KNEE_FLEXION and exercise.loaded_knee_flexion:
        return False
    if tier >= KneeTier.KNEE_FRIENDLY:
        if exercise.knee_demand == "high" or exercise.pattern == "plyometric" or exercise.explosive:
            return False
        if exercise.loaded_knee_flexion and exercise.knee_demand != "low" and exercise.pattern != "isometric":
            return False  # limited loaded knee flexion: only the knee-friendly forms
    return True


@dataclass(slots=True)
class Selector:
    """Chooses exercises for one athlete; remembers each slot's candidates (they never change)."""

    catalogue: Catalogue
    equipment: frozenset[str]
    tier: KneeTier
    known_lifts: frozenset[str] = frozenset()  # exercises the athlete gave a recent set for
    _candidates: dict[str, list[Exercise]] = field(default_factory=dict, compare=False, repr=False)

    def candidates(self, slot_name: str) -> list[Exercise]:
        """Everything the athlete may do that fits the slot (computed once per slot)."""
        if slot_name not in self._candidates:
            slot = SLOTS[slot_name]
            self._candidates[slot_name] = [
                exercise
                for exercise in self.catalogue
                if slot.fits(exercise) and allowed(exercise, equipment=self.equipment, tier=self.tier)
            ]
        return self._candidates[slot_name]

    def choose(self, slot_name: str, *, used: Collection[str], foundation: bool) -> Exercise | None:
        """The best exercise for the slot (following fallbacks), or None when nothing fits."""
        seen: set[str] = set()
        name: str | None = slot_name
        while name is not None and name not in seen:
            seen.add(name)
            slot = SLOTS[name]
            candidates = self.candidates(name)
            if candidates:
                prefer = (slot.prefer_foundation + slot.prefer) if foundation else slot.prefer
                return min(candidates, key=lambda e: self._rank(e, prefer, used))
            name = slot.fallback
        return None

    def _rank(self, exercise: Exercise, prefer: tuple[str, ...], used: Collection[str]) -> tuple[object, ...]:
        position = prefer.index(exercise.id) if exercise.id in prefer else len(prefer)
        knee = _KNEE_RANK[exercise.knee_demand] if self.tier >= KneeTier.KNEE_FRIENDLY else 0
        return (
            exercise.id in used,
            knee,
            exercise.id not in self.known_lifts,  # a lift the athlete knows beats a guessed one
            position,
            _EMPHASIS_RANK[exercise.emphasis],
            not exercise.loaded,
            exercise.id,
        )
