"""The plan over the API: the stored `ironmile.plan/1` document, a week's calendar, and moving a
session, checked by the planner's placement rules."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from ironmile.domain.errors import NotFoundError
from ironmile.domain.plan import Session
from ironmile.domain.session_move import MoveVerdict, was_moved
from ironmile.domain.units import UnitSystem
from ironmile.render.plan_text import dose_text, load_text
from ironmile.services import schedule
from ironmile.services.schedule import CalendarDay, MoveOption, WeekCalendar
from ironmile.web.api.schemas import ERRORS
from ironmile.web.deps import AthleteId, CatalogueDep, OwnViews, Today, Uow, Viewed
from ironmile.web.view_cache import Made, made_json

router = APIRouter(tags=["plan"], responses=ERRORS)

PLAN_DOCUMENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The `ironmile.plan/1` document in force today, as stored but without its "
        "indentation; its JSON Schema ships as ironmile/data/plan.schema.json (docs/plan-json.md).",
        "content": {"application/json": {"schema": {"type": "object", "title": "ironmile.plan/1"}}},
    }
}


class ExercisePublic(BaseModel):
    id: str
    name: str
    sets: int
    reps: int | None = Field(description="per set (per side when unilateral); null for timed holds")
    seconds: int | None = Field(description="hold per set in seconds; null for repetitions")
    rir: int | None
    load: float | None = Field(description="in the plan's units (kg or lb); null for bodyweight")
    dose: str = Field(description="the dose in words, e.g. 3×5 RIR 2")
    load_text: str = Field(description="the load in words, e.g. 75 kg, bodyweight")


class SessionPublic(BaseModel):
    heavy_lower: bool
    minutes: int = Field(description="estimated duration in minutes")
    why: str = Field(description="why the session is on this day")
    moved: bool = Field(description="the athlete moved it here")
    exercises: list[ExercisePublic]

    @classmethod
    def of(cls, session: Session, units: UnitSystem) -> SessionPublic:
        return cls(
            heavy_lower=session.heavy_lower,
            minutes=session.minutes,
            why=session.why,
            moved=was_moved(session),
            exercises=[
                ExercisePublic(
                    id=item.exercise.id,
                    name=item.exercise.name,
                    sets=item.sets,
                    reps=item.reps,
                    seconds=item.seconds,
                    rir=item.rir,
                    load=item.load,
                    dose=dose_text(item),
                    load_text=load_text(item, units),
                )
                for item in session.exercises
            ],
        )


class RunPublic(BaseModel):
    kind: str = Field(description="easy | key | long | race")
    race: str | None = None


class DayPublic(BaseModel):
    date: date
    phase: str | None = Field(description="the plan week's phase; null outside the plan")
    week: int | None = Field(description="the plan week's number; null outside the plan")
    deload: bool
    runs: list[RunPublic]
    session: SessionPublic | None
    logged: bool = Field(description="a session is in the training log for this day")
    movable: bool = Field(description="the session may move (today or later, not yet logged)")

    @classmethod
    def of(cls, day: CalendarDay, units: UnitSystem) -> DayPublic:
        return cls(
            date=day.date,
            phase=day.phase.value if day.phase else None,
            week=day.week_index,
            deload=day.deload,
            runs=[RunPublic(kind=run.kind, race=run.race) for run in day.runs],
            session=SessionPublic.of(day.session, units) if day.session else None,
            logged=day.logged,
            movable=day.movable,
        )


class WeekPublic(BaseModel):
    monday: date
    previous: date = Field(description="Monday of the week before")
    next: date = Field(description="Monday of the week after")
    units: UnitSystem
    days: list[DayPublic] = Field(description="Monday to Sunday")

    @classmethod
    def of(cls, week: WeekCalendar) -> WeekPublic:
        return cls(
            monday=week.monday,
            previous=week.previous,
            next=week.next,
            units=week.units,
            days=[DayPublic.of(day, week.units) for day in week.days],
        )


class RuleCheckPublic(BaseModel):
    rule: str = Field(description="the placement rule's name")
    title: str
    passed: bool
    reason: str | None = Field(description="why the day breaks the rule; null when it passes")


class MoveVerdictPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    origin: date = Field(alias="from")
    target: date = Field(alias="to")
    heavy_lower: bool
    allowed: bool
    why: str = Field(description="the session's reason after the move, or the first rule it breaks")
    reasons: list[str] = Field(description="every rule the move breaks; empty when allowed")
    checks: list[RuleCheckPublic] = Field(description="every rule that applies to this kind of session")

    @classmethod
    def of(cls, verdict: MoveVerdict) -> MoveVerdictPublic:
        return cls.model_validate(
            {
                "from": verdict.origin,
                "to": verdict.target,
                "heavy_lower": verdict.heavy,
                "allowed": verdict.allowed,
                "why": verdict.why,
                "reasons": list(verdict.reasons),
                "checks": [
                    RuleCheckPublic(rule=c.rule, title=c.title, passed=c.passed, reason=c.reason)
                    for c in verdict.checks
                ],
            }
        )


class MoveOptionPublic(BaseModel):
    date: Annotated[date, Field(description="a day the session could move to")]
    allowed: bool
    reasons: list[str] = Field(description="every rule a move there breaks, or why it cannot be asked")
    verdict: MoveVerdictPublic | None = Field(
        description="rule by rule; null when the day cannot be asked (another plan version is in force)"
    )

    @classmethod
    def of(cls, option: MoveOption) -> MoveOptionPublic:
        verdict = MoveVerdictPublic.of(option.verdict) if option.verdict is not None else None
        return cls(date=option.day, allowed=option.allowed, reasons=list(option.reasons), verdict=verdict)


class MoveCreate(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    origin: date = Field(alias="from", description="the day the session is on (YYYY-MM-DD)")
    target: date = Field(alias="to", description="the day to move it to, in the same week")


class MovedPublic(BaseModel):
    verdict: MoveVerdictPublic
    effective_from: date = Field(description="the new plan version is in force from this day")
    week: WeekPublic


@router.get("/plan", response_class=Response, responses=PLAN_DOCUMENT)
async def get_plan(views: OwnViews) -> Response:
    """The plan in force today as its `ironmile.plan/1` document: the stored document, sent without
    its indentation (a season's plan is 45 % smaller so)."""

    def build() -> Made:
        document = schedule.plan_document(views.uow, today=views.today, athlete_id=views.athlete_id)
        return made_json(compact(document))

    return await views.answer(("plan document",), build)


@router.get("/athletes/{user_id}/plan", response_class=Response, responses=PLAN_DOCUMENT)
def get_athlete_plan(viewed: Viewed, uow: Uow, today: Today) -> Response:
    """An athlete's plan in force today, for the athlete or a coach of one of their squads."""
    if viewed.athlete_id is None:
        raise NotFoundError(f"athlete {viewed.id} has no plan yet")
    document = schedule.plan_document(uow, today=today, athlete_id=viewed.athlete_id)
    return Response(compact(document), media_type="application/json")


def compact(document: str) -> str:
    """The same JSON without whitespace between tokens, its keys in their order."""
    return json.dumps(json.loads(document), ensure_ascii=False, separators=(",", ":"))


@router.get("/plan/week", response_model=WeekPublic)
def get_week(
    uow: Uow,
    catalogue: CatalogueDep,
    today: Today,
    athlete_id: AthleteId,
    day: Annotated[date | None, Query(alias="date", description="a day of the week; default today")] = None,
) -> WeekPublic:
    """Monday to Sunday around `date`: runs, strength sessions with their reasons, deloads."""
    week = schedule.week_calendar(
        uow, day=day or today, today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    return WeekPublic.of(week)


@router.get("/plan/moves", response_model=MoveVerdictPublic, response_model_by_alias=True)
def get_move(
    uow: Uow,
    catalogue: CatalogueDep,
    today: Today,
    athlete_id: AthleteId,
    origin: Annotated[date, Query(alias="from", description="the day the session is on")],
    target: Annotated[date, Query(alias="to", description="the day to move it to")],
) -> MoveVerdictPublic:
    """Whether the rules allow the move, rule by rule; nothing is stored."""
    verdict = schedule.check_move(
        uow, origin=origin, target=target, today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    return MoveVerdictPublic.of(verdict)


@router.get("/plan/moves/options", response_model=list[MoveOptionPublic], response_model_by_alias=True)
def get_move_options(
    uow: Uow,
    catalogue: CatalogueDep,
    today: Today,
    athlete_id: AthleteId,
    origin: Annotated[date, Query(alias="from", description="the day the session is on")],
) -> list[MoveOptionPublic]:
    """Every day the session could move to (the other days of its plan week, today or later), each
    with the rules' verdict, so a client can offer only the days that work; nothing is stored."""
    options = schedule.move_options(
        uow, origin=origin, today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    return [MoveOptionPublic.of(option) for option in options]


@router.post(
    "/plan/moves",
    response_model=MovedPublic,
    responses={422: {"model": ERRORS[422]["model"], "description": "bad days, or a rule refuses the move"}},
)
def post_move(
    body: MoveCreate, uow: Uow, catalogue: CatalogueDep, today: Today, athlete_id: AthleteId
) -> MovedPublic:
    """Move the session as a new plan version from today; 422 with the reasons when a rule says no."""
    moved = schedule.move_session(
        uow, origin=body.origin, target=body.target, today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    week = schedule.week_calendar(
        uow, day=body.target, today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    return MovedPublic(
        verdict=MoveVerdictPublic.of(moved.verdict),
        effective_from=moved.effective_from,
        week=WeekPublic.of(week),
    )
