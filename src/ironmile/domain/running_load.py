"""Running load (SCIENCE.md §6): one number per run, a daily series, and two smoothed views of it.

A run's load is Banister's TRIMP when heart rate exists; otherwise one of three fallbacks, each
converted into TRIMP-comparable arbitrary units (AU) by a named convention below. In order:

| method   | needs                                    | load (AU)                                         |
|----------|------------------------------------------|---------------------------------------------------|
| TRIMP    | heart-rate stream, or average + duration | Σ minutes · x · k·e^(b·x), x = heart-rate reserve |
| SRPE     | perceived exertion (0–10) + duration     | RPE × minutes (Foster et al. 2001), scaled        |
| DURATION | duration                                 | minutes at ASSUMED_EASY_HRR                       |
| DISTANCE | distance                                 | minutes at ASSUMED_EASY_PACE_S_PER_KM, as above   |

Only running counts: ironmile plans strength around running, and the fallbacks assume a run.
The daily series feeds the EWMA acute:chronic workload ratio (Williams et al. 2017) and the
fitness/fatigue model (CTL/ATL/TSB, GoldenCheetah's PMC form). Both are descriptions of training,
not predictions of injury: the ACWR bands are a disputed heuristic (`ACWR_CAVEAT`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from ironmile.domain.activity import Activity
from ironmile.domain.athlete import Sex


class LoadMethod(StrEnum):
    TRIMP = "trimp"  # measured: Banister TRIMP from heart rate
    SRPE = "srpe"  # reported: session RPE × minutes, scaled
    DURATION = "duration"  # assumed: minutes at an easy effort
    DISTANCE = "distance"  # assumed: distance at an easy pace and effort


# Banister (1991) weighting k·e^(b·x) of heart-rate reserve fraction x, per sex. With sex unknown the
# mean of the two curves is used (convention: neither sex silently assumed).
BANISTER_COEFFICIENTS = {Sex.MALE: (0.64, 1.92), Sex.FEMALE: (0.86, 1.67)}
DEFAULT_RESTING_BPM = 60.0  # convention when the athlete gave none; typical adult resting rate
# A run's recorded maximum outside this range is a strap or optical glitch, not a heart rate.
PLAUSIBLE_MAX_BPM = (100.0, 230.0)
# Fallback conventions. A run without heart rate or rating is taken as easy: 60 % of heart-rate
# reserve, where ACSM's moderate band (40–59 %) meets its vigorous band (60–89 %; Garber et al.
# 2011, MSSE 43:1334), at 6:00 min/km, a recreational runner's easy pace.
ASSUMED_EASY_HRR = 0.60
ASSUMED_EASY_PACE_S_PER_KM = 360.0
# Session RPE (0–10) × minutes is converted at one anchor: RPE 6 for a minute scores like a minute
# at 60 % of HRR, since 5–6 of 10 is "moderate" and 7–8 "vigorous" (Haskell et al. 2007, MSSE
# 39:1423) as 40–59 % and 60–89 % of HRR are. It stays linear in RPE, as Foster's units are, so
# against TRIMP it scores very hard sessions low (RPE 9: about 0.6×) and very easy ones high.
SRPE_ANCHOR_RPE = 6.0

ACUTE_DAYS = 7  # Williams et al. 2017, BJSM 51:209
CHRONIC_DAYS = 28
CTL_DAYS = 42  # GoldenCheetah's defaults (Coggan's PMC)
ATL_DAYS = 7


class AcwrBand(StrEnum):
    LOW = "low"  # < 0.8
    SWEET_SPOT = "sweet spot"  # 0.8–1.3 (both ends included)
    CAUTION = "caution"  # above 1.3, below 1.5
    HIGH = "high"  # ≥ 1.5


ACWR_SWEET_SPOT = (0.8, 1.3)  # Gabbett 2016, BJSM 50:273 — heuristic
ACWR_HIGH = 1.5
ACWR_CAVEAT = (
    "Heuristic: the ACWR bands come from team sports (Gabbett 2016) and are disputed "
    "(Impellizzeri et al. 2021); in runners a high ACWR was not linked to more injuries "
    "(Frandsen et al. 2025). Read it as a description of recent training, not a risk score."
)


@dataclass(frozen=True, slots=True)
class HeartRateProfile:
    """Resting and maximum heart rate (beats/min); `estimated` when either was not the athlete's own."""

    resting_bpm: float
    max_bpm: float
    sex: Sex | None = None
    estimated: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.resting_bpm < self.max_bpm:
            raise ValueError(
                f"heart-rate profile needs 0 < resting < max, got resting {self.resting_bpm:g} "
                f"and max {self.max_bpm:g} bpm"
            )

    def reserve_fraction(self, bpm: float) -> float:
        """Karvonen's heart-rate reserve fraction, clamped to 0–1 (a rate above max means max is low)."""
        return min(1.0, max(0.0, (bpm - self.resting_bpm) / (self.max_bpm - self.resting_bpm)))


@dataclass(frozen=True, slots=True)
class SessionLoad:
    value: float  # AU, TRIMP-comparable
    method: LoadMethod


