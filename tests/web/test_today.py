"""The Today page: the template and its context, each form with and without htmx, bad input shown
next to its field with nothing stored (in the same words as the API), undo, the whole session after
a confirmation, days still to come, and the page's HTML read through a few CSS selectors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ironmile.domain.units import UnitSystem, kg_from_display
from ironmile.web.training_helpers import load_text
from tests.web.conftest import Clock, api, onboard, post_form, sign_up
from tests.web.html import Element, html

TUE = date(2026, 12, 8)  # the marathoner's first session: back squat 3×5 @ 75 kg RIR 2 first
WED = date(2026, 12, 9)  # no session; the next is Thursday
THU = date(2026, 12, 10)  # deadlift first; two days after Tuesday: still to come
HTMX = {"HX-Request": "true"}


# --- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture
def tuesday(athlete: TestClient, clock: Clock) -> TestClient:
    clock.today = TUE
    return athlete


def set_form(page: Element, card: str, *, adjusted: bool = False) -> dict[str, str]:
    """The fields of a card's first pending set form ("Done as planned", or the adjust form), as
    the browser would send them."""
    rows = page.select(f"#ex-{card} li.set-row")
    pending = next(r for r in rows if "done" not in r.attrs.get("class", "").split())
    form = pending.one("form.adjust-form") if adjusted else pending.select("form.set-form")[0]
    return {i.attrs["name"]: i.attrs.get("value", "") for i in form.select("input") if i.attrs.get("name")}


def logged(client: TestClient) -> list[dict[str, Any]]:
    return [s for e in client.get("/api/v1/today").json()["exercises"] for s in e["logged"]]


def context(response: Any) -> dict[str, Any]:
    return response.context  # type: ignore[no-any-return]


# --- the page -------------------------------------------------------------------------------------


def test_the_page_shows_each_exercise_with_load_plates_rest_reason_and_cue(tuesday: TestClient) -> None:
    response = tuesday.get("/today")
    assert response.status_code == 200
    assert response.template.name == "today/page.html"  # type: ignore[attr-defined]
    values = context(response)
    assert (values["nav"], values["day"], values["is_today"]) == ("today", TUE, True)
    squat = values["cards"][0]
    assert (squat.target.exercise.id, squat.dose, squat.load, squat.plates, squat.rest) == (
        "back_squat",
        "3×5 RIR 2",
        "75 kg",
        ("25", "2.5"),
        "3:00",
    )
    assert [row.done for row in squat.rows] == [None, None, None]
    split = values["cards"][1]
    assert (split.dose, split.load, split.plates) == ("3×6/side RIR 2", "12 kg per dumbbell", None)
    page = html(response.text)
    card = page.one("article#ex-back_squat")
    assert card.one("h2").all_text() == "Low-bar back squat"
    assert [p.all_text() for p in card.select("span.plate")] == ["25", "2.5"]
    assert "first session: calibrate" in card.one("p.why").all_text()
    assert card.one("p.cue").all_text().startswith("Cue:")
    assert len(card.select("li.set-row button.done-button")) == 3
    assert page.one("section.runs").all_text().count("Planned: key run") == 1


def test_a_day_without_a_session_says_so_and_links_the_next(tuesday: TestClient) -> None:
    response = tuesday.get("/today", params={"date": WED.isoformat()})
    page = html(response.text)
    section = page.one("section.no-session")
    assert "No strength session on this day" in section.all_text()
    assert section.one("a").attrs["href"] == "/today?date=2026-12-10"
    assert page.select("article.exercise") == []


def test_a_deload_week_says_so(tuesday: TestClient) -> None:
    response = tuesday.get("/today", params={"date": "2026-12-29"})  # the marathoner's first deload week
    assert context(response)["gym"].deload is True
    assert "Deload week" in html(response.text).one("section.session-head p.deload").all_text()
    assert tuesday.get("/api/v1/today", params={"date": "2026-12-29"}).json()["deload"] is True


def test_the_page_passes_its_data_to_its_script_without_inline_code(tuesday: TestClient) -> None:
    response = tuesday.get("/today")
    page = html(response.text)
    scripts = page.select("script")
    assert all(s.attrs.get("src") or s.attrs.get("type") == "application/json" for s in scripts)
    assert any("/static/js/today.js" in s.attrs.get("src", "") for s in scripts)
    data = json.loads(page.one("script#today-data").all_text())
    me = tuesday.get("/api/v1/me").json()["id"]
    assert data == {
        "date": "2026-12-08",
        "csrf": context(response)["csrf_token"],
        "api": "/api/v1/sets",
        "user": me,
    }
    assert "onclick" not in response.text


def test_one_live_region_and_the_rest_timer_comes_before_the_cards(tuesday: TestClient) -> None:
    """Keyboard users reach "Skip rest" without tabbing through every card; the script says each
    logged, undone or swapped set in one polite live region and moves the focus to it."""
    page = html(tuesday.get("/today").text)
    order = [
        e.attrs.get("id", "")
        for e in page.descendants()
        if e.attrs.get("id") in ("rest-timer", "ex-back_squat")
    ]
    assert order == ["rest-timer", "ex-back_squat"]
    live = [e for e in page.descendants() if e.attrs.get("aria-live")]
    assert [(e.attrs["id"], e.attrs["aria-live"], e.attrs["role"]) for e in live] == [
        ("today-announce", "polite", "status")
    ]
    assert page.one("article#ex-back_squat h2").attrs["tabindex"] == "-1"


def test_every_input_has_a_label_and_a_unique_id(tuesday: TestClient) -> None:
    page = html(tuesday.get("/today").text)
    inputs = [i for i in page.select("input") + page.select("select") if i.attrs.get("type") != "hidden"]
    ids = [i.attrs.get("id") for i in inputs if i.attrs.get("type") not in ("radio", "checkbox")]
    assert None not in ids
    assert len(ids) == len(set(ids))
    labelled = {label.attrs.get("for") for label in page.select("label")}
    assert set(ids) <= labelled
    wrapped = [c for label in page.select("label") for c in label.select("input")]  # radios, checkboxes
    assert len(wrapped) == len(inputs) - len(ids)


def test_signed_out_coaches_and_athletes_without_a_profile_go_elsewhere(
    client: TestClient, new_client: Callable[[], TestClient]
) -> None:
    response = client.get("/today", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/today")
    sign_up(client, "new@example.org")
    assert client.get("/today", follow_redirects=False).headers["location"] == "/onboarding"
    coach = new_client()
    sign_up(coach, "coach@example.org", "coach")
    assert coach.get("/today").status_code == 403


# --- one set -------------------------------------------------------------------------------------


def test_a_set_without_javascript_logs_and_redirects_back_to_its_card(tuesday: TestClient) -> None:
    form = set_form(html(tuesday.get("/today").text), "back_squat")
    response = post_form(tuesday, "/today/sets", form)
    assert response.status_code == 303
    assert response.headers["location"] == "/today?date=2026-12-08#ex-back_squat"
    assert post_form(tuesday, "/today/sets", form).status_code == 303  # sent twice: logged once
    assert [(s["load"], s["reps"], s["rir"]) for s in logged(tuesday)] == [(75.0, 5, 2)]
    squat = context(tuesday.get("/today"))["cards"][0]
    assert [row.done for row in squat.rows] == ["75 kg × 5 · RIR 2", None, None]


def test_an_adjusted_set_through_htmx_comes_back_as_the_card(tuesday: TestClient) -> None:
    form = set_form(html(tuesday.get("/today").text), "back_squat", adjusted=True)
    response = post_form(
        tuesday, "/today/sets", {**form, "load": "77,5", "reps": "4", "rir": "1", "pain": "3"}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.template.name == "today/_card.html"  # type: ignore[attr-defined]
    card = html(response.text).one("article#ex-back_squat")
    [done] = card.select("li.set-row.done")
    assert done.one("p.set-done").all_text().startswith("✓ Set 1: 77.5 kg × 4 · RIR 1 · pain 3/10")
    assert len(card.select("li.set-row button.done-button")) == 2
    assert logged(tuesday)[0]["pain"] == 3


def test_bad_input_through_htmx_is_shown_next_to_its_field_and_nothing_is_stored(tuesday: TestClient) -> None:
    form = set_form(html(tuesday.get("/today").text), "back_squat")
    sent = {**form, "reps": "150", "rir": "two"}
    response = post_form(tuesday, "/today/sets", sent, headers=HTMX)
    assert response.status_code == 422
    assert response.template.name == "today/_card.html"  # type: ignore[attr-defined]
    errors = context(response)["errors"]
    assert set(errors) == {"reps", "rir"}
    assert "expected 0 to 100" in errors["reps"]
    card = html(response.text).one("article#ex-back_squat")
    reps = card.one("input#back_squat-1-reps")
    assert (reps.attrs["aria-invalid"], reps.attrs["aria-describedby"], reps.attrs["value"]) == (
        "true",
        "back_squat-1-reps-error",
        "150",
    )
    assert "expected 0 to 100" in card.one("p#back_squat-1-reps-error").all_text()
    assert "open" in card.select("li.set-row")[0].one("details.adjust").attrs
    assert logged(tuesday) == []


def test_the_form_and_the_api_give_the_same_words_for_every_field_at_once(tuesday: TestClient) -> None:
    """The script sends the adjust form to the API as numbers; without it the form is posted. Both
    name every field at fault on the first try, in the same plain words."""
    form = set_form(html(tuesday.get("/today").text), "back_squat", adjusted=True)
    response = post_form(
        tuesday, "/today/sets", {**form, "reps": "2.5", "rir": "-3", "pain": "11"}, headers=HTMX
    )
    assert response.status_code == 422
    expected = {
        "reps": "2.5 is not a whole number; expected 0 to 100",
        "rir": "-3 is out of range; expected 0 to 10",
        "pain": "11 is out of range; expected 0 to 10",
    }
    assert context(response)["errors"] == expected
    body = {
        "date": TUE.isoformat(),
        "exercise_id": "back_squat",
        "load": 75,
        "reps": 2.5,
        "rir": -3,
        "pain": 11,
        "request_id": form["request_id"],
    }
    answer = api(tuesday, "POST", "/api/v1/sets", json=body)
    assert answer.status_code == 422
    assert {f["field"]: f["message"] for f in answer.json()["fields"]} == expected
    assert logged(tuesday) == []


def test_bad_input_without_javascript_renders_the_page_with_the_errors(tuesday: TestClient) -> None:
    form = set_form(html(tuesday.get("/today").text), "back_squat")
    response = post_form(tuesday, "/today/sets", {**form, "load": "-5"})
    assert response.status_code == 422
    assert response.template.name == "today/page.html"  # type: ignore[attr-defined]
    assert context(response)["errors"] == {"load": "-5 is out of range; expected 0 to under 1000 kg"}
    assert context(response)["values"]["load"] == "-5"
    assert logged(tuesday) == []


def test_the_whole_session_as_planned_after_a_confirmation_step(tuesday: TestClient) -> None:
    """The button is a GET: the next page lists what it logs, and only "Yes" posts; a post without
    the confirmation (an old page, a second tab) shows the same step and logs nothing."""
    page = html(tuesday.get("/today").text)
    ask = page.one("section#as-planned form")
    assert (ask.attrs["method"], ask.attrs["action"]) == ("get", "/today/as-planned")
    response = tuesday.get("/today/as-planned", params={"date": TUE.isoformat()})
    assert response.template.name == "today/page.html"  # type: ignore[attr-defined]
    confirm = context(response)["confirm"]
    assert [c.target.exercise.id for c in confirm.cards][:2] == ["back_squat", "bulgarian_split_squat"]
    section = html(response.text).one("section#as-planned")
    assert section.one("h2").attrs["tabindex"] == "-1"
    assert "Low-bar back squat : 3×5 RIR 2 · 75 kg" in section.one("ul.confirm-list").all_text()
    yes = section.one("form[method=post]")
    assert {i.attrs["name"]: i.attrs.get("value") for i in yes.select("input")}["confirm"] == "yes"
    assert section.one("a.button").attrs["href"] == "/today?date=2026-12-08"
    unconfirmed = post_form(tuesday, "/today/as-planned", {"date": TUE.isoformat()})
    assert (unconfirmed.status_code, context(unconfirmed)["confirm"] is not None) == (200, True)
    assert logged(tuesday) == []

    done = post_form(tuesday, "/today/as-planned", {"date": TUE.isoformat(), "confirm": "yes"})
    assert (done.status_code, done.headers["location"]) == (303, "/today?date=2026-12-08")
    after = tuesday.get("/today")
    assert all(row.done for card in context(after)["cards"] for row in card.rows)
    assert html(after.text).select("section#as-planned") == []  # nothing left to log
    again = post_form(tuesday, "/today/as-planned", {"date": TUE.isoformat(), "confirm": "yes"})
    assert again.status_code == 422
    assert "already logged" in context(again)["errors"]["as_planned"]
    assert "already logged" in html(again.text).one("p#as-planned-error").all_text()


def test_the_whole_session_leaves_out_and_names_a_lift_without_a_load(tuesday: TestClient) -> None:
    """A pull-up swapped for a dumbbell row starts without a load ("pick by feel"): the confirmation
    names it, the session is logged without it, and the page opens on its card."""
    swap = {"date": TUE.isoformat(), "exercise_id": "pull_up", "replacement_id": "dumbbell_row"}
    assert post_form(tuesday, "/today/swap", swap).status_code == 303
    confirm = html(tuesday.get("/today/as-planned", params={"date": TUE.isoformat()}).text)
    section = confirm.one("section#as-planned")
    assert "Bent-over dumbbell row" not in section.one("ul.confirm-list").all_text()
    assert "Not logged: Bent-over dumbbell row needs a load: log it on its card." in section.all_text()
    done = post_form(tuesday, "/today/as-planned", {"date": TUE.isoformat(), "confirm": "yes"})
    assert done.headers["location"] == "/today?date=2026-12-08#ex-pull_up"
    card = html(tuesday.get("/today").text).one("article#ex-pull_up")
    assert "No load is planned for this lift" in card.one("p.needs-load").all_text()
    assert card.select("button.done-button") == []
    assert all("open" in details.attrs for details in card.select("details.adjust"))
    assert not any(
        e["id"] == "dumbbell_row" and e["logged"] for e in tuesday.get("/api/v1/today").json()["exercises"]
    )


def test_a_day_still_to_come_shows_no_log_buttons_and_says_when(tuesday: TestClient) -> None:
    """Tomorrow is allowed (a phone a time zone ahead); the day after is not loggable yet."""
    response = tuesday.get("/today", params={"date": THU.isoformat()})
    assert context(response)["can_log"] is False
    page = html(response.text)
    assert page.one("section.session-head p.future").all_text() == "You can log this on Thu 10 Dec."
    assert page.select("form.set-form") == []
    assert page.select("details.adjust") == []
    assert page.select("section#as-planned") == []
    assert page.select("section#checkin form") == []
    assert len(page.select("article.exercise li.set-row p.set-label")) == sum(
        c.target.sets for c in context(response)["cards"]
    )
    assert page.select("details.swap")  # a swap may be planned ahead
    tomorrow = html(tuesday.get("/today", params={"date": WED.isoformat()}).text)
    assert tomorrow.select("p.future") == []
    asked = tuesday.get("/today/as-planned", params={"date": THU.isoformat()})
    assert "You can log this on Thu 10 Dec." in html(asked.text).one("section#as-planned").all_text()


def test_a_logged_set_is_undone_from_its_line(tuesday: TestClient) -> None:
    form = set_form(html(tuesday.get("/today").text), "back_squat")
    post_form(tuesday, "/today/sets", form)
    row = html(tuesday.get("/today").text).select("article#ex-back_squat li.set-row")[0]
    assert row.one("p.set-done").attrs["tabindex"] == "-1"
    undo = row.one("form.undo-form")
    fields = {i.attrs["name"]: i.attrs.get("value", "") for i in undo.select("input")}
    assert fields["request_id"] == form["request_id"]
    assert undo.one("button").attrs["aria-label"] == "Undo set 1 of Low-bar back squat"
    plain = post_form(tuesday, "/today/sets/undo", fields)
    assert (plain.status_code, plain.headers["location"]) == (303, "/today?date=2026-12-08#ex-back_squat")
    assert logged(tuesday) == []
    again = post_form(tuesday, "/today/sets/undo", fields, headers=HTMX)  # a second tap: nothing more
    assert (again.status_code, again.template.name) == (200, "today/_card.html")  # type: ignore[attr-defined]
    card = html(again.text).one("article#ex-back_squat")
    assert len(card.select("li.set-row button.done-button")) == 3
    post_form(tuesday, "/today/sets", form)  # the same set sent again after its undo: a new set
    assert len(logged(tuesday)) == 1


def test_undoing_the_days_only_set_leaves_the_day_unlogged_in_the_week(tuesday: TestClient) -> None:
    def tuesday_in_week() -> dict[str, Any]:
        days = tuesday.get(f"/api/v1/plan/week?date={TUE}").json()["days"]
        found: dict[str, Any] = next(day for day in days if day["date"] == TUE.isoformat())
        return found

    form = set_form(html(tuesday.get("/today").text), "back_squat")
    post_form(tuesday, "/today/sets", form)
    assert tuesday_in_week()["logged"] is True
    undone = post_form(tuesday, "/today/sets/undo", {"request_id": form["request_id"]})
    assert undone.status_code == 303
    assert tuesday_in_week()["logged"] is False  # no empty session left behind
    assert tuesday_in_week()["movable"] is True


def test_as_planned_sets_have_no_undo_and_others_sets_are_named(tuesday: TestClient) -> None:
    api(
        tuesday,
        "POST",
        "/api/v1/sets",
        json={
            "date": TUE.isoformat(),
            "exercise_id": "plank",
            "seconds": 45,
            "request_id": "0b7f3c2e-4a51-4f7e-9c1d-2f6a8e9b1c30",
        },
    )
    post_form(tuesday, "/today/as-planned", {"date": TUE.isoformat(), "confirm": "yes"})
    page = html(tuesday.get("/today").text)
    assert page.select("article.exercise form.undo-form") == []
    [item] = page.select("section.other-sets li")
    assert item.one("span").all_text() == "Plank: 45 s"
    undo = item.one("form.undo-form")
    assert undo.one("button").attrs["aria-label"] == "Undo Plank: 45 s"
    fields = {i.attrs["name"]: i.attrs.get("value", "") for i in undo.select("input")}
    assert post_form(tuesday, "/today/sets/undo", fields).status_code == 303
    assert html(tuesday.get("/today").text).select("section.other-sets") == []


def test_sets_stay_on_their_card_after_a_swap(tuesday: TestClient) -> None:
    """Logged, then swapped: the sets stay on the card, named, and never move to "other sets"."""
    form = set_form(html(tuesday.get("/today").text), "bulgarian_split_squat")
    post_form(tuesday, "/today/sets", form)
    swap = {"date": TUE.isoformat(), "exercise_id": "bulgarian_split_squat", "replacement_id": "split_squat"}
    response = post_form(tuesday, "/today/swap", swap, headers=HTMX)
    card = html(response.text).one("article#ex-bulgarian_split_squat")
    assert (card.attrs["data-exercise"], card.attrs["data-planned"]) == (
        "split_squat",
        "bulgarian_split_squat",
    )
    [done] = card.select("li.set-row.done")
    assert done.one("p.set-done").all_text().startswith("✓ Set 1: Bulgarian split squat: 12 kg × 6 · RIR 2")
    assert done.select("form.undo-form")
    assert len(card.select("li.set-row button.done-button")) == 2
    page = html(tuesday.get("/today").text)
    assert page.select("section.other-sets") == []
    assert "bulgarian_split_squat" not in page.one("article#ex-bulgarian_split_squat").all_text()


def test_loads_are_shown_as_the_page_rounds_them(tuesday: TestClient) -> None:
    """A set logged in kg and shown after a switch to pounds: 8 kg is 17.637 lb, shown 17.6 lb.
    Loads on a quarter step are shown exactly."""
    assert load_text(8.0, UnitSystem.IMPERIAL) == "17.6 lb"
    assert load_text(kg_from_display(205, UnitSystem.IMPERIAL), UnitSystem.IMPERIAL) == "205 lb"
    assert load_text(61.25, UnitSystem.METRIC) == "61.25 kg"
    assert load_text(kg_from_display(17.5, UnitSystem.IMPERIAL), UnitSystem.IMPERIAL) == "17.5 lb"
    form = set_form(html(tuesday.get("/today").text), "bulgarian_split_squat", adjusted=True)
    post_form(tuesday, "/today/sets", {**form, "load": "8"})
    assert api(tuesday, "PATCH", "/api/v1/settings", json={"units": "imperial"}).status_code == 200
    card = context(tuesday.get("/today"))["cards"][1]
    assert card.rows[0].done == "17.6 lb × 6 · RIR 2"
    assert tuesday.get("/api/v1/today").json()["exercises"][1]["logged"][0]["load"] == 17.64  # the API: exact


# --- check-ins and swaps ----------------------------------------------------------------------------


def test_a_red_flag_check_in_shows_the_clinician_line_plainly(tuesday: TestClient) -> None:
    response = post_form(
        tuesday, "/today/checkins", {"date": TUE.isoformat(), "red_flags": "night_pain"}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.template.name == "today/_checkin.html"  # type: ignore[attr-defined]
    line = html(response.text).one("section#checkin p.clinician")
    assert line.attrs["role"] == "alert"
    assert "night pain" in line.all_text()
    assert "stop loading the leg now and see a clinician" in line.all_text()


def test_pain_during_an_exercise_is_advised_on_from_the_model(tuesday: TestClient) -> None:
    post_form(tuesday, "/today/sets", set_form(html(tuesday.get("/today").text), "back_squat"))
    response = post_form(
        tuesday, "/today/checkins", {"date": TUE.isoformat(), "pain_during": "6", "exercise_id": "back_squat"}
    )
    assert response.template.name == "today/page.html"  # type: ignore[attr-defined]
    [note] = context(response)["checkin"].advice
    assert note.action.value == "reduce"  # SCIENCE.md §7: above 5/10 during
    advice = html(response.text).one("ul.pain-advice").all_text()
    assert advice.startswith("Low-bar back squat: pain 6/10 during the session on 2026-12-08 (above 5)")


def test_a_whole_session_pain_above_5_is_said_first_even_after_a_lower_set_rating(
    tuesday: TestClient,
) -> None:
    form = set_form(html(tuesday.get("/today").text), "back_squat", adjusted=True)
    post_form(tuesday, "/today/sets", {**form, "pain": "3"})
    response = post_form(
        tuesday, "/today/checkins", {"date": TUE.isoformat(), "pain_during": "6"}, headers=HTMX
    )
    first, second = html(response.text).select("ul.pain-advice li")
    assert first.all_text().startswith("Whole session: pain 6/10 during the session on 2026-12-08 (above 5)")
    assert second.all_text().startswith("Low-bar back squat: pain 6/10 during the session")


def test_a_bad_check_in_keeps_what_was_typed_and_names_the_field(tuesday: TestClient) -> None:
    response = post_form(
        tuesday,
        "/today/checkins",
        {"date": TUE.isoformat(), "morning_pain": "11", "body_mass": "x"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert set(context(response)["errors"]) == {"morning_pain", "body_mass"}
    section = html(response.text).one("section#checkin")
    assert section.one("input#checkin-morning_pain").attrs["value"] == "11"
    assert section.one("input#checkin-morning_pain").attrs["aria-invalid"] == "true"
    assert "0 to 10" in section.one("p#checkin-morning_pain-error").all_text()


def test_a_swap_through_htmx_returns_the_card_with_the_new_exercise(tuesday: TestClient) -> None:
    page = html(tuesday.get("/today").text)
    choices = page.select("article#ex-bulgarian_split_squat details.swap input[type=radio]")
    chosen = choices[0].attrs["value"]
    sent = {"date": TUE.isoformat(), "exercise_id": "bulgarian_split_squat", "replacement_id": chosen}
    response = post_form(tuesday, "/today/swap", sent, headers=HTMX)
    assert response.status_code == 200
    card = html(response.text).one("article#ex-bulgarian_split_squat")
    assert card.attrs["data-exercise"] == chosen
    assert card.one("p.swapped").all_text() == "Instead of Bulgarian split squat"
    refused = post_form(tuesday, "/today/swap", {**sent, "replacement_id": "bench_press"}, headers=HTMX)
    assert refused.status_code == 422
    assert "not an equivalent" in html(refused.text).one("details.swap p.field-error").all_text()
    plain = post_form(tuesday, "/today/swap", sent)
    assert (plain.status_code, plain.headers["location"]) == (
        303,
        "/today?date=2026-12-08#ex-bulgarian_split_squat",
    )


def test_an_imperial_athlete_sees_and_logs_pounds(client: TestClient, clock: Clock, engine: Any) -> None:
    clock.today = date(2027, 1, 5)  # imperial_ultra's first session
    user_id = sign_up(client, "sam@example.org")
    onboard(engine, user_id, "sam@example.org", "imperial_ultra.toml")
    response = client.get("/today")
    squat = context(response)["cards"][0]
    assert (squat.load, squat.plates) == ("205 lb", ("45", "35"))  # 45 lb bar + 2 × 80 lb
    post_form(client, "/today/sets", set_form(html(response.text), "back_squat"))
    assert [s["load"] for s in logged(client)] == [205.0]  # stored in kg, shown in lb again
    assert context(client.get("/today"))["cards"][0].rows[0].done == "205 lb × 5 · RIR 2"
