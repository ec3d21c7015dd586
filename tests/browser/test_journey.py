"""The whole journey once, on a phone, as a runner does it: sign up, answer the onboarding wizard,
read the plan, log a session on the Today page, see it on the progress page and take the plan
home as a PDF. Screenshots for the docs are taken on the way (docs/images/web/)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    PASSWORD,
    assert_at,
    assert_phone_friendly,
    fetch_json,
    screenshot,
    season_start,
)


@dataclass(frozen=True)
class Season:
    """The runner's dates, relative to the real clock the server runs on: the plan started on the
    Monday of last week, so a session lies on or before today and can be logged (the app refuses
    sets on future days)."""

    today: date
    start: date  # a Monday
    half: date  # the B race, a Sunday
    marathon: date  # the A race, a Sunday

    @classmethod
    def around(cls, today: date) -> Season:
        start = season_start(today)
        return cls(today, start, start + timedelta(weeks=9, days=6), start + timedelta(weeks=16, days=6))


def press(page: Page, button: str, heading: str) -> None:
    """Submit with the named button and land on the page whose first heading is `heading`."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    shown = page.get_by_role("heading", level=1).first.inner_text()
    alerts = page.get_by_role("alert").all_inner_texts()
    assert shown == heading, f"after {button!r} the page says {shown!r}; alerts: {alerts}"


def tick(page: Page, group: str, *choices: str) -> None:
    boxes = page.get_by_role("group", name=group)
    for choice in choices:
        boxes.get_by_label(choice, exact=True).check()


