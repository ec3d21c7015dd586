"""The `ironmile` command line (Typer + Rich).

Exit codes, mapped here and only here: 0 ok, 1 runtime failure, 2 bad input. Heavy modules are
imported inside the commands so `ironmile --help` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from ironmile import __version__

if TYPE_CHECKING:
    from ironmile.adapters.db.unit_of_work import SqlUnitOfWork

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2

app = typer.Typer(
    name="ironmile",
    help="Strength training for runners: a periodised plan that fits around your running week and races."
    "\n\nExample: ironmile plan --profile examples/marathoner.toml",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: Rich's help renderer alone costs ~0.2 s of start-up
)
exercises_app = typer.Typer(
    help="The exercise catalogue.\n\nExample: ironmile exercises --pattern hinge --equipment dumbbell",
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(exercises_app, name="exercises")

T = TypeVar("T")


class PlanFormat(StrEnum):
    TABLE = "table"
    TEXT = "text"
    JSON = "json"


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def _fail(message: str, code: int) -> NoReturn:
    for line in message.splitlines():
        typer.echo(f"error: {line}", err=True)
    raise typer.Exit(code)


def _guarded(action: Callable[[], T]) -> T:
    """Run a command body, turning ironmile's errors into a message and an exit code."""
    from ironmile.domain.errors import InputError, IronmileError

    try:
        return action()
    except InputError as error:
        _fail(str(error), EXIT_BAD_INPUT)
    except IronmileError as error:
        _fail(str(error), EXIT_FAILURE)


def _emit(text: str, out: Path | None, force: bool) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    from ironmile.adapters.files import write_atomic

    write_atomic(out, text, force=force)
    typer.echo(f"wrote {out}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ironmile {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Strength training for runners.

    Example: ironmile plan --profile examples/marathoner.toml
    """


@app.command()
def plan(
    profile: Annotated[Path, typer.Option("--profile", "-p", help="The athlete profile (TOML).")],
    output_format: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="table (terminal), text, or json (ironmile.plan/1)."),
    ] = PlanFormat.TABLE,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
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
) -> None:
    """Build your strength plan from a profile.

    Example: ironmile plan --profile examples/marathoner.toml --format json --out plan.json
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.services.planning import plan_from_file

        result = plan_from_file(
            profile,
            today=_date_option(as_of, "--date") or date.today(),
            catalogue=load_catalogue(),
            start=_date_option(start, "--start"),
            weeks=weeks,
        )
        if output_format is PlanFormat.JSON:
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


def _date_option(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        from ironmile.domain.errors import FieldProblem, ProfileError

        raise ProfileError([FieldProblem(name, f"{value!r} is not a date; expected YYYY-MM-DD")]) from None


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
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ListFormat.TABLE,
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
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ListFormat.TABLE,
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


def main() -> None:
    app(prog_name="ironmile")


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="IRONMILE_DB",
        help="Database: a SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…) or a SQLite file path.",
    ),
]
DateOption = Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="Act as of this day.")]


def _unit_of_work(db: str | None) -> SqlUnitOfWork:
    """The database the user chose, migrated to this version (SQLAlchemy is imported only here)."""
    import os

    from ironmile.adapters.db.engine import database_url, make_engine
    from ironmile.adapters.db.migrate import upgrade
    from ironmile.adapters.db.unit_of_work import SqlUnitOfWork

    engine = make_engine(database_url(db, os.environ))
    upgrade(engine)
    return SqlUnitOfWork(engine)


