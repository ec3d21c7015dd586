"""Body mass: a smoothed trend, the "strength, not size" guard, and the stronger-not-heavier line.

Daily body mass swings by a kilogram or more with water and food, so every rule reads a 7-day
trailing mean. The guard is information only: the plan never adds or cuts volume because of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from ironmile.domain.athlete import Goal
from ironmile.domain.training import BodyMass
from ironmile.domain.units import UnitSystem, display_from_kg

SMOOTHING_DAYS = 7  # convention: a week evens out water, food and weekday rhythm
GUARD_WINDOW_DAYS = 28  # the guard looks at the last 4 weeks (convention)
GUARD_MIN_SPAN_DAYS = 14  # convention: a shorter record is too noisy to call a trend
GUARD_RISE_PCT = 2.0  # convention: > 2 % in 4 weeks under the default goal earns a note
STABLE_PCT = 2.0  # convention: body mass within ±2 % over a period counts as unchanged
STRONGER_PCT = 2.0  # convention: e1RM up by more than 2 % counts as stronger (beyond day-to-day noise)


def smoothed(entries: Sequence[BodyMass], *, days: int = SMOOTHING_DAYS) -> list[tuple[date, float]]:
    """(date, trailing mean in kg) for each date with an entry, oldest first.

    The mean is over the days with entries in the `days` days ending on that date; several
    entries on one day are first averaged, so weighing twice does not count double.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    by_day: dict[date, list[float]] = defaultdict(list)
    for entry in entries:
        by_day[entry.date].append(entry.mass_kg)
    daily = sorted((day, sum(masses) / len(masses)) for day, masses in by_day.items())
    result: list[tuple[date, float]] = []
    for day, _ in daily:
        window = [mass for other, mass in daily if day - timedelta(days=days) < other <= day]
        result.append((day, sum(window) / len(window)))
    return result


def guard_warning(
    entries: Sequence[BodyMass],
    *,
    today: date,
    goal: Goal = Goal.STRENGTH,
    units: UnitSystem = UnitSystem.METRIC,
) -> str | None:
    """A note when the smoothed body mass rose more than 2 % over the last 4 weeks, under the
    default goal; None otherwise, with the "muscle" goal, or with under 2 weeks of record."""
    if goal is not Goal.STRENGTH:
        return None
    start_day = today - timedelta(days=GUARD_WINDOW_DAYS)
    trend = [(day, mass) for day, mass in smoothed(entries) if start_day <= day <= today]
    if len(trend) < 2 or (trend[-1][0] - trend[0][0]).days < GUARD_MIN_SPAN_DAYS:
        return None
    (first_day, first), (_, last) = trend[0], trend[-1]
    rise = (last - first) / first * 100
    if rise <= GUARD_RISE_PCT:
        return None
    label = units.mass_label
    return (
        f"Body mass trend up {rise:.1f} % since {first_day} "
        f"({display_from_kg(first, units):.1f} → {display_from_kg(last, units):.1f} {label}, 7-day average). "
        "Your goal is strength without size: this is for your information; the plan does not add or "
        "cut training because of it."
    )


def stronger_not_heavier(e1rm_change_pct: float, mass_change_pct: float) -> str:
    """One sentence on strength (e1RM) change against body-mass change over the same period."""
    relative = ((1 + e1rm_change_pct / 100) / (1 + mass_change_pct / 100) - 1) * 100
    numbers = (
        f"e1RM {e1rm_change_pct:+.1f} %, body mass {mass_change_pct:+.1f} %, "
        f"relative strength {relative:+.1f} %"
    )
    stronger = e1rm_change_pct > STRONGER_PCT
    if stronger and abs(mass_change_pct) <= STABLE_PCT:
        return f"Stronger, not heavier: {numbers}."
    if stronger and mass_change_pct < -STABLE_PCT:
        return f"Stronger and lighter: {numbers}."
    if stronger:
        return f"Stronger, and heavier too: {numbers}."
    if e1rm_change_pct < -STRONGER_PCT:
        return f"Strength down: {numbers}. A lighter block, a race or time off can explain it."
    return f"Strength holding steady: {numbers}."
