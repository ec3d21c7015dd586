"""The runner's usual week, read from their running history, with every choice explained.

The inferred `RunningWeek` is a proposal shown to the runner with its `reasons` before they accept
it; it obeys the profile's rules (key days and the long-run day are run days, and the long-run day
is not also a key day). It looks at the `weeks` whole Monday–Sunday weeks before the week of
`today` (a week in progress would under-count its last days) and counts only runs:

- run days: weekdays with a run in at least half of the weeks that had any run;
- long-run day: the weekday holding the week's longest run most often, counting only weeks where
  that run is clearly longer (≥ LONG_RUN_RATIO × the week's median run) and only when that day
  wins at least half of the weeks with runs;
- key days: run days (not the long-run day) with a hard run in at least half of the weeks with
  runs. Hard comes from heart rate when there is a heart-rate profile, else from pace;
- weekly distance: the median of the weekly totals of the weeks with runs.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ironmile.domain.activity import Activity
from ironmile.domain.athlete import DAY_TITLES, RunningWeek
from ironmile.domain.running_load import HeartRateProfile
from ironmile.domain.running_weeks import monday_of, run_distance_m

# Convention: the week's longest run is "the long run" only when clearly longer than its other runs.
LONG_RUN_RATIO = 1.3
# Convention: a run is hard when it spent at least HARD_MINUTES at or above HARD_HRR of heart-rate
# reserve (about threshold effort): a 20-minute tempo or 6 × 3 minutes of intervals qualify, an easy
# run's strides and short hills do not. Time above the line is used, not a whole-session average or
# TRIMP per minute: warm-up, cool-down and recoveries pull those down to the level of a steady
# moderate run (6 × 3 min at 92 % with 25 min easy averages 67 % of reserve). A run with only an
# average heart rate is hard when that average reaches HARD_HRR, which misses such sessions.
HARD_HRR = 0.80
HARD_MINUTES = 10.0
# Convention: without heart rate, a run is hard when its average speed is at least 8 % above the
# runner's median (a tempo session with warm-up and cool-down averages about 10 % faster than easy
# running). Hill sessions and trail runs are slow and are missed; this needs mostly easy running.
HARD_SPEED_RATIO = 1.08


@dataclass(frozen=True, slots=True)
class InferredWeek:
    running: RunningWeek
    weeks_seen: int  # weeks with at least one run among those looked at
    reasons: tuple[str, ...]  # one plain sentence per choice, in the order of the fields


def infer_running_week(
    activities: Iterable[Activity], *, today: date, weeks: int = 8, hr: HeartRateProfile | None = None
) -> InferredWeek:
    """The usual running week of the `weeks` whole weeks before the week of `today`."""
    if weeks < 1:
        raise ValueError(f"need at least 1 week of history, got {weeks}")
    end = monday_of(today)
    start = end - timedelta(weeks=weeks)
    by_week: dict[date, list[Activity]] = defaultdict(list)
    for run in sorted((a for a in activities if a.is_run), key=lambda a: a.start):
        if start <= run.start.date() < end:
            by_week[monday_of(run.start.date())].append(run)
    seen = len(by_week)
    looked = f"Looked at the {weeks} weeks from {start:%d %b %Y} to {end - timedelta(days=1):%d %b %Y}"
    if seen == 0:
        reason = f"{looked}: no runs, so there is nothing to infer; enter your running week by hand."
        return InferredWeek(RunningWeek(), 0, (reason,))
    reasons = [f"{looked}; {seen} of them had runs."]

    weeks_on_day = Counter(day for runs in by_week.values() for day in {_weekday(run) for run in runs})
    run_days = frozenset(day for day, count in weeks_on_day.items() if _at_least_half(count, seen))
    reasons.append(_run_days_reason(run_days, weeks_on_day, seen))

    long_run_day, long_reason = _long_run_day(by_week, seen)
    reasons.append(long_reason)

    hard = _hard_runs(by_week, hr)
    hard_weeks = Counter(
        day for runs in by_week.values() for day in {_weekday(run) for run in runs if hard[id(run)]}
    )
    key_days = frozenset(
        day for day in run_days if day != long_run_day and _at_least_half(hard_weeks[day], seen)
    )
    known = any(verdict is not None for verdict in hard.values())
    reasons.append(_key_days_reason(key_days, hard_weeks, seen, long_run_day, hr, known=known))

    weekly_m = statistics.median(sum(run_distance_m(run) for run in runs) for runs in by_week.values())
    reasons.append(f"Weekly distance: the median of the {seen} weekly totals.")
    running = RunningWeek(
        weekly_distance_m=float(weekly_m), run_days=run_days, key_days=key_days, long_run_day=long_run_day
    )
    return InferredWeek(running, seen, tuple(reasons))


def _weekday(run: Activity) -> int:
    return run.start.date().weekday()


def _at_least_half(count: int, of: int) -> bool:
    return 2 * count >= of


def _days_text(days: Iterable[int], counts: Counter[int], seen: int) -> str:
    return ", ".join(f"{DAY_TITLES[day]} ({counts[day]} of {seen} weeks)" for day in sorted(days))


def _run_days_reason(run_days: frozenset[int], weeks_on_day: Counter[int], seen: int) -> str:
    text = (
        f"Run days: {_days_text(run_days, weeks_on_day, seen)} — the days you ran on in at least half "
        "of the weeks with runs."
    )
    occasional = set(weeks_on_day) - run_days
    if occasional:
        text += f" Not run days, too rare: {_days_text(occasional, weeks_on_day, seen)}."
    return text


def _long_run_day(by_week: dict[date, list[Activity]], seen: int) -> tuple[int | None, str]:
    votes: Counter[int] = Counter()
    distance_on: dict[int, float] = defaultdict(float)
    for runs in by_week.values():
        distances = [run_distance_m(run) for run in runs if run_distance_m(run) > 0]
        if not distances:
            continue
        longest = max(runs, key=run_distance_m)
        if run_distance_m(longest) >= LONG_RUN_RATIO * statistics.median(distances):
            votes[_weekday(longest)] += 1
            distance_on[_weekday(longest)] += run_distance_m(longest)
    rule = f"at least {LONG_RUN_RATIO:g} × that week's median run"
    if votes:
        # ties go to the day whose long runs added up to more distance, then to the later weekday
        day = max(votes, key=lambda d: (votes[d], distance_on[d], d))
        if _at_least_half(votes[day], seen):
            return day, (
                f"Long run: {DAY_TITLES[day]} — the week's longest run fell on {DAY_TITLES[day]} in "
                f"{votes[day]} of {seen} weeks, each time {rule}."
            )
    return None, (
        "No long-run day: no weekday held a clearly longest run of the week "
        f"({rule}) in at least half of the weeks with runs."
    )


def _hard_runs(by_week: dict[date, list[Activity]], hr: HeartRateProfile | None) -> dict[int, bool | None]:
    """Whether each run (keyed by `id`) was hard; None when neither heart rate nor pace tells."""
    runs = [run for week in by_week.values() for run in week]
    speeds = {id(run): speed for run in runs if (speed := _speed(run)) is not None}
    median_speed = statistics.median(speeds.values()) if speeds else None
    verdicts: dict[int, bool | None] = {}
    for run in runs:
        by_heart_rate = _hard_by_heart_rate(run, hr) if hr is not None else None
        if by_heart_rate is not None:
            verdicts[id(run)] = by_heart_rate
        elif id(run) in speeds and median_speed is not None:
            verdicts[id(run)] = speeds[id(run)] >= HARD_SPEED_RATIO * median_speed
        else:
            verdicts[id(run)] = None
    return verdicts


def _hard_by_heart_rate(run: Activity, hr: HeartRateProfile) -> bool | None:
    stream = [(bpm, seconds) for bpm, seconds in run.heart_rate_seconds if 0 < seconds < float("inf")]
    if stream:
        hard_s = sum(seconds for bpm, seconds in stream if hr.reserve_fraction(bpm) >= HARD_HRR)
        return hard_s >= HARD_MINUTES * 60
    average = run.avg_heart_rate_bpm
    if average is not None and 0 < average < float("inf"):
        return hr.reserve_fraction(average) >= HARD_HRR
    return None


def _speed(run: Activity) -> float | None:
    """Average speed in m/s, None without both a distance and a duration."""
    distance, seconds = run_distance_m(run), run.duration_s
    return distance / seconds if distance > 0 and seconds is not None and 0 < seconds < float("inf") else None


def _key_days_reason(
    key_days: frozenset[int],
    hard_weeks: Counter[int],
    seen: int,
    long_run_day: int | None,
    hr: HeartRateProfile | None,
    *,
    known: bool,
) -> str:
    by_pace = (
        f"a run without heart rate counts as hard when its pace is at least "
        f"{round((HARD_SPEED_RATIO - 1) * 100)} % faster than your median pace"
    )
    how = (
        f"a run counts as hard with at least {HARD_MINUTES:.0f} minutes at or above "
        f"{round(HARD_HRR * 100)} % of your heart-rate reserve (resting {hr.resting_bpm:.0f}, "
        f"max {hr.max_bpm:.0f} bpm), or an average that high when only the average was recorded; {by_pace}"
        if hr is not None
        else by_pace
    )
    if not known:
        return (
            "No key days: these runs recorded neither heart rate nor pace, so hard runs cannot be told apart."
        )
    if key_days:
        text = (
            f"Key days: {_days_text(key_days, hard_weeks, seen)} — the days with a hard run in at least "
            f"half of the weeks with runs; {how}."
        )
    else:
        text = f"No key days: no run day had a hard run in at least half of the weeks with runs ({how})."
    if long_run_day is not None and _at_least_half(hard_weeks[long_run_day], seen):
        text += (
            f" {DAY_TITLES[long_run_day]}'s long run was often hard too; it stays the long-run day, "
            "which already protects it."
        )
    return text
