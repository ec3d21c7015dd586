"""Query and path parameters shared by pages and the API, with the bounds that keep odd input a
422 instead of an overflow deep inside (a date near year 1 or 9999, an id past 64 bits)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

from ironmile.domain.days import EARLIEST_DAY, LATEST_DAY

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER; ids are never larger

Day = Annotated[dt.date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
DayQuery = Annotated[
    dt.date | None,
    Query(alias="date", ge=EARLIEST_DAY, le=LATEST_DAY, description="the day (YYYY-MM-DD); default today"),
]
UserId = Annotated[int, Path(ge=1, le=MAX_ID, description="an account's id")]
SquadId = Annotated[int, Path(ge=1, le=MAX_ID, description="a squad's id")]
