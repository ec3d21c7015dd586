"""The onboarding wizard through the pages, as a browser without JavaScript drives it (each step's
form sent back with its hidden fields), the running-archive pre-fill with the example Strava
export, and the profile API."""

from __future__ import annotations

import io
import tomllib
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from ironmile.adapters.db.tables import metadata
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.web.app import create_app
from ironmile.web.settings import WebSettings
from tests.corpus import FIXTURES
from tests.web.conftest import CHEAP_HASHER, EXAMPLES, api, onboard, sign_up
from tests.web.html import html

STRAVA_EXPORT = EXAMPLES / "strava-export.zip"  # 16 real runs, 3–29 Nov 2026 (the clock is 26 Nov)
Fields = dict[str, list[str]]  # a form's fields as sent: every value of each name
Typed = dict[str, str | list[str]]  # what a runner types: one value, or the boxes ticked
STEPS: list[Typed] = [  # what a runner types on each step; then the review
    {
        "run_days": ["tue", "thu", "sat", "sun"],
        "key_days": ["tue", "thu"],
        "long_run_day": "sun",
        "weekly_distance": "45,5",
        "time_zone": "Europe/Berlin",
    },
    {"races-0-name": 'Spring "Big" Marathon', "races-0-date": "2027-04-25", "races-0-distance": "42.195"},
    {
        "strength_level": "intermediate",
        "equipment": ["barbell", "rack", "dumbbell"],
        "available_days": ["mon", "wed", "fri"],
        "session_minutes": "50",
        "start_date": "2026-12-07",
    },
    {"body_mass": "68.5", "sex": "female"},
    {"knee_pain": "4"},
    {"bridge_left": "17", "bridge_right": "23", "felt_in": "quads"},
]
TEMPLATES = ["running", "races", "strength", "body", "knees", "screen", "review"]


def form_fields(page: str) -> dict[str, Fields]:
    """Each form's fields as a browser sends them, by the form's action; every input must have a
    label (for its id, or around it)."""
    tree = html(page)

    def ids(selector: str) -> set[str]:
        controls = tree.select(selector)
        return {c.attrs.get("id", "") for c in controls if c.attrs.get("type") not in ("hidden", "submit")}

    inputs = ids("input") | ids("select")
    labelled = (
        {label.attrs.get("for", "") for label in tree.select("label")}
        | ids("label input")
        | ids("label select")
    )
    assert inputs <= labelled, f"inputs without a label: {inputs - labelled}"
    forms: dict[str, Fields] = {}
    for form in tree.select("form"):
        fields = forms.setdefault(form.attrs["action"], {})
        for control in form.descendants():
            name, kind = control.attrs.get("name"), control.attrs.get("type")
            if not name:
                continue
            if control.tag == "input" and kind not in ("file", "submit"):
                if kind != "checkbox" or "checked" in control.attrs:
                    fields.setdefault(name, []).append(control.attrs.get("value", ""))
            elif control.tag == "select":
                options = [
                    (o.attrs.get("value", ""), "selected" in o.attrs) for o in control.select("option")
                ]
                fields[name] = [next((value for value, chosen in options if chosen), options[0][0])]
    return forms


def submit(
    client: TestClient,
    page: httpx2.Response,
    changes: Typed | None = None,
    *,
    action: str = "next",
    url: str = "/onboarding",
    files: dict[str, tuple[str, bytes]] | None = None,
) -> httpx2.Response:
    """Send the page's wizard form with `changes` typed in and the `action` button pressed."""
    fields = form_fields(page.text)["/onboarding"]
    for name, value in (changes or {}).items():
        fields[name] = [value] if isinstance(value, str) else value
    data = {name: values for name, values in fields.items() if values} | {"action": [action]}
    return client.post(url, data=data, files=files, follow_redirects=False)


def upload(client: TestClient, name: str, content: bytes, changes: Typed | None = None) -> httpx2.Response:
    """Step 1 with a file chosen and "Read my archive" pressed."""
    start = client.get("/onboarding")
    return submit(client, start, changes, url="/onboarding/archive", files={"archive": (name, content)})


