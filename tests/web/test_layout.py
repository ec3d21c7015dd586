"""The shared layout (templates/base.html, static/css/app.css): the skip link, one main navigation
with the current page marked, a sign-out control in the header, no inline code for the CSP to
refuse, and the stylesheet's focus ring and tap size checked against WCAG 2.2 numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import post_form, sign_up
from tests.web.html import Element, html

STATIC = Path(__file__).resolve().parents[2] / "src" / "ironmile" / "web" / "static"
ATHLETE_LINKS = [
    ("/today", "Today"),
    ("/plan", "Plan"),
    ("/progress", "Progress"),
    ("/import", "Import"),
    ("/export", "Export"),
    ("/settings", "Settings"),
]
COACH_LINKS = [("/squads", "Squads"), ("/settings", "Settings")]
NON_TEXT_CONTRAST = 3.0  # WCAG 2.2 SC 1.4.11: a focus indicator needs 3:1 against what surrounds it
TAP_PX = 48  # the project's tap target (web.md), above WCAG 2.2 SC 2.5.8's 24 px minimum


def page(client: TestClient, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200, response.text[:400]
    return html(response.text)


def nav_links(document: Element) -> list[Element]:
    return document.one("nav[aria-label=Main]").select("a")


# --- colours: WCAG 2.2 relative luminance and contrast ratio ---
# (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio)


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_gives_wcag_s_own_extremes() -> None:
    # WCAG 2.2 "contrast ratio": from 1:1 (a colour against itself) to 21:1 (black on white)
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#1d3557", "#1d3557") == pytest.approx(1.0)


def stylesheet(name: str) -> str:
    return (STATIC / "css" / name).read_text()


def custom_properties(css: str) -> dict[str, str]:
    """The `--name: value` declarations of the stylesheet's :root rule."""
    root = re.search(r":root\s*\{(.*?)\}", css, re.S)
    assert root is not None
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", root.group(1)))


def rule(css: str, selector: str) -> str:
    """The declarations of the rule whose selector list is exactly `selector`."""
    found = re.search(r"(?:^|\})\s*" + re.escape(selector) + r"\s*\{([^}]*)\}", css, re.M)
    assert found is not None, f"no rule for {selector}"
    return found.group(1)


# --- the markup ---


@pytest.mark.parametrize(("url", "current"), ATHLETE_LINKS)
def test_each_athlete_page_marks_its_own_link(athlete: TestClient, url: str, current: str) -> None:
    links = nav_links(page(athlete, url))
    assert [(a.attrs["href"], a.text()) for a in links] == ATHLETE_LINKS
    assert [a.text() for a in links if a.attrs.get("aria-current") == "page"] == [current]


def test_a_coach_sees_squads_and_settings_with_the_current_one_marked(client: TestClient) -> None:
    sign_up(client, "coach@example.org", "coach")
    created = post_form(client, "/squads", {"name": "Tuesday club"})
    assert created.status_code == 303
    squad_url = created.headers["location"]
    for url, current in [("/squads", "Squads"), (squad_url, "Squads"), ("/settings", "Settings")]:
        links = nav_links(page(client, url))
        assert [(a.attrs["href"], a.text()) for a in links] == COACH_LINKS
        assert [a.text() for a in links if a.attrs.get("aria-current") == "page"] == [current], url


def test_a_page_outside_the_navigation_marks_no_link(client: TestClient) -> None:
    sign_up(client, "new@example.org")  # not onboarded yet: the wizard is not one of the links
    links = nav_links(page(client, "/onboarding"))
    assert links
    assert not [a for a in links if "aria-current" in a.attrs]


def test_the_header_holds_the_home_link_the_navigation_and_sign_out(athlete: TestClient) -> None:
    document = page(athlete, "/today")
    header = document.one("header[class=top]")
    assert header.one("a[class=brand]").attrs["href"] == "/"
    row = header.one("div[class=top-links]")  # the row that scrolls sideways on a phone
    assert len(row.select("nav")) == 1
    assert len(document.select("nav[aria-label=Main]")) == 1  # a page's own navs have other names
    sign_out = row.one("form[action=/logout]")
    assert sign_out.attrs["method"] == "post"
    assert sign_out.one("input[name=csrf_token]").attrs["value"]
    assert sign_out.one("button[type=submit]").text() == "Sign out"


