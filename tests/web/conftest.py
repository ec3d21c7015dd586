"""Web fixtures: an app on a fresh SQLite file per test, a fixed clock, and cheap argon2 parameters
(the same algorithm; production cost is tested in tests/adapters/test_passwords.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.services.training import init_athlete
from ironmile.web.app import create_app
from ironmile.web.settings import WebSettings

TODAY = date(2026, 11, 26)  # a Thursday
NOW_UTC_S = 1_795_000_000.0
PASSWORD = "correct horse battery"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Clock:
    """The app's clock, movable by a test: `clock.today = ...`, `clock.now_utc_s += 60`."""

    today: date = TODAY
    now_utc_s: float = NOW_UTC_S


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(str(tmp_path / "web.db"))
    yield engine
    engine.dispose()


@pytest.fixture
def app(engine: Engine, clock: Clock) -> FastAPI:
    return create_app(
        WebSettings(_env_file=None),  # type: ignore[call-arg]
        engine=engine,
        today=lambda: clock.today,
        now_utc_s=lambda: clock.now_utc_s,
        hasher=CHEAP_HASHER,
    )


@pytest.fixture
def new_client(app: FastAPI) -> Callable[[], TestClient]:
    """Another browser: its own cookie jar."""
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(app, base_url="http://127.0.0.1")
        clients.append(client)
        return client

    yield make  # type: ignore[misc]
    for client in clients:
        client.close()


@pytest.fixture
def client(new_client: Callable[[], TestClient]) -> TestClient:
    return new_client()


def csrf_of(client: TestClient) -> str:
    """The session's CSRF token, as a page would carry it (fetched from the API)."""
    token = client.get("/api/v1/csrf").json()["csrf_token"]
    assert isinstance(token, str)
    return token


def post_form(client: TestClient, url: str, data: dict[str, object], **kwargs: object):  # type: ignore[no-untyped-def]
    """A form POST with the session's CSRF token, as a browser submits it."""
    return client.post(url, data={"csrf_token": csrf_of(client), **data}, follow_redirects=False, **kwargs)  # type: ignore[arg-type]


def api(client: TestClient, method: str, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
    """An API call with the CSRF header, as a script using the API sends it."""
    headers = {"X-CSRF-Token": csrf_of(client), **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    return client.request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]


def sign_up(client: TestClient, email: str, role: str = "athlete") -> int:
    """Sign up through the form; returns the new account's id."""
    response = post_form(client, "/signup", {"email": email, "password": PASSWORD, "role": role})
    assert response.status_code == 303, response.text
    me = client.get("/api/v1/me").json()
    return int(me["id"])


def onboard(engine: Engine, user_id: int, email: str, profile: str = "marathoner.toml") -> int:
    """Store an example profile for the account straight through the service (onboarding's own
    tests go through the wizard); returns the athlete id."""
    text = (EXAMPLES / profile).read_text()
    stored = init_athlete(
        SqlUnitOfWork(engine),
        profile_text=text,
        source=profile,
        today=TODAY,
        catalogue=load_catalogue(),
        name=email,
        owner_id=user_id,
    )
    return stored.athlete.id


@pytest.fixture
def athlete(client: TestClient, engine: Engine) -> TestClient:
    """A signed-in athlete with the example marathoner's profile stored."""
    user_id = sign_up(client, "alex@example.org")
    onboard(engine, user_id, "alex@example.org")
    return client
