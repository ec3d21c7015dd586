"""Today's session: the plan's session for a day, with each exercise's load progressed from the
log, swaps applied, and the plates to put on each side of the bar.

Pure: the caller passes the stored plan, what was logged and the day; nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.loading import LOAD_STEP, MIN_LOAD, round_down_load
from ironmile.domain.pain_monitor import PainAction, decide
from ironmile.domain.plan import PlannedExercise, StoredPlan
from ironmile.domain.plates import STANDARD, plates_per_side
from ironmile.domain.prescription import Role
from ironmile.domain.progression import Outcome, Prescription, next_target
from ironmile.domain.swapping import swapped
from ironmile.domain.training import LoggedSession, MorningPain, Swap
from ironmile.domain.units import UnitSystem, display_from_kg, kg_from_display


@dataclass(frozen=True, slots=True)
class DayTarget:
    """One exercise as it stands today; `load` in the profile's units (per dumbbell for dumbbells)."""

    exercise: Exercise
    role: Role
    sets: int
    reps: int | None
    seconds: int | None
    rir: int | None
    load: float | None
    plates_per_side: tuple[float, ...] | None  # barbell work only; () is the empty bar
    rest_seconds: int
    why: str
    swapped_from: str | None = None
    back_to_foundation: bool = False


@dataclass(frozen=True, slots=True)
class DayView:
    day: date
    units: UnitSystem
    why: str | None  # the plan's reason for the day, None on a day without a session
    heavy_lower: bool
    targets: tuple[DayTarget, ...]
    next_session: date | None  # the next planned session after this day
    safety: tuple[str, ...] = ()  # the plan's see-a-clinician warnings, shown every day
    running_note: str | None = None  # why lower-body volume is cut this week, when a run spiked


# SCIENCE.md §6: in a week with a flagged running spike, lower-body strength sets drop ~30 %, loads
# kept: the legs already carry more than usual, and heavy-but-fewer sets keep the strength stimulus.
SPIKE_SET_SHARE = 0.7


def day_view(
    *,
    plan: StoredPlan,
    day: date,
    logged: Sequence[LoggedSession],
    swaps: Sequence[Swap],
    catalogue: Catalogue,
    deload: bool,
    mornings: Sequence[MorningPain] = (),
    running_spike: str | None = None,
) -> DayView:
    """What to do on `day`: the planned session with loads progressed from `logged` (before `day`),
    then held or lightened where pain during an exercise or the next morning says so (§7), with
    fewer lower-body sets when `running_spike` (a flag's message) says this week's running spiked."""
    session = plan.session_on(day)
    upcoming = [s.date for w in plan.weeks for s in w.sessions if s.date > day]
    safety = tuple(warning for warning in plan.warnings if "clinician" in warning)
    if session is None:
        return DayView(day, plan.units, None, False, (), min(upcoming, default=None), safety)
    targets = tuple(
        _with_pain(
            _target(item, plan=plan, day=day, logged=logged, swaps=swaps, catalogue=catalogue, deload=deload),
            logged=logged,
            mornings=mornings,
            day=day,
            units=plan.units,
        )
        for item in session.exercises
    )
    note = None
    if running_spike is not None:
        targets = _after_spike(targets)
        note = f"{running_spike.rstrip('.')}; lower-body sets cut by about 30 % this week, loads kept"
    return DayView(
        day, plan.units, session.why, session.heavy_lower, targets, min(upcoming, default=None), safety, note
    )


def _after_spike(targets: tuple[DayTarget, ...]) -> tuple[DayTarget, ...]:
    """About 30 % fewer lower-body working sets in the session, loads kept: one set at a time from
    the exercise with the most sets left (the later one on a tie, so accessories go before the main
    lift), never below one set. Cutting the session's total rather than each exercise keeps the cut
    near 30 % when most exercises have only two sets (2 → 1 alone would be half)."""
    sets = [target.sets for target in targets]
    cuttable = [
        i
        for i, target in enumerate(targets)
        if target.exercise.region == "lower" and target.role not in (Role.WARMUP, Role.ISOMETRIC)
    ]
    for _ in range(round(sum(sets[i] for i in cuttable) * (1 - SPIKE_SET_SHARE))):
        candidates = [i for i in cuttable if sets[i] > 1]
        if not candidates:
            break
        sets[max(candidates, key=lambda i: (sets[i], i))] -= 1
    return tuple(
        target
        if sets[i] == target.sets
        else replace(
            target,
            sets=sets[i],
            why=f"{target.why}; running spike this week: {target.sets} → {sets[i]} sets, load kept",
        )
        for i, target in enumerate(targets)
    )


