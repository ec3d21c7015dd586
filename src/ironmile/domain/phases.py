"""The phase timeline: which training phase each week of the plan is in (SCIENCE.md §2).

Weeks are 7-day blocks from the start date. A races anchor the calendar: the race week, the taper
before it (one or two weeks, so it spans 10–16 days: SCIENCE's 10–14 as near as whole weeks get),
and 1–3 recovery weeks after it by distance. The weeks between are a build (foundation →
strength → power) when there is room, maintenance in race season (an A race within 8 weeks), and
rolling 12-week blocks when no A race lies ahead. B and C races keep the phase; the scheduler
keeps heavy legs away from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ironmile.domain.athlete import Race, RacePriority, StrengthLevel


class Phase(StrEnum):
    FOUNDATION = "foundation"
    STRENGTH = "strength"
    POWER = "power"
    MAINTENANCE = "maintenance"
    TAPER = "taper"
    RACE = "race"
    RECOVERY = "recovery"

    @property
    def builds(self) -> bool:
        """Training phases: every week covers every movement family, with deloads."""
        return self in (Phase.FOUNDATION, Phase.STRENGTH, Phase.POWER)


DEFAULT_WEEKS = 12  # no A race: one 12-week block
FOUNDATION_WEEKS_NOVICE = 3  # convention within SCIENCE's 2–4
FOUNDATION_WEEKS_MIN = 2
STRENGTH_WEEKS_MIN = 6
STRENGTH_WEEKS_DEFAULT = 8
POWER_WEEKS_MIN = 3
POWER_WEEKS_MAX = 6
RACE_SEASON_DAYS = 56  # within 8 weeks of an A race there is no room for a build: maintenance
DELOAD_EVERY = 4  # convention: every 4th week of a foundation, strength or power phase
TAPER_MIN_DAYS = 10  # Bosquet et al. 2007: tapers of 8–14 days work best; SCIENCE.md: 10–14
ROLLING_BLOCK = ((Phase.STRENGTH, 8), (Phase.POWER, 4))
ROLLING_BLOCK_NOVICE = ((Phase.FOUNDATION, 3), (Phase.STRENGTH, 6), (Phase.POWER, 3))


@dataclass(frozen=True, slots=True)
class PhaseWeek:
    """One week of the timeline; `phase_week` counts from 1 within a run of the same phase."""

    index: int  # 1-based
    start_date: date
    phase: Phase
    deload: bool
    phase_week: int
    phase_weeks: int
    focus: str

    @property
    def end_date(self) -> date:
        return self.start_date + timedelta(days=6)

    @property
    def late_in_phase(self) -> bool:
        """The second half of a phase run (plyometrics start late in the strength phase)."""
        return self.phase_week * 2 > self.phase_weeks


def recovery_weeks(distance_m: float) -> int:
    """Recovery after an A race: 1 week up to 10 km, 2 up to the marathon, 3 for ultras."""
    if distance_m <= 10_000:
        return 1
    if distance_m <= 42_500:  # a marathon and a little course-measurement slack
        return 2
    return 3


def taper_weeks(start: date, race: Race) -> int:
    """Taper weeks before the race week, so the taper spans at least TAPER_MIN_DAYS: one week when
    the race falls late in its week (10–13 days), two when it falls in its first days (14–16)."""
    days_into_race_week = (race.date - start).days % 7
    return 1 if 7 + days_into_race_week >= TAPER_MIN_DAYS else 2


def default_weeks(start: date, races: Sequence[Race]) -> int:
    """Through the last A race and its recovery, else 12 weeks."""
    a_races = [race for race in races if race.priority is RacePriority.A and race.date >= start]
    if not a_races:
        return DEFAULT_WEEKS
    last = max(a_races, key=lambda race: race.date)
    return (last.date - start).days // 7 + 1 + recovery_weeks(last.distance_m)


def build_timeline(
    *,
    start: date,
    weeks: int,
    races: Sequence[Race],
    level: StrengthLevel,
    foundation_first: bool | None = None,
) -> tuple[PhaseWeek, ...]:
    """The phase of every week, computed over the whole race calendar and cut to `weeks`.

    `foundation_first` defaults to novices; the training log sets it after ≥ 4 weeks off.
    """
    if foundation_first is None:
        foundation_first = level is StrengthLevel.NOVICE
    # One spare rolling block past the end, so a block cut short by `weeks` keeps the positions
    # (early/middle/late) it has in the full calendar.
    horizon = max(weeks, default_weeks(start, races)) + sum(count for _, count in ROLLING_BLOCK)
    phases: list[Phase | None] = [None] * horizon
    a_races = sorted(
        (race for race in races if race.priority is RacePriority.A and race.date >= start),
        key=lambda race: race.date,
    )
    _anchor_races(phases, start, a_races)
    _fill_segments(phases, start, a_races, foundation_first=foundation_first)
    filled = [phase or Phase.MAINTENANCE for phase in phases]
    # positions come from the whole calendar, so `--weeks` cuts the plan without reshaping it
    return _with_positions_and_deloads(filled, start)[:weeks]


def _week_of(start: date, day: date) -> int:
    return (day - start).days // 7


def _anchor_races(phases: list[Phase | None], start: date, a_races: Sequence[Race]) -> None:
    """Race, taper and recovery weeks; a later race's taper and race win over earlier recovery."""
    horizon = len(phases)
    for race in a_races:
        race_week = _week_of(start, race.date)
        for offset in range(1, recovery_weeks(race.distance_m) + 1):
            if race_week + offset < horizon and phases[race_week + offset] is None:
                phases[race_week + offset] = Phase.RECOVERY
    for race in a_races:
        race_week = _week_of(start, race.date)
        for taper_week in range(race_week - taper_weeks(start, race), race_week):
            if 0 <= taper_week < horizon and phases[taper_week] is not Phase.RACE:
                phases[taper_week] = Phase.TAPER
        if race_week < horizon:
            phases[race_week] = Phase.RACE


