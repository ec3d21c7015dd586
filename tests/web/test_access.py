"""Every route, tried as a stranger, as another athlete and as the coach of another squad.

The routes are read from the app itself, so a route added later is covered without editing this
test. The victim is an athlete with a profile in a squad coached by `coach`; each intruder must get
401/403/404 (or, for a page, the redirect to sign in), and no response may carry any of the
victim's data (their email, their profile name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from tests.web.conftest import csrf_of, onboard, post_form, sign_up

VICTIM = "victim@example.org"
VICTIM_MARKER = "Zebediah"  # the victim's profile name: appears in nothing but the victim's data

# Routes anyone may use, with why.
PUBLIC = {
    ("GET", "/healthz"),  # load balancers probe it
    ("GET", "/api/v1/csrf"),  # a token for the caller's own session
    ("POST", "/api/v1/session"),  # signing in
    ("DELETE", "/api/v1/session"),  # signing out (of one's own session)
    ("POST", "/api/v1/accounts"),  # signing up
    ("GET", "/"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/signup"),
    ("POST", "/signup"),
    ("POST", "/logout"),
    ("GET", "/beginner.pdf"),  # the free beginner programme needs no account
    ("GET", "/feed/{token}.ics"),  # the calendar feed: the secret token is the credential
    ("GET", "/join/{invite_code}"),  # the invite page offers sign-in or sign-up
}

# Routes that end the caller's own sessions: an intruder trying them would only sign itself out,
# and every later check would then test a stranger instead.
ENDS_OWN_SESSION = {("POST", "/logout-everywhere"), ("POST", "/api/v1/account/password")}


@dataclass
class World:
    victim_id: int
    squad_id: int
    feed_token: str
    invite_code: str


def _victim_profile(engine: Engine, user_id: int) -> None:
    onboard(engine, user_id, VICTIM)
    with SqlUnitOfWork(engine) as uow:
        account = uow.accounts.get(user_id)
        assert account is not None
        assert account.athlete_id is not None
        athlete = uow.athletes.get(account.athlete_id)
        assert athlete is not None
        text = athlete.profile_toml
        named = re.sub(r'(?m)^name = ".*"$', f'name = "{VICTIM_MARKER}"', text, count=1)
        if named == text:
            named = text.replace("[athlete]\n", f'[athlete]\nname = "{VICTIM_MARKER}"\n', 1)
        uow.athletes.update_profile(athlete.id, profile_toml=named, units=athlete.units)
        uow.commit()


@pytest.fixture
def world(new_client: Callable[[], TestClient], engine: Engine) -> World:
    victim = new_client()
    victim_id = sign_up(victim, VICTIM)
    _victim_profile(engine, victim_id)
    coach = new_client()
    sign_up(coach, "coach@example.org", role="coach")
    squad = coach.post(
        "/api/v1/squads", json={"name": "Victim's club"}, headers={"X-CSRF-Token": csrf_of(coach)}
    )
    assert squad.status_code == 201, squad.text
    squad_id, invite = squad.json()["id"], squad.json()["invite_code"]
    joined = post_form(victim, f"/join/{invite}", {})
    assert joined.status_code == 303, joined.text
    with SqlUnitOfWork(engine) as uow:
        account = uow.accounts.get(victim_id)
        assert account is not None
        feed = account.feed_token
    return World(victim_id, squad_id, feed, invite)


def _routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """Every (method, path) the app serves, through included routers too; the OpenAPI document and
    its docs page are public and hold no one's data."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            for method in sorted((context.methods or set()) - {"HEAD"}):
                yield method, context.path


def _url(path: str, world: World) -> str:
    values = {
        "user_id": world.victim_id,
        "squad_id": world.squad_id,
        "token": "not-the-token",
        "invite_code": "not-the-code",
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        return str(values.get(name, 1))

    return re.sub(r"\{([^}]+)\}", fill, path)


def _leaks(body: str) -> bool:
    return VICTIM in body or VICTIM_MARKER in body


def _try(client: TestClient, method: str, url: str) -> tuple[int, str, str]:
    headers = {"X-CSRF-Token": csrf_of(client)}
    response = client.request(method, url, headers=headers, follow_redirects=False)
    return response.status_code, response.headers.get("location", ""), response.text


def test_the_app_has_the_routes_this_test_is_about(app: FastAPI) -> None:
    paths = {path for _, path in _routes(app)}
    assert any("{user_id}" in p for p in paths)
    assert any("{squad_id}" in p for p in paths)
    assert len(paths) > 30


def test_a_stranger_is_sent_to_sign_in_everywhere_but_public_routes(
    app: FastAPI, world: World, new_client: Callable[[], TestClient]
) -> None:
    stranger = new_client()
    for method, path in _routes(app):
        if (method, path) in PUBLIC:
            continue
        status, location, body = _try(stranger, method, _url(path, world))
        if path.startswith("/api/"):
            assert status == 401, (method, path, status)
        else:
            assert status == 401 or (status == 303 and location.startswith("/login")), (method, path, status)
        assert not _leaks(body), (method, path)


def test_another_athlete_gets_nothing_of_the_victim(
    app: FastAPI, world: World, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    other = new_client()
    other_id = sign_up(other, "other@example.org")
    onboard(engine, other_id, "other@example.org")
    for method, path in _routes(app):
        if (method, path) in PUBLIC | ENDS_OWN_SESSION:
            continue
        status, _, body = _try(other, method, _url(path, world))
        if "{user_id}" in path or "{squad_id}" in path:
            assert status in (403, 404), (method, path, status)
        assert status < 500, (method, path, status, body[:300])
        assert not _leaks(body), (method, path)
    assert other.get("/api/v1/me").status_code == 200  # still signed in: every check above was theirs


def test_the_coach_of_another_squad_gets_nothing_of_the_victim(
    app: FastAPI, world: World, new_client: Callable[[], TestClient]
) -> None:
    coach = new_client()
    sign_up(coach, "rival@example.org", role="coach")
    made = coach.post("/api/v1/squads", json={"name": "Rivals"}, headers={"X-CSRF-Token": csrf_of(coach)})
    assert made.status_code == 201
    for method, path in _routes(app):
        if (method, path) in PUBLIC | ENDS_OWN_SESSION:
            continue
        status, _, body = _try(coach, method, _url(path, world))
        if "{user_id}" in path or "{squad_id}" in path:
            assert status in (403, 404), (method, path, status)
        assert status < 500, (method, path, status, body[:300])
        assert not _leaks(body), (method, path)
    assert coach.get("/api/v1/me").status_code == 200


def test_the_victims_own_coach_can_read_the_victim(
    world: World, new_client: Callable[[], TestClient]
) -> None:
    """The control: the same requests do reach the data when the viewer is allowed, so the checks
    above fail for the right reason."""
    coach = new_client()
    response = post_form(coach, "/login", {"email": "coach@example.org", "password": "correct horse battery"})
    assert response.status_code == 303
    squad = coach.get(f"/api/v1/squads/{world.squad_id}")
    assert squad.status_code == 200
    assert VICTIM in squad.text


def test_the_feed_and_invite_answer_404_to_a_wrong_secret(world: World, client: TestClient) -> None:
    assert client.get("/feed/not-the-token.ics").status_code == 404
    assert client.get(f"/feed/{world.feed_token}.ics").status_code == 200
    assert client.get("/join/not-the-code").status_code == 404