def walk(client: TestClient, steps: int = 6) -> httpx2.Response:
    """Answer the first `steps` steps; returns the page after them."""
    page = client.get("/onboarding")
    for answers in STEPS[:steps]:
        page = submit(client, page, answers)
        assert page.status_code == 200, page.context["errors"]  # type: ignore[attr-defined]
    return page


def rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(metadata.tables[name])).scalar_one()
            for name in ("athletes", "plan_versions", "activities")
        }


@pytest.fixture
def runner(client: TestClient) -> TestClient:
    sign_up(client, "sam@example.org")
    return client


@pytest.fixture(autouse=True)
def staging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder of this test's own, so staged uploads are seen and cleaned up here."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    return temp / "ironmile-staging"


def test_six_steps_and_a_review_store_one_linked_athlete_and_send_them_to_the_plan(
    runner: TestClient, engine: Engine
) -> None:
    page = runner.get("/onboarding")
    for number, answers in enumerate([*STEPS, {}], start=1):
        assert page.template.name == f"onboarding/{TEMPLATES[number - 1]}.html"  # type: ignore[attr-defined]
        assert page.context["step"] == number  # type: ignore[attr-defined]
        assert (f"Step {number} of 6" in page.text) is (number <= 6)
        if number <= 6:
            page = submit(runner, page, answers)
    review = page.context  # type: ignore[attr-defined]
    written = tomllib.loads(review["profile_toml"])
    basics = {"body_mass": 68.5, "units": "metric", "strength_level": "intermediate", "goal": "strength"}
    assert written["athlete"] == basics | {"sex": "female", "time_zone": "Europe/Berlin"}
    assert written["running"]["weekly_distance"] == 45.5  # typed with a decimal comma
    race = {"name": 'Spring "Big" Marathon', "date": date(2027, 4, 25), "distance": 42.195, "priority": "A"}
    assert written["races"] == [race]
    assert written["screen"] == {"single_leg_bridge": {"left": 17, "right": 23}, "felt_in": "quads"}
    assert review["preview"].screen.quad_dominant
    assert rows(engine)["athletes"] == 0  # nothing stored before "Build my plan"
    done = submit(runner, page, action="finish")
    assert (done.status_code, done.headers["location"]) == (303, "/plan")
    assert rows(engine) == {"athletes": 1, "plan_versions": 1, "activities": 0}
    assert runner.get("/api/v1/me").json()["has_profile"] is True
    with SqlUnitOfWork(engine) as uow:
        athlete = uow.athletes.all()[0]
        assert (athlete.name, athlete.profile_toml) == ("sam@example.org", review["profile_toml"])
    assert runner.get("/onboarding", follow_redirects=False).headers["location"] == "/plan"
    again = submit(runner, page, action="finish")  # the same form sent twice: refused, nothing added
    assert (again.status_code, again.headers["location"]) == (303, "/plan")
    assert rows(engine) == {"athletes": 1, "plan_versions": 1, "activities": 0}


