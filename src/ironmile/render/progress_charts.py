"""Progress charts as Vega-Lite specs: strength, body mass, running load, balance and adherence.

Plain dicts, like `render.charts`: the same schema, font and colours, data inline, dates as ISO
strings on a UTC time scale, and the same input always gives the same spec. Each chart is as wide
as its container ("width": "container"), so it reads on a 360-px phone, and is None when there is
nothing to draw: the page then says so in a sentence instead of showing empty axes. Masses and
distances are in the profile's units, running loads in TRIMP-comparable arbitrary units (AU).
Every chart spans the same `Period`, so charts stacked on a page line up week for week.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ironmile.domain.report import LiftPoint, LiftTrend, WeekBalance
from ironmile.domain.running_load import ACWR_CAVEAT, ACWR_HIGH, ACWR_SWEET_SPOT, ATL_DAYS, CTL_DAYS
from ironmile.domain.running_report import LoadDay
from ironmile.domain.running_weeks import WeekSummary
from ironmile.domain.training import BodyMass
from ironmile.domain.units import UnitSystem, display_from_kg, display_from_m
from ironmile.domain.volume import ratio_holds
from ironmile.render.charts import CHART_FONT, RACE_COLOUR, SCREEN_TEXT_PX, SESSION_COLOURS, VEGA_LITE_SCHEMA

Spec = dict[str, object]

CHART_HEIGHT = 200  # px; the width follows the page
TEXT = {"labelFontSize": SCREEN_TEXT_PX, "titleFontSize": SCREEN_TEXT_PX}  # axes, legends: phone-sized
INK, LIGHT = SESSION_COLOURS.values()  # the season chart's dark and light blue
ALERT = "#d55e00"  # Okabe & Ito's vermilion: ATL, and weeks below the balance target
WEIGH_IN_COLOUR = "#6b7785"  # grey points under the trend line, 4.5:1 on white
# One colour and one point shape per lift, so lines stay apart in greyscale and for colour-blind
# readers (Okabe & Ito's palette, each at least 3:1 against white).
LIFT_COLOURS = ("#3b5b7a", "#d55e00", "#009e73", "#cc79a7", "#0072b2", "#8a6d00")
LIFT_SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down")
SWEET_SPOT_FILL, HIGH_FILL = "#ccebc5", "#fbb4ae"  # the season chart's pastel green and red
CTL_LABEL, ATL_LABEL = f"CTL (fitness, {CTL_DAYS}-day)", f"ATL (fatigue, {ATL_DAYS}-day)"
WEIGH_IN, TREND = "weigh-in", "7-day average"
PLANNED, DONE = "planned", "done"
MEETS, BELOW = "at or above target", "below target"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True, slots=True)
class Period:
    """The days every chart spans, both included: the same x axis for each chart on a page."""

    start: date
    end: date

    def __str__(self) -> str:
        return f"{_day(self.start)} to {_day(self.end)}"


def _q(field: str, title: str | None = None, **extra: object) -> Spec:
    return {"field": field, "type": "quantitative", "title": title, **extra}


def _n(field: str, title: str | None = None) -> Spec:
    return {"field": field, "type": "nominal", "title": title}


def _legend(field: str, domain: Sequence[str], colours: Sequence[object], title: str | None = None) -> Spec:
    return {**_n(field, title), "scale": {"domain": list(domain), "range": list(colours)}}


def _x(field: str, period: Period, title: str | None = None) -> Spec:
    """A UTC time axis over the whole period: day-and-month labels up to 12 weeks, months beyond.
    The bounds are domainMin/Max: a "domain" conflicts with the x2 of a week's bar in Vega-Lite."""
    after = period.end + timedelta(days=7 - period.end.weekday())  # the next Monday: whole weeks
    first, last = period.start.isoformat(), after.isoformat()
    short = (period.end - period.start).days <= 84
    axis = {"format": "%-d %b" if short else "%b %Y", "labelOverlap": True, "tickCount": 5}
    scale = {"type": "utc", "domainMin": first, "domainMax": last}
    return {"field": field, "type": "temporal", "title": title, "scale": scale, "axis": axis}


def _weeks(period: Period) -> Spec:
    """A week's bar: Monday to the next Monday, up from zero (a rect; a bar ranged in x floats)."""
    return {"x": _x("start", period, "week"), "x2": {"field": "end"}, "y2": {"datum": 0}}


def _week(week_start: date) -> Spec:
    return {"start": week_start.isoformat(), "end": (week_start + timedelta(days=7)).isoformat()}


