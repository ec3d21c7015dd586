"""Body mass: the 7-day trailing mean, the > 2 % in 4 weeks guard, and the stronger-not-heavier line."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ironmile.domain.athlete import Goal
from ironmile.domain.body import guard_warning, smoothed, stronger_not_heavier
from ironmile.domain.training import BodyMass
from ironmile.domain.units import UnitSystem

TODAY = date(2027, 3, 1)


def daily(start: date, masses: list[float]) -> list[BodyMass]:
    return [BodyMass(start + timedelta(days=offset), mass) for offset, mass in enumerate(masses)]


def test_seven_day_trailing_mean_by_hand() -> None:
    entries = daily(date(2027, 1, 1), [70.0, 71.0, 72.0, 70.0, 69.0, 70.0, 71.0, 73.0, 70.0])
    result = dict(smoothed(entries))
    # 1 Jan: only itself. 7 Jan: all seven, (70+71+72+70+69+70+71)/7 = 493/7.
    assert result[date(2027, 1, 1)] == pytest.approx(70.0)
    assert result[date(2027, 1, 3)] == pytest.approx((70 + 71 + 72) / 3)
    assert result[date(2027, 1, 7)] == pytest.approx(493 / 7)
    # 8 Jan drops 1 Jan: (71+72+70+69+70+71+73)/7 = 496/7; 9 Jan drops 2 Jan: 495/7.
    assert result[date(2027, 1, 8)] == pytest.approx(496 / 7)
    assert result[date(2027, 1, 9)] == pytest.approx(495 / 7)


def test_gaps_and_repeated_weigh_ins() -> None:
    entries = [
        BodyMass(date(2027, 1, 1), 70.0),
        BodyMass(date(2027, 1, 4), 71.0),
        BodyMass(date(2027, 1, 4), 73.0),  # twice on one day: the day counts once, as 72
        BodyMass(date(2027, 1, 9), 74.0),  # 1 Jan is 8 days back: out of the window
    ]
    assert smoothed(entries) == [
        (date(2027, 1, 1), pytest.approx(70.0)),
        (date(2027, 1, 4), pytest.approx(71.0)),
        (date(2027, 1, 9), pytest.approx(73.0)),
    ]
    assert smoothed(entries[:1], days=1) == [(date(2027, 1, 1), 70.0)]
    with pytest.raises(ValueError, match="days"):
        smoothed(entries, days=0)


def four_weeks(rise_pct: float) -> list[BodyMass]:
    """A week at 100 kg ending 4 weeks ago, flat in between, then a week at 100 + rise ending today."""
    start = TODAY - timedelta(days=34)
    return daily(start, [100.0] * 28) + daily(start + timedelta(days=28), [100.0 + rise_pct] * 7)


def test_guard_is_quiet_at_one_point_nine_percent() -> None:
    assert guard_warning(four_weeks(1.9), today=TODAY, goal=Goal.STRENGTH) is None


def test_guard_warns_at_two_point_one_percent_as_information_only() -> None:
    warning = guard_warning(four_weeks(2.1), today=TODAY, goal=Goal.STRENGTH)
    assert warning is not None
    assert warning.startswith("Body mass trend up 2.1 % since 2027-02-01 (100.0 → 102.1 kg, 7-day average).")
    assert "the plan does not add or cut training because of it" in warning


def test_guard_speaks_the_athletes_units() -> None:
    warning = guard_warning(four_weeks(2.1), today=TODAY, goal=Goal.STRENGTH, units=UnitSystem.IMPERIAL)
    assert warning is not None
    assert "(220.5 → 225.1 lb" in warning


def test_guard_is_off_for_the_muscle_goal_and_for_short_records() -> None:
    assert guard_warning(four_weeks(5.0), today=TODAY, goal=Goal.MUSCLE) is None
    ten_days = daily(TODAY - timedelta(days=10), [70.0] * 5 + [75.0] * 6)
    assert guard_warning(ten_days, today=TODAY, goal=Goal.STRENGTH) is None
    assert guard_warning([], today=TODAY, goal=Goal.STRENGTH) is None


def test_guard_ignores_entries_after_today() -> None:
    entries = [*four_weeks(0.0), BodyMass(TODAY + timedelta(days=1), 130.0)]
    assert guard_warning(entries, today=TODAY, goal=Goal.STRENGTH) is None


@pytest.mark.parametrize(
    ("strength", "mass", "opening"),
    [
        (8.0, 0.5, "Stronger, not heavier: "),
        (8.0, -3.0, "Stronger and lighter: "),
        (8.0, 3.0, "Stronger, and heavier too: "),
        (1.0, 0.0, "Strength holding steady: "),
        (-5.0, 0.0, "Strength down: "),
    ],
)
def test_stronger_not_heavier_sentences(strength: float, mass: float, opening: str) -> None:
    assert stronger_not_heavier(strength, mass).startswith(opening)


def test_stronger_not_heavier_numbers() -> None:
    # Relative strength: 1.10 / 1.01 − 1 = +8.9 %.
    assert stronger_not_heavier(10.0, 1.0) == (
        "Stronger, not heavier: e1RM +10.0 %, body mass +1.0 %, relative strength +8.9 %."
    )
