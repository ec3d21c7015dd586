"""The progress charts: valid Vega-Lite (vl-convert compiles each without a warning), drawn from
the domain's numbers in the profile's units, and a sentence's worth of nothing when empty."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import vl_convert

from ironmile.domain.activity import Activity, Sport
from ironmile.domain.body import smoothed
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.report import LiftTrend, lift_trends, weekly_balance
from ironmile.domain.running_load import ACWR_HIGH, ACWR_SWEET_SPOT
from ironmile.domain.running_report import RunningReport, build_running_report
from ironmile.domain.training import BodyMass, LoggedSession, LoggedSet
from ironmile.domain.units import KG_PER_LB, M_PER_MILE, UnitSystem
from ironmile.render.progress_charts import (
    ATL_LABEL,
    CTL_LABEL,
    LIFT_COLOURS,
    MEETS,
    Period,
    acwr_chart,
    adherence_chart,
    balance_chart,
    body_mass_chart,
    e1rm_chart,
    fitness_chart,
    relative_strength_chart,
    weekly_distance_chart,
)

TODAY = date(2027, 1, 16)  # a Saturday
PERIOD = Period(date(2026, 10, 26), TODAY)  # 12 ISO weeks
NAMES = {"back_squat": "Back squat", "deadlift": "Deadlift"}
SQUAT_DAYS = [date(2026, 12, 8), date(2026, 12, 15), date(2027, 1, 12)]
WEIGH_INS = [BodyMass(date(2026, 12, 1) + timedelta(days=3 * k), 70.0 + 0.1 * k) for k in range(14)]


def lifted(day: date, *sets: tuple[str, float, int]) -> LoggedSession:
    return LoggedSession(
        day, tuple(LoggedSet(exercise, load, reps, None, None) for exercise, load, reps in sets)
    )


def sessions() -> list[LoggedSession]:
    """Back squat 100 kg × 5 rising by 5 kg a session (and front squats, anterior work); deadlifts
    only before the first weigh-in (so they have no relative strength)."""
    squats = [
        lifted(day, ("back_squat", 100.0 + 5 * i, 5), ("front_squat", 60.0, 5), ("front_squat", 60.0, 5))
        for i, day in enumerate(SQUAT_DAYS)
    ]
    return [lifted(date(2026, 11, 24), ("deadlift", 120.0, 3)), *squats]


def trends() -> tuple[LiftTrend, ...]:
    return lift_trends(sessions(), WEIGH_INS, lift_ids=["back_squat", "deadlift"])


def running(units: UnitSystem = UnitSystem.METRIC) -> RunningReport:
    """Runs on Tuesdays, Thursdays and Sundays from 2 Nov: 10 km, 10 km and 16 km, 5:30 per km."""
    runs = [
        Activity(
            start=datetime.combine(day, time(7), UTC),
            sport=Sport.RUNNING,
            source=f"{day}.fit",
            fingerprint=f"{day:%Y%m%d}".ljust(32, "0"),
            distance_m=distance,
            moving_s=distance * 0.33,
        )
        for offset in range(75)
        if (day := date(2026, 11, 2) + timedelta(days=offset)).weekday() in (1, 3, 6) and day <= TODAY
        for distance in [16_000.0 if day.weekday() == 6 else 10_000.0]
    ]
    return build_running_report(runs, today=TODAY, weeks=12, hr=None, units=units)


def compiles(spec: dict[str, Any] | None, capfd: pytest.CaptureFixture[str]) -> str:
    """The spec as SVG; vl-convert prints Vega-Lite's warnings, and there must be none."""
    assert spec is not None
    svg = vl_convert.vegalite_to_svg(spec, show_warnings=True)
    out, err = capfd.readouterr()
    assert "WARN" not in out + err, out + err
    assert svg.startswith("<svg")
    return svg


