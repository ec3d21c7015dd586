"""Kept answers (web/view_cache.py): built once per version of an athlete's data, never stale and
never another's. Writes that bypass the web app (the CLI's services on the same database) show on
the next request because the database itself raises the version."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any, TypeVar

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.services.review import record_body
from ironmile.services.schedule import plan_document
from ironmile.services.training import log_sets
from ironmile.web.view_cache import CSRF_PLACEHOLDER, Made, ViewCache, accepts_gzip, answer
from tests.web.conftest import PASSWORD, Clock, onboard, post_form, sign_up
from tests.web.html import html
from tests.web.test_today import logged, set_form

T = TypeVar("T")
TUE = date(2026, 12, 8)  # the marathoner's first session: back squat 3×5 first
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def tuesday(athlete: TestClient, clock: Clock) -> TestClient:
    clock.today = TUE
    return athlete


def kept(app: FastAPI) -> ViewCache:
    views: ViewCache = app.state.ironmile.views
    return views


def squat_outside_the_app(engine: Engine, athlete_id: int) -> None:
    """A back squat at 77.5 × 5 on Tuesday, logged as `ironmile log` does: straight to the database."""
    uow, catalogue = SqlUnitOfWork(engine), load_catalogue()
    log_sets(
        uow, day=TUE, catalogue=catalogue, exercise_id="back_squat", notation="77.5x5", athlete_id=athlete_id
    )


def athlete_id_of(client: TestClient, engine: Engine) -> int:
    email = client.get("/api/v1/me").json()["email"]
    with SqlUnitOfWork(engine) as uow:
        stored = uow.athletes.by_name(email)
        assert stored is not None
        return stored.id


def test_the_same_request_is_answered_from_what_was_kept(tuesday: TestClient, app: FastAPI) -> None:
    first = tuesday.get(f"/today?date={TUE}")
    entries = len(kept(app))
    again = tuesday.get(f"/today?date={TUE}")
    assert again.status_code == first.status_code == 200
    assert again.text == first.text
    assert len(kept(app)) == entries >= 1
    # what tests read of any rendered page is there for a kept one too
    assert again.template.name == "today/page.html"  # type: ignore[attr-defined]
    assert again.context["day"] == TUE  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", [f"/today?date={TUE}", f"/api/v1/today?date={TUE}"])
def test_a_set_logged_outside_the_app_shows_on_the_next_request(
    tuesday: TestClient, engine: Engine, path: str
) -> None:
    before = tuesday.get(path)
    squat_outside_the_app(engine, athlete_id_of(tuesday, engine))
    after = tuesday.get(path)
    assert "77.5" not in before.text
    assert "77.5" in after.text


def test_a_weigh_in_outside_the_app_shows_on_progress(tuesday: TestClient, engine: Engine) -> None:
    def masses() -> list[float]:
        return [point["mass_kg"] for point in tuesday.get("/api/v1/progress").json()["body_mass"]]

    assert masses() == []
    catalogue, athlete_id = load_catalogue(), athlete_id_of(tuesday, engine)
    record_body(SqlUnitOfWork(engine), day=TUE, catalogue=catalogue, body_mass=71.5, athlete_id=athlete_id)
    assert masses() == [71.5]


def test_each_session_gets_the_kept_page_with_its_own_working_token(
    tuesday: TestClient, new_client: Callable[[], TestClient], app: FastAPI
) -> None:
    other_browser = new_client()
    response = post_form(other_browser, "/login", {"email": "alex@example.org", "password": PASSWORD})
    assert response.status_code == 303, response.text
    pages = [client.get(f"/today?date={TUE}").text for client in (tuesday, other_browser)]
    tokens = [set(_CSRF.findall(page)) for page in pages]
    assert all(len(found) == 1 for found in tokens)
    assert tokens[0] != tokens[1]
    assert CSRF_PLACEHOLDER not in pages[0] + pages[1]
    assert len(kept(app)) >= 1
    for client, page, (token,) in zip((tuesday, other_browser), pages, tokens, strict=True):
        fields = set_form(html(page), "back_squat")
        assert fields["csrf_token"] == token
        assert client.post("/today/sets", data=fields, follow_redirects=False).status_code == 303
    # One page, one set: the same form sent from two phones is the same set, logged once.
    assert len(logged(tuesday)) == 1


def test_another_athlete_on_the_same_day_never_gets_the_first_ones_answers(
    tuesday: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    paths = (f"/api/v1/today?date={TUE}", "/api/v1/plan", "/plan", f"/today?date={TUE}")
    mine = [tuesday.get(path).text for path in paths]
    other = new_client()
    their_id = onboard(engine, sign_up(other, "sam@example.org"), "sam@example.org", "knee_pain_5k.toml")
    theirs = [other.get(path).text for path in paths]
    assert all(a != b for a, b in zip(mine, theirs, strict=True))
    assert json.loads(theirs[1]) == json.loads(
        plan_document(SqlUnitOfWork(engine), today=TUE, athlete_id=their_id)
    )


def test_a_new_day_gives_a_new_page(tuesday: TestClient, clock: Clock) -> None:
    assert tuesday.get("/api/v1/today").json()["date"] == TUE.isoformat()
    clock.today = TUE + timedelta(days=1)
    assert tuesday.get("/api/v1/today").json()["date"] == (TUE + timedelta(days=1)).isoformat()


def test_signing_out_everywhere_is_not_undone_by_a_kept_page(tuesday: TestClient) -> None:
    assert tuesday.get(f"/today?date={TUE}").status_code == 200
    assert post_form(tuesday, "/logout-everywhere", {}).status_code == 303
    response = tuesday.get(f"/today?date={TUE}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


# --- the cache itself --------------------------------------------------------------------------


def run(work: Coroutine[Any, Any, T]) -> T:
    """`work` on an event loop of its own, in a thread: the browser tests' Playwright may have a
    loop running in this one."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work).result()


