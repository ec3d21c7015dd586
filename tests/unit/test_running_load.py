"""Running load (SCIENCE.md §6): Banister TRIMP and its fallbacks, the daily series, the EWMA
acute:chronic ratio and the CTL/ATL/TSB model, against published numbers and hand calculations."""

from __future__ import annotations

import math
import os
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ironmile.domain.activity import Activity, Sport
from ironmile.domain.athlete import Sex
from ironmile.domain.running_load import (
    ASSUMED_EASY_HRR,
    AcwrBand,
    DayLoad,
    HeartRateProfile,
    LoadMethod,
    activity_load,
    acwr_band,
    acwr_series,
    banister_trimp,
    daily_loads,
    ewma_lambda,
    fitness_fatigue,
    heart_rate_profile,
)
from tests.strategies import activities, heart_rate_profiles, other_activities, runs

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("IRONMILE_PROPERTY_EXAMPLES", "60")), deadline=None
)
DAY_ONE = date(2026, 3, 2)
HR = HeartRateProfile(resting_bpm=60, max_bpm=190, sex=Sex.MALE)


def run(
    day: date = DAY_ONE,
    *,
    minutes: float | None = 60,
    distance_m: float | None = 10_000,
    avg_bpm: float | None = None,
    stream: tuple[tuple[int, float], ...] = (),
    rpe: float | None = None,
    sport: Sport = Sport.RUNNING,
    at: time = time(7),
    zone: timezone = UTC,
) -> Activity:
    return Activity(
        start=datetime.combine(day, at, zone),
        sport=sport,
        source=f"{day}.fit",
        fingerprint=f"{day}-{at}-{sport}",
        distance_m=distance_m,
        moving_s=minutes * 60 if minutes is not None else None,
        avg_heart_rate_bpm=avg_bpm,
        heart_rate_seconds=stream,
        perceived_exertion=rpe,
    )


def constant(load: float, days: int) -> list[DayLoad]:
    return [DayLoad(DAY_ONE + timedelta(days=offset), load, 1) for offset in range(days)]


# --- Banister TRIMP ----------------------------------------------------------------------------


@pytest.mark.parametrize(("sex", "expected"), [(Sex.MALE, 100.44), (Sex.FEMALE, 113.52)])
def test_banister_trimp_matches_the_published_oracle(sex: Sex, expected: float) -> None:
    # Banister (1991); SCIENCE.md §6 oracle: 60 min at HR 150, rest 60, max 190 → 100.44 men, 113.52 women.
    fraction = (150 - 60) / (190 - 60)
    assert banister_trimp(60, fraction, sex) == pytest.approx(expected, abs=0.005)


def test_unknown_sex_takes_the_mean_of_the_two_curves() -> None:
    fraction = (150 - 60) / (190 - 60)
    both = banister_trimp(60, fraction, Sex.MALE) + banister_trimp(60, fraction, Sex.FEMALE)
    assert banister_trimp(60, fraction, None) == pytest.approx(both / 2)


def test_trimp_refuses_impossible_inputs() -> None:
    with pytest.raises(ValueError, match="0–1"):
        banister_trimp(60, 1.2, Sex.MALE)
    with pytest.raises(ValueError, match="negative"):
        banister_trimp(-1, 0.5, Sex.MALE)
    with pytest.raises(ValueError, match="resting < max"):
        HeartRateProfile(resting_bpm=190, max_bpm=60)


def test_a_run_with_average_heart_rate_scores_banister_trimp() -> None:
    load = activity_load(run(avg_bpm=150), HR)
    assert load is not None
    assert load.method is LoadMethod.TRIMP
    assert load.value == pytest.approx(100.44, abs=0.005)


def test_the_heart_rate_stream_sums_each_bpm_so_intervals_weigh_more_than_their_average() -> None:
    steady = activity_load(run(stream=((150, 3600.0),)), HR)
    intervals = activity_load(run(stream=((120, 1800.0), (180, 1800.0))), HR)  # average 150 bpm
    assert steady is not None
    assert steady.value == pytest.approx(100.44, abs=0.005)
    expected = banister_trimp(30, 60 / 130, Sex.MALE) + banister_trimp(30, 120 / 130, Sex.MALE)
    assert intervals is not None
    assert intervals.value == pytest.approx(expected)
    assert intervals.value > steady.value  # the weighting is convex


