"""The progress page: charts with a sentence and a table each, a sentence alone where there is
nothing to draw, the weeks to show, and the read-only coach view of a squad member."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.activity import Activity, Sport
from ironmile.services import accounts, review, training
from ironmile.web.pages.progress import EMPTY
from tests.web.conftest import Clock, onboard, sign_up
from tests.web.html import html

CATALOGUE = load_catalogue()
LATER = date(2027, 1, 16)  # Saturday of the marathoner's plan week 6 (it starts on 7 December)
SQUAT_DAYS = (date(2026, 12, 8), date(2026, 12, 15), date(2027, 1, 12))


def athlete_id_of(engine: Engine, email: str) -> int:
    with SqlUnitOfWork(engine) as uow:
        stored = uow.athletes.by_name(email)
    assert stored is not None
    return stored.id


def seed(engine: Engine, athlete: int) -> None:
    """Back squats (with front squats, anterior work) on three Tuesdays, weigh-ins every 4 days and
    three runs a week through the services, as the pages and the command line store them."""
    uow = SqlUnitOfWork(engine)
    for index, day in enumerate(SQUAT_DAYS):
        for exercise, notation in (("back_squat", f"{100 + 5 * index}x5x3"), ("front_squat", "60x5x2")):
            training.log_sets(
                uow, day=day, catalogue=CATALOGUE, exercise_id=exercise, notation=notation, athlete_id=athlete
            )
    for step in range(12):
        day = date(2026, 12, 1) + timedelta(days=4 * step)
        review.record_body(uow, day=day, catalogue=CATALOGUE, body_mass=68.0 + 0.1 * step, athlete_id=athlete)
    runs = [
        Activity(
            start=datetime.combine(day, time(7), UTC),
            sport=Sport.RUNNING,
            source=f"runs/{day}.fit",
            fingerprint=f"{day:%Y%m%d}".ljust(32, "0"),
            distance_m=16_000 if day.weekday() == 6 else 10_000,
            moving_s=3_300,
        )
        for offset in range(70)
        if (day := date(2026, 11, 9) + timedelta(days=offset)).weekday() in (1, 3, 6) and day <= LATER
    ]
    with uow:
        uow.activities.add_many(athlete, [(run, None) for run in runs], imported_on=date(2026, 11, 26))
        uow.commit()


def squad_of(engine: Engine, coach_id: int, member_id: int) -> None:
    uow = SqlUnitOfWork(engine)
    coach, member = accounts.account(uow, coach_id), accounts.account(uow, member_id)
    assert coach is not None
    assert member is not None
    squad = accounts.create_squad(uow, coach=coach, name="Tuesday club", today=date(2026, 11, 26))
    accounts.join_squad(uow, athlete=member, invite_code=squad.invite_code, today=date(2026, 11, 26))


def context(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.template.name == "progress/page.html"
    found: dict[str, Any] = response.context
    return found


def test_a_new_athlete_reads_a_sentence_where_each_chart_will_be(athlete: TestClient) -> None:
    page = context(athlete.get("/progress"))
    assert page["nav"] == "progress"
    assert page["weeks"] == 12
    assert not page["read_only"]
    assert all(view.spec is None for view in page["charts"].values())
    tree = html(athlete.get("/progress").text)
    assert not tree.select('script[type="application/json"]')
    shown = {p.attrs["id"]: p.own_text() for p in tree.select("p.empty")}
    assert shown == {f"chart-{name.replace('_', '-')}": sentence for name, sentence in EMPTY.items()}
    assert tree.select("a[href=/import]")  # runs come from an import


def test_logged_training_shows_as_charts_sentences_and_tables(
    athlete: TestClient, engine: Engine, clock: Clock
) -> None:
    seed(engine, athlete_id_of(engine, "alex@example.org"))
    clock.today = LATER
    response = athlete.get("/progress")
    page = context(response)
    tree = html(response.text)
    embedded = {
        script.attrs["data-vega-target"]: json.loads(script.own_text())
        for script in tree.select('script[type="application/json"]')
    }
    # Every spec is embedded for static/js/charts.js, aimed at an element that exists.
    drawn = {f"#{view.element_id}": view.spec for view in page["charts"].values() if view.spec is not None}
    assert embedded == drawn
    assert len(drawn) == len(EMPTY)  # every chart has something to draw
    for target in embedded:
        assert tree.select(f'div.chart[id="{target[1:]}"]')
    scripts = [script.attrs["src"] for script in tree.select("script") if "src" in script.attrs]
    for needed in ("vega-6.2.0.min.js", "vega-lite-6.4.1.min.js", "vega-embed-7.0.2.min.js", "js/charts.js"):
        assert any(needed in src for src in scripts), needed
    # SCIENCE.md §5, Epley: 110 kg × 5 → 128.33; up 11.7 kg from 116.67 over 5 weeks.
    assert page["lift_sentences"][0].startswith("Low-bar back squat e1RM 128.3 kg, up 11.7 kg in 5 weeks (")
    assert page["body_mass_sentence"] == "Body mass steady at 69.0 kg (7-day average)."
    assert page["adherence_sentence"] == "3 of 12 planned sessions done (25%)."
    # Low-bar back squats count as posterior work (the catalogue's emphasis), front squats as anterior.
    assert page["balance_sentence"] == (
        "3 of 3 weeks with anterior work at or above the target of 1.5; "
        "last logged week 2027-W02: 3 posterior to 2 anterior sets (ratio 1.50)."
    )
    # Ten weeks of runs (from 9 Nov) in the twelve shown: nine whole ones of 36 km, and 20 km so far.
    assert page["running_sentence"] == (
        "344.0 km in 29 runs over 12 weeks; this week so far 20.0 km. "
        "Today: fitness (CTL) 24, fatigue (ATL) 26 AU per day, ACWR 0.77 (low)."
    )
    strength = page["tables"]["strength"]
    assert strength.rows[0] == ("2026-12-08", "Low-bar back squat", "116.7", strength.rows[0][3])
    captions = [caption.own_text() for caption in tree.select("caption")]
    assert "Estimated 1RM per session" in captions
    assert "read-only" not in response.text


def test_sets_that_estimate_no_1rm_say_why_the_chart_is_empty(
    athlete: TestClient, engine: Engine, clock: Clock
) -> None:
    """A novice's first weeks: 8 reps at RIR 4 is 12 reps from failure, too far to estimate a 1RM
    (progression.session_e1rm counts reps + RIR of at most 10)."""
    training.log_sets(
        SqlUnitOfWork(engine),
        day=SQUAT_DAYS[0],
        catalogue=CATALOGUE,
        exercise_id="back_squat",
        notation="60x8x3@4",
        athlete_id=athlete_id_of(engine, "alex@example.org"),
    )
    clock.today = LATER
    response = athlete.get("/progress")
    charts = context(response)["charts"]
    assert charts["e1rm"].spec is None
    assert charts["e1rm"].empty == (
        "3 main-lift sets logged in these weeks, but none estimates a 1RM: 3 at more than 10 reps plus "
        "reps in reserve (8 reps at RIR 4 is 12). An estimate needs a loaded set with reps plus reps in "
        "reserve of 10 or fewer (5 reps at RIR 3, say)."
    )
    assert charts["relative_strength"].empty.startswith("Relative strength (e1RM ÷ body mass) starts with")
    shown = {p.attrs["id"]: p.own_text() for p in html(response.text).select("p.empty")}
    assert shown["chart-e1rm"] == charts["e1rm"].empty


def test_the_coach_reads_the_running_load_the_athlete_reads(
    athlete: TestClient, engine: Engine, clock: Clock, new_client: Callable[[], TestClient]
) -> None:
    """One number, from every run on record: the athlete's progress page, for any weeks shown, and
    their coach's page about them say the same."""
    seed(engine, athlete_id_of(engine, "alex@example.org"))
    member = athlete.get("/api/v1/me").json()["id"]
    coach = new_client()
    squad_of(engine, sign_up(coach, "coach@example.org", "coach"), member)
    clock.today = date(2026, 12, 1)  # 21 days after the first run: no ratio yet, for any window
    said = (
        "Today: fitness (CTL) 13, fatigue (ATL) 33 AU per day; "
        "ACWR not yet (it needs 28 days from the first run on record)."
    )
    for weeks in (4, 12, 52):
        assert context(athlete.get(f"/progress?weeks={weeks}"))["running_sentence"].endswith(said)
    coach_page = html(coach.get(f"/athletes/{member}").text)
    assert any(
        " ".join(p.own_text().split()) == f"This week: 10.0 km. {said}" for p in coach_page.select("p")
    )


