"""Reading a stored `ironmile.plan/1` document back into domain values (the inverse of
render/plan_json.py): `read_plan` for the fields the training log needs, `read_full_plan` for the
whole `Plan` the renderers take.

Both keep the last documents they read (a plan document is about 250 KB of JSON, and every page of
the web app reads the one in force): the results are immutable, so sharing them is safe.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import IronmileError
from ironmile.domain.phases import Phase, PhaseWeek
from ironmile.domain.plan import (
    PLAN_SCHEMA,
    Plan,
    PlannedExercise,
    PlannedRun,
    PlanWeek,
    Session,
    StoredPlan,
    StoredWeek,
)
from ironmile.domain.prescription import Role
from ironmile.domain.units import UnitSystem


class StoredPlanError(IronmileError):
    """A stored plan document that this version cannot read (a bug or a damaged database)."""


PLANS_KEPT = 128  # documents; ~2 MB of parsed plans at most


@lru_cache(maxsize=PLANS_KEPT)
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


@lru_cache(maxsize=PLANS_KEPT)
def read_full_plan(text: str, catalogue: Catalogue) -> Plan:
    """A stored document read back as the `Plan` the renderers take: the sessions as `read_plan`
    reads them, plus each week's phase frame and runs, which the document also holds (a week's
    position within its phase is recounted from the phases, as domain/phases.py counts it)."""
    stored = read_plan(text, catalogue)
    try:
        raw = json.loads(text)
        phases = [Phase(week["phase"]) for week in raw["weeks"]]
        weeks = tuple(
            PlanWeek(
                frame=PhaseWeek(
                    index=week["index"],
                    start_date=kept.start_date,
                    phase=phase,
                    deload=week["deload"],
                    phase_week=position,
                    phase_weeks=length,
                    focus=week["focus"],
                ),
                runs=tuple(
                    PlannedRun(date.fromisoformat(run["date"]), run["kind"], run.get("race"))
                    for run in week["runs"]
                ),
                sessions=kept.sessions,
            )
            for week, kept, phase, (position, length) in zip(
                raw["weeks"], stored.weeks, phases, _phase_positions(phases), strict=True
            )
        )
        posterior_target = float(raw["posterior_target"])
    except (KeyError, TypeError, ValueError) as error:
        raise StoredPlanError(f"stored plan document is damaged: {error!r}") from None
    return Plan(
        units=stored.units,
        start_date=stored.start_date,
        end_date=stored.end_date,
        warnings=stored.warnings,
        weeks=weeks,
        posterior_target=posterior_target,
    )


def _phase_positions(phases: Sequence[Phase]) -> list[tuple[int, int]]:
    """(position from 1, length) of each week within its run of equal phases."""
    runs: list[list[int]] = []
    for index, phase in enumerate(phases):
        if runs and phases[runs[-1][0]] is phase:
            runs[-1].append(index)
        else:
            runs.append([index])
    return [(position, len(run)) for run in runs for position in range(1, len(run) + 1)]
