"""`ironmile plan` and `ironmile exercises`: the plan from a profile, and the catalogue."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ironmile.cli.common import (
    FormatOption,
    ListFormat,
    Paper,
    PlanFormat,
    _as_of,
    _date_option,
    _emit,
    _guarded,
    app,
    exercises_app,
)


@app.command()
def plan(
    profile: Annotated[Path, typer.Option("--profile", "-p", help="The athlete profile (TOML).")],
    output_format: Annotated[
        PlanFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (terminal), text, json (ironmile.plan/1), pdf (printable), ics (calendar) "
            "or fit (Garmin watch workouts, one file per session).",
        ),
    ] = PlanFormat.TABLE,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write to this file instead of stdout (pdf: required; fit: a folder)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
    weeks: Annotated[
        int | None, typer.Option("--weeks", help="Plan length in weeks (overrides the profile).")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", metavar="YYYY-MM-DD", help="First day of the plan, YYYY-MM-DD (overrides the profile)."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="Act as of this day (YYYY-MM-DD); sets the default start."
        ),
    ] = None,
    paper: Annotated[Paper | None, typer.Option(help="pdf: paper size, a4 (default) or letter.")] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--time", metavar="HH:MM", help="ics: timed events at this time (with --tz); default all-day."
        ),
    ] = None,
    time_zone: Annotated[
        str | None, typer.Option("--tz", help="ics: IANA time zone of --time, e.g. Europe/Berlin.")
    ] = None,
) -> None:
    """Build your strength plan from a profile.

    Example: ironmile plan --profile examples/marathoner.toml --format json --out plan.json

    Take it along: --format pdf --out plan.pdf (print it), --format ics --out plan.ics (calendar),
    --format fit --out watch/ (Garmin workouts).
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.services.planning import profile_and_plan

        _only_with(output_format, paper=paper, at=at, time_zone=time_zone)
        athlete_profile, result = profile_and_plan(
            profile,
            today=_as_of(as_of),
            catalogue=load_catalogue(),
            start=_date_option(start, "--start"),
            weeks=weeks,
        )
        name = athlete_profile.athlete.name
        if output_format in (PlanFormat.PDF, PlanFormat.ICS, PlanFormat.FIT):
            from ironmile.cli.exports import export_plan

            export_plan(
                result,
                output_format=output_format,
                out=out,
                force=force,
                identity=name or profile.stem,
                title=f"{name}'s strength plan" if name else "Your strength plan",
                paper=paper or Paper.A4,
                at=at,
                time_zone=time_zone,
            )
        elif output_format is PlanFormat.JSON:
            from ironmile.render.plan_json import plan_json

            _emit(plan_json(result), out, force)
        elif output_format is PlanFormat.TEXT or out is not None:
            from ironmile.render.plan_text import plan_text

            _emit(plan_text(result), out, force)
        else:
            from rich.console import Console

            from ironmile.render.plan_rich import print_plan

            print_plan(result, Console())

    _guarded(run)


def _only_with(
    output_format: PlanFormat, *, paper: Paper | None, at: str | None, time_zone: str | None
) -> None:
    """Options of one format are refused with another, rather than silently ignored."""
    from ironmile.domain.errors import FieldProblem, ProfileError

    problems = []
    if paper is not None and output_format is not PlanFormat.PDF:
        problems.append(FieldProblem("--paper", "only applies to --format pdf"))
    for name, value in (("--time", at), ("--tz", time_zone)):
        if value is not None and output_format is not PlanFormat.ICS:
            problems.append(FieldProblem(name, "only applies to --format ics"))
    if problems:
        raise ProfileError(problems)


@exercises_app.callback()
def exercises(
    ctx: typer.Context,
    pattern: Annotated[str | None, typer.Option(help="Only this movement pattern (e.g. hinge).")] = None,
    equipment: Annotated[
        list[str] | None,
        typer.Option(
            "--equipment",
            "-e",
            help="Only what this equipment allows (repeat it); bodyweight always.",
        ),
    ] = None,
    bodyweight: Annotated[bool, typer.Option("--bodyweight", help="Only bodyweight exercises.")] = False,
    knee_demand: Annotated[
        str | None, typer.Option(help="Only this knee demand: low, moderate or high.")
    ] = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """List the exercise catalogue, filtered by pattern, equipment and knee demand.

    Example: ironmile exercises --pattern hinge --equipment dumbbell --knee-demand low
    """
    if ctx.invoked_subcommand is not None:
        return

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.domain.catalogue import EQUIPMENT, KNEE_DEMANDS, PATTERNS
        from ironmile.domain.errors import FieldProblem, ProfileError

        problems = []
        if pattern is not None and pattern not in PATTERNS:
            problems.append(FieldProblem("--pattern", f"{pattern!r} is not one of {', '.join(PATTERNS)}"))
        for item in equipment or []:
            if item not in EQUIPMENT:
                problems.append(FieldProblem("--equipment", f"{item!r} is not one of {', '.join(EQUIPMENT)}"))
        if knee_demand is not None and knee_demand not in KNEE_DEMANDS:
            problems.append(
                FieldProblem("--knee-demand", f"{knee_demand!r} is not one of low, moderate, high")
            )
        if problems:
            raise ProfileError(problems)
        owned = [] if bodyweight else equipment
        found = load_catalogue().filter(pattern=pattern, equipment=owned, knee_demand=knee_demand)
        if output_format is ListFormat.JSON:
            from ironmile.render.exercises import exercises_json

            sys.stdout.write(exercises_json(found))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{len(found)} exercises")
        table.add_column("id", no_wrap=True, min_width=max((len(e.id) for e in found), default=2))
        for column in ("name", "pattern", "equipment", "knee"):
            table.add_column(column)
        for exercise in found:
            table.add_row(
                exercise.id,
                exercise.name,
                exercise.pattern,
                ", ".join(exercise.equipment_sorted) or "bodyweight",
                exercise.knee_demand,
            )
        Console().print(table)

    _guarded(run)


@exercises_app.command("show")
def exercises_show(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="A catalogue id, e.g. back_squat.")],
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Explain one exercise: what it trains, cues, progressions and regressions.

    Example: ironmile exercises show nordic_hamstring_curl
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.render.exercises import exercise_json, exercise_text

        catalogue = load_catalogue()
        exercise = catalogue.get(exercise_id)
        render = exercise_json if output_format is ListFormat.JSON else exercise_text
        sys.stdout.write(render(exercise, catalogue))

    _guarded(run)
