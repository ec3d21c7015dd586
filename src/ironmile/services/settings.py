"""Settings use cases: the training setup (units, equipment, available days, session minutes) and
the squads an athlete joined (changing the password is an account use case: services/accounts.py).

The profile TOML is the source of truth and a public contract (docs/profile.md), written by the
athlete: a settings change edits only the lines it must and leaves every other field, comment and
blank line as it was (`edited_profile`). Changing units converts every mass and distance in the file
(body mass, weekly distance, race distances, lift loads), because the file reads them in its units.
The result must parse back to exactly the intended document; if a hand-written layout defeats the
line edit (dotted keys, an inline [athlete] table), the whole document is written out again instead,
with the same values but without the comments.

Plates are not a profile field: the gym screen loads the bar from the standard set of the profile's
units (domain/plates.py: a 20 kg bar with 25…1.25 kg plates, or a 45 lb bar with 45…2.5 lb plates),
so changing units is how plates change.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, cast

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.profile_toml import MAX_SESSION_MINUTES, MIN_SESSION_MINUTES, parse_profile
from ironmile.domain.accounts import Account, Squad
from ironmile.domain.athlete import DAY_NAMES
from ironmile.domain.catalogue import EQUIPMENT, Catalogue
from ironmile.domain.errors import FieldProblem, ProfileError
from ironmile.domain.plates import STANDARD
from ironmile.domain.units import UnitSystem, display_from_kg, display_from_m, kg_from_display, m_from_display
from ironmile.services.review import Replanned, edit_profile
from ironmile.services.training import current_athlete

# Converted values are rounded to what a person would write: 0.1 kg/lb and 0.01 km/mi.
MASS_DECIMALS = 1
DISTANCE_DECIMALS = 2


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    """The editable part of the profile, as the athlete wrote it, and the plates that follow units."""

    units: UnitSystem
    equipment: tuple[str, ...]  # the catalogue's vocabulary, in its order
    available_days: tuple[str, ...]  # mon…sun, in week order
    session_minutes: int  # minutes
    bar: float  # the bar's mass in `units` (kg or lb)
    plates: tuple[float, ...]  # plate masses in `units`, heaviest first


@dataclass(frozen=True, slots=True)
class TrainingChanged:
    settings: TrainingSettings
    replanned: Replanned | None  # None when nothing changed (and nothing was re-planned)


def _settings(profile_text: str, *, today: date, catalogue: Catalogue) -> TrainingSettings:
    profile = parse_profile(profile_text, source="stored profile", today=today, catalogue=catalogue)
    units, strength = profile.athlete.units, profile.strength
    standard = STANDARD[units]
    return TrainingSettings(
        units=units,
        equipment=tuple(item for item in EQUIPMENT if item in strength.equipment),
        available_days=tuple(DAY_NAMES[day] for day in sorted(strength.available_days)),
        session_minutes=strength.session_minutes,
        bar=standard.bar,
        plates=standard.plates,
    )


def training_settings(
    uow: UnitOfWork, *, today: date, catalogue: Catalogue, athlete_id: int | None = None
) -> TrainingSettings:
    with uow:
        text = current_athlete(uow, athlete_id).profile_toml
    return _settings(text, today=today, catalogue=catalogue)


def change_training(
    uow: UnitOfWork,
    *,
    today: date,
    catalogue: Catalogue,
    athlete_id: int | None = None,
    units: str | None = None,
    equipment: Sequence[str] | None = None,
    available_days: Sequence[str] | None = None,
    session_minutes: int | str | None = None,
) -> TrainingChanged:
    """Apply the given changes (None leaves a setting alone) and re-plan from today. Every problem
    is raised at once, keyed by the setting's name, before anything is written."""
    minutes = _check(units, equipment, available_days, session_minutes)
    with uow:
        text = current_athlete(uow, athlete_id).profile_toml
    new_text = edited_profile(
        text, units=units, equipment=equipment, available_days=available_days, session_minutes=minutes
    )
    if new_text == text:
        return TrainingChanged(_settings(text, today=today, catalogue=catalogue), None)
    replanned = edit_profile(
        uow, profile_text=new_text, source="settings", today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    return TrainingChanged(_settings(new_text, today=today, catalogue=catalogue), replanned)


def _check(
    units: str | None, equipment: Sequence[str] | None, days: Sequence[str] | None, minutes: int | str | None
) -> int | None:
    problems: list[FieldProblem] = []
    if units is not None and units not in {u.value for u in UnitSystem}:
        problems.append(FieldProblem("units", f"{units!r} is not metric or imperial"))
    for item in [item for item in equipment or () if item not in EQUIPMENT][:1]:
        known = ", ".join(EQUIPMENT)
        problems.append(FieldProblem("equipment", f"{item!r} is not known equipment (expected: {known})"))
    if days is not None and not days:
        problems.append(FieldProblem("available_days", "choose at least one day you could lift"))
    for day in [day for day in days or () if day not in DAY_NAMES][:1]:
        problems.append(FieldProblem("available_days", f"{day!r} is not a day (mon…sun)"))
    text = str(minutes).strip()
    whole = int(text) if re.fullmatch(r"\d{1,4}", text) else None
    if minutes is not None and (whole is None or not MIN_SESSION_MINUTES <= whole <= MAX_SESSION_MINUTES):
        expected = f"expected whole minutes, {MIN_SESSION_MINUTES} to {MAX_SESSION_MINUTES}"
        reason = "is not a whole number" if whole is None else "is out of range"
        problems.append(FieldProblem("session_minutes", f"{text!r} {reason}; {expected}"))
    if problems:
        raise ProfileError(problems)
    return whole


# --- editing the profile text -------------------------------------------------------------------------

Path = tuple[str | int, ...]  # keys and list positions into the parsed document


def edited_profile(
    text: str,
    *,
    units: str | None = None,
    equipment: Sequence[str] | None = None,
    available_days: Sequence[str] | None = None,
    session_minutes: int | None = None,
) -> str:
    """The profile text with the settings changed (unchanged settings are not touched at all)."""
    document = tomllib.loads(text)
    changes: dict[Path, Any] = {}
    strength = document.get("strength", {})
    if equipment is not None and set(equipment) != set(strength.get("equipment", [])):
        changes["strength", "equipment"] = [item for item in EQUIPMENT if item in set(equipment)]
    if available_days is not None and set(available_days) != set(strength.get("available_days", [])):
        changes["strength", "available_days"] = [day for day in DAY_NAMES if day in set(available_days)]
    if session_minutes is not None and session_minutes != strength.get("session_minutes"):
        changes["strength", "session_minutes"] = session_minutes
    old = UnitSystem(document.get("athlete", {}).get("units", "metric"))
    if units is not None and UnitSystem(units) is not old:
        changes.update(_unit_changes(document, old, UnitSystem(units)))
    if not changes:
        return text
    expected = copy.deepcopy(document)
    for path, value in changes.items():
        _set(expected, path, value)
    edited = _edit_lines(text, expected, changes)
    if edited is not None and _document(edited) == expected:
        return edited
    return emit_document(expected)


def _document(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _unit_changes(document: dict[str, Any], old: UnitSystem, new: UnitSystem) -> dict[Path, Any]:
    def mass(value: float) -> float:
        return round(display_from_kg(kg_from_display(value, old), new), MASS_DECIMALS)

    def distance(value: float) -> float:
        return round(display_from_m(m_from_display(value, old), new), DISTANCE_DECIMALS)

    changes: dict[Path, Any] = {("athlete", "units"): new.value}
    athlete, running = document.get("athlete", {}), document.get("running", {})
    if isinstance(athlete.get("body_mass"), int | float):
        changes["athlete", "body_mass"] = mass(athlete["body_mass"])
    if isinstance(running.get("weekly_distance"), int | float):
        changes["running", "weekly_distance"] = distance(running["weekly_distance"])
    for position, race in enumerate(document.get("races", [])):
        if isinstance(race, dict) and isinstance(race.get("distance"), int | float):
            changes["races", position, "distance"] = distance(race["distance"])
    for lift_id, lift in document.get("lifts", {}).items():
        if isinstance(lift, dict) and isinstance(lift.get("load"), int | float):
            changes["lifts", lift_id, "load"] = mass(lift["load"])
    return changes


def _set(document: Any, path: Path, value: Any) -> None:
    for part in path[:-1]:
        document = document.setdefault(part, {}) if isinstance(part, str) else document[part]
    document[path[-1]] = value


@dataclass(frozen=True, slots=True)
class _Table:
    """A table as written: its header's key path, which `[[array]]` entry it is, its header's line
    (None for the root) and its key/value statements as (first line, last line, bare key or None)."""

    path: tuple[str, ...]
    index: int | None
    header: int | None
    statements: list[tuple[int, int, str | None]]


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_STRING_OR_COMMENT = re.compile(r"\"(?:\\.|[^\"\\])*\"|'[^']*'|#")
# The next mark that matters in a statement, by the quotes of the string it is in ("" outside one):
# quotes, a comment, brackets; in basic strings also escapes, so that \" does not end the string.
# A run of 3 to 5 quotes ends a multi-line string (its content may end with one or two quotes).
_NEXT_MARK = {
    "": re.compile(r"\"\"\"|'''|[\"'#\[\]{}]"),
    '"': re.compile(r'\\.|"', re.S),
    "'": re.compile("'"),
    '"""': re.compile(r'\\.|"{3,5}', re.S),
    "'''": re.compile("'{3,5}"),
}


def _statement_end(lines: list[str], first: int) -> int:
    """The last line of the key/value statement that starts on line `first` of a valid document:
    the first line that leaves no bracket and no multi-line string open. One pass over its text."""
    depth, quotes = 0, ""  # how many [ and { are open outside strings; the open string's quotes
    for number in range(first, len(lines)):
        line, at = lines[number], 0
        while (mark := _NEXT_MARK[quotes].search(line, at)) is not None:
            at, token = mark.end(), mark.group()
            if quotes:
                quotes = quotes if token.startswith("\\") else ""
            elif token == "#":
                break
            elif token[0] in "\"'":
                quotes = token
            else:
                depth += 1 if token in "[{" else -1
        if depth == 0 and len(quotes) != 3:
            return number
    return len(lines) - 1


def _scan(lines: list[str]) -> list[_Table]:
    tables, seen, number = [_Table((), None, None, [])], dict[tuple[str, ...], int](), 0
    while number < len(lines):
        stripped = lines[number].strip()
        if stripped.startswith("["):
            array = stripped.startswith("[[")
            inner = stripped[2 if array else 1 : stripped.find("]]" if array else "]")]
            path = tuple(part.strip().strip("\"'") for part in inner.split("."))
            index = seen.get(path, 0) if array else None
            seen[path] = (index or 0) + 1
            tables.append(_Table(path, index, number, []))
        elif stripped and not stripped.startswith("#"):
            last, key = _statement_end(lines, number), lines[number].split("=", 1)[0].strip()
            tables[-1].statements.append((number, last, key if _BARE_KEY.fullmatch(key) else None))
            number = last
        number += 1
    return tables


def _edit_lines(text: str, expected: dict[str, Any], changes: dict[Path, Any]) -> str | None:
    """Each change written over its own line (comment kept) or added to its table; None when a
    change has no table written as a `[header]` to go into. The text is scanned once: every edit
    is placed by the original line numbers."""
    lines = [line if line.endswith("\n") else line + "\n" for line in text.splitlines(keepends=True)]
    by_name = {(t.path, t.index): t for t in reversed(_scan(lines)) if t.header is not None}  # first wins
    replaced: dict[int, tuple[int, str]] = {}  # first line → (last line, the statement rewritten)
    added: dict[int, list[str]] = {}  # line number → new statements to put before it, in order
    for path in changes:
        found = _locate(by_name, path)
        if found is None:
            return None
        table, depth = found
        key, value = str(path[depth]), cast(Any, expected)
        for part in path[: depth + 1]:
            value = value[part]
        statement = next((s for s in table.statements if s[2] == key), None)
        if statement is not None:
            first, last, _ = statement
            replaced[first] = (last, _rewritten(lines[first], emit_value(value), single=first == last))
        else:
            after = table.statements[-1][1] if table.statements else cast(int, table.header)
            added.setdefault(after + 1, []).append(f"{key} = {emit_value(value)}\n")
    edited, done = [], 0  # lines[:done] are in `edited` already
    for number in sorted({*replaced, *added}):
        edited += lines[done:number] + added.get(number, [])
        done = number
        if number in replaced:
            edited.append(replaced[number][1])
            done = replaced[number][0] + 1
    return "".join(edited + lines[done:])


def _locate(
    by_name: dict[tuple[tuple[str, ...], int | None], _Table], path: Path
) -> tuple[_Table, int] | None:
    """The table written with a header that holds `path`, and the position in `path` of its key
    there (the rest of the path lies inside that key's value, an inline table)."""
    for depth in range(len(path) - 1, 0, -1):
        head, key = path[:depth], path[depth]
        index = head[-1] if isinstance(head[-1], int) else None
        names = tuple(str(part) for part in (head[:-1] if index is not None else head))
        table = by_name.get((names, index))
        if table is not None and (depth == len(path) - 1 or any(s[2] == key for s in table.statements)):
            return table, depth
    return None


def _rewritten(line: str, value: str, *, single: bool) -> str:
    """The statement with its new value, keeping the indent, spacing and end-of-line comment (at
    its column). Only bare keys are rewritten, so the first `=` ends the key."""
    body = line.rstrip("\r\n")
    equals = body.index("=")
    if not single:
        return f"{body[: equals + 1]} {value}\n"
    marks = _STRING_OR_COMMENT.finditer(body, equals + 1)
    comment = next((mark.start() for mark in marks if mark.group() == "#"), len(body))
    old_value = body[equals + 1 : comment]
    new = body[: equals + 1] + (old_value[: len(old_value) - len(old_value.lstrip())] or " ") + value
    return (new + " " * max(1, comment - len(new)) + body[comment:] if comment < len(body) else new) + "\n"


def emit_value(value: Any) -> str:
    """A TOML value: strings as basic strings, dates as TOML dates, tables inline."""
    match value:
        case bool():
            return "true" if value else "false"
        case int() | float():
            return repr(value)
        case str():  # JSON's escapes are TOML's, but TOML also wants DEL escaped
            return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
        case date() | datetime() | time():
            return value.isoformat()
        case list():
            return "[" + ", ".join(emit_value(item) for item in value) + "]"
        case dict():
            return "{ " + ", ".join(f"{_key(k)} = {emit_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def emit_document(document: dict[str, Any]) -> str:
    """A whole document: values first, then each table under its header, arrays of tables as [[x]]."""
    return "\n".join(_emit_table((), document, array=False)).lstrip("\n") + "\n"


def _emit_table(path: tuple[str, ...], table: dict[str, Any], *, array: bool) -> list[str]:
    def is_tables(value: Any) -> bool:
        return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)

    lines: list[str] = []
    if path:
        name = ".".join(_key(part) for part in path)
        lines.extend(["", f"[[{name}]]" if array else f"[{name}]"])
    values = {k: v for k, v in table.items() if not isinstance(v, dict) and not is_tables(v)}
    lines.extend(f"{_key(k)} = {emit_value(v)}" for k, v in values.items())
    for key, value in table.items():
        if isinstance(value, dict):
            lines.extend(_emit_table((*path, key), value, array=False))
        elif is_tables(value):
            for item in value:
                lines.extend(_emit_table((*path, key), item, array=True))
    return lines


# --- squads ------------------------------------------------------------------------------


def joined_squads(uow: UnitOfWork, *, account: Account) -> list[Squad]:
    with uow:
        return uow.accounts.squads_joined_by(account.id)