@dataclass(frozen=True, slots=True)
class DayLoad:
    day: date
    load: float  # AU: the sum of the day's run loads; runs without any usable data add 0
    runs: int


@dataclass(frozen=True, slots=True)
class AcwrDay:
    day: date
    acute: float  # AU, EWMA over `acute_days`
    chronic: float  # AU, EWMA over `chronic_days`
    ratio: float | None  # None while chronic is 0 or the series is younger than `chronic_days`
    band: AcwrBand | None


@dataclass(frozen=True, slots=True)
class FitnessDay:
    day: date
    ctl: float  # AU, chronic training load ("fitness")
    atl: float  # AU, acute training load ("fatigue")
    tsb: float  # AU, yesterday's CTL − yesterday's ATL ("form"); 0 on the first day (seed)


def banister_weight(hr_reserve_fraction: float, sex: Sex | None) -> float:
    """TRIMP per minute at a steady heart-rate reserve fraction x: x · k·e^(b·x)."""
    if not 0.0 <= hr_reserve_fraction <= 1.0:
        raise ValueError(f"heart-rate reserve fraction must be 0–1, got {hr_reserve_fraction:g}")
    sexes = (sex,) if sex is not None else (Sex.MALE, Sex.FEMALE)
    weights = [k * math.exp(b * hr_reserve_fraction) for k, b in (BANISTER_COEFFICIENTS[s] for s in sexes)]
    return hr_reserve_fraction * sum(weights) / len(weights)


def banister_trimp(minutes: float, hr_reserve_fraction: float, sex: Sex | None) -> float:
    """Banister's TRIMP (AU) for `minutes` at a steady heart-rate reserve fraction (Banister 1991)."""
    if minutes < 0:
        raise ValueError(f"minutes must not be negative, got {minutes:g}")
    return minutes * banister_weight(hr_reserve_fraction, sex)


def srpe_trimp_per_au(sex: Sex | None) -> float:
    """TRIMP per session-RPE unit (RPE × minute): equal at RPE `SRPE_ANCHOR_RPE` (see module notes)."""
    return banister_weight(SRPE_ANCHOR_RPE / 10, sex) / SRPE_ANCHOR_RPE


def _heart_rate_trimp(activity: Activity, hr: HeartRateProfile) -> float | None:
    """TRIMP (AU) from the per-bpm stream, else from the average heart rate × duration.

    The stream sums each bpm's own weight, so intervals count for more than a steady run with the
    same average (the weighting is convex); the average form is Banister's original.
    """
    stream = [(bpm, seconds) for bpm, seconds in activity.heart_rate_seconds if _positive(seconds)]
    if stream:
        return sum(banister_trimp(s / 60, hr.reserve_fraction(bpm), hr.sex) for bpm, s in stream)
    minutes = _minutes(activity.duration_s)
    average = _positive(activity.avg_heart_rate_bpm)
    if minutes is None or average is None:
        return None
    return banister_trimp(minutes, hr.reserve_fraction(average), hr.sex)


def activity_load(activity: Activity, hr: HeartRateProfile | None) -> SessionLoad | None:
    """A run's load (AU) by the first method its data allows; None for other sports or no data."""
    if not activity.is_run:
        return None
    if hr is not None and (measured := _heart_rate_trimp(activity, hr)) is not None:
        return SessionLoad(measured, LoadMethod.TRIMP)
    sex = hr.sex if hr is not None else None
    minutes = _minutes(activity.duration_s)
    rpe = activity.perceived_exertion
    if minutes is not None and rpe is not None and math.isfinite(rpe):
        return SessionLoad(min(10.0, max(0.0, rpe)) * minutes * srpe_trimp_per_au(sex), LoadMethod.SRPE)
    if minutes is not None:
        return SessionLoad(banister_trimp(minutes, ASSUMED_EASY_HRR, sex), LoadMethod.DURATION)
    distance = _positive(activity.distance_m)
    if distance is not None:
        assumed_minutes = distance / 1000 * ASSUMED_EASY_PACE_S_PER_KM / 60
        return SessionLoad(banister_trimp(assumed_minutes, ASSUMED_EASY_HRR, sex), LoadMethod.DISTANCE)
    return None


def heart_rate_profile(
    *,
    resting_bpm: float | None,
    max_bpm: float | None,
    sex: Sex | None,
    activities: Iterable[Activity],
) -> HeartRateProfile | None:
    """The athlete's own values when given; the gaps filled from the running history or convention.

    Max: the second-highest plausible run maximum (one strap glitch cannot set it; the highest when
    only one run has a maximum). A history's maximum is a floor: without an all-out effort in it the
    true maximum is higher and loads read high, so entering one's own max is better. Resting: 60 bpm.
    None when no maximum is known.
    """
    estimated = resting_bpm is None or max_bpm is None
    if max_bpm is None:
        run_maxima = (_run_max_bpm(activity) for activity in activities if activity.is_run)
        maxima = sorted((bpm for bpm in run_maxima if bpm is not None), reverse=True)
        if not maxima:
            return None
        max_bpm = maxima[1] if len(maxima) > 1 else maxima[0]
        if resting_bpm is None and max_bpm <= DEFAULT_RESTING_BPM:
            return None
        if resting_bpm is not None and max_bpm <= resting_bpm:
            return None
    return HeartRateProfile(
        resting_bpm=resting_bpm if resting_bpm is not None else DEFAULT_RESTING_BPM,
        max_bpm=max_bpm,
        sex=sex,
        estimated=estimated,
    )


