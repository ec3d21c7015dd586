"""The Plan page: the season chart with its text alternative, the week calendar with the reason for
each session, and moving a session with and without htmx, refused with the rules' reasons."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.adapters.plan_snapshot import read_full_plan
from ironmile.render.charts import season_chart
from ironmile.services.training import init_athlete, log_sets
from tests.web.conftest import EXAMPLES, TODAY, Clock, post_form, sign_up
from tests.web.html import html

MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 12, 7) + timedelta(days=d) for d in range(7))  # week 1
DELOAD_WEEK = date(2026, 12, 30)  # a Wednesday of week 4, the first deload week
HX = {"HX-Request": "true"}

# --- helpers --------------------------------------------------------------------------------------


def versions(engine: Engine) -> list[str]:
    with SqlUnitOfWork(engine) as uow:
        [athlete] = uow.athletes.all()
        return [version.document for version in uow.plans.versions(athlete.id)]


def context(response: object) -> dict[str, object]:
    return response.context  # type: ignore[attr-defined,no-any-return]


# --- the page -------------------------------------------------------------------------------------


def test_the_page_shows_the_season_and_the_week_with_each_reason(athlete: TestClient, engine: Engine) -> None:
    response = athlete.get(f"/plan?week={WED}")
    assert response.status_code == 200
    assert response.template.name == "plan/index.html"  # type: ignore[attr-defined]
    page = context(response)
    assert page["nav"] == "plan"
    plan = read_full_plan(versions(engine)[0], load_catalogue())
    assert page["chart"] == season_chart(plan, width="container")
    assert [(row.phase, row.weeks) for row in page["phases"]] == [  # type: ignore[attr-defined]
        ("strength", "1–12"),
        ("power", "13–18"),
        ("taper", "19"),
        ("race", "20"),
        ("recovery", "21–22"),
    ]
    assert [run.race for run in page["races"]] == ["City Half", "Spring Marathon"]  # type: ignore[attr-defined]
    days = page["days"]
    assert [d.date for d in days] == [MON, TUE, WED, THU, FRI, SAT, SUN]  # type: ignore[attr-defined]
    assert [d.runs for d in days] == [  # type: ignore[attr-defined]
        (),
        ("Key session",),
        ("Easy run",),
        ("Key session",),
        (),
        ("Easy run",),
        ("Long run",),
    ]
    tuesday = days[1].session  # type: ignore[index]
    assert tuesday.kind == "legs + upper body"
    assert tuesday.why.startswith("Tuesday: after your key run")
    assert tuesday.exercises[0].name == "Low-bar back squat"
    assert tuesday.exercises[0].dose == "3×5 RIR 2"
    assert tuesday.exercises[0].load == "75 kg"
    tree = html(response.text)
    assert len(tree.select("ol.days li.day")) == 7
    assert "Why this day:" in tree.select("li[data-date=2026-12-10] .session .why")[0].text()
    phases = tree.select("ol.phases li.phase")
    assert phases[0].text().startswith("Strength · weeks 1–12 · Mon 07 Dec 2026 – Sun 28 Feb 2027")
    assert "deload weeks 4, 8, 12" in phases[0].text()


def test_the_chart_is_data_for_the_shared_script_and_no_script_is_inline(athlete: TestClient) -> None:
    text = athlete.get("/plan").text
    tree = html(text)
    [spec] = tree.select('script[type="application/json"][data-vega-target="#season-chart"]')
    assert json.loads(spec.text())["layer"]
    assert tree.select("div#season-chart.chart")
    for script in tree.select("script"):
        assert "src" in script.attrs or script.attrs.get("type") == "application/json", script.attrs
    sources = [s.attrs["src"].split("?")[0] for s in tree.select("script[src]")]
    for needed in (
        "/static/vendor/vega-6.2.0.min.js",
        "/static/vendor/vega-lite-6.4.1.min.js",
        "/static/vendor/vega-embed-7.0.2.min.js",
        "/static/js/charts.js",
        "/static/js/plan.js",
    ):
        assert needed in sources
        assert athlete.get(needed).status_code == 200
    assert sources.index("/static/vendor/vega-embed-7.0.2.min.js") < sources.index("/static/js/charts.js")
    assert "onclick" not in text.lower()
    assert athlete.get("/static/css/plan.css").status_code == 200


def test_before_the_plan_starts_the_page_opens_on_its_first_week(athlete: TestClient) -> None:
    response = athlete.get("/plan")  # today is Thursday 26 November; the plan starts on Monday 7 December
    page = context(response)
    assert page["week"].monday == MON  # type: ignore[attr-defined]
    assert page["starts_on"] == MON
    tree = html(response.text)
    [notice] = tree.select("p.notice.starts-on")
    assert notice.text() == "Your plan starts on Mon 7 Dec. Its first week is below."
    assert tree.select("p.starts-on a")[0].attrs["href"] == "#plan-week"
    assert [d.date for d in page["days"] if d.session] == [TUE, THU]  # type: ignore[attr-defined]
    assert tree.select('a[rel="prev"]')[0].attrs["href"] == "/plan?week=2026-11-30"
    assert tree.select(".week-nav a")[1].attrs["href"] == f"/plan?week={TODAY}"  # "This week": today's


def test_todays_week_links_to_its_neighbours_and_to_the_plans_start(athlete: TestClient) -> None:
    response = athlete.get(f"/plan?week={TODAY}")
    week = context(response)["week"]
    assert week.monday == TODAY - timedelta(days=TODAY.weekday())  # type: ignore[attr-defined]
    tree = html(response.text)
    assert tree.select('li.day.is-today[aria-current="date"]')[0].attrs["data-date"] == TODAY.isoformat()
    assert tree.select('a[rel="prev"]')[0].attrs["href"] == "/plan?week=2026-11-16"
    assert tree.select('a[rel="next"]')[0].attrs["href"] == "/plan?week=2026-11-30"
    assert "Outside your plan." in tree.select(".week-phase")[0].text()  # the plan starts on 7 December
    assert tree.select("p.starts-on a")[0].attrs["href"] == f"/plan?week={MON}#plan-week"
    assert tree.select("#move")[0].text().startswith("Move a session No session this week can move")


def test_once_the_plan_has_started_the_page_opens_on_todays_week(athlete: TestClient, clock: Clock) -> None:
    clock.today = WED + timedelta(days=7)
    page = context(athlete.get("/plan"))
    assert page["week"].monday == MON + timedelta(days=7)  # type: ignore[attr-defined]
    assert page["starts_on"] is None
    assert not html(athlete.get("/plan").text).select("p.starts-on")


def test_a_deload_week_is_marked(athlete: TestClient) -> None:
    response = athlete.get(f"/plan?week={DELOAD_WEEK}")
    assert all(day.deload for day in context(response)["days"])  # type: ignore[attr-defined]
    tree = html(response.text)
    assert len(tree.select("li.day.is-deload")) == 7
    assert "deload" in tree.select(".week-phase")[0].text()


def test_a_bad_week_is_refused_naming_the_field(athlete: TestClient) -> None:
    for week in ("2026-13-01", "soon", "0001-01-01"):
        response = athlete.get(f"/plan?week={week}")
        assert response.status_code == 422
        assert response.template.name == "error.html"  # type: ignore[attr-defined]
        assert "week" in context(response)["message"]  # type: ignore[operator]


# --- the move check -------------------------------------------------------------------------------


def test_the_htmx_check_shows_an_allowed_move_and_its_confirm_button(athlete: TestClient) -> None:
    response = athlete.get(f"/plan/move?week={MON}&from={THU}&to={FRI}", headers=HX)
    assert response.status_code == 200
    assert response.template.name == "plan/_move.html"  # type: ignore[attr-defined]
    verdict = context(response)["verdict"]
    assert verdict.allowed  # type: ignore[attr-defined]
    assert "<html" not in response.text  # a partial
    tree = html(response.text)
    assert tree.select("div#move .verdict.allowed")
    assert len(tree.select("ul.checks li.check.pass")) == 11  # heavy legs: every placement rule
    [confirm] = tree.select('form[hx-post="/plan/move"]')
    hidden = {i.attrs["name"]: i.attrs["value"] for i in tree.select('form[hx-post="/plan/move"] input')}
    assert hidden["from"] == THU.isoformat()
    assert hidden["to"] == FRI.isoformat()
    assert hidden["csrf_token"]
    assert confirm.attrs["hx-target"] == "#plan-week"
    assert "moved by you from Thu; Friday: no run today" in tree.select(".verdict-summary")[0].text()


def test_the_check_refuses_with_the_reason_of_each_broken_rule(athlete: TestClient) -> None:
    response = athlete.get(f"/plan/move?from={THU}&to={SAT}", headers=HX)
    assert response.status_code == 200  # a check, answered: the answer is no
    tree = html(response.text)
    assert tree.select(".verdict.refused")
    [broken] = tree.select("li.check.fail")
    assert broken.attrs["data-rule"] == "before_long_run"
    assert "the day before your long run (Sunday)" in broken.text()
    assert not tree.select('form[hx-post="/plan/move"]')


def test_the_check_works_without_javascript_on_the_page_itself(athlete: TestClient) -> None:
    response = athlete.get(f"/plan?week={MON}&from={THU}&to={WED}")
    assert response.template.name == "plan/index.html"  # type: ignore[attr-defined]
    assert set(context(response)["verdict"].reasons) == {  # type: ignore[attr-defined]
        "the day before your key session (Thursday)",
        "the day after the heavy session on Tuesday 08 Dec (48 h needed)",
    }
    tree = html(response.text)
    assert len(tree.select("li.check.fail")) == 2
    assert tree.select('option[value="2026-12-10"][selected]')  # what was chosen stays


def test_the_check_without_htmx_goes_to_the_page(athlete: TestClient) -> None:
    response = athlete.get(f"/plan/move?week={MON}&from={THU}&to=", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/plan?week={MON}&from={THU}"


def test_bad_days_in_the_check_are_named_next_to_their_fields(athlete: TestClient) -> None:
    response = athlete.get(f"/plan/move?week={MON}&from=yesterday&to=", headers=HX)
    assert response.status_code == 422
    assert response.template.name == "plan/_move.html"  # type: ignore[attr-defined]
    errors = context(response)["errors"]
    assert "'yesterday' is not a date" in errors["from"]  # type: ignore[index]
    assert errors["to"] == "choose the day to move it to"  # type: ignore[index]
    tree = html(response.text)
    assert tree.select('select#from[aria-describedby="from-error"]')
    assert tree.select("p#to-error.field-error")


def test_each_day_to_move_to_says_what_the_rules_say(athlete: TestClient) -> None:
    response = athlete.get(f"/plan?week={MON}&from={THU}")
    assert response.status_code == 200
    page = context(response)
    assert page["verdict"] is None  # a session picked, no day yet: nothing is checked
    assert page["day_options"] == [
        ("", "Choose a day"),
        ("2026-12-07", "Mon 07 Dec — not allowed: the day before your key session (Tuesday) (and 1 more)"),
        (
            "2026-12-08",
            "Tue 08 Dec — not allowed: another strength session is already on this day (and 1 more)",
        ),
        ("2026-12-09", "Wed 09 Dec — not allowed: the day before your key session (Thursday) (and 1 more)"),
        ("2026-12-11", "Fri 11 Dec — allowed"),
        ("2026-12-12", "Sat 12 Dec — not allowed: the day before your long run (Sunday)"),
        ("2026-12-13", "Sun 13 Dec — not allowed: you are not available on Sundays (and 1 more)"),
    ]
    for value, text in page["day_options"][1:]:  # type: ignore[index]
        verdict = context(athlete.get(f"/plan?week={MON}&from={THU}&to={value}"))["verdict"]
        assert text.endswith("allowed") is verdict.allowed  # type: ignore[union-attr]
        assert verdict.allowed or verdict.reasons[0] in text  # type: ignore[union-attr]
    summary = html(response.text).select("p.move-summary")[0]
    assert summary.text() == "1 of 6 days passes every rule: Fri 11 Dec."


def test_picking_a_session_with_htmx_lists_its_days_and_checks_nothing(athlete: TestClient) -> None:
    [picker] = html(athlete.get(f"/plan?week={MON}").text).select("select#from")
    assert picker.attrs["hx-get"] == "/plan/move"  # its own request: `from` and the week, no `to`
    assert picker.attrs["hx-include"] == "#move-form [name='week']"
    response = athlete.get(f"/plan/move?week={MON}&from={THU}", headers=HX)
    assert response.status_code == 200
    assert response.template.name == "plan/_move.html"  # type: ignore[attr-defined]
    panel = context(response)
    assert (panel["verdict"], panel["errors"]) == (None, {})
    assert [value for value, _ in panel["day_options"]][1:] == [  # type: ignore[attr-defined]
        d.isoformat() for d in (MON, TUE, WED, FRI, SAT, SUN)
    ]
    tree = html(response.text)
    assert tree.select('select#from option[value="2026-12-10"][selected]')
    assert tree.select("p.move-summary[data-announce]")  # said to a screen reader too
    nothing = athlete.get(f"/plan/move?week={MON}&from={FRI}", headers=HX)
    assert nothing.status_code == 422
    assert "no strength session is planned" in context(nothing)["errors"]["from"]  # type: ignore[index]
    assert context(nothing)["day_options"] == [("", "Choose a day")]


def test_a_plan_starting_on_a_thursday_offers_the_days_of_its_thursday_to_wednesday_week(
    new_client: Callable[[], TestClient], engine: Engine
) -> None:
    """Its weeks run Thursday to Wednesday, so the Tuesday session of the calendar week from Monday
    30 November moves within 26 November to 2 December, and Friday to Sunday are not offered."""
    client = new_client()
    user_id = sign_up(client, "thursday@example.org")
    text = (EXAMPLES / "marathoner.toml").read_text().replace("2026-12-07", TODAY.isoformat())
    init_athlete(
        SqlUnitOfWork(engine),
        profile_text=text,
        source="marathoner.toml",
        today=TODAY,
        catalogue=load_catalogue(),
        name="thursday@example.org",
        owner_id=user_id,
    )
    tuesday = date(2026, 12, 1)
    page = context(client.get(f"/plan?week={tuesday}&from={tuesday}"))
    days = [date.fromisoformat(value) for value, _ in page["day_options"][1:]]  # type: ignore[index]
    assert days == [TODAY + timedelta(days=offset) for offset in (0, 1, 2, 3, 4, 6)]  # Thu 26 … Wed 2
    for day in days:
        response = client.get(f"/plan/move?week={tuesday}&from={tuesday}&to={day}", headers=HX)
        assert response.status_code == 200, (day, context(response)["errors"])  # none is outside its week
    outside = client.get(f"/plan/move?week={tuesday}&from={tuesday}&to=2026-12-04", headers=HX)
    assert "outside the session's week" in context(outside)["errors"]["to"]  # type: ignore[index]


# --- moving ---------------------------------------------------------------------------------------


def test_moving_without_javascript_redirects_to_the_week_with_the_session_moved(
    athlete: TestClient, engine: Engine
) -> None:
    before = versions(engine)
    response = post_form(athlete, "/plan/move", {"week": MON.isoformat(), "from": THU, "to": FRI})
    assert response.status_code == 303
    assert response.headers["location"] == f"/plan?week={FRI}&moved={FRI}"
    after = versions(engine)
    assert after[:1] == before  # the old version stays as it was
    assert len(after) == 2
    page = athlete.get(response.headers["location"])
    days = context(page)["days"]
    assert [d.date for d in days if d.session] == [TUE, FRI]  # type: ignore[attr-defined]
    assert days[4].session.moved  # type: ignore[index]
    assert days[4].session.why.startswith("moved by you from Thu; Friday")  # type: ignore[index]
    notice = html(page.text).select("#plan-week .notice.good")[0]
    assert "Moved: the session is now on Fri 11 Dec" in notice.text()


def test_moving_with_htmx_swaps_in_the_new_week(athlete: TestClient, engine: Engine) -> None:
    response = post_form(athlete, "/plan/move", {"from": THU, "to": FRI}, headers=HX)
    assert response.status_code == 200
    assert response.template.name == "plan/_week.html"  # type: ignore[attr-defined]
    assert "<html" not in response.text
    tree = html(response.text)
    [notice] = tree.select("section#plan-week p.notice[data-focus]")
    assert notice.attrs["tabindex"] == "-1"
    assert tree.select("li[data-date=2026-12-11] .session")
    assert not tree.select("li[data-date=2026-12-10] .session")
    assert len(versions(engine)) == 2


def test_a_refused_move_is_422_with_the_reasons_and_stores_nothing(
    athlete: TestClient, engine: Engine
) -> None:
    response = post_form(athlete, "/plan/move", {"week": MON.isoformat(), "from": THU, "to": SAT})
    assert response.status_code == 422
    assert response.template.name == "plan/index.html"  # type: ignore[attr-defined]
    page = context(response)
    assert page["errors"] == {"to": "the day before your long run (Sunday)"}
    assert page["values"]["from"] == THU.isoformat()  # type: ignore[index]
    assert page["verdict"].reasons == ("the day before your long run (Sunday)",)  # type: ignore[attr-defined]
    assert len(versions(engine)) == 1
    htmx = post_form(athlete, "/plan/move", {"from": THU, "to": SAT}, headers=HX)
    assert htmx.status_code == 422
    assert htmx.template.name == "plan/_week.html"  # type: ignore[attr-defined]
    assert html(htmx.text).select("p#to-error.field-error")


def test_past_and_logged_sessions_cannot_move(athlete: TestClient, engine: Engine, clock: Clock) -> None:
    clock.today = THU
    with SqlUnitOfWork(engine) as uow:
        [stored] = uow.athletes.all()
    log_sets(
        SqlUnitOfWork(engine),
        day=THU,
        catalogue=load_catalogue(),
        exercise_id="deadlift",
        notation="90x5x3",
        athlete_id=stored.id,
    )
    page = athlete.get(f"/plan?week={THU}")
    days = context(page)["days"]
    assert days[3].logged  # type: ignore[index]
    assert not days[3].movable  # type: ignore[index]
    tree = html(page.text)
    assert "logged" in tree.select("li[data-date=2026-12-10] .session-title")[0].text()
    assert tree.select("#move")[0].text().endswith("sessions already logged, stay where they are.")
    for origin, words in ((THU, "already logged"), (TUE, "is past")):
        response = post_form(athlete, "/plan/move", {"from": origin, "to": FRI})
        assert response.status_code == 422
        assert words in context(response)["errors"]["from"]  # type: ignore[index]
    assert len(versions(engine)) == 1


# --- who may see it -------------------------------------------------------------------------------


def test_a_stranger_is_sent_to_sign_in_and_a_coach_is_refused(new_client: Callable[[], TestClient]) -> None:
    stranger = new_client()
    response = stranger.get("/plan", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/plan"
    coach = new_client()
    sign_up(coach, "coach@example.org", role="coach")
    assert coach.get("/plan").status_code == 403
    assert post_form(coach, "/plan/move", {"from": THU, "to": FRI}).status_code == 403
    newcomer = new_client()
    sign_up(newcomer, "new@example.org")
    response = newcomer.get("/plan", follow_redirects=False)
    assert response.headers["location"] == "/onboarding"