def _spec(title: str, description: str, body: Spec, subtitle: str | None = None) -> Spec:
    heading: Spec = {"text": title, "anchor": "start", "fontSize": 14}
    if subtitle:
        heading |= {"subtitle": subtitle, "subtitleFontSize": SCREEN_TEXT_PX}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": heading,
        "description": description,
        "width": "container",
        "height": CHART_HEIGHT,
        **body,
        "config": {
            "font": CHART_FONT,
            "view": {"stroke": None},
            "axis": {**TEXT, "gridColor": "#e6e9ed"},
            "legend": {**TEXT, "orient": "bottom", "direction": "vertical"},  # one entry a line: fits 360 px
        },
    }


@dataclass(frozen=True, slots=True)
class _LiftMeasure:
    """What a per-lift chart shows: the number from each point, and the words around it."""

    value: Callable[[LiftPoint], float | None]
    field: str
    axis: str  # the y axis title, with its unit
    fmt: str  # d3 number format, for tooltips and the description
    title: str
    axis_fmt: str | None = None  # d3 number format of the y axis' labels; None: Vega-Lite's own


def _lift_chart(
    lifts: Sequence[LiftTrend], names: Mapping[str, str], m: _LiftMeasure, period: Period
) -> Spec | None:
    """Lines with points, one colour and shape per lift. A lift's colour comes from its place among
    all the lifts, so it keeps its colour in a chart where another lift has no points."""
    rows: list[Spec] = []
    slots: dict[str, int] = {}
    latest: dict[str, float] = {}
    for index, lift in enumerate(lifts):
        name = names.get(lift.exercise_id, lift.exercise_id)
        for point in lift.points:
            if (shown := m.value(point)) is not None:
                rows.append({"lift": name, "date": point.date.isoformat(), m.field: shown})
                slots[name], latest[name] = index, shown
    if not rows:
        return None
    colours = [LIFT_COLOURS[index % len(LIFT_COLOURS)] for index in slots.values()]
    shapes = [LIFT_SHAPES[index % len(LIFT_SHAPES)] for index in slots.values()]
    now = ", ".join(f"{name} {format(number, m.fmt)}" for name, number in latest.items())
    y_axis = {"axis": {"format": m.axis_fmt}} if m.axis_fmt else {}
    return _spec(
        m.title,
        f"Line chart of {m.title[0].lower()}{m.title[1:]}, one line per main lift, {period}. "
        f"Latest {m.axis}: {now}.",
        {
            "data": {"values": rows},
            "mark": {"type": "line", "point": {"filled": True, "size": 60}, "strokeWidth": 2},
            "encoding": {
                "x": _x("date", period),
                "y": _q(m.field, m.axis, scale={"zero": False}, **y_axis),
                "color": _legend("lift", list(slots), colours),
                "shape": _legend("lift", list(slots), shapes),
                "tooltip": [_n("lift"), _n("date"), _q(m.field, m.axis, format=m.fmt)],
            },
        },
    )


def e1rm_chart(
    lifts: Sequence[LiftTrend], names: Mapping[str, str], *, units: UnitSystem, period: Period
) -> Spec | None:
    """Estimated one-rep max per main lift: one line per lift, one point per (non-deload) session."""
    measure = _LiftMeasure(
        lambda point: round(display_from_kg(point.e1rm_kg, units), 2),
        "e1rm",
        f"e1RM ({units.mass_label})",
        ".1f",
        "Estimated 1RM per lift",
    )
    return _lift_chart(lifts, names, measure, period)


def relative_strength_chart(
    lifts: Sequence[LiftTrend], names: Mapping[str, str], *, period: Period
) -> Spec | None:
    """e1RM ÷ smoothed body mass per main lift; sessions before the first weigh-in have none."""
    measure = _LiftMeasure(
        lambda point: None if point.relative_strength is None else round(point.relative_strength, 3),
        "relative",
        "e1RM ÷ body mass",
        ".2f",
        "Relative strength per lift",
        axis_fmt=".2f",  # two decimals on every tick: Vega-Lite's own labels showed 0.20 as "0"
    )
    return _lift_chart(lifts, names, measure, period)


