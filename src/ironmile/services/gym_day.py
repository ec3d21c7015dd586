"""The gym screen's day: the targets with what is logged, the runs, the pain advice and the swap
options, and the swap itself, its refusals worded for the athlete and keyed by field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.plan_snapshot import read_plan
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.activity import Activity, same_run
from ironmile.domain.catalogue import Catalogue, Exercise
from ironmile.domain.errors import FieldProblem, ProfileError
from ironmile.domain.pain import knee_tier
from ironmile.domain.pain_monitor import ACCEPTABLE_PAIN, PainAction, decide
from ironmile.domain.plan import PlannedRun
from ironmile.domain.swapping import equivalents
from ironmile.domain.today import DayTarget, DayView
from ironmile.domain.training import LoggedSession, LoggedSet, MorningPain, Swap
from ironmile.services.review import swap_exercise
from ironmile.services.training import as_planned_split, current_athlete, show_day, version_on

# A client's calendar may run a day ahead of the server's (time zones): a set logged just after
# midnight in Sydney must not be refused, or an offline queue would drop it as bad input.
CLIENT_DAY_SLACK = timedelta(days=1)


def can_log(day: date, today: date) -> bool:
    """Whether sets may be logged on `day` when the server's date is `today`."""
    return day <= today + CLIENT_DAY_SLACK


def day_text(day: date) -> str:
    """A day as people write it: "Tue 1 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"


def needs_load_text(exercises: Sequence[Exercise]) -> str:
    """Why "log the whole session as planned" left these out, and what to do instead."""
    names = ", ".join(exercise.name for exercise in exercises)
    if len(exercises) == 1:
        return f"{names} needs a load: log it on its card"
    return f"{names} need a load: log them on their cards"


@dataclass(frozen=True, slots=True)
class PainNote:
    """What the pain-monitoring model (SCIENCE.md §7) says, for the exercises it concerns; none
    named when it is about the whole session (`whole_session`) or the morning-pain trend alone."""

    exercises: tuple[Exercise, ...]
    action: PainAction
    reason: str
    whole_session: bool = False


@dataclass(frozen=True, slots=True)
class GymDay:
    """Everything the gym screen shows for one day."""

    view: DayView
    deload: bool
    done: tuple[LoggedSet, ...]  # the sets logged on the day, in the order they were lifted (SI)
    # aligned with `done`: the request that logged each set (what undoes it), None for sets logged
    # otherwise (the whole session as planned, the command line)
    done_request_ids: tuple[str | None, ...]
    session_pain: int | None  # 0–10, the session's pain during, if reported
    morning_pain: int | None  # 0–10, the day's morning check-in, if any
    planned_runs: tuple[PlannedRun, ...]
    recorded_runs: tuple[Activity, ...]  # imported runs that started on the day
    pain: tuple[PainNote, ...]
    swap_options: Mapping[str, tuple[Exercise, ...]]  # planned exercise id → equivalents, best first

    def left_to_log(self) -> tuple[tuple[DayTarget, ...], tuple[DayTarget, ...]]:
        """What "log the whole session as planned" would log now, and what it would leave because
        it needs a load (`services.training.as_planned_split`)."""
        return as_planned_split(self.view.targets, {s.exercise_id for s in self.done})


def gym_day(uow: UnitOfWork, *, day: date, catalogue: Catalogue, athlete_id: int | None = None) -> GymDay:
    """The day's targets (`services.training.show_day`) with what is logged, the runs, the pain
    advice and each exercise's swap options."""
    view = show_day(uow, day=day, catalogue=catalogue, athlete_id=athlete_id)
    with uow:
        athlete = current_athlete(uow, athlete_id)
        version = version_on(uow, athlete.id, day)
        plan = read_plan(version.document, catalogue)
        logged = uow.log.between(athlete.id, end=day)
        requests = uow.applied_requests.on_day(athlete.id, day)
        mornings = uow.morning_pain.between(athlete.id, end=day)
        activities = uow.activities.between(athlete.id, start=day, end=day)
        profile = parse_profile(athlete.profile_toml, source="stored profile", today=day, catalogue=catalogue)
    today_sessions = [stored.session for stored in logged if stored.session.date == day]
    done = tuple(s for session in today_sessions for s in session.sets)
    # positions count in the day's first session, the one sets are appended to (services.set_logging)
    by_position = {request.position: request.request_id for request in requests}
    first = len(today_sessions[0].sets) if today_sessions else 0
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
        done=done,
        done_request_ids=tuple(by_position.get(i) if i < first else None for i in range(len(done))),
        session_pain=next((s.pain_during for s in today_sessions if s.pain_during is not None), None),
        morning_pain=next((m.pain for m in mornings if m.date == day), None),
        planned_runs=_planned_runs(version.document, day),
        recorded_runs=_distinct_runs(activities),
        pain=pain_notes([stored.session for stored in logged], mornings, day, catalogue),
        swap_options=options,
    )


