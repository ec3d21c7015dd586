"""Load progression as a pure function of the training log (SCIENCE.md §5).

The next target for an exercise follows from the last session that was not a deload: progress when
every set hit its reps with at least one rep more in reserve than targeted, hold when on target,
reduce after two missed sessions in a row, and step back after a long gap. Deload sessions are
skipped when looking back (they are neither stalls nor progress evidence), but they do count as
training for the gap since the last session. Loads are kg; the caller passes the loadable step.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ironmile.domain.athlete import E1rmFormula
from ironmile.domain.catalogue import Exercise
from ironmile.domain.loading import MAX_E1RM_REPS, MIN_LOAD, RTS_PERCENT, estimate_1rm
from ironmile.domain.prescription import DELOAD_LOAD_SCALE
from ironmile.domain.training import LoggedSet
from ironmile.domain.units import UnitSystem, display_from_kg, kg_from_display

# Increments per session when every set had reps to spare (SCIENCE.md §5; ACSM 2009, Ratamess et
# al., MSSE 41:687: +2–10 % when 1–2 reps above target). Keyed by RIR margin: 1 rep, ≥ 2 reps.
LOWER_BODY_STEP = (0.025, 0.05)
UPPER_BODY_STEP = (0.0125, 0.025)  # also used for core: the smaller increment is the safer one
MAX_RISE = 0.10  # never more than +10 % session to session (SCIENCE.md §5)
MISS_REDUCTION = 0.05  # −5–10 % after two missed sessions in a row: the lower end by default
BIG_MISS_REDUCTION = 0.10  # … and the upper end when the last miss was by 2 reps or more
BIG_MISS_REPS = 2
GAP_REDUCE_DAYS = 14  # 2–4 weeks without the exercise: −10 % (SCIENCE.md §5)
GAP_REDUCTION = 0.10
GAP_FOUNDATION_AFTER_DAYS = 28  # more than 4 weeks: back to foundation, the caller re-plans
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Prescription:
    """What one session asked of one exercise: `load_kg` None for bodyweight or not yet known."""

    exercise_id: str
    sets: int
    reps: int | None  # per side for one-sided exercises
    seconds: int | None  # holds
    rir: int | None
    load_kg: float | None
    deload: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """One session in which the exercise was trained: what was asked and the sets as lifted."""

    date: date
    prescription: Prescription
    sets: tuple[LoggedSet, ...]


@dataclass(frozen=True, slots=True)
class Target:
    """The next session's dose for one exercise and the one-line reason for its load."""

    sets: int
    reps: int | None
    seconds: int | None
    rir: int | None
    load_kg: float | None
    why: str
    back_to_foundation: bool = False  # > 4 weeks off: the caller re-plans; load_kg is then −10 %


class Evidence(StrEnum):
    """How one session went against its own prescription."""

    PROGRESS = "progress"  # every set hit the reps with ≥ 1 more rep in reserve than targeted
    ON_TARGET = "on_target"
    MISS = "miss"  # a set short of the reps (or seconds), or a reported RIR below target
    UNRATED = "unrated"  # reps done, but RIR not reported (or none targeted): no evidence to progress
    INCOMPLETE = "incomplete"  # fewer sets logged than prescribed, none short


@dataclass(frozen=True, slots=True)
class Judgement:
    evidence: Evidence
    rir_margin: int = 0  # lowest reported RIR minus the target, when progressing
    reps_short: int = 0  # the largest shortfall in reps of any set, when missing


def judge(outcome: Outcome) -> Judgement:
    """Compare a session's sets with what that session prescribed."""
    asked, sets = outcome.prescription, outcome.sets
    if asked.reps is None:  # holds: the seconds decide; there is no RIR to progress on
        short = asked.seconds is not None and any((done.seconds or 0) < asked.seconds for done in sets)
        if short:
            return Judgement(Evidence.MISS)
        return Judgement(Evidence.INCOMPLETE if len(sets) < asked.sets else Evidence.ON_TARGET)
    reps_short = max(asked.reps - (done.reps or 0) for done in sets)
    rirs = [done.rir for done in sets]
    under = asked.rir is not None and any(rir is not None and rir < asked.rir for rir in rirs)
    if reps_short > 0 or under:
        return Judgement(Evidence.MISS, reps_short=max(0, reps_short))
    if len(sets) < asked.sets:
        return Judgement(Evidence.INCOMPLETE)
    reported = [rir for rir in rirs if rir is not None]
    if asked.rir is None or len(reported) < len(rirs):
        return Judgement(Evidence.UNRATED)
    margin = min(reported) - asked.rir
    return Judgement(Evidence.PROGRESS, rir_margin=margin) if margin >= 1 else Judgement(Evidence.ON_TARGET)


def working_load(outcome: Outcome) -> float | None:
    """The load (kg) most sets used, the lighter on a tie; the prescribed load when none was logged.

    A set at another load (a back-off set, a forgotten warm-up) does not move the base of the next
    target; None when neither the sets nor the prescription carry a positive load.
    """
    counts = Counter(done.load_kg for done in outcome.sets if done.load_kg is not None and done.load_kg > 0)
    if not counts:
        asked = outcome.prescription.load_kg
        return asked if asked is not None and asked > 0 else None
    return min(counts, key=lambda load: (-counts[load], load))