def test_the_skip_link_comes_first_and_lands_on_main(athlete: TestClient) -> None:
    document = page(athlete, "/plan")
    body = document.one("body")
    focusable = [e for e in body.descendants() if e.tag in {"a", "button", "input", "select"}]
    assert focusable[0].attrs == {"class": "skip", "href": "#main"}
    assert focusable[0].text() == "Skip to content"
    main = body.one("main")
    assert main.attrs["id"] == "main"
    assert main.attrs["tabindex"] == "-1"  # focusable, so following the skip link moves focus there
    assert not document.one("header").select("h1")  # each page's own h1 is the first heading in main
    assert main.select("h1")


def test_signed_out_pages_show_no_navigation(client: TestClient) -> None:
    document = page(client, "/login")
    assert not document.select("nav")
    assert not document.select("form[action=/logout]")
    assert document.one("a[class=skip]").attrs["href"] == "#main"


def test_the_layout_carries_no_inline_code_for_the_csp_to_refuse(athlete: TestClient) -> None:
    # script-src 'self': a script may only load from a file or carry JSON data
    for url in ("/today", "/settings"):
        elements = page(athlete, url).descendants()
        for script in (e for e in elements if e.tag == "script"):
            assert "src" in script.attrs or script.attrs.get("type") == "application/json", script.attrs
        assert not [e.attrs for e in elements if any(name.startswith("on") for name in e.attrs)]
        assert not [e.attrs for e in elements if "style" in e.attrs]


# --- the stylesheet ---


def test_the_focus_ring_stands_out_on_every_light_background() -> None:
    css = stylesheet("app.css")
    colours = custom_properties(css)
    assert "var(--focus)" in rule(css, ":focus-visible")
    ring = colours["--focus"]
    notices = [
        background
        for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
        if ".notice" in selector
        for background in re.findall(r"background: (#[0-9a-f]{6})", body)
    ]
    light = {"card": colours["--paper"], "page": colours["--wash"]} | {f"notice {c}": c for c in notices}
    assert len(light) == 6  # the card, the page and four notices (info, good, warn, bad)
    ratios = {name: round(contrast(ring, bg), 2) for name, bg in light.items()}
    assert {name: ratio for name, ratio in ratios.items() if ratio < NON_TEXT_CONTRAST} == {}


def test_the_dark_header_and_rest_timer_keep_the_light_ring() -> None:
    css = stylesheet("app.css")
    colours = custom_properties(css)
    assert "--focus: var(--focus-on-dark)" in rule(css, ".top, .rest-timer")
    light_ring = colours["--focus-on-dark"]
    # the header and the timer are --brand; the timer turns --good when the rest is over (today.css)
    assert contrast(light_ring, colours["--brand"]) >= NON_TEXT_CONTRAST
    assert contrast(light_ring, colours["--good"]) >= NON_TEXT_CONTRAST
    # the dark ring would vanish there: that is why the header overrides it
    assert contrast(colours["--focus"], colours["--brand"]) < NON_TEXT_CONTRAST


def test_header_controls_are_full_tap_targets() -> None:
    css = stylesheet("app.css")
    assert custom_properties(css)["--tap"] == f"{TAP_PX}px"
    assert "min-height: var(--tap)" in rule(css, ".top a, .top button")  # brand, nav links, sign out
    assert "min-height: var(--tap)" in rule(css, ".top .logout .link")  # beats button.link's min-height: 0
    assert "min-height: var(--tap)" in rule(css, ".skip:focus")
    squads = stylesheet("squads.css")
    assert "min-height: var(--tap)" in rule(squads, '.overview th[scope="row"] a')
    assert "min-height: var(--tap)" in rule(squads, ".crumbs a")


def test_the_navigation_row_scrolls_by_itself_instead_of_wrapping() -> None:
    css = stylesheet("app.css")
    header = rule(css, ".top")
    assert "flex-wrap: wrap" not in header
    row = rule(css, ".top-links")
    assert "overflow-x: auto" in row
    assert "min-width: 0" in row  # shrinks below its content's width and scrolls inside
    assert "white-space: nowrap" in rule(css, ".top a, .top button")