@pytest.mark.parametrize(
    ("step", "typed", "field", "words"),
    [
        (1, {"key_days": ["tue", "wed"]}, "key_days", "'wed' is not one of running.run_days"),
        (1, {"weekly_distance": "forty"}, "weekly_distance", "'forty' is not a number"),
        (1, {"time_zone": "Mars/Olympus"}, "time_zone", "is not a time zone"),
        (2, {"races-0-date": "2026-11-20", "races-0-distance": "5"}, "races-0-date", "before the plan"),
        (2, {"races-0-date": "25/04/2027", "races-0-distance": "42.2"}, "races-0-date", "is not a date"),
        (2, {"races-0-date": "2027-03-14", "races-0-distance": ""}, "races-0-distance", "missing"),
        (3, {"available_days": []}, "available_days", "empty"),
        (3, {"session_minutes": "15"}, "session_minutes", "expected at least 20"),
        (4, {"body_mass": "0"}, "body_mass", "out of range"),
        (4, {"body_mass": "sixty"}, "body_mass", "'sixty' is not a number; expected your body mass in kg"),
        (5, {"knee_pain": "11"}, "knee_pain", "expected at most 10"),
        (6, {"bridge_left": "22", "bridge_right": ""}, "bridge_right", "missing"),
        (6, {"hq_ratio": "5"}, "hq_ratio", "expected less than 3"),
    ],
)
def test_each_step_refuses_bad_input_naming_the_field_keeping_what_was_typed_storing_nothing(
    runner: TestClient, engine: Engine, step: int, typed: Typed, field: str, words: str
) -> None:
    page = walk(runner, step - 1)
    refused = submit(runner, page, STEPS[step - 1] | typed)
    assert refused.status_code == 422
    assert refused.template.name == f"onboarding/{TEMPLATES[step - 1]}.html"  # type: ignore[attr-defined]
    assert words in refused.context["errors"][field]  # type: ignore[attr-defined]
    assert f'id="{field}-error"' in refused.text
    assert f'aria-describedby="{field}-error"' in refused.text
    values = refused.context["values"]  # type: ignore[attr-defined]
    assert all(values.get(name, []) == value for name, value in typed.items())
    kept = form_fields(refused.text)["/onboarding"]
    for name, value in (STEPS[step - 1] | typed).items():
        if name != "knee_pain":  # a select shows its own options only; a tampered 11 is not one
            assert kept.get(name, []) == ([value] if isinstance(value, str) else value), name
    assert rows(engine)["athletes"] == 0


def test_back_keeps_every_answer_unchecked_and_races_can_be_added_and_removed(runner: TestClient) -> None:
    races = walk(runner, 1)
    two = submit(runner, races, STEPS[1], action="add_race")
    assert two.context["race_rows"] == 2  # type: ignore[attr-defined]
    second: Typed = {"races-1-date": "2027-03-14", "races-1-distance": "21.1", "races-1-priority": "B"}
    two = submit(runner, two, second)
    assert form_fields(two.text)["/onboarding"]["races-1-priority"] == ["B"]
    one = submit(runner, two, action="remove-race-0")
    assert form_fields(one.text)["/onboarding"]["races-0-date"] == ["2027-03-14"]
    back = submit(runner, one, {"races-0-distance": "not yet"}, action="back")
    assert (back.status_code, back.template.name) == (200, "onboarding/running.html")  # type: ignore[attr-defined]
    assert form_fields(back.text)["/onboarding"]["run_days"] == STEPS[0]["run_days"]
    forward = submit(runner, back)
    assert form_fields(forward.text)["/onboarding"]["races-0-distance"] == ["not yet"]


def test_finishing_checks_everything_again_and_sends_the_runner_to_the_step_at_fault(
    runner: TestClient, engine: Engine
) -> None:
    review = walk(runner)
    changed = submit(runner, review, {"start_date": "2027-05-03", "hq_ratio": "high"}, action="finish")
    assert (changed.status_code, changed.template.name) == (422, "onboarding/races.html")  # type: ignore[attr-defined]
    only = {"races-0-date": "2027-04-25 is before the plan starts (2027-05-03)"}  # step 6's problem waits
    assert changed.context["errors"] == only  # type: ignore[attr-defined]
    tampered = submit(runner, review, {"body_mass": "-5"}, action="finish")
    assert (tampered.status_code, tampered.template.name) == (422, "onboarding/body.html")  # type: ignore[attr-defined]
    assert rows(engine)["athletes"] == 0


