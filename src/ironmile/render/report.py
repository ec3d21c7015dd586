"""The review for people (text) and programs (JSON): strength, body mass, balance, adherence."""

from __future__ import annotations

import json
from typing import Any

from ironmile.domain.report import Report


def report_document(report: Report) -> dict[str, Any]:
    return {
        "start": report.start.isoformat() if report.start else None,
        "end": report.end.isoformat(),
        "lifts": [
            {
                "id": lift.exercise_id,
                "change_pct": lift.change_pct,
                "points": [
                    {
                        "date": p.date.isoformat(),
                        "e1rm_kg": round(p.e1rm_kg, 2),
                        "relative_strength": None
                        if p.relative_strength is None
                        else round(p.relative_strength, 3),
                    }
                    for p in lift.points
                ],
            }
            for lift in report.lifts
        ],
        "balance": [
            {
                "week": b.iso_week,
                "posterior_sets": b.posterior_sets,
                "anterior_sets": b.anterior_sets,
                "ratio": b.ratio,
            }
            for b in report.balance
        ],
        "adherence": {
            "planned": report.adherence.planned,
            "done": report.adherence.done,
            "share": report.adherence.share,
            "missed": [day.isoformat() for day in report.adherence.missed],
        },
        "strength_change_pct": report.strength_change_pct,
        "body_mass_change_pct": report.body_mass_change_pct,
        "body_mass_trend_kg": [
            {"date": day.isoformat(), "kg": round(kg, 2)} for day, kg in report.body_mass_trend
        ],
        "summary": report.summary,
    }


def report_json(report: Report) -> str:
    return json.dumps(report_document(report), indent=2, ensure_ascii=False) + "\n"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}%"


def report_text(report: Report) -> str:
    lines = [f"ironmile report · up to {report.end}"]
    if report.summary:
        lines.append(report.summary)
    lines.append("")
    lines.append("strength (e1RM, best set per session; relative = e1RM ÷ body mass)")
    if not any(lift.points for lift in report.lifts):
        lines.append("  no main-lift sets logged yet")
    for lift in report.lifts:
        if not lift.points:
            continue
        last = lift.points[-1]
        relative = f" · {last.relative_strength:.2f}× body mass" if last.relative_strength else ""
        lines.append(
            f"  {lift.exercise_id:<28} {last.e1rm_kg:6.1f} kg{relative} · change {_pct(lift.change_pct)}"
        )
    latest = f" (7-day trend now {report.body_mass_trend[-1][1]:.1f} kg)" if report.body_mass_trend else ""
    lines.append(f"body mass change: {_pct(report.body_mass_change_pct)}{latest}")
    adherence = report.adherence
    share = "–" if adherence.share is None else f"{adherence.share:.0%}"
    lines.append(f"adherence: {adherence.done} of {adherence.planned} planned sessions ({share})")
    for week in report.balance[-4:]:
        ratio = "–" if week.ratio is None else f"{week.ratio:.1f}"
        sets = f"posterior {week.posterior_sets} sets, anterior {week.anterior_sets}"
        lines.append(f"  {week.iso_week}: {sets} (ratio {ratio})")
    return "\n".join(lines) + "\n"
