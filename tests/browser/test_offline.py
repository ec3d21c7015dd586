"""The promise to a runner in a gym basement: a set logged without a connection is kept on the
phone, sent when the connection is back, and stored exactly once, even when a request is sent
again (each set carries a request_id the server applies once)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Locator, Page, Playwright, Route, expect

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.services.training import init_athlete
from tests.browser.conftest import PASSWORD, ROOT, BrowserProblems, LiveServer, fetch_json, season_start

SEND_WITHIN_S = 15.0  # the page retries at once when back online, else after 1–2 s of backoff
QUEUED = "saved on this phone, sending…"


def marathoner_profile(today: date) -> str:
    """examples/marathoner.toml with its plan starting at `season_start(today)` and its races (a
    half in week 10, the marathon in week 17) moved along with it."""
    start = season_start(today)
    text = (ROOT / "examples" / "marathoner.toml").read_text()
    moved = {
        "start_date = 2026-12-07": f"start_date = {start.isoformat()}",
        "date = 2027-03-14": f"date = {(start + timedelta(weeks=9, days=6)).isoformat()}",
        "date = 2027-04-25": f"date = {(start + timedelta(weeks=16, days=6)).isoformat()}",
    }
    for old, new in moved.items():
        assert old in text, f"examples/marathoner.toml no longer has {old!r}"
        text = text.replace(old, new)
    return text


def onboard(db_path: Path, user_id: int, email: str, profile_text: str) -> None:
    """Store the profile straight through the service (the journey test goes through the wizard;
    here only the Today page matters)."""
    engine = make_engine(str(db_path))
    try:
        init_athlete(
            SqlUnitOfWork(engine),
            profile_text=profile_text,
            source="marathoner.toml",
            today=date.today(),  # the server runs on the real clock
            catalogue=load_catalogue(),
            name=email,
            owner_id=user_id,
        )
    finally:
        engine.dispose()


def ready_athlete(page: Page, live_server: LiveServer) -> None:
    """A signed-in athlete (signed up through the API, from inside the page) with a plan."""
    email = f"offline-{uuid.uuid4().hex[:8]}@example.org"
    page.goto("/login")
    created = fetch_json(page, "/api/v1/accounts", "POST", {"email": email, "password": PASSWORD})
    assert created["status"] == 201, created
    onboard(live_server.db_path, int(created["body"]["id"]), email, marathoner_profile(date.today()))


@pytest.fixture
def outside_view(playwright: Playwright, live_server: LiveServer) -> Iterator[APIRequestContext]:
    """An HTTP client outside the browser (so unaffected by its offline switch); a test gives it
    the browser's cookies to ask the server what it has stored."""
    client = playwright.request.new_context(base_url=live_server.base_url)
    yield client
    client.dispose()


def main_lift_today(page: Page) -> tuple[str, dict[str, Any]]:
    """The latest day up to today with a planned main lift, and that lift's target."""
    plan = fetch_json(page, "/api/v1/plan")["body"]
    days = [
        session["date"]
        for week in plan["weeks"]
        for session in week["sessions"]
        if date.fromisoformat(session["date"]) <= date.today()
    ]
    for day in reversed(days):
        targets = fetch_json(page, f"/api/v1/today?date={day}")["body"]["exercises"]
        lift = next((t for t in targets if t["role"] == "main" and t["load"] and t["reps"]), None)
        if lift is not None:
            return day, lift
    raise AssertionError(f"no main lift planned on {days}")


