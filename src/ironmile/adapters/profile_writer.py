"""Writing an athlete profile (the TOML of DESIGN.md, read back by `profile_toml.parse_profile`).

The wizard and the API collect answers in the profile's own units (kg or lb, km or mi) and its own
words (`"metric"`, `"tue"`, `"A"`); this module turns them into the same text a runner would write
by hand, so what is stored is a file they can read, download and edit. The writer judges nothing:
a value out of range or a misspelt word is written as given and `parse_profile` names the field at
fault. A field left as None is left out, so the parser reports a required one as missing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# TOML basic strings (toml.io v1.0.0, "String"): these escapes have short forms; every other
# control character (U+0000–U+001F, U+007F) is written as a \u escape (four hex digits).
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True, slots=True)
class RaceAnswer:
    date: date | None
    distance: float | None  # km or mi, the profile's units
    priority: str = "A"  # A | B | C
    name: str | None = None


@dataclass(frozen=True, slots=True)
class LiftAnswer:
    """A recent best set: `load` (kg or lb; one dumbbell for dumbbell lifts) for `reps` with `rir`
    reps in reserve."""

    load: float
    reps: int
    rir: int = 0


@dataclass(frozen=True, slots=True)
class ProfileAnswers:
    """Every profile field, in the profile's units; None (or empty) means "not given"."""

    # [athlete]
    body_mass: float | None = None  # kg or lb
    units: str = "metric"  # metric | imperial
    strength_level: str = "novice"  # novice | intermediate | advanced
    goal: str = "strength"  # strength | muscle
    name: str | None = None
    sex: str | None = None  # female | male
    resting_heart_rate: int | None = None  # beats per minute
    max_heart_rate: int | None = None  # beats per minute
    time_zone: str | None = None  # IANA name such as Europe/Berlin
    # [running]
    weekly_distance: float | None = None  # km or mi per week
    run_days: tuple[str, ...] = ()  # mon … sun
    key_days: tuple[str, ...] = ()
    long_run_day: str | None = None
    # [[races]]
    races: tuple[RaceAnswer, ...] = ()
    # [strength]
    available_days: tuple[str, ...] = ()
    session_minutes: int | None = None  # minutes
    start_date: date | None = None  # None: the next Monday
    weeks: int | None = None  # plan length in weeks
    sessions_per_week: int | None = None
    equipment: tuple[str, ...] = ()
    e1rm_formula: str | None = None  # epley | brzycki
    # [health]
    knee_pain: int = 0  # 0–10
    red_flags: tuple[str, ...] = ()
    # [screen]
    bridge_left: int | None = None  # single-leg bridge reps to failure
    bridge_right: int | None = None
    felt_in: str | None = None  # quads | glutes_hamstrings | both
    hq_ratio: float | None = None  # hamstring:quadriceps strength ratio
    # [lifts]: exercise id and best set
    lifts: tuple[tuple[str, LiftAnswer], ...] = ()


def toml_string(text: str) -> str:
    """`text` as a TOML basic string. Lone surrogates are not Unicode text and cannot be written."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"{text!r} holds a lone surrogate (U+{code:04X}); it is not Unicode text")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def toml_number(value: float) -> str:
    """An int as an integer; a float so it reads back exactly (Python's shortest repr is valid TOML,
    and so are TOML's own `inf` and `nan`, which the parser then refuses by name)."""
    if isinstance(value, bool):
        raise TypeError("a profile has no true/false numbers")
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(float(value))


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else toml_string(name)


def _list(values: Iterable[str]) -> str:
    return "[" + ", ".join(toml_string(value) for value in values) + "]"


def _lines(pairs: Iterable[tuple[str, str | None]]) -> list[str]:
    """`key = value` lines for the values given (None: left out)."""
    return [f"{key} = {value}" for key, value in pairs if value is not None]


def _maybe(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return toml_number(value)
    raise TypeError(f"cannot write {value!r} in a profile")


def _units_note(units: str) -> str:
    if units == "imperial":
        return "# Masses in lb, distances in mi."
    return "# Masses in kg, distances in km." if units == "metric" else "# Units: see athlete.units."


def _lift(lift: LiftAnswer) -> str:
    reserve = f", rir = {toml_number(lift.rir)}" if lift.rir else ""  # 0, to failure, is the default
    return f"{{ load = {toml_number(lift.load)}, reps = {toml_number(lift.reps)}{reserve} }}"


def _screen(answers: ProfileAnswers) -> list[str]:
    bridge = [
        f"{side} = {toml_number(reps)}"
        for side, reps in (("left", answers.bridge_left), ("right", answers.bridge_right))
        if reps is not None
    ]
    lines = [f"single_leg_bridge = {{ {', '.join(bridge)} }}"] if bridge else []
    return lines + _lines((("felt_in", _maybe(answers.felt_in)), ("hq_ratio", _maybe(answers.hq_ratio))))


def write_profile(answers: ProfileAnswers) -> str:
    """The profile as TOML text, sections in the order of docs/profile.md."""
    a = answers
    sections: list[list[str]] = [
        [
            "[athlete]",
            *_lines(
                (
                    ("name", _maybe(a.name)),
                    ("body_mass", _maybe(a.body_mass)),
                    ("units", toml_string(a.units)),
                    ("strength_level", toml_string(a.strength_level)),
                    ("goal", toml_string(a.goal)),
                    ("sex", _maybe(a.sex)),
                    ("resting_heart_rate", _maybe(a.resting_heart_rate)),
                    ("max_heart_rate", _maybe(a.max_heart_rate)),
                    ("time_zone", _maybe(a.time_zone)),
                )
            ),
        ],
        [
            "[running]",
            *_lines(
                (
                    ("weekly_distance", _maybe(a.weekly_distance)),
                    ("run_days", _list(a.run_days)),
                    ("key_days", _list(a.key_days)),
                    ("long_run_day", _maybe(a.long_run_day)),
                )
            ),
        ],
    ]
    for race in a.races:
        sections.append(
            [
                "[[races]]",
                *_lines(
                    (
                        ("name", _maybe(race.name)),
                        ("date", _maybe(race.date)),
                        ("distance", _maybe(race.distance)),
                        ("priority", toml_string(race.priority)),
                    )
                ),
            ]
        )
    sections.append(
        [
            "[strength]",
            *_lines(
                (
                    ("start_date", _maybe(a.start_date)),
                    ("weeks", _maybe(a.weeks)),
                    ("available_days", _list(a.available_days)),
                    ("sessions_per_week", _maybe(a.sessions_per_week)),
                    ("session_minutes", _maybe(a.session_minutes)),
                    ("equipment", _list(a.equipment)),
                    ("e1rm_formula", _maybe(a.e1rm_formula)),
                )
            ),
        ]
    )
    sections.append(
        ["[health]", f"knee_pain = {toml_number(a.knee_pain)}", f"red_flags = {_list(a.red_flags)}"]
    )
    screen = _screen(a)
    if screen:
        sections.append(["[screen]", *screen])
    if a.lifts:
        sections.append(["[lifts]", *(f"{_key(lift_id)} = {_lift(lift)}" for lift_id, lift in a.lifts)])
    header = (
        f"# ironmile athlete profile; the fields are described in docs/profile.md.\n{_units_note(a.units)}"
    )
    return header + "\n\n" + "\n\n".join("\n".join(lines) for lines in sections) + "\n"
