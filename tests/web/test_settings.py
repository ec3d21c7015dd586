"""The settings page and API: the training setup saved into the stored profile (which still parses,
every other field as it was) and re-planned; bad input refused field by field with nothing saved;
the password change ending every other session; leaving a squad."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.adapters.profile_toml import parse_profile
from ironmile.services import training
from ironmile.web.app import SESSION_COOKIE
from tests.web.conftest import PASSWORD, TODAY, Clock, api, csrf_of, post_form, sign_up
from tests.web.html import Element, csrf_tokens, html

NEW_PASSWORD = "a much better passphrase"


def checked(page: Element, name: str) -> list[str]:
    """The values of the ticked boxes named `name`, in page order."""
    return [box.attrs["value"] for box in page.select(f"input[name={name}][checked]")]


def submit(client: TestClient, action: str, data: Mapping[str, object]) -> Any:
    """Post a settings form with the token the page put into it, as a browser does."""
    token = csrf_tokens(html(client.get("/settings").text))[action]
    assert token
    return client.post(action, data={"csrf_token": token, **data}, follow_redirects=False)


def stored_profile(engine: Engine) -> tuple[str, int]:
    """The signed-in athlete's (alex@example.org) profile text and number of plan versions."""
    with SqlUnitOfWork(engine) as uow:
        account = uow.accounts.by_email("alex@example.org")
        assert account is not None
        assert account.athlete_id is not None
        athlete = uow.athletes.get(account.athlete_id)
        assert athlete is not None
        return athlete.profile_toml, len(uow.plans.versions(account.athlete_id))


TRAINING = {
    "units": "metric",
    "equipment": ["dumbbell", "band"],
    "available_days": ["mon", "thu"],
    "session_minutes": "40",
}


def test_the_page_shows_the_profiles_settings(athlete: TestClient) -> None:
    response = athlete.get("/settings")
    assert response.template.name == "settings/settings.html"  # type: ignore[attr-defined]
    assert response.context["nav"] == "settings"  # type: ignore[attr-defined]
    page = html(response.text)
    assert checked(page, "available_days") == ["mon", "tue", "wed", "thu", "fri", "sat"]
    assert checked(page, "equipment") == [
        "barbell",
        "rack",
        "bench",
        "dumbbell",
        "kettlebell",
        "band",
        "box",
        "pullup_bar",
    ]
    assert {"/settings/training", "/settings/password", "/logout-everywhere"} <= set(csrf_tokens(page))
    assert "20 kg bar" in response.text  # the plates that follow metric units


def test_saving_the_training_setup_rebuilds_the_plan_and_keeps_the_rest_of_the_profile(
    athlete: TestClient, engine: Engine
) -> None:
    before, versions = stored_profile(engine)
    response = submit(athlete, "/settings/training", TRAINING)
    assert response.status_code == 303
    saved = athlete.get(response.headers["location"]).context["saved"]  # type: ignore[attr-defined]
    assert saved.startswith("Saved: your plan was rebuilt from today")

    after, new_versions = stored_profile(engine)
    assert new_versions == versions + 1
    profile = parse_profile(after, source="stored", today=TODAY, catalogue=load_catalogue())
    assert profile.strength.session_minutes == 40
    old, new = tomllib.loads(before), tomllib.loads(after)
    assert new["strength"] == {
        **old["strength"],
        "equipment": ["dumbbell", "band"],
        "available_days": ["mon", "thu"],
        "session_minutes": 40,
    }
    assert {k: v for k, v in new.items() if k != "strength"} == {
        k: v for k, v in old.items() if k != "strength"
    }
    assert after.splitlines()[:25] == before.splitlines()[:25]  # the text above [strength] is untouched
    assert checked(html(athlete.get("/settings").text), "available_days") == ["mon", "thu"]


def test_switching_units_converts_the_profile(athlete: TestClient, engine: Engine) -> None:
    submit(athlete, "/settings/training", {**TRAINING, "units": "imperial"})
    after, _ = stored_profile(engine)
    document = tomllib.loads(after)
    assert document["athlete"]["units"] == "imperial"
    assert document["athlete"]["body_mass"] == 149.9  # 68 kg
    assert "45 lb bar" in athlete.get("/settings").text


