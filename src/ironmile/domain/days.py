"""The days ironmile accepts from a user: far wider than any plan, and far enough from date.min and
date.max that a day's week, its neighbours and a 42-day load window always exist (the arithmetic
near the calendar's ends overflows)."""

from __future__ import annotations

from datetime import date

from ironmile.domain.errors import FieldProblem, ProfileError

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)


def checked_day(day: date, *, field: str) -> date:
    """`day` when it is in range, else ProfileError naming `field`."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        message = f"{day} is out of range; expected a date from {EARLIEST_DAY} to {LATEST_DAY}"
        raise ProfileError([FieldProblem(field, message)])
    return day
