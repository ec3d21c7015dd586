"""The training day over the API: read a day's targets and log, log one set (idempotent by its
`request_id`), log a whole session as planned, check in on pain, swap an exercise.

Writes are for the signed-in athlete only; a coach reads a squad member's day through
`/athletes/{user_id}/today`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.domain.athlete import RED_FLAGS
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import FieldProblem, InputError, NotFoundError, ProfileError
from ironmile.domain.training import LoggedSet, Swap
from ironmile.domain.units import UnitSystem, display_from_kg, display_from_m
from ironmile.services.review import swap_exercise
from ironmile.services.set_logging import CheckIn, GymDay, PainNote, SetEntry, check_in, gym_day, log_set
from ironmile.services.training import log_sets
from ironmile.web.api.schemas import ERRORS
from ironmile.web.deps import AthleteId, CatalogueDep, Today, Uow, Viewed

router = APIRouter(tags=["training"], responses=ERRORS)

# The days the web accepts: wide, and clear of the calendar's ends, where a week's arithmetic overflows.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
Day = Annotated[dt.date, Field(ge=EARLIEST, le=LATEST)]
DayQuery = Annotated[
    dt.date | None,
    Query(alias="date", ge=EARLIEST, le=LATEST, description="the day (YYYY-MM-DD); default today"),
]


def display_load(load_kg: float | None, units: UnitSystem) -> float | None:
    """A stored load (kg) in the profile's units, to the hundredth (135 lb, not 134.99999)."""
    return None if load_kg is None else round(display_from_kg(load_kg, units), 2)


class SetDone(BaseModel):
    """A logged set; `load` in the profile's units (per dumbbell), null for bodyweight."""

    exercise_id: str
    load: float | None
    reps: int | None
    seconds: int | None
    rir: int | None
    pain: int | None

    @classmethod
    def of(cls, logged: LoggedSet, units: UnitSystem) -> SetDone:
        return cls(
            exercise_id=logged.exercise_id,
            load=display_load(logged.load_kg, units),
            reps=logged.reps,
            seconds=logged.seconds,
            rir=logged.rir,
            pain=logged.pain,
        )


class ExerciseRef(BaseModel):
    id: str
    name: str


class TargetPublic(BaseModel):
    """One exercise of the day: the target, the plates per side, what is logged, what could replace it."""

    id: str
    name: str
    role: str
    implement: str
    unilateral: bool = Field(description="reps are per side")
    sets: int
    reps: int | None
    seconds: int | None
    rir: int | None
    load: float | None = Field(description="profile units, per dumbbell; null: bodyweight or by feel")
    plates_per_side: list[float] | None = Field(description="barbell only, heaviest first; []: empty bar")
    rest_seconds: int
    cue: str
    why: str
    swapped_from: str | None
    back_to_foundation: bool
    logged: list[SetDone]
    swap_options: list[ExerciseRef] = Field(description="equivalents to swap to, best first")


class PlannedRunPublic(BaseModel):
    kind: str = Field(description="easy, key, long or race")
    race: str | None


class RecordedRunPublic(BaseModel):
    start: dt.datetime
    distance: float | None = Field(description="profile units (km or mi)")
    duration_s: float | None


class PainNotePublic(BaseModel):
    exercise_ids: list[str] = Field(description="empty when the advice is about the morning-pain trend")
    action: str = Field(description="progress, hold or reduce (SCIENCE.md §7)")
    reason: str

    @classmethod
    def of(cls, note: PainNote) -> PainNotePublic:
        return cls(exercise_ids=[e.id for e in note.exercises], action=note.action.value, reason=note.reason)