def a_request() -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [], "session": {}})


def made(text: str) -> Made:
    return Made(text.encode(), "application/json")


def test_a_key_is_built_once_and_no_key_builds_each_time() -> None:
    cache, built = ViewCache(8), []

    def build() -> Made:
        built.append(1)
        return made(f'{{"n": {len(built)}}}')

    bodies = [run(answer(a_request(), cache, ("k", 1), build)).body for _ in range(3)]
    assert bodies == [b'{"n": 1}'] * 3
    unkept = [run(answer(a_request(), cache, None, build)).body for _ in range(2)]
    assert unkept == [b'{"n": 2}', b'{"n": 3}']


def test_requests_missing_the_same_key_at_once_wait_for_one_build() -> None:
    cache, built = ViewCache(8), []

    def build() -> Made:
        built.append(1)
        time.sleep(0.05)  # long enough for every request below to arrive while it runs
        return made(f'{{"n": {len(built)}}}')

    async def five_at_once() -> list[bytes]:
        answers = await asyncio.gather(*(answer(a_request(), cache, ("k",), build) for _ in range(5)))
        return [bytes(response.body) for response in answers]

    assert run(five_at_once()) == [b'{"n": 1}'] * 5
    assert built == [1]
    assert cache.building == {}


def test_a_failed_build_reaches_every_waiter_and_keeps_nothing() -> None:
    cache, calls = ViewCache(8), []

    def build() -> Made:
        calls.append(1)
        time.sleep(0.02)
        raise LookupError("no such plan")

    async def three_at_once() -> list[BaseException | Response]:
        return await asyncio.gather(
            *(answer(a_request(), cache, ("k",), build) for _ in range(3)), return_exceptions=True
        )

    outcomes = run(three_at_once())
    assert [type(outcome) for outcome in outcomes] == [LookupError] * 3
    assert calls == [1]
    assert cache.get(("k",)) is None
    assert cache.building == {}


def test_the_least_recently_used_answer_goes_first() -> None:
    cache = ViewCache(2)
    cache.put("a", made("1"))
    cache.put("b", made("2"))
    assert cache.get("a") is not None  # "a" is now the more recent
    cache.put("c", made("3"))
    assert [cache.get(key) is not None for key in ("a", "b", "c")] == [True, False, True]
    assert len(cache) == 2


def test_a_cache_of_no_entries_keeps_nothing() -> None:
    cache = ViewCache(0)
    cache.put("a", made("1"))
    assert cache.get("a") is None
    assert len(cache) == 0


def test_a_page_gets_the_sessions_token_in_place_of_the_placeholder() -> None:
    request = a_request()
    page = Made(f'<input value="{CSRF_PLACEHOLDER}">'.encode(), "text/html", template=object())  # type: ignore[arg-type]
    response = run(answer(request, ViewCache(4), ("page",), lambda: page))
    token = request.session["csrf_token"]
    assert response.body == f'<input value="{token}">'.encode()


def test_api_answers_are_gzipped_for_clients_that_accept_it_and_pages_never(tuesday: TestClient) -> None:
    zipped = tuesday.get("/api/v1/plan", headers={"Accept-Encoding": "gzip"})
    plain = tuesday.get("/api/v1/plan", headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert "Accept-Encoding" in zipped.headers["vary"]
    assert "Accept-Encoding" in plain.headers["vary"]
    assert zipped.content == plain.content  # the client inflated it
    assert int(zipped.headers["content-length"]) < len(plain.content) / 5
    # A page carries the session's CSRF token next to what a request can make it show: never
    # compressed (BREACH).
    page = tuesday.get(f"/today?date={TUE}", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in page.headers


def test_a_write_waiting_for_the_database_holds_up_no_other_request(
    tuesday: TestClient, app: FastAPI, engine: Engine
) -> None:
    """Another process (a cron `ironmile import`) holds SQLite's write lock: a write request waits
    for it in its thread, while reads, kept or not, go on being answered on the event loop."""
    database = engine.url.database
    assert database is not None
    with TestClient(app, base_url="http://127.0.0.1") as client:  # one event loop for all requests
        signed_in = post_form(client, "/login", {"email": "alex@example.org", "password": PASSWORD})
        assert signed_in.status_code == 303
        assert client.get(f"/today?date={TUE}").status_code == 200  # kept from here on
        token = client.get("/api/v1/csrf").json()["csrf_token"]
        other_process = sqlite3.connect(database, isolation_level=None)
        other_process.execute("BEGIN IMMEDIATE")
        written: list[tuple[int, str]] = []

        def check_in() -> None:
            body = {"date": f"{TUE}", "morning_pain": 1}
            response = client.post("/api/v1/checkins", json=body, headers={"X-CSRF-Token": token})
            written.append((response.status_code, response.text))

        writer = threading.Thread(target=check_in)
        try:
            writer.start()
            time.sleep(0.3)  # the write is now waiting for the lock
            assert client.get("/healthz").status_code == 200
            assert client.get(f"/today?date={TUE}").status_code == 200
            assert client.get("/api/v1/me").status_code == 200
            assert written == []  # answered while the write still waited
        finally:
            other_process.execute("ROLLBACK")
            other_process.close()
            writer.join()
        assert [status for status, _ in written] == [201], written


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, identity", False),
        ("identity", False),
        ("", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_gzip_is_sent_only_where_the_client_takes_it(header: str, takes: bool) -> None:
    assert accepts_gzip(header) is takes
