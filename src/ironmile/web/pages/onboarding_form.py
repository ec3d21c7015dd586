"""Reading the onboarding wizard's form: the text a runner typed, to typed profile answers.

Text that is not a number or a date at all is named here, field by field; whether the numbers and
dates make sense is the profile parser's to say (services.onboarding.check).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

from ironmile.adapters.profile_writer import ProfileAnswers, RaceAnswer
from ironmile.domain.units import UnitSystem

T = TypeVar("T")
RACE_FIELD = re.compile(r"^races-(\d{1,2})-(name|date|distance|priority)$")


def race_count(values: Mapping[str, object]) -> int:
    return len({m[1] for key in values if (m := RACE_FIELD.match(key))})


NUMBER = r"[+-]?(\d+([.,]\d*)?|[.,]\d+)"  # 68, 68.5 or 68,5
WHOLE = r"[+-]?\d{1,6}"
ISO_DATE = r"\d{4}-\d{2}-\d{2}"


class _Reader:
    """Form text to typed answers; text that is not a number or a date is named in `errors`."""

    def __init__(self, values: Mapping[str, str | list[str]]) -> None:
        self.values, self.errors = values, dict[str, str]()

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        found = (value[-1] if value else "") if isinstance(value, list) else (value or "")
        return found.strip() or None

    def words(self, name: str) -> tuple[str, ...]:
        value = self.values.get(name, [])
        return tuple(word.strip() for word in ([value] if isinstance(value, str) else value) if word.strip())

    def typed(
        self, name: str, pattern: str, convert: Callable[[str], T], kind: str, expected: str
    ) -> T | None:
        raw = self.text(name)
        if raw is not None and re.fullmatch(pattern, raw):
            with contextlib.suppress(ValueError):  # 2027-02-30 has the shape of a date
                return convert(raw)
        if raw is not None:
            self.errors[name] = f"{raw!r} is not {kind}; expected {expected}"
        return None

    def number(self, name: str, expected: str) -> float | None:
        return self.typed(name, NUMBER, lambda raw: float(raw.replace(",", ".")), "a number", expected)

    def whole(self, name: str, expected: str) -> int | None:
        return self.typed(name, WHOLE, int, "a whole number", expected)

    def day(self, name: str) -> date | None:
        return self.typed(name, ISO_DATE, date.fromisoformat, "a date", "a date such as 2027-04-25")


def units_of(values: Mapping[str, object]) -> UnitSystem:
    return UnitSystem.IMPERIAL if values.get("units") == "imperial" else UnitSystem.METRIC


def read_answers(values: Mapping[str, str | list[str]]) -> tuple[ProfileAnswers, dict[str, str]]:
    """The answers, and the fields whose text is not a number or date at all."""
    form = _Reader(values)
    units = units_of(values)
    mass, distance = units.mass_label, units.distance_label
    races = tuple(
        RaceAnswer(
            date=form.day(f"races-{i}-date"),
            distance=form.number(f"races-{i}-distance", f"the race distance in {distance}"),
            priority=form.text(f"races-{i}-priority") or "A",
            name=form.text(f"races-{i}-name"),
        )
        for i in range(race_count(values))
    )
    answers = ProfileAnswers(
        body_mass=form.number("body_mass", f"your body mass in {mass}"),
        units=form.text("units") or "metric",
        strength_level=form.text("strength_level") or "novice",
        goal=form.text("goal") or "strength",
        sex=form.text("sex"),
        time_zone=form.text("time_zone"),
        weekly_distance=form.number("weekly_distance", f"your usual weekly distance in {distance}"),
        run_days=form.words("run_days"),
        key_days=form.words("key_days"),
        long_run_day=form.text("long_run_day"),
        races=races,
        available_days=form.words("available_days"),
        session_minutes=form.whole("session_minutes", "whole minutes per session, 20 to 240"),
        start_date=form.day("start_date"),
        equipment=form.words("equipment"),
        knee_pain=form.whole("knee_pain", "0 (none) to 10 (worst)") or 0,
        red_flags=form.words("red_flags"),
        bridge_left=form.whole("bridge_left", "reps on the left leg, 0 to 200"),
        bridge_right=form.whole("bridge_right", "reps on the right leg, 0 to 200"),
        felt_in=form.text("felt_in"),
        hq_ratio=form.number("hq_ratio", "a ratio such as 0.65"),
    )
    return answers, form.errors
