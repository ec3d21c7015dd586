"""Fitting a week's drafted sessions to the rules: the hypertrophy guard, the posterior:anterior
target and the athlete's minutes, in that order, without losing a movement family the week needs.

Each step shrinks the least important work first (highest slot priority, anterior before
posterior) and never undoes an earlier step: minutes are cut only in ways that keep the ratio.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from ironmile.domain.catalogue import Exercise
from ironmile.domain.prescription import Dose, Role
from ironmile.domain.session_time import TimedExercise, session_minutes
from ironmile.domain.volume import (
    covered,
    emphasis_sets,
    families,
    lower_sets,
    ratio_holds,
    sets_by_pattern,
)

# Hypertrophy guard (convention, default goal only): strength without size.
MAX_LOWER_SETS_PER_SESSION = 10
MAX_SETS_PER_PATTERN_PER_WEEK = 8


@dataclass(slots=True)
class DraftItem:
    exercise: Exercise
    role: Role
    priority: int
    dose: Dose

    @property
    def sets(self) -> int:
        return self.dose.sets

    def timed(self) -> TimedExercise:
        return TimedExercise(self.exercise, self.role, self.dose)


@dataclass(slots=True)
class DraftSession:
    date: date
    heavy_lower: bool
    why: str
    items: list[DraftItem] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return session_minutes((item.timed() for item in self.items), heavy_lower=self.heavy_lower)


def _min_sets(item: DraftItem) -> int:
    return 2 if item.role in (Role.MAIN, Role.PLYOMETRIC) else 1


def _all_items(sessions: list[DraftSession]) -> list[DraftItem]:
    return [item for session in sessions for item in session.items]


def _pull_sets_minus_push(sessions: list[DraftSession]) -> int:
    counts = sets_by_pattern(_all_items(sessions))
    return counts["pull"] - counts["push"]


def _ratio_ok(sessions: list[DraftSession], target: float) -> bool:
    """The week's balance rules: posterior ≥ target × anterior, and pull sets ≥ push sets."""
    items = _all_items(sessions)
    return ratio_holds(*emphasis_sets(items), target) and _pull_sets_minus_push(sessions) >= 0


def _set_sets(item: DraftItem, sets: int) -> None:
    item.dose = replace(item.dose, sets=sets)


def _shrink_order(item: DraftItem) -> tuple[int, bool, int]:
    return (item.priority, item.exercise.emphasis == "anterior", item.sets)


def apply_guard(sessions: list[DraftSession]) -> None:
    """≤ 10 lower-body sets a session and ≤ 8 sets a movement pattern a week."""
    for session in sessions:
        while lower_sets(session.items) > MAX_LOWER_SETS_PER_SESSION:
            lower = [item for item in session.items if item.exercise.region == "lower"]
            if not _reduce_one(lower) and not _drop_one(session, lower):
                break
    for pattern, _count in sets_by_pattern(_all_items(sessions)).most_common():
        while sets_by_pattern(_all_items(sessions))[pattern] > MAX_SETS_PER_PATTERN_PER_WEEK:
            same = [item for item in _all_items(sessions) if item.exercise.pattern == pattern]
            if not _reduce_one(same):
                break


def _reduce_one(items: list[DraftItem], keep: Callable[[], bool] = lambda: True) -> bool:
    """Take one set off the least important item that can lose one and still satisfy `keep`."""
    for item in sorted((i for i in items if i.sets > _min_sets(i)), key=_shrink_order, reverse=True):
        _set_sets(item, item.sets - 1)
        if keep():
            return True
        _set_sets(item, item.sets + 1)
    return False


def _drop_one(session: DraftSession, items: list[DraftItem], keep: Callable[[], bool] = lambda: True) -> bool:
    for item in sorted((i for i in items if i.priority > 0), key=_shrink_order, reverse=True):
        position = session.items.index(item)
        session.items.remove(item)
        if keep():
            return True
        session.items.insert(position, item)
    return False


def balance_upper(sessions: list[DraftSession]) -> None:
    """Pull sets ≥ push sets (arm swing and posture): cut push work until it holds."""
    while _pull_sets_minus_push(sessions) < 0:
        push = [item for item in _all_items(sessions) if item.exercise.pattern == "push"]
        if _reduce_one(push):
            continue
        if not any(_drop_one(session, [i for i in push if i in session.items]) for session in sessions):
            for session in sessions:  # no pull exercise at all: no push either
                session.items[:] = [i for i in session.items if i.exercise.pattern != "push"]
            return


def balance_emphasis(sessions: list[DraftSession], target: float, *, guard: bool) -> bool:
    """Reach posterior ≥ target × anterior: add posterior sets within the guard, else cut anterior."""
    while not ratio_holds(*emphasis_sets(_all_items(sessions)), target):
        if _add_posterior_set(sessions, guard=guard):
            continue
        anterior = [item for item in _all_items(sessions) if item.exercise.emphasis == "anterior"]
        if _reduce_one(anterior):
            continue
        if any(_drop_one(session, [i for i in anterior if i in session.items]) for session in sessions):
            continue
        return False
    return True


def _add_posterior_set(sessions: list[DraftSession], *, guard: bool) -> bool:
    week = _all_items(sessions)
    for session in sessions:
        for item in sorted(session.items, key=lambda i: (i.role is not Role.ACCESSORY, i.priority)):
            if item.exercise.emphasis != "posterior" or item.role in (Role.MAIN, Role.PLYOMETRIC):
                continue
            if item.sets >= 4:
                continue
            if guard and (
                lower_sets(session.items) >= MAX_LOWER_SETS_PER_SESSION
                or sets_by_pattern(week)[item.exercise.pattern] >= MAX_SETS_PER_PATTERN_PER_WEEK
            ):
                continue
            _set_sets(item, item.sets + 1)
            return True
    return False


def fit_minutes(
    sessions: list[DraftSession], *, limit: int, target: float, required: frozenset[str]
) -> list[DraftSession]:
    """Shrink each session to `limit` minutes; returns the sessions that lost a required family."""
    lost: list[DraftSession] = []
    for session in sessions:

        def keep_ratio() -> bool:
            return _ratio_ok(sessions, target)

        def keep_all() -> bool:
            return keep_ratio() and required <= covered(_all_items(sessions))

        while session.minutes > limit:
            if _drop_one(session, list(session.items), keep_all):
                continue
            if _reduce_one(list(session.items), keep_ratio):
                continue
            if _drop_one(session, list(session.items), keep_ratio):
                lost.append(session)
                continue
            break
    return lost


def missing_families(sessions: list[DraftSession], required: frozenset[str]) -> list[str]:
    found = covered(_all_items(sessions))
    return [family for family in sorted(required) if family not in found]


__all__ = [
    "DraftItem",
    "DraftSession",
    "apply_guard",
    "balance_emphasis",
    "balance_upper",
    "families",
    "fit_minutes",
    "missing_families",
]
