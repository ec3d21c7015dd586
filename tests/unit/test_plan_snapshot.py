"""A stored plan document reads back to the same sessions the planner made."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.plan_snapshot import StoredPlanError, read_plan
from ironmile.render.plan_json import plan_json
from ironmile.services.planning import plan_from_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["marathoner", "knee_pain_5k", "imperial_ultra"])
def test_round_trip_keeps_every_session(name: str) -> None:
    catalogue = load_catalogue()
    plan = plan_from_file(ROOT / "examples" / f"{name}.toml", today=date(2026, 11, 26), catalogue=catalogue)
    stored = read_plan(plan_json(plan), catalogue)
    assert stored.units is plan.units
    assert [w.index for w in stored.weeks] == [w.frame.index for w in plan.weeks]
    assert [s for w in stored.weeks for s in w.sessions] == [s for w in plan.weeks for s in w.sessions]
    first = plan.weeks[0].sessions[0]
    assert stored.session_on(first.date) == first
    assert stored.week_of(first.date) is stored.weeks[0]
    assert stored.session_on(date(1999, 1, 1)) is None


def test_damaged_documents_are_reported() -> None:
    with pytest.raises(StoredPlanError, match="schema"):
        read_plan('{"schema": "other/9"}', load_catalogue())
    with pytest.raises(StoredPlanError, match="damaged"):
        read_plan('{"schema": "ironmile.plan/1", "units": "metric"}', load_catalogue())