def body_mass_chart(
    weigh_ins: Sequence[BodyMass], trend: Sequence[tuple[date, float]], *, units: UnitSystem, period: Period
) -> Spec | None:
    """Each weigh-in as a point, and the 7-day trailing average (`domain.body.smoothed`) as a line."""
    if not weigh_ins:
        return None
    label = units.mass_label
    points, line = (
        [
            {"date": day.isoformat(), "series": series, "mass": round(display_from_kg(kg, units), 2)}
            for day, kg in masses
        ]
        for series, masses in ((WEIGH_IN, [(w.date, w.mass_kg) for w in weigh_ins]), (TREND, trend))
    )
    layers: list[Spec] = [{"data": {"values": points}, "mark": {"type": "point", "filled": True, "size": 40}}]
    if line:
        layers.append({"data": {"values": line}, "mark": {"type": "line", "strokeWidth": 2.5}})
    return _spec(
        "Body mass",
        f"Body mass in {label}, {period}: {len(points)} weigh-ins as points and their 7-day average as a "
        f"line, latest {(line or points)[-1]['mass']:.1f} {label}.",
        {
            "encoding": {
                "x": _x("date", period),
                "y": _q("mass", f"body mass ({label})", scale={"zero": False}),
                # A merged legend would draw the line as a dot: the subtitle says which is which.
                "color": _legend("series", [WEIGH_IN, TREND], [WEIGH_IN_COLOUR, INK]) | {"legend": None},
                "tooltip": [_n("date"), _n("series"), _q("mass", label, format=".1f")],
            },
            "layer": layers,
        },
        subtitle="Dots: weigh-ins · line: 7-day average",
    )


def weekly_distance_chart(weeks: Sequence[WeekSummary], *, units: UnitSystem, period: Period) -> Spec | None:
    """Running distance per ISO week as bars (runs only); None when no run in the period has one."""
    if not any(week.distance_m > 0 for week in weeks):
        return None
    label = units.distance_label
    rows = [
        {**_week(w.week_start), "distance": round(display_from_m(w.distance_m, units), 2), "runs": w.runs}
        for w in weeks
    ]
    total = display_from_m(sum(week.distance_m for week in weeks), units)
    return _spec(
        "Weekly running distance",
        f"Bar chart of running distance in {label} per week, Monday to Sunday, {period}: {total:.1f} "
        f"{label} in all, {rows[-1]['distance']:.1f} {label} in the week of {_day(weeks[-1].week_start)}.",
        {
            "data": {"values": rows},
            "mark": {"type": "rect", "color": INK, "stroke": "white", "strokeWidth": 1.5},
            "encoding": {
                **_weeks(period),
                "y": _q("distance", f"distance ({label})"),
                "tooltip": [_n("start", "week of"), _q("distance", label, format=".1f"), _q("runs")],
            },
        },
    )


def fitness_chart(days: Sequence[LoadDay], *, period: Period) -> Spec | None:
    """CTL ("fitness") and ATL ("fatigue") per day in AU per day; None before any run with a load."""
    if not any(day.fitness.ctl > 0 or day.fitness.atl > 0 for day in days):
        return None
    rows = [
        {"date": day.day.isoformat(), "measure": label, "load": round(value, 2)}
        for day in days
        for label, value in ((CTL_LABEL, day.fitness.ctl), (ATL_LABEL, day.fitness.atl))
    ]
    last, measures = days[-1], [CTL_LABEL, ATL_LABEL]
    return _spec(
        "Fitness and fatigue",
        f"Line chart of chronic (CTL, {CTL_DAYS}-day) and acute (ATL, {ATL_DAYS}-day) running load in "
        f"AU per day, {period}. On {_day(last.day)}: CTL {last.fitness.ctl:.0f}, ATL {last.fitness.atl:.0f}.",
        {
            "data": {"values": rows},
            "mark": {"type": "line", "strokeWidth": 2},
            "encoding": {
                "x": _x("date", period),
                "y": _q("load", "load (AU per day)"),
                "color": _legend("measure", measures, [INK, ALERT]),
                "strokeDash": _legend("measure", measures, [[1, 0], [5, 3]]),
                "tooltip": [_n("date"), _n("measure"), _q("load", "AU per day", format=".0f")],
            },
        },
    )


