"""The training day over the API: the day's JSON, one set at a time (idempotent by request_id) and
its undo by the same id, the whole session as planned, check-ins, swaps, and who may read or write
whose day."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.services import accounts
from tests.web.conftest import Clock, api, onboard, sign_up

TUE = date(2026, 12, 8)  # the marathoner's first session: back squat 3×5 @ 75 kg RIR 2 first
WED = date(2026, 12, 9)  # no session
THU = date(2026, 12, 10)  # a session, two days after Tuesday: still to come


@pytest.fixture
def tuesday(athlete: TestClient, clock: Clock) -> TestClient:
    """The signed-in athlete on the plan's first session day."""
    clock.today = TUE
    return athlete


def squat_set(**changes: object) -> dict[str, object]:
    return {
        "date": TUE.isoformat(),
        "exercise_id": "back_squat",
        "load": 75,
        "reps": 5,
        "rir": 2,
        "request_id": str(uuid.uuid4()),
        **changes,
    }


def logged(client: TestClient, exercise_id: str = "back_squat") -> list[dict[str, Any]]:
    day = client.get("/api/v1/today").json()
    return [s for e in day["exercises"] if e["id"] == exercise_id for s in e["logged"]]


def fields(response: Any) -> set[str]:
    return {f["field"] for f in response.json()["fields"]}


def test_the_day_as_json_has_targets_plates_rest_reasons_and_runs(tuesday: TestClient) -> None:
    response = tuesday.get("/api/v1/today")
    assert response.status_code == 200
    day = response.json()
    assert (day["date"], day["units"], day["mass_unit"], day["deload"]) == (
        "2026-12-08",
        "metric",
        "kg",
        False,
    )
    assert day["heavy_lower"] is True
    assert day["why"].startswith("Tuesday: after your key run")
    assert day["planned_runs"] == [{"kind": "key", "race": None}]
    squat = day["exercises"][0]
    assert {
        k: squat[k] for k in ("id", "sets", "reps", "rir", "load", "plates_per_side", "rest_seconds")
    } == {
        "id": "back_squat",
        "sets": 3,
        "reps": 5,
        "rir": 2,
        "load": 75.0,
        "plates_per_side": [25.0, 2.5],  # 20 kg bar + 2 × 27.5 kg
        "rest_seconds": 180,
    }
    assert squat["why"].startswith("first session: calibrate")
    assert squat["cue"]
    assert squat["logged"] == []
    assert all(option["id"] != "back_squat" for option in squat["swap_options"])
    dumbbells = next(e for e in day["exercises"] if e["implement"] == "dumbbell")
    assert dumbbells["plates_per_side"] is None


def test_a_day_without_a_session_names_the_next_one(tuesday: TestClient) -> None:
    day = tuesday.get("/api/v1/today", params={"date": WED.isoformat()}).json()
    assert (day["exercises"], day["why"], day["next_session"]) == ([], None, "2026-12-10")


def test_a_set_is_logged_once_however_often_it_is_sent(tuesday: TestClient) -> None:
    body = squat_set(pain=2)
    first = api(tuesday, "POST", "/api/v1/sets", json=body)
    assert first.status_code == 201
    assert first.json() == {
        "exercise_id": "back_squat",
        "load": 75.0,
        "reps": 5,
        "seconds": None,
        "rir": 2,
        "pain": 2,
        "date": "2026-12-08",
        "request_id": body["request_id"],
        "number": 1,
        "replayed": False,
    }
    again = api(tuesday, "POST", "/api/v1/sets", json=body)
    assert again.status_code == 200
    assert again.json() == {**first.json(), "replayed": True}
    second = api(tuesday, "POST", "/api/v1/sets", json=squat_set(rir=1))
    assert (second.status_code, second.json()["number"]) == (201, 2)
    assert [s["rir"] for s in logged(tuesday)] == [2, 1]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reps": 101}, "reps"),
        ({"rir": 11}, "rir"),
        ({"pain": -1}, "pain"),
        ({"load": -2.5}, "load"),
        ({"load": 1000}, "load"),
        ({"exercise_id": "back_squatt"}, "exercise_id"),
        ({"reps": None}, "reps"),
        ({"request_id": "not-a-uuid"}, "request_id"),
        ({"request_id": None}, "request_id"),
        ({"date": "2026-12-31"}, "date"),
        ({"reps": "five"}, "reps"),
        ({"reps": 4.5}, "reps"),
        ({"seconds": 30.5, "reps": None}, "seconds"),
    ],
)
def test_bad_sets_are_refused_with_the_field_named_and_nothing_stored(
    tuesday: TestClient, changes: dict[str, object], field: str
) -> None:
    response = api(tuesday, "POST", "/api/v1/sets", json=squat_set(**changes))
    assert response.status_code == 422
    assert field in fields(response), response.json()
    assert logged(tuesday) == []


