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
    ratio_holds,
    sets_by_pattern,
)

# Hypertrophy guard (convention, default goal only): strength without size.
MAX_LOWER_SETS_PER_SESSION = 10
MAX_SETS_PER_PATTERN_PER_WEEK = 8
ISOMETRIC_MIN_SETS = 3  # the knee-friendly holds stay a real dose when a session must shrink


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
    if item.role is Role.ISOMETRIC:
        return ISOMETRIC_MIN_SETS
    return 2 if item.role in (Role.MAIN, Role.PLYOMETRIC) else 1


def _strength_items(items: list[DraftItem]) -> list[DraftItem]:
    """Working sets the volume rules count: not jumps (capped by ground contacts) and not the
    isometric pain-relief holds of the knee-friendly tier (a fixed dose, not training volume)."""
    return [item for item in items if item.role not in (Role.PLYOMETRIC, Role.ISOMETRIC)]


def _all_items(sessions: list[DraftSession]) -> list[DraftItem]:
    return [item for session in sessions for item in session.items]


def _pull_sets_minus_push(sessions: list[DraftSession]) -> int:
    counts = sets_by_pattern(_all_items(sessions))
    return counts["pull"] - counts["push"]


def _emphasis(sessions: list[DraftSession]) -> tuple[int, int]:
    return emphasis_sets(_strength_items(_all_items(sessions)))


def _ratio_ok(sessions: list[DraftSession], target: float) -> bool:
    """The week's balance rules: posterior ≥ target × anterior, and pull sets ≥ push sets."""
    items = _all_items(sessions)
    return (
        ratio_holds(*emphasis_sets(_strength_items(items)), target) and _pull_sets_minus_push(sessions) >= 0
    )


def _set_sets(item: DraftItem, sets: int) -> None:
    item.dose = replace(item.dose, sets=sets)


def _shrink_order(item: DraftItem) -> tuple[int, bool, int]:
    return (item.priority, item.exercise.emphasis == "anterior", item.sets)


def _shrink_step(
    sessions: list[DraftSession],
    pool: list[DraftItem],
    *,
    keep: Callable[[], bool],
    required: frozenset[str],
    drop_first: bool,
) -> bool:
    """Take one step off `pool`, the gentlest first; slot priority decides which exercise goes.

    Minutes are saved best by dropping a whole exercise the rest of the week covers
    (`drop_first`); sets are capped best by trimming sets first. Either way, a set comes off an
    exercise with more than two before one with two, and a family goes missing only as a last
    resort (the caller warns). Every step leaves `keep()` true.
    """

    def keep_covered() -> bool:
        return keep() and required <= covered(_all_items(sessions))

    def drop_covered() -> bool:
        return _drop_one(sessions, pool, keep_covered)

    def trim() -> bool:
        return _reduce_one(pool, keep, floor=2)

    first, second = (drop_covered, trim) if drop_first else (trim, drop_covered)
    return first() or second() or _reduce_one(pool, keep, floor=1) or _drop_one(sessions, pool, keep)


def _counts_as_lower_working_set(item: DraftItem) -> bool:
    return item.exercise.region == "lower" and item.role not in (Role.PLYOMETRIC, Role.ISOMETRIC)


def guarded_lower_sets(items: list[DraftItem]) -> int:
    return sum(item.sets for item in items if _counts_as_lower_working_set(item))


def apply_guard(sessions: list[DraftSession], *, required: frozenset[str]) -> None:
    """≤ 10 lower-body sets a session and ≤ 8 sets a movement pattern a week."""
    for session in sessions:
        while guarded_lower_sets(session.items) > MAX_LOWER_SETS_PER_SESSION:
            # the main lift keeps its prescribed sets: accessories make room first
            lower = [i for i in session.items if _counts_as_lower_working_set(i) and i.role is not Role.MAIN]
            if not _shrink_step(sessions, lower, keep=lambda: True, required=required, drop_first=False):
                break
    for pattern, _count in sets_by_pattern(_strength_items(_all_items(sessions))).most_common():
        while sets_by_pattern(_strength_items(_all_items(sessions)))[pattern] > MAX_SETS_PER_PATTERN_PER_WEEK:
            same = [
                item
                for item in _strength_items(_all_items(sessions))
                if item.exercise.pattern == pattern and item.role is not Role.MAIN
            ]
            if not _shrink_step(sessions, same, keep=lambda: True, required=required, drop_first=False):
                break


def _reduce_one(
    items: list[DraftItem],
    keep: Callable[[], bool] = lambda: True,
    *,
    floor: int = 1,
    order: Callable[[DraftItem], tuple[int, ...]] | None = None,
) -> bool:
    """Take one set off the first item (least important by default) above `floor` sets that still
    satisfies `keep`."""
    reducible = (i for i in items if i.sets > max(floor, _min_sets(i)))
    for item in sorted(reducible, key=order or _shrink_order, reverse=True):
        _set_sets(item, item.sets - 1)
        if keep():
            return True
        _set_sets(item, item.sets + 1)
    return False