def values(spec: dict[str, Any], layer: int | None = None) -> list[dict[str, Any]]:
    part = spec if layer is None else spec["layer"][layer]
    rows: list[dict[str, Any]] = part["data"]["values"]
    return rows


def all_charts(catalogue: Catalogue) -> dict[str, dict[str, Any] | None]:
    report = running()
    balance = weekly_balance(sessions(), catalogue)
    return {
        "e1rm": e1rm_chart(trends(), NAMES, units=UnitSystem.METRIC, period=PERIOD),
        "relative": relative_strength_chart(trends(), NAMES, period=PERIOD),
        "body_mass": body_mass_chart(WEIGH_INS, smoothed(WEIGH_INS), units=UnitSystem.METRIC, period=PERIOD),
        "distance": weekly_distance_chart(report.weeks, units=UnitSystem.METRIC, period=PERIOD),
        "fitness": fitness_chart(report.days, period=PERIOD),
        "acwr": acwr_chart(report.days, period=PERIOD),
        "balance": balance_chart(balance, target=1.5, period=PERIOD),
        "adherence": adherence_chart([(date(2026, 12, 7), 2, 2), (date(2026, 12, 14), 2, 1)], period=PERIOD),
    }


@pytest.mark.parametrize(
    ("name", "axis_title"),
    [
        ("e1rm", "e1RM (kg)"),
        ("relative", "e1RM ÷ body mass"),
        ("body_mass", "body mass (kg)"),
        ("distance", "distance (km)"),
        ("fitness", "load (AU per day)"),
        ("acwr", "ACWR (acute ÷ chronic)"),
        ("balance", "posterior ÷ anterior sets"),
        ("adherence", "sessions"),
    ],
)
def test_every_chart_compiles_fits_its_container_and_says_what_it_shows(
    name: str, axis_title: str, catalogue: Catalogue, capfd: pytest.CaptureFixture[str]
) -> None:
    spec = all_charts(catalogue)[name]
    svg = compiles(spec, capfd)
    assert spec is not None
    assert spec["width"] == "container"  # as wide as the page: readable at 360 px
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["title"]["text"]
    assert f">{axis_title}</text>" in svg
    assert "26 Oct 2026 to 16 Jan 2027" in spec["description"]
    json.dumps(spec, allow_nan=False)  # plain JSON, as the page embeds it


def test_charts_are_deterministic(catalogue: Catalogue) -> None:
    assert json.dumps(all_charts(catalogue), sort_keys=True) == json.dumps(
        all_charts(catalogue), sort_keys=True
    )


def test_e1rm_points_are_the_epley_estimates_in_kg_or_lb() -> None:
    # SCIENCE.md §5 oracle: 100 kg × 5 → Epley 116.67; 120 kg × 3 → 132.
    spec = e1rm_chart(trends(), NAMES, units=UnitSystem.METRIC, period=PERIOD)
    assert spec is not None
    rows = values(spec)
    assert [(row["lift"], row["date"], row["e1rm"]) for row in rows] == [
        ("Back squat", "2026-12-08", 116.67),
        ("Back squat", "2026-12-15", 122.5),
        ("Back squat", "2027-01-12", 128.33),
        ("Deadlift", "2026-11-24", 132.0),
    ]
    assert "Latest e1RM (kg): Back squat 128.3, Deadlift 132.0." in spec["description"]
    imperial = e1rm_chart(trends(), NAMES, units=UnitSystem.IMPERIAL, period=PERIOD)
    assert imperial is not None
    assert values(imperial)[0]["e1rm"] == round(116.6667 / KG_PER_LB, 2)
    assert imperial["encoding"]["y"]["title"] == "e1RM (lb)"


