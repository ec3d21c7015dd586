"""A planned session in plain words, for exports that carry text but no layout (calendars, watches).

The words match the text plan (`plan_text`): the same doses, loads and rest, the same reasons. No
Markdown and no column alignment, because calendar apps and watches show the text as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ironmile.domain.phases import PhaseWeek
from ironmile.domain.plan import Plan, PlannedExercise, PlannedRun, Session
from ironmile.domain.units import UnitSystem
from ironmile.render.plan_text import dose_text, load_text, rest_text

# When two runs share a day, the session is described after the most demanding one.
_RUN_DEMAND = {"race": 3, "key": 2, "long": 1, "easy": 0}


@dataclass(frozen=True, slots=True)
class ScheduledSession:
    """A session with what surrounds it: its week of the plan and the run on the same day, if any."""

    session: Session
    week: PhaseWeek
    weeks_in_plan: int
    run: PlannedRun | None  # the most demanding run planned on the session's date


def scheduled_sessions(plan: Plan) -> tuple[ScheduledSession, ...]:
    """Every strength session of the plan in date order, each with its week and same-day run."""
    runs_by_date: dict[date, list[PlannedRun]] = {}
    for week in plan.weeks:
        for run in week.runs:
            runs_by_date.setdefault(run.date, []).append(run)
    found = [
        ScheduledSession(
            session=session,
            week=week.frame,
            weeks_in_plan=len(plan.weeks),
            run=max(runs_by_date.get(session.date, []), key=_demand, default=None),
        )
        for week in plan.weeks
        for session in week.sessions
    ]
    return tuple(sorted(found, key=lambda item: item.session.date))


def _demand(run: PlannedRun) -> int:
    return _RUN_DEMAND.get(run.kind, 0)


def session_kind(session: Session) -> str:
    """What the session trains, in the words the text plan uses."""
    return "legs + upper body" if session.heavy_lower else "upper body & core"


def after_run_words(run: PlannedRun) -> str:
    """Which run the session follows: 'after your key run'; race days say so and name the race."""
    if run.kind == "race":
        return f"race day, after {run.race}" if run.race else "race day, after the race"
    return f"after your {run.kind} run"


def session_summary(item: ScheduledSession) -> str:
    """One short line for a calendar title: 'Strength: legs + upper body (~47 min), after your key run'."""
    session = item.session
    text = f"Strength: {session_kind(session)} (~{session.minutes} min)"
    return f"{text}, {after_run_words(item.run)}" if item.run is not None else text


def exercise_words(number: int, item: PlannedExercise, units: UnitSystem) -> str:
    """'1. Low-bar back squat: 3×5 RIR 2 · 75 kg · rest 3:00' with the load in the plan's units."""
    return (
        f"{number}. {item.exercise.name}: {dose_text(item)} · {load_text(item, units)} · "
        f"rest {rest_text(item.rest_seconds)}"
    )


def week_words(item: ScheduledSession) -> str:
    """'Week 3 of 22 · strength phase · deload'."""
    week = item.week
    deload = " · deload" if week.deload else ""
    return f"Week {week.index} of {item.weeks_in_plan} · {week.phase.value} phase{deload}"


def session_description(item: ScheduledSession, units: UnitSystem) -> str:
    """The whole session as plain text: one line per exercise, then why, then the exercise notes.

    Lines are joined with '\\n' and there is no trailing newline; exporters escape as their format needs.
    """
    session = item.session
    lines = [week_words(item)]
    lines += [exercise_words(number, ex, units) for number, ex in enumerate(session.exercises, start=1)]
    lines.append(f"Why this day: {session.why}")
    lines.append(f"This week: {item.week.focus}")
    notes = [f"- {ex.exercise.name}: {ex.note}" for ex in session.exercises if ex.note]
    if notes:
        lines += ["Notes:", *notes]
    return "\n".join(lines)
