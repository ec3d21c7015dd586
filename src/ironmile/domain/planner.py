"""The planner: profile → phase timeline → week templates → selection → prescription → placement
→ fitting → loads. One direction, each step a small pure module; this one only wires them.

`build_plan` is deterministic: the same profile and catalogue give the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ironmile.domain.athlete import DAY_TITLES, Goal, Profile, StrengthLevel
from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.fitting import (
    DraftItem,
    DraftSession,
    apply_deload,
    apply_guard,
    balance_emphasis,
    balance_upper,
    cap_total_sets,
    fit_minutes,
    missing_families,
)
from ironmile.domain.load_targets import LoadBook
from ironmile.domain.pain import KneeTier, knee_tier, knee_warnings
from ironmile.domain.phases import Phase, PhaseWeek, build_timeline, default_weeks
from ironmile.domain.plan import Plan, PlannedExercise, PlannedRun, PlanWeek, Session
from ironmile.domain.prescription import (
    DELOAD_LOAD_SCALE,
    DELOAD_SET_SHARE,
    Dose,
    Role,
    prescribe,
    stage,
    taper,
)
from ironmile.domain.scheduler import Context, Placement, RunCalendar, place_week, violations
from ironmile.domain.screening import assess
from ironmile.domain.selection import Selector
from ironmile.domain.templates import week_templates
from ironmile.domain.volume import LEG_FAMILIES, WEEKLY_FAMILIES

TAPER_MAX_SHARE = 0.6  # Bosquet et al. 2007: taper volume −41–60 % of the week before
_ROLE_GROUP = {Role.ISOMETRIC: 0, Role.PLYOMETRIC: 1, Role.MAIN: 2}


def sessions_wanted(week: PhaseWeek, profile: Profile) -> tuple[int, int]:
    """(required, optional) sessions for the week before any cap (SCIENCE.md §2 table)."""
    if week.phase.builds:
        extra = int(
            profile.athlete.level is StrengthLevel.ADVANCED and week.phase in (Phase.STRENGTH, Phase.POWER)
        )
        return 2, extra
    return 1, 0


@dataclass(slots=True)
class _PlanState:
    profile: Profile
    catalogue: Catalogue
    selector: Selector
    calendar: RunCalendar
    tier: KneeTier
    target: float
    quad_dominant: bool
    loads: LoadBook
    warnings: list[str] = field(default_factory=list)
    heavy_dates: list[date] = field(default_factory=list)
    session_dates: list[date] = field(default_factory=list)
    previous_week_sets: int = 0  # the last non-deload week's working sets (the taper's baseline)
    learning: bool = False  # a novice before any strength or power week: easier variants first
    week_cache: dict[object, _FrozenWeek] = field(default_factory=dict)


def build_plan(profile: Profile, catalogue: Catalogue, *, foundation_first: bool | None = None) -> Plan:
    """The whole plan for a profile. `foundation_first` overrides the novice default (a runner back
    after ≥ 4 weeks off starts again with foundation weeks, SCIENCE.md §5)."""
    strength = profile.strength
    weeks = strength.weeks or default_weeks(strength.start_date, profile.races)
    timeline = build_timeline(
        start=strength.start_date,
        weeks=weeks,
        races=profile.races,
        level=profile.athlete.level,
        foundation_first=foundation_first,
    )
    screen = assess(profile.screen)
    tier = knee_tier(profile.health)
    state = _PlanState(
        profile=profile,
        catalogue=catalogue,
        selector=Selector(
            catalogue, strength.equipment, tier, frozenset(lift.exercise_id for lift in profile.lifts)
        ),
        calendar=RunCalendar(profile.running, profile.races),
        tier=tier,
        target=screen.posterior_target,
        quad_dominant=screen.quad_dominant,
        loads=LoadBook(profile, catalogue),
        warnings=knee_warnings(profile.health),
        learning=(profile.athlete.level is StrengthLevel.NOVICE)
        if foundation_first is None
        else foundation_first,
    )
    if screen.quad_dominant:
        state.warnings.append(
            "Quad-dominance screen flagged (" + "; ".join(screen.reasons) + "): posterior:anterior "
            "target 2.0 with extra hip-thrust/bridge and hamstring work. Re-test in 6–8 weeks."
        )
    if not profile.lifts:
        state.warnings.append(
            "No [lifts] given: first loads are conservative estimates from body mass; calibrate "
            "them in the first session (the notes say how)."
        )
    plan_weeks = tuple(_plan_week(state, timeline, position) for position in range(len(timeline)))
    return Plan(
        units=profile.athlete.units,
        start_date=strength.start_date,
        end_date=strength.start_date + timedelta(days=7 * weeks - 1),
        warnings=tuple(state.warnings),
        weeks=plan_weeks,
        posterior_target=screen.posterior_target,
    )


def _plan_week(state: _PlanState, timeline: tuple[PhaseWeek, ...], position: int) -> PlanWeek:
    frame = timeline[position]
    days = [frame.start_date + timedelta(days=offset) for offset in range(7)]
    runs = tuple(
        PlannedRun(day, kind, race.label if (race := state.calendar.race_on(day)) else None)
        for day in days
        if (kind := state.calendar.run_kind(day)) is not None
    )
    placements = _place(state, frame, days)
    if frame.phase in (Phase.STRENGTH, Phase.POWER):
        state.learning = False
    drafts = _week_drafts(state, timeline, position, placements)
    if drafts and not frame.deload:
        state.previous_week_sets = sum(item.sets for draft in drafts for item in draft.items)
    sessions = tuple(_finish(state, draft) for draft in drafts)
    return PlanWeek(frame, runs, sessions)


# A week's drafted and fitted sessions, with day offsets instead of dates, and its fit warnings.
_FrozenWeek = tuple[
    tuple[tuple[int, bool, str, tuple[tuple[Exercise, Role, int, Dose], ...]], ...], tuple[str, ...]
]


def _week_drafts(
    state: _PlanState, timeline: tuple[PhaseWeek, ...], position: int, placements: list[Placement]
) -> list[DraftSession]:
    """Draft and fit the week, reusing an identical earlier week's result (most weeks of a phase
    repeat: same stage, same days, same reasons), which keeps long plans fast."""
    frame = timeline[position]
    key = (
        frame.phase,
        stage(frame),
        frame.late_in_phase,
        frame.deload,
        frame.index % 2,
        _dose_phase(timeline, position),
        state.learning,
        tuple(((p.date - frame.start_date).days, p.heavy, p.why) for p in placements),
        state.previous_week_sets if frame.deload or frame.phase is Phase.TAPER else None,
    )
    frozen = state.week_cache.get(key)
    if frozen is None:
        drafts = _draft_sessions(state, timeline, position, placements)
        fit_messages = _fit(state, frame, drafts)
        if frame.deload:
            apply_deload(
                drafts,
                share=DELOAD_SET_SHARE,
                load_scale=DELOAD_LOAD_SCALE,
                target=state.target,
                baseline=state.previous_week_sets,
            )
        frozen = (
            tuple(
                (
                    (d.date - frame.start_date).days,
                    d.heavy_lower,
                    d.why,
                    tuple((i.exercise, i.role, i.priority, i.dose) for i in d.items),
                )
                for d in drafts
            ),
            tuple(fit_messages),
        )
        state.week_cache[key] = frozen
    sessions, messages = frozen
    state.warnings.extend(f"Week {frame.index} ({frame.start_date}): {message}" for message in messages)
    return [
        DraftSession(
            frame.start_date + timedelta(days=offset),
            heavy,
            why,
            [DraftItem(exercise, role, priority, dose) for exercise, role, priority, dose in items],
        )
        for offset, heavy, why, items in sessions
    ]


def _cap(profile: Profile, count: int) -> int:
    cap = profile.strength.sessions_per_week
    return count if cap is None else min(cap, count)


def _place(state: _PlanState, frame: PhaseWeek, days: list[date]) -> list[Placement]:
    profile = state.profile
    required, optional = sessions_wanted(frame, profile)
    legs_allowed = state.tier < KneeTier.RED_FLAG and frame.phase not in (
        Phase.RACE,
        Phase.RECOVERY,
    )
    ctx = Context(
        state.calendar,
        profile.strength.available_days,
        tuple(state.heavy_dates),
        tuple(state.session_dates),
    )
    if not legs_allowed:
        placements, _ = place_week(days, ctx, heavy=0, light=_cap(profile, required))
    else:
        wanted = _cap(profile, required + optional)
        placements, unplaced = place_week(
            days, ctx, heavy=wanted, light=0, maintenance=not frame.phase.builds
        )
        shortfall = max(0, _cap(profile, required) - (wanted - unplaced))
        if shortfall:
            heavy = tuple(p.date for p in placements)
            ctx = Context(
                ctx.calendar, ctx.available_days, ctx.heavy_dates + heavy, ctx.session_dates + heavy
            )
            extra, _ = place_week(days, ctx, heavy=0, light=shortfall, lightened=True)
            state.warnings.append(_lightened_warning(frame, days, ctx, shortfall, len(extra)))
            placements = sorted(placements + extra, key=lambda p: p.date)
    if not placements and _cap(profile, required):
        state.warnings.append(
            f"Week {frame.index} ({frame.start_date}): no strength session fits: no available day "
            "is clear of races."
        )
    state.heavy_dates.extend(p.date for p in placements if p.heavy)
    state.session_dates.extend(p.date for p in placements)
    return placements


def _lightened_warning(
    frame: PhaseWeek, days: list[date], ctx: Context, shortfall: int, lightened: int
) -> str:
    blocked = []
    for day in days:
        if day.weekday() in ctx.available_days and day not in ctx.heavy_dates:
            reasons = violations(day, ctx, heavy=True)
            if reasons:
                blocked.append(f"{DAY_TITLES[day.weekday()][:3]}: {reasons[0]}")
    detail = "; ".join(blocked) if blocked else "too few available days"
    legs = "leg session" if shortfall == 1 else "leg sessions"
    if lightened == shortfall:
        outcome = "is upper body and core instead" if shortfall == 1 else "are upper body and core instead"
    elif lightened:
        outcome = f"could not be placed; {lightened} became upper body and core and the rest were dropped"
    else:
        outcome = "could not be placed at all (no free available day)"
    return (
        f"Week {frame.index} ({frame.start_date}): {shortfall} {legs} {outcome}, because no legal "
        f"day was left for heavy legs ({detail})."
    )


def _dose_phase(timeline: tuple[PhaseWeek, ...], position: int) -> tuple[Phase | None, bool]:
    """A taper repeats the doses of the phase before it; after maintenance it also halves sets."""
    if timeline[position].phase is not Phase.TAPER:
        return None, False
    before = timeline[position - 1].phase if position else Phase.MAINTENANCE
    if not (before.builds or before is Phase.MAINTENANCE):
        before = Phase.MAINTENANCE
    return before, before in (Phase.MAINTENANCE, Phase.FOUNDATION)


def _draft_sessions(
    state: _PlanState, timeline: tuple[PhaseWeek, ...], position: int, placements: list[Placement]
) -> list[DraftSession]:
    frame = timeline[position]
    dose_phase, halve = _dose_phase(timeline, position)
    light = frame.phase in (Phase.RACE, Phase.RECOVERY)
    foundation = frame.phase is Phase.FOUNDATION or state.learning
    used: set[str] = set()
    drafts = []
    for placement, template in zip(
        placements,
        week_templates(
            frame, [p.heavy for p in placements], tier=state.tier, quad_dominant=state.quad_dominant
        ),
        strict=True,
    ):
        items: list[DraftItem] = []
        for use in template:
            exercise = state.selector.choose(
                use.slot, used=used | {i.exercise.id for i in items}, foundation=foundation
            )
            if exercise is None or any(item.exercise.id == exercise.id for item in items):
                continue
            dose = prescribe(
                role=use.role,
                measure=exercise.measure,
                unilateral=exercise.unilateral,
                week=frame,
                goal=state.profile.athlete.goal,
                light=light,
                dose_phase=dose_phase,
                loaded=exercise.loaded,
                eccentric_hamstring=exercise.pattern == "knee_flexion" and not exercise.loaded,
            )
            if halve:
                dose = taper(dose)
            items.append(DraftItem(exercise, use.role, use.priority, dose))
        used |= {item.exercise.id for item in items}
        items.sort(key=_exercise_order)
        drafts.append(DraftSession(placement.date, placement.heavy, placement.why, items))
    return drafts


def _exercise_order(item: DraftItem) -> int:
    """Isometrics (sore knees), jumps, main lift, other compounds, isolation, core last."""
    if item.role in _ROLE_GROUP:
        return _ROLE_GROUP[item.role]
    if item.exercise.region == "core":
        return 5
    return 3 if item.exercise.compound else 4


def _fit(state: _PlanState, frame: PhaseWeek, drafts: list[DraftSession]) -> list[str]:
    """Fit the drafted week to the rules; returns the warnings (without the week prefix)."""
    messages: list[str] = []
    required = _required_families(state, frame, drafts)
    unavailable = missing_families(drafts, required)
    if unavailable:
        messages.append(
            f"no {', '.join(unavailable)} work this week: no exercise for it fits your "
            "equipment and knee-pain tier."
        )
    if state.profile.athlete.goal is Goal.STRENGTH:
        apply_guard(drafts, required=required)
    balance_upper(drafts)
    if not balance_emphasis(drafts, state.target, guard=state.profile.athlete.goal is Goal.STRENGTH):
        messages.append(
            f"posterior:anterior target {state.target:g} not reached with the available exercises."
        )
    if frame.phase is Phase.TAPER and state.previous_week_sets:
        cap_total_sets(drafts, limit=int(TAPER_MAX_SHARE * state.previous_week_sets), target=state.target)
    fit_minutes(drafts, limit=state.profile.strength.session_minutes, target=state.target, required=required)
    lost = [family for family in missing_families(drafts, required) if family not in unavailable]
    if lost:
        messages.append(
            f"no {', '.join(lost)} work this week: "
            f"{state.profile.strength.session_minutes} minutes a session is too short for it all."
        )
    return messages


def _required_families(state: _PlanState, frame: PhaseWeek, drafts: list[DraftSession]) -> frozenset[str]:
    if not frame.phase.builds or not drafts:
        return frozenset()
    if any(draft.heavy_lower for draft in drafts):
        return frozenset(WEEKLY_FAMILIES)
    return frozenset(WEEKLY_FAMILIES) - LEG_FAMILIES


def _finish(state: _PlanState, draft: DraftSession) -> Session:
    exercises = []
    for item in draft.items:
        target = state.loads.target(item.exercise, item.dose)
        exercises.append(
            PlannedExercise(
                exercise=item.exercise,
                role=item.role,
                sets=item.dose.sets,
                reps=item.dose.reps,
                seconds=item.dose.seconds,
                rir=item.dose.rir,
                percent_1rm=target.percent_1rm,
                load=target.load,
                rest_seconds=item.dose.rest_seconds,
                note=target.note,
            )
        )
    return Session(draft.date, draft.heavy_lower, draft.minutes, draft.why, tuple(exercises))
