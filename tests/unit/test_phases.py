"""The phase timeline for the race calendars a runner meets (SCIENCE.md §2)."""

from __future__ import annotations

from datetime import date, timedelta

from ironmile.domain.athlete import Race, RacePriority, StrengthLevel
from ironmile.domain.phases import Phase, build_timeline, default_weeks, recovery_weeks

START = date(2026, 12, 7)  # a Monday
NOVICE, INTERMEDIATE = StrengthLevel.NOVICE, StrengthLevel.INTERMEDIATE


def race(days: int, km: float = 42.195, priority: RacePriority = RacePriority.A) -> Race:
    return Race(START + timedelta(days=days), km * 1000, priority)


def phases(races: list[Race], level: StrengthLevel = INTERMEDIATE, weeks: int | None = None) -> list[str]:
    count = weeks or default_weeks(START, races)
    return [week.phase.value for week in build_timeline(start=START, weeks=count, races=races, level=level)]


def compact(names: list[str]) -> str:
    """'strength×8 power×4' style summary of a phase list."""
    runs: list[list[object]] = []
    for name in names:
        if runs and runs[-1][0] == name:
            runs[-1][1] = int(str(runs[-1][1])) + 1
        else:
            runs.append([name, 1])
    return " ".join(f"{name}×{count}" for name, count in runs)


def test_recovery_weeks_by_distance() -> None:
    assert [recovery_weeks(m) for m in (5_000, 10_000, 21_097, 42_195, 50_000)] == [1, 1, 2, 2, 3]


def test_no_race_is_one_rolling_twelve_week_block() -> None:
    assert compact(phases([])) == "strength×8 power×4"
    assert compact(phases([], NOVICE)) == "foundation×3 strength×6 power×3"
    assert compact(phases([], weeks=30)) == "strength×8 power×4 strength×8 power×4 strength×6"


def test_marathon_twenty_weeks_out_builds_strength_then_power_then_tapers() -> None:
    assert compact(phases([race(7 * 19 + 6)])) == "strength×12 power×6 taper×1 race×1 recovery×2"


def test_novice_gets_foundation_first() -> None:
    assert compact(phases([race(7 * 19 + 6)], NOVICE)) == (
        "foundation×3 strength×9 power×6 taper×1 race×1 recovery×2"
    )


def test_a_race_three_weeks_away_is_race_season_maintenance() -> None:
    assert compact(phases([race(20, km=10)])) == "maintenance×1 taper×1 race×1 recovery×1"
    assert compact(phases([race(20, km=10)], NOVICE)) == "foundation×1 taper×1 race×1 recovery×1"


def test_a_race_the_day_after_the_start() -> None:
    assert compact(phases([race(1, km=5)])) == "race×1 recovery×1"
    assert compact(phases([race(1, km=5)], weeks=6)) == "race×1 recovery×1 strength×4"


def test_within_eight_weeks_of_an_a_race_is_maintenance() -> None:
    assert compact(phases([race(7 * 7 + 6, km=21.1)])) == "maintenance×6 taper×1 race×1 recovery×2"


def test_two_a_races_close_together_keep_maintenance_between_them() -> None:
    timeline = compact(phases([race(7 * 15 + 6, km=21.1), race(7 * 22 + 6, km=42.195)]))
    assert timeline == (
        "strength×8 power×6 taper×1 race×1 recovery×2 maintenance×3 taper×1 race×1 recovery×2"
    )


def test_b_and_c_races_keep_the_phase() -> None:
    with_b = phases([race(7 * 19 + 6), race(7 * 10 + 6, km=10, priority=RacePriority.B)])
    assert with_b == phases([race(7 * 19 + 6)])


def test_an_ultra_gets_three_recovery_weeks() -> None:
    assert phases([race(7 * 14 + 5, km=80)])[-3:] == ["recovery"] * 3


def test_deloads_every_fourth_build_week_and_nowhere_else() -> None:
    timeline = build_timeline(start=START, weeks=21, races=[race(7 * 18 + 6)], level=INTERMEDIATE)
    deloads = [week.index for week in timeline if week.deload]
    # strength×11 then power×6: the 4th and 8th strength weeks and the 4th power week
    assert deloads == [4, 8, 15]
    assert all(week.phase.builds and week.phase_week % 4 == 0 for week in timeline if week.deload)


def test_taper_spans_at_least_ten_days() -> None:
    sunday_race = race(7 * 10 + 6)  # late in its week: one taper week, 13 days
    assert phases([sunday_race])[-4:-2] == ["taper", "race"]
    assert phases([sunday_race])[-5] != "taper"
    monday_race = race(7 * 10)  # first day of its week: two taper weeks, 14 days
    assert phases([monday_race])[-5:-2] == ["taper", "taper", "race"]


def test_cutting_the_plan_keeps_the_positions_of_the_full_calendar() -> None:
    full = build_timeline(start=START, weeks=12, races=[], level=INTERMEDIATE)
    cut = build_timeline(start=START, weeks=3, races=[], level=INTERMEDIATE)
    assert cut == full[:3]


def test_phase_positions_and_dates() -> None:
    timeline = build_timeline(start=START, weeks=12, races=[], level=INTERMEDIATE)
    assert [week.start_date for week in timeline[:2]] == [START, START + timedelta(days=7)]
    assert timeline[0].phase is Phase.STRENGTH
    assert timeline[0].phase_week == 1
    assert timeline[7].phase_week == 8
    assert timeline[7].phase_weeks == 8
    assert timeline[7].late_in_phase
    assert timeline[8].phase is Phase.POWER
    assert timeline[8].phase_week == 1
    assert timeline[0].end_date == START + timedelta(days=6)


def test_foundation_first_can_be_asked_for_after_time_off() -> None:
    back = build_timeline(start=START, weeks=12, races=[], level=INTERMEDIATE, foundation_first=True)
    assert [week.phase for week in back[:3]] == [Phase.FOUNDATION] * 3
    skipped = build_timeline(start=START, weeks=12, races=[], level=NOVICE, foundation_first=False)
    assert skipped[0].phase is Phase.STRENGTH