def test_the_session_as_planned_then_again_is_refused(tuesday: TestClient) -> None:
    api(tuesday, "POST", "/api/v1/sets", json=squat_set(reps=4))
    response = api(tuesday, "POST", "/api/v1/sessions/as-planned", json={"date": TUE.isoformat()})
    assert response.status_code == 201
    exercises = response.json()["exercises"]
    assert [s["reps"] for s in exercises[0]["logged"]] == [4]  # started by hand: kept as logged
    assert all(len(e["logged"]) == e["sets"] for e in exercises[1:])
    again = api(tuesday, "POST", "/api/v1/sessions/as-planned", json={"date": TUE.isoformat()})
    assert again.status_code == 422
    assert fields(again) == {"date"}
    assert "already logged" in again.json()["detail"]
    empty = api(tuesday, "POST", "/api/v1/sessions/as-planned", json={"date": WED.isoformat()})
    assert (empty.status_code, fields(empty)) == (422, {"date"})


def test_numbers_are_judged_by_the_service_every_field_at_once(tuesday: TestClient) -> None:
    """Not pydantic's "valid integer" errors one layer at a time: whole numbers and ranges are
    checked together, in the words the Today page shows."""
    response = api(tuesday, "POST", "/api/v1/sets", json=squat_set(reps=2.5, rir=-3, load=-1))
    assert response.status_code == 422
    assert {f["field"]: f["message"] for f in response.json()["fields"]} == {
        "load": "-1 is out of range; expected 0 to under 1000 kg",
        "reps": "2.5 is not a whole number; expected 0 to 100",
        "rir": "-3 is out of range; expected 0 to 10",
    }
    whole = api(tuesday, "POST", "/api/v1/sets", json=squat_set(reps=5.0, rir=2.0))
    assert (whole.status_code, whole.json()["reps"], whole.json()["rir"]) == (201, 5, 2)
    bad = api(
        tuesday,
        "POST",
        "/api/v1/checkins",
        json={"date": TUE.isoformat(), "pain_during": 2.5, "morning_pain": 11},
    )
    assert {f["field"] for f in bad.json()["fields"]} == {"pain_during", "morning_pain"}


def test_a_set_is_undone_by_its_request_id_exactly_once(tuesday: TestClient) -> None:
    """DELETE finds the set by the request that logged it, whatever was logged or undone around it;
    a repeat, another athlete's id or no UUID at all is 404 and removes nothing."""
    bodies = [squat_set(rir=rir) for rir in (3, 2, 1)]
    for body in bodies:
        api(tuesday, "POST", "/api/v1/sets", json=body)
    assert [s["request_id"] for s in logged(tuesday)] == [b["request_id"] for b in bodies]
    response = api(tuesday, "DELETE", f"/api/v1/sets/{bodies[1]['request_id']}")
    assert (response.status_code, response.content) == (204, b"")
    assert [s["rir"] for s in logged(tuesday)] == [3, 1]
    again = api(tuesday, "DELETE", f"/api/v1/sets/{bodies[1]['request_id']}")
    assert again.status_code == 404
    assert api(tuesday, "DELETE", "/api/v1/sets/not-a-uuid").status_code == 404
    assert [s["rir"] for s in logged(tuesday)] == [3, 1]
    replay = api(tuesday, "POST", "/api/v1/sets", json=bodies[2])  # a late retry of the third set
    assert (replay.status_code, replay.json()["number"], replay.json()["rir"]) == (200, 2, 1)
    assert api(tuesday, "DELETE", f"/api/v1/sets/{bodies[2]['request_id']}").status_code == 204
    assert [s["rir"] for s in logged(tuesday)] == [3]


