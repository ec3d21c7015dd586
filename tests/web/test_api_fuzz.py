"""Schemathesis against the API's own OpenAPI document: generated requests, valid and invalid,
never get a server error (5xx), and responses match the documented shapes and content types.

Every operation runs as a signed-in athlete with a stored profile and some training logged, with
the session's CSRF token, so the generated requests reach the services instead of stopping at 401.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from ironmile.web.app import SESSION_COOKIE
from tests.web.conftest import api, csrf_of, onboard, sign_up


@pytest.fixture
def signed_in(app: FastAPI, engine) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(session cookie, CSRF token) of an athlete with the example profile and a logged session."""
    with TestClient(app, base_url="http://127.0.0.1") as client:
        user_id = sign_up(client, "fuzz@example.org")
        onboard(engine, user_id, "fuzz@example.org")
        api(client, "GET", "/api/v1/me")
        yield client.cookies[SESSION_COOKIE], csrf_of(client)


def test_no_request_gets_a_server_error(app: FastAPI, signed_in: tuple[str, str]) -> None:
    cookie, token = signed_in
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:
        if operation.method.upper() == "DELETE" and operation.path == "/api/v1/session":
            continue  # signing out would end the session every other case uses

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def exercise(case: schemathesis.Case) -> None:
            response = case.call(headers={"X-CSRF-Token": token}, cookies={SESSION_COOKIE: cookie})
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
            )

        exercise()