def test_relative_strength_divides_by_the_smoothed_body_mass_and_keeps_each_lift_colour() -> None:
    trend = dict(smoothed(WEIGH_INS))
    spec = relative_strength_chart(trends(), NAMES, period=PERIOD)
    assert spec is not None
    rows = values(spec)
    # The deadlift was lifted before the first weigh-in: no relative strength, no line.
    assert {row["lift"] for row in rows} == {"Back squat"}
    first = rows[0]
    assert first["relative"] == round(116.6667 / trend[date(2026, 12, 7)], 3)  # last weigh-in before 8 Dec
    # The back squat keeps its colour from the e1RM chart, where it is the first of two lifts.
    assert spec["encoding"]["color"]["scale"] == {"domain": ["Back squat"], "range": [LIFT_COLOURS[0]]}
    deadlift_only = relative_strength_chart(trends()[1:], NAMES, period=PERIOD)
    assert deadlift_only is None


def test_relative_strength_ticks_keep_two_decimals(capfd: pytest.CaptureFixture[str]) -> None:
    """Ratios such as 0.20 or 1.70 read as themselves, not rounded to "0" or "2"."""
    spec = relative_strength_chart(trends(), NAMES, period=PERIOD)
    assert spec is not None
    assert spec["encoding"]["y"]["axis"] == {"format": ".2f"}
    numbers = re.findall(r">(\d+(?:\.\d+)?)</text>", compiles({**spec, "width": 290}, capfd))
    assert len(numbers) >= 3
    assert all(re.fullmatch(r"\d+\.\d\d", number) for number in numbers), numbers
    e1rm = e1rm_chart(trends(), NAMES, units=UnitSystem.METRIC, period=PERIOD)
    assert e1rm is not None
    assert "axis" not in e1rm["encoding"]["y"]  # kilograms keep Vega-Lite's own round ticks


def test_chart_text_is_at_least_12_px_for_a_phone(catalogue: Catalogue) -> None:
    for name, spec in all_charts(catalogue).items():
        assert spec is not None
        config = spec["config"]
        sizes = [
            config["axis"]["labelFontSize"],
            config["axis"]["titleFontSize"],
            config["legend"]["labelFontSize"],
        ]
        assert min(sizes) >= 12, name
        assert spec["title"].get("subtitleFontSize", 12) >= 12, name


def test_body_mass_shows_weigh_ins_and_the_seven_day_average_in_the_profile_units() -> None:
    spec = body_mass_chart(WEIGH_INS, smoothed(WEIGH_INS), units=UnitSystem.IMPERIAL, period=PERIOD)
    assert spec is not None
    points, line = values(spec, 0), values(spec, 1)
    assert len(points) == len(line) == len(WEIGH_INS)
    assert points[0] == {"date": "2026-12-01", "series": "weigh-in", "mass": round(70.0 / KG_PER_LB, 2)}
    last_mean = (70.0 + 0.1 * 12 + 70.0 + 0.1 * 13 + 70.0 + 0.1 * 11) / 3  # 3-day steps: 3 weigh-ins a week
    assert line[-1]["mass"] == round(last_mean / KG_PER_LB, 2)
    assert spec["encoding"]["y"]["title"] == "body mass (lb)"


def test_weekly_distance_is_one_bar_a_week_in_km_or_miles() -> None:
    report = running()
    spec = weekly_distance_chart(report.weeks, units=UnitSystem.METRIC, period=PERIOD)
    assert spec is not None
    rows = values(spec)
    assert [row["start"] for row in rows][:2] == ["2026-10-26", "2026-11-02"]
    assert [row["distance"] for row in rows] == [0.0] + [36.0] * 10 + [20.0]  # the last week so far
    # The time axis runs over whole ISO weeks, so the current week's bar ends inside the plot.
    assert spec["encoding"]["x"]["scale"] == {
        "type": "utc",
        "domainMin": "2026-10-26",
        "domainMax": "2027-01-18",
    }
    assert rows[-1]["end"] == "2027-01-18"
    miles = weekly_distance_chart(report.weeks, units=UnitSystem.IMPERIAL, period=PERIOD)
    assert miles is not None
    assert values(miles)[1]["distance"] == round(36_000 / M_PER_MILE, 2)


