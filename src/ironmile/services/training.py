"""Training-log use cases: store an athlete and their plan, show a day, log what was lifted, and
export or restore everything. One function per verb; each runs in one unit of work and is the only
place that commits, so an interrupted command leaves the database as it was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence, Set
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ironmile.adapters.db.backup import dump, load
from ironmile.adapters.db.csv_export import export_csv
from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.db.records import PlanVersion, StoredAthlete
from ironmile.adapters.plan_snapshot import read_plan
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError, NotFoundError
from ironmile.domain.log_notation import parse_sets
from ironmile.domain.plan import Plan, StoredPlan
from ironmile.domain.planner import build_plan
from ironmile.domain.running_weeks import monday_of, spike_in_week
from ironmile.domain.today import DayTarget, DayView, day_view
from ironmile.domain.training import LoggedSession, LoggedSet
from ironmile.domain.units import kg_from_display
from ironmile.render.plan_json import plan_json

DEFAULT_NAME = "me"
SPIKE_LOOKBACK = timedelta(days=30)  # a spike compares a run with the 30 days before it


class NotInitialisedError(InputError):
    def __init__(self) -> None:
        super().__init__("no athlete in this database yet: run `ironmile init --profile FILE` first")


@dataclass(frozen=True, slots=True)
class Initialised:
    athlete: StoredAthlete
    plan: Plan


def init_athlete(
    uow: UnitOfWork,
    *,
    profile_text: str,
    source: str,
    today: date,
    catalogue: Catalogue,
    name: str | None = None,
    owner_id: int | None = None,
) -> Initialised:
    """Store the profile and its plan (in force from today, or from its start if later).

    `name` (unique in the database) defaults to the profile's name; the web app passes the account's
    email and `owner_id`, the account that owns the athlete, linked in the same transaction.
    """
    profile = parse_profile(profile_text, source=source, today=today, catalogue=catalogue)
    plan = build_plan(profile, catalogue)
    name = name or profile.athlete.name or DEFAULT_NAME
    with uow:
        if uow.athletes.by_name(name) is not None:
            raise InputError(f"an athlete named {name!r} is already stored in this database")
        athlete_id = uow.athletes.add(
            name=name, units=profile.athlete.units, profile_toml=profile_text, created_on=today
        )
        uow.plans.add(
            athlete_id, created_on=today, effective_from=min(today, plan.start_date), document=plan_json(plan)
        )
        if owner_id is not None:
            uow.accounts.set_athlete(owner_id, athlete_id)
        uow.commit()
        stored = uow.athletes.get(athlete_id)
    if stored is None:  # pragma: no cover - committed a moment ago in this unit of work
        raise InputError("the athlete just stored could not be read back")
    return Initialised(stored, plan)


def current_athlete(uow: UnitOfWork, athlete_id: int | None = None) -> StoredAthlete:
    """The athlete `athlete_id` (the web app's signed-in athlete), else the database's first one
    (the command line serves one runner a database)."""
    if athlete_id is not None:
        athlete = uow.athletes.get(athlete_id)
        if athlete is None:
            raise NotInitialisedError()
        return athlete
    athletes = uow.athletes.all()
    if not athletes:
        raise NotInitialisedError()
    return athletes[0]


def version_on(uow: UnitOfWork, athlete_id: int, day: date) -> PlanVersion:
    """The plan version in force on `day`; on a day before the first version is in force, the first
    version (its plan starts later: the days before read as "no session yet"). Call it inside an open
    unit of work; NotFoundError when the athlete has no plan stored."""
    version = uow.plans.in_force(athlete_id, day)
    if version is None:
        versions = uow.plans.versions(athlete_id)
        if not versions:
            raise NotFoundError("no plan is stored yet: finish onboarding first")
        version = versions[0]
    return version


def plan_on(uow: UnitOfWork, athlete: StoredAthlete, day: date, catalogue: Catalogue) -> StoredPlan:
    """The plan of `version_on(day)`, read with `catalogue`."""
    return read_plan(version_on(uow, athlete.id, day).document, catalogue)


def show_day(uow: UnitOfWork, *, day: date, catalogue: Catalogue, athlete_id: int | None = None) -> DayView:
    """The session planned for `day`, its loads progressed from everything logged before it."""
    with uow:
        athlete = current_athlete(uow, athlete_id)
        plan = plan_on(uow, athlete, day, catalogue)
        logged = [stored.session for stored in uow.log.between(athlete.id, end=day)]
        swaps = uow.swaps.between(athlete.id, end=day)
        mornings = uow.morning_pain.between(athlete.id, end=day)
        recent_runs = uow.activities.between(athlete.id, start=monday_of(day) - SPIKE_LOOKBACK, end=day)
    spike = spike_in_week(recent_runs, day, as_of=day)
    week = plan.week_of(day)
    return day_view(
        plan=plan,
        day=day,
        logged=logged,
        swaps=swaps,
        catalogue=catalogue,
        deload=bool(week and week.deload),
        mornings=mornings,
        running_spike=spike.message if spike is not None else None,
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
    athlete_id: int | None = None,
) -> LoggedSession:
    """Record sets for `day`: quick notation for one exercise, today's targets as planned (but not
    lifts that need a load the plan cannot give: `as_planned_split`), or `entries` from the
    interactive prompt: (exercise id, notation, or None for "as planned").

    Sets join the day's session when one is already logged. A day without a planned session is
    kept as an extra session. Bad values are refused before anything is written.
    """
    for field, value in (("--pain", pain_during), ("--rpe", session_rpe)):
        if value is not None and not 0 <= value <= 10:
            raise InputError(f"{field}: {value} is out of range; expected 0 to 10")
    with uow:
        athlete = current_athlete(uow, athlete_id)
        plan = plan_on(uow, athlete, day, catalogue)
        already = {
            s.exercise_id
            for stored in uow.log.between(athlete.id, start=day, end=day)
            for s in stored.session.sets
        }
    if as_planned:
        view = show_day(uow, day=day, catalogue=catalogue, athlete_id=athlete.id)
        if not view.targets:
            raise InputError(f"--as-planned: no session is planned on {day}; log the sets you did instead")
        to_log, needs_load = as_planned_split(view.targets, already)
        if not to_log and not needs_load:
            raise InputError(f"--as-planned: every exercise planned on {day} is already logged")
        if not to_log:
            names = ", ".join(t.exercise.id for t in needs_load)
            raise InputError(
                f"--as-planned: {names}: no load to log as planned; log the sets with their load"
            )
        sets = tuple(
            LoggedSet(
                t.exercise.id,
                None if t.load is None else _kg(t.load, plan),
                t.reps,
                t.seconds,
                t.rir,
            )
            for t in to_log
            for _ in range(t.sets)
        )
    elif exercise_id is not None and notation is not None:
        catalogue.get(exercise_id)  # an unknown id fails here, with suggestions
        sets = parse_sets(notation, exercise_id=exercise_id, units=plan.units)
        if pain_during is not None:  # pain logged with an exercise is that exercise's pain
            sets = tuple(replace(s, pain=pain_during) for s in sets)
    elif entries is not None:
        sets = _entry_sets(entries, uow=uow, day=day, plan=plan, catalogue=catalogue, athlete_id=athlete.id)
        if not sets:
            raise InputError("nothing to log: no sets were entered")
    else:
        raise InputError("give an exercise and its sets (e.g. `back_squat 60x5x3@2`) or --as-planned")
    with uow:
        uow.applied_requests.lock_athlete(athlete.id)  # two logs at once on PostgreSQL: one waits
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


def as_planned_split(
    targets: Sequence[DayTarget], started: Set[str]
) -> tuple[tuple[DayTarget, ...], tuple[DayTarget, ...]]:
    """The targets "log as planned" logs, and those it leaves for the athlete because they need a
    load the plan cannot give (a swapped-in lift picked by feel): logging them without one would
    store a loaded lift as bodyweight. Exercises with a set in `started` (exercise ids logged on
    the day, the swapped-out exercise's included) keep what was logged."""
    fresh = [t for t in targets if t.exercise.id not in started and t.swapped_from not in started]
    needs_load = tuple(t for t in fresh if t.load is None and t.exercise.loaded)
    return tuple(t for t in fresh if t not in needs_load), needs_load


def _entry_sets(
    entries: Sequence[tuple[str, str | None]],
    *,
    uow: UnitOfWork,
    day: date,
    plan: StoredPlan,
    catalogue: Catalogue,
    athlete_id: int,
) -> tuple[LoggedSet, ...]:
    """Every entry parsed before anything is written: one bad entry refuses them all."""
    view = show_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    targets = {t.exercise.id: t for t in view.targets}
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


def export_all(uow: UnitOfWork, *, athlete_id: int | None = None) -> str:
    """Everything stored for the athlete as canonical JSON: byte-identical while nothing changes."""
    with uow:
        athlete = current_athlete(uow, athlete_id)
        document = dump(uow, athlete.id)
    return json.dumps(document, sort_keys=True, ensure_ascii=False, allow_nan=False, indent=2) + "\n"


def export_tables(uow: UnitOfWork, *, athlete_id: int | None = None) -> dict[str, str]:
    """Everything stored for the athlete as CSV files (file name → text), one per table, and the
    profile as the TOML the athlete wrote."""
    with uow:
        athlete = current_athlete(uow, athlete_id)
        return {**export_csv(uow, athlete.id), "profile.toml": athlete.profile_toml}


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
