"""The gym floor: log a workout one set at a time, check in on pain, and see the whole day.

A phone in a gym basement loses responses. Each set therefore comes with an id its client generated
(`request_id`, a UUID), stored with the set in one transaction: a retry of a set that was in fact
stored answers with the earlier result and logs nothing, which makes resending a queued set safe.
Bad values are refused, each field named, before anything is written.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ironmile.adapters.db.ports import AppliedRequest, UnitOfWork
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.activity import Activity, same_run
from ironmile.domain.athlete import RED_FLAGS
from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.errors import FieldProblem, NotFoundError, ProfileError
from ironmile.domain.log_notation import MAX_REPS, MAX_RIR, MAX_SECONDS
from ironmile.domain.pain import knee_tier
from ironmile.domain.pain_monitor import PainAction, decide
from ironmile.domain.plan import PlannedRun
from ironmile.domain.swapping import equivalents
from ironmile.domain.today import DayView
from ironmile.domain.training import LoggedSession, LoggedSet, MorningPain
from ironmile.domain.units import UnitSystem, display_from_kg, kg_from_display
from ironmile.services.review import record_body
from ironmile.services.training import current_athlete, plan_on, show_day

MAX_LOAD_KG = 1000.0  # convention: a load this heavy is a typo (no lift on record reaches 600 kg)
MAX_PAIN = 10  # the 0–10 numeric pain rating
MIN_BODY_MASS, MAX_BODY_MASS = 1.0, 700.0  # profile units (kg or lb); record_body refuses 0 and 700
# A client's calendar may run a day ahead of the server's (time zones): a set logged just after
# midnight in Sydney must not be refused, or an offline queue would drop it as bad input.
CLIENT_DAY_SLACK = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SetEntry:
    """One set as the athlete entered it: `load` in the profile's units (per dumbbell for
    dumbbells), None for bodyweight or a band; `reps` (per side when one-sided) or `seconds`."""

    day: date
    exercise_id: str
    load: float | None
    reps: int | None
    seconds: int | None
    rir: int | None
    pain: int | None = None  # 0–10, pain during this set


@dataclass(frozen=True, slots=True)
class SetLogged:
    """A set as stored (SI) and its 1-based number among the exercise's sets that day; `replayed`
    when its request was applied before and nothing was logged this time."""

    day: date
    units: UnitSystem
    logged: LoggedSet
    number: int
    replayed: bool


@dataclass(frozen=True, slots=True)
class PainNote:
    """What the pain-monitoring model (SCIENCE.md §7) says, for the exercises it concerns; none
    named when it is about the morning-pain trend alone."""

    exercises: tuple[Exercise, ...]
    action: PainAction
    reason: str


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A stored check-in and what it means now; `see_clinician` is the plain red-flag line."""

    advice: tuple[PainNote, ...]
    see_clinician: str | None
    warnings: tuple[str, ...]  # from the weigh-in (services.review.record_body)


@dataclass(frozen=True, slots=True)
class GymDay:
    """Everything the gym screen shows for one day."""

    view: DayView
    deload: bool
    done: tuple[LoggedSet, ...]  # the sets logged on the day, in the order they were lifted (SI)
    session_pain: int | None  # 0–10, the session's pain during, if reported
    morning_pain: int | None  # 0–10, the day's morning check-in, if any
    planned_runs: tuple[PlannedRun, ...]
    recorded_runs: tuple[Activity, ...]  # imported runs that started on the day
    pain: tuple[PainNote, ...]
    swap_options: Mapping[str, tuple[Exercise, ...]]  # planned exercise id → equivalents, best first