def test_bad_training_input_is_refused_field_by_field_and_nothing_is_saved(
    athlete: TestClient, engine: Engine
) -> None:
    before = stored_profile(engine)
    response = submit(
        athlete,
        "/settings/training",
        {"units": "metrik", "equipment": ["barbell", "hoverboard"], "session_minutes": "lots"},
    )
    assert response.status_code == 422
    assert response.template.name == "settings/settings.html"
    errors = response.context["errors"]
    assert set(errors) == {"units", "equipment", "available_days", "session_minutes"}
    values = response.context["values"]
    assert values == {
        "units": "metrik",
        "equipment": ["barbell", "hoverboard"],
        "available_days": [],
        "session_minutes": "lots",
    }
    page = html(response.text)
    assert checked(page, "equipment") == ["barbell"]  # what was ticked stays ticked
    assert checked(page, "available_days") == []
    minutes = page.select("input[name=session_minutes]")[0]
    assert minutes.attrs["value"] == "lots"
    assert minutes.attrs["aria-describedby"] == "session_minutes-error"
    assert stored_profile(engine) == before


def test_changing_the_password_ends_every_other_session(
    athlete: TestClient, new_client: Callable[[], TestClient]
) -> None:
    phone = new_client()
    post_form(phone, "/login", {"email": "alex@example.org", "password": PASSWORD})
    assert phone.get("/api/v1/me").status_code == 200

    response = submit(
        athlete,
        "/settings/password",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )
    assert response.status_code == 303
    assert athlete.get("/settings?saved=password").context["saved"].startswith("Password changed")  # type: ignore[attr-defined]
    assert athlete.get("/api/v1/me").status_code == 200  # this browser stays signed in
    assert phone.get("/api/v1/me").status_code == 401
    assert phone.get("/settings", follow_redirects=False).headers["location"] == "/login?next=/settings"
    assert post_form(phone, "/login", {"email": "alex@example.org", "password": PASSWORD}).status_code == 422
    assert (
        post_form(phone, "/login", {"email": "alex@example.org", "password": NEW_PASSWORD}).status_code == 303
    )


def test_a_wrong_current_password_changes_nothing(athlete: TestClient) -> None:
    response = submit(
        athlete,
        "/settings/password",
        {
            "old_password": "not it at all",
            "new_password": NEW_PASSWORD,
            "confirm_password": "typo " + NEW_PASSWORD,
        },
    )
    assert response.status_code == 422
    errors = response.context["errors"]
    assert errors == {
        "old_password": "that is not your current password",
        "confirm_password": "does not match the new password",
    }
    assert NEW_PASSWORD not in response.text  # passwords never come back
    assert "not it at all" not in response.text
    assert athlete.get("/api/v1/me").status_code == 200


def test_an_athlete_leaves_a_squad(athlete: TestClient, new_client: Callable[[], TestClient]) -> None:
    coach = new_client()
    sign_up(coach, "coach@example.org", "coach")
    squad = api(coach, "POST", "/api/v1/squads", json={"name": "Track"}).json()
    post_form(athlete, f"/join/{squad['invite_code']}", {})
    assert [s.name for s in athlete.get("/settings").context["squads"]] == ["Track"]  # type: ignore[attr-defined]
    left = submit(athlete, f"/settings/squads/{squad['id']}/leave", {})
    assert left.headers["location"] == "/settings?saved=left"
    assert athlete.get("/settings").context["squads"] == []  # type: ignore[attr-defined]
    assert api(coach, "GET", f"/api/v1/squads/{squad['id']}").json()["members"] == []


def test_a_coach_and_an_athlete_without_a_profile_see_only_what_applies(
    client: TestClient, new_client: Callable[[], TestClient]
) -> None:
    sign_up(client, "coach@example.org", "coach")
    page = client.get("/settings")
    assert page.context["training"] is None  # type: ignore[attr-defined]
    assert "/settings/training" not in csrf_tokens(html(page.text))
    assert 'href="/squads"' in page.text
    newcomer = new_client()
    sign_up(newcomer, "new@example.org")
    assert 'href="/onboarding"' in newcomer.get("/settings").text


# --- the API ------------------------------------------------------------------------------------------