def daily_loads(
    activities: Iterable[Activity], *, first: date, last: date, hr: HeartRateProfile | None
) -> tuple[DayLoad, ...]:
    """One entry per calendar day from `first` to `last`, runs only, by each run's local start date."""
    if last < first:
        raise ValueError(f"last day {last} is before first day {first}")
    totals: dict[date, float] = defaultdict(float)
    counts: dict[date, int] = defaultdict(int)
    for activity in activities:
        day = activity.start.date()
        if activity.is_run and first <= day <= last:
            load = activity_load(activity, hr)
            totals[day] += load.value if load is not None else 0.0
            counts[day] += 1
    days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return tuple(DayLoad(day, totals[day], counts[day]) for day in days)


def ewma_lambda(days: int) -> float:
    """Williams et al. (2017)'s decay λ = 2 / (N + 1) for an N-day exponentially weighted average."""
    if days < 1:
        raise ValueError(f"an average needs at least 1 day, got {days}")
    return 2 / (days + 1)


def acwr_band(ratio: float) -> AcwrBand:
    low, high = ACWR_SWEET_SPOT
    if ratio < low:
        return AcwrBand.LOW
    if ratio <= high:
        return AcwrBand.SWEET_SPOT
    return AcwrBand.CAUTION if ratio < ACWR_HIGH else AcwrBand.HIGH


def acwr_series(
    loads: Sequence[DayLoad], *, acute_days: int = ACUTE_DAYS, chronic_days: int = CHRONIC_DAYS
) -> tuple[AcwrDay, ...]:
    """EWMA acute:chronic workload ratio per day: EWMA_today = λ·load + (1 − λ)·EWMA_yesterday.

    Both averages start from 0 the day before the series. The ratio stays None for the first
    `chronic_days − 1` days, while the chronic average is still mostly that seed (it would read
    high for anyone), and whenever the chronic average is 0 (the ratio is undefined). Start the
    series at least `chronic_days` before the days you show.
    """
    _check_consecutive(loads)
    acute_lambda, chronic_lambda = ewma_lambda(acute_days), ewma_lambda(chronic_days)
    acute = chronic = 0.0
    series = []
    for index, entry in enumerate(loads):
        acute = acute_lambda * entry.load + (1 - acute_lambda) * acute
        chronic = chronic_lambda * entry.load + (1 - chronic_lambda) * chronic
        ratio = acute / chronic if chronic > 0 and index + 1 >= chronic_days else None
        series.append(
            AcwrDay(entry.day, acute, chronic, ratio, acwr_band(ratio) if ratio is not None else None)
        )
    return tuple(series)


def fitness_fatigue(
    loads: Sequence[DayLoad], *, ctl_days: int = CTL_DAYS, atl_days: int = ATL_DAYS
) -> tuple[FitnessDay, ...]:
    """CTL and ATL as GoldenCheetah computes them: today = yesterday + (load − yesterday)·(1 − e^(−1/N)).

    Both start at 0 the day before the series. TSB on a day is the previous day's CTL − ATL, the
    form one brings into that day (GoldenCheetah's default; 0 on the first day).
    """
    _check_consecutive(loads)
    if ctl_days < 1 or atl_days < 1:
        raise ValueError(f"time constants must be at least 1 day, got {ctl_days} and {atl_days}")
    ctl_weight, atl_weight = 1 - math.exp(-1 / ctl_days), 1 - math.exp(-1 / atl_days)
    ctl = atl = 0.0
    series = []
    for entry in loads:
        tsb = ctl - atl
        ctl += (entry.load - ctl) * ctl_weight
        atl += (entry.load - atl) * atl_weight
        series.append(FitnessDay(entry.day, ctl, atl, tsb))
    return tuple(series)


def _check_consecutive(loads: Sequence[DayLoad]) -> None:
    for before, after in pairwise(loads):
        if after.day - before.day != timedelta(days=1):
            raise ValueError(f"daily loads must be consecutive days: {before.day} is followed by {after.day}")


def _positive(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) and value > 0 else None


def _minutes(seconds: float | None) -> float | None:
    positive = _positive(seconds)
    return positive / 60 if positive is not None else None


def _run_max_bpm(activity: Activity) -> float | None:
    low, high = PLAUSIBLE_MAX_BPM
    recorded = activity.max_heart_rate_bpm
    if recorded is None:
        streamed = [bpm for bpm, seconds in activity.heart_rate_seconds if _positive(seconds)]
        recorded = float(max(streamed)) if streamed else None
    return recorded if recorded is not None and low <= recorded <= high else None
