"""The Today page: the template and its context, each form with and without htmx, bad input shown
next to its field with nothing stored, and the page's HTML read through a few CSS selectors."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Clock, onboard, post_form, sign_up

TUE = date(2026, 12, 8)  # the marathoner's first session: back squat 3×5 @ 75 kg RIR 2 first
WED = date(2026, 12, 9)  # no session; the next is Thursday
HTMX = {"HX-Request": "true"}
VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}


# --- a small HTML tree and CSS selectors (tag, #id, .class, [attr], [attr=value], descendants) ---


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    content: list[Element | str] = field(default_factory=list)  # child elements and text, in order

    def all_text(self) -> str:
        return " ".join(part if isinstance(part, str) else part.all_text() for part in self.content).strip()

    def descendants(self) -> list[Element]:
        children = [part for part in self.content if isinstance(part, Element)]
        return [d for child in children for d in (child, *child.descendants())]

    def matches(self, compound: str) -> bool:
        tag = re.match(r"^[a-z0-9]+", compound)
        if tag and tag.group() != self.tag:
            return False
        if any(i != self.attrs.get("id") for i in re.findall(r"#([\w-]+)", compound)):
            return False
        classes = self.attrs.get("class", "").split()
        if any(c not in classes for c in re.findall(r"\.([\w-]+)", compound)):
            return False
        for name, value in re.findall(r"\[([\w-]+)(?:=\"?([^\]\"]*)\"?)?\]", compound):
            if name not in self.attrs or (value and self.attrs[name] != value):
                return False
        return True

    def select(self, selector: str) -> list[Element]:
        found = [self]
        for compound in selector.split():
            found = [d for element in found for d in element.descendants() if d.matches(compound)]
            found = list({id(d): d for d in found}.values())
        return found

    def one(self, selector: str) -> Element:
        [element] = self.select(selector)
        return element


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].content.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1 and self.stack.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.stack[-1].content.append(data.strip())


def html(text: str) -> Element:
    builder = TreeBuilder()
    builder.feed(text)
    return builder.root


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


def test_bad_input_without_javascript_renders_the_page_with_the_errors(tuesday: TestClient) -> None:
    form = set_form(html(tuesday.get("/today").text), "back_squat")
    response = post_form(tuesday, "/today/sets", {**form, "load": "-5"})
    assert response.status_code == 422
    assert response.template.name == "today/page.html"  # type: ignore[attr-defined]
    assert context(response)["errors"] == {"load": "-5 is out of range; expected 0 to under 1000 kg"}
    assert context(response)["values"]["load"] == "-5"
    assert logged(tuesday) == []


def test_the_whole_session_as_planned(tuesday: TestClient) -> None:
    assert post_form(tuesday, "/today/as-planned", {"date": TUE.isoformat()}).status_code == 303
    cards = context(tuesday.get("/today"))["cards"]
    assert all(row.done for card in cards for row in card.rows)
    again = post_form(tuesday, "/today/as-planned", {"date": TUE.isoformat()})
    assert again.status_code == 422
    assert "already logged" in context(again)["errors"]["as_planned"]
    assert "already logged" in html(again.text).one("p#as-planned-error").all_text()


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