@app.command()
def init(
    profile: Annotated[Path, typer.Option("--profile", "-p", help="The athlete profile (TOML).")],
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ListFormat.TABLE,
) -> None:
    """Store your profile and plan in the database (SQLite by default).

    Example: ironmile init --profile examples/marathoner.toml --db ironmile.db
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.adapters.files import read_text
        from ironmile.services.training import init_athlete

        result = init_athlete(
            _unit_of_work(db),
            profile_text=read_text(profile),
            source=str(profile),
            today=_date_option(as_of, "--date") or date.today(),
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
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ListFormat.TABLE,
) -> None:
    """Show today's session: targets ready for the bar, plates per side, rest, and why.

    Example: ironmile today --date 2026-12-08
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.render.day import day_json, day_text
        from ironmile.services.training import show_day

        view = show_day(
            _unit_of_work(db), day=_date_option(as_of, "--date") or date.today(), catalogue=load_catalogue()
        )
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
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ListFormat.TABLE,
) -> None:
    """Log what you lifted (one exercise in quick notation, or the day as planned), and check-ins:
    body mass and next-morning pain.

    Example: ironmile log back_squat 60x5x3@2 --date 2026-12-08
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.services.training import log_sets, record_body

        day = _date_option(as_of, "--date") or date.today()
        uow = _unit_of_work(db)
        if body_mass is not None or morning_pain is not None:
            for warning in record_body(
                uow, day=day, catalogue=load_catalogue(), body_mass=body_mass, morning_pain=morning_pain
            ):
                typer.echo(f"! {warning}", err=True)
            if exercise is None and not as_planned:
                typer.echo(f"{day}: check-in stored")
                return
        session = log_sets(
            uow,
            day=day,
            catalogue=load_catalogue(),
            exercise_id=exercise,
            notation=sets,
            as_planned=as_planned,
            pain_during=pain,
            session_rpe=rpe,
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


@app.command()
def export(
    db: DbOption = None,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f", help="json.")] = ListFormat.JSON,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")] = False,
) -> None:
    """Export everything stored (profile, plans, log, body mass, screens, swaps) as JSON.

    Example: ironmile export --format json --out backup.json
    """

    def run() -> None:
        from ironmile.services.training import export_all

        if output_format is not ListFormat.JSON:
            from ironmile.domain.errors import InputError

            raise InputError("--format: export writes json")
        _emit(export_all(_unit_of_work(db)), out, force)

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

        restore_all(_unit_of_work(db), read_text(backup), source=str(backup))
        typer.echo(f"restored {backup}")

    _guarded(run)


@app.command()
def week(
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ListFormat.TABLE,
) -> None:
    """Show this week's sessions (Monday to Sunday) with today's targets for each.

    Example: ironmile week --date 2026-12-08
    """

    def run() -> None:
        from datetime import timedelta

        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.render.day import day_document, day_text
        from ironmile.services.training import show_day

        day = _date_option(as_of, "--date") or date.today()
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


@app.command()
def swap(
    exercise: Annotated[str, typer.Argument(help="The catalogue id to replace, e.g. back_squat.")],
    to: Annotated[
        str | None, typer.Option("--to", help="The replacement id (default: the closest one).")
    ] = None,
    db: DbOption = None,
    as_of: DateOption = None,
) -> None:
    """Swap an exercise for an equivalent one (same pattern and emphasis) from today on.

    Example: ironmile swap back_squat --to box_squat
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.services.training import swap_exercise

        catalogue = load_catalogue()
        done = swap_exercise(
            _unit_of_work(db),
            exercise_id=exercise,
            replacement_id=to,
            day=_date_option(as_of, "--date") or date.today(),
            catalogue=catalogue,
        )
        typer.echo(
            f"from {done.since}: {catalogue.get(done.replacement_id).name} ({done.replacement_id}) "
            f"instead of {catalogue.get(done.exercise_id).name}"
        )

    _guarded(run)


profile_app = typer.Typer(
    help="Show or change the stored profile.\n\nExample: ironmile profile show", rich_markup_mode=None
)
app.add_typer(profile_app, name="profile")


@profile_app.command("show")
def profile_show(db: DbOption = None) -> None:
    """Print the stored profile (TOML).

    Example: ironmile profile show > my.toml
    """

    def run() -> None:
        from ironmile.services.training import show_profile

        sys.stdout.write(show_profile(_unit_of_work(db)))

    _guarded(run)


@profile_app.command("edit")
def profile_edit(
    source: Annotated[
        Path, typer.Option("--from", help="The new profile (TOML), checked before it is stored.")
    ],
    db: DbOption = None,
    as_of: DateOption = None,
) -> None:
    """Replace the stored profile and re-plan from today on (history stays as it was).

    Example: ironmile profile edit --from my.toml   (after `ironmile profile show > my.toml`)
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.adapters.files import read_text
        from ironmile.services.training import edit_profile

        result = edit_profile(
            _unit_of_work(db),
            profile_text=read_text(source),
            source=str(source),
            today=_date_option(as_of, "--date") or date.today(),
            catalogue=load_catalogue(),
        )
        typer.echo(f"profile stored; the plan from {result.effective_from} on is new")

    _guarded(run)


@app.command()
def report(
    db: DbOption = None,
    as_of: DateOption = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ListFormat.TABLE,
) -> None:
    """Review: e1RM and relative strength per main lift, body mass, balance, adherence.

    Example: ironmile report --format json
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.render.report import report_json, report_text
        from ironmile.services.training import build_athlete_report

        result = build_athlete_report(
            _unit_of_work(db), today=_date_option(as_of, "--date") or date.today(), catalogue=load_catalogue()
        )
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
) -> None:
    """Record a quad-dominance re-test (every 6–8 weeks) and re-plan with its target.

    Asks for each result that is not given as an option.

    Example: ironmile screen --left 22 --right 25 --felt-in quads
    """

    def run() -> None:
        from ironmile.adapters.catalogue_file import load_catalogue
        from ironmile.domain.training import ScreenResultRecord
        from ironmile.services.training import record_screen

        day = _date_option(as_of, "--date") or date.today()
        asked_left = left if left is not None else typer.prompt("Single-leg bridge reps, left", type=int)
        asked_right = right if right is not None else typer.prompt("Single-leg bridge reps, right", type=int)
        asked_felt = felt_in or typer.prompt(
            "Where do you feel uphill running and squats (quads, glutes_hamstrings, both)?", type=str
        )
        record = ScreenResultRecord(day, asked_left, asked_right, asked_felt, hq)
        result, replanned = record_screen(
            _unit_of_work(db), record=record, today=day, catalogue=load_catalogue()
        )
        if result.quad_dominant:
            typer.echo("quad dominance flagged: " + "; ".join(result.reasons))
        else:
            typer.echo("no quad dominance flagged")
        typer.echo(
            f"posterior:anterior target {result.posterior_target:g}; the plan from "
            f"{replanned.effective_from} on is new. Re-test in 6–8 weeks."
        )

    _guarded(run)
