"""The coach's view: who trains, who hurts, whose mileage spiked (DESIGN.md), one row per member of
a squad as of a day, and one athlete's summary for their coach.

Every query per member but one reads a bounded window (14 days of sessions, at most 26 weeks back
for the last one, one plan version per re-plan inside the fortnight), so those cost the same for a
member with a decade of history as for a new one. The one is the running history of the last year:
the running load (`services.progress.running_load`) starts at its first run, so the coach sees the
ACWR the athlete's progress page shows. It is one query per member, a row per activity.
Access is the caller's: `squad_overview` checks that the coach leads the squad; `athlete_summary`
takes an account the web layer has already allowed (deps.Viewed).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.plan_snapshot import read_plan
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.accounts import Account, Squad
from ironmile.domain.activity import Activity
from ironmile.domain.athlete import Profile
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import NotFoundError, ProfileError
from ironmile.domain.pain_monitor import ACCEPTABLE_PAIN, PainAction, PainDecision, decide
from ironmile.domain.plan import Session, StoredPlan
from ironmile.domain.running_load import AcwrDay
from ironmile.domain.running_report import LoadDay
from ironmile.domain.running_weeks import Flag, monday_of, run_distance_m, spike_in_week
from ironmile.domain.training import LoggedSession, MorningPain
from ironmile.domain.units import UnitSystem
from ironmile.services.accounts import led_squad
from ironmile.services.progress import LOAD_HISTORY, running_load

TRAINING_WINDOW = timedelta(days=14)  # "sessions in the last 14 days" and the pain model's two weeks
PAIN_WINDOW = timedelta(days=7)  # "pain now": the worst of the last 7 days
LAST_SEEN_WINDOW = timedelta(weeks=26)  # how far back the last session is looked for
MISSED_SESSIONS_FLAG = 2  # convention: one missed session in a fortnight is life, two is a pattern


class PainZone(StrEnum):
    """The pain-monitoring model's zones (SCIENCE.md §7) for the worst pain of the last 7 days."""

    NONE = "none"  # nothing above 0 reported
    ACCEPTABLE = "acceptable"  # 1 to ACCEPTABLE_PAIN (5/10)
    ABOVE = "above"  # above the acceptable edge


class Concern(StrEnum):
    """Why a member needs the coach's attention, most serious first."""

    PAIN = "hurts"
    SPIKE = "mileage spiked"
    MISSED = "missed sessions"
    NO_PROFILE = "no profile yet"


@dataclass(frozen=True, slots=True)
class MemberRow:
    user_id: int
    email: str
    has_profile: bool
    units: UnitSystem  # for showing distances; metric without a profile
    last_session: date | None  # within the last 26 weeks
    sessions: int  # logged in the 14 days up to the day
    planned: int  # planned in those 14 days, by the plan version in force each day
    missed: int  # planned days before the day with nothing logged
    pain_during: int | None  # 0–10: the worst pain during a session in the last 7 days
    morning_pain: MorningPain | None  # the latest morning check-in on or before the day
    pain_zone: PainZone
    pain_advice: PainDecision | None  # the pain model on the last 14 days; None without any pain logged
    spike: Flag | None  # the largest run spike of this week so far (services.training.show_day's)
    load: LoadDay | None  # the day's running load (services.progress.running_load); None without runs
    week_distance_m: float  # metres run this week (Monday to the day)
    concerns: tuple[Concern, ...]

    @property
    def acwr(self) -> AcwrDay | None:
        """The day's acute:chronic workload ratio, as the athlete's progress page shows it."""
        return self.load.acwr if self.load is not None else None


@dataclass(frozen=True, slots=True)
class SquadOverview:
    squad: Squad
    as_of: date
    rows: tuple[MemberRow, ...]  # members needing attention first


@dataclass(frozen=True, slots=True)
class PlanDay:
    session: Session
    done: bool  # a session is logged that day


@dataclass(frozen=True, slots=True)
class AthleteSummary:
    row: MemberRow
    profile: Profile | None  # None before onboarding, or when the stored profile no longer parses
    week: tuple[PlanDay, ...]  # the calendar week (Monday to Sunday) of the day
    sessions: tuple[LoggedSession, ...]  # the last 14 days, latest first
    mornings: tuple[MorningPain, ...]  # the last 14 days, latest first


