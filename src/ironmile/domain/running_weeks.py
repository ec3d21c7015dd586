"""Weekly running summaries and the two distance flags of SCIENCE.md §6.

Weeks are ISO weeks, Monday to Sunday, named by their Monday; a run belongs to the day of its local
start. Only runs count, and a recorded distance under 100 m counts as none (`MIN_RUN_DISTANCE_M`).
The flags are data (`Flag`) so the CLI, the web pages and the planner read the same numbers:

- spike (Frandsen et al. 2025, BJSM 59:1203): a run more than 10 % longer than the longest run of
  the 30 days before it (measured back from its start), in the study's three categories. No flag
  when no run with a distance falls in those 30 days: the study's exposure is a ratio to that
  longest run, so it is undefined, and the study gives no number for such runs. Coming back after
  a month off is therefore not measured here at all.
- ramp (Nielsen et al. 2014, JOSPT 44:739): weekly distance more than 30 % above the week before.
  The study grouped runners, after each run, by the progression of their weekly distance from one
  week to the next ("more than 30 % over a 2-week period"): the two weeks compared are consecutive
  weeks, not one week against a two-week average. Here they are calendar weeks, so the flag sits
  on one row of the weekly table; its day is the run that took the week past the line. No flag
  after a week without running: the rise is undefined. The association was weak (HR 1.59, 95 % CI
  0.96–2.66, distance-related injuries, novice runners) and a later cohort found none for
  week-to-week change (Frandsen et al. 2025). A smaller rise is never shown as safe: the "10 %
  rule" as a programme did not reduce injuries (Buist et al. 2008, AJSM 36:33).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from ironmile.domain.activity import Activity

NIELSEN_2014 = "Nielsen et al. 2014, JOSPT 44:739"
FRANDSEN_2025 = "Frandsen et al. 2025, BJSM 59:1203"
RAMP_PERCENT = 30
RAMP_HAZARD_RATIO = 1.59  # distance-related injuries, > 30 % vs < 10 % progression
SPIKE_PERCENT = 10
SPIKE_LOOKBACK = timedelta(days=30)
# A recorded distance under this is a device artefact (an indoor run's GPS drift), not the run's
# distance: taken at face value it would make the next real run a "spike" of thousands of percent.
MIN_RUN_DISTANCE_M = 100.0
WEEK = timedelta(days=7)


class FlagKind(StrEnum):
    RAMP = "ramp"
    SPIKE = "spike"


class SpikeCategory(StrEnum):
    SMALL = "small"  # > 10–30 % longer
    MODERATE = "moderate"  # > 30–100 %
    LARGE = "large"  # > 100 %


# (category, lower edge in % — exclusive, hazard rate ratio vs ≤ 10 %): Frandsen et al. 2025.
SPIKE_CATEGORIES = (
    (SpikeCategory.LARGE, 100, 2.28),
    (SpikeCategory.MODERATE, 30, 1.52),
    (SpikeCategory.SMALL, SPIKE_PERCENT, 1.64),
)


@dataclass(frozen=True, slots=True)
class Flag:
    """One flagged run or week, with the numbers behind it and a one-line message in plain words."""

    kind: FlagKind
    day: date  # the spiking run's date; for a ramp, the run that took the week past the line
    distance_m: float  # the run's distance, or the week's total distance
    reference_m: float  # the longest run of the previous 30 days, or the previous week's distance
    increase: float  # distance_m / reference_m − 1, as a fraction (0.45 = 45 % more)
    hazard_ratio: float  # what the source reports for this category against ≤ 10 % (ramp: < 10 %)
    category: SpikeCategory | None  # spikes only
    message: str
    source: str


@dataclass(frozen=True, slots=True)
class WeekSummary:
    week_start: date  # the Monday
    distance_m: float
    duration_s: float  # moving time where known, else elapsed
    runs: int
    long_run_m: float  # the week's longest run; 0 without runs with a distance
    flags: tuple[Flag, ...]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def spike_category(distance_m: float, reference_m: float) -> SpikeCategory | None:
    """The spike category of a run against the longest run of its previous 30 days, None if ≤ 10 %."""
    graded = _grade(_rise_percent(distance_m, reference_m))
    return graded[0] if graded is not None else None


def weekly_summaries(
    activities: Iterable[Activity], *, first_week: date, last_week: date
) -> tuple[WeekSummary, ...]:
    """One summary per week from the week of `first_week` to the week of `last_week` (any day names
    its week). Pass at least 30 days of history before `first_week`, or its flags cannot see back."""
    first, last = monday_of(first_week), monday_of(last_week)
    if last < first:
        raise ValueError(f"last week {last} is before first week {first}")
    runs = _runs(activities)
    spikes = _spikes(runs)
    by_week: dict[date, list[int]] = defaultdict(list)
    for index, run in enumerate(runs):
        by_week[monday_of(run.start.date())].append(index)
    summaries = []
    week = first
    while week <= last:
        indices = by_week.get(week, [])
        week_runs = [runs[index] for index in indices]
        flags = [flag for index in indices if (flag := spikes[index]) is not None]
        ramp = _ramp(week_runs, _distance(runs[index] for index in by_week.get(week - WEEK, [])))
        flags.extend([ramp] if ramp is not None else [])
        summaries.append(
            WeekSummary(
                week_start=week,
                distance_m=_distance(week_runs),
                duration_s=sum(run.duration_s or 0.0 for run in week_runs),
                runs=len(week_runs),
                long_run_m=max((run_distance_m(run) for run in week_runs), default=0.0),
                flags=tuple(sorted(flags, key=lambda flag: (flag.day, flag.kind))),
            )
        )
        week += WEEK
    return tuple(summaries)


def spike_in_week(activities: Iterable[Activity], week_start: date, *, as_of: date) -> Flag | None:
    """The largest spike among the runs of the week of `week_start` up to and including `as_of`."""
    monday = monday_of(week_start)
    end = min(monday + timedelta(days=6), as_of)
    # only the week's runs and the 30 days before it matter; the planner asks this once per week
    window = [a for a in activities if monday - SPIKE_LOOKBACK - WEEK <= a.start.date() <= end]
    spikes = _spikes(_runs(window))
    in_week = [flag for flag in spikes if flag is not None and monday <= flag.day <= end]
    return max(in_week, key=lambda flag: flag.increase, default=None)


def _runs(activities: Iterable[Activity]) -> list[Activity]:
    return sorted((activity for activity in activities if activity.is_run), key=lambda run: run.start)


def run_distance_m(run: Activity) -> float:
    """A run's distance in metres, 0 when unknown or below `MIN_RUN_DISTANCE_M`."""
    distance = run.distance_m
    return distance if distance is not None and MIN_RUN_DISTANCE_M <= distance < float("inf") else 0.0


