"""The plan as the `ironmile.plan/1` JSON document (DESIGN.md; schema in data/plan.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from ironmile.domain.catalogue import Exercise
from ironmile.domain.plan import PLAN_SCHEMA, Plan, PlannedExercise, PlanWeek, Session


def exercise_summary(exercise: Exercise, role: str | None = None) -> dict[str, Any]:
    """The catalogue attributes every plan exercise carries."""
    return {
        "id": exercise.id,
        "name": exercise.name,
        **({"role": role} if role else {}),
        "pattern": exercise.pattern,
        "region": exercise.region,
        "emphasis": exercise.emphasis,
        "compound": exercise.compound,
        "equipment": exercise.equipment_sorted,
        "knee_demand": exercise.knee_demand,
        "unilateral": exercise.unilateral,
    }


def _exercise(item: PlannedExercise) -> dict[str, Any]:
    return {
        **exercise_summary(item.exercise, item.role.value),
        "sets": item.sets,
        "reps": item.reps,
        "seconds": item.seconds,
        "rir": item.rir,
        "percent_1rm": item.percent_1rm,
        "load": item.load,
        "rest_seconds": item.rest_seconds,
        "cue": item.exercise.cue,
        "note": item.note,
    }


def _session(session: Session) -> dict[str, Any]:
    return {
        "date": session.date.isoformat(),
        "heavy_lower": session.heavy_lower,
        "minutes": session.minutes,
        "why": session.why,
        "exercises": [_exercise(item) for item in session.exercises],
    }


def _week(week: PlanWeek) -> dict[str, Any]:
    frame = week.frame
    return {
        "index": frame.index,
        "start_date": frame.start_date.isoformat(),
        "phase": frame.phase.value,
        "deload": frame.deload,
        "focus": frame.focus,
        "runs": [
            {
                "date": run.date.isoformat(),
                "kind": run.kind,
                **({"race": run.race} if run.race else {}),
            }
            for run in week.runs
        ],
        "sessions": [_session(session) for session in week.sessions],
    }


def plan_document(plan: Plan) -> dict[str, Any]:
    return {
        "schema": PLAN_SCHEMA,
        "units": plan.units.value,
        "start_date": plan.start_date.isoformat(),
        "end_date": plan.end_date.isoformat(),
        "posterior_target": plan.posterior_target,
        "warnings": list(plan.warnings),
        "weeks": [_week(week) for week in plan.weeks],
    }


def plan_json(plan: Plan) -> str:
    """Stable, pretty JSON with a trailing newline: byte-identical for the same plan."""
    return json.dumps(plan_document(plan), indent=2, ensure_ascii=False) + "\n"
