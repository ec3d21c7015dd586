"""The training day over the API: read a day's targets and log, log one set (idempotent by its
`request_id`) or undo it by the same id, log a whole session as planned, check in on pain, swap an
exercise. Bad values are refused by the services, every field at once, in the words the Today
page shows, so the request bodies take plain numbers and leave whole numbers and ranges to them.

Writes are for the signed-in athlete only; a coach reads a squad member's day through
`/athletes/{user_id}/today`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from ironmile.domain.athlete import RED_FLAGS
from ironmile.domain.errors import NotFoundError
from ironmile.domain.training import LoggedSet
from ironmile.domain.units import UnitSystem, display_from_m
from ironmile.services.gym_day import GymDay, PainNote, gym_day, swap_on_day
from ironmile.services.set_logging import (
    CheckIn,
    SetEntry,
    check_in,
    log_session_as_planned,
    log_set,
    undo_set,
)
from ironmile.web.api.schemas import ERRORS
from ironmile.web.deps import AthleteId, CatalogueDep, OwnViews, Today, Uow, Viewed
from ironmile.web.params import Day, DayQuery
from ironmile.web.training_helpers import display_load
from ironmile.web.view_cache import Made, made_json

router = APIRouter(tags=["training"], responses=ERRORS)

RequestId = Annotated[str, Path(max_length=100, description="the request_id the set was logged with")]


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


class LoggedSetPublic(SetDone):
    request_id: str | None = Field(description="what undoes the set; null for sets logged as planned")

    @classmethod
    def of_logged(cls, logged: LoggedSet, units: UnitSystem, request_id: str | None) -> LoggedSetPublic:
        return cls(**SetDone.of(logged, units).model_dump(), request_id=request_id)


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
    logged: list[LoggedSetPublic] = Field(description="its sets, those of the exercise it replaced included")
    swap_options: list[ExerciseRef] = Field(description="equivalents to swap to, best first")


class PlannedRunPublic(BaseModel):
    kind: str = Field(description="easy, key, long or race")
    race: str | None


class RecordedRunPublic(BaseModel):
    start: dt.datetime
    distance: float | None = Field(description="profile units (km or mi)")
    duration_s: float | None


class PainNotePublic(BaseModel):
    exercise_ids: list[str] = Field(
        description="empty when the advice is about the whole session or the morning-pain trend"
    )
    whole_session: bool = Field(description="the session's pain during was above 5/10")
    action: str = Field(description="progress, hold or reduce (SCIENCE.md §7)")
    reason: str

    @classmethod
    def of(cls, note: PainNote) -> PainNotePublic:
        return cls(
            exercise_ids=[e.id for e in note.exercises],
            whole_session=note.whole_session,
            action=note.action.value,
            reason=note.reason,
        )


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
    other_logged: list[LoggedSetPublic] = Field(
        description="sets logged on the day for exercises not planned"
    )
    session_pain: int | None
    morning_pain: int | None
    planned_runs: list[PlannedRunPublic]
    recorded_runs: list[RecordedRunPublic]
    pain_advice: list[PainNotePublic]

    @classmethod
    def of(cls, day: GymDay) -> DayPublic:
        view, units = day.view, day.view.units
        logged = [
            LoggedSetPublic.of_logged(s, units, r)
            for s, r in zip(day.done, day.done_request_ids, strict=True)
        ]
        cards = [{t.exercise.id, t.swapped_from} for t in view.targets]
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
                    logged=[s for s in logged if s.exercise_id in card],
                    swap_options=[
                        ExerciseRef(id=e.id, name=e.name)
                        for e in day.swap_options.get(t.swapped_from or t.exercise.id, ())
                    ],
                )
                for t, card in zip(view.targets, cards, strict=True)
            ],
            other_logged=[s for s in logged if not any(s.exercise_id in card for card in cards)],
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
    repeat is answered with the set stored the first time (200) and nothing is logged again.
    Numbers are checked by the service, every field at once: reps, seconds, RIR and pain must be
    whole numbers."""

    date: Day
    exercise_id: str = Field(max_length=100, examples=["back_squat"])
    load: float | None = Field(None, description="profile units (kg or lb), per dumbbell; under 1000 kg")
    reps: float | None = Field(None, description="whole, 0–100, per side for one-sided exercises; or seconds")
    seconds: float | None = Field(None, description="whole, 0–600, for holds")
    rir: float | None = Field(None, description="reps in reserve, whole, 0–10")
    pain: float | None = Field(None, description="pain during the set, whole, 0–10")
    request_id: str = Field(max_length=100, description="a UUID, new for each set")


class SetPublic(SetDone):
    date: dt.date
    request_id: str
    number: int = Field(description="the exercise's 1-based set number on the day")
    replayed: bool = Field(description="true when this request was applied before: nothing new was logged")


class SessionCreate(BaseModel):
    date: Day


class SessionAsPlannedPublic(DayPublic):
    needs_load: list[ExerciseRef] = Field(description="left out: they need a load; log them set by set")


class CheckInCreate(SessionCreate):
    pain_during: float | None = Field(None, description="whole, 0–10, during the session or the exercise")
    exercise_id: str | None = Field(None, max_length=100, description="where the pain was; null: session")
    morning_pain: float | None = Field(None, description="whole, 0–10, the morning after training")
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


@router.get("/today", response_model=DayPublic)
async def get_today(views: OwnViews, day: DayQuery = None) -> Response:
    """The day's targets (loads in profile units, plates per side, rest, reasons) and what is logged."""
    shown = day or views.today

    def build() -> Made:
        return made_json(
            DayPublic.of(
                gym_day(views.uow, day=shown, catalogue=views.catalogue, athlete_id=views.athlete_id)
            )
        )

    return await views.answer(("today", shown), build)


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
        request_id=body.request_id,
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
        request_id=body.request_id,
        number=result.number,
        replayed=result.replayed,
    )


@router.delete("/sets/{request_id}", status_code=204)
def delete_set(request_id: RequestId, uow: Uow, catalogue: CatalogueDep, athlete_id: AthleteId) -> Response:
    """Undo the set logged with this `request_id`: exactly that set leaves its day's session. 404
    for a request that is not the athlete's own, or already undone (a repeat removes nothing)."""
    undo_set(uow, request_id=request_id, catalogue=catalogue, athlete_id=athlete_id)
    return Response(status_code=204)


@router.post("/sessions/as-planned", response_model=SessionAsPlannedPublic, status_code=201)
def post_session_as_planned(
    body: SessionCreate, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> SessionAsPlannedPublic:
    """Log every planned exercise not yet started as planned; exercises with sets logged keep them,
    and those that need a load the plan cannot give are left out and named in `needs_load`."""
    result = log_session_as_planned(
        uow, day=body.date, today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    day = DayPublic.of(gym_day(uow, day=body.date, catalogue=catalogue, athlete_id=athlete_id))
    needs_load = [ExerciseRef(id=t.exercise.id, name=t.exercise.name) for t in result.needs_load]
    return SessionAsPlannedPublic(**day.model_dump(), needs_load=needs_load)


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
    done = swap_on_day(
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
