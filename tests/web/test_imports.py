"""The import page: real activity files and a Strava export uploaded through the form, stored once
each; bad files reported by name and skipped; refused uploads (wrong type, empty, too large) store
nothing; the temporary files are gone afterwards. And the limits every upload's archives are read
within, the onboarding wizard's included, with the folder its uploads wait in."""

from __future__ import annotations

import io
import random
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.adapters.importers.archive import Limits
from ironmile.services.importing import upload_limits
from ironmile.web.app import create_app
from ironmile.web.settings import WebSettings
from tests.corpus import FIXTURES
from tests.web.conftest import CHEAP_HASHER, EXAMPLES, Clock, onboard, post_form, sign_up
from tests.web.html import html
from tests.web.test_api_transfer import zip_with_inner_zip_declaring
from tests.web.test_onboarding import STEPS, submit, upload

STRAVA_EXPORT = EXAMPLES / "strava-export.zip"  # 16 runs, 3 to 29 Nov 2026, as .fit.gz with activities.csv
FENIX_RUN = FIXTURES / "fit" / "fitparse__activity-small-fenix2-run.fit"
TCX_RUN = FIXTURES / "tcx" / "tcxparser__test.tcx"
GPX_RIDE = FIXTURES / "gpx" / "sweatpy__activity_5039744860.gpx"
UNTYPED_GPX = FIXTURES / "gpx" / "gpxpy__korita-zbevnica.gpx"  # names no sport
FIXTURE_SET = (STRAVA_EXPORT, FENIX_RUN, TCX_RUN, GPX_RIDE)
ACTIVITIES_IN_SET = 16 + 3
AFTER_THE_EXPORT = date(2026, 11, 30)  # every run of the export lies in the past


Upload = tuple[str, tuple[str, bytes, str]]


def files(*paths: Path) -> list[Upload]:
    return [("files", (path.name, path.read_bytes(), "application/octet-stream")) for path in paths]


def stored(engine: Engine) -> list[tuple[str, str]]:
    """(sport, source) of every stored activity."""
    uow = SqlUnitOfWork(engine)
    with uow:
        return [
            (a.sport.value, a.source)
            for athlete in uow.athletes.all()
            for a in uow.activities.between(athlete.id)
        ]


def cells(page: str, table_class: str) -> list[str]:
    """The text of every cell of the tables with the given class."""
    return [cell.all_text() for cell in html(page).select(f"table.{table_class} td")]


def test_the_page_offers_a_labelled_multiple_file_input_and_a_sport(athlete: TestClient) -> None:
    response = athlete.get("/import")
    assert response.status_code == 200
    assert response.template.name == "imports/index.html"  # type: ignore[attr-defined]
    assert response.context["nav"] == "import"  # type: ignore[attr-defined]
    assert '<label for="files">' in response.text
    assert 'name="files" type="file" multiple accept=".fit,.gpx,.gz,.tcx,.zip"' in response.text
    assert '<label for="sport">' in response.text
    assert 'value="running"' in response.text
    assert 'enctype="multipart/form-data"' in response.text  # posts without JavaScript too
    assert "js/upload.js" in response.text
    assert 'role="status"' in response.text


def test_the_form_posts_without_javascript_carrying_its_own_csrf_token(
    athlete: TestClient, engine: Engine
) -> None:
    page = athlete.get("/import").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None  # the hidden field inside the upload form is filled in
    response = athlete.post("/import", data={"csrf_token": token[1], "sport": ""}, files=files(TCX_RUN))
    assert response.status_code == 200
    assert response.context["result"].added == 1  # type: ignore[attr-defined]
    assert len(stored(engine)) == 1


def test_uploading_a_fixture_set_stores_each_activity_and_shows_the_running_summary(
    athlete: TestClient, engine: Engine, clock: Clock
) -> None:
    clock.today = AFTER_THE_EXPORT
    response = post_form(athlete, "/import", {"sport": ""}, files=files(*FIXTURE_SET))
    assert response.status_code == 200
    result = response.context["result"]  # type: ignore[attr-defined]
    assert (result.added, result.duplicates, result.rejected) == (ACTIVITIES_IN_SET, 0, ())
    assert result.uploads == tuple(path.name for path in FIXTURE_SET)
    assert len(stored(engine)) == ACTIVITIES_IN_SET
    weeks = response.context["weeks"]  # type: ignore[attr-defined]
    assert weeks[0]["start"] == date(2026, 11, 30)  # newest first: this week, no runs yet
    assert [week["runs"] for week in weeks] == [0, 4, 4, 4]  # the export's runs of 9 to 29 Nov
    assert 'href="/progress"' in response.text
    assert "ironmile-upload-" not in response.text  # no server paths shown


