"""Progress over the API: the series behind the progress page, and its Vega-Lite charts.

Every number in a series is SI with its unit in its name (`e1rm_kg`, `mass_kg`, `distance_m`);
running loads are arbitrary units (AU) per day, ratios have no unit. Only `charts` is drawn in the
profile's units, which `units` names.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from ironmile.domain.errors import NotFoundError
from ironmile.domain.loading import MAX_E1RM_REPS
from ironmile.domain.units import UnitSystem
from ironmile.domain.volume import ratio_holds
from ironmile.services.progress import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    MIN_WEEKS,
    Progress,
    progress_charts,
    show_progress,
)
from ironmile.web.api.schemas import ERRORS
from ironmile.web.deps import CatalogueDep, OwnViews, Today, Uow, Viewed
from ironmile.web.view_cache import Made, made_json

router = APIRouter(tags=["progress"], responses=ERRORS)

Weeks = Annotated[int, Query(ge=MIN_WEEKS, le=MAX_WEEKS, description="how many ISO weeks up to today")]


class LiftPointPublic(BaseModel):
    date: dt.date
    e1rm_kg: float
    relative: float | None = Field(description="e1RM ÷ 7-day average body mass; null before a weigh-in")


class LiftPublic(BaseModel):
    exercise_id: str
    name: str
    change_pct: float | None = Field(description="first to last e1RM in the period, in percent")
    points: list[LiftPointPublic] = Field(description="one per non-deload session with an estimate")


class BodyMassPublic(BaseModel):
    date: dt.date
    mass_kg: float
    trend_kg: float = Field(description="7-day trailing average")


class RunningWeekPublic(BaseModel):
    week: dt.date = Field(description="the ISO week's Monday")
    distance_m: float
    runs: int
    ctl: float = Field(description="chronic training load (fitness), AU per day, on the week's last day")
    atl: float = Field(description="acute training load (fatigue), AU per day, on the week's last day")
    acwr: float | None = Field(description="acute:chronic workload ratio (EWMA); null before 28 days")


class LoadTodayPublic(BaseModel):
    date: dt.date
    load: float = Field(description="the day's running load, AU")
    ctl: float = Field(description="chronic training load (fitness), AU per day")
    atl: float = Field(description="acute training load (fatigue), AU per day")
    acwr: float | None = Field(
        description="acute:chronic workload ratio (EWMA); null for 28 days from the first run"
    )
    acwr_band: str | None


class LiftSetsPublic(BaseModel):
    logged: int = Field(description="main-lift sets logged in the period")
    estimating: int = Field(description="of them, sets that estimate a 1RM")
    in_deload: int = Field(description="sets in deload weeks, left out of the e1RM trend")
    unloaded: int = Field(description="sets without a load")
    too_many_reps: int = Field(
        description=f"sets with reps + RIR above {MAX_E1RM_REPS}: no estimate that far from a 1RM"
    )


class BalanceWeekPublic(BaseModel):
    week: str = Field(description="ISO week, e.g. 2027-W01")
    week_start: dt.date
    posterior_sets: int
    anterior_sets: int
    ratio: float | None = Field(description="posterior ÷ anterior sets; null without anterior sets")
    meets_target: bool


class AdherenceWeekPublic(BaseModel):
    week: dt.date = Field(description="the ISO week's Monday")
    planned: int
    done: int


class AdherencePublic(BaseModel):
    planned: int = Field(description="planned sessions in the period, before today")
    done: int
    share: float | None = Field(description="done ÷ planned, 0 to 1; null when nothing was planned")
    missed: list[dt.date]
    weeks: list[AdherenceWeekPublic]


class ProgressPublic(BaseModel):
    as_of: dt.date
    start: dt.date = Field(description="the first day of the period: a Monday")
    weeks: int
    units: UnitSystem = Field(description="the profile's units: the charts' units (series are SI)")
    posterior_target: float = Field(description="weekly posterior ÷ anterior sets the plan aims for")
    summary: str | None = Field(description="strength against body-mass change, when both are known")
    lifts: list[LiftPublic]
    lift_sets: LiftSetsPublic = Field(
        description="why `lifts` may have no points: the period's main-lift sets"
    )
    body_mass: list[BodyMassPublic]
    running_weeks: list[RunningWeekPublic]
    load_today: LoadTodayPublic | None = Field(
        description="today's running load from the runs of the last year (the coach's overview "
        "shows the same); null without runs"
    )
    balance: list[BalanceWeekPublic]
    adherence: AdherencePublic
    charts: dict[str, dict[str, Any] | None] = Field(
        description="Vega-Lite specs by name (e1rm, relative_strength, body_mass, weekly_distance, "
        "fitness, acwr, balance, adherence); null where there is nothing to draw yet"
    )

    @classmethod
    def of(cls, progress: Progress) -> ProgressPublic:
        report, target = progress.report, progress.posterior_target
        trend = dict(report.body_mass_trend)
        sets, load = progress.lift_sets, progress.load_today
        return cls(
            as_of=progress.as_of,
            start=progress.period.start,
            weeks=progress.weeks,
            units=progress.units,
            posterior_target=target,
            summary=report.summary,
            lifts=[
                LiftPublic(
                    exercise_id=lift.exercise_id,
                    name=progress.names.get(lift.exercise_id, lift.exercise_id),
                    change_pct=None if lift.change_pct is None else round(lift.change_pct, 2),
                    points=[
                        LiftPointPublic(
                            date=point.date,
                            e1rm_kg=round(point.e1rm_kg, 2),
                            relative=None
                            if point.relative_strength is None
                            else round(point.relative_strength, 3),
                        )
                        for point in lift.points
                    ],
                )
                for lift in report.lifts
            ],
            lift_sets=LiftSetsPublic(
                logged=sets.logged,
                estimating=sets.estimating,
                in_deload=sets.in_deload,
                unloaded=sets.unloaded,
                too_many_reps=sets.too_many_reps,
            ),
            body_mass=[
                BodyMassPublic(
                    date=entry.date, mass_kg=round(entry.mass_kg, 2), trend_kg=round(trend[entry.date], 2)
                )
                for entry in progress.weigh_ins
            ],
            running_weeks=[
                RunningWeekPublic(
                    week=week.week_start,
                    distance_m=round(week.distance_m, 1),
                    runs=week.runs,
                    ctl=round(week.ctl, 2),
                    atl=round(week.atl, 2),
                    acwr=None if week.acwr is None else round(week.acwr, 3),
                )
                for week in progress.running_weeks
            ],
            load_today=None
            if load is None
            else LoadTodayPublic(
                date=load.day,
                load=round(load.load, 2),
                ctl=round(load.fitness.ctl, 2),
                atl=round(load.fitness.atl, 2),
                acwr=None if load.acwr.ratio is None else round(load.acwr.ratio, 3),
                acwr_band=load.acwr.band.value if load.acwr.band is not None else None,
            ),
            balance=[
                BalanceWeekPublic(
                    week=week.iso_week,
                    week_start=week.week_start,
                    posterior_sets=week.posterior_sets,
                    anterior_sets=week.anterior_sets,
                    ratio=None if week.ratio is None else round(week.ratio, 3),
                    meets_target=ratio_holds(week.posterior_sets, week.anterior_sets, target),
                )
                for week in report.balance
            ],
            adherence=AdherencePublic(
                planned=report.adherence.planned,
                done=report.adherence.done,
                share=report.adherence.share,
                missed=list(report.adherence.missed),
                weeks=[
                    AdherenceWeekPublic(week=week.week_start, planned=week.planned, done=week.done)
                    for week in progress.adherence_weeks
                ],
            ),
            charts=progress_charts(progress),
        )


@router.get("/progress", response_model=ProgressPublic)
async def own_progress(views: OwnViews, weeks: Weeks = DEFAULT_WEEKS) -> Response:
    """Your progress over the last `weeks` ISO weeks up to today (4 to 104, default 12)."""

    def build() -> Made:
        progress = show_progress(
            views.uow, today=views.today, catalogue=views.catalogue, weeks=weeks, athlete_id=views.athlete_id
        )
        return made_json(ProgressPublic.of(progress))

    return await views.answer(("progress", weeks), build)


@router.get("/athletes/{user_id}/progress", response_model=ProgressPublic)
def athlete_progress(
    uow: Uow, catalogue: CatalogueDep, today: Today, viewed: Viewed, weeks: Weeks = DEFAULT_WEEKS
) -> ProgressPublic:
    """An athlete's progress, for a coach of one of their squads (or the athlete); 404 otherwise,
    and for an athlete who has not stored a profile yet."""
    if viewed.athlete_id is None:
        raise NotFoundError(f"athlete {viewed.id} has not stored a training profile yet")
    progress = show_progress(uow, today=today, catalogue=catalogue, weeks=weeks, athlete_id=viewed.athlete_id)
    return ProgressPublic.of(progress)
