"""Training-log use cases: store an athlete and their plan, show a day, log what was lifted, and
export or restore everything. One function per verb; each runs in one unit of work and is the only
place that commits, so an interrupted command leaves the database as it was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from ironmile.adapters.db.backup import dump, load
from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.db.records import StoredAthlete
from ironmile.adapters.plan_snapshot import read_plan
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.athlete import Screen
from ironmile.domain.body import guard_warning
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.log_notation import parse_sets
from ironmile.domain.pain import knee_tier
from ironmile.domain.plan import Plan, StoredPlan
from ironmile.domain.planner import build_plan
from ironmile.domain.progression import GAP_FOUNDATION_AFTER_DAYS
from ironmile.domain.report import Report, build_report
from ironmile.domain.screening import ScreenResult, assess
from ironmile.domain.swapping import equivalents
from ironmile.domain.today import DayView, day_view
from ironmile.domain.training import BodyMass, LoggedSession, LoggedSet, MorningPain, ScreenResultRecord, Swap
from ironmile.domain.units import kg_from_display
from ironmile.render.plan_json import plan_json

DEFAULT_NAME = "me"


class NotInitialisedError(InputError):
    def __init__(self) -> None:
        super().__init__("no athlete in this database yet: run `ironmile init --profile FILE` first")


@dataclass(frozen=True, slots=True)
class Initialised:
    athlete: StoredAthlete
    plan: Plan


def init_athlete(
    uow: UnitOfWork, *, profile_text: str, source: str, today: date, catalogue: Catalogue
) -> Initialised:
    """Store the profile and its plan (in force from today, or from its start if later)."""
    profile = parse_profile(profile_text, source=source, today=today, catalogue=catalogue)
    plan = build_plan(profile, catalogue)
    name = profile.athlete.name or DEFAULT_NAME
    with uow:
        if uow.athletes.by_name(name) is not None:
            raise InputError(f"an athlete named {name!r} is already stored in this database")
        athlete_id = uow.athletes.add(
            name=name, units=profile.athlete.units, profile_toml=profile_text, created_on=today
        )
        uow.plans.add(
            athlete_id, created_on=today, effective_from=min(today, plan.start_date), document=plan_json(plan)
        )
        uow.commit()
        stored = uow.athletes.get(athlete_id)
    if stored is None:  # pragma: no cover - committed a moment ago in this unit of work
        raise InputError("the athlete just stored could not be read back")
    return Initialised(stored, plan)


def _athlete(uow: UnitOfWork) -> StoredAthlete:
    athletes = uow.athletes.all()
    if not athletes:
        raise NotInitialisedError()
    return athletes[0]


def _plan_on(uow: UnitOfWork, athlete: StoredAthlete, day: date, catalogue: Catalogue) -> StoredPlan:
    version = uow.plans.in_force(athlete.id, day)
    if version is None:
        version = uow.plans.versions(athlete.id)[0]  # a day before the first plan: its start
    return read_plan(version.document, catalogue)


def show_day(uow: UnitOfWork, *, day: date, catalogue: Catalogue) -> DayView:
    """The session planned for `day`, its loads progressed from everything logged before it."""
    with uow:
        athlete = _athlete(uow)
        plan = _plan_on(uow, athlete, day, catalogue)
        logged = [stored.session for stored in uow.log.between(athlete.id, end=day)]
        swaps = uow.swaps.between(athlete.id, end=day)
        mornings = uow.morning_pain.between(athlete.id, end=day)
    week = plan.week_of(day)
    return day_view(
        plan=plan,
        day=day,
        logged=logged,
        swaps=swaps,
        catalogue=catalogue,
        deload=bool(week and week.deload),
        mornings=mornings,
    )


def log_sets(
    uow: UnitOfWork,
    *,
    day: date,
    catalogue: Catalogue,
    exercise_id: str | None = None,
    notation: str | None = None,
    as_planned: bool = False,
    pain_during: int | None = None,
    session_rpe: int | None = None,
    entries: Sequence[tuple[str, str | None]] | None = None,
) -> LoggedSession:
    """Record sets for `day`: quick notation for one exercise, today's targets as planned, or
    `entries` from the interactive prompt: (exercise id, notation, or None for "as planned").

    Sets join the day's session when one is already logged. A day without a planned session is
    kept as an extra session. Bad values are refused before anything is written.
    """
    for field, value in (("--pain", pain_during), ("--rpe", session_rpe)):
        if value is not None and not 0 <= value <= 10:
            raise InputError(f"{field}: {value} is out of range; expected 0 to 10")
    with uow:
        athlete = _athlete(uow)
        plan = _plan_on(uow, athlete, day, catalogue)
        already = {
            s.exercise_id
            for stored in uow.log.between(athlete.id, start=day, end=day)
            for s in stored.session.sets
        }
    if as_planned:
        view = show_day(uow, day=day, catalogue=catalogue)
        if not view.targets:
            raise InputError(f"--as-planned: no session is planned on {day}; log the sets you did instead")
        if all(t.exercise.id in already for t in view.targets):
            raise InputError(f"--as-planned: every exercise planned on {day} is already logged")
        sets = tuple(
            LoggedSet(
                t.exercise.id,
                None if t.load is None else _kg(t.load, plan),
                t.reps,
                t.seconds,
                t.rir,
            )
            for t in view.targets
            if t.exercise.id not in already  # exercises logged set by set keep what was logged
            for _ in range(t.sets)
        )
    elif exercise_id is not None and notation is not None:
        catalogue.get(exercise_id)  # an unknown id fails here, with suggestions
        sets = parse_sets(notation, exercise_id=exercise_id, units=plan.units)
        if pain_during is not None:  # pain logged with an exercise is that exercise's pain
            sets = tuple(replace(s, pain=pain_during) for s in sets)
    elif entries is not None:
        sets = _entry_sets(entries, uow=uow, day=day, plan=plan, catalogue=catalogue)
        if not sets:
            raise InputError("nothing to log: no sets were entered")
    else:
        raise InputError("give an exercise and its sets (e.g. `back_squat 60x5x3@2`) or --as-planned")
    with uow:
        stored = uow.log.between(athlete.id, start=day, end=day)
        if stored:
            previous = stored[0]
            session = replace(
                previous.session,
                sets=previous.session.sets + sets,
                pain_during=pain_during if pain_during is not None else previous.session.pain_during,
                session_rpe=session_rpe if session_rpe is not None else previous.session.session_rpe,
            )
            uow.log.correct(previous.id, session)
        else:
            session = LoggedSession(
                day,
                sets,
                planned=plan.session_on(day) is not None,
                pain_during=pain_during,
                session_rpe=session_rpe,
            )
            uow.log.add(athlete.id, session)
        uow.commit()
    return session


def _entry_sets(
    entries: Sequence[tuple[str, str | None]],
    *,
    uow: UnitOfWork,
    day: date,
    plan: StoredPlan,
    catalogue: Catalogue,
) -> tuple[LoggedSet, ...]:
    """Every entry parsed before anything is written: one bad entry refuses them all."""
    targets = {t.exercise.id: t for t in show_day(uow, day=day, catalogue=catalogue).targets}
    sets: list[LoggedSet] = []
    for exercise_id, notation in entries:
        catalogue.get(exercise_id)
        if notation is not None:
            sets.extend(parse_sets(notation, exercise_id=exercise_id, units=plan.units))
            continue
        target = targets.get(exercise_id)
        if target is None:
            raise InputError(f"{exercise_id}: not planned on {day}; enter the sets you did")
        load = None if target.load is None else _kg(target.load, plan)
        sets.extend(
            LoggedSet(exercise_id, load, target.reps, target.seconds, target.rir) for _ in range(target.sets)
        )
    return tuple(sets)


def _kg(load: float, plan: StoredPlan) -> float:
    return kg_from_display(load, plan.units)


def export_all(uow: UnitOfWork) -> str:
    """Everything stored for the athlete as canonical JSON: byte-identical while nothing changes."""
    with uow:
        athlete = _athlete(uow)
        document = dump(uow, athlete.id)
    return json.dumps(document, sort_keys=True, ensure_ascii=False, allow_nan=False, indent=2) + "\n"


def restore_all(uow: UnitOfWork, text: str, *, source: str) -> int:
    """Restore an export into an empty database; nothing is written unless all of it is valid."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{source}: not JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    with uow:
        if uow.athletes.all():
            raise InputError(f"{source}: the database already holds an athlete; restore into an empty one")
        try:
            athlete_id = load(uow, document)
        except InputError as error:
            raise InputError(f"{source}: {error}") from None
        uow.commit()
    return athlete_id