class DayPublic(BaseModel):
    date: dt.date
    units: UnitSystem
    mass_unit: str
    heavy_lower: bool
    why: str | None = Field(description="null on a day without a strength session")
    deload: bool
    running_note: str | None
    safety: list[str] = Field(description="the plan's see-a-clinician warnings")
    next_session: dt.date | None
    exercises: list[TargetPublic]
    other_logged: list[SetDone] = Field(description="sets logged on the day for exercises not planned")
    session_pain: int | None
    morning_pain: int | None
    planned_runs: list[PlannedRunPublic]
    recorded_runs: list[RecordedRunPublic]
    pain_advice: list[PainNotePublic]

    @classmethod
    def of(cls, day: GymDay) -> DayPublic:
        view, units = day.view, day.view.units
        planned = {t.exercise.id for t in view.targets}
        return cls(
            date=view.day,
            units=units,
            mass_unit=units.mass_label,
            heavy_lower=view.heavy_lower,
            why=view.why,
            deload=day.deload,
            running_note=view.running_note,
            safety=list(view.safety),
            next_session=view.next_session,
            exercises=[
                TargetPublic(
                    id=t.exercise.id,
                    name=t.exercise.name,
                    role=t.role.value,
                    implement=t.exercise.implement,
                    unilateral=t.exercise.unilateral,
                    sets=t.sets,
                    reps=t.reps,
                    seconds=t.seconds,
                    rir=t.rir,
                    load=t.load,
                    plates_per_side=None if t.plates_per_side is None else list(t.plates_per_side),
                    rest_seconds=t.rest_seconds,
                    cue=t.exercise.cue,
                    why=t.why,
                    swapped_from=t.swapped_from,
                    back_to_foundation=t.back_to_foundation,
                    logged=[SetDone.of(s, units) for s in day.done if s.exercise_id == t.exercise.id],
                    swap_options=[
                        ExerciseRef(id=e.id, name=e.name)
                        for e in day.swap_options.get(t.swapped_from or t.exercise.id, ())
                    ],
                )
                for t in view.targets
            ],
            other_logged=[SetDone.of(s, units) for s in day.done if s.exercise_id not in planned],
            session_pain=day.session_pain,
            morning_pain=day.morning_pain,
            planned_runs=[PlannedRunPublic(kind=r.kind, race=r.race) for r in day.planned_runs],
            recorded_runs=[
                RecordedRunPublic(
                    start=run.start,
                    distance=None
                    if run.distance_m is None
                    else round(display_from_m(run.distance_m, units), 2),
                    duration_s=run.duration_s,
                )
                for run in day.recorded_runs
            ],
            pain_advice=[PainNotePublic.of(note) for note in day.pain],
        )


class SetCreate(BaseModel):
    """One set. Send a new `request_id` (a UUID) per set and the same one when retrying it: a
    repeat is answered with the set stored the first time (200) and nothing is logged again."""

    date: Day
    exercise_id: str = Field(max_length=100, examples=["back_squat"])
    load: float | None = Field(None, description="profile units (kg or lb), per dumbbell; under 1000 kg")
    reps: int | None = Field(None, description="0–100, per side for one-sided exercises; or give seconds")
    seconds: int | None = Field(None, description="0–600, for holds")
    rir: int | None = Field(None, description="reps in reserve, 0–10")
    pain: int | None = Field(None, description="pain during the set, 0–10")
    request_id: uuid.UUID


class SetPublic(SetDone):
    date: dt.date
    request_id: str
    number: int = Field(description="the exercise's 1-based set number on the day")
    replayed: bool = Field(description="true when this request was applied before: nothing new was logged")


class SessionCreate(BaseModel):
    date: Day


class CheckInCreate(SessionCreate):
    pain_during: int | None = Field(None, description="0–10, during the session or the named exercise")
    exercise_id: str | None = Field(None, max_length=100, description="where the pain was; null: session")
    morning_pain: int | None = Field(None, description="0–10, the morning after training")
    body_mass: float | None = Field(None, description="profile units (kg or lb)")
    red_flags: list[str] = Field(default_factory=list, max_length=len(RED_FLAGS), examples=[["swelling"]])


class CheckInPublic(BaseModel):
    advice: list[PainNotePublic]
    see_clinician: str | None = Field(description="shown plainly when a red flag was reported")
    warnings: list[str]

    @classmethod
    def of(cls, result: CheckIn) -> CheckInPublic:
        return cls(
            advice=[PainNotePublic.of(note) for note in result.advice],
            see_clinician=result.see_clinician,
            warnings=list(result.warnings),
        )


class SwapCreate(BaseModel):
    date: Day = Field(description="the swap holds from this day on")
    exercise_id: str = Field(max_length=100, description="the planned exercise")
    replacement_id: str | None = Field(None, max_length=100, description="null: the best equivalent")


class SwapPublic(BaseModel):
    since: dt.date
    exercise_id: str
    replacement: ExerciseRef


def log_as_planned(uow: UnitOfWork, *, day: dt.date, catalogue: Catalogue, athlete_id: int) -> None:
    """`services.training.log_sets(as_planned=True)`, its refusals (no session that day, all of it
    logged already) as a problem with the `date` field, in the web's words rather than the CLI's."""
    try:
        log_sets(uow, day=day, catalogue=catalogue, as_planned=True, athlete_id=athlete_id)
    except InputError as error:
        raise ProfileError([FieldProblem("date", str(error).removeprefix("--as-planned: "))]) from None


