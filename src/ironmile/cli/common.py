"""The `ironmile` command line (Typer + Rich): the app, its shared options and error handling.

Exit codes, mapped here and only here: 0 ok, 1 runtime failure, 2 bad input. Heavy modules are
imported inside the commands so `ironmile --help` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from ironmile import __version__

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
    PDF = "pdf"
    ICS = "ics"
    FIT = "fit"


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


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


def _emit(text: str | bytes, out: Path | None, force: bool) -> None:
    if out is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
        else:
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


def _date_option(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        from ironmile.domain.errors import FieldProblem, ProfileError

        raise ProfileError([FieldProblem(name, f"{value!r} is not a date; expected YYYY-MM-DD")]) from None


FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="table or json.")]


def _as_of(value: str | None) -> date:
    """The day a command acts as of: `--date`, else today."""
    return _date_option(value, "--date") or date.today()
