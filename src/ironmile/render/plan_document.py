"""The personal plan as the plain data the Typst template (data/typst/plan.typ) lays out.

Everything is already text here (dates, doses, loads with their units), so the template only
places it; the tests read the same strings back from the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ironmile.domain.plan import Plan, PlannedExercise, PlanWeek, Session
from ironmile.domain.units import UnitSystem
from ironmile.render.charts import PhaseBlock, phase_blocks
from ironmile.render.plan_text import load_text, rest_text

LEGS_KIND = "Legs + upper body"
UPPER_KIND = "Upper body & core"


def day_text(day: date, *, year: bool = False) -> str:
    """'8 Dec' or '8 Dec 2026': no leading zero, English month abbreviations."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


def span_text(first: date, last: date) -> str:
    """'7–13 Dec 2026', '28 Dec 2026 – 3 Jan 2027', '7 Dec – 2 Jan 2027'."""
    if first.year != last.year:
        return f"{day_text(first, year=True)} – {day_text(last, year=True)}"
    if first.month != last.month:
        return f"{day_text(first)} – {day_text(last, year=True)}"
    return f"{first.day}–{day_text(last, year=True)}"


def dose_cell(item: PlannedExercise) -> str:
    amount = f"{item.seconds} s" if item.seconds is not None else f"{item.reps}"
    side = "/side" if item.exercise.unilateral else ""
    return f"{item.sets} × {amount}{side}"


def load_cell(item: PlannedExercise, units: UnitSystem) -> str:
    """The load without the unit (the column header carries it), with what it is counted on."""
    text = load_text(item, units)
    return text.replace(f" {units.mass_label}", "", 1) if item.load is not None else text


def _session(session: Session, units: UnitSystem) -> dict[str, Any]:
    return {
        "day": f"{session.date:%a}",
        "date": day_text(session.date),
        "minutes": f"~{session.minutes} min",
        "kind": LEGS_KIND if session.heavy_lower else UPPER_KIND,
        "why": session.why,
        "rows": [
            {
                "name": item.exercise.name,
                "note": item.note,
                "dose": dose_cell(item),
                "rir": "–" if item.rir is None else str(item.rir),
                "load": load_cell(item, units),
                "rest": rest_text(item.rest_seconds),
                "sets": item.sets,
            }
            for item in session.exercises
        ],
    }


def _runs(week: PlanWeek) -> str:
    if not week.runs:
        return "none planned"
    return " · ".join(f"{run.date:%a} {run.race or run.kind}" for run in week.runs)


def _week(week: PlanWeek, block_focus: str, units: UnitSystem) -> dict[str, Any]:
    frame = week.frame
    return {
        "title": f"Week {frame.index}",
        "dates": span_text(frame.start_date, frame.end_date),
        "deload": frame.deload,
        "runs": _runs(week),
        "note": None if frame.focus == block_focus else frame.focus,
        "empty": f"No strength session this week. {frame.focus}",
        "sessions": [_session(session, units) for session in week.sessions],
    }


def _sessions_per_week(weeks: Sequence[PlanWeek]) -> str:
    counts = sorted({len(week.sessions) for week in weeks})
    if counts == [0]:
        return "none"
    span = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    return f"{span} a week"


def _block(block: PhaseBlock, number: int, count: int, plan: Plan) -> dict[str, Any]:
    weeks = [week for week in plan.weeks if block.first_week <= week.frame.index <= block.last_week]
    steady = [week for week in weeks if not week.frame.deload] or weeks
    focus = steady[0].frame.focus
    label = f"Week {block.first_week}"
    if block.last_week != block.first_week:
        label = f"Weeks {block.first_week}–{block.last_week}"
    return {
        "name": block.phase.value.capitalize(),
        "number": number,
        "count": count,
        "weeks": label,
        "dates": span_text(block.start, block.end - timedelta(days=1)),
        "focus": focus,
        "sessions": _sessions_per_week(weeks),
        "week_list": [_week(week, focus, plan.units) for week in weeks],
    }


def how_to_read(units: UnitSystem) -> list[str]:
    mass = units.mass_label
    return [
        "3 × 5 means 3 sets of 5 reps; /side means each side; 30 s means a 30-second hold.",
        "RIR (reps in reserve): stop each set with that many good reps still in you. Never to failure.",
        f"Loads are in {mass} for the whole bar, or per dumbbell where it says so; bodyweight means no "
        "added load. Rest is minutes:seconds between sets.",
        "Log every set in its box as load × reps @ RIR (for example 60×5@2); grey boxes are sets "
        "you do not do.",
        "When every set reaches its reps with at least one more rep in reserve than shown, add the "
        "smallest step next time (about 2.5–5% for legs, 1.25–2.5% for upper body); if that step would "
        "be more than 10% heavier (often so with dumbbells), keep the load and add a rep to each set "
        "instead. On target: keep the load. Missed reps two sessions in a row: take 5–10% off.",
        "Pain up to 5/10 during a session is acceptable if it settles by the next morning; if not, "
        "make the exercise that hurts 10–20% lighter or use an easier form.",
    ]


def notes_pointers(warnings: int) -> dict[str, str]:
    """What the cover says when its notes, or its notes and the guide to the tables, do not fit on
    it and move to a "Notes" page (page 2)."""
    if warnings == 1:
        notes, them = "A note about your plan is", "it"
    else:
        notes, them = f"{warnings} notes about your plan are", "them"
    return {
        "notes_pointer": f"{notes} on page 2: read {them} before you start.",
        "notes_and_guide_pointer": (
            f"{notes} on page 2, with how to use this plan: read {them} before you start."
            if warnings
            else "How to use this plan is on page 2: read it before you start."
        ),
    }


def plan_document(
    plan: Plan, *, title: str, safety: Sequence[str], footer: str, layout: dict[str, Any]
) -> dict[str, Any]:
    """The JSON-ready document for plan.typ."""
    units = plan.units
    blocks = phase_blocks(plan)
    sections = [_block(block, number, len(blocks), plan) for number, block in enumerate(blocks, start=1)]
    sessions = sum(len(week.sessions) for week in plan.weeks)
    races = [
        {"name": run.race or "Race", "date": f"{run.date:%a} {day_text(run.date, year=True)}"}
        for week in plan.weeks
        for run in week.runs
        if run.kind == "race"
    ]
    return {
        "title": title,
        "subtitle": (
            f"{span_text(plan.start_date, plan.end_date)} · {len(plan.weeks)} weeks · "
            f"{sessions} strength sessions · {units.value} ({units.mass_label}, {units.distance_label})"
        ),
        "chart_caption": (
            "Coloured bands: the training phase of each week. Bars: strength sessions per week, dark "
            "with heavy leg work, light for upper body and core only. D and a dashed outline: a deload "
            "week. Dashed red lines: races."
        ),
        "footer": footer,
        "layout": layout,
        "warnings": list(plan.warnings),
        **notes_pointers(len(plan.warnings)),
        "how_to_read": how_to_read(units),
        "safety": list(safety),
        "phases": [
            {
                "name": section["name"],
                "weeks": section["weeks"],
                "dates": section["dates"],
                "sessions": section["sessions"],
            }
            for section in sections
        ],
        "races": races,
        "log_sets": max(
            (item.sets for week in plan.weeks for s in week.sessions for item in s.exercises), default=3
        ),
        "log_hint": "Write each set as load × reps @ RIR in its box.",
        "mass_label": units.mass_label,
        "blocks": sections,
    }