def test_the_example_strava_export_fills_in_the_running_week_and_is_imported_at_the_end(
    runner: TestClient, engine: Engine, staging: Path
) -> None:
    page = upload(runner, "export_123.zip", STRAVA_EXPORT.read_bytes())
    assert (page.status_code, page.template.name) == (200, "onboarding/running.html")  # type: ignore[attr-defined]
    values = page.context["values"]  # type: ignore[attr-defined]
    # the 3 whole weeks before the clock's week: runs on Tue, Thu, Sat, Sun; the Sunday runs longest
    assert (values["run_days"], values["long_run_day"]) == (["tue", "thu", "sat", "sun"], "sun")
    assert values["archive_note"].startswith("Found 15 runs from 03 Nov 2026 to 28 Nov 2026")
    assert "12 runs over 3 weeks" in values["archive_note"]
    assert "export_123.zip!activities/202611297.fit.gz" in page.context["unreadable"]  # type: ignore[attr-defined]
    assert [path.name for path in staging.iterdir()] == [values["archive_token"] + ".zip"]
    page = submit(runner, page)
    for answers in STEPS[1:]:
        page = submit(runner, page, answers)
    done = submit(runner, page, action="finish")
    assert (done.status_code, done.headers["location"]) == (303, "/onboarding/done")
    note = runner.get("/onboarding/done")
    notes = note.context["notes"]  # type: ignore[attr-defined]
    assert notes[0].startswith("Imported 15 activities from your archive; 1 could not be read (archive!")
    assert rows(engine) == {"athletes": 1, "plan_versions": 1, "activities": 15}
    assert list(staging.iterdir()) == []
    assert runner.get("/onboarding/done", follow_redirects=False).headers["location"] == "/plan"


def test_a_zip_of_activity_files_is_read_too(runner: TestClient) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        for kind, name in (("fit", "fitparse__activity-small-fenix2-run.fit"), ("gpx", "gpxpy__route.gpx")):
            bundle.write(FIXTURES / kind / name, f"runs/{name}")
    page = upload(runner, "runs.zip", archive.getvalue())
    assert page.status_code == 200
    assert page.context["values"]["archive_note"].startswith("Found 1 runs")  # type: ignore[attr-defined]
    assert "runs.zip!runs/gpxpy__route.gpx" in page.context["unreadable"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("holiday.jpg", b"\xff\xd8\xff\xe0 a photo", "'holiday.jpg' is not an archive or an activity file"),
        ("export.zip", b"this is no zip", "not a zip file"),
        ("notes.zip", b"", "not a zip file"),
    ],
)
def test_an_upload_that_is_not_an_archive_is_refused_with_a_message(
    runner: TestClient, staging: Path, name: str, content: bytes, words: str
) -> None:
    refused = upload(runner, name, content, {"units": "imperial"})
    assert (refused.status_code, refused.template.name) == (422, "onboarding/running.html")  # type: ignore[attr-defined]
    assert words in refused.context["errors"]["archive"]  # type: ignore[attr-defined]
    assert refused.context["values"]["units"] == "imperial"  # type: ignore[attr-defined]
    assert not staging.exists() or list(staging.iterdir()) == []