def stored_sets(client: APIRequestContext, page: Page, day: str, exercise_id: str) -> list[dict[str, Any]]:
    """What the server has logged, asked from outside the browser with the browser's cookies."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    response = client.get(f"/api/v1/today?date={day}", headers={"Cookie": cookies})
    assert response.ok, response.text()
    exercises = response.json()["exercises"]
    return list(next(t for t in exercises if t["id"] == exercise_id)["logged"])


def wait_for_sets(client: APIRequestContext, page: Page, day: str, exercise_id: str, count: int) -> None:
    deadline = time.monotonic() + SEND_WITHIN_S
    while len(stored := stored_sets(client, page, day, exercise_id)) < count:
        assert time.monotonic() < deadline, f"after {SEND_WITHIN_S:.0f} s the server has {stored}"
        page.wait_for_timeout(250)  # lets the page's own timers and requests run meanwhile


def set_row(page: Page, lift: dict[str, Any], index: int) -> Locator:
    card = page.get_by_role("article", name=lift["name"], exact=True)
    return card.locator(".set-row").nth(index)


def test_sets_logged_offline_are_kept_on_the_phone_then_stored_once_in_order(
    phone: Page, live_server: LiveServer, outside_view: APIRequestContext, problems: BrowserProblems
) -> None:
    problems.tolerate("net::ERR_INTERNET_DISCONNECTED")  # the page tries to send while offline
    ready_athlete(phone, live_server)
    day, lift = main_lift_today(phone)
    phone.goto(f"/today?date={day}")
    first, second = set_row(phone, lift, 0), set_row(phone, lift, 1)

    phone.context.set_offline(True)
    first.get_by_role("button", name="Done as planned").click()
    second.get_by_text("Adjust this set").click()
    second.get_by_label("Reps").fill(str(lift["reps"] - 2))
    second.get_by_label("RIR").fill("0")
    second.get_by_role("button", name="Log this set").click()

    expect(first.locator(".set-status")).to_have_text(QUEUED)
    expect(second.locator(".set-status")).to_have_text(QUEUED)
    expect(phone.locator("#queue-status")).to_contain_text(f"2 sets {QUEUED}")
    expect(phone.get_by_role("timer")).to_be_visible()  # resting does not wait for the network
    phone.wait_for_timeout(1500)  # a retry or two fail meanwhile
    assert stored_sets(outside_view, phone, day, lift["id"]) == []

    phone.context.set_offline(False)
    wait_for_sets(outside_view, phone, day, lift["id"], 2)
    expect(first.locator(".set-status")).to_have_text("saved")
    expect(second.locator(".set-status")).to_have_text("saved")
    expect(phone.locator("#queue-status")).to_be_hidden()
    stored = stored_sets(outside_view, phone, day, lift["id"])
    assert [(s["reps"], s["rir"]) for s in stored] == [(lift["reps"], lift["rir"]), (lift["reps"] - 2, 0)]

    phone.reload()  # the page from the server shows both sets as logged, and nothing queued
    expect(set_row(phone, lift, 0)).to_contain_text("Set 1:")
    expect(set_row(phone, lift, 1)).to_contain_text("Set 2:")
    expect(phone.locator("#queue-status")).to_be_hidden()


def test_a_set_whose_answer_is_lost_is_sent_again_and_stored_once(
    phone: Page, live_server: LiveServer, outside_view: APIRequestContext, problems: BrowserProblems
) -> None:
    problems.tolerate("net::ERR_FAILED")  # the answer lost on the way back, on purpose
    ready_athlete(phone, live_server)
    day, lift = main_lift_today(phone)
    phone.goto(f"/today?date={day}")
    row = set_row(phone, lift, 0)
    request_id = row.locator("input[name=request_id]").first.get_attribute("value")
    assert request_id, "a set row without its request_id"
    answers: list[dict[str, Any]] = []

    def lose_the_first_answer(route: Route) -> None:
        answer = route.fetch()  # the server handles the set...
        answers.append(answer.json())
        if len(answers) == 1:
            route.abort("failed")  # ...and the phone never hears back the first time
        else:
            route.fulfill(response=answer)

    phone.route("**/api/v1/sets", lose_the_first_answer)
    row.get_by_role("button", name="Done as planned").click()
    expect(row.locator(".set-status")).to_have_text(QUEUED)
    expect(row.locator(".set-status")).to_have_text("saved", timeout=int(SEND_WITHIN_S * 1000))
    assert [answer["request_id"] for answer in answers] == [request_id, request_id]
    assert [answer["replayed"] for answer in answers] == [False, True]  # stored, then recognised
    assert len(stored_sets(outside_view, phone, day, lift["id"])) == 1

    # A script (or a second tab) sends the very same request once more: answered, not stored again.
    again = fetch_json(
        phone,
        "/api/v1/sets",
        "POST",
        {
            "date": day,
            "exercise_id": lift["id"],
            "load": lift["load"],
            "reps": lift["reps"],
            "rir": lift["rir"],
            "request_id": request_id,
        },
    )
    assert again["status"] == 200, again
    assert again["body"]["replayed"] is True
    assert again["body"]["number"] == 1
    assert len(stored_sets(outside_view, phone, day, lift["id"])) == 1