def test_as_planned_sets_carry_no_request_id_and_a_lift_without_a_load_is_named(tuesday: TestClient) -> None:
    swap = {"date": TUE.isoformat(), "exercise_id": "pull_up", "replacement_id": "dumbbell_row"}
    assert api(tuesday, "POST", "/api/v1/swaps", json=swap).status_code == 201
    response = api(tuesday, "POST", "/api/v1/sessions/as-planned", json={"date": TUE.isoformat()})
    assert response.status_code == 201
    assert response.json()["needs_load"] == [{"id": "dumbbell_row", "name": "Bent-over dumbbell row"}]
    row = next(e for e in response.json()["exercises"] if e["id"] == "dumbbell_row")
    assert row["logged"] == []
    assert all(s["request_id"] is None for e in response.json()["exercises"] for s in e["logged"])
    later = api(tuesday, "POST", "/api/v1/sessions/as-planned", json={"date": THU.isoformat()})
    assert (later.status_code, fields(later)) == (422, {"date"})
    assert "still to come" in later.json()["detail"]


def test_sets_logged_before_a_swap_stay_with_the_exercise(tuesday: TestClient) -> None:
    api(tuesday, "POST", "/api/v1/sets", json=squat_set(exercise_id="bulgarian_split_squat", load=12, reps=6))
    swap = {"date": TUE.isoformat(), "exercise_id": "bulgarian_split_squat", "replacement_id": "split_squat"}
    api(tuesday, "POST", "/api/v1/swaps", json=swap)
    day = tuesday.get("/api/v1/today").json()
    split = next(e for e in day["exercises"] if e["swapped_from"] == "bulgarian_split_squat")
    assert [s["exercise_id"] for s in split["logged"]] == ["bulgarian_split_squat"]
    assert day["other_logged"] == []


def test_check_ins_answer_with_the_pain_model_and_a_plain_red_flag_line(tuesday: TestClient) -> None:
    api(tuesday, "POST", "/api/v1/sets", json=squat_set())
    during = api(
        tuesday,
        "POST",
        "/api/v1/checkins",
        json={"date": TUE.isoformat(), "pain_during": 7, "exercise_id": "back_squat"},
    )
    assert during.status_code == 201
    [note] = during.json()["advice"]
    # SCIENCE.md §7 (Silbernagel et al. 2007): above 5/10 during → lighten the exercise
    assert (note["exercise_ids"], note["action"]) == (["back_squat"], "reduce")
    assert during.json()["see_clinician"] is None
    assert logged(tuesday)[0]["pain"] == 7
    flagged = api(
        tuesday, "POST", "/api/v1/checkins", json={"date": TUE.isoformat(), "red_flags": ["locking"]}
    )
    assert "see a clinician" in flagged.json()["see_clinician"]
    bad = api(tuesday, "POST", "/api/v1/checkins", json={"date": TUE.isoformat(), "morning_pain": 12})
    assert (bad.status_code, fields(bad)) == (422, {"morning_pain"})
    assert tuesday.get("/api/v1/today").json()["morning_pain"] is None


def test_a_swap_changes_the_day_from_then_on(tuesday: TestClient) -> None:
    options = tuesday.get("/api/v1/today").json()["exercises"][1]
    assert options["id"] == "bulgarian_split_squat"
    choice = options["swap_options"][0]["id"]
    body = {"date": TUE.isoformat(), "exercise_id": "bulgarian_split_squat", "replacement_id": choice}
    response = api(tuesday, "POST", "/api/v1/swaps", json=body)
    assert response.status_code == 201
    assert response.json()["replacement"]["id"] == choice
    swapped = tuesday.get("/api/v1/today").json()["exercises"][1]
    assert (swapped["id"], swapped["swapped_from"]) == (choice, "bulgarian_split_squat")
    bad = api(tuesday, "POST", "/api/v1/swaps", json={**body, "replacement_id": "bench_press"})
    assert (bad.status_code, fields(bad)) == (422, {"replacement_id"})
    unknown = api(tuesday, "POST", "/api/v1/swaps", json={**body, "exercise_id": "nope"})
    assert (unknown.status_code, fields(unknown)) == (422, {"exercise_id"})


