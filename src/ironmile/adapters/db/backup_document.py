"""Reading an `ironmile.dump/1` document back (a backup file the user hands to restore).

Every field is checked (type, range, vocabulary, one reading a day, one activity per fingerprint)
and every problem reported at once, each naming its field the way the document spells it, before
anything is stored. `activities` may be absent: documents written before activities were stored
restore with none.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from ironmile.adapters.db.backup_activities import one_per_fingerprint, read_activity
from ironmile.adapters.db.ports import StoredActivity
from ironmile.domain.errors import FieldProblem, InputError
from ironmile.domain.training import BodyMass, LoggedSession, LoggedSet, MorningPain, ScreenResultRecord, Swap
from ironmile.domain.units import UnitSystem

SCHEMA = "ironmile.dump/1"

T = TypeVar("T")


def parse_document(document: Mapping[str, Any]) -> ParsedBackup:
    """The document's contents as domain values; an InputError with one line per problem if any."""
    reader = _Reader()
    parsed = reader.document(document)
    if reader.problems or parsed is None:
        raise InputError("\n".join(str(problem) for problem in reader.problems))
    return parsed


@dataclass(frozen=True, slots=True)
class ParsedBackup:
    """One athlete's rows, in the document's order; plan versions as (created_on, effective_from, JSON)."""

    name: str
    units: UnitSystem
    profile_toml: str
    created_on: date
    plan_versions: list[tuple[date, date, str]]
    sessions: list[LoggedSession]
    morning_pain: list[MorningPain]
    body_mass: list[BodyMass]
    screens: list[ScreenResultRecord]
    swaps: list[Swap]
    activities: list[StoredActivity]


def _one_a_day(reading: MorningPain | BodyMass) -> tuple[object, str]:
    return reading.date, f"a second reading on {reading.date}; there is one a day"


def _one_swap_a_day(swap: Swap) -> tuple[object, str]:
    return (swap.since, swap.exercise_id), f"a second swap of {swap.exercise_id} on {swap.since}"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOP_KEYS = (
    "schema",
    "athlete",
    "plan_versions",
    "logged_sessions",
    "morning_pain",
    "body_mass",
    "screens",
    "swaps",
)
_OPTIONAL_TOP_KEYS = ("activities",)