def next_target(
    *,
    exercise: Exercise,
    planned: Prescription,
    history: Sequence[Outcome],
    today: date,
    step_kg: float,
    units: UnitSystem = UnitSystem.METRIC,
) -> Target:
    """The next session's target for `exercise`, from its `history` as of `today`.

    `planned` is the plan's dose for the session (its load is used only when there is no history);
    `step_kg` is the smallest loadable increment (a pair of the smallest plates, the next dumbbell).
    Outcomes of other exercises, after `today`, or without sets are ignored. `units` only decides
    how loads read in `why`.
    """
    if planned.exercise_id != exercise.id:
        raise ValueError(f"planned dose is for {planned.exercise_id!r}, not {exercise.id!r}")
    if step_kg <= 0:
        raise ValueError(f"step_kg must be positive, not {step_kg}")
    past = sorted(
        (o for o in history if o.date <= today and o.sets and o.prescription.exercise_id == exercise.id),
        key=lambda o: o.date,
    )
    hard = [o for o in past if not o.prescription.deload]
    fmt = _Format(units)

    def target(load: float | None, why: str, *, foundation: bool = False) -> Target:
        if load is not None:
            load = round(max(0.0, load), 6)
        return Target(planned.sets, planned.reps, planned.seconds, planned.rir, load, why, foundation)

    if not hard:
        if not exercise.loaded:
            start = "pick the variant"
        elif planned.load_kg is None:
            start = "pick a load"
        else:
            start = f"start at {fmt.kg(planned.load_kg)} and adjust"
        goal = f"with {planned.rir} reps in reserve" if planned.rir is not None else "in good form"
        return target(planned.load_kg, f"first session: calibrate: {start} so the last set ends {goal}")
    last = hard[-1]
    gap = (today - past[-1].date).days
    base = working_load(last) if exercise.loaded else None
    if gap > GAP_FOUNDATION_AFTER_DAYS:
        why = f"{gap} days since the last session (> {GAP_FOUNDATION_AFTER_DAYS}) → back to foundation"
        if base is None:
            return target(None, why, foundation=True)
        return target(
            max(_lightest_kg(exercise, units, base), _reduce(base, GAP_REDUCTION, step_kg)),
            why,
            foundation=True,
        )
    if base is None:
        return target(None, _unloaded_why(exercise, hard, gap, planned))
    lower = _Lower(base, step_kg, _lightest_kg(exercise, units, base), fmt)
    if gap >= GAP_REDUCE_DAYS:
        load, why = lower(GAP_REDUCTION, f"{gap} days since the last session (2–4 weeks)")
    elif planned.deload:
        load, why = lower(1 - DELOAD_LOAD_SCALE, "deload week")
    else:
        load, why = _by_evidence(exercise, hard, lower)
    load, why = _convert_scheme(last.prescription, planned, base, load, why, step_kg, fmt)
    return target(load, why)


def _by_evidence(exercise: Exercise, hard: Sequence[Outcome], lower: _Lower) -> tuple[float, str]:
    """The load after the last non-deload session's evidence (no gap, no deload planned)."""
    base, step, fmt = lower.base, lower.step, lower.fmt
    last = judge(hard[-1])
    asked = hard[-1].prescription
    if last.evidence is Evidence.MISS:
        if len(hard) >= 2 and judge(hard[-2]).evidence is Evidence.MISS:
            big = last.reps_short >= BIG_MISS_REPS
            by = f", the last by {last.reps_short} reps" if big else ""
            return lower(
                BIG_MISS_REDUCTION if big else MISS_REDUCTION, f"missed the target two sessions running{by}"
            )
        return base, f"missed the target last time → hold {fmt.kg(base)}; a second miss lowers it"
    if last.evidence is Evidence.PROGRESS:
        assert asked.rir is not None  # progress evidence needs a target RIR
        shares = LOWER_BODY_STEP if exercise.region == "lower" else UPPER_BODY_STEP
        share = shares[1] if last.rir_margin >= 2 else shares[0]
        step_up = max(step, math.floor(base * share / step + _EPS) * step)
        seen = (
            f"{len(hard[-1].sets)}×{asked.reps} at RIR ≥ {asked.rir + last.rir_margin} last time "
            f"(target RIR {asked.rir})"
        )
        if step_up > base * MAX_RISE + _EPS:
            return base, (
                f"{seen}, but one step (+{fmt.kg(step_up)}) would be +{fmt.pct(step_up / base)}, over "
                f"the +{fmt.pct(MAX_RISE)} cap → hold {fmt.kg(base)}: add a rep or use smaller plates"
            )
        return base + step_up, f"{seen} → +{fmt.kg(step_up)}: {fmt.kg(base + step_up)}"
    if last.evidence is Evidence.UNRATED:
        return base, f"reps done but no RIR logged last time → hold {fmt.kg(base)}"
    if last.evidence is Evidence.INCOMPLETE:
        return base, f"{len(hard[-1].sets)} of {asked.sets} sets logged last time → hold {fmt.kg(base)}"
    return base, f"on target last time → hold {fmt.kg(base)}"


