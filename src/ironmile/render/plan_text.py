"""The plan as plain text: short, stable lines for people, pipes and golden tests."""

from __future__ import annotations

from ironmile.domain.plan import Plan, PlannedExercise, PlannedRun, Session
from ironmile.domain.units import UnitSystem

_DAY = "%a %d %b"


def dose_text(item: PlannedExercise) -> str:
    side = "/side" if item.exercise.unilateral else ""
    amount = f"{item.seconds} s" if item.seconds is not None else f"{item.reps}"
    text = f"{item.sets}×{amount}{side}"
    return f"{text} RIR {item.rir}" if item.rir is not None else text


def load_text(item: PlannedExercise, units: UnitSystem) -> str:
    """The load with what it is counted on: the whole bar, one dumbbell, one kettlebell."""
    if item.load is None:
        if item.exercise.loaded:
            return "see note"
        return "band" if item.exercise.implement == "band" else "bodyweight"
    counted = {"dumbbell": " per dumbbell", "kettlebell": " kettlebell"}.get(item.exercise.implement, "")
    return f"{item.load:g} {units.mass_label}{counted}"


def rest_text(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


def runs_text(runs: tuple[PlannedRun, ...]) -> str:
    if not runs:
        return "no runs"
    return " · ".join(
        f"{run.date:{_DAY}} {run.kind}" + (f" ({run.race})" if run.race else "") for run in runs
    )


def session_title(session: Session) -> str:
    kind = "legs + upper body" if session.heavy_lower else "upper body & core"
    return f"{session.date:{_DAY}} · {kind} · ~{session.minutes} min"


def exercise_line(item: PlannedExercise, units: UnitSystem) -> str:
    percent = f"{item.percent_1rm:.1f}%" if item.percent_1rm is not None else "-"
    return (
        f"{item.exercise.name:<36} {dose_text(item):<16} {percent:>6}  "
        f"{load_text(item, units):<20} rest {rest_text(item.rest_seconds)}"
    )


def plan_text(plan: Plan) -> str:
    units = plan.units
    lines = [
        f"ironmile plan · {plan.start_date} → {plan.end_date} · {units.value} "
        f"({units.mass_label}, {units.distance_label}) · posterior:anterior target {plan.posterior_target:g}"
    ]
    for warning in plan.warnings:
        lines.append(f"! {warning}")
    for week in plan.weeks:
        frame = week.frame
        deload = " · deload" if frame.deload else ""
        lines += ["", f"Week {frame.index} · {frame.start_date} · {frame.phase.value}{deload}"]
        lines.append(f"  {frame.focus}")
        lines.append(f"  runs: {runs_text(week.runs)}")
        if not week.sessions:
            lines.append("  no strength session this week")
        for session in week.sessions:
            lines.append(f"  {session_title(session)}")
            lines.append(f"    why: {session.why}")
            for number, item in enumerate(session.exercises, start=1):
                lines.append(f"    {number}. {exercise_line(item, units)}".rstrip())
                if item.note:
                    lines.append(f"       note: {item.note}")
    return "\n".join(lines) + "\n"
