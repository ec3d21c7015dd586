"""Changing course and looking back: profile edits and re-planning, swaps, check-ins, screens
and the report. Each function runs in one unit of work; the past is never rewritten."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.db.records import StoredAthlete
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.athlete import Screen
from ironmile.domain.body import guard_warning
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.pain import knee_tier
from ironmile.domain.plan import Plan, StoredPlan
from ironmile.domain.planner import build_plan
from ironmile.domain.progression import GAP_FOUNDATION_AFTER_DAYS
from ironmile.domain.report import Report, build_report
from ironmile.domain.running_habits import InferredWeek
from ironmile.domain.screening import ScreenResult, assess
from ironmile.domain.swapping import equivalents
from ironmile.domain.training import BodyMass, MorningPain, ScreenResultRecord, Swap
from ironmile.domain.units import kg_from_display
from ironmile.render.plan_json import plan_json
from ironmile.services.running import with_history
from ironmile.services.training import current_athlete, plan_on

# --- profile changes and re-planning -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Replanned:
    plan: Plan
    effective_from: date
    foundation_again: bool  # more than 4 weeks without lifting: foundation weeks first
    running_from_history: InferredWeek | None = None  # the profile has no running week; history gave one


def _replan(uow: UnitOfWork, athlete: StoredAthlete, *, today: date, catalogue: Catalogue) -> Replanned:
    """A new plan version from today on; every earlier version and every logged set stay as they are."""
    profile = parse_profile(athlete.profile_toml, source="stored profile", today=today, catalogue=catalogue)
    screen = uow.screens.latest(athlete.id, as_of=today)
    if screen is not None:
        profile = replace(
            profile,
            screen=replace(
                profile.screen,
                bridge_left_reps=screen.bridge_left_reps,
                bridge_right_reps=screen.bridge_right_reps,
                felt_in=screen.felt_in,
                hq_ratio=screen.hq_ratio,
            ),
        )
    profile, inferred = with_history(uow, athlete.id, profile, today=today)
    logged = uow.log.between(athlete.id, end=today)
    last = max((stored.session.date for stored in logged), default=None)
    foundation_again = last is not None and (today - last).days > GAP_FOUNDATION_AFTER_DAYS
    if foundation_again:
        profile = replace(profile, strength=replace(profile.strength, start_date=today, weeks=None))
    plan = build_plan(profile, catalogue, foundation_first=True if foundation_again else None)
    effective = max(today, plan.start_date) if foundation_again else today
    uow.plans.add(athlete.id, created_on=today, effective_from=effective, document=plan_json(plan))
    return Replanned(plan, effective, foundation_again, inferred)


def show_profile(uow: UnitOfWork, *, athlete_id: int | None = None) -> str:
    with uow:
        return current_athlete(uow, athlete_id).profile_toml


def edit_profile(
    uow: UnitOfWork,
    *,
    profile_text: str,
    source: str,
    today: date,
    catalogue: Catalogue,
    athlete_id: int | None = None,
) -> Replanned:
    """Replace the stored profile (checked first) and re-plan from today on."""
    profile = parse_profile(profile_text, source=source, today=today, catalogue=catalogue)
    with uow:
        athlete = current_athlete(uow, athlete_id)
        uow.athletes.update_profile(athlete.id, profile_toml=profile_text, units=profile.athlete.units)
        refreshed = uow.athletes.get(athlete.id) or athlete
        result = _replan(uow, refreshed, today=today, catalogue=catalogue)
        uow.commit()
    return result


def replan(uow: UnitOfWork, *, today: date, catalogue: Catalogue, athlete_id: int | None = None) -> Replanned:
    """Re-plan from today (after missed sessions, a long break or a new screen)."""
    with uow:
        result = _replan(uow, current_athlete(uow, athlete_id), today=today, catalogue=catalogue)
        uow.commit()
    return result


# --- swaps, body mass, morning pain ---------------------------------------------------------------


def swap_exercise(
    uow: UnitOfWork,
    *,
    exercise_id: str,
    replacement_id: str | None,
    day: date,
    catalogue: Catalogue,
    athlete_id: int | None = None,
) -> Swap:
    """Replace an exercise from `day` on with an equivalent (same pattern and emphasis) the athlete
    can do; the history of each exercise stays its own."""
    exercise = catalogue.get(exercise_id)
    with uow:
        athlete = current_athlete(uow, athlete_id)
        profile = parse_profile(athlete.profile_toml, source="stored profile", today=day, catalogue=catalogue)
        options = equivalents(
            exercise, catalogue, equipment=profile.strength.equipment, tier=knee_tier(profile.health)
        )
        if not options:
            raise InputError(f"{exercise_id}: no equivalent exercise fits your equipment and knee-pain tier")
        if replacement_id is None:
            chosen = options[0]
        else:
            chosen = catalogue.get(replacement_id)
            if chosen not in options:
                names = ", ".join(option.id for option in options[:6])
                raise InputError(
                    f"--to: {replacement_id!r} is not an equivalent of {exercise_id} (try: {names})"
                )
        swap = Swap(day, exercise_id, chosen.id)
        uow.swaps.put(athlete.id, swap)
        uow.commit()
    return swap


def record_body(
    uow: UnitOfWork,
    *,
    day: date,
    catalogue: Catalogue,
    body_mass: float | None = None,
    morning_pain: int | None = None,
    athlete_id: int | None = None,
) -> list[str]:
    """Store a weigh-in (profile units) and/or the morning pain check-in; returns any warnings."""
    if morning_pain is not None and not 0 <= morning_pain <= 10:
        raise InputError(f"--morning-pain: {morning_pain} is out of range; expected 0 to 10")
    if body_mass is not None and not 0 < body_mass < 700:
        raise InputError(f"--body-mass: {body_mass} is out of range; expected a mass above 0")
    with uow:
        athlete = current_athlete(uow, athlete_id)
        if body_mass is not None:
            uow.body_mass.put(athlete.id, BodyMass(day, kg_from_display(body_mass, athlete.units)))
        if morning_pain is not None:
            uow.morning_pain.put(athlete.id, MorningPain(day, morning_pain))
        uow.commit()
        entries = uow.body_mass.between(athlete.id, end=day)
        profile = parse_profile(athlete.profile_toml, source="stored profile", today=day, catalogue=catalogue)
    warning = guard_warning(entries, today=day, goal=profile.athlete.goal, units=athlete.units)
    return [warning] if warning else []


# --- report -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """What the report takes from the plan: the same for the review and the progress page."""

    planned_dates: tuple[date, ...]  # planned sessions before today, oldest first
    deload_dates: frozenset[date]  # sessions in deload weeks: left out of the e1RM trend
    lift_ids: tuple[str, ...]  # the plan's main lifts, sorted by id


def report_inputs(plan: StoredPlan, *, today: date) -> ReportInputs:
    sessions = [session for week in plan.weeks for session in week.sessions]
    return ReportInputs(
        planned_dates=tuple(sorted(s.date for s in sessions if s.date < today)),
        deload_dates=frozenset(s.date for week in plan.weeks if week.deload for s in week.sessions),
        lift_ids=tuple(
            sorted({i.exercise.id for s in sessions for i in s.exercises if i.role.value == "main"})
        ),
    )


def build_athlete_report(
    uow: UnitOfWork, *, today: date, catalogue: Catalogue, athlete_id: int | None = None
) -> Report:
    """e1RM and relative strength per main lift, body mass, balance and adherence up to `today`."""
    with uow:
        athlete = current_athlete(uow, athlete_id)
        plan = plan_on(uow, athlete, today, catalogue)
        sessions = [stored.session for stored in uow.log.between(athlete.id, end=today)]
        body_mass = uow.body_mass.between(athlete.id, end=today)
    inputs = report_inputs(plan, today=today)
    return build_report(
        sessions=sessions,
        body_mass=body_mass,
        planned_dates=inputs.planned_dates,
        catalogue=catalogue,
        lift_ids=inputs.lift_ids,
        today=today,
        deload_dates=inputs.deload_dates,
    )


def record_screen(
    uow: UnitOfWork,
    *,
    record: ScreenResultRecord,
    today: date,
    catalogue: Catalogue,
    athlete_id: int | None = None,
) -> tuple[ScreenResult, Replanned]:
    """Store a quad-dominance re-test and re-plan with its posterior:anterior target (SCIENCE.md §8)."""
    for field, reps in (("--left", record.bridge_left_reps), ("--right", record.bridge_right_reps)):
        if reps is not None and not 0 <= reps <= 200:
            raise InputError(f"{field}: {reps} is out of range; expected 0 to 200 reps")
    if record.felt_in not in (None, "quads", "glutes_hamstrings", "both"):
        raise InputError(f"--felt-in: {record.felt_in!r} is not one of quads, glutes_hamstrings, both")
    with uow:
        athlete = current_athlete(uow, athlete_id)
        uow.screens.add(athlete.id, record)
        result = _replan(uow, athlete, today=today, catalogue=catalogue)
        uow.commit()
    screen = Screen(record.bridge_left_reps, record.bridge_right_reps, record.felt_in, record.hq_ratio)
    return assess(screen), result
