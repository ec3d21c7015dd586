"""`ironmile running` and `ironmile profile suggest` as terminal text and JSON documents.

Distances are metres inside; they are shown in the athlete's units (km or mi) here and only here.
JSON keeps SI (metres, seconds) with units in the key names, like the rest of ironmile's JSON.
"""

from __future__ import annotations

from typing import Any

from ironmile.domain.athlete import DAY_NAMES, DAY_TITLES, RunningWeek
from ironmile.domain.running_habits import InferredWeek
from ironmile.domain.running_load import ACWR_CAVEAT
from ironmile.domain.running_report import RunningReport
from ironmile.domain.running_weeks import Flag
from ironmile.domain.units import M_PER_KM, M_PER_MILE, UnitSystem


def distance_text(metres: float, units: UnitSystem) -> str:
    per = M_PER_KM if units is UnitSystem.METRIC else M_PER_MILE
    return f"{metres / per:.1f} {units.distance_label}"


def duration_text(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def _flag_document(flag: Flag) -> dict[str, Any]:
    return {
        "kind": flag.kind.value,
        "date": flag.day.isoformat(),
        "distance_m": round(flag.distance_m, 1),
        "reference_m": round(flag.reference_m, 1),
        "increase": round(flag.increase, 4),
        "category": flag.category.value if flag.category else None,
        "hazard_ratio": flag.hazard_ratio,
        "message": flag.message,
        "source": flag.source,
    }


def running_document(report: RunningReport) -> dict[str, Any]:
    hr = report.heart_rate
    return {
        "as_of": report.as_of.isoformat(),
        "units": report.units.value,
        "heart_rate": None
        if hr is None
        else {
            "resting_bpm": hr.resting_bpm,
            "max_bpm": hr.max_bpm,
            "sex": hr.sex.value if hr.sex else None,
            "estimated": hr.estimated,
        },
        "load_methods": {method.value: count for method, count in report.methods},
        "other_activities": report.other_activities,
        "acwr_note": ACWR_CAVEAT,
        "weeks": [
            {
                "start_date": week.week_start.isoformat(),
                "distance_m": round(week.distance_m, 1),
                "duration_s": round(week.duration_s, 1),
                "runs": week.runs,
                "long_run_m": round(week.long_run_m, 1),
                "flags": [_flag_document(flag) for flag in week.flags],
            }
            for week in report.weeks
        ],
        "days": [
            {
                "date": day.day.isoformat(),
                "load": round(day.load, 2),
                "runs": day.runs,
                "acute": round(day.acwr.acute, 2),
                "chronic": round(day.acwr.chronic, 2),
                "acwr": None if day.acwr.ratio is None else round(day.acwr.ratio, 3),
                "acwr_band": day.acwr.band.value if day.acwr.band else None,
                "ctl": round(day.fitness.ctl, 2),
                "atl": round(day.fitness.atl, 2),
                "tsb": round(day.fitness.tsb, 2),
            }
            for day in report.days
        ],
    }


def print_running(report: RunningReport, console: Any) -> None:
    """The report on a Rich console: a table of weeks, flags in words, today's load."""
    from rich.table import Table

    units = report.units
    table = Table(
        title=f"Running, {len(report.weeks)} weeks to {report.as_of:%a %d %b %Y}", title_justify="left"
    )
    for column in ("week of", "distance", "time", "runs", "long run", "flags"):
        table.add_column(
            column, justify="right" if column in ("distance", "time", "runs", "long run") else "left"
        )
    for week in report.weeks:
        table.add_row(
            f"{week.week_start:%d %b %Y}",
            distance_text(week.distance_m, units),
            duration_text(week.duration_s),
            str(week.runs),
            distance_text(week.long_run_m, units) if week.runs else "–",
            ", ".join(flag.kind.value for flag in week.flags),
        )
    console.print(table)
    flags = [flag for week in report.weeks for flag in week.flags]
    for flag in flags:
        console.print(f"! {flag.day:%a %d %b}: {flag.message} ({flag.source})", highlight=False)
    if not report.days:
        return
    today = report.days[-1]
    ratio = today.acwr.ratio
    acwr = "not yet (needs 28 days of running)" if ratio is None else f"{ratio:.2f} ({today.acwr.band})"
    console.print(
        f"Today: load {today.load:.0f}; ACWR {acwr}; fitness (CTL) {today.fitness.ctl:.0f}, "
        f"fatigue (ATL) {today.fitness.atl:.0f}, form (TSB) {today.fitness.tsb:+.0f}",
        highlight=False,
    )
    console.print(ACWR_CAVEAT, style="dim", highlight=False)
    if report.methods:
        measured = ", ".join(f"{count} by {method.value}" for method, count in report.methods)
        console.print(f"Load measured: {measured}.", style="dim", highlight=False)
    if report.other_activities:
        console.print(
            f"{report.other_activities} other activities in these weeks (rides, swims, gym, or files that "
            "name no sport) are kept but not counted as running.",
            style="dim",
            highlight=False,
        )
    if report.heart_rate is not None and report.heart_rate.estimated:
        console.print(
            f"Heart rate: max {report.heart_rate.max_bpm:.0f}, rest {report.heart_rate.resting_bpm:.0f}, "
            "partly estimated (max from your runs, rest 60 when not set); set resting_heart_rate and "
            "max_heart_rate in your profile for truer loads.",
            style="dim",
            highlight=False,
        )


def _days(days: frozenset[int]) -> list[str]:
    return [DAY_NAMES[day] for day in sorted(days)]


def running_week_document(running: RunningWeek, units: UnitSystem) -> dict[str, Any]:
    per = M_PER_KM if units is UnitSystem.METRIC else M_PER_MILE
    return {
        "run_days": _days(running.run_days),
        "key_days": _days(running.key_days),
        "long_run_day": None if running.long_run_day is None else DAY_NAMES[running.long_run_day],
        "weekly_distance": round(running.weekly_distance_m / per, 1),
        "weekly_distance_m": round(running.weekly_distance_m, 1),
    }


def suggestion_document(inferred: InferredWeek, units: UnitSystem) -> dict[str, Any]:
    return {
        "units": units.value,
        "weeks_seen": inferred.weeks_seen,
        "running": running_week_document(inferred.running, units),
        "reasons": list(inferred.reasons),
    }


def suggestion_toml(inferred: InferredWeek, units: UnitSystem) -> str:
    """A `[running]` table to paste into the profile, each choice explained in a comment."""
    week = running_week_document(inferred.running, units)
    lines = ["# From your imported runs:"]
    lines += [f"# - {reason}" for reason in inferred.reasons]
    lines.append("[running]")
    lines.append(f"weekly_distance = {week['weekly_distance']:g}  # {units.distance_label}")
    lines.append("run_days = [" + ", ".join(f'"{day}"' for day in week["run_days"]) + "]")
    lines.append("key_days = [" + ", ".join(f'"{day}"' for day in week["key_days"]) + "]")
    if week["long_run_day"] is not None:
        lines.append(f'long_run_day = "{week["long_run_day"]}"')
    return "\n".join(lines) + "\n"


def running_week_words(running: RunningWeek) -> str:
    """ "runs Tuesday, Thursday, Saturday, Sunday; key Tuesday, Thursday; long run Sunday"."""
    parts = ["runs " + ", ".join(DAY_TITLES[day] for day in sorted(running.run_days))]
    if running.key_days:
        parts.append("key " + ", ".join(DAY_TITLES[day] for day in sorted(running.key_days)))
    if running.long_run_day is not None:
        parts.append(f"long run {DAY_TITLES[running.long_run_day]}")
    return "; ".join(parts)
