"""Account rules: emails, passwords and the sign-in and sign-up rate limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ironmile.domain.accounts import (
    PASSWORD_MIN,
    LoginFailure,
    LoginLimit,
    SignUpLimit,
    normal_email,
    password_problems,
)
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
OWNER, OTHER = "alex@example.org", "sam@example.org"
HOME, ELSEWHERE = "198.51.100.7", "203.0.113.9"


def failed(email: str, address: str, *times: float) -> list[LoginFailure]:
    return [LoginFailure(email, address, t) for t in times]


def wait(failures: list[LoginFailure], *, email: str = OWNER, address: str = HOME, now: float) -> int | None:
    return LIMIT.retry_after_s(failures=failures, email=email, address=address, now_s=now)


def test_five_failures_for_one_email_from_one_address_block_the_sixth_until_the_oldest_expires() -> None:
    failures = failed(OWNER, HOME, 1000.0, 1010.0, 1020.0, 1030.0, 1040.0)
    assert wait(failures[:4], now=1050) is None
    assert wait(failures, now=1050) == 850
    assert wait(failures, now=1900.5) is None


def test_a_stranger_failing_for_an_email_does_not_lock_its_owner_out_elsewhere() -> None:
    """Six wrong guesses for the owner's email from one address block that address only."""
    failures = failed(OWNER, ELSEWHERE, *(1000.0 + i for i in range(6)))
    assert wait(failures, address=ELSEWHERE, now=1100) == 801  # when the second one (1001) expires
    assert wait(failures, address=HOME, now=1100) is None


def test_one_email_may_fail_four_times_as_often_across_addresses() -> None:
    """Guessing one password from many addresses stops at 20 failures in the window."""
    failures = [f for i in range(19) for f in failed(OWNER, f"10.0.0.{i}", 1000.0 + i)]
    assert wait(failures, now=1100) is None
    assert wait([*failures, *failed(OWNER, "10.0.1.1", 1019.0)], now=1100) == 800
    assert wait([*failures, *failed(OWNER, "10.0.1.1", 1019.0)], email=OTHER, now=1100) is None


def test_an_address_may_fail_four_times_as_often_across_emails() -> None:
    """Many accounts behind one office address are not locked out by a few typos each."""
    failures = [f for i in range(19) for f in failed(f"runner{i}@example.org", HOME, 1000.0 + i)]
    assert wait(failures, now=1100) is None
    assert wait([*failures, *failed(OTHER, HOME, 1019.0)], now=1100) == 800
    assert wait([*failures, *failed(OTHER, HOME, 1019.0)], address=ELSEWHERE, now=1100) is None


def test_a_limit_needs_at_least_one_attempt() -> None:
    with pytest.raises(ValueError, match="at least one attempt"):
        LoginLimit(attempts=0)
    with pytest.raises(ValueError, match="at least one attempt"):
        SignUpLimit(window_s=0)


# Whole seconds (as a clock gives them, and exact in floating point, so the boundaries are exact);
# two emails and two addresses, so every failure counts towards some limits and not others.
failures_strategy = st.lists(
    st.builds(
        LoginFailure,
        st.sampled_from([OWNER, OTHER]),
        st.sampled_from([HOME, ELSEWHERE]),
        st.integers(min_value=0, max_value=5000).map(float),
    ),
    max_size=60,
)


def over_a_limit(failures: list[LoginFailure], now: float) -> bool:
    """The rule, counted the plain way: 5 per (email, address), 20 per email, 20 per address."""
    recent = [f for f in failures if now - 900 < f.at_utc_s <= now]
    pair = sum(1 for f in recent if f.email == OWNER and f.address == HOME)
    by_email = sum(1 for f in recent if f.email == OWNER)
    by_address = sum(1 for f in recent if f.address == HOME)
    return pair >= 5 or by_email >= 20 or by_address >= 20


@given(failures_strategy, st.integers(min_value=0, max_value=5000))
def test_the_limit_allows_a_try_exactly_when_every_count_in_the_window_is_under_its_ceiling(
    earlier: list[LoginFailure], now: int
) -> None:
    failures = [LoginFailure(f.email, f.address, min(f.at_utc_s, now)) for f in earlier]  # in the past
    delay = wait(failures, now=now)
    assert (delay is None) == (not over_a_limit(failures, now))
    if delay is not None:
        # after waiting, every count is under its ceiling again
        assert not over_a_limit(failures, now + delay)
        # and not a second earlier: the wait is as short as it can be (whole seconds, rounded up)
        assert over_a_limit(failures, now + delay - 1) or delay == 1


SIGN_UPS = SignUpLimit(attempts=10, window_s=3600)


@given(
    st.lists(st.integers(min_value=0, max_value=9000), max_size=30), st.integers(min_value=0, max_value=9000)
)
def test_sign_ups_are_allowed_exactly_when_fewer_than_ten_are_in_the_hour(
    earlier: list[int], now: int
) -> None:
    times = [float(min(t, now)) for t in earlier]

    def full(at: float) -> bool:
        return sum(1 for t in times if at - 3600 < t <= at) >= 10

    delay = SIGN_UPS.retry_after_s(sign_ups=times, now_s=now)
    assert (delay is None) == (not full(now))
    if delay is not None:
        assert not full(now + delay)
        assert full(now + delay - 1) or delay == 1
