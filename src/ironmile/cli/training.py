"""The training-log commands: init, today, week, log, swap, profile, screen, report, export,
restore. SQLAlchemy is imported only inside them, so other commands start fast."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ironmile.cli.common import FormatOption, ListFormat, _as_of, _emit, _guarded, app

if TYPE_CHECKING:
    from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
    from ironmile.domain.today import DayView

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="IRONMILE_DB",
        help="Database: a SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…) or a SQLite file path.",
    ),
]
DateOption = Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="Act as of this day.")]


def _unit_of_work(db: str | None, *, create: bool = False) -> SqlUnitOfWork:
    """The database the user chose, migrated to this version (SQLAlchemy is imported only here).

    Only `init` and `restore` (`create=True`) may bring a new SQLite file into being; every other
    command refuses a file that is not there, so a typo in `--db` leaves no empty database behind."""
    import os
    from pathlib import Path

    from ironmile.adapters.db.engine import database_url, make_engine, to_url
    from ironmile.adapters.db.migrate import upgrade
    from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
    from ironmile.domain.errors import FileAccessError

    url = database_url(db, os.environ)
    parsed = to_url(url)
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if not create and file not in (None, "", ":memory:") and not Path(str(file)).exists():
        raise FileAccessError(
            str(file), f"no such database; create it with `ironmile init --profile FILE --db {file}`"
        )
    engine = make_engine(url)
    upgrade(engine)
    return SqlUnitOfWork(engine)


@app.command()
def init(
    profile: Annotated[Path, typer.Option("--profile", "-p", help="The athlete profile (TOML).")],
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Store your profile and plan in the database (SQLite by default).

    Example: ironmile init --profile examples/marathoner.toml --db ironmile.db
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.adapters.files import read_text
        from ironmile.services.training import init_athlete

        result = init_athlete(
            _unit_of_work(db, create=True),
            profile_text=read_text(profile),
            source=str(profile),
            today=_as_of(as_of),
            catalogue=load_catalogue(),
        )
        if output_format is ListFormat.JSON:
            import json

            document = {
                "athlete": result.athlete.name,
                "start_date": result.plan.start_date.isoformat(),
                "end_date": result.plan.end_date.isoformat(),
                "weeks": len(result.plan.weeks),
            }
            sys.stdout.write(json.dumps(document, indent=2) + "\n")
        else:
            typer.echo(
                f"stored {result.athlete.name!r} with a {len(result.plan.weeks)}-week plan "
                f"({result.plan.start_date} → {result.plan.end_date}); see it with `ironmile today`"
            )

    _guarded(run)


@app.command()
def today(
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Show today's session: targets ready for the bar, plates per side, rest, and why.

    Example: ironmile today --date 2026-12-08
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.render.day import day_json, day_text
        from ironmile.services.training import show_day

        view = show_day(_unit_of_work(db), day=_as_of(as_of), catalogue=load_catalogue())
        sys.stdout.write(day_json(view) if output_format is ListFormat.JSON else day_text(view))

    _guarded(run)


@app.command()
def log(
    exercise: Annotated[str | None, typer.Argument(help="A catalogue id, e.g. back_squat.")] = None,
    sets: Annotated[
        str | None, typer.Argument(help="Load x reps x sets @ RIR, e.g. 60x5x3@2 (bw x8x3 for bodyweight).")
    ] = None,
    as_planned: Annotated[bool, typer.Option("--as-planned", help="Log the day's targets as done.")] = False,
    pain: Annotated[int | None, typer.Option("--pain", help="Worst pain during the session, 0–10.")] = None,
    rpe: Annotated[int | None, typer.Option("--rpe", help="Session effort, 0–10.")] = None,
    body_mass: Annotated[
        float | None, typer.Option("--body-mass", help="Today's weigh-in, in your profile's units.")
    ] = None,
    morning_pain: Annotated[
        int | None, typer.Option("--morning-pain", help="Pain this morning, 0–10 (the day after training).")
    ] = None,
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Log what you lifted (one exercise in quick notation, the day as planned, or, with no
    arguments, exercise by exercise at prompts), and check-ins: body mass and next-morning pain.

    Example: ironmile log back_squat 60x5x3@2 --date 2026-12-08
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.services.review import record_body
        from ironmile.services.training import log_sets

        day = _as_of(as_of)
        uow = _unit_of_work(db)
        if body_mass is not None or morning_pain is not None:
            for warning in record_body(
                uow, day=day, catalogue=load_catalogue(), body_mass=body_mass, morning_pain=morning_pain
            ):
                typer.echo(f"! {warning}", err=True)
            if exercise is None and not as_planned:
                typer.echo(f"{day}: check-in stored")
                return
        entries = None
        if exercise is None and not as_planned:
            from ironmile.services.training import show_day

            entries, pain_asked, rpe_asked = _ask_sets(show_day(uow, day=day, catalogue=load_catalogue()))
            pain_value = pain if pain is not None else pain_asked
            rpe_value = rpe if rpe is not None else rpe_asked
        else:
            pain_value, rpe_value = pain, rpe
        session = log_sets(
            uow,
            entries=entries,
            day=day,
            catalogue=load_catalogue(),
            exercise_id=exercise,
            notation=sets,
            as_planned=as_planned,
            pain_during=pain_value,
            session_rpe=rpe_value,
        )
        if output_format is ListFormat.JSON:
            import json

            document = {
                "date": session.date.isoformat(),
                "planned": session.planned,
                "sets": [
                    {
                        "exercise": s.exercise_id,
                        "load_kg": s.load_kg,
                        "reps": s.reps,
                        "seconds": s.seconds,
                        "rir": s.rir,
                    }
                    for s in session.sets
                ],
            }
            sys.stdout.write(json.dumps(document, indent=2) + "\n")
        else:
            kind = "planned session" if session.planned else "extra session (no session was planned)"
            typer.echo(f"{day}: {len(session.sets)} sets logged in the {kind}")

    _guarded(run)


def _ask_sets(view: DayView) -> tuple[list[tuple[str, str | None]], int | None, int | None]:
    """The interactive log: each planned exercise (Enter = done as planned, `-` = skipped, or the
    sets in quick notation), extra exercises, then pain and effort."""
    entries: list[tuple[str, str | None]] = []
    for target in view.targets:
        answer = typer.prompt(
            f"{target.exercise.name} ({target.exercise.id}) — Enter: as planned, -: skipped, or sets",
            default="",
            show_default=False,
        ).strip()
        if answer != "-":
            entries.append((target.exercise.id, answer or None))
    while True:
        extra = typer.prompt("Another exercise id (Enter to finish)", default="", show_default=False).strip()
        if not extra:
            break
        entries.append((extra, typer.prompt(f"{extra} sets (e.g. 60x5x3@2)").strip()))
    pain = typer.prompt("Worst pain during the session, 0–10 (Enter to skip)", default="", show_default=False)
    rpe = typer.prompt("Session effort, 0–10 (Enter to skip)", default="", show_default=False)
    return entries, _optional_int(pain, "pain"), _optional_int(rpe, "effort")


def _optional_int(text: str, name: str) -> int | None:
    from ironmile.domain.errors import InputError

    if not text.strip():
        return None
    try:
        return int(text)
    except ValueError:
        raise InputError(f"{name}: {text!r} is not a whole number from 0 to 10") from None


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


@app.command()
def export(
    db: DbOption = None,
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="json (one backup file) or csv (a folder, one file per table)."),
    ] = ExportFormat.JSON,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file (json) or folder (csv) instead of stdout."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files that exist.")] = False,
) -> None:
    """Export everything stored (profile, plans, log, body mass, screens, swaps, runs) as JSON or CSV.

    Example: ironmile export --format json --out backup.json

    CSV for spreadsheets: ironmile export --format csv --out my-data/
    """

    def run() -> None:
        from ironmile.services.training import export_all, export_tables

        if output_format is ExportFormat.JSON:
            _emit(export_all(_unit_of_work(db)), out, force)
            return
        if out is None:
            from ironmile.domain.errors import FieldProblem, ProfileError

            raise ProfileError(
                [FieldProblem("--out", "CSV is one file per table: give a folder, e.g. --out my-data/")]
            )
        from ironmile.adapters.files import write_folder

        tables = export_tables(_unit_of_work(db))
        write_folder(out, dict(tables), force=force)
        typer.echo(f"wrote {len(tables)} files to {out}/", err=True)

    _guarded(run)


@app.command()
def restore(
    backup: Annotated[Path, typer.Argument(help="A file written by `ironmile export`.")],
    db: DbOption = None,
) -> None:
    """Restore an export into an empty database.

    Example: ironmile restore backup.json --db new.db
    """

    def run() -> None:
        from ironmile.adapters.files import read_text
        from ironmile.services.training import restore_all

        text = read_text(backup)  # a missing or unreadable backup creates no database
        restore_all(_unit_of_work(db, create=True), text, source=str(backup))
        typer.echo(f"restored {backup}")

    _guarded(run)


@app.command()
def week(
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: FormatOption = ListFormat.TABLE,
) -> None:
    """Show this week's sessions (Monday to Sunday) with today's targets for each.

    Example: ironmile week --date 2026-12-08
    """

    def run() -> None:
        from datetime import timedelta

        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.render.day import day_document, day_text
        from ironmile.services.training import show_day

        day = _as_of(as_of)
        monday = day - timedelta(days=day.weekday())
        catalogue = load_catalogue()
        uow = _unit_of_work(db)
        views = [show_day(uow, day=monday + timedelta(days=n), catalogue=catalogue) for n in range(7)]
        planned = [view for view in views if view.targets]
        if output_format is ListFormat.JSON:
            import json

            sys.stdout.write(json.dumps([day_document(view) for view in planned], indent=2) + "\n")
        elif not planned:
            typer.echo(f"no strength session planned in the week of {monday:%a %d %b %Y}")
        else:
            sys.stdout.write("\n".join(day_text(view) for view in planned))

    _guarded(run)