def test_fitness_and_acwr_carry_the_domain_series_and_its_bands() -> None:
    report = running()
    fitness = fitness_chart(report.days, period=PERIOD)
    assert fitness is not None
    by_measure = {
        label: [row["load"] for row in values(fitness) if row["measure"] == label]
        for label in (CTL_LABEL, ATL_LABEL)
    }
    assert by_measure[CTL_LABEL] == [round(day.fitness.ctl, 2) for day in report.days]
    assert by_measure[ATL_LABEL] == [round(day.fitness.atl, 2) for day in report.days]
    acwr = acwr_chart(report.days, period=PERIOD)
    assert acwr is not None
    bands, line = values(acwr, 0), values(acwr, 1)
    # The shaded bands are the domain's thresholds (SCIENCE.md §6, Gabbett 2016), not new numbers.
    assert (bands[0]["from"], bands[0]["to"]) == ACWR_SWEET_SPOT
    assert bands[1]["from"] == ACWR_HIGH
    assert bands[1]["to"] >= max(row["acwr"] for row in line)
    ratios = [
        (day.day.isoformat(), round(day.acwr.ratio, 3)) for day in report.days if day.acwr.ratio is not None
    ]
    assert [(row["date"], row["acwr"]) for row in line] == ratios
    assert "disputed" in acwr["description"]


def test_balance_bars_are_the_weekly_ratio_against_the_target(catalogue: Catalogue) -> None:
    balance = weekly_balance(sessions(), catalogue)
    spec = balance_chart(balance, target=1.5, period=PERIOD)
    assert spec is not None
    rows = values(spec, 0)
    # Each squat week: 1 back-squat set (posterior) to 2 front-squat sets (anterior); the deadlift
    # week has no anterior set, so no ratio and no bar.
    assert [(row["iso_week"], row["posterior"], row["anterior"], row["ratio"]) for row in rows] == [
        ("2026-W50", 1, 2, 0.5),
        ("2026-W51", 1, 2, 0.5),
        ("2027-W02", 1, 2, 0.5),
    ]
    assert all(row["status"] != MEETS for row in rows)
    assert values(spec, 1) == [{"target": 1.5}]
    met = balance_chart(balance, target=0.5, period=PERIOD)
    assert met is not None
    assert all(row["status"] == MEETS for row in values(met, 0))


def test_adherence_bars_count_planned_and_done_sessions() -> None:
    spec = adherence_chart([(date(2026, 12, 7), 2, 2), (date(2026, 12, 14), 3, 1)], period=PERIOD)
    assert spec is not None
    assert values(spec) == [
        {"start": "2026-12-07", "end": "2026-12-14", "planned": 2, "done": 2},
        {"start": "2026-12-14", "end": "2026-12-21", "planned": 3, "done": 1},
    ]
    assert "3 of 5 planned sessions done" in spec["description"]


def test_nothing_to_draw_gives_no_chart() -> None:
    nothing = build_running_report([], today=TODAY, weeks=12, hr=None, units=UnitSystem.METRIC)
    empty_lifts = lift_trends([], [], lift_ids=["back_squat"])
    assert e1rm_chart(empty_lifts, NAMES, units=UnitSystem.METRIC, period=PERIOD) is None
    assert relative_strength_chart(empty_lifts, NAMES, period=PERIOD) is None
    assert body_mass_chart([], [], units=UnitSystem.METRIC, period=PERIOD) is None
    assert weekly_distance_chart(nothing.weeks, units=UnitSystem.METRIC, period=PERIOD) is None
    assert fitness_chart(nothing.days, period=PERIOD) is None
    assert acwr_chart(nothing.days, period=PERIOD) is None
    assert balance_chart([], target=1.5, period=PERIOD) is None
    assert adherence_chart([], period=PERIOD) is None