def test_fallbacks_in_order_with_their_documented_conversions() -> None:
    # Session RPE × minutes (Foster et al. 2001), scaled so RPE 6 scores like minutes at 60 % HRR.
    srpe = activity_load(run(avg_bpm=150, rpe=6), None)  # heart rate without a profile is unusable
    assert srpe is not None
    assert srpe.method is LoadMethod.SRPE
    assert srpe.value == pytest.approx(banister_trimp(60, 0.6, None))
    harder = activity_load(run(rpe=9), None)
    assert harder is not None
    assert harder.value == pytest.approx(srpe.value * 9 / 6)  # linear in RPE, as Foster's AU are
    duration = activity_load(run(distance_m=None), HR)
    assert duration is not None
    assert (duration.method, duration.value) == (
        LoadMethod.DURATION,
        banister_trimp(60, ASSUMED_EASY_HRR, Sex.MALE),
    )
    distance = activity_load(run(minutes=None, distance_m=10_000), HR)
    assert distance is not None
    # 10 km at the assumed 6:00 min/km is 60 minutes at the assumed easy effort
    assert distance.method is LoadMethod.DISTANCE
    assert distance.value == pytest.approx(duration.value)
    assert activity_load(run(minutes=None, distance_m=None), HR) is None


def test_other_sports_carry_no_running_load() -> None:
    assert activity_load(run(avg_bpm=150, sport=Sport.CYCLING), HR) is None


# --- heart-rate profile ------------------------------------------------------------------------


def test_the_athletes_own_values_win() -> None:
    history = [run(avg_bpm=150) for _ in range(2)]
    profile = heart_rate_profile(resting_bpm=48, max_bpm=186, sex=Sex.FEMALE, activities=history)
    assert profile == HeartRateProfile(48, 186, Sex.FEMALE, estimated=False)


def test_max_from_history_is_the_second_highest_plausible_run_maximum() -> None:
    maxima = [171.0, 184.0, 207.0, 252.0]  # 252: outside any human range; 207: one strap glitch
    history = [replace(run(DAY_ONE + timedelta(days=i)), max_heart_rate_bpm=m) for i, m in enumerate(maxima)]
    ride = replace(run(sport=Sport.CYCLING), max_heart_rate_bpm=215.0)  # other sports are ignored
    profile = heart_rate_profile(resting_bpm=None, max_bpm=None, sex=None, activities=[*history, ride])
    assert profile == HeartRateProfile(60, 184.0, None, estimated=True)


def test_stream_tops_count_when_no_maximum_was_recorded_and_none_without_heart_rate() -> None:
    streamed = [run(stream=((150, 600.0), (178, 60.0))), run(stream=((160, 600.0), (181, 30.0)))]
    profile = heart_rate_profile(resting_bpm=52, max_bpm=None, sex=Sex.MALE, activities=streamed)
    assert profile == HeartRateProfile(52, 178.0, Sex.MALE, estimated=True)
    assert heart_rate_profile(resting_bpm=52, max_bpm=None, sex=None, activities=[run()]) is None


# --- daily series ------------------------------------------------------------------------------


def test_daily_loads_cover_every_day_and_use_the_local_start_date() -> None:
    late = run(DAY_ONE + timedelta(days=1), avg_bpm=150, at=time(23, 30), zone=timezone(timedelta(hours=-5)))
    ride = run(DAY_ONE, avg_bpm=150, sport=Sport.CYCLING)
    days = daily_loads(
        [late, ride, run(DAY_ONE + timedelta(days=9))], first=DAY_ONE, last=DAY_ONE + timedelta(days=3), hr=HR
    )
    assert [day.day for day in days] == [DAY_ONE + timedelta(days=i) for i in range(4)]
    assert [day.runs for day in days] == [0, 1, 0, 0]  # 23:30 at −05:00 is still that local day
    assert days[1].load == pytest.approx(100.44, abs=0.005)
    with pytest.raises(ValueError, match="before first day"):
        daily_loads([], first=DAY_ONE, last=DAY_ONE - timedelta(days=1), hr=HR)


# --- EWMA acute:chronic workload ratio ---------------------------------------------------------


def test_ewma_decay_constants() -> None:
    # Williams et al. 2017, BJSM 51:209: λ = 2 / (N + 1); N = 7 → 0.25, N = 28 → 0.0690.
    assert ewma_lambda(7) == 0.25
    assert ewma_lambda(28) == pytest.approx(0.0690, abs=5e-5)


def test_ewma_of_a_constant_load_worked_by_hand() -> None:
    # From a zero seed, n days of constant load L give EWMA_n = L·(1 − (1 − λ)^n).
    load = 80.0
    series = acwr_series(constant(load, 35))
    for n in (1, 7, 28, 35):
        day = series[n - 1]
        assert day.acute == pytest.approx(load * (1 - 0.75**n))
        assert day.chronic == pytest.approx(load * (1 - (27 / 29) ** n))
    # day 28: 0.75^28 = 0.000317 → acute 79.9746; (27/29)^28 = 0.135220 → chronic 69.1824; ratio 1.1560
    assert series[27].acute == pytest.approx(79.9746, abs=5e-4)
    assert series[27].chronic == pytest.approx(69.1824, abs=5e-4)
    assert series[27].ratio == pytest.approx(1.1560, abs=5e-4)
    assert series[27].band is AcwrBand.SWEET_SPOT


