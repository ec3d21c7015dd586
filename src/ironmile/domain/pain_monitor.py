"""The pain-monitoring model (SCIENCE.md §7; Silbernagel et al. 2007, AJSM 35:897).

Pain during or after a session up to 5/10 is acceptable when it has settled by the next morning and
morning pain is not rising week to week; otherwise the aggravating exercise gets lighter (10–20 %)
or is swapped for an easier variant. ironmile gives training guidance, not medical advice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ironmile.domain.athlete import Health
from ironmile.domain.pain import KneeTier, knee_tier
from ironmile.domain.training import MorningPain

ACCEPTABLE_PAIN = 5  # 0–10: the edge of the acceptable zone (Silbernagel et al. 2007); configurable
WEEK_DAYS = 7
MIN_MORNINGS_PER_WEEK = 3  # convention: fewer check-ins than this say nothing about a weekly trend
# Convention: ratings are whole numbers, so a weekly mean up by less than half a point is one
# morning's blip (one day 3 points worse moves the mean by 0.43), not a rising trend.
MORNING_RISE_TOLERANCE = 0.5
REDUCE_MILD = 0.9  # −10 %: one criterion missed, by a little
REDUCE_MARKED = 0.8  # −20 %, with an easier variant offered: pain well above the edge, or 2+ criteria
MARKED_EXCESS = 2  # pain during at least this far above the edge counts as marked

_TIER_WORDS = {
    KneeTier.NORMAL: "the normal plan",
    KneeTier.KNEE_FRIENDLY: "the knee-friendly plan (isometric holds first, hip-dominant lifts, no jumps)",
    KneeTier.NO_KNEE_FLEXION: "a plan with no loaded knee bending",
}


class PainAction(StrEnum):
    PROGRESS = "progress"  # pain allows the load rules to progress as usual
    HOLD = "hold"  # not enough check-ins to tell whether pain settled: keep the load
    REDUCE = "reduce"  # lighten the aggravating exercise by `load_factor`, or regress it


@dataclass(frozen=True, slots=True)
class PainDecision:
    exercise_id: str
    decision: PainAction
    reason: str
    load_factor: float = 1.0  # multiply the exercise's next load by this (0.8–0.9 when reducing)
    suggest_regression: bool = False


def decide(
    *,
    exercise_id: str,
    during: Sequence[tuple[date, int]],
    mornings: Sequence[MorningPain],
    today: date,
    edge: int = ACCEPTABLE_PAIN,
) -> PainDecision:
    """What pain says about the next load of `exercise_id` as of `today`.

    `during` holds (session date, 0–10 pain during the exercise) pairs; `mornings` the daily
    morning check-ins. The latest session is judged by its pain during (≤ `edge`) and by the next
    morning (not above that session morning's baseline, and ≤ `edge`); morning pain over the last
    7 days is compared with the 7 days before. Entries after `today` are ignored.
    """
    by_day: dict[date, int] = {}
    for entry in mornings:
        if entry.date <= today:
            by_day[entry.date] = max(entry.pain, by_day.get(entry.date, 0))
    problems: list[str] = []
    fine: list[str] = []
    unknown: str | None = None
    marked = False
    sessions = [(day, pain) for day, pain in during if day <= today]
    if sessions:
        day, pain = max(sessions)  # the latest session; its worst report on that day
        if pain > edge:
            problems.append(f"pain {pain}/10 during the session on {day} (above {edge})")
            marked = pain - edge >= MARKED_EXCESS
        else:
            fine.append(f"pain {pain}/10 during")
        after, baseline = by_day.get(day + timedelta(days=1)), by_day.get(day)
        if after is not None:
            if after > edge:
                problems.append(f"next morning {after}/10 (above {edge})")
            elif baseline is not None and after > baseline:
                problems.append(f"next morning {after}/10, above the {baseline}/10 before the session")
            else:
                fine.append("settled by the next morning")
        elif pain > 0:
            unknown = f"pain {pain}/10 during on {day}; log the next morning's pain to confirm it settled"
    trend = _weekly_trend(by_day, today)
    if trend is not None:
        before, now = trend
        if now - before > MORNING_RISE_TOLERANCE:
            problems.append(f"morning pain rising week to week ({before:.1f} → {now:.1f}/10 on average)")
        else:
            fine.append("morning pain not rising")
    if problems:
        marked = marked or len(problems) >= 2
        factor = REDUCE_MARKED if marked else REDUCE_MILD
        cut = round((1 - factor) * 100)
        also = ", or swap to an easier variant" if marked else ""
        reason = f"{'; '.join(problems)} → lighten this exercise by {cut} %{also}"
        return PainDecision(exercise_id, PainAction.REDUCE, reason, factor, marked)
    if unknown is not None:
        return PainDecision(exercise_id, PainAction.HOLD, f"{unknown} → hold the load")
    reason = ", ".join(fine) if fine else "no pain reported"
    return PainDecision(exercise_id, PainAction.PROGRESS, f"{reason} → the load may progress")


def _weekly_trend(by_day: dict[date, int], today: date) -> tuple[float, float] | None:
    """Mean morning pain of the 7 days before the last 7, and of the last 7 (today included)."""
    weeks: list[list[int]] = [[], []]
    for day, pain in by_day.items():
        age = (today - day).days
        if 0 <= age < 2 * WEEK_DAYS:
            weeks[0 if age >= WEEK_DAYS else 1].append(pain)
    if any(len(week) < MIN_MORNINGS_PER_WEEK for week in weeks):
        return None
    return sum(weeks[0]) / len(weeks[0]), sum(weeks[1]) / len(weeks[1])


def knee_pain_tier_change(previous: int, current: int) -> str | None:
    """A sentence when reported knee pain (0–10) moves the plan to another tier (SCIENCE.md §7),
    None when the tier stays the same. Red flags are handled apart, by `pain.knee_warnings`."""
    for name, value in (("previous", previous), ("current", current)):
        if not 0 <= value <= 10:
            raise ValueError(f"{name} knee pain must be 0–10, not {value}")
    before, after = knee_tier(Health(knee_pain=previous)), knee_tier(Health(knee_pain=current))
    if before is after:
        return None
    if after > before:
        sentence = (
            f"Knee pain up from {previous} to {current}/10: the plan changes from {_TIER_WORDS[before]} "
            f"to {_TIER_WORDS[after]}."
        )
        if after is KneeTier.NO_KNEE_FLEXION:
            sentence += " Pain this high deserves a look: see a clinician (doctor or physiotherapist)."
        return sentence
    return (
        f"Knee pain down from {previous} to {current}/10: the plan can move from {_TIER_WORDS[before]} "
        f"back to {_TIER_WORDS[after]}."
    )
