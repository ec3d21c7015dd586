"""The exercise catalogue: typed exercise records and the queries the planner and CLI run on them.

The records themselves are data (`ironmile/data/exercises.toml`); this module turns plain mappings
into checked `Exercise` values, so a broken catalogue fails loudly with every problem listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from ironmile.domain.errors import CatalogueError, UnknownExerciseError

PATTERNS = (
    "squat",
    "hinge",
    "lunge",
    "bridge",
    "calf",
    "knee_extension",
    "knee_flexion",
    "hip_abduction",
    "push",
    "pull",
    "carry",
    "core",
    "plyometric",
    "isometric",
)
REGIONS = ("lower", "upper", "core")
EMPHASES = ("posterior", "anterior", "balanced")
KNEE_DEMANDS = ("low", "moderate", "high")
EQUIPMENT = (
    "barbell",
    "rack",
    "bench",
    "dumbbell",
    "kettlebell",
    "band",
    "box",
    "pullup_bar",
    "trap_bar",
    "cable",
    "machine",
    "sliders",
)
IMPLEMENTS = ("barbell", "dumbbell", "kettlebell", "machine", "bodyweight", "band")
LOADED_IMPLEMENTS = ("barbell", "dumbbell", "kettlebell", "machine")
MEASURES = ("reps", "seconds")


@dataclass(frozen=True, slots=True)
class GarminMapping:
    """Garmin FIT `exercise_category` and `exercise_name` enum names; name None when Garmin has none."""

    category: str
    name: str | None


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise in one form (a barbell and a dumbbell split squat are two exercises)."""

    id: str
    name: str
    pattern: str
    region: str
    emphasis: str | None  # lower body only
    compound: bool
    equipment: frozenset[str]  # everything needed; empty means bodyweight only
    implement: str
    measure: str
    knee_demand: str
    unilateral: bool
    loaded_knee_flexion: bool  # weight-bearing knee bend under load: the patellofemoral-loading kind
    hamstring_dominant: bool
    explosive: bool
    strength_ratio: float | None  # convention: intermediate 1RM / body mass (per hand for dumbbells)
    trains: str
    cue: str
    progressions: tuple[str, ...]
    regressions: tuple[str, ...]
    garmin: GarminMapping

    @property
    def loaded(self) -> bool:
        """True when the exercise takes a numeric external load."""
        return self.implement in LOADED_IMPLEMENTS

    @property
    def equipment_sorted(self) -> list[str]:
        return sorted(self.equipment)

    def doable_with(self, equipment: Iterable[str]) -> bool:
        return self.equipment <= frozenset(equipment)


class Catalogue:
    """An immutable, ordered set of exercises with lookups by id and simple filters."""

    def __init__(self, exercises: Sequence[Exercise]) -> None:
        self._exercises = tuple(exercises)
        self._by_id = {exercise.id: exercise for exercise in self._exercises}

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._exercises)

    def __len__(self) -> int:
        return len(self._exercises)

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._by_id

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self._by_id[exercise_id]
        except KeyError:
            suggestions = get_close_matches(exercise_id, list(self._by_id), n=3)
            raise UnknownExerciseError(exercise_id, suggestions=suggestions) from None

    def filter(
        self,
        *,
        pattern: str | None = None,
        equipment: Iterable[str] | None = None,
        knee_demand: str | None = None,
    ) -> list[Exercise]:
        """Exercises of `pattern`, doable with `equipment` (bodyweight always), at `knee_demand`."""
        owned = None if equipment is None else frozenset(equipment)
        return [
            exercise
            for exercise in self._exercises
            if (pattern is None or exercise.pattern == pattern)
            and (owned is None or exercise.equipment <= owned)
            and (knee_demand is None or exercise.knee_demand == knee_demand)
        ]


def catalogue_from_records(records: Sequence[Mapping[str, Any]]) -> Catalogue:
    """Build a checked catalogue from plain records; raise CatalogueError listing every problem."""
    problems: list[str] = []
    exercises: list[Exercise] = []
    for position, record in enumerate(records):
        label = f"exercise[{position}] ({record.get('id', '?')})"
        try:
            exercises.append(_exercise_from_record(record))
        except (KeyError, TypeError, ValueError) as error:
            problems.append(f"{label}: {error}")
    problems.extend(_cross_reference_problems(exercises))
    if problems:
        raise CatalogueError(problems)
    return Catalogue(exercises)


def _choice(record: Mapping[str, Any], key: str, allowed: Sequence[str]) -> str:
    value = record[key]
    if value not in allowed:
        raise ValueError(f"{key} {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _flag(record: Mapping[str, Any], key: str) -> bool:
    value = record.get(key, False)
    if not isinstance(value, bool):
        raise TypeError(f"{key} must be true or false, not {value!r}")
    return value


def _ids(record: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = record.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"{key} must be a list of exercise ids")
    return tuple(value)


def _exercise_from_record(record: Mapping[str, Any]) -> Exercise:
    region = _choice(record, "region", REGIONS)
    emphasis = record.get("emphasis")
    if region == "lower":
        emphasis = _choice(record, "emphasis", EMPHASES)
    elif emphasis is not None:
        raise ValueError(f"emphasis is only for the lower body, not region {region!r}")
    implement = _choice(record, "implement", IMPLEMENTS)
    ratio = record.get("strength_ratio")
    if implement in LOADED_IMPLEMENTS:
        if not isinstance(ratio, int | float) or not 0 < ratio < 5:
            raise ValueError(f"strength_ratio must be a number in (0, 5) for {implement} loads")
        ratio = float(ratio)
    elif ratio is not None:
        raise ValueError(f"strength_ratio is only for loaded implements, not {implement!r}")
    equipment = _ids(record, "equipment")
    unknown = sorted(set(equipment) - set(EQUIPMENT))
    if unknown:
        raise ValueError(f"unknown equipment {', '.join(unknown)}")
    for text_key in ("id", "name", "trains", "cue", "garmin_category"):
        if not isinstance(record[text_key], str) or not record[text_key].strip():
            raise ValueError(f"{text_key} must be a non-empty string")
    garmin_name = record.get("garmin_name")
    return Exercise(
        id=record["id"],
        name=record["name"],
        pattern=_choice(record, "pattern", PATTERNS),
        region=region,
        emphasis=emphasis,
        compound=_flag(record, "compound"),
        equipment=frozenset(equipment),
        implement=implement,
        measure=_choice(record, "measure", MEASURES),
        knee_demand=_choice(record, "knee_demand", KNEE_DEMANDS),
        unilateral=_flag(record, "unilateral"),
        loaded_knee_flexion=_flag(record, "loaded_knee_flexion"),
        hamstring_dominant=_flag(record, "hamstring_dominant"),
        explosive=_flag(record, "explosive"),
        strength_ratio=ratio,
        trains=record["trains"],
        cue=record["cue"],
        progressions=_ids(record, "progressions"),
        regressions=_ids(record, "regressions"),
        garmin=GarminMapping(record["garmin_category"], garmin_name),
    )


def _cross_reference_problems(exercises: Sequence[Exercise]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for exercise in exercises:
        if exercise.id in seen:
            problems.append(f"duplicate id {exercise.id!r}")
        seen.add(exercise.id)
    for exercise in exercises:
        for kind, targets in (
            ("progression", exercise.progressions),
            ("regression", exercise.regressions),
        ):
            for target in targets:
                if target == exercise.id:
                    problems.append(f"{exercise.id}: lists itself as a {kind}")
                elif target not in seen:
                    problems.append(f"{exercise.id}: {kind} {target!r} is not in the catalogue")
    return problems
