"""The beginner programme as the plain data the Typst template (data/typst/beginner.typ) lays out."""

from __future__ import annotations

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
from ironmile.domain.prescription import BODYWEIGHT_MIN_REPS
from ironmile.render.plan_text import rest_text
from ironmile.render.why_strength import (
    PLACEMENT_REASON,
    PLACEMENT_SOURCES,
    SECTIONS,
    SOURCES,
    source_number,
)

LOG_SETS = 3  # the programme never prescribes more than 3 sets


def dose_text(item: BeginnerExercise) -> str:
    amount = f"{item.seconds} s" if item.seconds is not None else f"{item.reps}"
    side = "/side" if item.exercise.unilateral else ""
    return f"{item.sets} × {amount}{side}"


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
            "Reps are per side for one-sided exercises. Bodyweight exercises with no added load "
            f"(push-ups, door rows) use at least {BODYWEIGHT_MIN_REPS} reps. Shaded weeks are deloads."
        ),
    }


def _exercise_card(item: BeginnerExercise) -> dict[str, Any]:
    alternative = None
    if item.alternative is not None:
        alternative = f"{item.alternative_label}: {item.alternative.name}"
    return {"name": item.exercise.name, "cue": item.cue, "alternative": alternative}


def _session_page(session: BeginnerSession, programme: BeginnerProgramme) -> dict[str, Any]:
    home, gym = session.variant(Variant.HOME), session.variant(Variant.GYM)
    longest = max(
        variant.minutes
        for week in programme.weeks
        for same in week.sessions
        if same.key == session.key
        for variant in same.variants
    )
    return {
        "key": session.key,
        "title": session.title,
        "minutes": f"Up to {longest} minutes with the warm-up.",
        "variants": [Variant.HOME.label, Variant.GYM.label],
        "slots": [
            {"movement": at_home.movement, "home": _exercise_card(at_home), "gym": _exercise_card(at_gym)}
            for at_home, at_gym in zip(home.exercises, gym.exercises, strict=True)
        ],
    }


def _log_session(session: BeginnerSession) -> dict[str, Any]:
    home, gym = session.variant(Variant.HOME), session.variant(Variant.GYM)
    rows = []
    for at_home, at_gym in zip(home.exercises, gym.exercises, strict=True):
        target = target_text(at_gym)
        if dose_text(at_home) != dose_text(at_gym):
            target += f" (home: {dose_text(at_home)})"
        rows.append(
            {
                "movement": at_gym.movement,
                "gym": at_gym.exercise.name,
                "home": at_home.exercise.name,
                "target": target,
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
