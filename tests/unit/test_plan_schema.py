"""The shipped JSON Schema (`ironmile/data/plan.schema.json`) describes the plan document exactly:
every example profile's plan validates against it, and documents that break the contract do not.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.render.plan_json import plan_document
from ironmile.services.planning import plan_from_file

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_PROFILES = sorted(EXAMPLES_DIR.glob("*.toml"))
TODAY = date(2026, 11, 26)


@cache
def shipped_schema() -> dict[str, Any]:
    """The schema as installed with the package, read the way a user of the package would."""
    resource = resources.files("ironmile.data").joinpath("plan.schema.json")
    schema: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return schema


def validator() -> Draft202012Validator:
    return Draft202012Validator(shipped_schema(), format_checker=FormatChecker())


@cache
def example_document(name: str) -> dict[str, Any]:
    document = plan_document(plan_from_file(EXAMPLES_DIR / name, today=TODAY, catalogue=load_catalogue()))
    return document


def errors_of(document: Any) -> list[str]:
    return [
        f"{error.json_path}: {error.message}"
        for error in sorted(validator().iter_errors(document), key=lambda e: e.json_path)
    ]


def marathoner() -> dict[str, Any]:
    return copy.deepcopy(example_document("marathoner.toml"))


def first_exercise(document: dict[str, Any]) -> dict[str, Any]:
    exercise: dict[str, Any] = document["weeks"][0]["sessions"][0]["exercises"][0]
    return exercise


def test_schema_is_shipped_inside_the_installed_package() -> None:
    resource = resources.files("ironmile.data").joinpath("plan.schema.json")
    assert resource.is_file()
    schema = shipped_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema"]["const"] == "ironmile.plan/1"


def test_schema_is_itself_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(shipped_schema())


def test_every_object_in_the_schema_forbids_unknown_fields() -> None:
    def objects(node: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if isinstance(node, dict):
            if node.get("type") == "object":
                found.append(node)
            for value in node.values():
                found.extend(objects(value))
        elif isinstance(node, list):
            for value in node:
                found.extend(objects(value))
        return found

    schema_objects = objects(shipped_schema())
    assert len(schema_objects) >= 5  # plan, week, run, session, exercise
    assert all(node.get("additionalProperties") is False for node in schema_objects)


def test_every_property_in_the_schema_has_a_description() -> None:
    def undescribed(node: Any, path: str) -> list[str]:
        missing: list[str] = []
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if not (isinstance(sub, dict) and sub.get("description")):
                    missing.append(f"{path}.{name}")
            for key, value in node.items():
                missing.extend(undescribed(value, f"{path}/{key}"))
        return missing

    assert undescribed(shipped_schema(), "#") == []


@pytest.mark.parametrize("profile", EXAMPLE_PROFILES, ids=lambda path: path.stem)
def test_plan_of_every_example_profile_validates_against_the_shipped_schema(profile: Path) -> None:
    document = example_document(profile.name)
    # Round-trip through JSON text so the check sees exactly what `--format json` prints.
    assert errors_of(json.loads(json.dumps(document))) == []


def test_examples_exercise_the_optional_and_nullable_parts_of_the_schema() -> None:
    """Guard against the validation above passing only because the examples avoid some shapes."""
    runs = [
        run
        for profile in EXAMPLE_PROFILES
        for week in example_document(profile.name)["weeks"]
        for run in week["runs"]
    ]
    exercises = [
        exercise
        for profile in EXAMPLE_PROFILES
        for week in example_document(profile.name)["weeks"]
        for session in week["sessions"]
        for exercise in session["exercises"]
    ]
    assert any("race" in run for run in runs)
    assert any(exercise["emphasis"] is None for exercise in exercises)
    assert any(exercise["load"] is None for exercise in exercises)
    assert any(exercise["seconds"] is not None for exercise in exercises)
    assert any(exercise["note"] is not None for exercise in exercises)
    assert {example_document(p.name)["units"] for p in EXAMPLE_PROFILES} == {"metric", "imperial"}


def test_schema_rejects_a_document_with_an_unknown_field_a_wrong_phase_and_no_weeks() -> None:
    document = marathoner()
    document["colour"] = "red"
    first_exercise(document)["tempo"] = "3-1-1"
    document["weeks"][0]["phase"] = "bulking"
    assert errors_of(document) != []
    del document["weeks"]
    errors = errors_of(document)
    assert any("'colour' was unexpected" in error for error in errors), errors
    assert any("'weeks' is a required property" in error for error in errors), errors

    wrong_phase = marathoner()
    wrong_phase["weeks"][0]["phase"] = "bulking"
    assert [error for error in errors_of(wrong_phase) if error.startswith("$.weeks[0].phase")] != []

    unknown_nested = marathoner()
    first_exercise(unknown_nested)["tempo"] = "3-1-1"
    assert any("'tempo' was unexpected" in error for error in errors_of(unknown_nested))


def _set(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    document = marathoner()
    target: Any = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


EXERCISE = ("weeks", 0, "sessions", 0, "exercises", 0)
INVALID_EDITS = {
    "schema version": (("schema",), "ironmile.plan/2"),
    "units": (("units",), "stone"),
    "start date format": (("start_date",), "2026-12-7"),
    "impossible date": (("end_date",), "2027-02-30"),
    "week index zero": (("weeks", 0, "index"), 0),
    "run kind": (("weeks", 0, "runs", 0, "kind"), "jog"),
    "session minutes zero": (("weeks", 0, "sessions", 0, "minutes"), 0),
    "role": ((*EXERCISE, "role"), "finisher"),
    "pattern": ((*EXERCISE, "pattern"), "twist"),
    "region": ((*EXERCISE, "region"), "full"),
    "emphasis": ((*EXERCISE, "emphasis"), "lateral"),
    "knee demand": ((*EXERCISE, "knee_demand"), "extreme"),
    "equipment item": ((*EXERCISE, "equipment"), ["barbell", "anvil"]),
    "sets zero": ((*EXERCISE, "sets"), 0),
    "rir eleven": ((*EXERCISE, "rir"), 11),
    "rir negative": ((*EXERCISE, "rir"), -1),
    "percent over 100": ((*EXERCISE, "percent_1rm"), 101.0),
    "negative load": ((*EXERCISE, "load"), -2.5),
    "negative rest": ((*EXERCISE, "rest_seconds"), -1),
    "reps and seconds both set": ((*EXERCISE, "seconds"), 30),
    "reps and seconds both null": ((*EXERCISE, "reps"), None),
    "deload as text": (("weeks", 0, "deload"), "no"),
}


@pytest.mark.parametrize(("path", "value"), INVALID_EDITS.values(), ids=INVALID_EDITS.keys())
def test_schema_rejects_a_value_outside_the_contract(path: tuple[str | int, ...], value: Any) -> None:
    document = _set(path, value)
    assert errors_of(document) != []


def test_schema_accepts_the_nullable_values_the_contract_allows() -> None:
    document = marathoner()
    exercise = first_exercise(document)
    exercise.update(emphasis=None, rir=None, percent_1rm=None, load=None, note=None)
    document["weeks"][0]["runs"][0]["race"] = "Spring Marathon"
    assert errors_of(document) == []
