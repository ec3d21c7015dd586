"""Progress over the API: the series in SI units with the unit in each name, the charts in the
profile's units, and the same access rules as the page (401 signed out, 404 for anyone else)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.units import KG_PER_LB
from ironmile.services import training
from ironmile.services.progress import progress_charts, show_progress
from tests.web.conftest import Clock, onboard, sign_up
from tests.web.test_progress import CATALOGUE, LATER, athlete_id_of, seed, squad_of

CHARTS = {
    "e1rm",
    "relative_strength",
    "body_mass",
    "weekly_distance",
    "fitness",
    "acwr",
    "balance",
    "adherence",
}


def test_a_new_athlete_gets_empty_series_and_no_charts(athlete: TestClient) -> None:
    body = athlete.get("/api/v1/progress").json()
    assert body["as_of"] == "2026-11-26"
    assert (body["start"], body["weeks"], body["units"]) == (
        "2026-09-07",
        12,
        "metric",
    )  # Monday of the week 11 weeks before
    assert [(lift["exercise_id"], lift["name"], lift["points"]) for lift in body["lifts"]] == [
        ("back_squat", "Low-bar back squat", []),
        ("deadlift", "Deadlift", []),
    ]
    assert body["body_mass"] == []
    assert body["balance"] == []
    assert len(body["running_weeks"]) == 12
    assert all(week["distance_m"] == 0 and week["acwr"] is None for week in body["running_weeks"])
    assert body["adherence"] == {"planned": 0, "done": 0, "share": None, "missed": [], "weeks": []}
    assert body["charts"] == dict.fromkeys(CHARTS)
    assert body["lift_sets"] == {
        "logged": 0,
        "estimating": 0,
        "in_deload": 0,
        "unloaded": 0,
        "too_many_reps": 0,
    }
    assert body["load_today"] is None  # no runs


def test_logged_training_appears_in_the_series_and_the_charts(
    athlete: TestClient, engine: Engine, clock: Clock
) -> None:
    athlete_id = athlete_id_of(engine, "alex@example.org")
    seed(engine, athlete_id)
    clock.today = LATER
    body = athlete.get("/api/v1/progress").json()
    squat = body["lifts"][0]
    # SCIENCE.md §5 oracle, Epley: 100 kg × 5 → 116.67 kg.
    assert [(p["date"], p["e1rm_kg"]) for p in squat["points"]] == [
        ("2026-12-08", 116.67),
        ("2026-12-15", 122.5),
        ("2027-01-12", 128.33),
    ]
    first_relative = squat["points"][0]["relative"]
    assert first_relative == round(116.6667 / 68.05, 3)  # the 7-day mean of 68.0 (1 Dec) and 68.1 (5 Dec)
    assert squat["change_pct"] == round((128.3333 / 116.6667 - 1) * 100, 2)
    assert body["body_mass"][0] == {"date": "2026-12-01", "mass_kg": 68.0, "trend_kg": 68.0}
    assert len(body["body_mass"]) == 12
    assert [week["distance_m"] for week in body["running_weeks"][-3:]] == [36_000, 36_000, 20_000]
    assert body["balance"][-1] == {
        "week": "2027-W02",
        "week_start": "2027-01-11",
        "posterior_sets": 3,
        "anterior_sets": 2,
        "ratio": 1.5,
        "meets_target": True,
    }
    assert body["posterior_target"] == 1.5
    adherence = body["adherence"]
    assert (adherence["planned"], adherence["done"], adherence["share"]) == (12, 3, 0.25)
    assert adherence["weeks"][0] == {"week": "2026-12-07", "planned": 2, "done": 1}
    assert "2026-12-10" in adherence["missed"]
    # The charts are the page's own specs.
    expected = progress_charts(
        show_progress(SqlUnitOfWork(engine), today=LATER, catalogue=CATALOGUE, athlete_id=athlete_id)
    )
    assert body["charts"] == expected
    assert set(body["charts"]) == CHARTS
    # Three back squats estimate a 1RM each set (no RIR: taken as RIR 0); none in a deload week.
    assert body["lift_sets"] == {
        "logged": 9,
        "estimating": 9,
        "in_deload": 0,
        "unloaded": 0,
        "too_many_reps": 0,
    }
    # Today's load is the last running week's (the current week's numbers are read today), for any window.
    today = body["load_today"]
    assert today["date"] == LATER.isoformat()
    assert (today["ctl"], today["atl"], today["acwr"]) == tuple(
        body["running_weeks"][-1][key] for key in ("ctl", "atl", "acwr")
    )
    assert today["acwr_band"] == "low"
    assert athlete.get("/api/v1/progress?weeks=4").json()["load_today"] == today


def test_series_stay_si_while_the_charts_use_the_profiles_units(
    client: TestClient, engine: Engine, clock: Clock
) -> None:
    athlete_id = onboard(
        engine, sign_up(client, "casey@example.org"), "casey@example.org", "imperial_ultra.toml"
    )
    training.log_sets(
        SqlUnitOfWork(engine),
        day=date(2027, 1, 5),
        catalogue=CATALOGUE,
        exercise_id="back_squat",
        notation="225x5x3",  # pounds: the profile is imperial
        athlete_id=athlete_id,
    )
    clock.today = date(2027, 1, 9)
    body = client.get("/api/v1/progress?weeks=4").json()
    assert body["units"] == "imperial"
    e1rm_lb = 225 * (1 + 5 / 30)  # Epley, SCIENCE.md §5
    assert body["lifts"][0]["points"][0]["e1rm_kg"] == round(e1rm_lb * KG_PER_LB, 2)
    chart = body["charts"]["e1rm"]
    assert chart["encoding"]["y"]["title"] == "e1RM (lb)"
    assert chart["data"]["values"][0]["e1rm"] == round(e1rm_lb, 2)


def test_weeks_must_be_4_to_104(athlete: TestClient) -> None:
    assert athlete.get("/api/v1/progress?weeks=104").json()["weeks"] == 104
    for bad in ("3", "105", "many"):
        response = athlete.get(f"/api/v1/progress?weeks={bad}")
        assert response.status_code == 422
        assert [field["field"] for field in response.json()["fields"]] == ["query.weeks"]


def test_access_follows_the_squads(
    athlete: TestClient, engine: Engine, new_client: Callable[[], TestClient]
) -> None:
    member = athlete.get("/api/v1/me").json()["id"]
    url = f"/api/v1/athletes/{member}/progress"
    stranger, coach, other_coach, other_athlete = new_client(), new_client(), new_client(), new_client()
    assert stranger.get("/api/v1/progress").status_code == 401
    assert stranger.get(url).status_code == 401
    squad_of(engine, sign_up(coach, "coach@example.org", "coach"), member)
    sign_up(other_coach, "elsewhere@example.org", "coach")
    onboard(engine, sign_up(other_athlete, "sam@example.org"), "sam@example.org")
    for outsider in (other_coach, other_athlete):
        response = outsider.get(url)
        assert response.status_code == 404
        assert "alex@example.org" not in response.text
    own = athlete.get("/api/v1/progress?weeks=8").json()
    assert coach.get(f"{url}?weeks=8").json() == own
    assert athlete.get(f"{url}?weeks=8").json() == own
    assert coach.get("/api/v1/progress").status_code == 403  # a coach has no progress of their own


def test_without_a_profile_there_is_no_progress(engine: Engine, new_client: Callable[[], TestClient]) -> None:
    newcomer, coach = new_client(), new_client()
    member = sign_up(newcomer, "new@example.org")
    assert newcomer.get("/api/v1/progress").status_code == 409  # onboarding first
    squad_of(engine, sign_up(coach, "coach@example.org", "coach"), member)
    response = coach.get(f"/api/v1/athletes/{member}/progress")
    assert response.status_code == 404
    assert response.json()["detail"] == f"athlete {member} has not stored a training profile yet"


def test_the_openapi_document_describes_both_endpoints(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/progress" in document["paths"]
    assert "/api/v1/athletes/{user_id}/progress" in document["paths"]
    fields = document["components"]["schemas"]["LiftPointPublic"]["properties"]
    assert set(fields) == {"date", "e1rm_kg", "relative"}
