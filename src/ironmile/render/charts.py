"""Charts as Vega-Lite specs: plain dicts, the same spec for the web page (vega-embed) and the PDF.

The PDF turns a spec into SVG with `vl_convert.vegalite_to_svg`; the browser draws it live. Specs
hold their data inline and are built only from the plan, so the same plan gives the same spec.
Dates are ISO strings read on a UTC time scale, so no time zone can shift a band by a day.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ironmile.domain.errors import InputError
from ironmile.domain.phases import Phase
from ironmile.domain.plan import Plan, PlanWeek

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
CHART_FONT = "sans-serif"  # browsers pick their sans; Typst falls back to its bundled fonts
SEASON_WIDTH = 760  # px; the PDF scales the SVG to the page width
SEASON_HEIGHT = 150  # px
PRINT_TEXT_PX = 11  # the PDF's chart text, scaled with the page
SCREEN_TEXT_PX = 12  # a web page's chart text, drawn at its size: readable on a phone

# One colour per phase, light enough to read bars over (ColorBrewer Pastel1/Set3 shades).
PHASE_COLOURS: dict[Phase, str] = {
    Phase.FOUNDATION: "#ccebc5",
    Phase.STRENGTH: "#b3cde3",
    Phase.POWER: "#decbe4",
    Phase.MAINTENANCE: "#fed9a6",
    Phase.TAPER: "#ffffcc",
    Phase.RACE: "#fbb4ae",
    Phase.RECOVERY: "#e5d8bd",
}
LEGS_SESSION = "legs + upper body"
UPPER_SESSION = "upper body & core"
SESSION_COLOURS = {LEGS_SESSION: "#3b5b7a", UPPER_SESSION: "#9bb0c4"}
RACE_COLOUR = "#b2182b"
# Deload weeks keep their bar colours (dark legs, light upper body) and get a dashed dark outline
# and a "D" above the bar: a shape and a letter, not a shade, so they read in greyscale print too.
DELOAD_MARK = "D"
DELOAD_INK = "#1d2a36"
DELOAD_DASH = [3, 2]  # px on, px off


@dataclass(frozen=True, slots=True)
class PhaseBlock:
    """A run of consecutive weeks in one phase; `end` is the day after its last day."""

    phase: Phase
    first_week: int
    last_week: int
    start: date
    end: date


def phase_blocks(plan: Plan) -> list[PhaseBlock]:
    """The plan's weeks grouped into runs of the same phase, in order."""
    blocks: list[PhaseBlock] = []
    for week in plan.weeks:
        frame = week.frame
        end = frame.start_date + timedelta(days=7)
        if blocks and blocks[-1].phase is frame.phase:
            last = blocks[-1]
            blocks[-1] = PhaseBlock(last.phase, last.first_week, frame.index, last.start, end)
        else:
            blocks.append(PhaseBlock(frame.phase, frame.index, frame.index, frame.start_date, end))
    return blocks


def _races(plan: Plan) -> Iterator[tuple[date, str]]:
    for week in plan.weeks:
        for run in week.runs:
            if run.kind == "race":
                yield run.date, run.race or "race"


def _session_rows(week: PlanWeek) -> list[dict[str, object]]:
    start = week.frame.start_date
    legs = sum(1 for session in week.sessions if session.heavy_lower)
    upper = len(week.sessions) - legs
    common = {
        "week": week.frame.index,
        "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat(),
        "phase": week.frame.phase.value,
        "deload": week.frame.deload,
    }
    rows = [
        {**common, "kind": LEGS_SESSION, "sessions": legs, "from": 0, "to": legs},
        {**common, "kind": UPPER_SESSION, "sessions": upper, "from": legs, "to": legs + upper},
    ]
    return [row for row in rows if row["sessions"]]


def _deload_marks(plan: Plan) -> list[dict[str, object]]:
    """One row per deload week: its days, their middle (noon, so the mark centres on the bar) and
    the bar's height in sessions, where the outline ends and the mark sits."""
    return [
        {
            "week": week.frame.index,
            "start": week.frame.start_date.isoformat(),
            "end": (week.frame.start_date + timedelta(days=7)).isoformat(),
            "middle": f"{(week.frame.start_date + timedelta(days=3)).isoformat()}T12:00:00",
            "bottom": 0,
            "sessions": len(week.sessions),
            "deload": True,
        }
        for week in plan.weeks
        if week.frame.deload
    ]


def _time_axis(plan: Plan) -> dict[str, object]:
    """Monthly ticks, or weekly ones when the plan is too short to show two months."""
    if len(plan.weeks) > 8:
        return {"format": "%b %Y", "tickCount": {"interval": "month", "step": 1}}
    return {"format": "%-d %b", "tickCount": {"interval": "week", "step": 1}}


def _race_labels(
    races: list[dict[str, str]], align: str, x: Mapping[str, object], text_px: int, line: int
) -> dict[str, object]:
    """Race names at the top of the plot, on text line `line` (0: the first) from its top edge."""
    return {
        "data": {"values": races},
        "mark": {
            "type": "text",
            "color": RACE_COLOUR,
            "align": align,
            "baseline": "top",
            "dx": 4 if align == "left" else -4,
            "dy": 2 + line * (text_px + 2),
            "fontSize": text_px,
            "fontWeight": "bold",
        },
        "encoding": {"x": x, "y": {"value": 0}, "text": {"field": "race"}},
    }


