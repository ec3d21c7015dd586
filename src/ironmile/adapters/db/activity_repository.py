"""Imported activities in SQL: the domain's `Activity` in, the same `Activity` out.

The start is stored as UTC epoch seconds with the local offset beside it, so it reads back as the
same aware datetime; the heart-rate histogram as compact `bpm:seconds` text (see tables.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ironmile.adapters.db.ports import StoredActivity
from ironmile.adapters.db.tables import ActivityRow
from ironmile.domain.activity import Activity, Sport


def histogram_text(pairs: tuple[tuple[int, float], ...]) -> str:
    return " ".join(f"{bpm}:{seconds!r}" for bpm, seconds in pairs)  # repr: exact round trip


def histogram_pairs(text: str) -> tuple[tuple[int, float], ...]:
    pairs = []
    for item in text.split():
        bpm, seconds = item.split(":")
        pairs.append((int(bpm), float(seconds)))
    return tuple(pairs)


def activity_row(
    athlete_id: int, activity: Activity, *, source_hash: str | None, imported_on: date
) -> ActivityRow:
    offset = activity.start.utcoffset() or timedelta()
    return ActivityRow(
        athlete_id=athlete_id,
        fingerprint=activity.fingerprint,
        source_hash=source_hash,
        source=activity.source,
        imported_on=imported_on,
        start_utc_s=activity.start.timestamp(),
        utc_offset_s=int(offset.total_seconds()),
        local_date=activity.start.date(),
        sport=activity.sport.value,
        distance_m=activity.distance_m,
        moving_s=activity.moving_s,
        elapsed_s=activity.elapsed_s,
        elevation_gain_m=activity.elevation_gain_m,
        avg_heart_rate_bpm=activity.avg_heart_rate_bpm,
        max_heart_rate_bpm=activity.max_heart_rate_bpm,
        perceived_exertion=activity.perceived_exertion,
        heart_rate_seconds=histogram_text(activity.heart_rate_seconds),
    )


def activity_from_row(row: ActivityRow) -> Activity:
    zone = UTC if row.utc_offset_s == 0 else timezone(timedelta(seconds=row.utc_offset_s))
    return Activity(
        start=datetime.fromtimestamp(row.start_utc_s, tz=zone),
        sport=Sport(row.sport),
        source=row.source,
        fingerprint=row.fingerprint,
        distance_m=row.distance_m,
        moving_s=row.moving_s,
        elapsed_s=row.elapsed_s,
        elevation_gain_m=row.elevation_gain_m,
        avg_heart_rate_bpm=row.avg_heart_rate_bpm,
        max_heart_rate_bpm=row.max_heart_rate_bpm,
        heart_rate_seconds=histogram_pairs(row.heart_rate_seconds),
        perceived_exertion=row.perceived_exertion,
    )


class SqlActivityRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_many(
        self, athlete_id: int, activities: Iterable[tuple[Activity, str | None]], *, imported_on: date
    ) -> int:
        rows = [
            activity_row(athlete_id, activity, source_hash=source_hash, imported_on=imported_on)
            for activity, source_hash in activities
        ]
        self._session.add_all(rows)
        self._session.flush()
        return len(rows)

    def between(
        self, athlete_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[Activity]:
        query = select(ActivityRow).where(ActivityRow.athlete_id == athlete_id)
        if start is not None:
            query = query.where(ActivityRow.local_date >= start)
        if end is not None:
            query = query.where(ActivityRow.local_date <= end)
        query = query.order_by(ActivityRow.start_utc_s, ActivityRow.id)
        return [activity_from_row(row) for row in self._session.scalars(query)]

    def stored(self, athlete_id: int) -> list[StoredActivity]:
        query = (
            select(ActivityRow)
            .where(ActivityRow.athlete_id == athlete_id)
            .order_by(ActivityRow.start_utc_s, ActivityRow.id)
        )
        return [
            StoredActivity(activity_from_row(row), row.source_hash, row.imported_on)
            for row in self._session.scalars(query)
        ]

    def source_hashes(self, athlete_id: int) -> dict[str, int]:
        query = (
            select(ActivityRow.source_hash, func.count())
            .where(ActivityRow.athlete_id == athlete_id, ActivityRow.source_hash.is_not(None))
            .group_by(ActivityRow.source_hash)
        )
        return {value: int(count) for value, count in self._session.execute(query) if value is not None}

    def count(self, athlete_id: int) -> int:
        query = select(func.count()).select_from(ActivityRow).where(ActivityRow.athlete_id == athlete_id)
        return int(self._session.scalar(query) or 0)