def sign_up_with_the_form(page: Page) -> str:
    email = "alex@example.org"  # the journey runs once per server (and database); fixed for the screenshot
    page.goto("/signup")
    assert_phone_friendly(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I am").select_option("athlete")
    screenshot(page, "signup.png")
    with page.expect_navigation():
        page.get_by_role("button", name="Create account").click()
    assert_at(page, "/onboarding")
    return email


def sign_in_on_a_computer(page: Page, email: str) -> None:
    """The same runner at a desk: the sign-in form sends them on to the page they asked for."""
    page.goto("/login?next=/plan")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert_at(page, "/plan")


def answer_the_wizard(page: Page, season: Season) -> None:
    """Every step of /onboarding, each checked at phone width, then "Build my plan"."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Your running week")
    page.get_by_label("Units").select_option("metric")
    tick(page, "The days you run", "Tuesday", "Wednesday", "Thursday", "Saturday", "Sunday")
    tick(page, "Your hard sessions (intervals, tempo, hills)", "Tuesday", "Thursday")
    page.get_by_label("Your long run").select_option("sun")
    page.get_by_label("Usual weekly distance (km)").fill("60")
    page.get_by_label("Your time zone (optional)").fill("Europe/Berlin")
    assert_phone_friendly(page)
    screenshot(page, "onboarding.png")
    press(page, "Next", "Your races")

    page.get_by_label("Name (optional)").fill("Spring Marathon")
    page.get_by_label("Date").fill(season.marathon.isoformat())
    page.get_by_label("Distance (km)").fill("42.2")
    page.get_by_label("Priority").select_option("A")
    press(page, "Add another race", "Your races")
    another = page.get_by_role("group", name="Another race (optional)")
    another.get_by_label("Name (optional)").fill("City Half")
    another.get_by_label("Date").fill(season.half.isoformat())
    another.get_by_label("Distance (km)").fill("21.1")
    another.get_by_label("Priority").select_option("B")
    assert_phone_friendly(page)
    press(page, "Next", "Strength training")

    page.get_by_label("Lifting experience").select_option("intermediate")
    tick(page, "Equipment you can use", "Barbell", "Squat rack", "Bench", "Dumbbell", "Kettlebell")
    tick(page, "Days you could lift", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
    page.get_by_label("Minutes per session").fill("50")
    page.get_by_label("Start date (optional)").fill(season.start.isoformat())
    assert_phone_friendly(page)
    press(page, "Next", "About you")

    page.get_by_label("Body mass (kg)").fill("68")
    page.get_by_label("Goal").select_option("strength")
    page.get_by_label("Sex (optional)").select_option("female")
    assert_phone_friendly(page)
    press(page, "Next", "Your knees")

    page.get_by_label("Knee pain these days, 0 to 10").select_option("2")
    assert (
        page.get_by_role("group", name="Any of these? (tick all that apply)").get_by_role("checkbox").count()
        == 6
    )
    assert_phone_friendly(page)
    press(page, "Next", "The quad-dominance screen")

    page.get_by_label("Single-leg bridge, left leg (reps)").fill("22")
    page.get_by_label("Single-leg bridge, right leg (reps)").fill("17")
    page.get_by_label("Running uphill or squatting, where do you feel it most?").select_option("quads")
    assert_phone_friendly(page)
    press(page, "Next", "Check and build your plan")

    preview = page.get_by_role("region", name="Your plan", exact=True)
    expect(preview).to_contain_text(f"from {season.start:%a %d %b %Y}")
    expect(preview).to_contain_text("quad-dominance screen flagged", ignore_case=True)
    expect(page.locator("pre.profile-toml")).to_contain_text('name = "Spring Marathon"')
    assert_phone_friendly(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Build my plan").click()
    assert_at(page, "/plan")


def read_the_plan(page: Page, season: Season) -> None:
    """The season chart is drawn (an SVG with marks) and this week's sessions each say why."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Your plan")
    chart = page.locator("#season-chart svg")
    expect(chart).to_be_visible()
    assert chart.locator("path, rect").count() > 3, "the season chart has no marks"
    phases = page.locator("ol.phases")
    expect(phases).to_contain_text("week 1")
    expect(page.get_by_role("region", name="The season", exact=True)).to_contain_text("Spring Marathon")
    week = page.locator("#plan-week")
    expect(week.get_by_role("heading", level=2)).to_have_text(
        f"Week of {season.today - timedelta(days=season.today.weekday()):%a %d %b %Y}"
    )
    sessions = week.locator(".session")
    assert sessions.count() >= 1, "this week of the plan shows no strength session"
    for reason in sessions.locator(".why").all_inner_texts():
        assert reason.startswith("Why this day: "), reason
        assert len(reason.removeprefix("Why this day: ")) > 10, reason
    assert_phone_friendly(page)
    screenshot(page, "plan.png", top_of=week)


def sessions_to_log(page: Page, season: Season) -> tuple[dict[str, Any], dict[str, Any]]:
    """The last two planned sessions on or before today, the later one with a main lift, from the
    plan's JSON (deload weeks left out: the progress page leaves their light loads out of e1RM)."""
    plan = fetch_json(page, "/api/v1/plan")
    assert plan["status"] == 200, plan
    sessions = [
        session
        for week in plan["body"]["weeks"]
        if not week["deload"]
        for session in week["sessions"]
        if date.fromisoformat(session["date"]) <= season.today
    ]
    assert len(sessions) >= 2, f"fewer than two sessions between {season.start} and {season.today}"
    earlier, latest = sessions[-2:]
    assert any(item["role"] == "main" and item["reps"] for item in latest["exercises"]), latest
    return earlier, latest


def log_a_whole_session(page: Page, session: dict[str, Any]) -> None:
    """One button, then "Yes" on the confirmation, logs every planned set of a day; each card then
    shows its sets as done."""
    page.goto(f"/today?date={session['date']}")
    with page.expect_navigation():
        page.get_by_role("button", name="Log the whole session as planned").click()
    expect(page.get_by_role("heading", name="Log the whole session as planned?")).to_be_focused()
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, log").click()
    for card in page.locator("article.exercise").all():
        expect(card.get_by_role("button", name="Done as planned")).to_have_count(0)
        expect(card.locator(".set-row").first).to_contain_text("Set 1:")
    logged = fetch_json(page, f"/api/v1/today?date={session['date']}")["body"]["exercises"]
    assert all(len(target["logged"]) == target["sets"] for target in logged), logged


def check_in(page: Page) -> None:
    """Pain during the session and a morning weigh-in, from the Today page's check-in form."""
    form = page.get_by_role("region", name="Pain check-in")
    form.get_by_label("Pain during (0–10)").fill("2")
    form.get_by_label("Body mass (kg)").fill("68.4")
    form.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("region", name="Pain check-in").get_by_role("status")).to_have_text(
        "Check-in saved."
    )
    assert_phone_friendly(page)


def clock_seconds(text: str) -> int:
    minutes, seconds = text.strip().split(":")
    return int(minutes) * 60 + int(seconds)


