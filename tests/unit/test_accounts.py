"""Account rules: emails, passwords and the sign-in rate limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ironmile.domain.accounts import PASSWORD_MIN, LoginLimit, normal_email, password_problems
from ironmile.domain.errors import ProfileError


def test_emails_are_trimmed_and_lower_case() -> None:
    assert normal_email("  Alex.Runner@Example.ORG ") == "alex.runner@example.org"


@pytest.mark.parametrize(
    "raw", ["", "alex", "alex@", "@example.org", "a b@example.org", "alex@example", "a" * 250 + "@x.org"]
)
def test_malformed_emails_name_the_field(raw: str) -> None:
    with pytest.raises(ProfileError) as caught:
        normal_email(raw)
    assert [p.field for p in caught.value.problems] == ["email"]


def test_password_rules() -> None:
    assert password_problems("x" * PASSWORD_MIN, email="a@example.org") == []
    assert password_problems("short", email="a@example.org")[0].field == "password"
    assert (
        password_problems("a@example.org", email="a@example.org")[0].message
        == "must not be your email address"
    )
    assert password_problems("x" * 2000, email="a@example.org")[0].message == "use at most 1024 characters"


LIMIT = LoginLimit(attempts=5, window_s=900)


def test_five_failures_for_one_email_block_the_sixth_until_the_oldest_expires() -> None:
    failures = [1000.0, 1010.0, 1020.0, 1030.0, 1040.0]
    assert LIMIT.retry_after_s(email_failures=failures[:4], address_failures=[], now_s=1050) is None
    assert LIMIT.retry_after_s(email_failures=failures, address_failures=[], now_s=1050) == 850
    assert LIMIT.retry_after_s(email_failures=failures, address_failures=[], now_s=1900.5) is None


def test_an_address_may_fail_four_times_as_often_before_it_is_blocked() -> None:
    """Many accounts behind one office address are not locked out by a few typos each."""
    times = [1000.0 + i for i in range(19)]
    assert LIMIT.retry_after_s(email_failures=[], address_failures=times, now_s=1100) is None
    assert LIMIT.retry_after_s(email_failures=[], address_failures=[*times, 1019.0], now_s=1100) == 800


# Whole seconds (as a clock gives them, and exact in floating point, so the boundaries are exact).
@given(
    st.lists(st.integers(min_value=0, max_value=5000), max_size=40), st.integers(min_value=0, max_value=5000)
)
def test_the_limit_allows_a_try_exactly_when_fewer_than_five_failures_are_in_the_window(
    earlier: list[int], now: int
) -> None:
    failures = [float(min(t, now)) for t in earlier]  # failures are in the past
    in_window = [t for t in failures if now - 900 < t <= now]
    wait = LIMIT.retry_after_s(email_failures=failures, address_failures=[], now_s=now)
    assert (wait is None) == (len(in_window) < 5)
    if wait is not None:
        # after waiting, at most four of the failures are still inside the window
        later = now + wait
        assert sum(1 for t in failures if later - 900 < t <= later) < 5
        # and not a second earlier: the wait is as short as it can be (whole seconds, rounded up)
        assert sum(1 for t in failures if later - 1 - 900 < t <= later - 1) >= 5 or wait == 1
