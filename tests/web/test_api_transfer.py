"""Imports and exports over the JSON API: the upload's report as JSON, the downloads with their
media types and file names, the feed address and its renewal, a coach's copy of a squad member's
plan, who may download what, and what the OpenAPI document says about it."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import Engine

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.accounts import Account
from ironmile.services import accounts
from ironmile.web.app import create_app
from ironmile.web.settings import WebSettings
from tests.corpus import FIXTURES
from tests.web.conftest import CHEAP_HASHER, TODAY, Clock, api, onboard, sign_up

FENIX_RUN = FIXTURES / "fit" / "fitparse__activity-small-fenix2-run.fit"
TCX_RUN = FIXTURES / "tcx" / "tcxparser__test.tcx"
GPX_RIDE = FIXTURES / "gpx" / "sweatpy__activity_5039744860.gpx"
EMAIL = "alex@example.org"


def files(*paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (path.name, path.read_bytes(), "application/octet-stream")) for path in paths]


def account(engine: Engine, email: str) -> Account:
    uow = SqlUnitOfWork(engine)
    with uow:
        found = uow.accounts.by_email(email)
    assert found is not None
    return found


def test_an_import_answers_with_what_was_added_skipped_and_rejected(
    athlete: TestClient, tmp_path: Path
) -> None:
    data = FENIX_RUN.read_bytes()
    truncated = tmp_path / "cut-short.fit"
    truncated.write_bytes(data[: len(data) // 3])
    response = api(athlete, "POST", "/api/v1/imports", files=files(TCX_RUN, truncated, GPX_RIDE))
    assert response.status_code == 200, response.text
    body = response.json()
    assert {key: body[key] for key in ("added", "duplicates", "files", "unknown_sport")} == {
        "added": 2,
        "duplicates": 0,
        "files": 3,
        "unknown_sport": 0,
    }
    assert [r["file"] for r in body["rejected"]] == ["cut-short.fit"]
    assert body["rejected"][0]["reason"]
    assert body["uploads"] == [TCX_RUN.name, "cut-short.fit", GPX_RIDE.name]
    again = api(athlete, "POST", "/api/v1/imports", files=files(TCX_RUN, GPX_RIDE)).json()
    assert (again["added"], again["duplicates"], again["rejected"]) == (0, 2, [])


def zip_with_inner_zip_declaring(size: int) -> bytes:
    """An export whose `inner.zip` declares that it inflates to `size` bytes (its headers rewritten;
    it really holds one small file), beside a real run: what a zip bomb's headers may say."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("run.gpx", b"<gpx/>")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.zip", inner.getvalue())  # first: the first headers are its own
        archive.write(FENIX_RUN, "run.fit")
    data = bytearray(outer.getvalue())
    struct.pack_into("<I", data, data.find(b"PK\x03\x04") + 22, size)  # local header: uncompressed size
    struct.pack_into("<I", data, data.find(b"PK\x01\x02") + 24, size)  # central directory: the same
    return bytes(data)