def _fill_segments(
    phases: list[Phase | None], start: date, a_races: Sequence[Race], *, foundation_first: bool
) -> None:
    """Fill each run of unassigned weeks with a build, maintenance or rolling blocks.

    Foundation goes first in the first run of free weeks, wherever it falls (a novice whose plan
    opens with a race week still learns the lifts before lifting heavy).
    """
    position = 0
    foundation_pending = foundation_first
    while position < len(phases):
        if phases[position] is not None:
            position += 1
            continue
        end = position
        while end < len(phases) and phases[end] is None:
            end += 1
        segment_start = start + timedelta(weeks=position)
        next_race = next((race for race in a_races if race.date >= segment_start), None)
        novice_start, foundation_pending = foundation_pending, False
        if next_race is None:
            plan = _rolling_blocks(end - position, novice_first=novice_start)
        else:
            plan = _build_to_race(
                end - position,
                race_season=(next_race.date - segment_start).days <= RACE_SEASON_DAYS,
                novice=novice_start,
            )
        phases[position:end] = plan
        position = end


def _build_to_race(length: int, *, race_season: bool, novice: bool) -> list[Phase | None]:
    foundation = 0
    if novice:
        foundation = FOUNDATION_WEEKS_NOVICE
        if race_season or length - foundation < STRENGTH_WEEKS_MIN + POWER_WEEKS_MIN:
            foundation = FOUNDATION_WEEKS_MIN
        foundation = min(foundation, length)
    rest = length - foundation
    head: list[Phase | None] = [Phase.FOUNDATION] * foundation
    if race_season or rest < STRENGTH_WEEKS_MIN:
        return head + [Phase.MAINTENANCE] * rest
    return head + list(_strength_then_power(rest))


def _strength_then_power(length: int) -> list[Phase]:
    """Split a build: ≥ 6 strength weeks, then 3–6 power weeks right before the taper."""
    if length < STRENGTH_WEEKS_MIN + POWER_WEEKS_MIN:
        return [Phase.STRENGTH] * length
    if length <= STRENGTH_WEEKS_DEFAULT + POWER_WEEKS_MAX:
        power = min(POWER_WEEKS_MAX, max(POWER_WEEKS_MIN, length - STRENGTH_WEEKS_DEFAULT))
        return [Phase.STRENGTH] * (length - power) + [Phase.POWER] * power
    block = sum(weeks for _, weeks in ROLLING_BLOCK)
    if length - block < STRENGTH_WEEKS_MIN + POWER_WEEKS_MIN:
        return [Phase.STRENGTH] * (length - POWER_WEEKS_MAX) + [Phase.POWER] * POWER_WEEKS_MAX
    prefix = [phase for phase, weeks in ROLLING_BLOCK for _ in range(weeks)]
    return prefix + _strength_then_power(length - block)


def _rolling_blocks(length: int, *, novice_first: bool) -> list[Phase | None]:
    weeks: list[Phase | None] = []
    block = ROLLING_BLOCK_NOVICE if novice_first else ROLLING_BLOCK
    while len(weeks) < length:
        weeks.extend(phase for phase, count in block for _ in range(count))
        block = ROLLING_BLOCK
    return weeks[:length]


FOCUS = {
    Phase.FOUNDATION: "Foundation: learn the lifts with moderate loads, several reps in reserve",
    Phase.STRENGTH: "Strength: heavy, low-rep sets that build strength through the nervous system",
    Phase.POWER: "Power: fewer, heavier reps lifted fast, plus jumps for springy running",
    Phase.MAINTENANCE: "Maintenance: one short heavy session keeps the strength you built",
    Phase.TAPER: "Taper: half the volume at the same loads, so you arrive fresh and strong",
    Phase.RACE: "Race week: legs rest; light upper body and core at most",
    Phase.RECOVERY: "Recovery: easy upper body and core while your legs recover from the race",
}


def _with_positions_and_deloads(phases: Sequence[Phase], start: date) -> tuple[PhaseWeek, ...]:
    runs: list[tuple[Phase, int]] = []  # (phase, length) of each run of equal phases
    for phase in phases:
        if runs and runs[-1][0] is phase:
            runs[-1] = (phase, runs[-1][1] + 1)
        else:
            runs.append((phase, 1))
    weeks: list[PhaseWeek] = []
    for phase, length in runs:
        for position in range(1, length + 1):
            # counted within each phase, so no phase opens with a deload week; none right before a
            # taper, which cuts volume itself
            index = len(weeks)
            before_taper = index + 1 < len(phases) and phases[index + 1] is Phase.TAPER
            deload = phase.builds and position % DELOAD_EVERY == 0 and not before_taper
            focus = FOCUS[phase] + (" (deload week: fewer sets, lighter loads)" if deload else "")
            weeks.append(
                PhaseWeek(
                    index=index + 1,
                    start_date=start + timedelta(weeks=index),
                    phase=phase,
                    deload=deload,
                    phase_week=position,
                    phase_weeks=length,
                    focus=focus,
                )
            )
    return tuple(weeks)
