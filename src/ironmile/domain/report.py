"""The numbers behind the review screen (DESIGN.md, step 6), computed from the log alone.

Per main lift, the e1RM series and relative strength (e1RM ÷ smoothed body mass, the headline of
SCIENCE.md §5); the posterior:anterior balance of the sets actually logged, per ISO week; adherence
to the planned sessions; and whether the runner got stronger without getting heavier.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ironmile.domain.athlete import E1rmFormula
from ironmile.domain.body import smoothed, stronger_not_heavier
from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.progression import session_e1rm
from ironmile.domain.running_weeks import monday_of
from ironmile.domain.training import BodyMass, LoggedSession
from ironmile.domain.volume import emphasis_sets

MATCH_DAYS = 1  # a planned session counts as done when logged that day or one day either side


@dataclass(frozen=True, slots=True)
class LiftPoint:
    date: date
    e1rm_kg: float
    relative_strength: float | None  # e1RM ÷ smoothed body mass; None before the first weigh-in


@dataclass(frozen=True, slots=True)
class LiftTrend:
    exercise_id: str
    points: tuple[LiftPoint, ...]  # oldest first, one per non-deload session with an estimate

    @property
    def change_pct(self) -> float | None:
        """First to last e1RM, in percent; None with fewer than two points."""
        if len(self.points) < 2:
            return None
        return (self.points[-1].e1rm_kg / self.points[0].e1rm_kg - 1) * 100


@dataclass(frozen=True, slots=True)
class WeekBalance:
    week_start: date  # the ISO week's Monday
    posterior_sets: int
    anterior_sets: int

    @property
    def iso_week(self) -> str:
        """The week as ISO 8601 writes it, e.g. 2027-W01."""
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def ratio(self) -> float | None:
        """Posterior ÷ anterior sets; None when no anterior set was logged."""
        return None if self.anterior_sets == 0 else self.posterior_sets / self.anterior_sets


@dataclass(frozen=True, slots=True)
class Adherence:
    planned: int  # planned sessions dated before today
    done: int  # of those, matched by a logged session on the day or within ±1 day
    missed: tuple[date, ...]

    @property
    def share(self) -> float | None:
        return None if self.planned == 0 else self.done / self.planned


@dataclass(frozen=True, slots=True)
class Report:
    start: date | None
    end: date
    lifts: tuple[LiftTrend, ...]
    balance: tuple[WeekBalance, ...]
    adherence: Adherence
    strength_change_pct: float | None  # mean of the lifts' first-to-last e1RM change
    body_mass_change_pct: float | None  # first to last smoothed body mass in the period
    summary: str | None  # the stronger-not-heavier sentence, when both changes are known
    body_mass_trend: tuple[tuple[date, float], ...] = ()  # 7-day smoothed kg on each weigh-in day


def lift_trends(
    sessions: Sequence[LoggedSession],
    body_mass: Sequence[BodyMass],
    *,
    lift_ids: Sequence[str],
    deload_dates: Collection[date] = frozenset(),
    formula: E1rmFormula = E1rmFormula.EPLEY,
) -> tuple[LiftTrend, ...]:
    """One e1RM series per lift in `lift_ids`; sessions on `deload_dates` are left out, as in
    `progression.e1rm_trend`, so their light loads do not dent the trend."""
    trend = smoothed(body_mass)
    days = [day for day, _ in trend]
    result: list[LiftTrend] = []
    for lift_id in lift_ids:
        points: list[LiftPoint] = []
        for session in sorted(sessions, key=lambda s: s.date):
            if session.date in deload_dates:
                continue
            best = session_e1rm((s for s in session.sets if s.exercise_id == lift_id), formula=formula)
            if best is None:
                continue
            at = bisect.bisect_right(days, session.date) - 1
            points.append(LiftPoint(session.date, best, best / trend[at][1] if at >= 0 else None))
        result.append(LiftTrend(lift_id, tuple(points)))
    return tuple(result)


@dataclass(frozen=True, slots=True)
class _Counted:
    exercise: Exercise
    sets: int = 1


def weekly_balance(sessions: Sequence[LoggedSession], catalogue: Catalogue) -> tuple[WeekBalance, ...]:
    """Posterior and anterior lower-body sets logged per ISO week, by the catalogue's emphasis
    (the counting of `volume.emphasis_sets`). Ids not in the catalogue are not counted."""
    by_week: dict[date, list[_Counted]] = {}
    for session in sessions:
        monday = session.date - timedelta(days=session.date.weekday())
        counted = by_week.setdefault(monday, [])
        for logged in session.sets:
            if logged.exercise_id in catalogue:
                counted.append(_Counted(catalogue.get(logged.exercise_id)))
    return tuple(WeekBalance(monday, *emphasis_sets(by_week[monday])) for monday in sorted(by_week))


def adherence(planned_dates: Sequence[date], sessions: Sequence[LoggedSession], *, today: date) -> Adherence:
    """Planned sessions before `today` against logged ones, each log matching one planned date:
    same-day matches first, then a day either side (a session moved by a day still counts)."""
    due = sorted(day for day in planned_dates if day < today)
    unused = Counter(session.date for session in sessions)
    matched: set[int] = set()
    for shift in (0, *(sign * days for days in range(1, MATCH_DAYS + 1) for sign in (-1, 1))):
        for index, day in enumerate(due):
            near = day + timedelta(days=shift)
            if index not in matched and unused[near] > 0:
                unused[near] -= 1
                matched.add(index)
    missed = tuple(day for index, day in enumerate(due) if index not in matched)
    return Adherence(len(due), len(matched), missed)


def build_report(
    *,
    sessions: Sequence[LoggedSession],
    body_mass: Sequence[BodyMass],
    planned_dates: Sequence[date],
    catalogue: Catalogue,
    lift_ids: Sequence[str],
    today: date,
    start: date | None = None,
    deload_dates: Collection[date] = frozenset(),
    formula: E1rmFormula = E1rmFormula.EPLEY,
) -> Report:
    """The review numbers for the period from `start` (default: everything) up to `today`."""
    first = start or date.min

    def in_period(day: date) -> bool:
        return first <= day <= today

    kept = [session for session in sessions if in_period(session.date)]
    weighed = [entry for entry in body_mass if entry.date <= today]  # earlier days feed the mean
    lifts = lift_trends(kept, weighed, lift_ids=lift_ids, deload_dates=deload_dates, formula=formula)
    changes = [lift.change_pct for lift in lifts if lift.change_pct is not None]
    strength = sum(changes) / len(changes) if changes else None
    series = tuple((day, mass) for day, mass in smoothed(weighed) if in_period(day))
    trend = [mass for _, mass in series]
    mass = (trend[-1] / trend[0] - 1) * 100 if len(trend) >= 2 else None
    return Report(
        start=start,
        end=today,
        lifts=lifts,
        balance=weekly_balance(kept, catalogue),
        adherence=adherence([day for day in planned_dates if in_period(day)], sessions, today=today),
        strength_change_pct=strength,
        body_mass_change_pct=mass,
        summary=None if strength is None or mass is None else stronger_not_heavier(strength, mass),
        body_mass_trend=series,
    )


@dataclass(frozen=True, slots=True)
class AdherenceWeek:
    """Planned sessions dated in one ISO week (before today), and how many of them were done."""

    week_start: date  # the Monday
    planned: int
    done: int


def weekly_adherence(planned_dates: Sequence[date], missed: Sequence[date]) -> tuple[AdherenceWeek, ...]:
    """`domain.report.adherence` week by week: a planned date counts in its own week, and is done
    unless it is among the missed ones (a session moved by a day counts for its planned day)."""
    planned = Counter(monday_of(day) for day in planned_dates)
    missing = Counter(monday_of(day) for day in missed)
    return tuple(AdherenceWeek(week, count, count - missing[week]) for week, count in sorted(planned.items()))