def test_an_inner_zip_past_the_web_cap_is_rejected_by_name_and_the_rest_imports(athlete: TestClient) -> None:
    # The web's cap on one zip inside a zip is 256 MiB (the CLI's is 16 GiB): refused on what it
    # declares, before a byte of it is inflated.
    export = zip_with_inner_zip_declaring(300 * 2**20)
    response = api(
        athlete, "POST", "/api/v1/imports", files=[("files", ("export.zip", export, "application/zip"))]
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["rejected"] == [
        {
            "file": "export.zip!inner.zip",
            "reason": "decompresses to more than 268,435,456 bytes (the limit for one zip inside a zip)",
        }
    ]
    assert (body["added"], body["files"]) == (1, 1)


def test_an_import_of_the_wrong_kind_is_refused_with_the_file_named(athlete: TestClient) -> None:
    response = api(
        athlete,
        "POST",
        "/api/v1/imports",
        files=[*files(TCX_RUN), ("files", ("photo.jpg", b"\xff\xd8", "image/jpeg"))],
    )
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "files"
    assert "photo.jpg is not an activity file" in response.json()["fields"][0]["message"]
    assert api(athlete, "POST", "/api/v1/imports", data={"sport": ""}).status_code == 422
    bad_sport = api(athlete, "POST", "/api/v1/imports", files=files(TCX_RUN), data={"sport": "chess"})
    assert bad_sport.json()["fields"][0]["field"] == "sport"


def test_an_import_needs_an_athlete_with_a_profile(
    client: TestClient, new_client: Callable[[], TestClient]
) -> None:
    assert api(client, "POST", "/api/v1/imports", files=files(TCX_RUN)).status_code == 401
    sign_up(client, "new@example.org")
    assert api(client, "POST", "/api/v1/imports", files=files(TCX_RUN)).status_code == 409
    coach = new_client()
    sign_up(coach, "coach@example.org", role="coach")
    assert api(coach, "POST", "/api/v1/imports", files=files(TCX_RUN)).status_code == 403


@pytest.fixture
def small_app_client(engine: Engine, clock: Clock) -> Iterator[TestClient]:
    app = create_app(
        WebSettings(_env_file=None, max_upload_mb=1),  # type: ignore[call-arg]
        engine=engine,
        today=lambda: clock.today,
        hasher=CHEAP_HASHER,
    )
    client = TestClient(app, base_url="http://127.0.0.1")
    onboard(engine, sign_up(client, EMAIL), EMAIL)
    yield client
    client.close()


def test_an_import_over_the_size_limit_is_413_and_stores_nothing(
    small_app_client: TestClient, engine: Engine
) -> None:
    big = [("files", ("big.zip", b"\0" * (1024 * 1024 + 1), "application/zip"))]
    response = api(small_app_client, "POST", "/api/v1/imports", files=big)
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"]
    uow = SqlUnitOfWork(engine)
    with uow:
        assert uow.activities.count(account(engine, EMAIL).athlete_id or 0) == 0


DOWNLOADS = {
    "/api/v1/exports/plan.pdf": ("application/pdf", "ironmile-plan-2026-11-26.pdf"),
    "/api/v1/exports/plan.ics": ("text/calendar; charset=utf-8", "ironmile-plan.ics"),
    "/api/v1/exports/workouts.zip": ("application/zip", "ironmile-workouts-2026-11-26.zip"),
    "/api/v1/exports/backup.json": ("application/json", "ironmile-backup-2026-11-26.json"),
    "/api/v1/exports/tables.zip": ("application/zip", "ironmile-tables-2026-11-26.zip"),
}


def test_each_download_comes_with_its_media_type_and_file_name(athlete: TestClient) -> None:
    bodies = {}
    for url, (media_type, filename) in DOWNLOADS.items():
        response = athlete.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"] == media_type
        assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
        bodies[url] = response.content
    assert bodies["/api/v1/exports/plan.pdf"].startswith(b"%PDF")
    assert Calendar.from_ical(bodies["/api/v1/exports/plan.ics"]).walk("VEVENT")
    assert json.loads(bodies["/api/v1/exports/backup.json"])
    for url in ("/api/v1/exports/workouts.zip", "/api/v1/exports/tables.zip"):
        with zipfile.ZipFile(io.BytesIO(bodies[url])) as archive:
            assert archive.testzip() is None
            assert archive.namelist()
    # the page's downloads are the same files
    assert athlete.get("/export/plan.ics").content == bodies["/api/v1/exports/plan.ics"]


def test_downloads_over_the_api_answer_401_and_403_rather_than_redirect(
    client: TestClient, new_client: Callable[[], TestClient]
) -> None:
    assert {client.get(url).status_code for url in DOWNLOADS} == {401}
    coach = new_client()
    sign_up(coach, "coach@example.org", role="coach")
    assert {coach.get(url).status_code for url in DOWNLOADS} == {403}


def test_the_feed_address_and_its_renewal(
    athlete: TestClient, engine: Engine, new_client: Callable[[], TestClient]
) -> None:
    old = athlete.get("/api/v1/exports/feed").json()["url"]
    assert old == f"http://127.0.0.1/feed/{account(engine, EMAIL).feed_token}.ics"
    renewed = api(athlete, "POST", "/api/v1/exports/feed")
    assert renewed.status_code == 200
    new = renewed.json()["url"]
    assert new != old
    assert athlete.get("/api/v1/exports/feed").json()["url"] == new
    calendar_app = new_client()
    assert calendar_app.get(old.removeprefix("http://127.0.0.1")).status_code == 404
    assert calendar_app.get(new.removeprefix("http://127.0.0.1")).status_code == 200


def test_a_coach_downloads_a_squad_member_s_plan_and_no_one_else_s(
    athlete: TestClient, engine: Engine, new_client: Callable[[], TestClient]
) -> None:
    uow = SqlUnitOfWork(engine)
    alex = account(engine, EMAIL)
    coach, other_coach, other_athlete, stranger, unplanned = (new_client() for _ in range(5))
    sign_up(coach, "coach@example.org", role="coach")
    sign_up(other_coach, "other-coach@example.org", role="coach")
    onboard(engine, sign_up(other_athlete, "sam@example.org"), "sam@example.org", "novice_dumbbells.toml")
    unplanned_id = sign_up(unplanned, "new@example.org")
    squad = accounts.create_squad(
        uow, coach=account(engine, "coach@example.org"), name="Tuesday club", today=TODAY
    )
    for member in (alex, account(engine, "new@example.org")):
        accounts.join_squad(uow, athlete=member, invite_code=squad.invite_code, today=TODAY)
    url = f"/api/v1/athletes/{alex.id}/exports/plan.pdf"
    response = coach.get(url + "?paper=letter")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert athlete.get(url).status_code == 200  # their own
    assert other_coach.get(url).status_code == 404
    assert other_athlete.get(url).status_code == 404
    assert stranger.get(url).status_code == 401
    assert coach.get(f"/api/v1/athletes/{unplanned_id}/exports/plan.pdf").status_code == 404  # no plan yet
    assert coach.get("/api/v1/athletes/9999/exports/plan.pdf").status_code == 404


def test_the_openapi_document_describes_the_upload_and_the_binary_downloads(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    upload = paths["/api/v1/imports"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload["properties"]["files"]["items"] == {"type": "string", "format": "binary"}
    assert "413" in paths["/api/v1/imports"]["post"]["responses"]
    media = {
        "/api/v1/exports/plan.pdf": "application/pdf",
        "/api/v1/exports/plan.ics": "text/calendar",
        "/api/v1/exports/workouts.zip": "application/zip",
        "/api/v1/exports/tables.zip": "application/zip",
        "/api/v1/exports/backup.json": "application/json",
        "/api/v1/athletes/{user_id}/exports/plan.pdf": "application/pdf",
    }
    for path, media_type in media.items():
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert list(content) == [media_type], path
    assert "/feed/{token}.ics" not in paths  # pages, not the API
    assert "/beginner.pdf" not in paths
