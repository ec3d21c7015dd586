"""The profile as text on the Settings page: how a runner changes a race or the running week after
onboarding. Saved through the same check as `ironmile init`; a refused profile stores nothing and
comes back as typed, with every problem listed."""

from __future__ import annotations

import html
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from tests.web.conftest import post_form, sign_up

HALF = 'name = "City Half"\ndate = 2027-03-14'
MOVED_HALF = 'name = "City Half"\ndate = 2027-03-21'


def stored_profile(engine: Engine) -> str:
    with SqlUnitOfWork(engine) as uow:
        [athlete] = uow.athletes.all()
        return athlete.profile_toml


def context(response: Any) -> dict[str, Any]:
    return response.context  # type: ignore[no-any-return]


def races_in_plan(client: TestClient) -> dict[str, str]:
    weeks = client.get("/api/v1/plan").json()["weeks"]
    return {run["race"]: run["date"] for week in weeks for run in week["runs"] if run["kind"] == "race"}


def test_the_page_shows_the_stored_profile_to_edit(athlete: TestClient, engine: Engine) -> None:
    page = athlete.get("/settings")
    assert page.status_code == 200
    assert context(page)["profile_text"] == stored_profile(engine)
    assert 'name="toml"' in page.text
    assert HALF in html.unescape(page.text)


def test_moving_a_race_stores_the_profile_and_rebuilds_the_plan(athlete: TestClient, engine: Engine) -> None:
    assert races_in_plan(athlete)["City Half"] == "2027-03-14"
    plan_page = athlete.get("/plan").text  # kept from here on, until the data changes
    edited = stored_profile(engine).replace(HALF, MOVED_HALF)
    response = post_form(athlete, "/settings/profile", {"toml": edited})
    assert response.status_code == 303
    assert response.headers["location"] == "/settings?saved=profile"
    assert stored_profile(engine) == edited
    assert races_in_plan(athlete)["City Half"] == "2027-03-21"
    assert athlete.get("/plan").text != plan_page
    assert "Profile saved" in athlete.get("/settings?saved=profile").text


def test_a_refused_profile_stores_nothing_and_comes_back_as_typed(
    athlete: TestClient, engine: Engine
) -> None:
    before = stored_profile(engine)
    for typed in (
        before.replace(HALF, 'name = "City Half"\ndate = "next spring"'),  # a value of the wrong kind
        before + "\n[running\n",  # not TOML at all
    ):
        response = post_form(athlete, "/settings/profile", {"toml": typed})
        assert response.status_code == 422
        assert context(response)["profile_text"] == typed
        assert context(response)["profile_errors"]
        assert 'aria-invalid="true"' in response.text
        assert stored_profile(engine) == before


def test_a_coach_has_no_profile_to_edit(client: TestClient) -> None:
    sign_up(client, "coach@example.org", role="coach")
    page = client.get("/settings")
    assert context(page)["profile_text"] is None
    assert 'name="toml"' not in page.text
    assert post_form(client, "/settings/profile", {"toml": "x = 1"}).status_code == 403
