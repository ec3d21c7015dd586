"""The coach's pages and joining by invite: a coach sees only the squads they lead and only their
members' data; the overview puts who hurts and whose mileage spiked first; the invite link works
from sign-up to the squad, and a renewed link ends the old one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.activity import Activity, Sport
from ironmile.domain.training import LoggedSession, LoggedSet, MorningPain
from ironmile.services.squad_overview import Concern
from tests.web.conftest import PASSWORD, TODAY, onboard, post_form, sign_up
from tests.web.html import Element, csrf_tokens, html


def links(page: Element) -> set[str]:
    """Where the page's links go."""
    return {link.attrs["href"] for link in page.select("a[href]")}


def submit(client: TestClient, page_url: str, action: str, data: Mapping[str, object]) -> Any:
    """Post a form as a browser does: with the token the page put into that form."""
    token = csrf_tokens(html(client.get(page_url).text))[action]
    assert token, f"the form {action} on {page_url} carries no CSRF token"
    return client.post(action, data={"csrf_token": token, **data}, follow_redirects=False)


def new_squad(client: TestClient, name: str = "Tuesday track") -> tuple[int, str]:
    """Create a squad through the page; returns its id and invite code."""
    response = submit(client, "/squads", "/squads", {"name": name})
    assert response.status_code == 303
    squad_id = int(response.headers["location"].rsplit("/", 1)[1])
    invite = client.get(f"/squads/{squad_id}").context["invite_url"]  # type: ignore[attr-defined]
    return squad_id, invite.rsplit("/join/", 1)[1]


def member(
    new_client: Callable[[], TestClient], engine: Engine, email: str, code: str
) -> tuple[TestClient, int]:
    """An athlete who joined with the invite code and has the example marathoner's profile."""
    browser = new_client()
    user_id = sign_up(browser, email)
    assert post_form(browser, f"/join/{code}", {}).status_code == 303
    onboard(engine, user_id, email)
    return browser, user_id


def athlete_id(engine: Engine, user_id: int) -> int:
    with SqlUnitOfWork(engine) as uow:
        account = uow.accounts.get(user_id)
    assert account is not None
    assert account.athlete_id is not None
    return account.athlete_id