def test_an_upload_over_the_server_limit_is_refused_before_it_is_read(engine: Engine) -> None:
    small = create_app(WebSettings(_env_file=None, max_upload_mb=1), engine=engine, hasher=CHEAP_HASHER)  # type: ignore[call-arg]
    with TestClient(small, base_url="http://127.0.0.1") as client:
        sign_up(client, "sam@example.org")
        response = upload(client, "export.zip", b"\0" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert "larger than this server's limit of 1 MB" in response.text


def test_finishing_after_the_upload_is_gone_still_stores_the_profile_and_says_where_to_import(
    runner: TestClient, engine: Engine, staging: Path, new_client: Callable[[], TestClient]
) -> None:
    page = upload(runner, "e.zip", STRAVA_EXPORT.read_bytes())
    token = page.context["values"]["archive_token"]  # type: ignore[attr-defined]
    other = new_client()
    sign_up(other, "kim@example.org")
    stolen = walk(other)
    taken = submit(other, stolen, {"archive_token": token}, action="finish")  # someone else's token
    assert "no longer on the server" in other.get(taken.headers["location"]).context["notes"][0]  # type: ignore[attr-defined]
    assert rows(engine)["activities"] == 0
    assert len(list(staging.iterdir())) == 1
    for path in staging.iterdir():
        path.unlink()
    for answers in STEPS:
        page = submit(runner, page, answers)
    done = submit(runner, page, action="finish")
    note = runner.get(done.headers["location"]).context["notes"][0]  # type: ignore[attr-defined]
    assert "import it on the Import page" in note
    assert rows(engine) == {"athletes": 2, "plan_versions": 2, "activities": 0}


def test_who_may_onboard(client: TestClient, new_client: Callable[[], TestClient], engine: Engine) -> None:
    assert client.get("/onboarding", follow_redirects=False).headers["location"] == "/login?next=/onboarding"
    coach = new_client()
    sign_up(coach, "coach@example.org", role="coach")
    assert coach.get("/onboarding").status_code == 403
    user_id = sign_up(client, "alex@example.org")
    onboard(engine, user_id, "alex@example.org")
    assert client.get("/onboarding", follow_redirects=False).headers["location"] == "/plan"


# --- the profile API ----------------------------------------------------------------------------


@pytest.fixture
def profile_app(app: FastAPI) -> FastAPI:
    """The app, whose API includes the profile router (api/__init__.py)."""
    assert "/api/v1/profile" in app.openapi()["paths"]
    return app


def test_the_api_creates_reads_and_replaces_a_profile(profile_app: FastAPI, runner: TestClient) -> None:
    text = (EXAMPLES / "marathoner.toml").read_text()
    created = api(runner, "POST", "/api/v1/profile", json={"toml": text})
    assert created.status_code == 201
    summary = created.json()
    assert (summary["start_date"], summary["units"], summary["weeks"]) == ("2026-12-07", "metric", 22)
    assert api(runner, "POST", "/api/v1/profile", json={"toml": text}).status_code == 409
    assert runner.get("/api/v1/profile").json() == {"toml": text}
    changed = text.replace("session_minutes = 50", "session_minutes = 40")
    replaced = api(runner, "PUT", "/api/v1/profile", json={"toml": changed})
    assert (replaced.status_code, replaced.json()["effective_from"]) == (200, "2026-11-26")
    assert runner.get("/api/v1/profile").json() == {"toml": changed}
    assert "/api/v1/profile" in runner.get("/api/v1/openapi.json").json()["paths"]


def test_the_api_names_every_profile_problem_stores_nothing_and_takes_json_answers(
    profile_app: FastAPI, runner: TestClient, engine: Engine
) -> None:
    bad = "[athlete]\nbody_mass = 0\n[strength]\navailable_days = ['mon', 'fryday']\nsession_minutes = 45\n"
    refused = api(runner, "POST", "/api/v1/profile", json={"toml": bad})
    assert refused.status_code == 422
    fields = {problem["field"] for problem in refused.json()["fields"]}
    assert fields == {"athlete.body_mass", "strength.available_days[1]"}
    answers: dict[str, object] = {
        "athlete": {"body_mass": 150, "units": "imperial", "name": 'Sam \\ "Quick"'},
        "running": {"run_days": ["tue", "sat"], "long_run_day": "sat", "weekly_distance": 25},
        "races": [{"date": "2027-02-27", "distance": 3.1, "priority": "A", "name": "Parkrun"}],
        "strength": {"available_days": ["mon", "thu"], "session_minutes": 400, "equipment": ["dumbbell"]},
    }
    refused = api(runner, "POST", "/api/v1/profile", json={"answers": answers})
    assert [problem["field"] for problem in refused.json()["fields"]] == ["strength.session_minutes"]
    assert api(runner, "POST", "/api/v1/profile", json={"toml": bad, "answers": answers}).status_code == 422
    assert rows(engine)["athletes"] == 0
    assert runner.get("/api/v1/profile").status_code == 409  # no profile yet
    answers["strength"] = {"available_days": ["mon", "thu"], "session_minutes": 40}
    created = api(runner, "POST", "/api/v1/profile", json={"answers": answers})
    assert (created.status_code, created.json()["units"]) == (201, "imperial")
    stored = tomllib.loads(runner.get("/api/v1/profile").json()["toml"])
    assert (stored["athlete"]["name"], stored["races"][0]["distance"]) == ('Sam \\ "Quick"', 3.1)