def pain_notes(
    sessions: Sequence[LoggedSession], mornings: Sequence[MorningPain], day: date, catalogue: Catalogue
) -> tuple[PainNote, ...]:
    """The model's advice as of `day` for each exercise of the latest session with pain reported
    (the higher of its own rating and the session's), grouped where the advice is the same, led by
    a note on the whole session when its pain was above the acceptable 5/10; and on the
    morning-pain trend when that alone is rising."""
    during: dict[str, list[tuple[date, int]]] = {}
    latest: LoggedSession | None = None
    for session in sorted(sessions, key=lambda s: s.date):
        if session.date > day:
            continue
        for exercise_id, pain in _exercise_pains(session).items():
            during.setdefault(exercise_id, []).append((session.date, pain))
            latest = session
    grouped: dict[tuple[PainAction, str], list[Exercise]] = {}
    for exercise_id, entries in during.items():
        if latest is None or max(entries)[0] != latest.date or exercise_id not in catalogue:
            continue
        decision = decide(exercise_id=exercise_id, during=entries, mornings=mornings, today=day)
        grouped.setdefault((decision.decision, decision.reason), []).append(catalogue.get(exercise_id))
    if not grouped:
        trend = decide(exercise_id="", during=(), mornings=mornings, today=day)
        return (PainNote((), trend.decision, trend.reason),) if trend.decision is PainAction.REDUCE else ()
    notes = tuple(PainNote(tuple(found), action, reason) for (action, reason), found in grouped.items())
    return (*_session_note(latest), *notes)


def _session_note(session: LoggedSession | None) -> tuple[PainNote, ...]:
    """SCIENCE.md §7: pain above 5/10 during the session is outside the acceptable zone, whatever
    a single exercise was rated, so it is said on its own, before the per-exercise advice."""
    if session is None or session.pain_during is None or session.pain_during <= ACCEPTABLE_PAIN:
        return ()
    reason = (
        f"pain {session.pain_during}/10 during the session on {session.date} "
        f"(above {ACCEPTABLE_PAIN}) → lighten every exercise of it next time, and log tomorrow "
        "morning's pain to see whether it settles"
    )
    return (PainNote((), PainAction.REDUCE, reason, whole_session=True),)


def _exercise_pains(session: LoggedSession) -> dict[str, int]:
    """Each exercise's pain in the session: the worst of its own ratings and the session's pain
    during, so a low rating on one set never hides a worse session."""
    reported: dict[str, int] = {}
    for logged in session.sets:
        scores = [
            p for p in (logged.pain, session.pain_during, reported.get(logged.exercise_id)) if p is not None
        ]
        if scores:
            reported[logged.exercise_id] = max(scores)
    return reported


def swap_on_day(
    uow: UnitOfWork,
    *,
    day: date,
    exercise_id: str,
    replacement_id: str | None,
    catalogue: Catalogue,
    athlete_id: int | None = None,
) -> Swap:
    """`services.review.swap_exercise` for the web: each refusal is a ProfileError naming its field
    (`exercise_id`, `replacement_id`) in the athlete's words, checked before anything is stored."""
    chosen = {"exercise_id": exercise_id, "replacement_id": replacement_id}
    problems = [
        FieldProblem(field, f"there is no exercise {value!r}")
        for field, value in chosen.items()
        if value is not None and value not in catalogue
    ]
    if problems:
        raise ProfileError(problems)
    planned = catalogue.get(exercise_id)
    with uow:
        athlete = current_athlete(uow, athlete_id)
        profile = parse_profile(athlete.profile_toml, source="stored profile", today=day, catalogue=catalogue)
    options = equivalents(
        planned, catalogue, equipment=profile.strength.equipment, tier=knee_tier(profile.health)
    )
    if not options:
        message = f"nothing else fits your equipment and knees in place of {planned.name}"
        raise ProfileError([FieldProblem("exercise_id", message)])
    if replacement_id is not None and catalogue.get(replacement_id) not in options:
        names = ", ".join(option.name for option in options[:6])
        message = f"{catalogue.get(replacement_id).name} is not an equivalent of {planned.name}; try {names}"
        raise ProfileError([FieldProblem("replacement_id", message)])
    return swap_exercise(
        uow,
        exercise_id=exercise_id,
        replacement_id=replacement_id,
        day=day,
        catalogue=catalogue,
        athlete_id=athlete_id,
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
