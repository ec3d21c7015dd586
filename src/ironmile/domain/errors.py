"""One error tree for ironmile; every failure a user can meet is one of these.

    IronmileError                      base: runtime failure (CLI exit 1, HTTP 500)
    ├── InputError                     the user's input is wrong (CLI exit 2, HTTP 422)
    │   ├── ProfileError               a profile has one or more field problems
    │   ├── UnknownExerciseError       an exercise id that is not in the catalogue (HTTP 404)
    │   ├── OutputExistsError          refusing to overwrite a file without --force
    │   ├── FileAccessError            a file the user named cannot be read or written
    │   ├── LogNotationError           quick log text such as `60x5x3@2` that does not parse
    │   │                              (domain/log_notation.py)
    │   ├── RejectedFileError          an activity file an import cannot read; the batch goes on
    │   └── NotFoundError              nothing of that id is visible to the one asking (HTTP 404)
    ├── AccessError                    the web app's access control
    │   ├── SignInRequired             no (valid) session (HTTP 401)
    │   ├── NotPermitted               signed in, but this is not theirs to see or do (HTTP 403)
    │   └── TooManyAttempts            sign-in rate limit reached (HTTP 429, with retry_after_s)
    └── CatalogueError                 the shipped exercise catalogue is inconsistent (a bug: exit 1)

Messages name the file, the field and what was expected, so they can be shown as they are. The
mapping to exit codes lives in `ironmile.cli`; to HTTP statuses, in the web layer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class IronmileError(Exception):
    """Base of every error ironmile raises on purpose."""


class InputError(IronmileError):
    """The input a user gave is wrong; retrying with the same input fails the same way."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem with one field: `field` is a dotted path such as `strength.available_days[2]`."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ProfileError(InputError):
    """A profile failed validation; `problems` holds one entry per field at fault."""

    def __init__(self, problems: Iterable[FieldProblem], *, source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        prefix = f"{self.source}: " if self.source else ""
        return [f"{prefix}{problem}" for problem in self.problems]


class UnknownExerciseError(InputError):
    """An exercise id that the catalogue does not hold."""

    def __init__(self, exercise_id: str, *, suggestions: Iterable[str] = ()) -> None:
        self.exercise_id = exercise_id
        self.suggestions = tuple(suggestions)
        hint = f" (did you mean {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"no exercise with id {exercise_id!r} in the catalogue{hint}")


class OutputExistsError(InputError):
    """The output file exists and the user did not ask to replace it."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path}: file exists; pass --force to replace it")


class FileAccessError(InputError):
    """A path the user gave cannot be read or written (missing, a folder, no permission)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        super().__init__(f"{path}: {reason}")


class CatalogueError(IronmileError):
    """The exercise catalogue data is inconsistent; one line per problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("exercise catalogue: " + "; ".join(self.problems))


class RejectedFileError(InputError):
    """An activity file that cannot be imported: corrupt, truncated, not an activity, too large.

    Importers raise it for one file; the import reports it with `source` and `reason` and carries on
    with the rest of the batch."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class NotFoundError(InputError):
    """Nothing with that id exists for the one asking. Another account's data is "not found" too,
    so that a response never tells a stranger what exists."""


class AccessError(IronmileError):
    """Base of the web app's access-control failures."""


class SignInRequired(AccessError):
    """The request carries no valid session (none, tampered, expired or logged out everywhere)."""

    def __init__(self, message: str = "sign in first") -> None:
        super().__init__(message)


class NotPermitted(AccessError):
    """Signed in, but the account's role or membership does not allow this."""


class TooManyAttempts(AccessError):
    """Too many failed sign-ins for this email or address; `retry_after_s` until the next try."""

    def __init__(self, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"too many failed sign-ins; try again in {retry_after_s} s")
