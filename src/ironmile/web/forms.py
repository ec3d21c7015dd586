"""Form helpers: field problems keyed by field name, for templates to show next to each input."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import FormData

from ironmile.domain.errors import InputError, ProfileError


def field_errors(error: InputError, *, default_field: str = "") -> dict[str, str]:
    """`{field: message}` from an error; a message with no field goes under `default_field`.
    Profile paths such as `strength.available_days[2]` keep only their last name (`available_days`),
    the form's input name."""
    if isinstance(error, ProfileError):
        errors: dict[str, str] = {}
        for problem in error.problems:
            key = problem.field.rsplit(".", 1)[-1].split("[", 1)[0] or default_field
            errors.setdefault(key, problem.message)
        return errors
    return {default_field: str(error)}


def form_values(
    form: FormData, *, exclude: frozenset[str] = frozenset({"password", "csrf_token"})
) -> dict[str, str | list[str]]:
    """What the user typed, to put back into the form: a string per field, a list for a field sent
    more than once (checkboxes). Passwords never come back."""
    values: dict[str, str | list[str]] = {}
    for key, value in form.multi_items():
        if not isinstance(value, str) or key in exclude:
            continue
        many = [v for v in form.getlist(key) if isinstance(v, str)]
        values[key] = many if len(many) > 1 else value
    return values


def text(form: FormData | Mapping[str, object], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