def _drop_one(
    sessions: list[DraftSession], items: list[DraftItem], keep: Callable[[], bool] = lambda: True
) -> bool:
    """Remove the least important droppable item (priority > 0) that still satisfies `keep`."""
    for item in sorted((i for i in items if i.priority > 0), key=_shrink_order, reverse=True):
        session = next(s for s in sessions if any(i is item for i in s.items))
        position = next(n for n, i in enumerate(session.items) if i is item)
        del session.items[position]
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
        if not _drop_one(sessions, push):
            for session in sessions:  # no pull exercise at all: no push either
                session.items[:] = [i for i in session.items if i.exercise.pattern != "push"]
            return


def balance_emphasis(sessions: list[DraftSession], target: float, *, guard: bool) -> bool:
    """Reach posterior ≥ target × anterior: add posterior sets within the guard, else cut anterior."""
    while not ratio_holds(*_emphasis(sessions), target):
        if _add_posterior_set(sessions, guard=guard):
            continue
        anterior = [
            item for item in _strength_items(_all_items(sessions)) if item.exercise.emphasis == "anterior"
        ]
        if _reduce_one(anterior):
            continue
        if _drop_one(sessions, anterior):
            continue
        return False
    return True


def _add_posterior_set(sessions: list[DraftSession], *, guard: bool) -> bool:
    week = _all_items(sessions)
    for session in sessions:
        for item in sorted(session.items, key=lambda i: (i.role is not Role.ACCESSORY, i.priority)):
            if item.exercise.emphasis != "posterior" or item.role in (Role.MAIN, Role.PLYOMETRIC):
                continue
            if item.exercise.pattern not in ("bridge", "hinge"):
                continue  # extra Nordic or curl sets cost runners too much soreness
            if item.sets >= 4:
                continue
            if guard and (
                guarded_lower_sets(session.items) >= MAX_LOWER_SETS_PER_SESSION
                or sets_by_pattern(_strength_items(week))[item.exercise.pattern]
                >= MAX_SETS_PER_PATTERN_PER_WEEK
            ):
                continue
            _set_sets(item, item.sets + 1)
            return True
    return False


def fit_minutes(sessions: list[DraftSession], *, limit: int, target: float, required: frozenset[str]) -> None:
    """Shrink each session to `limit` minutes without breaking the week's balance rules."""
    for session in sessions:
        while session.minutes > limit:
            if not _shrink_step(
                sessions,
                list(session.items),
                keep=lambda: _ratio_ok(sessions, target),
                required=required,
                drop_first=True,
            ) and not _relax_balance(sessions):
                break


def _relax_balance(sessions: list[DraftSession]) -> bool:
    """Free the balance rules that block a cut: one set less of anterior or push work anywhere
    in the week (down to one set, main lifts included), or a push exercise dropped."""
    items = _strength_items(_all_items(sessions))
    for wanted in ("anterior", "push"):
        pool = [
            item
            for item in items
            if item.sets > 1 and (item.exercise.emphasis == wanted or item.exercise.pattern == wanted)
        ]
        if pool:
            largest = max(pool, key=lambda item: (item.sets, item.priority))
            _set_sets(largest, largest.sets - 1)
            return True
    push = [item for item in items if item.exercise.pattern == "push"]
    return _drop_one(sessions, push)


def cap_total_sets(sessions: list[DraftSession], *, limit: int, target: float) -> None:
    """Cut the week's working sets to `limit` (the taper's volume cut), keeping the balance rules."""
    while sum(item.sets for item in _all_items(sessions)) > limit:
        if not _shrink_step(
            sessions,
            _all_items(sessions),
            keep=lambda: _ratio_ok(sessions, target),
            required=frozenset(),
            drop_first=False,
        ) and not _cut_main_lift(sessions, target):
            break


def missing_families(sessions: list[DraftSession], required: frozenset[str]) -> list[str]:
    found = covered(_all_items(sessions))
    return [family for family in sorted(required) if family not in found]


def _cut_main_lift(sessions: list[DraftSession], target: float) -> bool:
    """The taper's last resort: a single heavy set of the main lift (load kept) is still a dose."""
    for item in _all_items(sessions):
        if item.role is Role.MAIN and item.sets > 1:
            _set_sets(item, item.sets - 1)
            if _ratio_ok(sessions, target):
                return True
            _set_sets(item, item.sets + 1)
    return False


def apply_deload(
    sessions: list[DraftSession], *, share: float, load_scale: float, target: float, baseline: int
) -> None:
    """Deload the fitted week: cut its sets to `share` of the smaller of its own total and
    `baseline` (the last normal week's), largest first, keeping the balance rules; then scale
    every load. Exercises keep one set each where they can; an exercise another one covers goes
    when that is not enough."""
    total = sum(item.sets for item in _all_items(sessions))
    goal = round(min(total, baseline or total) * share)

    def keep() -> bool:
        return _ratio_ok(sessions, target)

    while sum(item.sets for item in _all_items(sessions)) > goal:
        items = _all_items(sessions)
        families_now = covered(items)

        def keep_families(before: frozenset[str] = families_now) -> bool:
            return keep() and before <= covered(_all_items(sessions))

        if (
            not _reduce_one(items, keep, floor=1, order=_largest_first)
            and not _drop_one(sessions, items, keep_families)
            and not _cut_main_lift(sessions, target)
        ):
            break
    for item in _all_items(sessions):
        item.dose = replace(item.dose, load_scale=load_scale)


def _largest_first(item: DraftItem) -> tuple[int, int]:
    return (item.sets, item.priority)
