"""The running-history commands: `import` (files and exports in) and `running` (load and flags)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ironmile.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, FormatOption, ListFormat, _as_of, _guarded, app
from ironmile.cli.review import profile_app
from ironmile.cli.training import DateOption, DbOption, _unit_of_work

if TYPE_CHECKING:
    from ironmile.services.importing import ImportReport, ImportTally


@app.command("import")
def import_(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="FIT, GPX or TCX files (plain or .gz), folders of them, a Strava export (zip or folder) "
            "or a Garmin Connect export zip.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    as_of: DateOption = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes that read files in parallel.")] = 2,
    sport: Annotated[
        str | None,
        typer.Option(
            help="The sport of activities whose file names none (a GPX without a type), e.g. running; "
            "without it they are kept as 'other' and not counted as runs.",
        ),
    ] = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Import your running history: activity files and whole Strava or Garmin exports.

    Importing the same files again adds nothing; an interrupted import resumes where it stopped.

    Example: ironmile import ~/Downloads/export_12345678.zip
    """

    def run() -> ImportReport:
        from ironmile.domain.activity import Sport
        from ironmile.services.importing import import_activities

        if sport is not None and sport not in {s.value for s in Sport}:
            from ironmile.domain.errors import FieldProblem, ProfileError

            names = ", ".join(s.value for s in Sport)
            raise ProfileError(
                [FieldProblem("--sport", f"{sport!r} is not a sport ironmile knows ({names})")]
            )
        chosen = Sport(sport) if sport is not None else None
        uow = _unit_of_work(db)
        today = _as_of(as_of)
        if not (output_format is ListFormat.TABLE and sys.stderr.isatty()):
            return import_activities(uow, paths, today=today, workers=workers, sport=chosen)
        with _ProgressBar() as bar:
            return import_activities(
                uow, paths, today=today, workers=workers, sport=chosen, on_progress=bar.update
            )

    report = _guarded(run)
    if output_format is ListFormat.JSON:
        import json

        document = {
            "added": report.added,
            "duplicates": report.duplicates,
            "rejected": [{"file": r.file, "reason": r.reason} for r in report.rejected],
            "files": report.files,
            "fit_fallbacks": report.fit_fallbacks,
            "unknown_sport": report.unknown_sport,
            "interrupted": report.interrupted,
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        _print_import_report(report)
    if report.interrupted:
        typer.echo(
            "interrupted: what was imported so far is stored; run the same command again to resume", err=True
        )
        raise typer.Exit(EXIT_FAILURE)
    if report.rejected and report.added == 0 and report.duplicates == 0:
        raise typer.Exit(EXIT_BAD_INPUT)


class _ProgressBar:
    """Rich progress on stderr: files done, activities added, duplicates and rejected files."""

    def __enter__(self) -> _ProgressBar:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[summary]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.__enter__()
        self._task = self._progress.add_task("import", total=None, summary="")
        return self

    def update(self, tally: ImportTally) -> None:
        summary = f"{tally.added} added, {tally.duplicates} duplicates, {len(tally.rejected)} rejected"
        self._progress.update(
            self._task, completed=tally.files_done, total=tally.files_total, summary=summary
        )

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(None, None, None)


def _print_import_report(report: ImportReport) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    line = f"{report.files} files: {report.added} activities added, {report.duplicates} duplicates skipped"
    if report.fit_fallbacks:
        line += f", {report.fit_fallbacks} FIT files read by the reference decoder"
    console.print(line + f", {len(report.rejected)} rejected", highlight=False)
    if report.unknown_sport:
        console.print(
            f"{report.unknown_sport} of the activities added name no sport in their files and are kept as "
            "'other', not counted as runs (import files you know are runs with --sport running)",
            highlight=False,
        )
    if report.rejected:
        table = Table(title="Rejected files", title_justify="left")
        table.add_column("file", overflow="fold", ratio=2)
        table.add_column("reason", ratio=3)
        for rejected in report.rejected:
            table.add_row(_shown_path(rejected.file), rejected.reason)
        console.print(table)


def _shown_path(path: str) -> str:
    """Paths under the working folder, relative to it: shorter, and what the user typed."""
    import os

    here = os.getcwd() + os.sep
    return path[len(here) :] if path.startswith(here) else path


@app.command()
def running(
    db: DbOption = None,
    as_of: DateOption = None,
    weeks: Annotated[int, typer.Option(min=1, max=520, help="How many weeks to show, up to today.")] = 12,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Your running load: weekly distance and time, long runs, spike and ramp flags, ACWR, CTL/ATL/TSB.

    Example: ironmile running --weeks 8
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.services.running import running_report

        report = running_report(
            _unit_of_work(db), today=_as_of(as_of), weeks=weeks, catalogue=load_catalogue()
        )
        if output_format is ListFormat.JSON:
            import json

            from ironmile.render.running import running_document

            sys.stdout.write(json.dumps(running_document(report), indent=2, ensure_ascii=False) + "\n")
            return
        from rich.console import Console

        from ironmile.render.running import print_running

        print_running(report, Console())

    _guarded(run)


@profile_app.command("suggest")
def profile_suggest(
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Infer your running week from the last 8 weeks of imported runs, as a [running] table to paste.

    Example: ironmile profile suggest
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.services.running import suggest_running_week

        suggestion = suggest_running_week(_unit_of_work(db), today=_as_of(as_of), catalogue=load_catalogue())
        if output_format is ListFormat.JSON:
            import json

            from ironmile.render.running import suggestion_document

            document = suggestion_document(suggestion.inferred, suggestion.units)
            sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
            return
        from ironmile.render.running import suggestion_toml

        if not suggestion.inferred.running.run_days:
            from ironmile.domain.errors import InputError

            raise InputError(
                "no running week found in the last 8 weeks of imported runs; import your history with "
                "`ironmile import`, or write [running] in your profile yourself"
            )
        sys.stdout.write(suggestion_toml(suggestion.inferred, suggestion.units))
        sys.stdout.flush()  # the table first, then the hint on stderr
        typer.echo(
            "Paste this into your profile (`ironmile profile edit --from FILE`), or leave [running] out "
            "and `ironmile replan` takes it from your runs.",
            err=True,
        )

    _guarded(run)