def test_uploading_the_same_files_again_adds_nothing(
    athlete: TestClient, engine: Engine, clock: Clock
) -> None:
    clock.today = AFTER_THE_EXPORT
    post_form(athlete, "/import", {}, files=files(*FIXTURE_SET))
    again = post_form(athlete, "/import", {}, files=files(*FIXTURE_SET))
    result = again.context["result"]  # type: ignore[attr-defined]
    assert (result.added, result.duplicates) == (0, ACTIVITIES_IN_SET)
    assert len(stored(engine)) == ACTIVITIES_IN_SET


def test_a_corrupt_file_is_named_with_its_reason_and_the_rest_import(
    athlete: TestClient, engine: Engine, tmp_path: Path
) -> None:
    data = FENIX_RUN.read_bytes()
    truncated = tmp_path / "truncated-run.fit"
    truncated.write_bytes(data[: len(data) // 2])
    response = post_form(athlete, "/import", {}, files=files(TCX_RUN, truncated, GPX_RIDE))
    assert response.status_code == 200
    result = response.context["result"]  # type: ignore[attr-defined]
    assert result.added == 2
    assert [r.file for r in result.rejected] == ["truncated-run.fit"]
    reason = result.rejected[0].reason
    assert "truncated" in reason or "ends" in reason, reason
    assert cells(response.text, "rejected") == ["truncated-run.fit", reason]
    assert len(stored(engine)) == 2


def test_a_zip_member_that_is_bad_is_named_inside_its_zip(athlete: TestClient, clock: Clock) -> None:
    clock.today = date(2026, 11, 26)  # the export's runs of 28 and 29 Nov lie in the future
    response = post_form(athlete, "/import", {}, files=files(STRAVA_EXPORT))
    result = response.context["result"]  # type: ignore[attr-defined]
    assert result.added == 15
    assert [r.file for r in result.rejected] == ["strava-export.zip!activities/202611297.fit.gz"]
    assert "2026-11-29" in result.rejected[0].reason
    # the summary's weeks reach back to 2 Nov, and the long run of 8 Nov is a spike over the month before
    assert [flag.day for flag in response.context["flags"]] == [date(2026, 11, 8)]  # type: ignore[attr-defined]
    assert "<strong>Sun 08 Nov:</strong> This run was" in response.text


def test_the_sport_chosen_applies_to_files_that_do_not_say(athlete: TestClient, engine: Engine) -> None:
    post_form(athlete, "/import", {"sport": "running"}, files=files(UNTYPED_GPX, GPX_RIDE))
    assert sorted(sport for sport, _ in stored(engine)) == ["cycling", "running"]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ([("files", ("notes.txt", b"not a run", "text/plain"))], "notes.txt is not an activity file"),
        ([("files", ("empty.fit", b"", "application/octet-stream"))], "empty.fit is empty"),
    ],
)
def test_a_file_of_the_wrong_kind_refuses_the_whole_upload_and_stores_nothing(
    athlete: TestClient, engine: Engine, extra: list[Upload], words: str
) -> None:
    response = post_form(athlete, "/import", {"sport": "running"}, files=[*files(TCX_RUN), *extra])
    assert response.status_code == 422
    assert response.template.name == "imports/index.html"  # type: ignore[attr-defined]
    assert words in response.context["errors"]["files"]  # type: ignore[attr-defined]
    assert response.context["values"] == {"sport": "running"}  # type: ignore[attr-defined]
    assert 'aria-describedby="files-hint files-error"' in response.text
    assert stored(engine) == []


def test_an_upload_without_files_is_refused(athlete: TestClient) -> None:
    # what a browser sends when no file was chosen: one part without a name or content
    response = post_form(athlete, "/import", {}, files=[("files", ("", b"", "application/octet-stream"))])
    assert response.status_code == 422
    assert "choose at least one file" in response.context["errors"]["files"]  # type: ignore[attr-defined]
    assert post_form(athlete, "/import", {"sport": ""}).status_code == 422