def swap(
    uow: UnitOfWork,
    *,
    day: dt.date,
    exercise_id: str,
    replacement_id: str | None,
    catalogue: Catalogue,
    athlete_id: int,
) -> Swap:
    """`services.review.swap_exercise`, with unknown ids and a replacement that is not an
    equivalent refused as bad input naming the field (the CLI says "--to")."""
    chosen = {"exercise_id": exercise_id, "replacement_id": replacement_id}
    problems = [
        FieldProblem(field, f"no exercise {value!r} in the catalogue")
        for field, value in chosen.items()
        if value is not None and value not in catalogue
    ]
    if problems:
        raise ProfileError(problems)
    try:
        return swap_exercise(
            uow,
            exercise_id=exercise_id,
            replacement_id=replacement_id,
            day=day,
            catalogue=catalogue,
            athlete_id=athlete_id,
        )
    except InputError as error:
        raise ProfileError([FieldProblem("replacement_id", str(error).removeprefix("--to: "))]) from None


@router.get("/today", response_model=DayPublic)
def get_today(
    uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId, day: DayQuery = None
) -> DayPublic:
    """The day's targets (loads in profile units, plates per side, rest, reasons) and what is logged."""
    return DayPublic.of(gym_day(uow, day=day or today, catalogue=catalogue, athlete_id=athlete_id))


@router.get("/athletes/{user_id}/today", response_model=DayPublic)
def get_athlete_today(
    viewed: Viewed, uow: Uow, catalogue: CatalogueDep, today: Today, day: DayQuery = None
) -> DayPublic:
    """An athlete's day, for the athlete or a coach of one of their squads."""
    if viewed.athlete_id is None:
        raise NotFoundError(f"athlete {viewed.id} has no profile yet, so no training day to show")
    return DayPublic.of(gym_day(uow, day=day or today, catalogue=catalogue, athlete_id=viewed.athlete_id))


@router.post(
    "/sets",
    response_model=SetPublic,
    status_code=201,
    responses={
        200: {"model": SetPublic, "description": "a repeated request_id: the set stored the first time"}
    },
)
def post_set(
    body: SetCreate,
    response: Response,
    uow: Uow,
    catalogue: CatalogueDep,
    today: Today,
    athlete_id: AthleteId,
) -> SetPublic:
    """Log one set; 201 when logged, 200 when this `request_id` was logged before."""
    entry = SetEntry(body.date, body.exercise_id, body.load, body.reps, body.seconds, body.rir, body.pain)
    result = log_set(
        uow,
        entry=entry,
        request_id=str(body.request_id),
        today=today,
        catalogue=catalogue,
        athlete_id=athlete_id,
    )
    if result.replayed:
        response.status_code = 200
    done = SetDone.of(result.logged, result.units)
    return SetPublic(
        **done.model_dump(),
        date=result.day,
        request_id=str(body.request_id),
        number=result.number,
        replayed=result.replayed,
    )


@router.post("/sessions/as-planned", response_model=DayPublic, status_code=201)
def post_session_as_planned(
    body: SessionCreate, uow: Uow, catalogue: CatalogueDep, athlete_id: AthleteId
) -> DayPublic:
    """Log every planned exercise not yet started as planned; exercises with sets logged keep them."""
    log_as_planned(uow, day=body.date, catalogue=catalogue, athlete_id=athlete_id)
    return DayPublic.of(gym_day(uow, day=body.date, catalogue=catalogue, athlete_id=athlete_id))


@router.post("/checkins", response_model=CheckInPublic, status_code=201)
def post_check_in(
    body: CheckInCreate, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> CheckInPublic:
    """Pain during the session (or one exercise), the morning-after pain, a weigh-in and red flags;
    answers with the pain-monitoring model's advice (SCIENCE.md §7)."""
    result = check_in(
        uow,
        day=body.date,
        today=today,
        catalogue=catalogue,
        pain_during=body.pain_during,
        exercise_id=body.exercise_id,
        morning_pain=body.morning_pain,
        body_mass=body.body_mass,
        red_flags=body.red_flags,
        athlete_id=athlete_id,
    )
    return CheckInPublic.of(result)


@router.post("/swaps", response_model=SwapPublic, status_code=201)
def post_swap(body: SwapCreate, uow: Uow, catalogue: CatalogueDep, athlete_id: AthleteId) -> SwapPublic:
    """Replace a planned exercise from `date` on with an equivalent (see `swap_options` on the day)."""
    done = swap(
        uow,
        day=body.date,
        exercise_id=body.exercise_id,
        replacement_id=body.replacement_id,
        catalogue=catalogue,
        athlete_id=athlete_id,
    )
    chosen = catalogue.get(done.replacement_id)
    return SwapPublic(
        since=done.since,
        exercise_id=done.exercise_id,
        replacement=ExerciseRef(id=chosen.id, name=chosen.name),
    )
