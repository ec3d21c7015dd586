"""Changing course and looking back: swap, profile show/edit, screen and report."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ironmile.cli.common import FormatOption, ListFormat, _as_of, _guarded, app
from ironmile.cli.training import DateOption, DbOption, _unit_of_work

if TYPE_CHECKING:
    from ironmile.services.review import Replanned


@app.command()
def swap(
    exercise: Annotated[str, typer.Argument(help="The catalogue id to replace, e.g. back_squat.")],
    to: Annotated[
        str | None, typer.Option("--to", help="The replacement id (default: the closest one).")
    ] = None,
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Swap an exercise for an equivalent one (same pattern and emphasis) from today on.

    Example: ironmile swap back_squat --to box_squat
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.services.review import swap_exercise

        catalogue = load_catalogue()
        done = swap_exercise(
            _unit_of_work(db),
            exercise_id=exercise,
            replacement_id=to,
            day=_as_of(as_of),
            catalogue=catalogue,
        )
        if output_format is ListFormat.JSON:
            document = {
                "since": done.since.isoformat(),
                "exercise": done.exercise_id,
                "replacement": done.replacement_id,
            }
            _print_json(document)
            return
        typer.echo(
            f"from {done.since}: {catalogue.get(done.replacement_id).name} ({done.replacement_id}) "
            f"instead of {catalogue.get(done.exercise_id).name}"
        )

    _guarded(run)


def _print_json(document: object, default: Callable[[Any], Any] | None = None) -> None:
    import json

    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, default=default) + "\n")


def _report_replan(result: Replanned, output_format: ListFormat, done: str) -> None:
    from ironmile.render.running import running_week_words, suggestion_document

    if output_format is ListFormat.JSON:
        _print_json(
            {
                "plan_from": result.effective_from.isoformat(),
                "foundation_again": result.foundation_again,
                "end_date": result.plan.end_date.isoformat(),
                "warnings": list(result.plan.warnings),
                "running_from_history": None
                if result.running_from_history is None
                else suggestion_document(result.running_from_history, result.plan.units),
            }
        )
        return
    for warning in result.plan.warnings:
        if "clinician" in warning:
            typer.echo(f"! {warning}")
    if result.running_from_history is not None:
        words = running_week_words(result.running_from_history.running)
        typer.echo(f"your profile has no running week; from your imported runs: {words}")
    again = " (more than 4 weeks off: foundation weeks first)" if result.foundation_again else ""
    typer.echo(f"{done}; the plan from {result.effective_from} on is new{again}")


@app.command()
def replan(
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Re-plan from today on, e.g. after weeks off (history is never rewritten).

    Example: ironmile replan --date 2027-02-01
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.services.review import replan as replan_service

        result = replan_service(_unit_of_work(db), today=_as_of(as_of), catalogue=load_catalogue())
        _report_replan(result, output_format, "re-planned")

    _guarded(run)


profile_app = typer.Typer(
    help="Show or change the stored profile.\n\nExample: ironmile profile show", rich_markup_mode=None
)
app.add_typer(profile_app, name="profile")


@profile_app.command("show")
def profile_show(
    db: DbOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Print the stored profile (TOML).

    Example: ironmile profile show > my.toml
    """

    def run() -> None:
        from ironmile.services.review import show_profile

        text = show_profile(_unit_of_work(db))
        if output_format is ListFormat.JSON:
            import tomllib

            _print_json(tomllib.loads(text), default=str)
        else:
            sys.stdout.write(text)

    _guarded(run)


@profile_app.command("edit")
def profile_edit(
    source: Annotated[
        Path, typer.Option("--from", help="The new profile (TOML), checked before it is stored.")
    ],
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Replace the stored profile and re-plan from today on (history stays as it was).

    Example: ironmile profile edit --from my.toml   (after `ironmile profile show > my.toml`)
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.adapters.files import read_text
        from ironmile.services.review import edit_profile

        result = edit_profile(
            _unit_of_work(db),
            profile_text=read_text(source),
            source=str(source),
            today=_as_of(as_of),
            catalogue=load_catalogue(),
        )
        _report_replan(result, output_format, "profile stored")

    _guarded(run)


@app.command()
def report(
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Review: e1RM and relative strength per main lift, body mass, balance, adherence.

    Example: ironmile report --format json
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.render.report import report_json, report_text
        from ironmile.services.review import build_athlete_report

        result = build_athlete_report(_unit_of_work(db), today=_as_of(as_of), catalogue=load_catalogue())
        sys.stdout.write(report_json(result) if output_format is ListFormat.JSON else report_text(result))

    _guarded(run)


@app.command()
def screen(
    left: Annotated[
        int | None, typer.Option("--left", help="Single-leg hamstring bridge reps, left leg.")
    ] = None,
    right: Annotated[int | None, typer.Option("--right", help="… and right leg.")] = None,
    felt_in: Annotated[
        str | None,
        typer.Option(
            "--felt-in", help="Where uphill running and squats are felt: quads, glutes_hamstrings, both."
        ),
    ] = None,
    hq: Annotated[float | None, typer.Option("--hq", help="A measured hamstring:quadriceps ratio.")] = None,
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Record a quad-dominance re-test (every 6–8 weeks) and re-plan with its target.

    Asks for each result that is not given as an option.

    Example: ironmile screen --left 22 --right 25 --felt-in quads
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.domain.training import ScreenResultRecord
        from ironmile.services.review import record_screen

        day = _as_of(as_of)
        asked_left = left if left is not None else typer.prompt("Single-leg bridge reps, left", type=int)
        asked_right = right if right is not None else typer.prompt("Single-leg bridge reps, right", type=int)
        asked_felt = felt_in or typer.prompt(
            "Where do you feel uphill running and squats (quads, glutes_hamstrings, both)?", type=str
        )
        record = ScreenResultRecord(day, asked_left, asked_right, asked_felt, hq)
        result, replanned = record_screen(
            _unit_of_work(db), record=record, today=day, catalogue=load_catalogue()
        )
        if output_format is ListFormat.JSON:
            _print_json(
                {
                    "quad_dominant": result.quad_dominant,
                    "reasons": list(result.reasons),
                    "weaker_side": result.weaker_side,
                    "limb_symmetry_index": result.limb_symmetry_index,
                    "posterior_target": result.posterior_target,
                    "plan_from": replanned.effective_from.isoformat(),
                }
            )
            return
        if result.quad_dominant:
            typer.echo("quad dominance flagged: " + "; ".join(result.reasons))
        else:
            typer.echo("no quad dominance flagged")
        typer.echo(
            f"posterior:anterior target {result.posterior_target:g}; the plan from "
            f"{replanned.effective_from} on is new. Re-test in 6–8 weeks."
        )

    _guarded(run)