def test_the_invite_link_takes_a_new_runner_from_sign_up_into_the_squad(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    sign_up(client, "coach@example.org", "coach")
    squad_id, code = new_squad(client)
    runner = new_client()

    invited = runner.get(f"/join/{code}")
    assert invited.template.name == "squads/join.html"  # type: ignore[attr-defined]
    assert {f"/signup?invite={code}", f"/login?next=/join/{code}"} <= links(html(invited.text))

    form = html(runner.get(f"/signup?invite={code}").text)
    assert form.select(f'input[name=invite][value="{code}"]')  # the sign-up form carries the invite
    signed_up = submit(
        runner,
        f"/signup?invite={code}",
        "/signup",
        {"email": "sam@example.org", "password": PASSWORD, "role": "athlete", "invite": code},
    )
    assert signed_up.headers["location"] == f"/join/{code}"
    confirm = runner.get(f"/join/{code}")
    assert "Join the squad" in confirm.text
    joined = submit(runner, f"/join/{code}", f"/join/{code}", {})
    assert joined.status_code == 303
    assert joined.headers["location"] == "/onboarding"  # no profile yet

    rows = client.get(f"/squads/{squad_id}").context["overview"].rows  # type: ignore[attr-defined]
    assert [(row.email, row.concerns) for row in rows] == [("sam@example.org", (Concern.NO_PROFILE,))]
    assert runner.get(f"/join/{code}").context["member"] is True  # type: ignore[attr-defined]
    settings = runner.get("/settings").context["squads"]  # type: ignore[attr-defined]
    assert [squad.name for squad in settings] == ["Tuesday track"]


def test_a_runner_with_an_account_signs_in_and_comes_back_to_join(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    sign_up(client, "coach@example.org", "coach")
    _, code = new_squad(client)
    runner = new_client()
    user_id = sign_up(runner, "alex@example.org")
    onboard(engine, user_id, "alex@example.org")
    post_form(runner, "/logout", {})
    signed_in = submit(
        runner,
        f"/login?next=/join/{code}",
        "/login",
        {"email": "alex@example.org", "password": PASSWORD, "next": f"/join/{code}"},
    )
    assert signed_in.headers["location"] == f"/join/{code}"
    joined = submit(runner, f"/join/{code}", f"/join/{code}", {})
    assert joined.headers["location"] == "/today"
    assert client.get(f"/athletes/{user_id}").status_code == 200


def test_renewing_the_invite_ends_the_old_link(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    sign_up(client, "coach@example.org", "coach")
    squad_id, old = new_squad(client)
    renewed = submit(client, f"/squads/{squad_id}", f"/squads/{squad_id}/invite", {})
    assert renewed.status_code == 303
    new = client.get(f"/squads/{squad_id}").context["invite_url"].rsplit("/join/", 1)[1]  # type: ignore[attr-defined]
    assert new != old

    runner = new_client()
    stale = runner.get(f"/join/{old}")
    assert stale.status_code == 404
    assert "not valid (it may have been renewed)" in stale.text
    sign_up(runner, "late@example.org")
    assert post_form(runner, f"/join/{old}", {}).status_code == 404
    assert runner.get(f"/join/{new}").status_code == 200
    assert post_form(runner, f"/join/{new}", {}).status_code == 303


def test_an_unknown_invite_is_not_found_and_a_coach_cannot_join(
    client: TestClient, new_client: Callable[[], TestClient]
) -> None:
    missing = client.get("/join/no-such-code")
    assert missing.status_code == 404
    assert missing.template.name == "error.html"  # type: ignore[attr-defined]
    assert "ask your coach" in missing.context["message"]  # type: ignore[attr-defined]
    sign_up(client, "coach@example.org", "coach")
    _, code = new_squad(client)
    other_coach = new_client()
    sign_up(other_coach, "other@example.org", "coach")
    assert other_coach.get(f"/join/{code}").status_code == 403
    assert post_form(other_coach, f"/join/{code}", {}).status_code == 403


def test_a_coach_sees_only_the_squads_they_lead_and_only_their_members(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    sign_up(client, "coach@example.org", "coach")
    squad_id, code = new_squad(client)
    runner, runner_id = member(new_client, engine, "alex@example.org", code)
    outsider = new_client()
    outsider_id = sign_up(outsider, "out@example.org")
    other = new_client()
    sign_up(other, "other@example.org", "coach")
    new_squad(other, "Sunday long runs")

    listed = client.get("/squads").context["squads"]  # type: ignore[attr-defined]
    assert [(item["squad"].name, item["members"]) for item in listed] == [("Tuesday track", 1)]
    assert client.get(f"/athletes/{runner_id}").status_code == 200
    assert client.get(f"/athletes/{outsider_id}").status_code == 404

    assert other.get(f"/squads/{squad_id}").status_code == 404
    assert other.get(f"/athletes/{runner_id}").status_code == 404
    assert post_form(other, f"/squads/{squad_id}/invite", {}).status_code == 404
    assert post_form(other, f"/squads/{squad_id}/members/{runner_id}/remove", {}).status_code == 404
    assert [item["squad"].name for item in other.get("/squads").context["squads"]] == ["Sunday long runs"]  # type: ignore[attr-defined]

    assert runner.get(f"/athletes/{outsider_id}").status_code == 404  # athletes see only themselves
    assert runner.get(f"/athletes/{runner_id}").status_code == 200


def test_an_athlete_cannot_open_the_coach_pages(athlete: TestClient) -> None:
    response = athlete.get("/squads")
    assert response.status_code == 403
    assert response.template.name == "error.html"  # type: ignore[attr-defined]
    assert athlete.get("/squads/1").status_code == 403
    assert post_form(athlete, "/squads", {"name": "Mine"}).status_code == 403


def test_removing_a_member_takes_their_data_out_of_sight(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    sign_up(client, "coach@example.org", "coach")
    squad_id, code = new_squad(client)
    _, runner_id = member(new_client, engine, "alex@example.org", code)
    removed = submit(client, f"/squads/{squad_id}", f"/squads/{squad_id}/members/{runner_id}/remove", {})
    assert removed.status_code == 303
    assert client.get(f"/squads/{squad_id}").context["overview"].rows == ()  # type: ignore[attr-defined]
    assert client.get(f"/athletes/{runner_id}").status_code == 404
    assert post_form(client, f"/squads/{squad_id}/members/{runner_id}/remove", {}).status_code == 404


def test_a_bad_squad_name_is_refused_next_to_the_field(client: TestClient) -> None:
    sign_up(client, "coach@example.org", "coach")
    long_name = "x" * 81
    response = submit(client, "/squads", "/squads", {"name": long_name})
    assert response.status_code == 422
    assert response.template.name == "squads/list.html"
    assert "1 to 80 characters" in response.context["errors"]["name"]
    field = html(response.text).select("input[name=name]")[0]
    assert field.attrs["value"] == long_name
    assert field.attrs["aria-describedby"] == "name-error"
    assert client.get("/squads").context["squads"] == []  # type: ignore[attr-defined]


def run(days_ago: int, km: float) -> Activity:
    start = datetime(TODAY.year, TODAY.month, TODAY.day, 7, tzinfo=UTC) - timedelta(days=days_ago)
    return Activity(start, Sport.RUNNING, f"run-{days_ago}.fit", f"run-{days_ago}", km * 1000, km * 330)


def test_the_overview_puts_who_hurts_and_whose_mileage_spiked_first(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    sign_up(client, "coach@example.org", "coach")
    squad_id, code = new_squad(client)
    member(new_client, engine, "a-fine@example.org", code)
    _, hurting = member(new_client, engine, "b-hurting@example.org", code)
    _, spiking = member(new_client, engine, "c-spiking@example.org", code)
    hurting_athlete, spiking_athlete = athlete_id(engine, hurting), athlete_id(engine, spiking)
    with SqlUnitOfWork(engine) as uow:  # one transaction at a time: SQLite's writer lock
        session = LoggedSession(
            TODAY - timedelta(days=1), (LoggedSet("back_squat", 60.0, 5, None, 2, pain=7),)
        )
        uow.log.add(hurting_athlete, session)
        uow.morning_pain.put(hurting_athlete, MorningPain(TODAY, 6))
        history = [run(days, 8.0) for days in range(40, 6, -3)]
        uow.activities.add_many(
            spiking_athlete, [(a, None) for a in [*history, run(1, 14.0)]], imported_on=TODAY
        )
        uow.commit()

    response = client.get(f"/squads/{squad_id}")
    assert response.template.name == "squads/overview.html"  # type: ignore[attr-defined]
    rows = response.context["overview"].rows  # type: ignore[attr-defined]
    assert [(row.email, row.concerns) for row in rows] == [
        ("b-hurting@example.org", (Concern.PAIN,)),
        ("c-spiking@example.org", (Concern.SPIKE,)),
        ("a-fine@example.org", ()),
    ]
    page = html(response.text)
    assert {f"/athletes/{hurting}", f"/athletes/{hurting}/progress", f"/athletes/{spiking}"} <= links(page)
    assert page.select("tr[class=attention]")
    assert page.select("tr[class=fine]")
    assert "75 %" in response.text or "75%" in response.text  # the spike's own message
    assert "14.0 km" in response.text  # this week's running, in the member's units

    summary = client.get(f"/athletes/{hurting}")
    assert summary.template.name == "squads/athlete.html"  # type: ignore[attr-defined]
    assert summary.context["summary"].row.pain_during == 7  # type: ignore[attr-defined]
    assert "Back squat" in summary.text or "back squat" in summary.text.lower()
    assert "6/10" in summary.text  # the morning check-in


def test_the_overview_can_look_at_another_day(client: TestClient) -> None:
    sign_up(client, "coach@example.org", "coach")
    squad_id, _ = new_squad(client)
    response = client.get(f"/squads/{squad_id}?date=2026-12-20")
    assert str(response.context["overview"].as_of) == "2026-12-20"  # type: ignore[attr-defined]
    assert client.get(f"/squads/{squad_id}?date=someday").status_code == 422
