"""A year of one athlete's training in a fresh SQLite database, for the web benchmark.

The athlete signs up, is onboarded with examples/marathoner.toml (its strength start moved back so
the plan covers the 52 weeks before `today`), logs every planned strength session of that year
as planned, day by day through `services.training.log_sets` (so each session's loads progress from
the ones before, as they would), weighs in weekly, and runs five times a week. The runs are
synthetic (distance, time, heart rate and a heart-rate histogram, the fields the running pages
read): a FIT file per run would cost far more seeding time and store the same columns.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from argon2 import PasswordHasher

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.migrate import upgrade
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.accounts import Role
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.training import BodyMass
from ironmile.services import accounts, training

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "marathoner.toml"
PROFILE_START_LINE = "start_date = 2026-12-07"
BENCH_TODAY = date(2027, 3, 1)  # a Monday inside the plan: two weeks before the B race
YEAR = timedelta(weeks=52)
EMAIL = "bench.runner@example.com"
PASSWORD = "correct horse battery staple"
# The algorithm of production with the cheapest cost: seeding and the one sign-in are not measured.
SEED_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
LOCAL_ZONE = timezone(timedelta(hours=1))  # runs recorded in Central European winter time
RUN_START_HOUR = 7


@dataclass(frozen=True)
class SeededYear:
    email: str
    password: str
    today: date
    session_day: date  # the first planned strength session on or after `today`: a full Today page
    sessions: int  # strength sessions logged
    runs: int
    weigh_ins: int
    seconds: float  # wall time to seed


def profile_text(start: date) -> str:
    text = PROFILE.read_text(encoding="utf-8")
    if PROFILE_START_LINE not in text:
        raise RuntimeError(f"{PROFILE.name} no longer holds {PROFILE_START_LINE!r}; update the benchmark")
    return text.replace(PROFILE_START_LINE, f"start_date = {start.isoformat()}")


def seed_year(database: Path, *, today: date = BENCH_TODAY) -> SeededYear:
    """Create and fill `database`; the plan starts on the Monday 52 weeks before `today`."""
    started = time.perf_counter()
    first = today - YEAR - timedelta(days=today.weekday())
    engine = make_engine(str(database))
    upgrade(engine)
    catalogue = load_catalogue()
    account = accounts.sign_up(
        SqlUnitOfWork(engine),
        email=EMAIL,
        password=PASSWORD,
        role=Role.ATHLETE,
        today=first,
        hasher=SEED_HASHER,
    )
    athlete_id = training.init_athlete(
        SqlUnitOfWork(engine),
        profile_text=profile_text(first),
        source=PROFILE.name,
        today=first,
        catalogue=catalogue,
        name=account.email,
        owner_id=account.id,
    ).athlete.id
    with SqlUnitOfWork(engine) as uow:
        plan = training.plan_on(uow, training.current_athlete(uow, athlete_id), first, catalogue)
    days = [first + timedelta(days=n) for n in range((today - first).days)]
    session_days = [day for day in days if plan.session_on(day) is not None]
    for day in session_days:
        training.log_sets(
            SqlUnitOfWork(engine),
            day=day,
            catalogue=catalogue,
            as_planned=True,
            session_rpe=7,
            athlete_id=athlete_id,
        )
    runs = [run_on(day) for day in days if day.weekday() in RUN_WEEKDAYS]
    # Mondays, in kg: the profile's 68 kg drifting up 0.8 kg over the year, as a strength block does.
    weigh_ins = [BodyMass(day, 68.0 + 0.8 * (day - first).days / 365) for day in days if day.weekday() == 0]
    with SqlUnitOfWork(engine) as uow:
        uow.activities.add_many(athlete_id, ((run, run.fingerprint) for run in runs), imported_on=today)
        for record in weigh_ins:
            uow.body_mass.put(athlete_id, record)
        uow.commit()
    engine.dispose()
    upcoming = next(day for day in (today + timedelta(days=n) for n in range(14)) if plan.session_on(day))
    return SeededYear(
        EMAIL,
        PASSWORD,
        today,
        upcoming,
        len(session_days),
        len(runs),
        len(weigh_ins),
        time.perf_counter() - started,
    )


# The profile's run days (tue, wed, thu, sat, sun): weekday → (distance in m, pace in s/km, mean bpm).
RUN_WEEKDAYS = {
    1: (12_000.0, 290.0, 158.0),  # key session
    2: (9_000.0, 330.0, 140.0),  # easy
    3: (13_000.0, 285.0, 160.0),  # key session
    5: (8_000.0, 335.0, 138.0),  # easy
    6: (24_000.0, 320.0, 148.0),  # long run
}


def run_on(day: date) -> Activity:
    """One synthetic run on `day`, its figures varied by a seed drawn from the date (reproducible)."""
    rng = random.Random(day.toordinal())
    base_m, pace_s_per_km, mean_bpm = RUN_WEEKDAYS[day.weekday()]
    distance_m = base_m * rng.uniform(0.85, 1.15)
    moving_s = distance_m / 1000 * pace_s_per_km * rng.uniform(0.96, 1.04)
    avg_bpm = mean_bpm + rng.uniform(-4.0, 4.0)
    histogram = heart_rate_histogram(avg_bpm, moving_s)
    fingerprint = hashlib.sha256(f"ironmile-bench-run:{day.isoformat()}".encode()).hexdigest()[:32]
    return Activity(
        start=datetime(day.year, day.month, day.day, RUN_START_HOUR, tzinfo=LOCAL_ZONE),
        sport=Sport.RUNNING,
        source=f"bench/{day.isoformat()}.fit",
        fingerprint=fingerprint,
        distance_m=distance_m,
        moving_s=moving_s,
        elapsed_s=moving_s + rng.uniform(30.0, 300.0),
        elevation_gain_m=distance_m / 1000 * rng.uniform(4.0, 12.0),
        avg_heart_rate_bpm=avg_bpm,
        max_heart_rate_bpm=avg_bpm + rng.uniform(15.0, 25.0),
        heart_rate_seconds=histogram,
        perceived_exertion=None,
    )


def heart_rate_histogram(avg_bpm: float, moving_s: float) -> tuple[tuple[int, float], ...]:
    """Seconds at each bpm: a triangle ±20 bpm around the average, 41 one-bpm bins."""
    weights = {bpm: 21 - abs(bpm - round(avg_bpm)) for bpm in range(round(avg_bpm) - 20, round(avg_bpm) + 21)}
    total = sum(weights.values())
    return tuple((bpm, moving_s * weight / total) for bpm, weight in sorted(weights.items()))
