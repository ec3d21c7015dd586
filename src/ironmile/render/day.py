"""A day's session for the gym: targets with loads, plates per side, rest and the reason."""

from __future__ import annotations

import json
from typing import Any

from ironmile.domain.today import DayTarget, DayView
from ironmile.domain.units import UnitSystem
from ironmile.render.plan_json import exercise_summary
from ironmile.render.plan_text import rest_text


def _dose(target: DayTarget) -> str:
    side = "/side" if target.exercise.unilateral else ""
    amount = f"{target.seconds} s" if target.seconds is not None else f"{target.reps}"
    rir = f" RIR {target.rir}" if target.rir is not None else ""
    return f"{target.sets}×{amount}{side}{rir}"


def _load(target: DayTarget, units: UnitSystem) -> str:
    if target.load is None:
        if target.exercise.loaded:
            return "pick by feel"
        return "band" if target.exercise.implement == "band" else "bodyweight"
    text = f"{target.load:g} {units.mass_label}"
    if target.plates_per_side is not None:
        plates = " + ".join(f"{p:g}" for p in target.plates_per_side) or "empty bar"
        text += f" (per side: {plates})"
    elif target.exercise.implement == "dumbbell":
        text += " per dumbbell"
    return text


def day_text(view: DayView) -> str:
    return "".join(f"! {warning}\n" for warning in view.safety) + _day_body(view)


def _day_body(view: DayView) -> str:
    units = view.units
    if not view.targets:
        following = f"; next session {view.next_session:%a %d %b}" if view.next_session else ""
        return f"{view.day:%a %d %b %Y}: no strength session planned{following}\n"
    lines = [f"{view.day:%a %d %b %Y} · {'legs + upper body' if view.heavy_lower else 'upper body & core'}"]
    if view.why:
        lines.append(f"why: {view.why}")
    if view.running_note:
        lines.append(f"running: {view.running_note}")
    for number, target in enumerate(view.targets, start=1):
        swapped = f" (instead of {target.swapped_from})" if target.swapped_from else ""
        lines.append(
            f"{number}. {target.exercise.name}{swapped}: {_dose(target)} · {_load(target, units)} · "
            f"rest {rest_text(target.rest_seconds)}"
        )
        lines.append(f"   {target.why}")
    if any(target.back_to_foundation for target in view.targets):
        lines.append(
            "More than 4 weeks since you last trained: run `ironmile replan` to start again with "
            "foundation weeks."
        )
    return "\n".join(lines) + "\n"


def day_document(view: DayView) -> dict[str, Any]:
    units = view.units
    return {
        "date": view.day.isoformat(),
        "units": units.value,
        "heavy_lower": view.heavy_lower,
        "why": view.why,
        "next_session": view.next_session.isoformat() if view.next_session else None,
        "safety": list(view.safety),
        "running_note": view.running_note,
        "exercises": [
            {
                **exercise_summary(t.exercise, t.role.value),
                "sets": t.sets,
                "reps": t.reps,
                "seconds": t.seconds,
                "rir": t.rir,
                "load": t.load,
                "plates_per_side": list(t.plates_per_side) if t.plates_per_side is not None else None,
                "rest_seconds": t.rest_seconds,
                "cue": t.exercise.cue,
                "why": t.why,
                "swapped_from": t.swapped_from,
                "back_to_foundation": t.back_to_foundation,
            }
            for t in view.targets
        ],
    }


def day_json(view: DayView) -> str:
    return json.dumps(day_document(view), indent=2, ensure_ascii=False) + "\n"