def _target(
    item: PlannedExercise,
    *,
    plan: StoredPlan,
    day: date,
    logged: Sequence[LoggedSession],
    swaps: Sequence[Swap],
    catalogue: Catalogue,
    deload: bool,
) -> DayTarget:
    units = plan.units
    exercise_id = swapped(item.exercise.id, swaps, day)
    exercise = catalogue.get(exercise_id)
    planned_load = item.load if exercise_id == item.exercise.id else _swapped_load(item, exercise, units)
    planned = Prescription(
        exercise_id=exercise_id,
        sets=item.sets,
        reps=item.reps,
        seconds=item.seconds,
        rir=item.rir,
        load_kg=None if planned_load is None else kg_from_display(planned_load, units),
        deload=deload,
    )
    history = _history(exercise_id, plan=plan, logged=logged, before=day)
    if not exercise.loaded:
        load = None
        why = next_target(
            exercise=exercise, planned=planned, history=history, today=day, step_kg=1.0, units=units
        ).why
        back = False
    else:
        step_kg = kg_from_display(LOAD_STEP[(exercise.implement, units)], units)
        target = next_target(
            exercise=exercise, planned=planned, history=history, today=day, step_kg=step_kg, units=units
        )
        load = None if target.load_kg is None else round(display_from_kg(target.load_kg, units), 2)
        why, back = target.why, target.back_to_foundation
    return DayTarget(
        exercise=exercise,
        role=item.role,
        sets=item.sets,
        reps=item.reps,
        seconds=item.seconds,
        rir=item.rir,
        load=load,
        plates_per_side=_plates(exercise, load, units),
        rest_seconds=item.rest_seconds,
        why=why,
        swapped_from=item.exercise.id if exercise_id != item.exercise.id else None,
        back_to_foundation=back,
    )


def _swapped_load(item: PlannedExercise, exercise: Exercise, units: UnitSystem) -> float | None:
    """A first load for a swapped-in exercise: the planned exercise's implied e1RM scaled by the
    two exercises' typical strength ratios (catalogue convention), at the same %1RM, rounded down."""
    original = item.exercise
    if (
        item.load is None
        or not item.percent_1rm
        or original.strength_ratio is None
        or exercise.strength_ratio is None
    ):
        return None
    e1rm = item.load / (item.percent_1rm / 100) * exercise.strength_ratio / original.strength_ratio
    load = round_down_load(e1rm * item.percent_1rm / 100, LOAD_STEP[(exercise.implement, units)])
    return load if load >= MIN_LOAD[(exercise.implement, units)] else None


def _with_pain(
    target: DayTarget,
    *,
    logged: Sequence[LoggedSession],
    mornings: Sequence[MorningPain],
    day: date,
    units: UnitSystem,
) -> DayTarget:
    """Apply the pain-monitoring model to one exercise: pain during it is the worst of its sets'
    ratings and the whole session's (a 6/10 session is not hidden by a 3/10 set)."""
    during = []
    for session in logged:
        if session.date >= day:
            continue
        sets = [s for s in session.sets if s.exercise_id == target.exercise.id]
        if not sets:
            continue
        reported = [s.pain for s in sets if s.pain is not None]
        if session.pain_during is not None:
            reported.append(session.pain_during)
        pain = max(reported, default=None)
        if pain is not None:
            during.append((session.date, pain))
    if not during:
        return target
    decision = decide(exercise_id=target.exercise.id, during=during, mornings=mornings, today=day)
    if decision.decision is PainAction.PROGRESS:
        return target
    why = f"{target.why}; pain: {decision.reason}"
    if decision.suggest_regression and target.exercise.regressions:
        why += f" (or try {target.exercise.regressions[0]})"
    load = target.load
    if load is not None:
        step = LOAD_STEP[(target.exercise.implement, units)]
        last = _last_load(target.exercise.id, logged, day, units)
        if decision.decision is PainAction.REDUCE:
            base = last if last is not None else load
            load = max(0.0, round_down_load(base * decision.load_factor, step))
        elif last is not None:  # hold: no increase while pain is not settled
            load = min(load, last)
    return replace(target, load=load, why=why, plates_per_side=_plates(target.exercise, load, units))


def _last_load(
    exercise_id: str, logged: Sequence[LoggedSession], day: date, units: UnitSystem
) -> float | None:
    earlier = [s for s in sorted(logged, key=lambda s: s.date) if s.date < day]
    for session in reversed(earlier):
        loads = [s.load_kg for s in session.sets if s.exercise_id == exercise_id and s.load_kg is not None]
        if loads:
            return display_from_kg(max(loads), units)
    return None


def _plates(exercise: Exercise, load: float | None, units: UnitSystem) -> tuple[float, ...] | None:
    if load is None or exercise.implement != "barbell":
        return None
    standard = STANDARD[units]
    return plates_per_side(load, bar=standard.bar, plates=standard.plates)


def _history(
    exercise_id: str, *, plan: StoredPlan, logged: Sequence[LoggedSession], before: date
) -> list[Outcome]:
    """Each earlier session that trained the exercise, with what the plan asked of it that day."""
    outcomes = []
    for session in sorted(logged, key=lambda s: s.date):
        sets = tuple(s for s in session.sets if s.exercise_id == exercise_id)
        if session.date >= before or not sets:
            continue
        planned = plan.session_on(session.date)
        asked = (
            next((i for i in planned.exercises if i.exercise.id == exercise_id), None) if planned else None
        )
        week = plan.week_of(session.date)
        if asked is not None:
            prescription = Prescription(
                exercise_id,
                asked.sets,
                asked.reps,
                asked.seconds,
                asked.rir,
                None,
                week.deload if week else False,
            )
        else:  # an extra session or a swapped-in exercise: judge it against what was done
            first = sets[0]
            prescription = Prescription(exercise_id, len(sets), first.reps, first.seconds, first.rir, None)
        outcomes.append(Outcome(session.date, prescription, sets))
    return outcomes
