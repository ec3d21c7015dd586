"""The export page and its downloads, each opened the way its reader opens it: the PDF with
pdfplumber, the calendar with icalendar, the watch workouts with Garmin's FIT SDK, the backup by
restoring it, the tables with the csv module. The calendar feed works without a session, for its
token only, and a renewed address kills the old one."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from fastapi.testclient import TestClient
from garmin_fit_sdk import Decoder, Stream
from icalendar import Calendar
from sqlalchemy import Engine

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.migrate import upgrade
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.services import review, training
from ironmile.web.app import create_app
from ironmile.web.settings import WebSettings
from tests.web.conftest import CHEAP_HASHER, EXAMPLES, TODAY, Clock, onboard, post_form, sign_up

EMAIL = "alex@example.org"
# PDF page sizes in points (1/72 inch), landscape: ISO 216 A4 is 297 × 210 mm, US letter 11 × 8.5 in.
A4_LANDSCAPE = (842, 595)
LETTER_LANDSCAPE = (792, 612)


def feed_token(engine: Engine, email: str = EMAIL) -> str:
    uow = SqlUnitOfWork(engine)
    with uow:
        account = uow.accounts.by_email(email)
    assert account is not None
    return account.feed_token


def athlete_id(engine: Engine) -> int:
    uow = SqlUnitOfWork(engine)
    with uow:
        athlete = uow.athletes.by_name(EMAIL)
    assert athlete is not None
    return athlete.id


def session_dates(engine: Engine, on: date = TODAY) -> list[date]:
    uow = SqlUnitOfWork(engine)
    with uow:
        athlete = uow.athletes.by_name(EMAIL)
        assert athlete is not None
        plan = training.plan_on(uow, athlete, on, load_catalogue())
    return sorted(s.date for week in plan.weeks for s in week.sessions)


def events(ics: bytes) -> dict[str, tuple[int, date]]:
    """UID → (SEQUENCE, date) of every event."""
    return {
        str(event["UID"]): (int(event.get("SEQUENCE", 0)), event.decoded("DTSTART"))
        for event in Calendar.from_ical(ics).walk("VEVENT")
    }


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) > 1
        return {(round(page.width), round(page.height)) for page in document.pages}


def test_the_page_links_every_download_and_shows_the_private_feed_address(
    athlete: TestClient, engine: Engine
) -> None:
    response = athlete.get("/export")
    assert response.status_code == 200
    assert response.template.name == "exports/index.html"  # type: ignore[attr-defined]
    context = response.context  # type: ignore[attr-defined]
    assert context["nav"] == "export"
    url = f"http://127.0.0.1/feed/{feed_token(engine)}.ics"
    assert context["feed_url"] == url
    assert f'value="{url}"' in response.text
    assert '<label for="feed-url">' in response.text
    assert 'data-copy="feed-url"' in response.text
    assert context["webcal_url"] == url.replace("http://", "webcal://")
    for href in (
        "/export/plan.pdf?paper=a4",
        "/export/plan.pdf?paper=letter",
        "/export/plan.ics",
        "/export/workouts.zip",
        "/export/backup.json",
        "/export/tables.zip",
        "/beginner.pdf?units=imperial&amp;paper=letter",
    ):
        assert f'href="{href}"' in response.text, href
    assert '<form method="post" action="/export/feed"' in response.text
    assert context["overview"].upcoming == len(session_dates(engine))


@pytest.fixture
def public_client(engine: Engine, clock: Clock) -> Iterator[TestClient]:
    """A signed-in athlete on an app told its public address (it runs behind a proxy)."""
    app = create_app(
        WebSettings(_env_file=None, public_url="https://ironmile.example.org/"),  # type: ignore[call-arg]
        engine=engine,
        today=lambda: clock.today,
        hasher=CHEAP_HASHER,
    )
    client = TestClient(app, base_url="http://10.0.0.5:8000")
    onboard(engine, sign_up(client, EMAIL), EMAIL)
    yield client
    client.close()


def test_the_feed_address_is_under_the_public_url_when_one_is_set(
    public_client: TestClient, engine: Engine
) -> None:
    context = public_client.get("/export").context  # type: ignore[attr-defined]
    assert context["feed_url"] == f"https://ironmile.example.org/feed/{feed_token(engine)}.ics"
    assert context["webcal_url"] == f"webcal://ironmile.example.org/feed/{feed_token(engine)}.ics"


def test_the_plan_pdf_prints_on_a4_or_letter(athlete: TestClient) -> None:
    a4 = athlete.get("/export/plan.pdf")
    assert a4.status_code == 200
    assert a4.headers["content-type"] == "application/pdf"
    assert a4.headers["content-disposition"] == 'attachment; filename="ironmile-plan-2026-11-26.pdf"'
    assert a4.content.startswith(b"%PDF")
    assert page_sizes(a4.content) == {A4_LANDSCAPE}
    assert page_sizes(athlete.get("/export/plan.pdf?paper=letter").content) == {LETTER_LANDSCAPE}
    assert athlete.get("/export/plan.pdf?paper=tabloid").status_code == 422


def test_the_calendar_file_holds_every_session_once(athlete: TestClient, engine: Engine) -> None:
    response = athlete.get("/export/plan.ics")
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="ironmile-plan.ics"'
    found = events(response.content)
    assert sorted(day for _, day in found.values()) == session_dates(engine)
    assert {sequence for sequence, _ in found.values()} == {0}


def test_the_feed_needs_no_session_and_opens_for_its_token_only(
    athlete: TestClient, engine: Engine, new_client: Callable[[], TestClient]
) -> None:
    token = feed_token(engine)
    calendar_app = new_client()  # no cookie at all
    feed = calendar_app.get(f"/feed/{token}.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "set-cookie" not in feed.headers
    assert feed.content == athlete.get("/export/plan.ics").content
    for wrong in ("wrong", token[:-1], token.swapcase(), "..%2F..%2Fetc%2Fpasswd"):
        assert calendar_app.get(f"/feed/{wrong}.ics").status_code == 404, wrong


def test_renewing_the_address_stops_the_old_one_at_once(
    athlete: TestClient, engine: Engine, new_client: Callable[[], TestClient]
) -> None:
    old = feed_token(engine)
    response = post_form(athlete, "/export/feed", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/export?renewed=true#feed"
    new = feed_token(engine)
    assert new != old
    calendar_app = new_client()
    assert calendar_app.get(f"/feed/{old}.ics").status_code == 404
    assert calendar_app.get(f"/feed/{new}.ics").status_code == 200
    page = athlete.get("/export?renewed=true")
    assert page.context["feed_url"].endswith(f"/feed/{new}.ics")  # type: ignore[attr-defined]
    assert "the old one no longer works" in page.text
    assert post_form(new_client(), "/export/feed", {}).status_code == 401
    assert feed_token(engine) == new


def test_the_renew_form_works_without_javascript(athlete: TestClient, engine: Engine) -> None:
    old = feed_token(engine)
    form = athlete.get("/export").text.split('action="/export/feed"', 1)[1]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    response = athlete.post("/export/feed", data={"csrf_token": token[1]}, follow_redirects=False)
    assert response.status_code == 303
    assert feed_token(engine) != old


def test_a_new_plan_version_raises_the_sequence_of_the_sessions_it_changed(
    athlete: TestClient, engine: Engine, new_client: Callable[[], TestClient]
) -> None:
    calendar_app = new_client()
    url = f"/feed/{feed_token(engine)}.ics"
    before = events(calendar_app.get(url).content)
    uow = SqlUnitOfWork(engine)
    profile = review.show_profile(uow, athlete_id=athlete_id(engine))
    review.edit_profile(
        uow,
        profile_text=profile.replace("session_minutes = 50", "session_minutes = 35"),
        source="edited",
        today=TODAY,
        catalogue=load_catalogue(),
        athlete_id=athlete_id(engine),
    )
    after = events(calendar_app.get(url).content)
    assert after.keys() == before.keys()  # the same events, updated in place
    assert max(sequence for sequence, _ in after.values()) == 1


def test_watch_workouts_are_valid_fit_files_one_per_session_still_to_come(
    athlete: TestClient, engine: Engine, clock: Clock
) -> None:
    clock.today = date(2027, 2, 3)
    response = athlete.get("/export/workouts.zip")
    assert response.headers["content-type"] == "application/zip"
    assert (
        response.headers["content-disposition"] == 'attachment; filename="ironmile-workouts-2027-02-03.zip"'
    )
    upcoming = [day for day in session_dates(engine, clock.today) if day >= clock.today]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert sorted(names) == sorted(
            [f"{day.isoformat()}-strength.fit" for day in upcoming] + ["README.txt"]
        )
        for name in (name for name in names if name.endswith(".fit")):
            data = bytearray(archive.read(name))
            assert Decoder(Stream.from_byte_array(data)).check_integrity(), name
            messages, errors = Decoder(Stream.from_byte_array(data)).read()
            assert errors == []
            assert messages["file_id_mesgs"][0]["type"] == "workout"
            assert messages["workout_mesgs"][0]["sub_sport"] == "strength_training"


def test_the_backup_restores_into_an_empty_database_as_it_was(athlete: TestClient, tmp_path: Path) -> None:
    response = athlete.get("/export/backup.json")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == 'attachment; filename="ironmile-backup-2026-11-26.json"'
    assert json.loads(response.text)
    fresh = make_engine(str(tmp_path / "restored.db"))
    upgrade(fresh)
    try:
        training.restore_all(SqlUnitOfWork(fresh), response.text, source="backup.json")
        assert training.export_all(SqlUnitOfWork(fresh)) == response.text
    finally:
        fresh.dispose()


def test_the_tables_are_csv_files_with_the_profile_as_written(athlete: TestClient) -> None:
    response = athlete.get("/export/tables.zip")
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == 'attachment; filename="ironmile-tables-2026-11-26.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        assert archive.read("profile.toml").decode() == (EXAMPLES / "marathoner.toml").read_text()
        tables = [name for name in names if name.endswith(".csv")]
        assert tables
        assert len(tables) == len(names) - 1
        for name in tables:
            rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))
            assert rows, name
            assert all(rows[0]), name  # a header naming every column


def test_the_beginner_programme_needs_no_account(client: TestClient) -> None:
    response = client.get("/beginner.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert (
        response.headers["content-disposition"]
        == 'inline; filename="ironmile-beginner-10-weeks-metric-a4.pdf"'
    )
    assert response.headers["cache-control"].startswith("public")
    assert page_sizes(response.content) == {(595, 842)}  # portrait A4
    letter = client.get("/beginner.pdf?units=imperial&paper=letter&weeks=8")
    assert page_sizes(letter.content) == {(612, 792)}
    assert client.get("/beginner.pdf?weeks=20").status_code == 422
    assert 'href="/beginner.pdf"' in client.get("/login").text


DOWNLOADS = (
    "/export",
    "/export/plan.pdf",
    "/export/plan.ics",
    "/export/workouts.zip",
    "/export/backup.json",
    "/export/tables.zip",
)


def test_downloads_are_for_the_signed_in_athlete_s_own_data(
    athlete: TestClient, engine: Engine, new_client: Callable[[], TestClient]
) -> None:
    stranger = new_client()
    for url in DOWNLOADS:
        response = stranger.get(url, follow_redirects=False)
        assert response.status_code == 303, url
        assert response.headers["location"] == f"/login?next={url}"
    coach = new_client()
    sign_up(coach, "coach@example.org", role="coach")
    assert {coach.get(url).status_code for url in DOWNLOADS} == {403}
    other = new_client()
    onboard(engine, sign_up(other, "sam@example.org"), "sam@example.org", "novice_dumbbells.toml")
    theirs = other.get("/export/backup.json").text
    assert "sam@example.org" in theirs
    assert EMAIL not in theirs
    assert EMAIL in athlete.get("/export/backup.json").text