def acwr_chart(days: Sequence[LoadDay], *, period: Period) -> Spec | None:
    """The EWMA acute:chronic ratio per day over the sweet-spot and high bands of
    `domain.running_load` (Gabbett 2016, disputed); None until 28 days of history give a ratio."""
    known = [(day.day, day.acwr.ratio) for day in days if day.acwr.ratio is not None]
    if not known:
        return None
    low, high = ACWR_SWEET_SPOT
    top = max(2.0, math.ceil((max(ratio for _, ratio in known) + 0.1) * 2) / 2)  # next half above the line
    zones = {f"sweet spot {low:g}–{high:g}": (low, high), f"high ≥ {ACWR_HIGH:g}": (ACWR_HIGH, top)}
    line = [{"date": day.isoformat(), "acwr": round(ratio, 3)} for day, ratio in known]
    axis = "ACWR (acute ÷ chronic)"
    return _spec(
        "Acute:chronic workload ratio",
        f"Line chart of the acute:chronic workload ratio (7-day over 28-day average load), {period}, over "
        f"shaded bands: sweet spot {low:g} to {high:g}, high from {ACWR_HIGH:g}. On {_day(known[-1][0])}: "
        f"{known[-1][1]:.2f}. {ACWR_CAVEAT}",
        {
            "layer": [
                {
                    "data": {"values": [{"zone": z, "from": a, "to": b} for z, (a, b) in zones.items()]},
                    "mark": {"type": "rect", "opacity": 0.8},
                    "encoding": {
                        "y": _q("from", axis),  # every layer titles the shared axis alike, or it shows none
                        "y2": {"field": "to"},
                        "color": _legend("zone", list(zones), [SWEET_SPOT_FILL, HIGH_FILL]),
                    },
                },
                {
                    "data": {"values": line},
                    "mark": {"type": "line", "color": INK, "strokeWidth": 2},
                    "encoding": {
                        "x": _x("date", period),
                        "y": _q("acwr", axis, scale={"domain": [0, top]}),
                        "tooltip": [_n("date"), _q("acwr", "ACWR", format=".2f")],
                    },
                },
            ],
        },
        subtitle="Shaded bands: a disputed heuristic",
    )


def balance_chart(balance: Sequence[WeekBalance], *, target: float, period: Period) -> Spec | None:
    """Posterior ÷ anterior lower-body sets logged per week against the plan's target (SCIENCE.md
    §8), a dashed line. A week without anterior sets has no ratio and no bar; None when none has."""
    rows = [
        {
            **_week(week.week_start),
            "iso_week": week.iso_week,
            "posterior": week.posterior_sets,
            "anterior": week.anterior_sets,
            "ratio": round(week.ratio, 3),
            "status": MEETS if ratio_holds(week.posterior_sets, week.anterior_sets, target) else BELOW,
        }
        for week in balance
        if week.ratio is not None
    ]
    if not rows:
        return None
    met = sum(1 for row in rows if row["status"] == MEETS)
    axis = "posterior ÷ anterior sets"
    tooltip = [_n("iso_week", "week"), _q("posterior", "posterior sets"), _q("anterior", "anterior sets")]
    return _spec(
        "Posterior : anterior balance",
        f"Bar chart of posterior to anterior lower-body sets logged per week, {period}, against the target "
        f"of {target:g}: {met} of {len(rows)} weeks at or above it.",
        {
            "layer": [
                {
                    "data": {"values": rows},
                    "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1.5},
                    "encoding": {
                        **_weeks(period),
                        "y": _q("ratio", axis),
                        "color": _legend("status", [MEETS, BELOW], [INK, ALERT]),
                        "tooltip": [*tooltip, _q("ratio", "ratio", format=".2f")],
                    },
                },
                {
                    "data": {"values": [{"target": target}]},
                    "mark": {"type": "rule", "color": RACE_COLOUR, "strokeWidth": 2, "strokeDash": [4, 2]},
                    "encoding": {"y": _q("target", axis), "tooltip": [_q("target")]},
                },
            ],
        },
        subtitle=f"Dashed line: the target, {target:g}",
    )


def adherence_chart(weeks: Sequence[tuple[date, int, int]], *, period: Period) -> Spec | None:
    """Sessions planned per week, (Monday, planned, done), as light bars with the done ones drawn
    over them; None when no session was planned before today."""
    if not weeks:
        return None
    rows = [{**_week(monday), "planned": planned, "done": done} for monday, planned, done in weeks]
    most = max(planned for _, planned, _ in weeks)
    axis = {"values": list(range(most + 1)), "format": "d"}  # whole sessions only
    colour = {"type": "nominal", "title": None, "scale": {"domain": [PLANNED, DONE], "range": [LIGHT, INK]}}
    return _spec(
        "Sessions planned and done",
        f"Bar chart of strength sessions planned and done per week, {period}: "
        f"{sum(w[2] for w in weeks)} of {sum(w[1] for w in weeks)} planned sessions done.",
        {
            "data": {"values": rows},
            "encoding": {**_weeks(period), "tooltip": [_n("start", "week of"), _q("planned"), _q("done")]},
            "layer": [
                {
                    "mark": {"type": "rect", "stroke": INK, "strokeWidth": 1},
                    "encoding": {
                        "y": _q("planned", "sessions", axis=axis, scale={"domain": [0, most]}),
                        "color": {"datum": PLANNED, **colour},
                    },
                },
                {
                    "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1.5},
                    "encoding": {"y": _q("done", "sessions", axis=axis), "color": {"datum": DONE, **colour}},
                },
            ],
        },
    )
