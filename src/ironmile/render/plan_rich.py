"""The plan for a terminal: a heading per week and a Rich table per session."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ironmile.domain.plan import Plan, PlanWeek
from ironmile.render.plan_text import dose_text, load_text, rest_text, runs_text, session_title

_PHASE_STYLE = {
    "foundation": "cyan",
    "strength": "bold blue",
    "power": "bold magenta",
    "maintenance": "green",
    "taper": "yellow",
    "race": "bold red",
    "recovery": "dim",
}


def _week(week: PlanWeek, plan: Plan) -> RenderableType:
    frame = week.frame
    heading = Text(f"Week {frame.index} · {frame.start_date:%a %d %b %Y} · ", style="bold")
    heading.append(
        frame.phase.value + (" (deload)" if frame.deload else ""),
        style=_PHASE_STYLE[frame.phase.value],
    )
    parts: list[RenderableType] = [
        heading,
        Text(frame.focus, style="dim"),
        Text(f"runs: {runs_text(week.runs)}"),
    ]
    for session in week.sessions:
        table = Table(
            title=session_title(session),
            caption=session.why,
            title_justify="left",
            caption_justify="left",
            expand=False,
        )
        for column, justify in (
            ("exercise", "left"),
            ("sets × reps", "left"),
            ("%1RM", "right"),
            ("load", "left"),
            ("rest", "right"),
        ):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]  # Rich's Literal
        for item in session.exercises:
            percent = f"{item.percent_1rm:.1f}" if item.percent_1rm is not None else "–"
            table.add_row(
                item.exercise.name,
                dose_text(item),
                percent,
                load_text(item, plan.units),
                rest_text(item.rest_seconds),
            )
        parts.append(table)
    if not week.sessions:
        parts.append(Text("no strength session this week", style="dim"))
    return Group(*parts, Text(""))


def print_plan(plan: Plan, console: Console) -> None:
    console.print(
        Text(
            f"ironmile plan · {plan.start_date} → {plan.end_date} · {plan.units.value}",
            style="bold",
        )
    )
    for warning in plan.warnings:
        console.print(Text(f"! {warning}", style="yellow"))
    console.print()
    for week in plan.weeks:
        console.print(_week(week, plan))
