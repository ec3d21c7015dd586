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
from ironmile.render.charts import (
    DELOAD_DASH,
    DELOAD_MARK,
    LEGS_SESSION,
    UPPER_SESSION,
    phase_blocks,
    season_chart,
)
from ironmile.services.planning import plan_from_file

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def marathoner(examples_dir: Path, catalogue: Catalogue) -> Plan:
    return plan_from_file(examples_dir / "marathoner.toml", today=TODAY, catalogue=catalogue)


def layer_values(spec: dict[str, Any], mark: str) -> list[list[dict[str, Any]]]:
    """The data of the unnamed layers drawn with `mark` (the deload layers carry names)."""
    return [
        layer["data"]["values"]
        for layer in spec["layer"]
        if layer["mark"]["type"] == mark and "name" not in layer
    ]


def named_layer(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(layer for layer in spec["layer"] if layer.get("name") == name)


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
    assert first["$schema"] == "https://vega.github.io/schema/vega-lite/v6.json"  # the vendored vega-lite 6.4
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


def test_deload_weeks_are_marked_by_shape_and_letter_not_shade(marathoner: Plan) -> None:
    """Readable in greyscale print: a D above each deload week's bar and a dashed outline round it,
    while the bars keep their colours (no paler fill that a legs bar would share with upper body)."""
    spec: dict[str, Any] = season_chart(marathoner)
    deloads = [week for week in marathoner.weeks if week.frame.deload]
    assert deloads
    marks = named_layer(spec, "deload_marks")
    assert marks["encoding"]["text"] == {"value": DELOAD_MARK}
    assert [(row["week"], row["sessions"]) for row in marks["data"]["values"]] == [
        (week.frame.index, len(week.sessions)) for week in deloads
    ]
    for row, week in zip(marks["data"]["values"], deloads, strict=True):
        assert row["middle"] == f"{week.frame.start_date + timedelta(days=3)}T12:00:00"
    outlines = named_layer(spec, "deload_outlines")
    assert outlines["mark"]["strokeDash"] == DELOAD_DASH
    assert outlines["mark"]["fillOpacity"] == 0
    assert [(row["start"], row["end"]) for row in outlines["data"]["values"]] == [
        (week.frame.start_date.isoformat(), (week.frame.start_date + timedelta(days=7)).isoformat())
        for week in deloads
        if week.sessions
    ]
    bars = next(layer for layer in spec["layer"] if layer["encoding"].get("color", {}).get("field") == "kind")
    assert "opacity" not in bars["encoding"]
    svg = vl_convert.vegalite_to_svg(spec)
    assert svg.count(f">{DELOAD_MARK}</text>") == len(deloads)
    dash = ",".join(str(part) for part in DELOAD_DASH)
    assert svg.count(f'stroke-dasharray="{dash}"') == len([week for week in deloads if week.sessions])


def test_a_plan_without_deloads_has_no_deload_layers(marathoner: Plan) -> None:
    steady = replace(
        marathoner,
        weeks=tuple(replace(week, frame=replace(week.frame, deload=False)) for week in marathoner.weeks),
    )
    spec: dict[str, Any] = season_chart(steady)
    assert not [layer for layer in spec["layer"] if "name" in layer]
    assert vl_convert.vegalite_to_svg(spec).startswith("<svg")


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


def colour_legends(spec: dict[str, Any]) -> list[object]:
    """Each layer's own colour legend setting ("none" for a colour without one)."""
    return [
        layer["encoding"]["color"].get("legend", "none")
        for layer in spec["layer"]
        if "color" in layer.get("encoding", {})
    ]


def race_label_lines(spec: dict[str, Any]) -> dict[str, int]:
    """How far below the plot's top edge (px) each alignment of race names sits."""
    return {
        layer["mark"]["align"]: layer["mark"]["dy"]
        for layer in spec["layer"]
        if layer["mark"]["type"] == "text" and "name" not in layer
    }


def test_a_web_page_gets_a_chart_as_wide_as_its_container(marathoner: Plan) -> None:
    """On a 360-px phone a fixed 760-px chart would be shrunk to unreadable labels, and legends beside
    the plot would leave it no width: a layer's own "orient" would override the config's "bottom"."""
    spec = season_chart(marathoner, width="container")
    assert spec["width"] == "container"
    assert spec["config"]["legend"] == {  # type: ignore[index]
        "labelFontSize": 12,
        "titleFontSize": 12,
        "orient": "bottom",
        "direction": "vertical",  # each legend a column: the two side by side fit 290 px
    }
    assert colour_legends(spec) == ["none", "none"]
    assert spec["config"]["axis"]["labelFontSize"] == 12  # type: ignore[index]
    # a late race's name runs left of its line, a line lower, so it cannot cross an earlier one's
    assert race_label_lines(spec) == {"left": 2, "right": 16}
    assert vl_convert.vegalite_to_svg({**spec, "width": 290}).startswith("<svg")


def test_the_pdf_chart_keeps_its_legends_beside_the_plot_and_its_print_sizes(marathoner: Plan) -> None:
    spec = season_chart(marathoner)
    assert spec["width"] == 760  # the PDF keeps its page width
    assert colour_legends(spec) == [{"orient": "right"}, {"orient": "right"}]
    assert spec["config"]["legend"] == {"labelFontSize": 11, "titleFontSize": 11}  # type: ignore[index]
    assert spec["config"]["axis"] == {"labelFontSize": 11, "titleFontSize": 11, "grid": False}  # type: ignore[index]
    assert race_label_lines(spec) == {"left": 2, "right": 2}
    assert {layer["mark"].get("fontSize") for layer in spec["layer"] if layer["mark"]["type"] == "text"} == {
        11
    }
