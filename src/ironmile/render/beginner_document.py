"""The beginner programme as the plain data the Typst template (data/typst/beginner.typ) lays out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ironmile.domain.beginner import (
    SLOTS,
    BeginnerExercise,
    BeginnerProgramme,
    BeginnerSession,
    BeginnerWeek,
    Kind,
    Variant,
)
from ironmile.domain.beginner_text import EXTRA_REPS, effort_heading
from ironmile.domain.catalogue import Exercise
from ironmile.domain.prescription import BODYWEIGHT_MIN_REPS, Dose
from ironmile.render.plan_text import rest_text
from ironmile.render.why_strength import (
    PLACEMENT_REASON,
    PLACEMENT_SOURCES,
    SECTIONS,
    SOURCES,
    source_number,
)

LOG_SETS = 3  # the programme never prescribes more than 3 sets
# How a log sheet names a fallback form whose dose differs, by variant and fallback label.
FALLBACK_NAMES: dict[tuple[Variant, str | None], str] = {
    (Variant.GYM, "Easier"): "easier gym form",
    (Variant.HOME, "Easier"): "easier home form",
    (Variant.HOME, "No dumbbell"): "without dumbbells",
}


def dose_words(exercise: Exercise, dose: Dose) -> str:
    """'3 × 8', '3 × 8/side' or '2 × 30 s'."""
    amount = f"{dose.seconds} s" if dose.seconds is not None else f"{dose.reps}"
    side = "/side" if exercise.unilateral else ""
    return f"{dose.sets} × {amount}{side}"


def dose_text(item: BeginnerExercise) -> str:
    return dose_words(item.exercise, item.dose)


def alternative_dose_text(item: BeginnerExercise) -> str | None:
    """The fallback's dose when it has one of its own (more reps without added load), else None.
    A one-sided fallback of a two-sided exercise is not a dose of its own: reps are per side."""
    own = item.alternative_dose
    if item.alternative is None or own is None:
        return None
    if (own.sets, own.reps, own.seconds) == (item.sets, item.reps, item.seconds):
        return None
    return dose_words(item.alternative, own)


def target_text(item: BeginnerExercise) -> str:
    effort = f" · RIR {item.rir}" if item.rir is not None else ""
    return f"{dose_text(item)}{effort} · rest {rest_text(item.rest_seconds)}"


def _kind_labels() -> dict[Kind, str]:
    labels: dict[Kind, list[str]] = {}
    for slot in SLOTS:
        entry = f"{slot.movement} ({slot.session})"
        if entry not in labels.setdefault(slot.kind, []):
            labels[slot.kind].append(entry)
    return {kind: ", ".join(labels[kind]) for kind in Kind if kind in labels}


def _glance(programme: BeginnerProgramme) -> dict[str, Any]:
    """Sets × reps and RIR for every kind of exercise in every week (gym forms; see the note)."""
    labels = _kind_labels()
    rows = []
    for kind, label in labels.items():
        cells = []
        for week in programme.weeks:
            item = next(
                exercise
                for session in week.sessions
                for exercise in session.variant(Variant.GYM).exercises
                if exercise.kind is kind
            )
            effort = f"RIR {item.rir}" if item.rir is not None else "hold"
            amount = f"{item.seconds} s" if item.seconds is not None else f"{item.reps}"
            cells.append({"dose": f"{item.sets}×{amount}", "effort": effort})
        rows.append({"label": label, "cells": cells})
    return {
        "weeks": [{"number": week.index, "deload": week.deload} for week in programme.weeks],
        "rows": rows,
        "note": (
            f"Reps are per side for one-sided exercises, and the least to do: add up to {EXTRA_REPS} "
            "before moving up a weight. Exercises without added load (push-ups, door rows, the "
            f"no-dumbbell forms) use at least {BODYWEIGHT_MIN_REPS} reps. Shaded weeks are deloads."
        ),
    }


def _exercise_card(weeks: Sequence[BeginnerExercise]) -> dict[str, Any]:
    """One exercise of a session page; `weeks` is the same slot in every week of the programme.
    A fallback with its own dose names its reps: the page shows no other dose."""
    item = weeks[0]
    alternative = None
    if item.alternative is not None:
        alternative = f"{item.alternative_label}: {item.alternative.name}"
        if any(alternative_dose_text(week) is not None for week in weeks):
            doses = [week.alternative_dose for week in weeks if week.alternative_dose is not None]
            reps = sorted({dose.reps for dose in doses if dose.reps is not None})
            span = str(reps[0]) if reps[0] == reps[-1] else f"{reps[0]}–{reps[-1]}"
            side = "/side" if item.alternative.unilateral else ""
            alternative += f", {span} reps{side} a set"
    return {"name": item.exercise.name, "cue": item.cue, "alternative": alternative}


def _session_page(session: BeginnerSession, programme: BeginnerProgramme) -> dict[str, Any]:
    same = [next(other for other in week.sessions if other.key == session.key) for week in programme.weeks]
    longest = max(variant.minutes for other in same for variant in other.variants)

    def slot_weeks(variant: Variant, position: int) -> list[BeginnerExercise]:
        return [other.variant(variant).exercises[position] for other in same]

    home = session.variant(Variant.HOME)
    return {
        "key": session.key,
        "title": session.title,
        "minutes": f"Up to {longest} minutes with the warm-up.",
        "variants": [Variant.HOME.label, Variant.GYM.label],
        "slots": [
            {
                "movement": item.movement,
                "home": _exercise_card(slot_weeks(Variant.HOME, position)),
                "gym": _exercise_card(slot_weeks(Variant.GYM, position)),
            }
            for position, item in enumerate(home.exercises)
        ],
    }


def _log_session(session: BeginnerSession) -> dict[str, Any]:
    """Each row: the gym target, then the doses that differ from it (the home form, the fallbacks)."""
    home, gym = session.variant(Variant.HOME), session.variant(Variant.GYM)
    rows = []
    for at_home, at_gym in zip(home.exercises, gym.exercises, strict=True):
        others = []
        if dose_text(at_home) != dose_text(at_gym):
            others.append(f"home {dose_text(at_home)}")
        for variant, item in ((Variant.GYM, at_gym), (Variant.HOME, at_home)):
            text = alternative_dose_text(item)
            if text is not None:
                others.append(f"{FALLBACK_NAMES[variant, item.alternative_label]} {text}")
        rows.append(
            {
                "movement": at_gym.movement,
                "gym": at_gym.exercise.name,
                "home": at_home.exercise.name,
                "target": target_text(at_gym),
                "others": " · ".join(others) if others else None,
                "sets": max(at_home.sets, at_gym.sets),
            }
        )
    return {"key": session.key, "title": session.title, "rows": rows}


def _log_week(week: BeginnerWeek) -> dict[str, Any]:
    return {
        "number": week.index,
        "stage": "Deload" if week.deload else week.stage.value.capitalize(),
        "deload": week.deload,
        "focus": week.focus,
        "sessions": [_log_session(session) for session in week.sessions],
    }


def beginner_document(programme: BeginnerProgramme, *, footer: str, layout: dict[str, Any]) -> dict[str, Any]:
    """The JSON-ready document for beginner.typ."""
    units = programme.units
    weeks = len(programme.weeks)
    typical = programme.weeks[1] if weeks > 1 else programme.weeks[0]
    return {
        "title": f"Strength for runners: a free {weeks}-week beginner programme",
        "subtitle": (
            f"Two sessions a week · at home with dumbbells or bodyweight, or in a gym · "
            f"{units.value} ({units.mass_label}, {units.distance_label})"
        ),
        "footer": footer,
        "layout": layout,
        "intro": (
            f"{weeks} weeks, two sessions a week, about 40 minutes each: the strength work that makes "
            "runners faster and harder to injure, without adding bulk. Every session comes in two "
            "versions with the same movements: dumbbell or bodyweight (at home) and gym (barbell and "
            "machines). Loads are set by effort, not by numbers, so you need no testing to start."
        ),
        "how_to": [
            "Pick the home or the gym version of each session; you can switch from week to week.",
            "Do session A and session B once each a week, in that order, with at least 48 hours between.",
            programme.warm_up,
            "Do the exercises in the order shown, resting as shown between sets.",
            "Write every set on that week's log sheet: the load, the reps, and the reps you had left.",
        ],
        "effort_heading": effort_heading(units),
        "effort": list(programme.effort),
        "safety": list(programme.safety),
        "why": {
            "sections": [
                {
                    "heading": section.heading,
                    "text": section.text,
                    "cites": ", ".join(str(source_number(key)) for key in section.cites),
                }
                for section in SECTIONS
            ],
            "sources": [source.citation for source in SOURCES],
        },
        "placement": {
            "rules": list(programme.placement_rules),
            "reason": PLACEMENT_REASON,
            "sources": list(PLACEMENT_SOURCES),
            "example": [
                {"day": day.day, "running": day.running, "strength": day.strength}
                for day in programme.example_week
            ],
        },
        "progression": list(programme.progression_rules),
        "glance": _glance(programme),
        "sessions": [_session_page(session, programme) for session in typical.sessions],
        "logs": [_log_week(week) for week in programme.weeks],
        "mass_label": units.mass_label,
        "running_line": (
            f"Running this week: {{blank}} {units.distance_label}. More than 30% up on two weeks ago? "
            "Cut the leg sets by about a third this week."
        ),
        "log_sets": LOG_SETS,
    }
