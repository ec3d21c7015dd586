"""Reading a stored `ironmile.plan/1` document back into domain values (the inverse of
render/plan_json.py for the fields the training log needs)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import IronmileError
from ironmile.domain.plan import PLAN_SCHEMA, PlannedExercise, Session, StoredPlan, StoredWeek
from ironmile.domain.prescription import Role
from ironmile.domain.units import UnitSystem


class StoredPlanError(IronmileError):
    """A stored plan document that this version cannot read (a bug or a damaged database)."""


def read_plan(text: str, catalogue: Catalogue) -> StoredPlan:
    try:
        document = json.loads(text)
        if document.get("schema") != PLAN_SCHEMA:
            raise StoredPlanError(
                f"stored plan has schema {document.get('schema')!r}, expected {PLAN_SCHEMA}"
            )
        return StoredPlan(
            units=UnitSystem(document["units"]),
            start_date=date.fromisoformat(document["start_date"]),
            end_date=date.fromisoformat(document["end_date"]),
            warnings=tuple(document["warnings"]),
            weeks=tuple(_week(week, catalogue) for week in document["weeks"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise StoredPlanError(f"stored plan document is damaged: {error!r}") from None


def _week(week: dict[str, Any], catalogue: Catalogue) -> StoredWeek:
    return StoredWeek(
        index=week["index"],
        start_date=date.fromisoformat(week["start_date"]),
        phase=week["phase"],
        deload=week["deload"],
        sessions=tuple(_session(session, catalogue) for session in week["sessions"]),
    )


def _session(session: dict[str, Any], catalogue: Catalogue) -> Session:
    return Session(
        date=date.fromisoformat(session["date"]),
        heavy_lower=session["heavy_lower"],
        minutes=session["minutes"],
        why=session["why"],
        exercises=tuple(
            PlannedExercise(
                exercise=catalogue.get(item["id"]),
                role=Role(item["role"]),
                sets=item["sets"],
                reps=item["reps"],
                seconds=item["seconds"],
                rir=item["rir"],
                percent_1rm=item["percent_1rm"],
                load=item["load"],
                rest_seconds=item["rest_seconds"],
                note=item.get("note"),
            )
            for item in session["exercises"]
        ),
    )
