"""Reading and validating the athlete profile (TOML, the public contract of DESIGN.md).

pydantic checks the shape; this module turns its errors into one line per problem in ironmile's
words (`strength.available_days[2]: 'fryday' is not a day (mon…sun)`) and converts the result to
the domain's SI-unit `Profile`. Nothing here raises anything but `ProfileError` for bad input.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from ironmile.adapters.validation_messages import field_message, field_path
from ironmile.domain.athlete import (
    DAY_NAMES,
    RED_FLAGS,
    Athlete,
    E1rmFormula,
    Goal,
    Health,
    KnownLift,
    Profile,
    Race,
    RacePriority,
    RunningWeek,
    Screen,
    Sex,
    StrengthLevel,
    StrengthSetup,
)
from ironmile.domain.catalogue import EQUIPMENT, Catalogue
from ironmile.domain.errors import FieldProblem, ProfileError
from ironmile.domain.loading import MAX_E1RM_REPS
from ironmile.domain.units import UnitSystem, kg_from_display, m_from_display

MIN_SESSION_MINUTES = 20  # convention: below this a warm-up and two lifts do not fit
MAX_SESSION_MINUTES = 240
MAX_WEEKS = 104


def _day(value: str) -> str:
    if value not in DAY_NAMES:
        raise PydanticCustomError("day", "{value} is not a day (mon…sun)", {"value": repr(value)})
    return value


def _equipment(value: str) -> str:
    if value not in EQUIPMENT:
        raise PydanticCustomError(
            "equipment",
            "{value} is not known equipment (expected one of: {known}; bodyweight is always available)",
            {"value": repr(value), "known": ", ".join(EQUIPMENT)},
        )
    return value


def _red_flag(value: str) -> str:
    if value not in RED_FLAGS:
        raise PydanticCustomError(
            "red_flag",
            "{value} is not a red flag (expected one of: {known})",
            {"value": repr(value), "known": ", ".join(RED_FLAGS)},
        )
    return value


Day = Annotated[str, AfterValidator(_day)]
Equipment = Annotated[str, AfterValidator(_equipment)]
RedFlag = Annotated[str, AfterValidator(_red_flag)]


class _Section(BaseModel):
    # strict: TOML has real types, so "68" or true for a body mass is a mistake, not a number
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class AthleteIn(_Section):
    name: str | None = None
    body_mass: float = Field(gt=0, lt=700)  # kg or lb
    units: Literal["metric", "imperial"] = "metric"
    strength_level: Literal["novice", "intermediate", "advanced"] = "novice"
    goal: Literal["strength", "muscle"] = "strength"
    sex: Literal["female", "male"] | None = None  # picks the TRIMP weighting for heart-rate load
    resting_heart_rate: int | None = Field(default=None, ge=25, le=120)  # beats per minute
    max_heart_rate: int | None = Field(default=None, ge=100, le=240)  # beats per minute
    time_zone: str | None = None  # IANA name; the local day of runs recorded without a UTC offset


class RunningIn(_Section):
    weekly_distance: float = Field(default=0, ge=0, lt=1000)
    run_days: list[Day] = []
    key_days: list[Day] = []
    long_run_day: Day | None = None


class RaceIn(_Section):
    name: str | None = None
    date: date
    distance: float = Field(gt=0, lt=1000)
    priority: Literal["A", "B", "C"] = "A"


class StrengthIn(_Section):
    start_date: date | None = None
    weeks: int | None = Field(default=None, ge=1, le=MAX_WEEKS)
    available_days: list[Day] = Field(min_length=1)
    sessions_per_week: int | None = Field(default=None, ge=1, le=7)
    session_minutes: int = Field(ge=MIN_SESSION_MINUTES, le=MAX_SESSION_MINUTES)
    equipment: list[Equipment] = []
    e1rm_formula: Literal["epley", "brzycki"] = "epley"


class HealthIn(_Section):
    knee_pain: int = Field(default=0, ge=0, le=10)
    red_flags: list[RedFlag] = []


class BridgeIn(_Section):
    left: int = Field(ge=0, le=200)
    right: int = Field(ge=0, le=200)


class ScreenIn(_Section):
    single_leg_bridge: BridgeIn | None = None
    felt_in: Literal["quads", "glutes_hamstrings", "both"] | None = None
    hq_ratio: float | None = Field(default=None, gt=0, lt=3)


class LiftIn(_Section):
    load: float = Field(gt=0, lt=1000)
    reps: int = Field(ge=1, le=MAX_E1RM_REPS)
    rir: int = Field(default=0, ge=0, le=5)


class ProfileIn(_Section):
    athlete: AthleteIn
    running: RunningIn = RunningIn()
    races: list[RaceIn] = []
    strength: StrengthIn
    health: HealthIn = HealthIn()
    screen: ScreenIn = ScreenIn()
    lifts: dict[str, LiftIn] = {}


# What a field expects, for "missing" and type errors; keyed by the path without list indices.
EXPECTED: dict[str, str] = {
    "athlete": "an [athlete] table",
    "strength": "a [strength] table",
    "athlete.body_mass": "your body mass, a number greater than 0 (kg, or lb with units = 'imperial')",
    "strength.available_days": "a list of days such as ['mon', 'wed', 'fri']",
    "strength.session_minutes": f"whole minutes per session, {MIN_SESSION_MINUTES} to {MAX_SESSION_MINUTES}",
    "strength.start_date": "a date such as 2026-12-07",
    "strength.weeks": f"a whole number of weeks, 1 to {MAX_WEEKS}",
    "races.date": "a date such as 2027-04-25",
    "races.distance": "the race distance, a number greater than 0 (km, or mi with units = 'imperial')",
    "lifts.load": "the load lifted, a number greater than 0",
    "lifts.reps": f"whole reps, 1 to {MAX_E1RM_REPS} (e1RM is not estimated above {MAX_E1RM_REPS})",
    "screen.single_leg_bridge": "a table such as { left = 22, right = 25 }",
    "screen.single_leg_bridge.left": "reps to failure on the left leg, 0 to 200",
    "screen.single_leg_bridge.right": "reps to failure on the right leg, 0 to 200",
}


def next_monday(today: date) -> date:
    """The first Monday after today: the default start, leaving time to get ready."""
    return today + timedelta(days=7 - today.weekday())


def parse_profile(text: str, *, source: str, today: date, catalogue: Catalogue) -> Profile:
    """Parse and validate a profile; raise ProfileError with every problem found."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise ProfileError(
            [
                FieldProblem(
                    "",
                    "the file is empty; expected [athlete] and [strength] tables (see docs/profile.md)",
                )
            ],
            source=source,
        )
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError([FieldProblem("", f"not valid TOML: {error}")], source=source) from None
    try:
        model = ProfileIn.model_validate(document)
    except ValidationError as error:
        problems = [
            FieldProblem(
                field_path(item["loc"]), field_message(item, model=ProfileIn, expected_by_path=EXPECTED)
            )
            for item in error.errors()
        ]
        raise ProfileError(problems, source=source) from None
    problems = _cross_field_problems(model, today=today, catalogue=catalogue)
    if problems:
        raise ProfileError(problems, source=source)
    return _to_domain(model, today=today)


