"""Golden text plans for the example profiles: any change to a plan shows up as a text diff.

After an intended change, regenerate with `IRONMILE_UPDATE_GOLDEN=1 make pytest` and review the
diff of tests/golden/ like code.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.render.plan_text import plan_text
from ironmile.services.planning import plan_from_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
GOLDEN = ROOT / "tests" / "golden"
REQUIRED = {"novice_dumbbells", "marathoner", "knee_pain_5k", "imperial_ultra", "bodyweight_only"}


def test_the_required_examples_exist() -> None:
    assert {path.stem for path in EXAMPLES} >= REQUIRED


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda path: path.stem)
def test_example_plan_matches_its_golden_text(profile: Path) -> None:
    text = plan_text(plan_from_file(profile, today=date(2026, 11, 26), catalogue=load_catalogue()))
    golden = GOLDEN / f"{profile.stem}.txt"
    if os.environ.get("IRONMILE_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with IRONMILE_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")