@dataclass(frozen=True, slots=True)
class _Facts:
    """What one member's row and summary are made from, read in one bounded pass."""

    profile: Profile | None
    units: UnitSystem
    versions: tuple[tuple[date, StoredPlan], ...]  # (in force from, plan), newest first
    sessions: tuple[LoggedSession, ...]  # the 14-day window, by date
    last_session: date | None
    mornings: tuple[MorningPain, ...]  # the 14-day window, by date
    latest_morning: MorningPain | None
    runs: tuple[Activity, ...]  # every run on record up to the day, by start
    load: LoadDay | None  # the day's running load, from every run on record


# --- use cases ----------------------------------------------------------------------------------------


class KeptRows(Protocol):
    """Rows made before, by (member, version of their data, day): a member whose data has not
    changed is not read again (web.view_cache.ViewCache is one)."""

    def get(self, key: Hashable) -> MemberRow | None: ...

    def put(self, key: Hashable, value: MemberRow) -> None: ...


def squad_overview(
    uow: UnitOfWork,
    *,
    coach: Account,
    squad_id: int,
    day: date,
    catalogue: Catalogue,
    kept: KeptRows | None = None,
) -> SquadOverview:
    """Every member of a squad `coach` leads (else "not found"), as of `day`. With `kept`, a
    member's row is read again only when their data has changed since it was made."""
    squad = led_squad(uow, coach=coach, squad_id=squad_id)
    with uow:
        rows = [_member_row(uow, member, day, catalogue, kept) for member in uow.accounts.members(squad.id)]
    return SquadOverview(squad, day, tuple(sorted(rows, key=attention_order)))


def _member_row(
    uow: UnitOfWork, member: Account, day: date, catalogue: Catalogue, kept: KeptRows | None
) -> MemberRow:
    if kept is None or member.athlete_id is None:
        return _row(member, _facts(uow, member, day, catalogue), day)
    # The version is read before the data, so a kept row is never older than its key says.
    version = uow.data_versions.version(member.athlete_id)
    key = ("squad row", member, version, day)
    found = kept.get(key) if version is not None else None
    if found is None:
        found = _row(member, _facts(uow, member, day, catalogue), day)
        if version is not None:
            kept.put(key, found)
    return found


def athlete_summary(uow: UnitOfWork, *, account: Account, day: date, catalogue: Catalogue) -> AthleteSummary:
    """One athlete as their coach sees them: the overview row, profile basics, the week's plan,
    recent sessions and pain. `account` must already be one the viewer may read."""
    with uow:
        facts = _facts(uow, account, day, catalogue)
    monday = monday_of(day)
    logged_days = {session.date for session in facts.sessions}
    week = tuple(
        PlanDay(session, session.date in logged_days)
        for offset in range(7)
        if (session := _planned(facts.versions, monday + timedelta(days=offset))) is not None
    )
    return AthleteSummary(
        row=_row(account, facts, day),
        profile=facts.profile,
        week=week,
        sessions=tuple(reversed(facts.sessions)),
        mornings=tuple(reversed(facts.mornings)),
    )


def led_squads(uow: UnitOfWork, *, coach: Account) -> list[tuple[Squad, int]]:
    """The squads `coach` leads, each with its number of members."""
    with uow:
        return [
            (squad, len(uow.accounts.members(squad.id))) for squad in uow.accounts.squads_led_by(coach.id)
        ]


def squad_for_invite(uow: UnitOfWork, *, invite_code: str) -> Squad:
    """The squad an invite link names, for the join page; the same answer as joining for a bad one."""
    with uow:
        squad = uow.accounts.squad_by_invite(invite_code.strip())
    if squad is None:
        raise NotFoundError("that invite link is not valid (it may have been renewed); ask your coach")
    return squad


def attention_order(row: MemberRow) -> tuple[int, int, int, str]:
    """Members with concerns first, the most serious concern first, then more concerns, then email."""
    ranks = [list(Concern).index(concern) for concern in row.concerns]
    return (0 if ranks else 1, min(ranks, default=0), -len(ranks), row.email)


# --- one member ---------------------------------------------------------------------------------------