def _known_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _cross_field_problems(model: ProfileIn, *, today: date, catalogue: Catalogue) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    resting, maximum = model.athlete.resting_heart_rate, model.athlete.max_heart_rate
    if resting is not None and maximum is not None and resting >= maximum:
        problems.append(
            FieldProblem(
                "athlete.resting_heart_rate",
                f"{resting} is not below athlete.max_heart_rate ({maximum}); expected your heart rate "
                "at rest",
            )
        )
    if model.athlete.time_zone is not None and not _known_zone(model.athlete.time_zone):
        problems.append(
            FieldProblem(
                "athlete.time_zone",
                f"{model.athlete.time_zone!r} is not a time zone; expected an IANA name such as "
                "Europe/Berlin",
            )
        )
    running = model.running
    for position, day in enumerate(running.key_days):
        if day not in running.run_days:
            problems.append(
                FieldProblem(f"running.key_days[{position}]", f"{day!r} is not one of running.run_days")
            )
    if running.long_run_day is not None and running.long_run_day not in running.run_days:
        problems.append(
            FieldProblem("running.long_run_day", f"{running.long_run_day!r} is not one of running.run_days")
        )
    if running.long_run_day is not None and running.long_run_day in running.key_days:
        problems.append(
            FieldProblem(
                "running.long_run_day",
                f"{running.long_run_day!r} is also in running.key_days; a day holds one run "
                "(list quality in the long run under long_run_day only)",
            )
        )
    start = model.strength.start_date or next_monday(today)
    for position, race in enumerate(model.races):
        if race.date < start:
            problems.append(
                FieldProblem(f"races[{position}].date", f"{race.date} is before the plan starts ({start})")
            )
        elif (
            race.priority == "A"
            and model.strength.weeks is None
            and (race.date - start).days >= 7 * MAX_WEEKS
        ):
            problems.append(
                FieldProblem(
                    f"races[{position}].date",
                    f"{race.date} is more than {MAX_WEEKS} weeks after the start ({start}); plan up "
                    "to a nearer race or set strength.weeks",
                )
            )
    for lift_id, lift in model.lifts.items():
        if lift_id not in catalogue:
            problems.append(
                FieldProblem(
                    f"lifts.{lift_id}",
                    "not an exercise id in the catalogue (see `ironmile exercises`)",
                )
            )
        elif not catalogue.get(lift_id).loaded:
            problems.append(FieldProblem(f"lifts.{lift_id}", "a bodyweight or band exercise takes no load"))
        if lift.reps + lift.rir > MAX_E1RM_REPS:
            problems.append(
                FieldProblem(
                    f"lifts.{lift_id}.rir",
                    f"reps + rir = {lift.reps + lift.rir}; expected at most {MAX_E1RM_REPS}",
                )
            )
    return problems


