"""The athlete's profile over the API: create it (onboarding without the wizard), read it, replace it.

The profile travels as its TOML text (docs/profile.md), or, when created, as JSON answers with the
same sections and names. Either way the profile parser judges it: problems come back as 422 with
each field named as the file names it (`strength.available_days[2]`).
"""

from __future__ import annotations

import datetime as dt
from typing import Self

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ironmile.adapters.profile_writer import LiftAnswer, ProfileAnswers, RaceAnswer
from ironmile.domain.plan import Plan
from ironmile.services import onboarding, review
from ironmile.web.api.schemas import ERRORS, Problem
from ironmile.web.deps import AthleteAccount, AthleteId, CatalogueDep, Today, Uow

router = APIRouter(tags=["profile"], responses=ERRORS)

MAX_PROFILE_CHARS = 100_000  # a full profile is about 2,000 characters


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AthleteAnswersIn(_Section):
    body_mass: float | None = Field(default=None, description="kg, or lb with units = imperial")
    units: str = "metric"
    strength_level: str = "novice"
    goal: str = "strength"
    name: str | None = None
    sex: str | None = None
    resting_heart_rate: int | None = None
    max_heart_rate: int | None = None
    time_zone: str | None = None


class RunningAnswersIn(_Section):
    weekly_distance: float | None = Field(default=None, description="km, or mi with units = imperial")
    run_days: list[str] = []
    key_days: list[str] = []
    long_run_day: str | None = None


class RaceAnswersIn(_Section):
    date: dt.date | None = None
    distance: float | None = Field(default=None, description="km, or mi with units = imperial")
    priority: str = "A"
    name: str | None = None


class StrengthAnswersIn(_Section):
    available_days: list[str] = []
    session_minutes: int | None = None
    start_date: dt.date | None = None
    weeks: int | None = None
    sessions_per_week: int | None = None
    equipment: list[str] = []
    e1rm_formula: str | None = None


class HealthAnswersIn(_Section):
    knee_pain: int = 0
    red_flags: list[str] = []


class BridgeIn(_Section):
    left: int | None = None
    right: int | None = None


class ScreenAnswersIn(_Section):
    single_leg_bridge: BridgeIn | None = None
    felt_in: str | None = None
    hq_ratio: float | None = None


class LiftIn(_Section):
    load: float
    reps: int
    rir: int = 0


class ProfileAnswersIn(_Section):
    """The profile's sections and fields as JSON (dates as "YYYY-MM-DD"); see docs/profile.md."""

    athlete: AthleteAnswersIn = AthleteAnswersIn()
    running: RunningAnswersIn = RunningAnswersIn()
    races: list[RaceAnswersIn] = []
    strength: StrengthAnswersIn = StrengthAnswersIn()
    health: HealthAnswersIn = HealthAnswersIn()
    screen: ScreenAnswersIn = ScreenAnswersIn()
    lifts: dict[str, LiftIn] = {}

    def answers(self) -> ProfileAnswers:
        bridge = self.screen.single_leg_bridge or BridgeIn()
        return ProfileAnswers(
            **self.athlete.model_dump(),
            **self.running.model_dump(exclude={"run_days", "key_days"}),
            run_days=tuple(self.running.run_days),
            key_days=tuple(self.running.key_days),
            races=tuple(RaceAnswer(r.date, r.distance, r.priority, r.name) for r in self.races),
            **self.strength.model_dump(exclude={"available_days", "equipment"}),
            available_days=tuple(self.strength.available_days),
            equipment=tuple(self.strength.equipment),
            knee_pain=self.health.knee_pain,
            red_flags=tuple(self.health.red_flags),
            bridge_left=bridge.left,
            bridge_right=bridge.right,
            felt_in=self.screen.felt_in,
            hq_ratio=self.screen.hq_ratio,
            lifts=tuple(
                (lift_id, LiftAnswer(lift.load, lift.reps, lift.rir)) for lift_id, lift in self.lifts.items()
            ),
        )


class ProfileCreate(BaseModel):
    """Exactly one of `toml` (the profile file's text) and `answers`."""

    toml: str | None = Field(default=None, max_length=MAX_PROFILE_CHARS)
    answers: ProfileAnswersIn | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.toml is None) == (self.answers is None):
            raise ValueError("send either toml (the profile's text) or answers, not both and not neither")
        return self


class ProfileUpdate(BaseModel):
    toml: str = Field(max_length=MAX_PROFILE_CHARS)


class ProfilePublic(BaseModel):
    toml: str


class PlanSummary(BaseModel):
    """The plan just made. Dates are ISO dates; `strength_sessions` counts the whole plan."""

    athlete_id: int
    units: str
    start_date: dt.date
    end_date: dt.date
    weeks: int
    strength_sessions: int
    warnings: list[str]
    effective_from: dt.date | None = Field(
        default=None, description="after a change: the new plan's first day"
    )

    @classmethod
    def of(cls, athlete_id: int, plan: Plan, effective_from: dt.date | None = None) -> PlanSummary:
        return cls(
            athlete_id=athlete_id,
            units=plan.units.value,
            start_date=plan.start_date,
            end_date=plan.end_date,
            weeks=len(plan.weeks),
            strength_sessions=sum(len(week.sessions) for week in plan.weeks),
            warnings=list(plan.warnings),
            effective_from=effective_from,
        )


EXISTS: dict[int | str, dict[str, object]] = {
    409: {"model": Problem, "description": "this account has a profile already (use PUT)"}
}


@router.post("/profile", response_model=PlanSummary, status_code=201, responses=EXISTS)
def create_profile(
    body: ProfileCreate, account: AthleteAccount, uow: Uow, today: Today, catalogue: CatalogueDep
) -> PlanSummary:
    """Store the signed-in athlete's first profile and build their plan."""
    profile = body.answers.answers() if body.answers is not None else body.toml or ""
    try:
        finished = onboarding.finish(uow, account=account, profile=profile, today=today, catalogue=catalogue)
    except onboarding.ProfileExists as error:
        raise HTTPException(409, str(error)) from None
    return PlanSummary.of(finished.athlete_id, finished.plan)


@router.get("/profile", response_model=ProfilePublic)
def get_profile(athlete_id: AthleteId, uow: Uow) -> ProfilePublic:
    """The stored profile's TOML text, as written or last changed."""
    return ProfilePublic(toml=review.show_profile(uow, athlete_id=athlete_id))


@router.put("/profile", response_model=PlanSummary)
def put_profile(
    body: ProfileUpdate, athlete_id: AthleteId, uow: Uow, today: Today, catalogue: CatalogueDep
) -> PlanSummary:
    """Replace the profile and re-plan from today on (the past, logged sets included, stays)."""
    replanned = review.edit_profile(
        uow, profile_text=body.toml, source="profile", today=today, catalogue=catalogue, athlete_id=athlete_id
    )
    return PlanSummary.of(athlete_id, replanned.plan, replanned.effective_from)
