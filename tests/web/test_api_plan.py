"""The plan API: the stored ironmile.plan/1 document unchanged, the week as JSON, the move verdict
(the scheduler's own rules), moving as a new plan version, and who may read which plan."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from importlib.resources import files

import jsonschema
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.accounts import Account
from ironmile.domain.planner import build_plan
from ironmile.domain.scheduler import Context, RunCalendar, violations
from ironmile.services import accounts
from tests.web.conftest import EXAMPLES, TODAY, Clock, api, csrf_of, onboard, sign_up

MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 12, 7) + timedelta(days=d) for d in range(7))  # week 1
SCHEMA = json.loads(files("ironmile.data").joinpath("plan.schema.json").read_text(encoding="utf-8"))


def account(engine: Engine, user_id: int) -> Account:
    found = accounts.account(SqlUnitOfWork(engine), user_id)
    assert found is not None
    return found


def stored_documents(engine: Engine) -> list[str]:
    with SqlUnitOfWork(engine) as uow:
        [athlete] = uow.athletes.all()
        return [version.document for version in uow.plans.versions(athlete.id)]


def test_the_plan_is_the_stored_document_without_its_indentation(athlete: TestClient, engine: Engine) -> None:
    response = athlete.get("/api/v1/plan")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    stored = stored_documents(engine)[0]
    # the same keys in the same order, the same values
    assert list(response.json().items()) == list(json.loads(stored).items())
    assert "\n" not in response.text
    assert len(response.text) < 0.7 * len(stored)
    jsonschema.validate(response.json(), SCHEMA)


def test_the_week_as_json(athlete: TestClient) -> None:
    response = athlete.get(f"/api/v1/plan/week?date={WED}")
    assert response.status_code == 200
    week = response.json()
    assert week["monday"] == MON.isoformat()
    assert (week["previous"], week["next"]) == ("2026-11-30", "2026-12-14")
    assert week["units"] == "metric"
    days = week["days"]
    assert [d["date"] for d in days] == [d.isoformat() for d in (MON, TUE, WED, THU, FRI, SAT, SUN)]
    assert [[r["kind"] for r in d["runs"]] for d in days] == [
        [],
        ["key"],
        ["easy"],
        ["key"],
        [],
        ["easy"],
        ["long"],
    ]
    tuesday = days[1]["session"]
    assert tuesday["heavy_lower"] is True
    assert tuesday["why"].startswith("Tuesday: after your key run")
    assert tuesday["moved"] is False
    assert tuesday["exercises"][0] == {
        "id": "back_squat",
        "name": "Low-bar back squat",
        "sets": 3,
        "reps": 5,
        "seconds": None,
        "rir": 2,
        "load": 75.0,
        "dose": "3×5 RIR 2",
        "load_text": "75 kg",
    }
    assert [d["movable"] for d in days] == [False, True, False, True, False, False, False]
    assert all(d["phase"] == "strength" and d["week"] == 1 and d["deload"] is False for d in days)
    default = athlete.get("/api/v1/plan/week").json()
    assert default["monday"] == (TODAY - timedelta(days=TODAY.weekday())).isoformat()


def test_the_verdict_is_the_schedulers_violations_for_every_day(athlete: TestClient) -> None:
    profile = parse_profile(
        (EXAMPLES / "marathoner.toml").read_text(),
        source="marathoner.toml",
        today=TODAY,
        catalogue=load_catalogue(),
    )
    sessions = [s for week in build_plan(profile, load_catalogue()).weeks for s in week.sessions]
    for origin in (TUE, THU):
        others = [s for s in sessions if s.date != origin]
        ctx = Context(
            RunCalendar(profile.running, profile.races),
            profile.strength.available_days,
            tuple(s.date for s in others if s.heavy_lower),
            tuple(s.date for s in others),
        )
        for target in (MON, TUE, WED, THU, FRI, SAT, SUN):
            if target == origin:
                continue
            verdict = athlete.get(f"/api/v1/plan/moves?from={origin}&to={target}").json()
            expected = violations(target, ctx, heavy=True)
            assert verdict["reasons"] == expected, (origin, target)
            assert verdict["allowed"] is (not expected)
            assert [c["reason"] for c in verdict["checks"] if not c["passed"]] == expected
    allowed = athlete.get(f"/api/v1/plan/moves?from={THU}&to={FRI}").json()
    assert allowed["from"] == THU.isoformat()
    assert allowed["to"] == FRI.isoformat()
    assert allowed["why"].startswith("moved by you from Thu; Friday")
    assert len(allowed["checks"]) == 11


def test_every_day_the_session_could_move_to_comes_with_its_verdict(athlete: TestClient) -> None:
    response = athlete.get(f"/api/v1/plan/moves/options?from={THU}")
    assert response.status_code == 200
    options = response.json()
    assert [option["date"] for option in options] == [d.isoformat() for d in (MON, TUE, WED, FRI, SAT, SUN)]
    for option in options:
        verdict = athlete.get(f"/api/v1/plan/moves?from={THU}&to={option['date']}").json()
        assert option["verdict"] == verdict  # the same answer as asking for that day alone
        assert option["allowed"] is verdict["allowed"]
        assert option["reasons"] == verdict["reasons"]
    assert [option["date"] for option in options if option["allowed"]] == [FRI.isoformat()]
    for url, field in (
        (f"/api/v1/plan/moves/options?from={WED}", "from"),
        ("/api/v1/plan/moves/options", "query.from"),
    ):
        refused = athlete.get(url)
        assert refused.status_code == 422
        assert field in [f["field"] for f in refused.json()["fields"]]


def test_a_move_stores_a_new_version_and_keeps_the_old(athlete: TestClient, engine: Engine) -> None:
    before = stored_documents(engine)
    response = api(
        athlete, "POST", "/api/v1/plan/moves", json={"from": THU.isoformat(), "to": FRI.isoformat()}
    )
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["verdict"]["allowed"] is True
    assert moved["effective_from"] == TODAY.isoformat()
    friday = moved["week"]["days"][4]["session"]
    assert friday["moved"] is True
    assert friday["why"].startswith("moved by you from Thu; Friday: no run today")
    assert moved["week"]["days"][3]["session"] is None
    after = stored_documents(engine)
    assert after[0] == before[0]  # history untouched
    assert len(after) == 2
    current = athlete.get("/api/v1/plan")
    document = current.json()
    assert document == json.loads(after[1])
    jsonschema.validate(document, SCHEMA)  # the new version keeps the public contract
    assert [s["date"] for s in document["weeks"][0]["sessions"]] == [TUE.isoformat(), FRI.isoformat()]


def test_a_refused_move_is_422_with_the_reasons(athlete: TestClient, engine: Engine) -> None:
    response = api(
        athlete, "POST", "/api/v1/plan/moves", json={"from": THU.isoformat(), "to": WED.isoformat()}
    )
    assert response.status_code == 422
    body = response.json()
    assert {f["field"] for f in body["fields"]} == {"to"}
    assert {f["message"] for f in body["fields"]} == {
        "the day before your key session (Thursday)",
        "the day after the heavy session on Tuesday 08 Dec (48 h needed)",
    }
    assert len(stored_documents(engine)) == 1


def test_bad_dates_are_422_naming_the_field(athlete: TestClient) -> None:
    cases = [
        ("GET", "/api/v1/plan/week?date=2026-02-30", None, "query.date"),
        ("GET", "/api/v1/plan/week?date=0001-01-01", None, "date"),
        ("GET", f"/api/v1/plan/moves?from=soon&to={FRI}", None, "query.from"),
        ("GET", f"/api/v1/plan/moves?from={THU}", None, "query.to"),
        ("GET", f"/api/v1/plan/moves?from={WED}&to={FRI}", None, "from"),  # no session on Wednesday
        ("POST", "/api/v1/plan/moves", {"from": "2026-12-10", "to": "Friday"}, "to"),
        ("POST", "/api/v1/plan/moves", {"to": "2026-12-11"}, "from"),
        ("POST", "/api/v1/plan/moves", {"from": "2026-12-10", "to": "2026-12-17"}, "to"),  # the next week
    ]
    for method, url, body, field in cases:
        response = api(athlete, method, url, json=body) if body else athlete.request(method, url)
        assert response.status_code == 422, (url, body, response.text)
        assert field in [f["field"] for f in response.json()["fields"]], (url, body, response.json())


def test_a_past_session_cannot_move(athlete: TestClient, clock: Clock) -> None:
    clock.today = WED
    response = api(
        athlete, "POST", "/api/v1/plan/moves", json={"from": TUE.isoformat(), "to": FRI.isoformat()}
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "from"
    assert "is past" in response.json()["fields"][0]["message"]


# --- who may read which plan ----------------------------------------------------------------------


def test_a_stranger_gets_401_everywhere(new_client: Callable[[], TestClient]) -> None:
    stranger = new_client()
    for method, url in (
        ("GET", "/api/v1/plan"),
        ("GET", "/api/v1/plan/week"),
        ("GET", f"/api/v1/plan/moves?from={THU}&to={FRI}"),
        ("POST", "/api/v1/plan/moves"),
        ("GET", "/api/v1/athletes/1/plan"),
    ):
        response = stranger.request(method, url, headers={"X-CSRF-Token": csrf_of(stranger)})
        assert response.status_code == 401, (method, url)


def test_a_coach_reads_a_squad_members_plan_and_nobody_else_does(
    athlete: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    athlete_id = athlete.get("/api/v1/me").json()["id"]
    own = athlete.get(f"/api/v1/athletes/{athlete_id}/plan")
    assert own.status_code == 200
    assert own.text == athlete.get("/api/v1/plan").text  # the same document as the athlete's own
    assert own.json() == json.loads(stored_documents(engine)[0])
    coach = new_client()
    coach_id = sign_up(coach, "coach@example.org", role="coach")
    squad = accounts.create_squad(
        SqlUnitOfWork(engine), coach=account(engine, coach_id), name="Club", today=TODAY
    )
    assert coach.get(f"/api/v1/athletes/{athlete_id}/plan").status_code == 404  # not in the squad yet
    accounts.join_squad(
        SqlUnitOfWork(engine), athlete=account(engine, athlete_id), invite_code=squad.invite_code, today=TODAY
    )
    read = coach.get(f"/api/v1/athletes/{athlete_id}/plan")
    assert read.status_code == 200
    assert read.text == own.text
    assert coach.get("/api/v1/plan").status_code == 403  # a coach has no plan of their own
    rival = new_client()
    sign_up(rival, "rival@example.org", role="coach")
    assert rival.get(f"/api/v1/athletes/{athlete_id}/plan").status_code == 404
    other = new_client()
    other_id = sign_up(other, "other@example.org")
    onboard(engine, other_id, "other@example.org")
    assert other.get(f"/api/v1/athletes/{athlete_id}/plan").status_code == 404
    assert other.get(f"/api/v1/athletes/{other_id}/plan").status_code == 200


def test_no_profile_yet_is_409_and_a_member_without_one_is_404(new_client: Callable[[], TestClient]) -> None:
    newcomer = new_client()
    user_id = sign_up(newcomer, "new@example.org")
    assert newcomer.get("/api/v1/plan").status_code == 409
    assert newcomer.get(f"/api/v1/athletes/{user_id}/plan").status_code == 404
