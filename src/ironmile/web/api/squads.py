"""Squads over the API: a coach's squads, the overview of one, invites and members; joining by code.

Quantities are SI (metres) with the member's `units` beside them for display, like the rest of the API.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from ironmile.domain.accounts import Squad
from ironmile.domain.units import UnitSystem
from ironmile.services import accounts
from ironmile.services.squad_overview import Concern, MemberRow, PainZone, led_squads, squad_overview
from ironmile.web.api.schemas import ERRORS
from ironmile.web.deps import AthleteAccount, CatalogueDep, CoachAccount, State, Today, Uow
from ironmile.web.params import DayQuery, SquadId, UserId

router = APIRouter(tags=["squads"], responses=ERRORS)


def invite_url(request: Request, public_url: str | None, invite_code: str) -> str:
    """The full join link: the configured public address, else the address this request came to."""
    base = public_url or str(request.base_url)
    return f"{base.rstrip('/')}/join/{invite_code}"


class SquadCreate(BaseModel):
    name: str = Field(max_length=200, description="1 to 80 characters")


class SquadPublic(BaseModel):
    id: int
    name: str
    invite_code: str
    invite_url: str
    members: int
    created_on: dt.date


class SpikePublic(BaseModel):
    day: dt.date
    distance_m: float
    reference_m: float = Field(description="the longest run of the 30 days before, metres")
    increase: float = Field(description="distance / reference − 1 (0.45 = 45 % longer)")
    category: str | None
    message: str
    source: str


class MemberPublic(BaseModel):
    user_id: int
    email: str
    has_profile: bool
    units: UnitSystem
    last_session: dt.date | None
    sessions_14d: int
    planned_14d: int
    missed_14d: int
    pain_during_7d: int | None = Field(description="0–10, the worst pain during a session in 7 days")
    morning_pain: int | None
    morning_pain_date: dt.date | None
    pain_zone: PainZone
    pain_action: str | None = Field(description="the pain model: progress, hold or reduce")
    pain_reason: str | None
    spike: SpikePublic | None
    week_distance_m: float
    acwr: float | None = Field(description="EWMA acute:chronic ratio (a disputed heuristic)")
    acwr_band: str | None
    concerns: list[Concern]

    @classmethod
    def of(cls, row: MemberRow) -> MemberPublic:
        spike, advice, morning = row.spike, row.pain_advice, row.morning_pain
        return cls(
            user_id=row.user_id,
            email=row.email,
            has_profile=row.has_profile,
            units=row.units,
            last_session=row.last_session,
            sessions_14d=row.sessions,
            planned_14d=row.planned,
            missed_14d=row.missed,
            pain_during_7d=row.pain_during,
            morning_pain=morning.pain if morning else None,
            morning_pain_date=morning.date if morning else None,
            pain_zone=row.pain_zone,
            pain_action=advice.decision.value if advice else None,
            pain_reason=advice.reason if advice else None,
            spike=SpikePublic(
                day=spike.day,
                distance_m=spike.distance_m,
                reference_m=spike.reference_m,
                increase=spike.increase,
                category=spike.category.value if spike.category else None,
                message=spike.message,
                source=spike.source,
            )
            if spike
            else None,
            week_distance_m=row.week_distance_m,
            acwr=row.acwr.ratio if row.acwr else None,
            acwr_band=row.acwr.band.value if row.acwr and row.acwr.band else None,
            concerns=list(row.concerns),
        )


class SquadOverviewPublic(BaseModel):
    squad: SquadPublic
    as_of: dt.date
    members: list[MemberPublic] = Field(description="those needing attention first")


class JoinCreate(BaseModel):
    invite_code: str = Field(max_length=200)


class JoinedPublic(BaseModel):
    id: int
    name: str


def _public(request: Request, state: State, squad: Squad, members: int) -> SquadPublic:
    return SquadPublic(
        id=squad.id,
        name=squad.name,
        invite_code=squad.invite_code,
        invite_url=invite_url(request, state.settings.public_url, squad.invite_code),
        members=members,
        created_on=squad.created_on,
    )


@router.get("/squads", response_model=list[SquadPublic])
def list_squads(request: Request, coach: CoachAccount, uow: Uow, state: State) -> list[SquadPublic]:
    """The squads you lead (coach accounts)."""
    return [_public(request, state, squad, count) for squad, count in led_squads(uow, coach=coach)]


@router.post("/squads", response_model=SquadPublic, status_code=201)
def create_squad(
    body: SquadCreate, request: Request, coach: CoachAccount, uow: Uow, state: State, today: Today
) -> SquadPublic:
    """A new squad with its invite link."""
    squad = accounts.create_squad(uow, coach=coach, name=body.name, today=today)
    return _public(request, state, squad, 0)


@router.get("/squads/{squad_id}", response_model=SquadOverviewPublic)
def get_squad(
    squad_id: SquadId,
    request: Request,
    coach: CoachAccount,
    uow: Uow,
    state: State,
    catalogue: CatalogueDep,
    today: Today,
    day: DayQuery = None,
) -> SquadOverviewPublic:
    """Who trains, who hurts, whose mileage spiked: one row per member."""
    overview = squad_overview(
        uow, coach=coach, squad_id=squad_id, day=day or today, catalogue=catalogue, kept=state.squad_rows
    )
    return SquadOverviewPublic(
        squad=_public(request, state, overview.squad, len(overview.rows)),
        as_of=overview.as_of,
        members=[MemberPublic.of(row) for row in overview.rows],
    )


@router.post("/squads/{squad_id}/invite", response_model=SquadPublic)
def renew_invite(
    squad_id: SquadId, request: Request, coach: CoachAccount, uow: Uow, state: State
) -> SquadPublic:
    """A new invite code; the old link stops working at once (members stay)."""
    squad = accounts.renew_invite(uow, coach=coach, squad_id=squad_id)
    members = {s.id: count for s, count in led_squads(uow, coach=coach)}
    return _public(request, state, squad, members.get(squad.id, 0))


@router.delete("/squads/{squad_id}/members/{user_id}", status_code=204)
def remove_member(squad_id: SquadId, user_id: UserId, coach: CoachAccount, uow: Uow) -> Response:
    """Take an athlete out of the squad; you no longer see their data through it."""
    accounts.remove_member(uow, coach=coach, squad_id=squad_id, user_id=user_id)
    return Response(status_code=204)


@router.post("/squads/join", response_model=JoinedPublic)
def join_squad(body: JoinCreate, athlete: AthleteAccount, uow: Uow, today: Today) -> JoinedPublic:
    """Join the squad an invite code names (athlete accounts); joining twice changes nothing."""
    squad = accounts.join_squad(uow, athlete=athlete, invite_code=body.invite_code, today=today)
    return JoinedPublic(id=squad.id, name=squad.name)