def test_a_coach_reads_a_squad_member_day_but_cannot_write_it(
    tuesday: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    api(tuesday, "POST", "/api/v1/sets", json=squat_set())
    athlete_id = tuesday.get("/api/v1/me").json()["id"]
    coach = new_client()
    coach_id = sign_up(coach, "coach@example.org", "coach")
    uow = SqlUnitOfWork(engine)
    squad = accounts.create_squad(uow, coach=accounts.account(uow, coach_id), name="Tuesday club", today=TUE)  # type: ignore[arg-type]
    accounts.join_squad(
        uow, athlete=accounts.account(uow, athlete_id), invite_code=squad.invite_code, today=TUE
    )  # type: ignore[arg-type]

    seen = coach.get(f"/api/v1/athletes/{athlete_id}/today")
    assert seen.status_code == 200
    assert len(seen.json()["exercises"][0]["logged"]) == 1
    assert seen.json() == tuesday.get(f"/api/v1/athletes/{athlete_id}/today").json()  # the athlete's own view
    assert api(coach, "POST", "/api/v1/sets", json=squat_set()).status_code == 403
    request_id = logged(tuesday)[0]["request_id"]
    assert api(coach, "DELETE", f"/api/v1/sets/{request_id}").status_code == 403
    assert coach.get("/api/v1/today").status_code == 403
    assert len(logged(tuesday)) == 1


def test_strangers_get_not_found_and_a_member_without_a_profile_says_so(
    tuesday: TestClient, new_client: Callable[[], TestClient], engine: Engine
) -> None:
    athlete_id = tuesday.get("/api/v1/me").json()["id"]
    other_coach = new_client()
    sign_up(other_coach, "other-coach@example.org", "coach")
    other_athlete = new_client()
    other_id = sign_up(other_athlete, "sam@example.org")
    assert other_coach.get(f"/api/v1/athletes/{athlete_id}/today").status_code == 404
    assert other_athlete.get(f"/api/v1/athletes/{athlete_id}/today").status_code == 404
    fresh = other_athlete.get(f"/api/v1/athletes/{other_id}/today")  # own account, no profile yet
    assert fresh.status_code == 404
    assert "no profile yet" in fresh.json()["detail"]
    assert api(other_athlete, "POST", "/api/v1/sets", json=squat_set()).status_code == 409  # onboarding first
    onboard(engine, other_id, "sam@example.org")
    assert api(other_athlete, "POST", "/api/v1/sets", json=squat_set()).status_code == 201
    assert logged(tuesday) == []  # Sam's set went to Sam
    mine = squat_set()
    api(tuesday, "POST", "/api/v1/sets", json=mine)
    assert api(other_athlete, "DELETE", f"/api/v1/sets/{mine['request_id']}").status_code == 404  # not Sam's
    assert len(logged(tuesday)) == 1


def test_writes_need_a_session_and_the_csrf_token(
    tuesday: TestClient, new_client: Callable[[], TestClient]
) -> None:
    assert tuesday.post("/api/v1/sets", json=squat_set()).status_code == 403  # no X-CSRF-Token
    body = squat_set()
    api(tuesday, "POST", "/api/v1/sets", json=body)
    assert tuesday.delete(f"/api/v1/sets/{body['request_id']}").status_code == 403
    assert len(logged(tuesday)) == 1
    api(tuesday, "DELETE", f"/api/v1/sets/{body['request_id']}")
    assert new_client().get("/api/v1/today").status_code == 401
    assert logged(tuesday) == []


def test_the_endpoints_are_in_the_openapi_document(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/today", "/api/v1/athletes/{user_id}/today", "/api/v1/sets", "/api/v1/checkins"):
        assert path in document["paths"]
    assert {"/api/v1/swaps", "/api/v1/sessions/as-planned"} <= set(document["paths"])
    assert "delete" in document["paths"]["/api/v1/sets/{request_id}"]
    assert "request_id" in document["components"]["schemas"]["SetCreate"]["required"]
