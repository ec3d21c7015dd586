"""The gym floor: log a workout one set at a time (or all of it as planned), undo a set, and check
in on pain. The day itself, as the gym screen shows it, is `services.gym_day`.

A phone in a gym basement loses responses. Each set therefore comes with an id its client generated
(`request_id`, a UUID), stored with the set in one transaction: a retry of a set that was in fact
stored answers with the earlier result and logs nothing, which makes resending a queued set safe.
The same id undoes the set. Bad values are refused, each field named in words for the athlete (the
web shows them next to the field), before anything is written: numbers arrive as entered, and whole
numbers and ranges are checked here, so every way in gives the same message.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ironmile.adapters.db.ports import AppliedRequest, UnitOfWork
from ironmile.domain.athlete import RED_FLAGS
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import FieldProblem, NotFoundError, ProfileError
from ironmile.domain.log_notation import MAX_REPS, MAX_RIR, MAX_SECONDS
from ironmile.domain.today import DayTarget
from ironmile.domain.training import LoggedSession, LoggedSet
from ironmile.domain.units import UnitSystem, display_from_kg, kg_from_display
from ironmile.services.gym_day import PainNote, can_log, day_text, needs_load_text, pain_notes
from ironmile.services.review import record_body
from ironmile.services.training import as_planned_split, current_athlete, log_sets, plan_on, show_day

MAX_LOAD_KG = 1000.0  # convention: a load this heavy is a typo (no lift on record reaches 600 kg)
MAX_PAIN = 10  # the 0–10 numeric pain rating
MIN_BODY_MASS, MAX_BODY_MASS = 1.0, 700.0  # profile units (kg or lb); record_body refuses 0 and 700


@dataclass(frozen=True, slots=True)
class SetEntry:
    """One set as the athlete entered it: `load` in the profile's units (per dumbbell for
    dumbbells), None for bodyweight or a band; `reps` (per side when one-sided) or `seconds`.
    Numbers as typed: `log_set` checks that reps, seconds, RIR and pain are whole."""

    day: date
    exercise_id: str
    load: float | None
    reps: float | None
    seconds: float | None  # s
    rir: float | None
    pain: float | None = None  # 0–10, pain during this set


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
class SessionLogged:
    """The whole session logged as planned: the targets logged, and those left to log by hand
    because they need a load the plan cannot give."""

    day: date
    logged: tuple[DayTarget, ...]
    needs_load: tuple[DayTarget, ...]


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A stored check-in and what it means now; `see_clinician` is the plain red-flag line."""

    advice: tuple[PainNote, ...]
    see_clinician: str | None
    warnings: tuple[str, ...]  # from the weigh-in (services.review.record_body)


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
    logged = LoggedSet(
        entry.exercise_id, load_kg, _int(entry.reps), _int(entry.seconds), _int(entry.rir), _int(entry.pain)
    )
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


def undo_set(
    uow: UnitOfWork, *, request_id: str, catalogue: Catalogue, athlete_id: int | None = None
) -> SetLogged:
    """Take out of its day's session exactly the set that `request_id` logged, and forget the
    request; returns the set as it was. A session left without sets goes too, unless it keeps
    something else the athlete recorded (`_keeps_records`). Raises NotFoundError for a request this
    athlete never applied, or one already undone: a repeat removes nothing more."""
    try:
        key = str(uuid.UUID(request_id.strip()))
    except ValueError:
        raise NotFoundError(f"no set logged by request {request_id[:40]!r}") from None
    with uow:
        athlete = current_athlete(uow, athlete_id)
        uow.applied_requests.lock_athlete(athlete.id)  # an undo racing a log of the same day waits
        applied = uow.applied_requests.get(athlete.id, key)
        stored = (
            []
            if applied is None
            else uow.log.between(athlete.id, start=applied.applied_on, end=applied.applied_on)
        )
        sets = stored[0].session.sets if stored else ()
        if applied is None or applied.position >= len(sets):
            raise NotFoundError(f"no set logged by request {key}: it was undone, or never logged")
        position = applied.position
        removed = SetLogged(
            applied.applied_on,
            plan_on(uow, athlete, applied.applied_on, catalogue).units,
            sets[position],
            _number(sets, position),
            replayed=False,
        )
        left = sets[:position] + sets[position + 1 :]
        if left or _keeps_records(stored[0].session):
            uow.log.correct(stored[0].id, replace(stored[0].session, sets=left))
        else:  # a set tapped by mistake and undone: the day was not trained after all
            uow.log.delete(stored[0].id)
        # Positions count in the day's first session. With no set left in it, no request of the day
        # has a set to answer with, and none may claim the next set logged there (or, once this
        # session is gone, a set of the day's next session): they all go.
        done = [applied] if left else uow.applied_requests.on_day(athlete.id, applied.applied_on)
        for request in done:
            uow.applied_requests.forget(athlete.id, request)
        uow.commit()
    return removed