# --- profile changes and re-planning -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Replanned:
    plan: Plan
    effective_from: date
    foundation_again: bool  # more than 4 weeks without lifting: foundation weeks first


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
    logged = uow.log.between(athlete.id, end=today)
    last = max((stored.session.date for stored in logged), default=None)
    foundation_again = last is not None and (today - last).days > GAP_FOUNDATION_AFTER_DAYS
    if foundation_again:
        profile = replace(profile, strength=replace(profile.strength, start_date=today, weeks=None))
    plan = build_plan(profile, catalogue, foundation_first=True if foundation_again else None)
    effective = max(today, plan.start_date) if foundation_again else today
    uow.plans.add(athlete.id, created_on=today, effective_from=effective, document=plan_json(plan))
    return Replanned(plan, effective, foundation_again)


def show_profile(uow: UnitOfWork) -> str:
    with uow:
        return _athlete(uow).profile_toml


def edit_profile(
    uow: UnitOfWork, *, profile_text: str, source: str, today: date, catalogue: Catalogue
) -> Replanned:
    """Replace the stored profile (checked first) and re-plan from today on."""
    profile = parse_profile(profile_text, source=source, today=today, catalogue=catalogue)
    with uow:
        athlete = _athlete(uow)
        uow.athletes.update_profile(athlete.id, profile_toml=profile_text, units=profile.athlete.units)
        refreshed = uow.athletes.get(athlete.id) or athlete
        result = _replan(uow, refreshed, today=today, catalogue=catalogue)
        uow.commit()
    return result