def _distance(runs: Iterable[Activity]) -> float:
    return sum(run_distance_m(run) for run in runs)


def _rise_percent(value: float, reference: float) -> Fraction:
    """Exact percentage rise (rational arithmetic: +30 % is not "above 30 %" through rounding)."""
    return (Fraction(value) / Fraction(reference) - 1) * 100


def _grade(rise_percent: Fraction) -> tuple[SpikeCategory, float] | None:
    """The spike category and its hazard rate ratio for a rise in %, None when ≤ 10 %."""
    return next(((c, ratio) for c, edge, ratio in SPIKE_CATEGORIES if rise_percent > edge), None)


def _spikes(runs: Sequence[Activity]) -> list[Flag | None]:
    """Each run's spike flag, aligned with `runs` (sorted by start)."""
    flags: list[Flag | None] = []
    window_start = 0  # the first run inside the 30 days before the current one
    for index, run in enumerate(runs):
        while runs[window_start].start < run.start - SPIKE_LOOKBACK:
            window_start += 1
        earlier = (runs[j] for j in range(window_start, index) if runs[j].start < run.start)
        reference = max((run_distance_m(before) for before in earlier), default=0.0)
        distance = run_distance_m(run)
        rise = _rise_percent(distance, reference) if distance > 0 and reference > 0 else Fraction(0)
        graded = _grade(rise)
        if graded is None:
            flags.append(None)
            continue
        category, ratio = graded
        flags.append(
            Flag(
                kind=FlagKind.SPIKE,
                day=run.start.date(),
                distance_m=distance,
                reference_m=reference,
                increase=float(rise) / 100,
                hazard_ratio=ratio,
                category=category,
                message=(
                    f"This run was {_percent_text(rise, SPIKE_PERCENT)} longer than your longest run of "
                    f"the previous 30 days ({category} spike); runs more than {SPIKE_PERCENT} % longer "
                    "than that were linked to more overuse injuries."
                ),
                source=FRANDSEN_2025,
            )
        )
    return flags


def _ramp(week_runs: Sequence[Activity], previous_m: float) -> Flag | None:
    if previous_m == 0:
        return None
    total = _distance(week_runs)
    rise = _rise_percent(total, previous_m)
    if rise <= RAMP_PERCENT:
        return None
    so_far = 0.0
    crossing = week_runs[-1]
    for run in week_runs:
        so_far += run_distance_m(run)
        if _rise_percent(so_far, previous_m) > RAMP_PERCENT:
            crossing = run
            break
    return Flag(
        kind=FlagKind.RAMP,
        day=crossing.start.date(),
        distance_m=total,
        reference_m=previous_m,
        increase=float(rise) / 100,
        hazard_ratio=RAMP_HAZARD_RATIO,
        category=None,
        message=(
            f"Weekly distance {_percent_text(rise, RAMP_PERCENT)} above the week before; rises over "
            f"{RAMP_PERCENT} % were linked to more distance-related injuries in novice runners."
        ),
        source=NIELSEN_2014,
    )


def _percent_text(rise_percent: Fraction, threshold: int) -> str:
    """A flagged rise in as few digits as show it above the threshold ("38 %", "10.1 %")."""
    for digits in (0, 1, 2):
        text = f"{float(rise_percent):.{digits}f}"
        if float(text) > threshold:
            return f"{text} %"
    return f"just over {threshold} %"
