"""The running report: weeks, flags and the daily load series, as `ironmile running` shows them.

Pure: the caller passes every activity up to `today`. The load models start on the day of the first
run on record, whatever the weeks shown: exponentially weighted averages need the history before
them, and the ACWR's 28-day warm-up counts from that first run, so a day's numbers never depend on
how many weeks a report shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ironmile.domain.activity import Activity
from ironmile.domain.running_load import (
    AcwrDay,
    FitnessDay,
    HeartRateProfile,
    LoadMethod,
    activity_load,
    acwr_series,
    daily_loads,
    fitness_fatigue,
)
from ironmile.domain.running_weeks import WeekSummary, monday_of, weekly_summaries
from ironmile.domain.units import UnitSystem


@dataclass(frozen=True, slots=True)
class LoadDay:
    day: date
    load: float  # AU (TRIMP-comparable), the day's runs together
    runs: int
    acwr: AcwrDay
    fitness: FitnessDay


@dataclass(frozen=True, slots=True)
class RunningReport:
    as_of: date
    units: UnitSystem
    heart_rate: HeartRateProfile | None
    weeks: tuple[WeekSummary, ...]
    days: tuple[LoadDay, ...]
    methods: tuple[tuple[LoadMethod, int], ...]  # how the shown runs' loads were measured, and how often
    other_activities: int  # non-running activities in the shown weeks: kept, not counted as load


def load_days(
    activities: Sequence[Activity], *, first: date, last: date, hr: HeartRateProfile | None
) -> tuple[LoadDay, ...]:
    """Each day from `first` to `last` with its load, ACWR and fitness/fatigue. `activities` must
    hold every activity on record up to `last`: the models start on the day of the first run among
    them (both averages at 0, the ratio after its warm-up from that day), not on `first`, so the
    numbers of a day are the same whichever days are asked for. Days before the first run carry no
    load, averages of 0 and no ratio."""
    if last < first:
        raise ValueError(f"last day {last} is before first day {first}")
    history = [a for a in activities if a.start.date() <= last]
    origin = min((a.start.date() for a in history if a.is_run), default=last + timedelta(days=1))
    quiet = (first + timedelta(days=offset) for offset in range((origin - first).days))
    days = [LoadDay(d, 0.0, 0, AcwrDay(d, 0.0, 0.0, None, None), FitnessDay(d, 0.0, 0.0, 0.0)) for d in quiet]
    if origin <= last:
        loads = daily_loads(history, first=origin, last=last, hr=hr)
        days += (
            LoadDay(load.day, load.load, load.runs, ratio, form)
            for load, ratio, form in zip(loads, acwr_series(loads), fitness_fatigue(loads), strict=True)
            if load.day >= first
        )
    return tuple(days)


def build_running_report(
    activities: Sequence[Activity],
    *,
    today: date,
    weeks: int,
    hr: HeartRateProfile | None,
    units: UnitSystem,
) -> RunningReport:
    """The last `weeks` ISO weeks up to `today` (the current week included, so far)."""
    first_week = monday_of(today) - timedelta(weeks=weeks - 1)
    history = [a for a in activities if a.start.date() <= today]
    days = load_days(history, first=first_week, last=today, hr=hr)
    shown = [a for a in history if a.start.date() >= first_week]
    methods = Counter(
        measured.method for a in shown if a.is_run and (measured := activity_load(a, hr)) is not None
    )
    return RunningReport(
        as_of=today,
        units=units,
        heart_rate=hr,
        weeks=weekly_summaries(history, first_week=first_week, last_week=today),
        days=days,
        methods=tuple(sorted(methods.items())),
        other_activities=sum(1 for a in shown if not a.is_run),
    )
