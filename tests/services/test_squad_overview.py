"""The coach's squad overview on a real SQLite database: who trains, who hurts, whose mileage spiked,
with the pain model's edge (SCIENCE.md §7) and the spike rule (Frandsen et al. 2025) as the domain
defines them, and queries that stay bounded however long a member's history is."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, event

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.migrate import upgrade
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.accounts import Account, Role
from ironmile.domain.accounts import Squad as DomainSquad
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.errors import NotFoundError
from ironmile.domain.pain_monitor import ACCEPTABLE_PAIN, PainAction
from ironmile.domain.running_weeks import SpikeCategory
from ironmile.domain.training import LoggedSession, LoggedSet, MorningPain
from ironmile.services import accounts, progress, review, training
from ironmile.services.squad_overview import (
    Concern,
    MemberRow,
    PainZone,
    SquadOverview,
    athlete_summary,
    led_squads,
    squad_for_invite,
    squad_overview,
)

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()
HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
CREATED = date(2026, 11, 26)
DAY = date(2026, 12, 20)  # a Sunday; the marathoner's plan has sessions on 8, 10, 15 and 17 December
PLANNED = [date(2026, 12, 8), date(2026, 12, 10), date(2026, 12, 15), date(2026, 12, 17)]


@dataclass
class Squad:
    uow: SqlUnitOfWork
    engine: Engine
    coach: Account
    squad_id: int

    def member(self, email: str, *, profile: str | None = "marathoner.toml") -> Account:
        """A signed-up athlete in the squad, with an example profile and its plan stored."""
        account = accounts.sign_up(
            self.uow,
            email=email,
            password="correct horse battery",
            role=Role.ATHLETE,
            today=CREATED,
            hasher=HASHER,
        )
        squad = self.uow_squad()
        accounts.join_squad(self.uow, athlete=account, invite_code=squad.invite_code, today=CREATED)
        if profile is not None:
            training.init_athlete(
                self.uow,
                profile_text=(ROOT / "examples" / profile).read_text(encoding="utf-8"),
                source=profile,
                today=CREATED,
                catalogue=CATALOGUE,
                name=email,
                owner_id=account.id,
            )
        found = accounts.account(self.uow, account.id)
        assert found is not None
        return found

    def uow_squad(self) -> DomainSquad:
        return accounts.led_squad(self.uow, coach=self.coach, squad_id=self.squad_id)

    def overview(self, day: date = DAY) -> SquadOverview:
        return squad_overview(
            self.uow, coach=self.coach, squad_id=self.squad_id, day=day, catalogue=CATALOGUE
        )


@pytest.fixture
def squad(tmp_path: Path) -> Iterator[Squad]:
    engine = make_engine(str(tmp_path / "ironmile.db"))
    upgrade(engine)
    uow = SqlUnitOfWork(engine)
    coach = accounts.sign_up(
        uow,
        email="coach@example.org",
        password="correct horse battery",
        role=Role.COACH,
        today=CREATED,
        hasher=HASHER,
    )
    created = accounts.create_squad(uow, coach=coach, name="Tuesday track", today=CREATED)
    yield Squad(uow, engine, coach, created.id)
    engine.dispose()


def log(uow: SqlUnitOfWork, member: Account, day: date, *, pain: int | None = None) -> None:
    assert member.athlete_id is not None
    with uow:
        uow.log.add(
            member.athlete_id,
            LoggedSession(day, (LoggedSet("back_squat", 60.0, 5, None, 2),), pain_during=pain),
        )
        uow.commit()


def mornings(uow: SqlUnitOfWork, member: Account, *readings: tuple[date, int]) -> None:
    assert member.athlete_id is not None
    with uow:
        for day, pain in readings:
            uow.morning_pain.put(member.athlete_id, MorningPain(day, pain))
        uow.commit()


def run(day: date, km: float, *, tag: str = "") -> Activity:
    start = datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)
    return Activity(
        start=start,
        sport=Sport.RUNNING,
        source=f"test-{day}{tag}.fit",
        fingerprint=f"run-{day.isoformat()}{tag}",
        distance_m=km * 1000,
        moving_s=km * 330,  # 5:30 min/km
    )


def runs(uow: SqlUnitOfWork, member: Account, activities: list[Activity]) -> None:
    assert member.athlete_id is not None
    with uow:
        uow.activities.add_many(member.athlete_id, [(a, None) for a in activities], imported_on=CREATED)
        uow.commit()


def test_a_member_in_pain_above_the_models_edge_needs_attention_and_one_within_it_does_not(
    squad: Squad,
) -> None:
    hurting = squad.member("hurting@example.org")
    sore = squad.member("sore@example.org")
    for member in (hurting, sore):
        for planned in PLANNED:
            log(squad.uow, member, planned)
    log(squad.uow, hurting, DAY - timedelta(days=1), pain=ACCEPTABLE_PAIN + 2)
    log(squad.uow, sore, DAY - timedelta(days=1), pain=3)
    mornings(squad.uow, sore, (DAY, 2))

    rows = {row.email: row for row in squad.overview().rows}

    assert rows["hurting@example.org"].pain_during == 7
    assert rows["hurting@example.org"].pain_zone is PainZone.ABOVE
    assert rows["hurting@example.org"].concerns == (Concern.PAIN,)
    assert rows["hurting@example.org"].pain_advice is not None
    assert rows["hurting@example.org"].pain_advice.decision is PainAction.REDUCE
    assert rows["sore@example.org"].pain_zone is PainZone.ACCEPTABLE
    assert rows["sore@example.org"].morning_pain == MorningPain(DAY, 2)
    assert rows["sore@example.org"].concerns == ()


def test_morning_pain_rising_week_to_week_counts_as_hurting_even_within_the_edge(squad: Squad) -> None:
    member = squad.member("rising@example.org")
    for planned in PLANNED:
        log(squad.uow, member, planned, pain=1)
    first_week = [(DAY - timedelta(days=13 - i), 1) for i in range(4)]
    second_week = [(DAY - timedelta(days=3 - i), 4) for i in range(4)]
    mornings(squad.uow, member, *first_week, *second_week)

    row = squad.overview().rows[0]

    assert row.pain_zone is PainZone.ACCEPTABLE  # 4/10 is within the edge ...
    assert row.pain_advice is not None
    assert "rising" in row.pain_advice.reason  # ... but rising week to week (Silbernagel et al. 2007)
    assert Concern.PAIN in row.concerns


def test_a_run_more_than_10_percent_longer_than_the_30_days_before_flags_a_spike(squad: Squad) -> None:
    spiking = squad.member("spiking@example.org")
    steady = squad.member("steady@example.org")
    history = [run(DAY - timedelta(days=days_ago), 8.0) for days_ago in range(40, 6, -3)]
    runs(squad.uow, spiking, [*history, run(DAY - timedelta(days=2), 14.0)])  # Friday of the day's week
    runs(squad.uow, steady, [*history, run(DAY - timedelta(days=2), 8.5)])  # 6 % longer: no spike

    rows = {row.email: row for row in squad.overview().rows}

    spike = rows["spiking@example.org"].spike
    assert spike is not None
    assert spike.category is SpikeCategory.MODERATE  # 75 % longer: Frandsen et al. 2025's 30–100 %
    assert spike.increase == pytest.approx(0.75)
    assert Concern.SPIKE in rows["spiking@example.org"].concerns
    assert rows["steady@example.org"].spike is None
    assert rows["spiking@example.org"].week_distance_m == pytest.approx(14_000)  # the history ends last week
    assert rows["steady@example.org"].acwr is not None
    assert rows["steady@example.org"].acwr.ratio is not None  # 40 days of runs: past the 28-day warm-up


def test_the_acwr_is_the_one_the_athletes_progress_page_shows(squad: Squad) -> None:
    """From every run on record: a runner back after a 3-month break has a chronic load from before
    it, so the ratio is there at once, on the coach's pages and the athlete's alike."""
    member = squad.member("back@example.org")
    before = [run(DAY - timedelta(days=days_ago), 10.0) for days_ago in range(300, 120, -3)]
    runs(squad.uow, member, [*before, run(DAY - timedelta(days=3), 8.0), run(DAY - timedelta(days=1), 8.0)])

    row = squad.overview().rows[0]
    summary = athlete_summary(squad.uow, account=member, day=DAY, catalogue=CATALOGUE)

    assert row.load is not None
    assert row.acwr is not None
    assert row.acwr.ratio is not None  # 300 days since the first run, whatever the last 84 held
    assert summary.row.load == row.load
    for weeks in (4, 12, 52):
        shown = progress.show_progress(
            squad.uow, today=DAY, weeks=weeks, catalogue=CATALOGUE, athlete_id=member.athlete_id
        )
        assert shown.load_today == row.load


def test_missed_sessions_and_no_profile_are_flagged_and_attention_comes_first(squad: Squad) -> None:
    trained = squad.member("a-trained@example.org")
    for planned in PLANNED:
        log(squad.uow, trained, planned)
    missing = squad.member("b-missing@example.org")
    log(squad.uow, missing, PLANNED[0])
    squad.member("c-new@example.org", profile=None)
    hurting = squad.member("d-hurting@example.org")
    log(squad.uow, hurting, DAY, pain=8)

    rows = squad.overview().rows

    assert [row.email for row in rows] == [
        "d-hurting@example.org",  # pain comes first
        "b-missing@example.org",
        "c-new@example.org",
        "a-trained@example.org",  # nothing to look at: last
    ]
    by_email = {row.email: row for row in rows}
    assert (by_email["a-trained@example.org"].sessions, by_email["a-trained@example.org"].planned) == (4, 4)
    assert by_email["a-trained@example.org"].last_session == PLANNED[-1]
    assert by_email["b-missing@example.org"].missed == 3
    assert by_email["b-missing@example.org"].concerns == (Concern.MISSED,)
    assert by_email["c-new@example.org"].concerns == (Concern.NO_PROFILE,)
    assert by_email["d-hurting@example.org"].missed == 4
    assert by_email["d-hurting@example.org"].concerns == (Concern.PAIN, Concern.MISSED)


def test_the_last_session_is_found_beyond_the_fortnight(squad: Squad) -> None:
    member = squad.member("away@example.org")
    log(squad.uow, member, date(2026, 12, 1))
    row = squad.overview(date(2027, 1, 10)).rows[0]
    assert row.sessions == 0
    assert row.last_session == date(2026, 12, 1)


def test_planned_sessions_follow_the_plan_version_in_force_each_day(squad: Squad) -> None:
    member = squad.member("replanned@example.org")
    text = review.show_profile(squad.uow, athlete_id=member.athlete_id)
    text = text.replace(
        'available_days = ["mon", "tue", "wed", "thu", "fri", "sat"]', 'available_days = ["sat"]'
    )
    review.edit_profile(
        squad.uow,
        profile_text=text,
        source="t",
        today=date(2026, 12, 16),
        catalogue=CATALOGUE,
        athlete_id=member.athlete_id,
    )
    row = squad.overview().rows[0]
    # 8, 10 and 15 December under the first version; from the 16th on, Saturdays only (the 19th)
    summary = athlete_summary(squad.uow, account=member, day=DAY, catalogue=CATALOGUE)
    assert row.planned == 4
    assert [day.session.date for day in summary.week] == [date(2026, 12, 15), date(2026, 12, 19)]


def test_another_coach_gets_not_found(squad: Squad) -> None:
    other = accounts.sign_up(
        squad.uow,
        email="other@example.org",
        password="correct horse battery",
        role=Role.COACH,
        today=CREATED,
        hasher=HASHER,
    )
    with pytest.raises(NotFoundError):
        squad_overview(squad.uow, coach=other, squad_id=squad.squad_id, day=DAY, catalogue=CATALOGUE)
    assert led_squads(squad.uow, coach=other) == []
    assert [(s.name, count) for s, count in led_squads(squad.uow, coach=squad.coach)] == [
        ("Tuesday track", 0)
    ]


def test_an_invite_is_found_until_it_is_renewed(squad: Squad) -> None:
    old = squad.uow_squad().invite_code
    assert squad_for_invite(squad.uow, invite_code=old).id == squad.squad_id
    accounts.renew_invite(squad.uow, coach=squad.coach, squad_id=squad.squad_id)
    with pytest.raises(NotFoundError, match="not valid"):
        squad_for_invite(squad.uow, invite_code=old)


def test_the_athlete_summary_has_the_weeks_plan_recent_sessions_and_pain(squad: Squad) -> None:
    member = squad.member("alex@example.org")
    log(squad.uow, member, date(2026, 12, 15), pain=2)
    mornings(squad.uow, member, (date(2026, 12, 16), 1))
    summary = athlete_summary(squad.uow, account=member, day=date(2026, 12, 16), catalogue=CATALOGUE)
    assert summary.profile is not None
    assert summary.profile.strength.session_minutes == 50
    assert [(day.session.date, day.done) for day in summary.week] == [
        (date(2026, 12, 15), True),
        (date(2026, 12, 17), False),
    ]
    assert [s.date for s in summary.sessions] == [date(2026, 12, 15)]
    assert summary.mornings == (MorningPain(date(2026, 12, 16), 1),)
    assert summary.row.pain_during == 2


def _statements(engine: Engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_queries_per_member_are_few_and_do_not_grow_with_history(squad: Squad) -> None:
    member = squad.member("long@example.org")
    seen = _statements(squad.engine)

    def add_history(first: date, days: int) -> None:
        """Runs, sessions with pain and plan versions over `days` days from `first`, all before the window."""
        runs(squad.uow, member, [run(first + timedelta(days=d), 8.0, tag="h") for d in range(0, days, 2)])
        for d in range(0, days, 4):
            log(squad.uow, member, first + timedelta(days=d), pain=1)
        for d in range(0, days, 30):
            review.replan(
                squad.uow, today=first + timedelta(days=d), catalogue=CATALOGUE, athlete_id=member.athlete_id
            )

    add_history(DAY - timedelta(days=100), 80)  # the last session is found 3 weeks before the window
    seen.clear()
    squad.overview()
    with_history = len(seen)
    add_history(DAY - timedelta(days=830), 700)  # two more years before that
    seen.clear()
    squad.overview()
    assert len(seen) == with_history
    assert len(seen) <= 12  # the squad and its members (2), then about 10 small queries for the member
    squad.member("second@example.org")
    seen.clear()
    squad.overview()
    assert len(seen) - with_history <= 10  # one more member costs about 10 more


class Kept(dict[Hashable, MemberRow]):
    """Kept rows over a plain dict (the web app keeps them in a bounded cache)."""

    def put(self, key: Hashable, value: MemberRow) -> None:
        self[key] = value


def test_a_kept_row_is_read_again_only_when_its_members_data_changed(squad: Squad) -> None:
    changing = squad.member("changing@example.org")
    squad.member("steady@example.org")
    kept, seen = Kept(), _statements(squad.engine)

    def overview() -> dict[str, MemberRow]:
        found = squad_overview(
            squad.uow, coach=squad.coach, squad_id=squad.squad_id, day=DAY, catalogue=CATALOGUE, kept=kept
        )
        return {row.email: row for row in found.rows}

    first = overview()
    seen.clear()
    assert overview() == first
    assert not [sql for sql in seen if "logged_sessions" in sql or "activities" in sql]  # nobody read again
    log(squad.uow, changing, DAY - timedelta(days=1), pain=ACCEPTABLE_PAIN + 2)
    seen.clear()
    rows = overview()
    assert rows["changing@example.org"].pain_during == ACCEPTABLE_PAIN + 2
    assert rows["steady@example.org"] is first["steady@example.org"]
    assert len([sql for sql in seen if "FROM logged_sessions" in sql]) >= 1
    assert overview()["changing@example.org"] is rows["changing@example.org"]