def test_an_unknown_sport_is_refused_next_to_its_field(athlete: TestClient, engine: Engine) -> None:
    response = post_form(athlete, "/import", {"sport": "quidditch"}, files=files(TCX_RUN))
    assert response.status_code == 422
    assert "not a sport" in response.context["errors"]["sport"]  # type: ignore[attr-defined]
    assert 'aria-describedby="sport-error"' in response.text
    assert stored(engine) == []
    both = post_form(
        athlete, "/import", {"sport": "quidditch"}, files=[("files", ("a.doc", b"x", "text/plain"))]
    )
    assert set(both.context["errors"]) == {"files", "sport"}  # type: ignore[attr-defined]


def test_the_script_gets_the_panel_alone(athlete: TestClient) -> None:
    headers = {"X-Requested-With": "XMLHttpRequest"}
    done = post_form(athlete, "/import", {}, files=files(TCX_RUN), headers=headers)
    assert done.status_code == 200
    assert done.template.name == "imports/_panel.html"  # type: ignore[attr-defined]
    assert done.text.lstrip().startswith('<section id="import-panel"')
    refused = post_form(
        athlete, "/import", {}, files=[("files", ("a.doc", b"x", "text/plain"))], headers=headers
    )
    assert refused.status_code == 422
    assert refused.template.name == "imports/_panel.html"  # type: ignore[attr-defined]


