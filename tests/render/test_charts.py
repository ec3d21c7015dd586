"""The season chart: a valid Vega-Lite spec (vl-convert compiles it), built only from the plan."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import vl_convert

from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.plan import Plan
from ironmile.render.charts import LEGS_SESSION, UPPER_SESSION, phase_blocks, season_chart
from ironmile.services.planning import plan_from_file

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def marathoner(examples_dir: Path, catalogue: Catalogue) -> Plan:
    return plan_from_file(examples_dir / "marathoner.toml", today=TODAY, catalogue=catalogue)


def layer_values(spec: dict[str, Any], mark: str) -> list[list[dict[str, Any]]]:
    return [layer["data"]["values"] for layer in spec["layer"] if layer["mark"]["type"] == mark]


def test_the_spec_compiles_and_the_svg_names_every_phase_and_race(marathoner: Plan) -> None:
    svg = vl_convert.vegalite_to_svg(season_chart(marathoner))
    assert svg.startswith("<svg")
    for phase in ("strength", "power", "taper", "race", "recovery"):
        assert f">{phase}</text>" in svg
    assert ">City Half</text>" in svg
    assert ">Spring Marathon</text>" in svg
    assert ">strength sessions</text>" in svg


def test_the_spec_is_json_and_deterministic(marathoner: Plan) -> None:
    first = season_chart(marathoner)
    assert json.dumps(first, sort_keys=True) == json.dumps(season_chart(marathoner), sort_keys=True)
    assert first["$schema"].startswith("https://vega.github.io/schema/vega-lite/v5")
    assert vl_convert.vegalite_to_svg(first) == vl_convert.vegalite_to_svg(json.loads(json.dumps(first)))


def test_phase_bands_cover_the_weeks_without_gaps(marathoner: Plan) -> None:
    bands = layer_values(season_chart(marathoner), "rect")[0]
    assert bands[0]["start"] == marathoner.weeks[0].frame.start_date.isoformat()
    assert bands[-1]["end"] == (marathoner.weeks[-1].frame.start_date + timedelta(days=7)).isoformat()
    for before, after in itertools.pairwise(bands):
        assert before["end"] == after["start"]
        assert before["phase"] != after["phase"]
    assert [band["phase"] for band in bands] == [block.phase.value for block in phase_blocks(marathoner)]


def test_the_bars_count_each_weeks_sessions_stacked_legs_first(marathoner: Plan) -> None:
    rows = layer_values(season_chart(marathoner), "rect")[1]
    for week in marathoner.weeks:
        mine = {row["kind"]: row for row in rows if row["week"] == week.frame.index}
        legs = sum(1 for session in week.sessions if session.heavy_lower)
        assert sum(row["sessions"] for row in mine.values()) == len(week.sessions)
        if legs:
            assert (mine[LEGS_SESSION]["from"], mine[LEGS_SESSION]["to"]) == (0, legs)
        if len(week.sessions) > legs:
            assert (mine[UPPER_SESSION]["from"], mine[UPPER_SESSION]["to"]) == (legs, len(week.sessions))
        assert all(row["deload"] == week.frame.deload for row in mine.values())


def test_races_are_marked_on_their_dates(marathoner: Plan) -> None:
    rules = layer_values(season_chart(marathoner), "rule")
    assert rules == [
        [{"date": "2027-03-14", "race": "City Half"}, {"date": "2027-04-25", "race": "Spring Marathon"}]
    ]
    no_races = replace(marathoner, weeks=tuple(replace(week, runs=()) for week in marathoner.weeks))
    spec = season_chart(no_races)
    assert not layer_values(spec, "rule")
    assert not layer_values(spec, "text")
    assert vl_convert.vegalite_to_svg(spec).startswith("<svg")


def test_a_short_plan_gets_weekly_ticks(marathoner: Plan) -> None:
    short = replace(marathoner, weeks=marathoner.weeks[:3])
    axis = season_chart(short)["layer"][0]["encoding"]["x"]["axis"]
    assert axis["tickCount"] == {"interval": "week", "step": 1}
    assert vl_convert.vegalite_to_svg(season_chart(short)).startswith("<svg")


def test_an_empty_plan_is_an_input_error(marathoner: Plan) -> None:
    with pytest.raises(InputError):
        season_chart(replace(marathoner, weeks=()))