def log_set(
    uow: UnitOfWork,
    *,
    entry: SetEntry,
    request_id: str,
    today: date,
    catalogue: Catalogue,
    athlete_id: int | None = None,
    unreadable: Sequence[FieldProblem] = (),
) -> SetLogged:
    """Append one set to the day's session (a new session when none is logged yet), recording
    `request_id` in the same transaction. A request id seen before returns the earlier result.
    `unreadable`: fields a form could not read (not a number), refused together with the rest."""
    with uow:
        athlete = current_athlete(uow, athlete_id)
        plan = plan_on(uow, athlete, entry.day, catalogue)
    problems = [*unreadable, *_set_problems(entry, catalogue=catalogue, today=today, units=plan.units)]
    key = _request_key(request_id, problems)
    load_kg = None if entry.load is None else kg_from_display(entry.load, plan.units)
    logged = LoggedSet(entry.exercise_id, load_kg, entry.reps, entry.seconds, entry.rir, entry.pain)
    with uow:
        uow.applied_requests.lock_athlete(athlete.id)  # a retry racing its original waits here
        earlier = uow.applied_requests.get(athlete.id, key)
        if earlier is not None:
            return _replayed(uow, athlete.id, earlier, plan.units)
        planned = plan.session_on(entry.day) is not None
        sets, position = _append(uow, athlete.id, entry.day, logged, planned=planned)
        uow.applied_requests.add(athlete.id, AppliedRequest(key, entry.day, position))
        uow.commit()
    return SetLogged(entry.day, plan.units, logged, _number(sets, position), replayed=False)


def _request_key(request_id: str, problems: list[FieldProblem]) -> str:
    """The request id in canonical form; raises with every problem found in the request."""
    try:
        key = str(uuid.UUID(request_id.strip()))
    except ValueError:
        key = ""
        problems.append(
            FieldProblem("request_id", f"{request_id[:40]!r} is not a UUID; send a new one per set")
        )
    if problems:
        raise ProfileError(problems)
    return key


def _within(field: str, value: float | None, low: float, high: float, unit: str = "") -> list[FieldProblem]:
    if value is None or low <= value <= high:
        return []
    return [FieldProblem(field, f"{value:g}{unit} is out of range; expected {low:g} to {high:g}{unit}")]


def _day_problems(day: date, today: date) -> list[FieldProblem]:
    if day > today + CLIENT_DAY_SLACK:
        return [FieldProblem("date", f"{day} is in the future; log a set on the day you lifted it")]
    return []


def _set_problems(
    entry: SetEntry, *, catalogue: Catalogue, today: date, units: UnitSystem
) -> list[FieldProblem]:
    problems = _day_problems(entry.day, today)
    if entry.exercise_id not in catalogue:
        problems.append(FieldProblem("exercise_id", f"no exercise {entry.exercise_id!r} in the catalogue"))
    if (entry.reps is None) == (entry.seconds is None):
        problems.append(FieldProblem("reps", "give either reps or seconds (for a hold), not both or neither"))
    heaviest, label = display_from_kg(MAX_LOAD_KG, units), units.mass_label
    if entry.load is not None and not 0 <= entry.load < heaviest:
        problems.append(
            FieldProblem(
                "load", f"{entry.load:g} is out of range; expected 0 to under {heaviest:.0f} {label}"
            )
        )
    problems += _within("reps", entry.reps, 0, MAX_REPS)
    problems += _within("seconds", entry.seconds, 0, MAX_SECONDS, " s")
    problems += _within("rir", entry.rir, 0, MAX_RIR)
    problems += _within("pain", entry.pain, 0, MAX_PAIN)
    return problems


def _append(
    uow: UnitOfWork, athlete_id: int, day: date, logged: LoggedSet, *, planned: bool
) -> tuple[tuple[LoggedSet, ...], int]:
    """Add a set after the day's logged sets, as `services.training.log_sets` joins sets to the
    day's session; returns the session's sets and the new set's 0-based position."""
    stored = uow.log.between(athlete_id, start=day, end=day)
    if stored:
        previous = stored[0]
        sets = (*previous.session.sets, logged)
        uow.log.correct(previous.id, replace(previous.session, sets=sets))
        return sets, len(sets) - 1
    uow.log.add(athlete_id, LoggedSession(day, (logged,), planned=planned))
    return (logged,), 0


def _replayed(uow: UnitOfWork, athlete_id: int, earlier: AppliedRequest, units: UnitSystem) -> SetLogged:
    stored = uow.log.between(athlete_id, start=earlier.applied_on, end=earlier.applied_on)
    sets = stored[0].session.sets if stored else ()
    if earlier.position >= len(sets):
        raise NotFoundError(f"request {earlier.request_id}: its set, logged on {earlier.applied_on}, is gone")
    return SetLogged(earlier.applied_on, units, sets[earlier.position], _number(sets, earlier.position), True)


def _number(sets: Sequence[LoggedSet], position: int) -> int:
    exercise_id = sets[position].exercise_id
    return sum(1 for s in sets[: position + 1] if s.exercise_id == exercise_id)