def test_the_temporary_files_are_deleted_after_the_import(
    athlete: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    post_form(athlete, "/import", {}, files=files(TCX_RUN, STRAVA_EXPORT))
    post_form(athlete, "/import", {}, files=[("files", ("a.fit", b"", "application/octet-stream"))])
    assert list(scratch.iterdir()) == []


def test_only_a_signed_in_athlete_imports(
    client: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    assert client.get("/import", follow_redirects=False).headers["location"] == "/login?next=/import"
    refused = post_form(client, "/import", {}, files=files(TCX_RUN))
    assert refused.status_code == 401
    coach = new_client()
    sign_up(coach, "coach@example.org", role="coach")
    assert coach.get("/import").status_code == 403
    assert post_form(coach, "/import", {}, files=files(TCX_RUN)).status_code == 403
    assert stored(engine) == []


@pytest.fixture
def small_app_client(engine: Engine, clock: Clock) -> Iterator[TestClient]:
    """A signed-in athlete on an app that takes uploads of at most 1 MB."""
    app = create_app(
        WebSettings(_env_file=None, max_upload_mb=1),  # type: ignore[call-arg]
        engine=engine,
        today=lambda: clock.today,
        now_utc_s=lambda: clock.now_utc_s,
        hasher=CHEAP_HASHER,
    )
    client = TestClient(app, base_url="http://127.0.0.1")
    onboard(engine, sign_up(client, "alex@example.org"), "alex@example.org")
    yield client
    client.close()


def test_an_upload_over_the_size_limit_is_refused_with_413_and_stores_nothing(
    small_app_client: TestClient, engine: Engine
) -> None:
    too_big = files(STRAVA_EXPORT, TCX_RUN)  # 1.0 MB + 0.2 MB
    response = post_form(small_app_client, "/import", {}, files=too_big)
    assert response.status_code == 413
    assert "1 MB" in response.text
    assert stored(engine) == []
    assert post_form(small_app_client, "/import", {}, files=files(TCX_RUN)).status_code == 200


def test_an_archive_may_unpack_to_four_times_the_upload_cap(
    small_app_client: TestClient, engine: Engine
) -> None:
    # 5 MiB that deflate about 25× (zeros with a random byte every 61): a 0.2 MB upload under the
    # 1 MB cap that unpacks past 4 MB, refused by name while the file beside it imports.
    rng = random.Random(61)
    unit = b"".join(bytes([rng.randrange(256)]) + bytes(60) for _ in range(4096))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("padded.gpx", (unit * 22)[: 5 * 2**20])
    upload = [("files", ("big.zip", packed.getvalue(), "application/zip")), *files(TCX_RUN)]
    response = post_form(small_app_client, "/import", {}, files=upload)
    assert response.status_code == 200
    result = response.context["result"]  # type: ignore[attr-defined]
    assert [(r.file, r.reason) for r in result.rejected] == [
        (
            "big.zip",
            "zip would decompress to 5,242,880 bytes, more than the limit of 4,194,304 for one archive",
        )
    ]
    assert result.added == 1
    assert len(stored(engine)) == 1


def test_the_web_limits_follow_the_upload_cap() -> None:
    mib = 2**20
    assert upload_limits(200 * mib) == Limits(max_total_bytes=800 * mib, max_nested_bytes=256 * mib)
    assert upload_limits(1024 * mib) == Limits(max_total_bytes=4096 * mib, max_nested_bytes=1024 * mib)
    assert upload_limits(1 * mib) == Limits(max_total_bytes=4 * mib, max_nested_bytes=4 * mib)
    cli = Limits()  # the command line's, unchanged: the files are the machine user's own
    assert (cli.max_total_bytes, cli.max_nested_bytes, cli.max_file_bytes) == (
        16 * 2**30,
        16 * 2**30,
        64 * mib,
    )


# --- the onboarding wizard's upload: read within the same limits, kept one per account ----------


@pytest.fixture
def staging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder of this test's own, so staged uploads are seen and cleaned up here."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp / "ironmile-staging"


@pytest.fixture
def newcomer(client: TestClient, staging: Path) -> TestClient:
    """A signed-in athlete without a profile yet, on the wizard's first step."""
    sign_up(client, "sam@example.org")
    return client


def test_an_inner_zip_past_the_web_cap_is_named_and_the_rest_is_read(newcomer: TestClient) -> None:
    page = upload(newcomer, "export.zip", zip_with_inner_zip_declaring(300 * 2**20))
    assert page.status_code == 200
    assert page.context["values"]["archive_note"].startswith("Found 1 runs")  # type: ignore[attr-defined]
    assert page.context["unreadable"] == (  # type: ignore[attr-defined]
        "export.zip!inner.zip: decompresses to more than 268,435,456 bytes (the limit for one zip inside "
        "a zip)"
    )


def test_an_account_keeps_one_upload_even_when_it_never_sends_its_token_back(
    newcomer: TestClient, staging: Path
) -> None:
    for _ in range(3):  # each upload starts from a fresh step 1, as a script omitting archive_token would
        page = upload(newcomer, "export.zip", STRAVA_EXPORT.read_bytes())
        assert page.status_code == 200
    assert [path.name for path in staging.iterdir()] == [page.context["values"]["archive_token"] + ".zip"]  # type: ignore[attr-defined]


def test_an_upload_past_the_staging_quota_is_refused_and_the_wizard_goes_on(
    newcomer: TestClient, staging: Path
) -> None:
    # Ten uploads of the largest size (200 MB by default) fill the quota: here one other account's
    # sparse file of that size stands in for them.
    staging.mkdir(mode=0o700)
    with (staging / f"999-{'A' * 32}.zip").open("wb") as others:
        others.truncate(10 * 200 * 2**20)
    refused = upload(newcomer, "export.zip", STRAVA_EXPORT.read_bytes(), {"units": "imperial"})
    assert (refused.status_code, refused.template.name) == (422, "onboarding/running.html")  # type: ignore[attr-defined]
    assert refused.context["errors"]["archive"] == (  # type: ignore[attr-defined]
        "this server holds too many uploads to keep yours until you finish; fill in your running week "
        "yourself, and import the archive on the Import page once you finish"
    )
    assert refused.context["values"]["units"] == "imperial"  # type: ignore[attr-defined]
    assert len(list(staging.iterdir())) == 1
    assert submit(newcomer, refused, STEPS[0]).template.name == "onboarding/races.html"  # type: ignore[attr-defined]


def test_an_upload_is_refused_when_the_staging_folder_is_not_the_servers_own(
    newcomer: TestClient, staging: Path, tmp_path: Path
) -> None:
    # Another local user may create the shared temporary folder's staging path first, as a link.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    staging.symlink_to(elsewhere, target_is_directory=True)
    refused = upload(newcomer, "export.zip", STRAVA_EXPORT.read_bytes())
    assert refused.status_code == 422
    assert refused.context["errors"]["archive"].startswith(  # type: ignore[attr-defined]
        f"this server cannot keep uploads: {staging} is not a folder (a link or a file); fill in"
    )
    assert list(elsewhere.iterdir()) == []
