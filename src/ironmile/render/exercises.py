"""The exercise catalogue for people (text) and programs (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.render.plan_json import exercise_summary


def exercise_document(exercise: Exercise, catalogue: Catalogue) -> dict[str, Any]:
    return {
        **exercise_summary(exercise),
        "implement": exercise.implement,
        "measure": exercise.measure,
        "loaded_knee_flexion": exercise.loaded_knee_flexion,
        "hamstring_dominant": exercise.hamstring_dominant,
        "explosive": exercise.explosive,
        "trains": exercise.trains,
        "cue": exercise.cue,
        "progressions": [{"id": i, "name": catalogue.get(i).name} for i in exercise.progressions],
        "regressions": [{"id": i, "name": catalogue.get(i).name} for i in exercise.regressions],
        "garmin": {"category": exercise.garmin.category, "name": exercise.garmin.name},
    }


def exercises_json(exercises: Sequence[Exercise]) -> str:
    return json.dumps([exercise_summary(e) for e in exercises], indent=2, ensure_ascii=False) + "\n"


def exercise_json(exercise: Exercise, catalogue: Catalogue) -> str:
    return json.dumps(exercise_document(exercise, catalogue), indent=2, ensure_ascii=False) + "\n"


def exercise_text(exercise: Exercise, catalogue: Catalogue) -> str:
    def names(ids: Sequence[str]) -> str:
        return ", ".join(f"{catalogue.get(i).name} ({i})" for i in ids) or "none"

    emphasis = f" · {exercise.emphasis} emphasis" if exercise.emphasis else ""
    equipment = ", ".join(exercise.equipment_sorted) or "bodyweight only"
    return (
        "\n".join(
            [
                f"{exercise.name} ({exercise.id})",
                f"  {exercise.pattern} · {exercise.region}{emphasis} · "
                f"{'compound' if exercise.compound else 'isolation'}"
                f"{' · one side at a time' if exercise.unilateral else ''}",
                f"  equipment: {equipment}",
                f"  knee demand: {exercise.knee_demand}",
                f"  trains: {exercise.trains}",
                f"  cue: {exercise.cue}",
                f"  progressions: {names(exercise.progressions)}",
                f"  regressions: {names(exercise.regressions)}",
            ]
        )
        + "\n"
    )
