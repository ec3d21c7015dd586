"""Placement: which day each strength session goes on, and why (SCIENCE.md §4, "hard days hard").

Every rule is a named predicate that returns None when a day is fine and a one-line reason when it
is not, so "why this day" and "why not that day" come from the same code. The planner never
breaks a rule: when no legal day is left for heavy legs, the session is lightened and it says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations, pairwise

from ironmile.domain.athlete import DAY_TITLES, Race, RacePriority, RunningWeek

MIN_HEAVY_GAP_DAYS = 2  # ≥ 48 h between heavy lower sessions (Doma et al. 2019)
A_RACE_CLEARANCE_DAYS = 7  # last heavy lower-body session ≥ 7 days before an A race
B_RACE_CLEARANCE_DAYS = 3  # … and ≥ 3 days before a B race
RACE_RECOVERY_DAYS = 2  # convention: no heavy legs in the two days after any race
MAINTENANCE_MAX_GAP_DAYS = 10  # maintenance: one heavy session every 7–10 days (convention)
KEY_DAY_WEIGHT = 2  # day scores are doubled against the spacing bonus: hard days hard first


def day_title(day: date) -> str:
    return DAY_TITLES[day.weekday()]


@dataclass(frozen=True, slots=True)
class RunCalendar:
    """What the runner runs on each date: the usual week, with races on their dates."""

    running: RunningWeek
    races: tuple[Race, ...]

    def race_on(self, day: date) -> Race | None:
        return next((race for race in self.races if race.date == day), None)

    def run_kind(self, day: date) -> str | None:
        """race | long | key | easy, or None on a day without a run."""
        if self.race_on(day):
            return "race"
        weekday = day.weekday()
        if weekday == self.running.long_run_day:
            return "long"
        if weekday in self.running.key_days:
            return "key"
        if weekday in self.running.run_days:
            return "easy"
        return None


@dataclass(frozen=True, slots=True)
class Context:
    """What placement needs to know: the runs, the athlete's days, and sessions already placed."""

    calendar: RunCalendar
    available_days: frozenset[int]
    heavy_dates: tuple[date, ...] = ()
    session_dates: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    heavy_only: bool
    check: Callable[[date, Context], str | None]


def _available(day: date, ctx: Context) -> str | None:
    if day.weekday() in ctx.available_days:
        return None
    return f"you are not available on {day_title(day)}s"


def _race_day(day: date, ctx: Context) -> str | None:
    race = ctx.calendar.race_on(day)
    return f"race day ({race.label})" if race else None


def _race_eve(day: date, ctx: Context) -> str | None:
    race = ctx.calendar.race_on(day + timedelta(days=1))
    return f"the day before your race ({race.label})" if race else None


def _one_session_a_day(day: date, ctx: Context) -> str | None:
    return "another strength session is already on this day" if day in ctx.session_dates else None


def _not_long_run_day(day: date, ctx: Context) -> str | None:
    return "your long run is on this day" if ctx.calendar.run_kind(day) == "long" else None


def _not_before_long_run(day: date, ctx: Context) -> str | None:
    tomorrow = day + timedelta(days=1)
    if ctx.calendar.run_kind(tomorrow) == "long":
        return f"the day before your long run ({day_title(tomorrow)})"
    return None


def _not_before_key_run(day: date, ctx: Context) -> str | None:
    tomorrow = day + timedelta(days=1)
    if ctx.calendar.run_kind(tomorrow) == "key":
        return f"the day before your key session ({day_title(tomorrow)})"
    return None


def _race_clearance(day: date, ctx: Context) -> str | None:
    for race in ctx.calendar.races:
        days_before = (race.date - day).days
        if race.priority is RacePriority.A and 0 < days_before < A_RACE_CLEARANCE_DAYS:
            return f"{days_before} days before your A race ({race.label}); heavy legs end 7 days out"
        if race.priority is RacePriority.B and 0 < days_before < B_RACE_CLEARANCE_DAYS:
            return f"{days_before} days before your B race ({race.label}); heavy legs end 3 days out"
    return None


def _after_a_race(day: date, ctx: Context) -> str | None:
    race = ctx.calendar.race_on(day - timedelta(days=1))
    if race and race.priority is RacePriority.A:
        return f"the day after your A race ({race.label})"
    return None


def _legs_recovering_from_race(day: date, ctx: Context) -> str | None:
    for days_after in range(1, RACE_RECOVERY_DAYS + 1):
        race = ctx.calendar.race_on(day - timedelta(days=days_after))
        if race:
            return f"{days_after} day{'s' if days_after > 1 else ''} after your race ({race.label})"
    return None


def _heavy_gap(day: date, ctx: Context) -> str | None:
    for other in ctx.heavy_dates:
        gap = abs((day - other).days)
        if gap < MIN_HEAVY_GAP_DAYS:
            when = "the same day as" if gap == 0 else "the day after" if day > other else "the day before"
            return f"{when} the heavy session on {day_title(other)} {other:%d %b} (48 h needed)"
    return None


RULES: tuple[Rule, ...] = (
    Rule("available", False, _available),
    Rule("race_day", False, _race_day),
    Rule("race_eve", False, _race_eve),
    Rule("after_a_race", False, _after_a_race),
    Rule("one_session_a_day", False, _one_session_a_day),
    Rule("long_run_day", True, _not_long_run_day),
    Rule("before_long_run", True, _not_before_long_run),
    Rule("before_key_run", True, _not_before_key_run),
    Rule("race_clearance", True, _race_clearance),
    Rule("legs_recovering_from_race", True, _legs_recovering_from_race),
    Rule("heavy_gap_48h", True, _heavy_gap),
)