def test_the_api_reads_and_patches_the_training_setup(athlete: TestClient, engine: Engine) -> None:
    settings = api(athlete, "GET", "/api/v1/settings").json()
    assert settings["training"]["session_minutes"] == 50
    assert settings["training"]["bar"] == 20.0
    changed = api(athlete, "PATCH", "/api/v1/settings", json={"session_minutes": 30, "units": "imperial"})
    assert changed.status_code == 200
    body = changed.json()
    assert body["replanned"] is True
    assert body["effective_from"] == TODAY.isoformat()
    assert body["message"] == "your plan was rebuilt from today"
    assert (body["training"]["units"], body["training"]["bar"], body["training"]["session_minutes"]) == (
        "imperial",
        45.0,
        30,
    )
    same = api(athlete, "PATCH", "/api/v1/settings", json={"session_minutes": 30}).json()
    assert same["replanned"] is False
    text, versions = stored_profile(engine)
    assert versions == 2
    parse_profile(text, source="stored", today=TODAY, catalogue=load_catalogue())


def test_the_api_refuses_bad_settings_naming_each_field(athlete: TestClient, engine: Engine) -> None:
    before = stored_profile(engine)
    bad = api(
        athlete,
        "PATCH",
        "/api/v1/settings",
        json={"equipment": ["jetpack"], "available_days": [], "session_minutes": 5},
    )
    assert bad.status_code == 422
    assert {f["field"] for f in bad.json()["fields"]} == {"equipment", "available_days", "session_minutes"}
    plates = api(athlete, "PATCH", "/api/v1/settings", json={"plates": [20, 10]})
    assert plates.status_code == 422  # plates follow units; they are not a setting of their own
    assert plates.json()["fields"][0]["field"] == "plates"
    assert stored_profile(engine) == before


def test_the_api_changes_the_password_and_hands_back_a_new_token(
    athlete: TestClient, new_client: Callable[[], TestClient]
) -> None:
    phone = new_client()
    api(phone, "POST", "/api/v1/session", json={"email": "alex@example.org", "password": PASSWORD})
    old_token = csrf_of(athlete)
    wrong = api(
        athlete,
        "POST",
        "/api/v1/account/password",
        json={"old_password": "nope nope", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    assert wrong.json()["fields"] == [
        {"field": "old_password", "message": "that is not your current password"}
    ]
    response = api(
        athlete,
        "POST",
        "/api/v1/account/password",
        json={"old_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.json()["csrf_token"] != old_token
    assert SESSION_COOKIE in response.cookies
    assert athlete.get("/api/v1/me").status_code == 200
    assert phone.get("/api/v1/me").status_code == 401


def test_settings_need_the_right_account(client: TestClient, new_client: Callable[[], TestClient]) -> None:
    assert client.get("/api/v1/settings").status_code == 401
    sign_up(client, "coach@example.org", "coach")
    assert api(client, "PATCH", "/api/v1/settings", json={"session_minutes": 30}).status_code == 403
    assert api(client, "GET", "/api/v1/settings").json()["training"] is None
    newcomer = new_client()
    sign_up(newcomer, "new@example.org")
    assert api(newcomer, "PATCH", "/api/v1/settings", json={"session_minutes": 30}).status_code == 409
    assert api(newcomer, "DELETE", "/api/v1/settings/squads/1").status_code == 404


PASSING_RACE = """[athlete]
body_mass = 70

[[races]]
date = 2026-12-13
distance = 10

[strength]
available_days = ["mon", "wed"]
session_minutes = 40
"""


def test_a_stored_profile_that_no_longer_passes_is_explained_not_edited(
    client: TestClient, engine: Engine, clock: Clock
) -> None:
    user_id = sign_up(client, "sam@example.org")
    training.init_athlete(
        SqlUnitOfWork(engine),
        profile_text=PASSING_RACE,
        source="sam.toml",
        today=TODAY,
        catalogue=load_catalogue(),
        name="sam@example.org",
        owner_id=user_id,
    )
    clock.today = date(2026, 12, 10)  # the default start is now the 14th, after the race
    page = client.get("/settings")
    assert page.context["training"] is None  # type: ignore[attr-defined]
    assert "races[0].date" in page.context["training_problem"]  # type: ignore[attr-defined]
    refused = post_form(client, "/settings/training", {**TRAINING, "session_minutes": "45"})
    assert refused.status_code == 422
    assert "races[0].date" in refused.context["errors"]["training"]


def test_guessing_the_current_password_is_rate_limited(athlete: TestClient) -> None:
    for attempt in range(5):
        wrong = {
            "old_password": f"guess {attempt} guess",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        }
        assert submit(athlete, "/settings/password", wrong).status_code == 422
    right = {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    blocked = submit(athlete, "/settings/password", right)
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["retry-after"]) <= 15 * 60
    assert "too many" in blocked.context["errors"]["old_password"]