def _facts(uow: UnitOfWork, account: Account, day: date, catalogue: Catalogue) -> _Facts:
    """Read inside an open unit of work: about 8 queries, all but the running history's small
    whatever the history's length."""
    stored = uow.athletes.get(account.athlete_id) if account.athlete_id is not None else None
    if stored is None:
        return _Facts(None, UnitSystem.METRIC, (), (), None, (), None, (), None)
    first = day - TRAINING_WINDOW + timedelta(days=1)
    try:
        profile: Profile | None = parse_profile(
            stored.profile_toml, source="stored profile", today=day, catalogue=catalogue
        )
    except ProfileError:  # a profile valid when stored can fail later checks (a race now past)
        profile = None
    sessions = tuple(entry.session for entry in uow.log.between(stored.id, start=first, end=day))
    last = sessions[-1].date if sessions else None
    if last is None:
        earlier = uow.log.between(stored.id, start=day - LAST_SEEN_WINDOW, end=first - timedelta(days=1))
        last = earlier[-1].session.date if earlier else None
    mornings = tuple(uow.morning_pain.between(stored.id, start=first, end=day))
    latest = mornings[-1] if mornings else uow.morning_pain.latest(stored.id, as_of=day)
    history = uow.activities.between(stored.id, start=day - LOAD_HISTORY, end=day)
    return _Facts(
        profile=profile,
        units=stored.units,
        versions=_versions(uow, stored.id, first, day, catalogue),
        sessions=sessions,
        last_session=last,
        mornings=mornings,
        latest_morning=latest,
        runs=tuple(a for a in history if a.is_run),
        load=running_load(history, profile, day=day),
    )


def _versions(
    uow: UnitOfWork, athlete_id: int, first: date, last: date, catalogue: Catalogue
) -> tuple[tuple[date, StoredPlan], ...]:
    """The plan versions in force from `first` to `last`: one query per version, newest first."""
    found: list[tuple[date, StoredPlan]] = []
    cursor = last
    while cursor >= first:
        version = uow.plans.in_force(athlete_id, cursor)
        if version is None:
            break
        found.append((max(version.effective_from, first), read_plan(version.document, catalogue)))
        cursor = version.effective_from - timedelta(days=1)
    return tuple(found)


def _planned(versions: tuple[tuple[date, StoredPlan], ...], day: date) -> Session | None:
    plan = next((plan for start, plan in versions if start <= day), None)
    return plan.session_on(day) if plan is not None else None


def _row(account: Account, facts: _Facts, day: date) -> MemberRow:
    first = day - TRAINING_WINDOW + timedelta(days=1)
    window = [first + timedelta(days=offset) for offset in range(TRAINING_WINDOW.days)]
    planned_days = [d for d in window if _planned(facts.versions, d) is not None]
    logged_days = {session.date for session in facts.sessions}
    missed = sum(1 for d in planned_days if d < day and d not in logged_days)
    during = [(s.date, pain) for s in facts.sessions if (pain := worst_pain(s)) is not None]
    recent = [pain for d, pain in during if d > day - PAIN_WINDOW]
    recent += [m.pain for m in facts.mornings if m.date > day - PAIN_WINDOW]
    worst = max(recent, default=0)
    zone = (
        PainZone.NONE if worst == 0 else PainZone.ACCEPTABLE if worst <= ACCEPTABLE_PAIN else PainZone.ABOVE
    )
    advice = (
        decide(exercise_id="session", during=during, mornings=facts.mornings, today=day)
        if during or any(m.pain for m in facts.mornings)
        else None
    )
    runs = facts.runs
    spike = spike_in_week(runs, day, as_of=day)  # it reads the week and the 30 days before it only
    concerns = [
        concern
        for concern, present in (
            (
                Concern.PAIN,
                zone is PainZone.ABOVE or (advice is not None and advice.decision is PainAction.REDUCE),
            ),
            (Concern.SPIKE, spike is not None),
            (Concern.MISSED, missed >= MISSED_SESSIONS_FLAG),
            (Concern.NO_PROFILE, account.athlete_id is None),
        )
        if present
    ]
    return MemberRow(
        user_id=account.id,
        email=account.email,
        has_profile=account.athlete_id is not None,
        units=facts.units,
        last_session=facts.last_session,
        sessions=len(facts.sessions),
        planned=len(planned_days),
        missed=missed,
        pain_during=max((pain for d, pain in during if d > day - PAIN_WINDOW), default=None),
        morning_pain=facts.latest_morning,
        pain_zone=zone,
        pain_advice=advice,
        spike=spike,
        load=facts.load,
        week_distance_m=sum(run_distance_m(run) for run in runs if run.start.date() >= monday_of(day)),
        concerns=tuple(concerns),
    )


def worst_pain(session: LoggedSession) -> int | None:
    """The worst pain (0–10) logged for a session, as a whole or with any of its sets."""
    pains = [session.pain_during, *(s.pain for s in session.sets)]
    return max((pain for pain in pains if pain is not None), default=None)
