"""Writing a plan where a runner lives: a printable PDF, a calendar file, Garmin watch workouts,
and the free beginner programme (`ironmile beginner`, no profile or database needed)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ironmile.cli.common import Paper, PlanFormat, _emit, _guarded, app

if TYPE_CHECKING:
    from ironmile.domain.plan import Plan


def _bad_option(name: str, message: str) -> NoReturn:
    from ironmile.domain.errors import FieldProblem, ProfileError

    raise ProfileError([FieldProblem(name, message)])


def export_plan(
    plan: Plan,
    *,
    output_format: PlanFormat,
    out: Path | None,
    force: bool,
    identity: str,
    title: str,
    paper: Paper,
    at: str | None,
    time_zone: str | None,
) -> None:
    """Render `plan` as pdf, ics or fit and write it (atomically; never over a file without force).
    `identity` (the athlete's name, else the profile file's stem) keeps calendar UIDs stable."""
    if output_format is PlanFormat.PDF:
        from ironmile.render.pdf import Paper as PdfPaper
        from ironmile.render.pdf import plan_pdf

        if out is None:
            _bad_option("--out", "a PDF needs a file to go to, e.g. --out plan.pdf")
        else:
            _emit(plan_pdf(plan, title=title, paper=PdfPaper(paper.value)), out, force)
    elif output_format is PlanFormat.ICS:
        from ironmile.render.ics import plan_calendar

        start_time = _clock(at)
        if (start_time is None) != (time_zone is None):
            _bad_option("--time", "--time and --tz go together (timed events need a time zone)")
        calendar = plan_calendar(
            plan, identity=identity, name=f"{title} (ironmile)", time_zone=time_zone, start_time=start_time
        )
        _emit(calendar, out, force)
    else:
        from ironmile.adapters.files import write_folder
        from ironmile.render.fit_workout import WORKOUTS_README, plan_workouts

        if out is None:
            _bad_option("--out", "watch workouts are one file per session: give a folder, e.g. --out watch/")
        else:
            files: dict[str, str | bytes] = dict(plan_workouts(plan))
            files["README.txt"] = WORKOUTS_README
            write_folder(out, files, force=force, replaces="*-strength*.fit")
            typer.echo(f"wrote {len(files) - 1} workouts and README.txt to {out}/", err=True)


def _clock(value: str | None) -> dt.time | None:
    if value is None:
        return None

    if not re.fullmatch(r"\d{1,2}:\d{2}", value):
        _bad_option("--time", f"{value!r} is not a time; expected HH:MM, e.g. 07:30")
    hours, minutes = (int(part) for part in value.split(":"))
    if hours > 23 or minutes > 59:
        _bad_option("--time", f"{value!r} is not a time of day; expected 00:00 to 23:59")
    return dt.time(hours, minutes)


@app.command()
def beginner(
    pdf: Annotated[Path, typer.Option("--pdf", help="Write the programme to this PDF file.")],
    units: Annotated[
        str, typer.Option(help="metric (kg, km) or imperial (lb, mi).", metavar="metric|imperial")
    ] = "metric",
    paper: Annotated[Paper, typer.Option(help="Paper size: a4 or letter.")] = Paper.A4,
    weeks: Annotated[int, typer.Option(min=8, max=12, help="Programme length, 8 to 12 weeks.")] = 10,
    force: Annotated[bool, typer.Option("--force", help="Replace --pdf if it exists.")] = False,
) -> None:
    """Write the free beginner programme: 2 sessions a week, at home or in a gym, with log sheets.

    No profile, account or database needed.

    Example: ironmile beginner --pdf beginner.pdf --units imperial --paper letter
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.domain.units import UnitSystem
        from ironmile.render.pdf import Paper as PdfPaper
        from ironmile.render.pdf import beginner_pdf

        if units not in ("metric", "imperial"):
            _bad_option("--units", f"{units!r} is not metric or imperial")
        document = beginner_pdf(
            units=UnitSystem(units), paper=PdfPaper(paper.value), catalogue=load_catalogue(), weeks=weeks
        )
        _emit(document, pdf, force)

    _guarded(run)