def _days(names: Sequence[str]) -> frozenset[int]:
    return frozenset(DAY_NAMES.index(name) for name in names)


def _to_domain(model: ProfileIn, *, today: date) -> Profile:
    units = UnitSystem(model.athlete.units)
    screen = model.screen
    bridge = screen.single_leg_bridge
    strength = model.strength
    return Profile(
        athlete=Athlete(
            body_mass_kg=kg_from_display(model.athlete.body_mass, units),
            units=units,
            level=StrengthLevel(model.athlete.strength_level),
            goal=Goal(model.athlete.goal),
            name=model.athlete.name,
            sex=Sex(model.athlete.sex) if model.athlete.sex else None,
            resting_heart_rate_bpm=model.athlete.resting_heart_rate,
            max_heart_rate_bpm=model.athlete.max_heart_rate,
            time_zone=model.athlete.time_zone,
        ),
        running=RunningWeek(
            weekly_distance_m=m_from_display(model.running.weekly_distance, units),
            run_days=_days(model.running.run_days),
            key_days=_days(model.running.key_days),
            long_run_day=DAY_NAMES.index(model.running.long_run_day) if model.running.long_run_day else None,
        ),
        races=tuple(
            sorted(
                (
                    Race(
                        race.date,
                        m_from_display(race.distance, units),
                        RacePriority(race.priority),
                        race.name,
                    )
                    for race in model.races
                ),
                key=lambda race: (race.date, race.priority),
            )
        ),
        strength=StrengthSetup(
            start_date=strength.start_date or next_monday(today),
            available_days=_days(strength.available_days),
            session_minutes=strength.session_minutes,
            equipment=frozenset(strength.equipment),
            weeks=strength.weeks,
            sessions_per_week=strength.sessions_per_week,
            e1rm_formula=E1rmFormula(strength.e1rm_formula),
        ),
        health=Health(knee_pain=model.health.knee_pain, red_flags=frozenset(model.health.red_flags)),
        screen=Screen(
            bridge_left_reps=bridge.left if bridge else None,
            bridge_right_reps=bridge.right if bridge else None,
            felt_in=screen.felt_in,
            hq_ratio=screen.hq_ratio,
        ),
        lifts=tuple(
            KnownLift(lift_id, kg_from_display(lift.load, units), lift.reps, lift.rir)
            for lift_id, lift in sorted(model.lifts.items())
        ),
    )