def season_chart(plan: Plan, *, width: int | Literal["container"] = SEASON_WIDTH) -> dict[str, object]:
    """The season at a glance: phases as coloured bands over the weeks, strength sessions per week
    as stacked bars (legs vs upper body; deload weeks outlined and marked D), and each race as a
    marked date. `width` in px (the PDF), or "container" for a web page, which fills the page's
    width on a phone and a desktop alike, with the legends below the chart instead of beside it
    (beside it they would leave a phone's plot no width) and its text a size larger."""
    if not plan.weeks:
        raise InputError("the plan has no weeks: nothing to chart")
    screen = width == "container"
    text_px = SCREEN_TEXT_PX if screen else PRINT_TEXT_PX
    # The PDF's legends sit right of the plot; a web page's follow the config's (below the plot).
    legend: dict[str, object] = {} if screen else {"legend": {"orient": "right"}}
    utc_x = {"type": "temporal", "scale": {"type": "utc"}}
    phases = [
        {
            "phase": block.phase.value,
            "weeks": (
                str(block.first_week)
                if block.first_week == block.last_week
                else f"{block.first_week}–{block.last_week}"
            ),
            "start": block.start.isoformat(),
            "end": block.end.isoformat(),
        }
        for block in phase_blocks(plan)
    ]
    sessions = [row for week in plan.weeks for row in _session_rows(week)]
    races = [{"date": day.isoformat(), "race": name} for day, name in _races(plan)]
    present = [phase for phase in Phase if any(week.frame.phase is phase for week in plan.weeks)]
    most = max((len(week.sessions) for week in plan.weeks), default=0)
    layers: list[dict[str, object]] = [
        {
            "data": {"values": phases},
            "mark": {"type": "rect", "opacity": 0.9},
            "encoding": {
                "x": {**utc_x, "field": "start", "title": None, "axis": _time_axis(plan)},
                "x2": {"field": "end"},
                "color": {
                    "field": "phase",
                    "type": "nominal",
                    "title": "Phase",
                    "scale": {
                        "domain": [phase.value for phase in present],
                        "range": [PHASE_COLOURS[phase] for phase in present],
                    },
                    **legend,
                },
                "tooltip": [{"field": "phase"}, {"field": "weeks", "title": "weeks"}],
            },
        },
        {
            "data": {"values": sessions},
            # Stacked by hand (from/to): a bar ranged in x (week start to end) cannot also stack in y.
            "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1.5},
            "encoding": {
                "x": {**utc_x, "field": "start"},
                "x2": {"field": "end"},
                "y2": {"field": "to"},
                "y": {
                    "field": "from",
                    "type": "quantitative",
                    "title": "strength sessions",
                    "scale": {"domain": [0, max(3, most + 1)]},
                    "axis": {"tickMinStep": 1, "format": "d"},
                },
                "color": {
                    "field": "kind",
                    "type": "nominal",
                    "title": "Sessions",
                    "scale": {"domain": list(SESSION_COLOURS), "range": list(SESSION_COLOURS.values())},
                    **legend,
                },
                "tooltip": [
                    {"field": "week"},
                    {"field": "kind", "title": "session"},
                    {"field": "sessions"},
                    {"field": "deload"},
                ],
            },
        },
    ]
    deloads = _deload_marks(plan)
    outlined = [row for row in deloads if row["sessions"]]
    if outlined:
        layers.append(
            {
                "name": "deload_outlines",
                "data": {"values": outlined},
                "mark": {
                    "type": "rect",
                    "fillOpacity": 0,
                    "stroke": DELOAD_INK,
                    "strokeWidth": 2,
                    "strokeDash": DELOAD_DASH,
                },
                "encoding": {
                    "x": {**utc_x, "field": "start"},
                    "x2": {"field": "end"},
                    "y": {"field": "bottom", "type": "quantitative"},
                    "y2": {"field": "sessions"},
                },
            }
        )
    if deloads:
        layers.append(
            {
                "name": "deload_marks",
                "data": {"values": deloads},
                "mark": {
                    "type": "text",
                    "color": DELOAD_INK,
                    "baseline": "bottom",
                    "dy": -2,
                    "fontSize": text_px,
                    "fontWeight": "bold",
                },
                "encoding": {
                    "x": {**utc_x, "field": "middle"},
                    "y": {"field": "sessions", "type": "quantitative"},
                    "text": {"value": DELOAD_MARK},
                    "tooltip": [{"field": "week"}, {"field": "deload"}],
                },
            }
        )
    if races:
        race_x = {**utc_x, "field": "date"}
        layers.append(
            {
                "data": {"values": races},
                "mark": {"type": "rule", "color": RACE_COLOUR, "strokeWidth": 2, "strokeDash": [4, 2]},
                "encoding": {"x": race_x, "tooltip": [{"field": "race"}, {"field": "date"}]},
            }
        )
        # Names of races late in the season sit left of their line so they stay inside the plot. On a
        # web page, which may be a phone's width, they also sit a line lower: a left-running name
        # would otherwise cross the name of a race a few weeks before it.
        turn = plan.weeks[0].frame.start_date + (plan.end_date - plan.weeks[0].frame.start_date) * 3 / 4
        for align, line, labelled in (
            ("left", 0, [race for race in races if race["date"] < turn.isoformat()]),
            ("right", 1 if screen else 0, [race for race in races if race["date"] >= turn.isoformat()]),
        ):
            if labelled:
                layers.append(_race_labels(labelled, align, race_x, text_px, line))
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": "Strength plan: phases, races and strength sessions per week",
        "width": width,
        "height": SEASON_HEIGHT,
        "layer": layers,
        "resolve": {"scale": {"color": "independent"}, "legend": {"color": "independent"}},
        "config": {
            "font": CHART_FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": text_px, "titleFontSize": text_px, "grid": False},
            "legend": {
                "labelFontSize": text_px,
                "titleFontSize": text_px,
                # below the plot, each legend a column: side by side they fit a 360-px phone
                **({"orient": "bottom", "direction": "vertical"} if screen else {}),
            },
        },
    }