def replan(uow: UnitOfWork, *, today: date, catalogue: Catalogue) -> Replanned:
    """Re-plan from today (after missed sessions, a long break or a new screen)."""
    with uow:
        result = _replan(uow, _athlete(uow), today=today, catalogue=catalogue)
        uow.commit()
    return result


# --- swaps, body mass, morning pain ---------------------------------------------------------------


def swap_exercise(
    uow: UnitOfWork, *, exercise_id: str, replacement_id: str | None, day: date, catalogue: Catalogue
) -> Swap:
    """Replace an exercise from `day` on with an equivalent (same pattern and emphasis) the athlete
    can do; the history of each exercise stays its own."""
    exercise = catalogue.get(exercise_id)
    with uow:
        athlete = _athlete(uow)
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
) -> list[str]:
    """Store a weigh-in (profile units) and/or the morning pain check-in; returns any warnings."""
    if morning_pain is not None and not 0 <= morning_pain <= 10:
        raise InputError(f"--morning-pain: {morning_pain} is out of range; expected 0 to 10")
    if body_mass is not None and not 0 < body_mass < 700:
        raise InputError(f"--body-mass: {body_mass} is out of range; expected a mass above 0")
    with uow:
        athlete = _athlete(uow)
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


def build_athlete_report(uow: UnitOfWork, *, today: date, catalogue: Catalogue) -> Report:
    """e1RM and relative strength per main lift, body mass, balance and adherence up to `today`."""
    with uow:
        athlete = _athlete(uow)
        plan = _plan_on(uow, athlete, today, catalogue)
        sessions = [stored.session for stored in uow.log.between(athlete.id, end=today)]
        body_mass = uow.body_mass.between(athlete.id, end=today)
    planned = [s.date for w in plan.weeks for s in w.sessions if s.date < today]
    deloads = {s.date for w in plan.weeks if w.deload for s in w.sessions}
    mains = sorted(
        {i.exercise.id for w in plan.weeks for s in w.sessions for i in s.exercises if i.role.value == "main"}
    )
    return build_report(
        sessions=sessions,
        body_mass=body_mass,
        planned_dates=planned,
        catalogue=catalogue,
        lift_ids=mains,
        today=today,
        deload_dates=deloads,
    )


def record_screen(
    uow: UnitOfWork, *, record: ScreenResultRecord, today: date, catalogue: Catalogue
) -> tuple[ScreenResult, Replanned]:
    """Store a quad-dominance re-test and re-plan with its posterior:anterior target (SCIENCE.md §8)."""
    for field, reps in (("--left", record.bridge_left_reps), ("--right", record.bridge_right_reps)):
        if reps is not None and not 0 <= reps <= 200:
            raise InputError(f"{field}: {reps} is out of range; expected 0 to 200 reps")
    if record.felt_in not in (None, "quads", "glutes_hamstrings", "both"):
        raise InputError(f"--felt-in: {record.felt_in!r} is not one of quads, glutes_hamstrings, both")
    with uow:
        athlete = _athlete(uow)
        uow.screens.add(athlete.id, record)
        result = _replan(uow, athlete, today=today, catalogue=catalogue)
        uow.commit()
    screen = Screen(record.bridge_left_reps, record.bridge_right_reps, record.felt_in, record.hq_ratio)
    return assess(screen), result