@dataclass(frozen=True, slots=True)
class _Lower:
    """A reduction of `base` (kg) that stops at the lightest loadable weight and says so."""

    base: float
    step: float
    lightest: float
    fmt: _Format

    def __call__(self, share: float, reason: str) -> tuple[float, str]:
        load = max(self.lightest, _reduce(self.base, share, self.step))
        if load >= self.base:
            return self.base, f"{reason}, but {self.fmt.kg(self.base)} is the lightest load → hold it"
        return load, f"{reason} → −{self.fmt.pct(share)}: {self.fmt.kg(load)}"


def _convert_scheme(
    before: Prescription,
    planned: Prescription,
    base: float,
    load: float,
    why: str,
    step: float,
    fmt: _Format,
) -> tuple[float, str]:
    """Carry a load over to a new reps @ RIR scheme by the RTS chart, capped at +10 % over `base`."""
    if before.reps is None or before.rir is None or planned.reps is None or planned.rir is None:
        return load, why
    old, new = before.reps + before.rir, planned.reps + planned.rir
    if old == new or old not in RTS_PERCENT or new not in RTS_PERCENT:
        return load, why
    equivalent = load * RTS_PERCENT[new] / RTS_PERCENT[old]
    converted = load + math.floor((equivalent - load) / step + _EPS) * step
    while converted > base * (1 + MAX_RISE) + _EPS:
        converted -= step
    converted = max(0.0, converted)
    if abs(converted - load) < _EPS:
        return load, why
    scheme = f"{planned.reps} @ RIR {planned.rir} instead of {before.reps} @ RIR {before.rir}"
    return converted, f"{why}; {scheme} → {fmt.kg(converted)} (RTS chart)"


def _reduce(base: float, share: float, step: float) -> float:
    """`base` less `share`, by the whole number of steps nearest to it and at least one step."""
    steps = max(1, math.floor(base * share / step + 0.5))
    return max(0.0, base - steps * step)


def _lightest_kg(exercise: Exercise, units: UnitSystem, base: float) -> float:
    """The lightest loadable weight (kg), never above `base`: a reduction stops at the empty bar."""
    lightest = MIN_LOAD.get((exercise.implement, units))
    return 0.0 if lightest is None else min(base, kg_from_display(lightest, units))


def _unloaded_why(exercise: Exercise, hard: Sequence[Outcome], gap: int, planned: Prescription) -> str:
    if gap >= GAP_REDUCE_DAYS:
        return (
            f"{gap} days since the last session (2–4 weeks) → ease back in: fewer reps or an easier variant"
        )
    if planned.deload:
        return "deload week → same exercise, fewer sets"
    last = judge(hard[-1]).evidence
    two_misses = len(hard) >= 2 and judge(hard[-2]).evidence is Evidence.MISS
    if last is Evidence.MISS and two_misses:
        return "missed the target two sessions running → ease off: fewer reps or an easier variant"
    if last is Evidence.MISS:
        return "missed the target last time → same again"
    if last is Evidence.PROGRESS:
        return "every set had reps to spare last time → make it harder: add reps or a harder variant"
    return "on target last time → same again"


@dataclass(frozen=True, slots=True)
class _Format:
    """Numbers in `why` lines: loads in the athlete's units, percentages with one decimal at most."""

    units: UnitSystem

    def kg(self, load_kg: float) -> str:
        return f"{round(display_from_kg(load_kg, self.units), 2):g} {self.units.mass_label}"

    @staticmethod
    def pct(share: float) -> str:
        return f"{round(share * 100, 1):g} %"


def session_e1rm(sets: Iterable[LoggedSet], *, formula: E1rmFormula = E1rmFormula.EPLEY) -> float | None:
    """The best e1RM (kg) of a session's sets, or None when no set allows an estimate.

    Only loaded sets with reps + RIR ≤ 10 count; a set logged without RIR counts as taken to
    failure (RIR 0), which makes its estimate a lower bound rather than a guess.
    """
    best: float | None = None
    for done in sets:
        if done.load_kg is None or done.load_kg <= 0 or done.reps is None or done.reps < 1:
            continue
        rir = done.rir or 0
        if done.reps + rir > MAX_E1RM_REPS:
            continue
        estimate = estimate_1rm(done.load_kg, done.reps, rir=rir, formula=formula)
        best = estimate if best is None else max(best, estimate)
    return best


def e1rm_trend(
    history: Sequence[Outcome], *, formula: E1rmFormula = E1rmFormula.EPLEY
) -> list[tuple[date, float]]:
    """(date, best e1RM in kg) per session, oldest first; deload sessions are left out so their
    deliberately light loads do not dent the trend."""
    trend: list[tuple[date, float]] = []
    for outcome in sorted(history, key=lambda o: o.date):
        if outcome.prescription.deload:
            continue
        best = session_e1rm(outcome.sets, formula=formula)
        if best is not None:
            trend.append((outcome.date, best))
    return trend