def violations(day: date, ctx: Context, *, heavy: bool) -> list[str]:
    """Every rule `day` breaks for a heavy (legs) or light (upper body and core) session."""
    reasons = []
    for rule in RULES:
        if heavy or not rule.heavy_only:
            reason = rule.check(day, ctx)
            if reason:
                reasons.append(reason)
    return reasons


def heavy_preference(day: date, ctx: Context) -> tuple[int, str]:
    """How good a legal day is for heavy legs (higher is better) and the runner's reason."""
    name = day_title(day)
    kind = ctx.calendar.run_kind(day)
    if kind == "key":
        return 3, (
            f"{name}: after your key run, lifting at least 3 h later (6 h if you can), so hard "
            "days stay hard and easy days stay easy"
        )
    if kind is None:
        return 2, f"{name}: no run today, and tomorrow is neither a key session nor the long run"
    return 1, (
        f"{name}: after your easy run (at least 3 h later); tomorrow is neither a key session "
        "nor the long run"
    )


def light_preference(day: date, ctx: Context) -> int:
    kind = ctx.calendar.run_kind(day)
    return {None: 2, "easy": 1}.get(kind, 0)


@dataclass(frozen=True, slots=True)
class Placement:
    date: date
    heavy: bool
    why: str


@dataclass(frozen=True, slots=True)
class DayVerdict:
    """Whether a session may go on `date`, with every reason it may not."""

    date: date
    legal: bool
    reasons: tuple[str, ...]


def explain_day(day: date, ctx: Context, *, heavy: bool) -> DayVerdict:
    reasons = violations(day, ctx, heavy=heavy)
    if not reasons and heavy:
        reasons = [heavy_preference(day, ctx)[1]]
    return DayVerdict(day, not violations(day, ctx, heavy=heavy), tuple(reasons))


def place_week(
    days: Sequence[date],
    ctx: Context,
    *,
    heavy: int,
    light: int,
    maintenance: bool = False,
    lightened: bool = False,
) -> tuple[list[Placement], int]:
    """Place `heavy` legs sessions and `light` upper/core sessions on `days`.

    Returns the placements in date order and how many heavy sessions could not be placed legally
    (the caller turns those into light sessions, or drops them, and warns).
    """
    candidates = [day for day in days if not violations(day, ctx, heavy=True)]
    chosen: tuple[date, ...] = ()
    for count in range(min(heavy, len(candidates)), 0, -1):
        best = _best_heavy_combination(candidates, count, ctx, maintenance=maintenance)
        if best is not None:
            chosen = best
            break
    placements = [Placement(day, True, heavy_preference(day, ctx)[1]) for day in chosen]
    ctx = _with_sessions(ctx, chosen, heavy=True)
    for _ in range(light):
        legal = [day for day in days if not violations(day, ctx, heavy=False)]
        if not legal:
            break
        day = max(legal, key=lambda d: (light_preference(d, ctx), _distance_to(d, ctx), -d.toordinal()))
        week_heavy = any(other in days for other in ctx.heavy_dates)
        reason = _light_reason(day, ctx, lightened=lightened, week_heavy=week_heavy)
        placements.append(Placement(day, False, reason))
        ctx = _with_sessions(ctx, (day,), heavy=False)
    placements.sort(key=lambda placement: placement.date)
    return placements, heavy - len(chosen)


def _best_heavy_combination(
    candidates: Sequence[date], count: int, ctx: Context, *, maintenance: bool
) -> tuple[date, ...] | None:
    best: tuple[date, ...] | None = None
    best_score = -1_000
    for combo in combinations(candidates, count):
        if any((b - a).days < MIN_HEAVY_GAP_DAYS for a, b in pairwise(combo)):
            continue
        score = sum(KEY_DAY_WEIGHT * heavy_preference(day, ctx)[0] for day in combo)
        score += sum(min((b - a).days, 3) for a, b in pairwise(combo))
        if maintenance and ctx.heavy_dates:
            gap = (combo[0] - max(ctx.heavy_dates)).days
            score -= 10 if gap > MAINTENANCE_MAX_GAP_DAYS else 0
        if score > best_score:  # strict: the earliest combination wins ties
            best, best_score = combo, score
    return best


def _distance_to(day: date, ctx: Context) -> int:
    """Days to the nearest placed session (capped), so light sessions spread out."""
    gaps = [abs((day - other).days) for other in ctx.session_dates]
    return min([*gaps, 3])


def _light_reason(day: date, ctx: Context, *, lightened: bool, week_heavy: bool) -> str:
    if lightened:
        legs = "another heavy leg session" if week_heavy else "heavy legs"
        return (
            f"{day_title(day)}: upper body and core only: no available day this week could take "
            f"{legs} without breaking a rule"
        )
    kind = ctx.calendar.run_kind(day)
    when = {None: "no run today", "easy": "after your easy run"}.get(kind, f"after your {kind} run")
    return f"{day_title(day)}: upper body and core only, which suits any available day ({when})"


def _with_sessions(ctx: Context, days: Iterable[date], *, heavy: bool) -> Context:
    days = tuple(days)
    return Context(
        calendar=ctx.calendar,
        available_days=ctx.available_days,
        heavy_dates=ctx.heavy_dates + days if heavy else ctx.heavy_dates,
        session_dates=ctx.session_dates + days,
    )
