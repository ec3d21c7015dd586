"""Running-history use cases: the load report, the running week inferred from history, and what
the strength plan takes from the runs (the week when none is written down, spikes this week)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.db.records import StoredAthlete
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.activity import Activity
from ironmile.domain.athlete import Profile
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.running_habits import InferredWeek, infer_running_week
from ironmile.domain.running_load import (
    HeartRateProfile,
    heart_rate_profile,
)
from ironmile.domain.running_report import RunningReport, build_running_report
from ironmile.domain.running_weeks import monday_of
from ironmile.domain.units import UnitSystem
from ironmile.services.training import current_athlete

HABIT_WEEKS = 8  # the running week is read from the last 8 whole weeks


def _profile(athlete: StoredAthlete, *, today: date, catalogue: Catalogue) -> Profile:
    return parse_profile(athlete.profile_toml, source="stored profile", today=today, catalogue=catalogue)


def athlete_heart_rate(profile: Profile, activities: Sequence[Activity]) -> HeartRateProfile | None:
    athlete = profile.athlete
    return heart_rate_profile(
        resting_bpm=athlete.resting_heart_rate_bpm,
        max_bpm=athlete.max_heart_rate_bpm,
        sex=athlete.sex,
        activities=activities,
    )


def running_report(
    uow: UnitOfWork, *, today: date, weeks: int, catalogue: Catalogue, athlete_id: int | None = None
) -> RunningReport:
    """Weeks, flags and load for the last `weeks` ISO weeks up to `today`."""
    with uow:
        athlete = current_athlete(uow, athlete_id)
        activities = uow.activities.between(athlete.id, end=today)
    profile = _profile(athlete, today=today, catalogue=catalogue)
    return build_running_report(
        activities,
        today=today,
        weeks=weeks,
        hr=athlete_heart_rate(profile, activities),
        units=profile.athlete.units,
    )


@dataclass(frozen=True, slots=True)
class Suggestion:
    units: UnitSystem
    inferred: InferredWeek


def _inferred_week(uow: UnitOfWork, athlete_id: int, profile: Profile, *, today: date) -> InferredWeek:
    history = uow.activities.between(athlete_id, end=today)
    recent_start = monday_of(today) - timedelta(weeks=HABIT_WEEKS + 1)
    recent = [a for a in history if a.start.date() >= recent_start]
    return infer_running_week(recent, today=today, weeks=HABIT_WEEKS, hr=athlete_heart_rate(profile, history))


def suggest_running_week(
    uow: UnitOfWork, *, today: date, catalogue: Catalogue, athlete_id: int | None = None
) -> Suggestion:
    """The running week the last 8 whole weeks of imported runs show."""
    with uow:
        athlete = current_athlete(uow, athlete_id)
        profile = _profile(athlete, today=today, catalogue=catalogue)
        return Suggestion(profile.athlete.units, _inferred_week(uow, athlete.id, profile, today=today))


def with_history(
    uow: UnitOfWork, athlete_id: int, profile: Profile, *, today: date
) -> tuple[Profile, InferredWeek | None]:
    """The profile, with the running week inferred from history when the profile writes none down
    (no run days) and imported runs show one; the inference comes back to be shown."""
    if profile.running.run_days:
        return profile, None
    inferred = _inferred_week(uow, athlete_id, profile, today=today)
    if not inferred.running.run_days:
        return profile, None
    return replace(profile, running=inferred.running), inferred
