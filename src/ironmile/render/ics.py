"""The plan as an iCalendar file (RFC 5545): one event per strength session, to import or subscribe to.

A plan fixes days, not hours, so sessions are all-day events unless a start time and an IANA time zone
are given; then they are timed events with a TZID and the VTIMEZONE they need.

Re-exporting the same plan gives the same bytes, and a changed plan updates events instead of
duplicating them, because nothing in the file comes from the clock or from chance:
- every event's UID is uuid5(IRONMILE_NAMESPACE, "{identity}/{week's Monday}/{n}") at UID_DOMAIN for
  the n-th session (1, 2, …) of its week, where the identity is the athlete's name or the profile
  file's stem. A session keeps its UID when its content changes and when it moves to another day of
  the same week (new key days), so a calendar moves the event instead of showing it twice; the
  calendar's own UID is uuid5(IRONMILE_NAMESPACE, identity);
- DTSTAMP and LAST-MODIFIED are midnight UTC on the plan's start date unless the caller passes `stamp`;
- SEQUENCE comes from `sequences` (0 when absent); raise it for a session whose content changed, so
  apps that import rather than subscribe replace the old event.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import TRANSP, Calendar, Event

from ironmile.domain.errors import InputError
from ironmile.domain.plan import Plan, Session
from ironmile.render.session_words import scheduled_sessions, session_description, session_summary

# uuid5(NAMESPACE_DNS, "ironmile.invalid"), written out because it must never change: every UID a
# runner's calendar holds derives from it.
IRONMILE_NAMESPACE = uuid.UUID("d7076468-b0bc-5158-bf75-886fb08c4300")
UID_DOMAIN = "ironmile.invalid"  # RFC 2606 reserves .invalid, so the UID can never clash with a real host
PRODID = "-//ironmile//plan//EN"
CATEGORY = "Strength"
_TIME_ZONE_EXAMPLE = "an IANA name such as Europe/Berlin"


def calendar_uid(identity: str) -> str:
    """The calendar's UID: the same for every export of the same athlete's plan."""
    return str(uuid.uuid5(IRONMILE_NAMESPACE, identity))


def session_uid(identity: str, week_start: date, ordinal: int) -> str:
    """The UID of the `ordinal`-th session (from 1) of the week starting `week_start`: it depends
    on who and which week, never on the content or the weekday."""
    return f"{uuid.uuid5(IRONMILE_NAMESPACE, f'{identity}/{week_start.isoformat()}/{ordinal}')}@{UID_DOMAIN}"


def plan_calendar(
    plan: Plan,
    *,
    identity: str,
    name: str,
    time_zone: str | None = None,
    start_time: time | None = None,
    sequences: Mapping[date, int] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The plan's strength sessions as an .ics file (UTF-8, CRLF line ends, lines folded at 75 octets).

    identity: the athlete's name or the profile file's stem; it makes the UIDs, so keep it fixed.
    name: the calendar's display name (NAME and X-WR-CALNAME).
    time_zone, start_time: both given, sessions are timed events starting at `start_time` local time
        in `time_zone` and lasting the session's estimated minutes; otherwise all-day events.
    sequences: SEQUENCE per session date, for sessions that changed since an earlier export.
    stamp: when the plan was made (timezone-aware); defaults to midnight UTC on the plan's start date.
    """
    sessions = scheduled_sessions(plan)
    if not sessions:
        raise InputError("the plan has no strength sessions to export")
    identity = identity.strip()
    if not identity:
        raise InputError("the calendar needs an identity (the athlete's name or the profile's file name)")
    if not name.strip():
        raise InputError("the calendar needs a name")
    zone = _zone(time_zone) if time_zone is not None else None
    if start_time is not None and zone is None:
        raise InputError(f"a start time needs a time zone ({_TIME_ZONE_EXAMPLE})")
    if start_time is not None and start_time.tzinfo is not None:
        raise InputError("give the start time as local clock time and the zone as time_zone")
    timed = zone is not None and start_time is not None
    revised = _revised(plan, stamp)
    calendar = Calendar.new(prodid=PRODID, name=name, uid=calendar_uid(identity))
    spans = []
    ordinals: dict[date, int] = {}
    for item in sessions:  # in date order, so the n-th of a week is the n-th by date
        day = item.session.date
        ordinal = ordinals[item.week.start_date] = ordinals.get(item.week.start_date, 0) + 1
        start, end = _span(item.session, start_time, zone)
        spans.append((start, end))
        calendar.add_component(
            Event.new(
                uid=session_uid(identity, item.week.start_date, ordinal),
                summary=session_summary(item),
                start=start,
                end=end,
                stamp=revised,
                last_modified=revised,
                sequence=_sequence(sequences, day),
                description=session_description(item, plan.units),
                categories=[CATEGORY],
                # An all-day session fits around the day; it must not mark the whole day as busy.
                transparency=None if timed else TRANSP.TRANSPARENT,
            )
        )
    if timed:
        # The default range (1970–2038) writes hundreds of needless lines; whole calendar years
        # around the plan keep it short, and every plan in the same years carries the same VTIMEZONE,
        # which matters to readers that keep the first VTIMEZONE they meet per TZID (vobject does).
        first = _date_of(min(start for start, _ in spans))
        last = _date_of(max(end for _, end in spans))
        calendar.add_missing_timezones(first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1))
    calendar.validate()  # type: ignore[no-untyped-call]  # unannotated in icalendar 7.3
    data: bytes = calendar.to_ical()
    return data


def _zone(name: str) -> ZoneInfo:
    """The zone for an IANA name; a folder such as 'Europe' or a malformed key is as unknown as a typo."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise InputError(f"unknown time zone {name!r}: expected {_TIME_ZONE_EXAMPLE}") from error


def _revised(plan: Plan, stamp: datetime | None) -> datetime:
    """DTSTAMP / LAST-MODIFIED in UTC, to the second (iCalendar has no fractions of a second)."""
    if stamp is None:
        return datetime.combine(plan.start_date, time(0, 0), tzinfo=UTC)
    if stamp.tzinfo is None:
        raise InputError(f"the plan's stamp {stamp.isoformat()} needs a time zone")
    return stamp.astimezone(UTC).replace(microsecond=0)


def _sequence(sequences: Mapping[date, int] | None, day: date) -> int:
    sequence = (sequences or {}).get(day, 0)
    if sequence < 0:
        raise InputError(f"SEQUENCE for the session on {day.isoformat()} is {sequence}; expected 0 or more")
    return sequence


def _span(session: Session, start_time: time | None, zone: ZoneInfo | None) -> tuple[date, date]:
    """All-day: the date and the next (DTEND is exclusive). Timed: start and start + minutes."""
    if start_time is None or zone is None:
        return session.date, session.date + timedelta(days=1)
    start = datetime.combine(session.date, start_time, tzinfo=zone)
    # Add the minutes in UTC: aware arithmetic in one zone adds wall-clock time, wrong across a DST change.
    end = (start.astimezone(UTC) + timedelta(minutes=session.minutes)).astimezone(zone)
    return start, end


def _date_of(moment: date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