def log_the_session(page: Page, session: dict[str, Any]) -> str:
    """On /today: the first set of the session's main lift with one tap ("Done as planned"), the
    rest timer counting down, the second set adjusted (load, reps, RIR); both reach the server.
    Returns the lift's name."""
    day = session["date"]
    page.goto(f"/today?date={day}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{date.fromisoformat(day):%A}")
    planned = fetch_json(page, f"/api/v1/today?date={day}")["body"]
    lifts = [t for t in planned["exercises"] if t["role"] == "main" and t["load"] and t["reps"]]
    assert lifts, f"no main lift with a load on {day}: {planned['exercises']}"
    lift = lifts[0]
    card = page.get_by_role("article", name=lift["name"], exact=True)
    expect(card).to_contain_text(lift["why"])
    assert_phone_friendly(page)

    first = card.locator(".set-row").nth(0)
    first.get_by_role("button", name="Done as planned").click()
    expect(first.locator(".set-status")).to_have_text("saved")
    expect(first).to_contain_text(f"Set 1: {lift['load']:g} kg × {lift['reps']}")
    timer = page.get_by_role("timer")
    expect(timer).to_be_visible()
    started = clock_seconds(timer.inner_text())
    assert 0 < started <= lift["rest_seconds"], (started, lift["rest_seconds"])
    expect(timer).not_to_have_text(timer.inner_text(), timeout=3000)
    assert clock_seconds(timer.inner_text()) < started, "the rest timer does not count down"
    expect(page.get_by_role("region", name="Rest timer")).to_contain_text(lift["name"])
    screenshot(page, "today.png", top_of=card)

    heavier, fewer = lift["load"] + 2.5, lift["reps"] - 1
    second = card.locator(".set-row").nth(1)
    second.get_by_text("Adjust this set").click()
    second.get_by_label("Load (kg)").fill(f"{heavier:g}")
    second.get_by_label("Reps").fill(str(fewer))
    second.get_by_label("RIR").fill("1")
    second.get_by_role("button", name="Log this set").click()
    expect(second.locator(".set-status")).to_have_text("saved")
    expect(second).to_contain_text(f"Set 2: {heavier:g} kg × {fewer} · RIR 1")

    logged = fetch_json(page, f"/api/v1/today?date={day}")["body"]
    sets = next(t for t in logged["exercises"] if t["id"] == lift["id"])["logged"]
    assert [(s["load"], s["reps"], s["rir"]) for s in sets] == [
        (lift["load"], lift["reps"], lift["rir"]),
        (heavier, fewer, 1),
    ]
    return str(lift["name"])


def see_progress(page: Page, lift: str) -> None:
    """The logged lift is a point in the e1RM chart, a sentence and a row of the numbers table."""
    page.goto("/progress")
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress")
    chart = page.locator("#chart-e1rm svg")
    expect(chart).to_be_visible()
    assert lift in chart.inner_html(), f"the e1RM chart does not name {lift}"
    strength = page.get_by_role("region", name="Strength", exact=True)
    expect(strength.locator("ul.sentences")).to_contain_text(f"{lift} e1RM")
    screenshot(page, "progress.png", top_of=strength)
    expect(page.locator("#chart-relative-strength svg")).to_be_visible()  # the weigh-in counts
    expect(page.get_by_role("region", name="Body mass", exact=True)).to_contain_text("68.4 kg")
    strength.get_by_text("Estimated 1RM per session: the numbers").click()
    expect(strength.get_by_role("table").get_by_role("row").filter(has_text=lift).first).to_be_visible()
    assert_phone_friendly(page)


def take_the_plan_home(page: Page) -> None:
    page.goto("/export")
    expect(page.get_by_role("heading", level=1)).to_have_text("Export")
    assert_phone_friendly(page)
    screenshot(page, "export.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="Plan PDF, A4").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf"), pdf.suggested_filename
    path = pdf.path()
    assert path.read_bytes()[:5] == b"%PDF-", f"{pdf.suggested_filename} is not a PDF"
    assert path.stat().st_size > 10_000


def test_a_runner_signs_up_plans_logs_and_exports_on_a_phone(phone: Page, desktop: Page) -> None:
    season = Season.around(date.today())
    email = sign_up_with_the_form(phone)
    answer_the_wizard(phone, season)
    read_the_plan(phone, season)

    sign_in_on_a_computer(desktop, email)
    expect(desktop.locator("#season-chart svg")).to_be_visible()
    screenshot(desktop, "plan-desktop.png")

    earlier, latest = sessions_to_log(phone, season)
    log_a_whole_session(phone, earlier)
    lift = log_the_session(phone, latest)
    check_in(phone)
    see_progress(phone, lift)
    take_the_plan_home(phone)