def _keeps_records(session: LoggedSession) -> bool:
    """Whether a session without sets still holds what the athlete told us about the day, and so
    must stay (the day then still counts as trained). Pain during the session is a safety signal:
    a runner who undoes a wrongly entered set has still felt that pain, the Today page shows it and
    the coach's squad overview judges a week of it by the pain-monitoring model (SCIENCE.md §7). A
    session RPE or a note is the athlete's own account of the day, which nothing else keeps.
    `planned` is not theirs (it came from the plan), and a blank note says nothing."""
    note = (session.note or "").strip()
    return session.pain_during is not None or session.session_rpe is not None or bool(note)


def log_session_as_planned(
    uow: UnitOfWork, *, day: date, today: date, catalogue: Catalogue, athlete_id: int | None = None
) -> SessionLogged:
    """Every exercise of the day not started yet, as planned (`services.training.log_sets`), but
    not those that need a load the plan cannot give: they are named for the athlete to log by hand.
    Refusals name the `date` field: a day still to come, no session, nothing left to log."""
    problems = _day_problems(day, today)
    if problems:
        raise ProfileError(problems)
    view = show_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    with uow:
        athlete = current_athlete(uow, athlete_id)
        started = {
            s.exercise_id
            for stored in uow.log.between(athlete.id, start=day, end=day)
            for s in stored.session.sets
        }
    to_log, needs_load = as_planned_split(view.targets, started)
    if not view.targets:
        message = f"no session is planned on {day_text(day)}: log the sets you did one by one"
    elif not to_log and not needs_load:
        message = "every exercise of this session is already logged"
    elif not to_log:
        message = needs_load_text([t.exercise for t in needs_load])
    else:
        log_sets(uow, day=day, catalogue=catalogue, as_planned=True, athlete_id=athlete.id)
        return SessionLogged(day, to_log, needs_load)
    raise ProfileError([FieldProblem("date", message)])


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


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


def _within(
    field: str, value: float | None, low: float, high: float, unit: str = "", *, whole: bool = True
) -> list[FieldProblem]:
    """`value` (None: not given) is a number from `low` to `high`, a whole one when `whole`."""
    if value is None:
        return []
    if not math.isfinite(value):
        return [FieldProblem(field, "enter a number")]
    if whole and not float(value).is_integer():
        return [FieldProblem(field, f"{value:g} is not a whole number; expected {low:g} to {high:g}{unit}")]
    if not low <= value <= high:
        return [FieldProblem(field, f"{value:g}{unit} is out of range; expected {low:g} to {high:g}{unit}")]
    return []


def _day_problems(day: date, today: date) -> list[FieldProblem]:
    if not can_log(day, today):
        return [FieldProblem("date", f"{day_text(day)} is still to come: you can log it on the day")]
    return []


def _set_problems(
    entry: SetEntry, *, catalogue: Catalogue, today: date, units: UnitSystem
) -> list[FieldProblem]:
    problems = _day_problems(entry.day, today)
    if entry.exercise_id not in catalogue:
        problems.append(FieldProblem("exercise_id", f"there is no exercise {entry.exercise_id!r}"))
    if (entry.reps is None) == (entry.seconds is None):
        problems.append(FieldProblem("reps", "give either reps or seconds (for a hold), not both or neither"))
    heaviest, label = display_from_kg(MAX_LOAD_KG, units), units.mass_label
    if entry.load is not None and not (math.isfinite(entry.load) and 0 <= entry.load < heaviest):
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
    pain_during: float | None = None,
    exercise_id: str | None = None,
    morning_pain: float | None = None,
    body_mass: float | None = None,
    red_flags: Iterable[str] = (),
    athlete_id: int | None = None,
    unreadable: Sequence[FieldProblem] = (),
) -> CheckIn:
    """Pain during the day's session (one exercise's sets, or the whole session when no exercise is
    named), the morning check-in and a weigh-in (profile units); red flags are answered with the
    plain see-a-clinician line. Returns the pain-monitoring model's advice after the check-in.
    Pain ratings arrive as typed and must be whole numbers from 0 to 10."""
    flags = tuple(sorted(set(red_flags)))
    problems = [*unreadable, *_day_problems(day, today)]
    problems += _within("pain_during", pain_during, 0, MAX_PAIN)
    problems += _within("morning_pain", morning_pain, 0, MAX_PAIN)
    problems += _within("body_mass", body_mass, MIN_BODY_MASS, MAX_BODY_MASS, whole=False)
    if exercise_id and exercise_id not in catalogue:
        problems.append(FieldProblem("exercise_id", f"there is no exercise {exercise_id!r}"))
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
            uow, day=day, pain=int(pain_during), exercise_id=exercise_id or None, athlete_id=athlete_id
        )
    warnings: list[str] = []
    if morning_pain is not None or body_mass is not None:
        warnings = record_body(
            uow,
            day=day,
            catalogue=catalogue,
            body_mass=body_mass,
            morning_pain=_int(morning_pain),
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
                    [FieldProblem("pain_during", f"log a set on {day_text(day)} first: pain is kept with it")]
                )
            uow.log.correct(stored[0].id, replace(stored[0].session, pain_during=pain))
        else:
            touched = [s for s in stored if any(x.exercise_id == exercise_id for x in s.session.sets)]
            if not touched:
                raise ProfileError(
                    [
                        FieldProblem(
                            "exercise_id",
                            f"no set of this exercise is logged on {day_text(day)}; log one first",
                        )
                    ]
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
