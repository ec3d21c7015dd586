"""Accounts in a real browser: signing up lands a runner on onboarding, a bad form says why."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, BrowserProblems, assert_at, assert_phone_friendly, fetch_json


def sign_up(page: Page, email: str) -> None:
    """Create an athlete account through the sign-up form, as a runner does; ends on /onboarding."""
    page.goto("/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I am").select_option("athlete")
    with page.expect_navigation():
        page.get_by_role("button", name="Create account").click()
    assert_at(page, "/onboarding")


def test_signing_up_signs_in_and_leads_to_onboarding(phone: Page) -> None:
    email = f"runner-{uuid.uuid4().hex[:8]}@example.org"
    phone.goto("/signup")
    assert_phone_friendly(phone)

    sign_up(phone, email)

    assert phone.url.endswith("/onboarding")
    me = fetch_json(phone, "/api/v1/me")
    assert me == {
        "status": 200,
        "body": {"id": me["body"]["id"], "email": email, "role": "athlete", "has_profile": False},
    }


def test_a_short_password_is_refused_next_to_the_field_and_the_email_kept(
    phone: Page, problems: BrowserProblems
) -> None:
    problems.tolerate("status of 422")  # the form comes back with its errors as 422, on purpose
    phone.goto("/signup")
    phone.get_by_label("Email").fill("short@example.org")
    phone.get_by_label("Password").fill("short")
    phone.get_by_role("button", name="Create account").click()

    password = phone.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    error = phone.locator("#" + (password.get_attribute("aria-describedby") or "missing"))
    expect(error).to_contain_text("10")
    expect(phone.get_by_label("Email")).to_have_value("short@example.org")
    assert phone.url.endswith("/signup")
    assert_phone_friendly(phone)