def check_in(
    uow: UnitOfWork,
    *,
    day: date,
    today: date,
    catalogue: Catalogue,
    pain_during: int | None = None,
    exercise_id: str | None = None,
    morning_pain: int | None = None,
    body_mass: float | None = None,
    red_flags: Iterable[str] = (),
    athlete_id: int | None = None,
    unreadable: Sequence[FieldProblem] = (),
) -> CheckIn:
    """Pain during the day's session (one exercise's sets, or the whole session when no exercise is
    named), the morning check-in and a weigh-in (profile units); red flags are answered with the
    plain see-a-clinician line. Returns the pain-monitoring model's advice after the check-in."""
    flags = tuple(sorted(set(red_flags)))
    problems = [*unreadable, *_day_problems(day, today)]
    problems += _within("pain_during", pain_during, 0, MAX_PAIN)
    problems += _within("morning_pain", morning_pain, 0, MAX_PAIN)
    problems += _within("body_mass", body_mass, MIN_BODY_MASS, MAX_BODY_MASS)
    if exercise_id and exercise_id not in catalogue:
        problems.append(FieldProblem("exercise_id", f"no exercise with id {exercise_id!r} in the catalogue"))
    unknown = [flag for flag in flags if flag not in RED_FLAGS]
    if unknown:
        problems.append(
            FieldProblem("red_flags", f"unknown: {', '.join(unknown)}; known: {', '.join(RED_FLAGS)}")
        )
    if not problems and pain_during is None and morning_pain is None and body_mass is None and not flags:
        problems.append(
            FieldProblem("pain_during", "nothing to record: give a pain rating, a weigh-in or a red flag")
        )
    if problems:
        raise ProfileError(problems)
    if pain_during is not None:
        _record_pain_during(
            uow, day=day, pain=pain_during, exercise_id=exercise_id or None, athlete_id=athlete_id
        )
    warnings: list[str] = []
    if morning_pain is not None or body_mass is not None:
        warnings = record_body(
            uow,
            day=day,
            catalogue=catalogue,
            body_mass=body_mass,
            morning_pain=morning_pain,
            athlete_id=athlete_id,
        )
    with uow:
        athlete = current_athlete(uow, athlete_id)
        sessions = [stored.session for stored in uow.log.between(athlete.id, end=day)]
        advice = pain_notes(sessions, uow.morning_pain.between(athlete.id, end=day), day, catalogue)
    return CheckIn(advice, _clinician_line(flags), tuple(warnings))


def _record_pain_during(
    uow: UnitOfWork, *, day: date, pain: int, exercise_id: str | None, athlete_id: int | None
) -> None:
    with uow:
        athlete = current_athlete(uow, athlete_id)
        stored = uow.log.between(athlete.id, start=day, end=day)
        if exercise_id is None:
            if not stored:
                raise ProfileError(
                    [FieldProblem("pain_during", f"log a set on {day} first: pain is kept with it")]
                )
            uow.log.correct(stored[0].id, replace(stored[0].session, pain_during=pain))
        else:
            touched = [s for s in stored if any(x.exercise_id == exercise_id for x in s.session.sets)]
            if not touched:
                raise ProfileError(
                    [FieldProblem("exercise_id", f"no set of {exercise_id} logged on {day}; log one first")]
                )
            for session in touched:
                sets = tuple(
                    replace(x, pain=pain) if x.exercise_id == exercise_id else x for x in session.session.sets
                )
                uow.log.correct(session.id, replace(session.session, sets=sets))
        uow.commit()


def _clinician_line(flags: Sequence[str]) -> str | None:
    """SCIENCE.md §7: any red flag means no lower-body loading and a plain see-a-clinician message."""
    if not flags:
        return None
    named = ", ".join(
        flag.replace("_", " ").replace("trauma", "pain after a fall or twist") for flag in flags
    )
    return (
        f"Red flag ({named}): stop loading the leg now and see a clinician (doctor or physiotherapist) "
        "before you train it again. Add it to your profile's health section so the plan leaves out "
        "lower-body loading. ironmile gives training guidance, not medical advice."
    )