def test_no_ratio_while_the_chronic_average_is_still_its_zero_seed() -> None:
    series = acwr_series(constant(50.0, 30))
    assert all(day.ratio is None for day in series[:27])  # warm-up
    assert all(day.ratio is not None for day in series[27:])
    rest_then_run = acwr_series([*constant(0.0, 30), DayLoad(DAY_ONE + timedelta(days=30), 90.0, 1)])
    assert all(day.ratio is None for day in rest_then_run[:30])  # chronic 0: undefined
    assert rest_then_run[30].ratio == pytest.approx(0.25 / (2 / 29))


@pytest.mark.parametrize(
    ("ratio", "band"),
    [
        (0.79, AcwrBand.LOW),
        (0.8, AcwrBand.SWEET_SPOT),
        (1.3, AcwrBand.SWEET_SPOT),
        (1.31, AcwrBand.CAUTION),
        (1.49, AcwrBand.CAUTION),
        (1.5, AcwrBand.HIGH),
    ],
)
def test_acwr_bands_at_their_edges(ratio: float, band: AcwrBand) -> None:
    # Gabbett 2016, BJSM 50:273: 0.8–1.3 "sweet spot", ≥ 1.5 "danger zone" (heuristic, disputed).
    assert acwr_band(ratio) is band


# --- fitness / fatigue -------------------------------------------------------------------------


def test_ctl_and_atl_after_42_days_of_constant_load() -> None:
    # GoldenCheetah PMC form, weight 1 − e^(−1/N): after n days from 0, L·(1 − e^(−n/N)).
    last = fitness_fatigue(constant(100.0, 42))[-1]
    assert last.ctl == pytest.approx(100 * (1 - math.exp(-1)))  # 63.2
    assert last.ctl == pytest.approx(63.21, abs=0.005)
    assert last.atl == pytest.approx(100 * (1 - math.exp(-6)))  # 99.75
    assert last.atl == pytest.approx(99.75, abs=0.005)


def test_tsb_is_yesterdays_ctl_minus_yesterdays_atl() -> None:
    series = fitness_fatigue(
        [*constant(100.0, 10), *(DayLoad(DAY_ONE + timedelta(days=10 + i), 0.0, 0) for i in range(5))]
    )
    assert series[0].tsb == 0.0  # the seed
    for yesterday, today in pairwise(series):
        assert today.tsb == pytest.approx(yesterday.ctl - yesterday.atl)
    assert series[-1].tsb > series[10].tsb  # resting days bring form back up


def test_a_series_with_a_gap_is_refused() -> None:
    gappy = [DayLoad(DAY_ONE, 10.0, 1), DayLoad(DAY_ONE + timedelta(days=2), 10.0, 1)]
    with pytest.raises(ValueError, match="consecutive"):
        fitness_fatigue(gappy)
    with pytest.raises(ValueError, match="consecutive"):
        acwr_series(gappy)


# --- properties --------------------------------------------------------------------------------

FIRST, LAST = date(2026, 1, 5), date(2026, 1, 5) + timedelta(days=83)


@PROPERTY_SETTINGS
@given(
    st.lists(runs(), max_size=25),
    st.lists(other_activities(), min_size=1, max_size=10),
    heart_rate_profiles(),
)
def test_other_sports_never_change_the_running_load(
    history: list[Activity], others: list[Activity], hr: HeartRateProfile
) -> None:
    alone = daily_loads(history, first=FIRST, last=LAST, hr=hr)
    mixed = daily_loads([*others, *history], first=FIRST, last=LAST, hr=hr)
    assert mixed == alone
    assert acwr_series(mixed) == acwr_series(alone)
    assert fitness_fatigue(mixed) == fitness_fatigue(alone)


@PROPERTY_SETTINGS
@given(st.lists(activities(), max_size=25), st.none() | heart_rate_profiles())
def test_loads_are_never_negative(history: list[Activity], hr: HeartRateProfile | None) -> None:
    for activity in history:
        load = activity_load(activity, hr)
        assert load is None or (load.value >= 0 and math.isfinite(load.value))
    days = daily_loads(history, first=FIRST, last=LAST, hr=hr)
    assert all(day.load >= 0 for day in days)
    assert all(day.acute >= 0 and day.chronic >= 0 for day in acwr_series(days))
    assert all(day.ctl >= 0 and day.atl >= 0 for day in fitness_fatigue(days))


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from([0.0, 0.0, 0.0, 35.0, 120.0]), min_size=1, max_size=70))
def test_the_ratio_is_undefined_while_chronic_load_is_zero(loads: list[float]) -> None:
    series = acwr_series([DayLoad(DAY_ONE + timedelta(days=i), load, 0) for i, load in enumerate(loads)])
    for day in series:
        if day.chronic == 0:
            assert day.ratio is None
            assert day.band is None
        if day.ratio is not None:
            assert day.ratio == pytest.approx(day.acute / day.chronic)
