"""Squads over the JSON API: the same rules as the pages (a coach reads only the squads they lead;
the overview flags pain and spikes; a renewed invite ends the old code), in the API's error shape."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.training import LoggedSession, LoggedSet
from ironmile.web.app import create_app
from ironmile.web.settings import WebSettings
from tests.web.conftest import CHEAP_HASHER, TODAY, Clock, api, onboard, sign_up


def coach_with_squad(client: TestClient, name: str = "Tuesday track") -> dict[str, object]:
    sign_up(client, f"coach-{len(name)}@example.org", "coach")
    response = api(client, "POST", "/api/v1/squads", json={"name": name})
    assert response.status_code == 201
    squad: dict[str, object] = response.json()
    return squad


def joined_athlete(
    new_client: Callable[[], TestClient], engine: Engine, email: str, code: object
) -> tuple[TestClient, int]:
    browser = new_client()
    user_id = sign_up(browser, email)
    onboard(engine, user_id, email)
    response = api(browser, "POST", "/api/v1/squads/join", json={"invite_code": code})
    assert response.status_code == 200
    return browser, user_id


def test_a_coach_creates_lists_and_reads_a_squad(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    squad = coach_with_squad(client)
    assert squad["invite_url"] == f"http://127.0.0.1/join/{squad['invite_code']}"
    assert squad["members"] == 0
    _, runner = joined_athlete(new_client, engine, "alex@example.org", squad["invite_code"])

    listed = api(client, "GET", "/api/v1/squads").json()
    assert [(s["id"], s["name"], s["members"]) for s in listed] == [(squad["id"], "Tuesday track", 1)]
    overview = api(client, "GET", f"/api/v1/squads/{squad['id']}").json()
    assert overview["as_of"] == TODAY.isoformat()
    (row,) = overview["members"]
    assert row["user_id"] == runner
    assert row["email"] == "alex@example.org"
    assert row["has_profile"] is True
    assert row["pain_zone"] == "none"
    assert row["concerns"] == []


def test_the_overview_json_flags_pain_and_a_mileage_spike(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    squad = coach_with_squad(client)
    _, user_id = joined_athlete(new_client, engine, "alex@example.org", squad["invite_code"])
    with SqlUnitOfWork(engine) as uow:
        account = uow.accounts.get(user_id)
        assert account is not None
        assert account.athlete_id is not None
        day = TODAY - timedelta(days=1)
        uow.log.add(
            account.athlete_id, LoggedSession(day, (LoggedSet("deadlift", 80.0, 5, None, 2),), pain_during=6)
        )
        start = datetime(TODAY.year, TODAY.month, TODAY.day, 7, tzinfo=UTC)
        runs = [
            Activity(
                start - timedelta(days=ago), Sport.RUNNING, f"{ago}.gpx", f"fp-{ago}", km * 1000, km * 330
            )
            for ago, km in [(20, 10.0), (13, 10.0), (9, 10.0), (1, 25.0)]
        ]
        uow.activities.add_many(account.athlete_id, [(run, None) for run in runs], imported_on=TODAY)
        uow.commit()

    (row,) = api(client, "GET", f"/api/v1/squads/{squad['id']}").json()["members"]
    assert row["pain_during_7d"] == 6
    assert row["pain_zone"] == "above"  # above the pain model's 5/10 edge
    assert row["spike"]["category"] == "large"  # 150 % longer than the longest of the 30 days before
    assert row["spike"]["increase"] == 1.5
    assert row["week_distance_m"] == 25_000.0
    assert row["concerns"] == ["hurts", "mileage spiked"]


def test_renewing_the_invite_ends_the_old_code(
    client: TestClient, new_client: Callable[[], TestClient]
) -> None:
    squad = coach_with_squad(client)
    renewed = api(client, "POST", f"/api/v1/squads/{squad['id']}/invite").json()
    assert renewed["invite_code"] != squad["invite_code"]
    runner = new_client()
    sign_up(runner, "late@example.org")
    stale = api(runner, "POST", "/api/v1/squads/join", json={"invite_code": squad["invite_code"]})
    assert stale.status_code == 404
    assert "renewed" in stale.json()["detail"]
    joined = api(runner, "POST", "/api/v1/squads/join", json={"invite_code": renewed["invite_code"]})
    assert joined.json() == {"id": squad["id"], "name": "Tuesday track"}


def test_another_coach_gets_not_found_and_an_athlete_is_not_allowed(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    squad = coach_with_squad(client)
    runner, runner_id = joined_athlete(new_client, engine, "alex@example.org", squad["invite_code"])
    other = new_client()
    coach_with_squad(other, "Sunday long runs")
    for method, url in [
        ("GET", f"/api/v1/squads/{squad['id']}"),
        ("POST", f"/api/v1/squads/{squad['id']}/invite"),
        ("DELETE", f"/api/v1/squads/{squad['id']}/members/{runner_id}"),
    ]:
        assert api(other, method, url).status_code == 404, url
    assert api(runner, "GET", "/api/v1/squads").status_code == 403
    assert api(runner, "POST", "/api/v1/squads", json={"name": "Mine"}).status_code == 403
    coach_join = api(other, "POST", "/api/v1/squads/join", json={"invite_code": squad["invite_code"]})
    assert coach_join.status_code == 403
    assert api(client, "GET", "/api/v1/squads/999").status_code == 404


def test_removing_a_member_and_bad_names(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    squad = coach_with_squad(client)
    _, runner_id = joined_athlete(new_client, engine, "alex@example.org", squad["invite_code"])
    removed = api(client, "DELETE", f"/api/v1/squads/{squad['id']}/members/{runner_id}")
    assert removed.status_code == 204
    assert api(client, "GET", f"/api/v1/squads/{squad['id']}").json()["members"] == []
    assert api(client, "DELETE", f"/api/v1/squads/{squad['id']}/members/{runner_id}").status_code == 404
    blank = api(client, "POST", "/api/v1/squads", json={"name": "   "})
    assert blank.status_code == 422
    assert blank.json()["fields"][0]["field"] == "name"


def test_the_squad_endpoints_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/squads"])
    assert "get" in paths["/api/v1/squads/{squad_id}"]
    assert "delete" in paths["/api/v1/squads/{squad_id}/members/{user_id}"]
    assert "post" in paths["/api/v1/squads/join"]
    assert {"get", "patch"} <= set(paths["/api/v1/settings"])
    assert "post" in paths["/api/v1/account/password"]
    assert not any(path.startswith(("/squads", "/settings", "/join", "/athletes")) for path in paths)


def test_invite_links_use_the_public_address_when_one_is_set(engine: Engine, clock: Clock) -> None:
    settings = WebSettings(_env_file=None, public_url="https://ironmile.example.org/")  # type: ignore[call-arg]
    app = create_app(settings, engine=engine, today=lambda: clock.today, hasher=CHEAP_HASHER)
    with TestClient(app, base_url="http://10.0.0.5:8000") as behind_proxy:
        squad = coach_with_squad(behind_proxy)
    assert squad["invite_url"] == f"https://ironmile.example.org/join/{squad['invite_code']}"