def test_the_weeks_shown_can_be_chosen(athlete: TestClient) -> None:
    page = context(athlete.get("/progress?weeks=26"))
    assert page["weeks"] == 26
    assert page["progress"].period.start == date(2026, 6, 1)  # 25 weeks before the week of 26 Nov 2026
    tree = html(athlete.get("/progress?weeks=26").text)
    assert [option.attrs["value"] for option in tree.select('option[selected=""]')] == ["26"]
    for bad in ("3", "105", "many"):
        response = athlete.get(f"/progress?weeks={bad}")
        assert response.status_code == 422
        assert response.template.name == "error.html"


def test_signing_in_and_onboarding_come_first(new_client: Callable[[], TestClient]) -> None:
    stranger = new_client()
    response = stranger.get("/progress", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/progress")
    newcomer = new_client()
    sign_up(newcomer, "new@example.org")
    response = newcomer.get("/progress", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/onboarding")


def test_a_coach_reads_a_squad_members_progress(
    athlete: TestClient, engine: Engine, new_client: Callable[[], TestClient]
) -> None:
    member = athlete.get("/api/v1/me").json()["id"]
    coach = new_client()
    squad_of(engine, sign_up(coach, "coach@example.org", "coach"), member)
    page = context(coach.get(f"/athletes/{member}/progress?weeks=8"))
    assert page["read_only"]
    assert page["nav"] == "squads"
    assert page["subject"].email == "alex@example.org"
    assert page["weeks"] == 8
    tree = html(coach.get(f"/athletes/{member}/progress").text)
    assert [h1.own_text() for h1 in tree.select("h1")] == ["Progress: alex@example.org"]
    assert not tree.select("a[href=/import]")  # nothing to do on someone else's page
    assert [form.attrs["action"] for form in tree.select("form[method=post]")] == ["/logout"]
    # A coach has no progress of their own.
    assert coach.get("/progress").status_code == 403


def test_a_coach_sees_that_a_member_has_no_profile_yet(
    engine: Engine, new_client: Callable[[], TestClient]
) -> None:
    member_client, coach = new_client(), new_client()
    member = sign_up(member_client, "new@example.org")
    squad_of(engine, sign_up(coach, "coach@example.org", "coach"), member)
    page = context(coach.get(f"/athletes/{member}/progress"))
    assert page["progress"] is None
    assert (
        "new@example.org has not set up a training profile yet"
        in coach.get(f"/athletes/{member}/progress").text
    )


def test_anyone_else_finds_nothing(
    athlete: TestClient, engine: Engine, new_client: Callable[[], TestClient]
) -> None:
    member = athlete.get("/api/v1/me").json()["id"]
    other_athlete, other_coach = new_client(), new_client()
    onboard(engine, sign_up(other_athlete, "sam@example.org"), "sam@example.org")
    sign_up(other_coach, "elsewhere@example.org", "coach")
    for client in (other_athlete, other_coach):
        response = client.get(f"/athletes/{member}/progress")
        assert response.status_code == 404
        assert response.template.name == "error.html"
        assert "alex@example.org" not in response.text
    # The athlete's own id works like /progress.
    assert context(athlete.get(f"/athletes/{member}/progress"))["read_only"] is False
