"""Accounts through the pages and the API: sign up, sign in, sessions, CSRF, the rate limits."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine, text

from ironmile.domain.accounts import EMAIL_MAX, PASSWORD_MAX
from ironmile.web.app import SESSION_COOKIE
from ironmile.web.settings import WebSettings
from tests.web.conftest import PASSWORD, Clock, api, csrf_of, post_form, sign_up


def test_sign_up_signs_in_and_sends_an_athlete_to_onboarding(client: TestClient) -> None:
    response = post_form(
        client, "/signup", {"email": " Alex@Example.org ", "password": PASSWORD, "role": "athlete"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/onboarding"
    assert client.get("/api/v1/me").json() == {
        "id": 1,
        "email": "alex@example.org",
        "role": "athlete",
        "has_profile": False,
    }


def test_the_session_cookie_is_httponly_and_samesite_and_not_secure_on_localhost(client: TestClient) -> None:
    response = post_form(
        client, "/signup", {"email": "a@example.org", "password": PASSWORD, "role": "athlete"}
    )
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and SESSION_COOKIE in v)
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()


def test_bad_sign_up_names_each_field_and_keeps_the_email(client: TestClient) -> None:
    response = post_form(client, "/signup", {"email": "not-an-email", "password": "short", "role": "athlete"})
    assert response.status_code == 422
    assert response.template.name == "auth/signup.html"  # type: ignore[attr-defined]
    errors = response.context["errors"]  # type: ignore[attr-defined]
    assert set(errors) == {"email", "password"}
    assert "at least 10 characters" in errors["password"]
    assert 'value="not-an-email"' in response.text
    assert "short" not in response.context["values"].values()  # type: ignore[attr-defined]


def test_an_email_can_hold_one_account(client: TestClient, new_client: Callable[[], TestClient]) -> None:
    sign_up(client, "alex@example.org")
    other = new_client()
    response = post_form(
        other, "/signup", {"email": "ALEX@example.org", "password": PASSWORD, "role": "athlete"}
    )
    assert response.status_code == 422
    assert "exists" in response.context["errors"]["email"]  # type: ignore[attr-defined]


def test_sign_in_and_out(client: TestClient, new_client: Callable[[], TestClient]) -> None:
    sign_up(client, "alex@example.org")
    browser = new_client()
    wrong = post_form(browser, "/login", {"email": "alex@example.org", "password": "wrong password!"})
    assert wrong.status_code == 422
    assert browser.get("/api/v1/me").status_code == 401
    right = post_form(browser, "/login", {"email": "alex@example.org", "password": PASSWORD, "next": "/plan"})
    assert right.status_code == 303
    assert right.headers["location"] == "/plan"
    assert browser.get("/api/v1/me").status_code == 200
    assert post_form(browser, "/logout", {}).status_code == 303
    assert browser.get("/api/v1/me").status_code == 401


def test_next_never_leaves_the_site(client: TestClient, new_client: Callable[[], TestClient]) -> None:
    sign_up(client, "alex@example.org")
    browser = new_client()
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = post_form(
            browser, "/login", {"email": "alex@example.org", "password": PASSWORD, "next": target}
        )
        assert response.headers["location"] == "/onboarding", target


def test_unknown_email_and_wrong_password_get_the_same_answer(client: TestClient) -> None:
    sign_up(client, "alex@example.org")
    unknown = post_form(client, "/login", {"email": "nobody@example.org", "password": PASSWORD})
    wrong = post_form(client, "/login", {"email": "alex@example.org", "password": "not the password"})
    assert unknown.status_code == wrong.status_code == 422
    assert unknown.context["errors"] == wrong.context["errors"]  # type: ignore[attr-defined]


def test_sign_in_is_rate_limited_per_email_and_address_until_the_window_passes(
    client: TestClient, new_client: Callable[[], TestClient], clock: Clock
) -> None:
    sign_up(client, "alex@example.org")
    browser = new_client()
    for _ in range(5):
        assert (
            post_form(browser, "/login", {"email": "alex@example.org", "password": "guess guess"}).status_code
            == 422
        )
    blocked = post_form(browser, "/login", {"email": "alex@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["retry-after"]) <= 15 * 60
    clock.now_utc_s += 15 * 60 + 1
    assert (
        post_form(browser, "/login", {"email": "alex@example.org", "password": PASSWORD}).status_code == 303
    )


def test_api_sign_in_is_rate_limited_too(client: TestClient) -> None:
    sign_up(client, "alex@example.org")
    for _ in range(5):
        api(client, "POST", "/api/v1/session", json={"email": "alex@example.org", "password": "guess guess"})
    response = api(
        client, "POST", "/api/v1/session", json={"email": "alex@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "too many failed sign-ins" in response.json()["detail"]


def test_a_form_without_the_csrf_token_is_refused(client: TestClient) -> None:
    csrf_of(client)  # the session exists and has a token; the form below does not send it
    response = client.post(
        "/signup", data={"email": "a@example.org", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    wrong = client.post(
        "/signup",
        data={"email": "a@example.org", "password": PASSWORD, "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert wrong.status_code == 403
    assert client.get("/api/v1/me").status_code == 401  # nothing was created


def test_log_out_everywhere_ends_sessions_in_other_browsers(
    client: TestClient, new_client: Callable[[], TestClient]
) -> None:
    sign_up(client, "alex@example.org")
    phone = new_client()
    post_form(phone, "/login", {"email": "alex@example.org", "password": PASSWORD})
    assert phone.get("/api/v1/me").status_code == 200
    assert post_form(client, "/logout-everywhere", {}).status_code == 303
    assert phone.get("/api/v1/me").status_code == 401


def test_a_tampered_cookie_counts_as_signed_out(client: TestClient) -> None:
    sign_up(client, "alex@example.org")
    value = client.cookies[SESSION_COOKIE]
    payload, signature = value.rsplit(".", 1)
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, f"{payload}.{signature[::-1]}")
    assert client.get("/api/v1/me").status_code == 401
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, value)
    assert client.get("/api/v1/me").status_code == 200


def test_pages_redirect_a_stranger_to_sign_in(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.headers["location"] == "/login"
    page = client.get("/login")
    assert page.template.name == "auth/login.html"  # type: ignore[attr-defined]
    assert "Sign in" in page.text


def test_healthz_answers_when_the_database_does(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_security_headers_are_on_every_response(client: TestClient) -> None:
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_the_forms_carry_the_sessions_csrf_token_so_a_browser_can_submit_them(
    client: TestClient, new_client: Callable[[], TestClient]
) -> None:
    """The token as the page writes it into the form, not as the API reports it."""
    sign_up(client, "alex@example.org")
    browser = new_client()
    page = browser.get("/login").text
    match = re.search(r'name="csrf_token" value="([^"]*)"', page)
    assert match is not None
    assert match.group(1) == csrf_of(browser)
    response = browser.post(
        "/login",
        data={"csrf_token": match.group(1), "email": "alex@example.org", "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_the_placeholder_secret_is_refused_beyond_localhost_and_in_production() -> None:
    """Anyone who read the source could sign a session cookie with the placeholder."""
    WebSettings(_env_file=None)  # type: ignore[call-arg]  # development on localhost: allowed
    for settings in ({"secure_cookies": True}, {"environment": "production"}):
        with pytest.raises(ValidationError, match="IRONMILE_SECRET_KEY must be set"):
            WebSettings(_env_file=None, **settings)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="IRONMILE_SECRET_KEY"):
        WebSettings(_env_file=None, environment="production", secret_key="x" * 40)  # type: ignore[arg-type]
    good = secrets.token_urlsafe(32)
    assert WebSettings(_env_file=None, environment="production", secret_key=good).secure_cookies is None  # type: ignore[arg-type]


def test_head_probes_of_the_health_check_are_answered(client: TestClient) -> None:
    assert client.head("/healthz").status_code == 200


def test_a_missing_static_file_is_not_cached_for_a_year(client: TestClient) -> None:
    assert "immutable" in client.get("/static/css/app.css").headers["cache-control"]
    assert "immutable" not in client.get("/static/css/missing.css").headers["cache-control"]


def test_a_stranger_blocked_for_an_email_does_not_lock_its_owner_out(
    app: FastAPI, client: TestClient, new_client: Callable[[], TestClient]
) -> None:
    sign_up(client, "alex@example.org")
    stranger = new_client()
    for _ in range(5):
        post_form(stranger, "/login", {"email": "alex@example.org", "password": "guess guess"})
    assert (
        post_form(stranger, "/login", {"email": "alex@example.org", "password": PASSWORD}).status_code == 429
    )
    with TestClient(app, base_url="http://127.0.0.1", client=("203.0.113.9", 50000)) as owner:
        right = post_form(owner, "/login", {"email": "alex@example.org", "password": PASSWORD})
        assert right.status_code == 303


@pytest.mark.parametrize("form", ["/login", "/signup"])
@pytest.mark.parametrize(
    ("field", "most"), [("email", EMAIL_MAX), ("password", PASSWORD_MAX)], ids=["email", "password"]
)
def test_an_over_long_email_or_password_is_refused_before_anything_else(
    client: TestClient, engine: Engine, form: str, field: str, most: int
) -> None:
    """The form parser takes up to 1 MB a field: the caps are the API schema's, and nothing of the
    request is stored (an email is kept with every failed sign-in) or hashed."""
    fields = {"email": "alex@example.org", "password": PASSWORD, "role": "athlete"}
    response = post_form(client, form, {**fields, field: "a" * (1000 * 1000 - 6) + "@x.org"})
    assert response.status_code == 422
    assert response.template.name == f"auth{form}.html"  # type: ignore[attr-defined]
    assert response.context["errors"] == {field: f"use at most {most} characters"}  # type: ignore[attr-defined]
    assert field not in response.context["values"]  # type: ignore[attr-defined]
    assert len(response.text) < 100_000  # the megabyte is not sent back
    with engine.connect() as connection:
        for table in ("login_failures", "sign_up_attempts", "users"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table


def test_an_address_may_sign_up_ten_times_an_hour(
    app: FastAPI, new_client: Callable[[], TestClient], clock: Clock
) -> None:
    for i in range(10):
        sign_up(new_client(), f"runner{i}@example.org")
    refused = post_form(new_client(), "/signup", {"email": "late@example.org", "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.template.name == "auth/signup.html"  # type: ignore[attr-defined]
    assert refused.headers["retry-after"] == "3600"
    assert "too many new accounts" in refused.context["errors"]["email"]  # type: ignore[attr-defined]
    assert refused.context["values"]["email"] == "late@example.org"  # type: ignore[attr-defined]
    response = api(
        new_client(), "POST", "/api/v1/accounts", json={"email": "late@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert response.json()["detail"] == "too many new accounts from this address; try again in 3600 s"
    with TestClient(app, base_url="http://127.0.0.1", client=("203.0.113.9", 50000)) as elsewhere:
        sign_up(elsewhere, "elsewhere@example.org")
    clock.now_utc_s += 60 * 60
    sign_up(new_client(), "late@example.org")


def test_the_sign_up_limit_is_documented_in_the_openapi_document(client: TestClient) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/accounts"]["post"]
    assert "429" in operation["responses"]
