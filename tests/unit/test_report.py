"""Report numbers: e1RM and relative strength per lift, logged posterior:anterior balance per ISO
week, adherence with ±1 day, and the stronger-not-heavier summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.domain.loading import epley
from ironmile.domain.log_notation import parse_sets
from ironmile.domain.report import Adherence, LiftTrend, WeekBalance, adherence, build_report, weekly_balance
from ironmile.domain.training import BodyMass, LoggedSession
from ironmile.domain.units import UnitSystem

CATALOGUE = load_catalogue()
MONDAY = date(2027, 1, 4)  # ISO week 2027-W01


def session(day: date, **logs: str) -> LoggedSession:
    sets = tuple(
        logged
        for exercise_id, text in logs.items()
        for logged in parse_sets(text, exercise_id=exercise_id, units=UnitSystem.METRIC)
    )
    return LoggedSession(day, sets)


def test_e1rm_series_and_relative_strength_against_smoothed_body_mass() -> None:
    # Epley (1985): 100 kg for 5 reps with 1 in reserve → 100 × (1 + 6/30) = 120 kg.
    sessions = [
        session(MONDAY, back_squat="100x5x3@1", bench_press="60x5@2"),
        session(MONDAY + timedelta(days=3), back_squat="90x5x2@4"),  # a deload session: left out
        session(MONDAY + timedelta(days=7), back_squat="105x5x3@1"),
    ]
    body = [BodyMass(MONDAY, 60.0), BodyMass(MONDAY + timedelta(days=6), 62.0)]
    report = build_report(
        sessions=sessions,
        body_mass=body,
        planned_dates=[],
        catalogue=CATALOGUE,
        lift_ids=["back_squat", "deadlift"],
        today=MONDAY + timedelta(days=8),
        deload_dates={MONDAY + timedelta(days=3)},
    )
    squat, deadlift = report.lifts
    assert [point.date for point in squat.points] == [MONDAY, MONDAY + timedelta(days=7)]
    assert squat.points[0].e1rm_kg == pytest.approx(120.0)
    assert squat.points[0].relative_strength == pytest.approx(120.0 / 60.0)
    # Body mass smoothed over the 7 days to the 10th (4th–10th): (60 + 62) / 2 = 61 kg.
    assert squat.points[1].e1rm_kg == pytest.approx(epley(105.0, 6))
    assert squat.points[1].relative_strength == pytest.approx(epley(105.0, 6) / 61.0)
    assert squat.change_pct == pytest.approx(5.0)
    assert deadlift == LiftTrend("deadlift", ())
    assert deadlift.change_pct is None
    assert report.strength_change_pct == pytest.approx(5.0)
    assert report.body_mass_change_pct == pytest.approx(61.0 / 60.0 * 100 - 100)
    assert report.summary is not None
    assert report.summary.startswith("Stronger, not heavier: e1RM +5.0 %")


def test_relative_strength_is_unknown_before_the_first_weigh_in() -> None:
    report = build_report(
        sessions=[session(MONDAY, back_squat="100x5@1")],
        body_mass=[BodyMass(MONDAY + timedelta(days=1), 60.0)],
        planned_dates=[],
        catalogue=CATALOGUE,
        lift_ids=["back_squat"],
        today=MONDAY + timedelta(days=2),
    )
    assert report.lifts[0].points[0].relative_strength is None
    assert report.summary is None  # one point each: no change to speak of


def test_balance_counts_logged_lower_body_sets_per_iso_week() -> None:
    sessions = [
        session(MONDAY, back_squat="100x5x3@2", front_squat="60x5x2@2", bench_press="60x5x3@2"),
        session(MONDAY + timedelta(days=6), romanian_deadlift="80x8x3@2", custom_lift="50x5"),
        session(MONDAY + timedelta(days=7), front_squat="60x5x2@2"),
    ]
    assert weekly_balance(sessions, CATALOGUE) == (
        WeekBalance(MONDAY, posterior_sets=6, anterior_sets=2),
        WeekBalance(MONDAY + timedelta(days=7), posterior_sets=0, anterior_sets=2),
    )
    assert weekly_balance(sessions, CATALOGUE)[0].ratio == pytest.approx(3.0)
    assert [week.iso_week for week in weekly_balance(sessions, CATALOGUE)] == ["2027-W01", "2027-W02"]
    assert WeekBalance(MONDAY, 4, 0).ratio is None


def test_adherence_matches_each_log_once_within_a_day() -> None:
    planned = [MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=3), MONDAY + timedelta(days=7)]
    logged = [
        session(MONDAY + timedelta(days=1)),  # Tuesday as planned: Monday's plan is missed
        session(MONDAY + timedelta(days=4)),  # Thursday's session moved to Friday
        session(MONDAY + timedelta(days=7)),  # today: not yet due, not counted
    ]
    result = adherence(planned, logged, today=MONDAY + timedelta(days=7))
    assert result == Adherence(planned=3, done=2, missed=(MONDAY,))
    assert result.share == pytest.approx(2 / 3)
    assert Adherence(0, 0, ()).share is None


def test_the_report_period_limits_sessions_and_plans() -> None:
    report = build_report(
        sessions=[
            session(MONDAY - timedelta(days=14), back_squat="50x5@2"),
            session(MONDAY, back_squat="60x5@2"),
        ],
        body_mass=[],
        planned_dates=[MONDAY - timedelta(days=14), MONDAY, MONDAY + timedelta(days=2)],
        catalogue=CATALOGUE,
        lift_ids=["back_squat"],
        today=MONDAY + timedelta(days=3),
        start=MONDAY,
    )
    assert [point.date for point in report.lifts[0].points] == [MONDAY]
    assert report.adherence == Adherence(planned=2, done=1, missed=(MONDAY + timedelta(days=2),))
    assert report.balance == (WeekBalance(MONDAY, 1, 0),)
    assert report.body_mass_change_pct is None
    assert report.summary is None
    assert (report.start, report.end) == (MONDAY, MONDAY + timedelta(days=3))