class _Reader:
    """Reads a document field by field, collecting problems instead of stopping at the first one.

    A failed field reads as None; whatever is built from it is thrown away with the problems.
    """

    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def document(self, data: Mapping[str, Any]) -> ParsedBackup | None:
        record = self.record("", data, _TOP_KEYS, optional=_OPTIONAL_TOP_KEYS)
        if record is None:
            return None
        if record["schema"] != SCHEMA:
            self.fail("schema", f"expected {SCHEMA!r}, not {record['schema']!r}")
        athlete = self.record("athlete", record["athlete"], ("name", "units", "profile_toml", "created_on"))
        if athlete is None:
            return None
        units = self.text("athlete.units", athlete["units"])
        if units is not None and units not in {system.value for system in UnitSystem}:
            self.fail("athlete.units", f"expected 'metric' or 'imperial', not {units!r}")
            units = None
        return ParsedBackup(
            name=self.text("athlete.name", athlete["name"]) or "",
            units=UnitSystem(units or "metric"),
            profile_toml=self.text("athlete.profile_toml", athlete["profile_toml"]) or "",
            created_on=self.day("athlete.created_on", athlete["created_on"]) or date.min,
            plan_versions=self.rows("plan_versions", record["plan_versions"], self.plan_version),
            sessions=self.rows("logged_sessions", record["logged_sessions"], self.session),
            morning_pain=self.rows("morning_pain", record["morning_pain"], self.morning_pain, _one_a_day),
            body_mass=self.rows("body_mass", record["body_mass"], self.body_mass, _one_a_day),
            screens=self.rows("screens", record["screens"], self.screen),
            swaps=self.rows("swaps", record["swaps"], self.swap, _one_swap_a_day),
            activities=self.rows(
                "activities", record.get("activities", []), self.activity, one_per_fingerprint
            ),
        )

    def rows(
        self,
        path: str,
        values: Any,
        read: Callable[[str, Any], T | None],
        identity: Callable[[T], tuple[object, str]] | None = None,
    ) -> list[T]:
        """The list at `path`, each item read by `read`; `identity` gives an item's key and the
        message for a second item with that key (stored, it would silently replace the first)."""
        if not isinstance(values, list):
            self.fail(path, "expected a list")
            return []
        rows: list[T] = []
        seen: set[object] = set()
        for position, value in enumerate(values):
            row = read(f"{path}[{position}]", value)
            if row is None:
                continue
            if identity is not None:
                key, twice = identity(row)
                if key in seen:
                    self.fail(f"{path}[{position}]", twice)
                seen.add(key)
            rows.append(row)
        return rows

    def plan_version(self, path: str, value: Any) -> tuple[date, date, str] | None:
        row = self.record(path, value, ("created_on", "effective_from", "document"))
        if row is None:
            return None
        created_on = self.day(f"{path}.created_on", row["created_on"])
        effective_from = self.day(f"{path}.effective_from", row["effective_from"])
        text = self.text(f"{path}.document", row["document"])
        if created_on is None or effective_from is None or text is None:
            return None
        return created_on, effective_from, text

    def session(self, path: str, value: Any) -> LoggedSession | None:
        keys = ("date", "planned", "pain_during", "session_rpe", "note", "sets")
        row = self.record(path, value, keys)
        if row is None:
            return None
        day = self.day(f"{path}.date", row["date"])
        planned = row["planned"]
        if not isinstance(planned, bool):
            self.fail(f"{path}.planned", "expected true or false")
        sets = self.rows(f"{path}.sets", row["sets"], self.logged_set)
        return LoggedSession(
            date=day or date.min,
            sets=tuple(sets),
            planned=bool(planned),
            pain_during=self.integer(f"{path}.pain_during", row["pain_during"], 0, 10, optional=True),
            session_rpe=self.integer(f"{path}.session_rpe", row["session_rpe"], 0, 10, optional=True),
            note=self.text(f"{path}.note", row["note"], optional=True),
        )

    def logged_set(self, path: str, value: Any) -> LoggedSet | None:
        row = self.record(path, value, ("exercise_id", "load_kg", "reps", "seconds", "rir", "pain"))
        if row is None:
            return None
        return LoggedSet(
            exercise_id=self.text(f"{path}.exercise_id", row["exercise_id"]) or "",
            load_kg=self.number(f"{path}.load_kg", row["load_kg"], positive=False),
            reps=self.integer(f"{path}.reps", row["reps"], 0, 100, optional=True),
            seconds=self.integer(f"{path}.seconds", row["seconds"], 0, None, optional=True),
            rir=self.integer(f"{path}.rir", row["rir"], 0, 10, optional=True),
            pain=self.integer(f"{path}.pain", row["pain"], 0, 10, optional=True),
        )

    def morning_pain(self, path: str, value: Any) -> MorningPain | None:
        row = self.record(path, value, ("date", "pain"))
        if row is None:
            return None
        return MorningPain(
            date=self.day(f"{path}.date", row["date"]) or date.min,
            pain=self.integer(f"{path}.pain", row["pain"], 0, 10) or 0,
        )

    def body_mass(self, path: str, value: Any) -> BodyMass | None:
        row = self.record(path, value, ("date", "mass_kg"))
        if row is None:
            return None
        mass = self.number(f"{path}.mass_kg", row["mass_kg"], positive=True, optional=False)
        return BodyMass(date=self.day(f"{path}.date", row["date"]) or date.min, mass_kg=mass or 1.0)

    def screen(self, path: str, value: Any) -> ScreenResultRecord | None:
        row = self.record(
            path, value, ("date", "bridge_left_reps", "bridge_right_reps", "felt_in", "hq_ratio")
        )
        if row is None:
            return None
        felt_in = self.text(f"{path}.felt_in", row["felt_in"], optional=True)
        if felt_in not in (None, "quads", "glutes_hamstrings", "both"):
            self.fail(f"{path}.felt_in", f"expected quads, glutes_hamstrings or both, not {felt_in!r}")
        return ScreenResultRecord(
            date=self.day(f"{path}.date", row["date"]) or date.min,
            bridge_left_reps=self.integer(
                f"{path}.bridge_left_reps", row["bridge_left_reps"], 0, None, optional=True
            ),
            bridge_right_reps=self.integer(
                f"{path}.bridge_right_reps", row["bridge_right_reps"], 0, None, optional=True
            ),
            felt_in=felt_in,
            hq_ratio=self.number(f"{path}.hq_ratio", row["hq_ratio"], positive=True),
        )

    def swap(self, path: str, value: Any) -> Swap | None:
        row = self.record(path, value, ("since", "exercise_id", "replacement_id"))
        if row is None:
            return None
        return Swap(
            since=self.day(f"{path}.since", row["since"]) or date.min,
            exercise_id=self.text(f"{path}.exercise_id", row["exercise_id"]) or "",
            replacement_id=self.text(f"{path}.replacement_id", row["replacement_id"]) or "",
        )

    def activity(self, path: str, value: Any) -> StoredActivity | None:
        return read_activity(self, path, value)

    def record(
        self, path: str, value: Any, keys: tuple[str, ...], *, optional: tuple[str, ...] = ()
    ) -> Mapping[str, Any] | None:
        """`value` as an object with exactly `keys`, and perhaps some of `optional`."""
        where = path or "document"
        if not isinstance(value, Mapping):
            self.fail(path or "document", f"expected an object with {', '.join(keys)}")
            return None
        missing = [key for key in keys if key not in value]
        unknown = sorted(str(key) for key in value if key not in keys and key not in optional)
        if missing:
            self.fail(path, f"{where} lacks {', '.join(missing)}")
        if unknown:
            self.fail(path, f"{where} has unknown fields {', '.join(unknown)}")
        return None if missing else value

    def text(self, path: str, value: Any, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            self.fail(path, "expected a string")
            return None
        if "\x00" in value:
            self.fail(path, "NUL characters cannot be stored (PostgreSQL's text has none)")
            return None
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                self.fail(path, "not valid Unicode text (a lone surrogate such as \\ud800)")
                return None
        return value

    def day(self, path: str, value: Any) -> date | None:
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, f"expected a date as YYYY-MM-DD, not {value!r}")
        return None

    def integer(
        self, path: str, value: Any, low: int, high: int | None, *, optional: bool = False
    ) -> int | None:
        if value is None and optional:
            return None
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and low <= value
            and (high is None or value <= high)
        ):
            return value
        expected = f"{low} to {high}" if high is not None else f"{low} or more"
        self.fail(path, f"expected an integer {expected}, not {value!r}")
        return None

    def number(self, path: str, value: Any, *, positive: bool, optional: bool = True) -> float | None:
        """A finite number ≥ 0 (> 0 when `positive`); ints are taken as floats."""
        if value is None and optional:
            return None
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and (value > 0 if positive else value >= 0)
        ):
            return float(value)
        self.fail(path, f"expected a number {'above' if positive else 'of at least'} 0, not {value!r}")
        return None

    def fail(self, path: str, message: str) -> None:
        self.problems.append(FieldProblem(path, message))