def pain_notes(
    sessions: Sequence[LoggedSession], mornings: Sequence[MorningPain], day: date, catalogue: Catalogue
) -> tuple[PainNote, ...]:
    """The model's advice as of `day` for each exercise of the latest session with pain reported
    (an exercise's own rating, else the session's), grouped where the advice is the same, and on the
    morning-pain trend when that alone is rising."""
    during: dict[str, list[tuple[date, int]]] = {}
    latest: date | None = None
    for session in sorted(sessions, key=lambda s: s.date):
        if session.date > day:
            continue
        for exercise_id, pain in _exercise_pains(session).items():
            during.setdefault(exercise_id, []).append((session.date, pain))
            latest = session.date
    grouped: dict[tuple[PainAction, str], list[Exercise]] = {}
    for exercise_id, entries in during.items():
        if max(entries)[0] != latest or exercise_id not in catalogue:
            continue
        decision = decide(exercise_id=exercise_id, during=entries, mornings=mornings, today=day)
        grouped.setdefault((decision.decision, decision.reason), []).append(catalogue.get(exercise_id))
    if not grouped:
        trend = decide(exercise_id="", during=(), mornings=mornings, today=day)
        return (PainNote((), trend.decision, trend.reason),) if trend.decision is PainAction.REDUCE else ()
    return tuple(PainNote(tuple(found), action, reason) for (action, reason), found in grouped.items())


def _exercise_pains(session: LoggedSession) -> dict[str, int]:
    """Each exercise's worst reported pain in the session, else the session's pain during."""
    reported: dict[str, int] = {}
    for logged in session.sets:
        if logged.pain is not None:
            reported[logged.exercise_id] = max(logged.pain, reported.get(logged.exercise_id, 0))
    if session.pain_during is not None:
        for logged in session.sets:
            reported.setdefault(logged.exercise_id, session.pain_during)
    return reported


def gym_day(uow: UnitOfWork, *, day: date, catalogue: Catalogue, athlete_id: int | None = None) -> GymDay:
    """The day's targets (`services.training.show_day`) with what is logged, the runs, the pain
    advice and each exercise's swap options."""
    view = show_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    with uow:
        athlete = current_athlete(uow, athlete_id)
        plan = plan_on(uow, athlete, day, catalogue)
        version = uow.plans.in_force(athlete.id, day) or uow.plans.versions(athlete.id)[0]
        logged = uow.log.between(athlete.id, end=day)
        mornings = uow.morning_pain.between(athlete.id, end=day)
        activities = uow.activities.between(athlete.id, start=day, end=day)
        profile = parse_profile(athlete.profile_toml, source="stored profile", today=day, catalogue=catalogue)
    today_sessions = [stored.session for stored in logged if stored.session.date == day]
    week = plan.week_of(day)
    tier = knee_tier(profile.health)
    options = {}
    for target in view.targets:
        planned_id = target.swapped_from or target.exercise.id
        found = equivalents(
            catalogue.get(planned_id), catalogue, equipment=profile.strength.equipment, tier=tier
        )
        options[planned_id] = tuple(option for option in found if option.id != target.exercise.id)
    return GymDay(
        view=view,
        deload=bool(week and week.deload),
        done=tuple(s for session in today_sessions for s in session.sets),
        session_pain=next((s.pain_during for s in today_sessions if s.pain_during is not None), None),
        morning_pain=next((m.pain for m in mornings if m.date == day), None),
        planned_runs=_planned_runs(version.document, day),
        recorded_runs=_distinct_runs(activities),
        pain=pain_notes([stored.session for stored in logged], mornings, day, catalogue),
        swap_options=options,
    )


def _planned_runs(document: str, day: date) -> tuple[PlannedRun, ...]:
    """The day's runs from the stored plan document (`ironmile.plan/1`, weeks[].runs)."""
    weeks = json.loads(document).get("weeks", [])
    return tuple(
        PlannedRun(date.fromisoformat(run["date"]), run["kind"], run.get("race"))
        for week in weeks
        for run in week.get("runs", [])
        if run.get("date") == day.isoformat()
    )


def _distinct_runs(activities: Sequence[Activity]) -> tuple[Activity, ...]:
    """Runs, each once: a run imported from a watch file and from its Strava copy counts once."""
    kept: list[Activity] = []
    for activity in activities:
        if activity.is_run and not any(same_run(activity, other) for other in kept):
            kept.append(activity)
    return tuple(kept)
