"""Planning use cases: read a profile, apply command-line overrides, build the plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ironmile.adapters.files import read_text
from ironmile.adapters.profile_toml import MAX_WEEKS, parse_profile
from ironmile.domain.athlete import Profile
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import FieldProblem, ProfileError
from ironmile.domain.plan import Plan
from ironmile.domain.planner import build_plan


def load_profile(path: Path, *, today: date, catalogue: Catalogue) -> Profile:
    return parse_profile(read_text(path), source=str(path), today=today, catalogue=catalogue)


def with_overrides(profile: Profile, *, start: date | None = None, weeks: int | None = None) -> Profile:
    """The profile with `--start` / `--weeks` applied, checked like the profile's own fields."""
    problems = []
    if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
        problems.append(FieldProblem("--weeks", f"{weeks} is out of range; expected 1 to {MAX_WEEKS}"))
    strength = profile.strength
    start = start or strength.start_date
    for position, race in enumerate(profile.races):
        if race.date < start:
            problems.append(
                FieldProblem(f"races[{position}].date", f"{race.date} is before the plan starts ({start})")
            )
    if problems:
        raise ProfileError(problems)
    return replace(profile, strength=replace(strength, start_date=start, weeks=weeks or strength.weeks))


def plan_from_file(
    path: Path,
    *,
    today: date,
    catalogue: Catalogue,
    start: date | None = None,
    weeks: int | None = None,
) -> Plan:
    return profile_and_plan(path, today=today, catalogue=catalogue, start=start, weeks=weeks)[1]


def profile_and_plan(
    path: Path,
    *,
    today: date,
    catalogue: Catalogue,
    start: date | None = None,
    weeks: int | None = None,
) -> tuple[Profile, Plan]:
    """The profile (with the overrides applied) and its plan."""
    profile = with_overrides(load_profile(path, today=today, catalogue=catalogue), start=start, weeks=weeks)
    return profile, build_plan(profile, catalogue)
