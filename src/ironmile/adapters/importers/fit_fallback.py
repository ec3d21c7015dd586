"""The fallback FIT decoder: fitdecode reads the whole file when the fast reader meets a layout it
does not decode (a field we need stored with an odd base type or size, an unknown byte order).

fitdecode is a complete, maintained FIT decoder (MIT), ~100x slower than the fast reader, which is
why it only runs for the rare file the fast reader gives up on. It produces the same `FitPart`s as
the fast reader from the same fields, taken as raw stored values and scaled by our own profile
table, so both paths map to activities the same way. The fast reader has already checked the file's
framing and CRCs, so fitdecode's own CRC check is off; its tolerance of odd field sizes (read as
bytes, which we then ignore) is what we want from a fallback, so its error handling is IGNORE.
"""

from __future__ import annotations

from typing import Any

import fitdecode  # type: ignore[import-untyped]  # fitdecode ships no type information

from ironmile.adapters.importers import fit_profile as profile
from ironmile.adapters.importers.fit_content import FitPart, FitSession
from ironmile.domain.errors import RejectedFileError

_RECORD_FIELDS = {
    profile.RECORD_TIME_FIELD: profile.Wanted("time", 1),
    profile.RECORD_DISTANCE_FIELD: profile.Wanted("distance_m", profile.RECORD_DISTANCE_SCALE),
    profile.RECORD_HEART_RATE_FIELD: profile.Wanted("heart_rate_bpm", 1),
}


class _PartBuilder:
    def __init__(self) -> None:
        self.summaries: dict[int, dict[str, float]] = {}
        self.sessions: list[FitSession] = []
        self.times: list[int | None] = []
        self.distances: list[float | None] = []
        self.heart_rates: list[int | None] = []

    def add(self, frame: Any) -> None:
        message = frame.global_mesg_num
        if message == profile.RECORD:
            values = _values(frame, _RECORD_FIELDS)
            self.times.append(_int(values.get("time")))
            self.distances.append(values.get("distance_m"))
            self.heart_rates.append(_int(values.get("heart_rate_bpm")))
        elif message == profile.SESSION:
            self.sessions.append(FitSession(**_values(frame, profile.SUMMARY_FIELDS[message])))  # type: ignore[arg-type]
        elif message in profile.SUMMARY_FIELDS and not self.summaries.get(message):
            # The first file_id, sport and activity message that holds a value we read, as in fit_reader.
            self.summaries[message] = _values(frame, profile.SUMMARY_FIELDS[message])

    def part(self) -> FitPart:
        file_id = self.summaries.get(profile.FILE_ID, {})
        sport = self.summaries.get(profile.SPORT, {})
        activity = self.summaries.get(profile.ACTIVITY, {})
        return FitPart(
            file_type=_int(file_id.get("file_type")),
            sessions=tuple(self.sessions),
            record_times=tuple(self.times),
            record_distances_m=tuple(self.distances),
            record_heart_rates_bpm=tuple(self.heart_rates),
            sport=_int(sport.get("sport")),
            sub_sport=_int(sport.get("sub_sport")),
            activity_time=_int(activity.get("time")),
            activity_local_time=_int(activity.get("local_time")),
        )


def decode_parts(data: bytes, source: str) -> tuple[FitPart, ...]:
    """Every chained FIT file in `data`, decoded in full by fitdecode."""
    builders: list[_PartBuilder] = []
    try:
        reader = fitdecode.FitReader(
            data,
            processor=None,  # raw numbers: FIT times stay seconds, enums stay numbers
            check_crc=fitdecode.CrcCheck.DISABLED,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        )
        with reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitHeader):
                    builders.append(_PartBuilder())
                elif isinstance(frame, fitdecode.FitDataMessage) and builders:
                    builders[-1].add(frame)
    except fitdecode.FitError as error:
        raise RejectedFileError(source, f"unreadable FIT file: {error}") from None
    except Exception as error:  # a third-party decoder on untrusted input: one file must not stop a batch
        raise RejectedFileError(source, f"unreadable FIT file: {type(error).__name__}: {error}") from None
    return tuple(builder.part() for builder in builders)


def _values(frame: Any, wanted: dict[int, profile.Wanted]) -> dict[str, float]:
    """The wanted fields' stored values, scaled to our units; the first of each, integers only."""
    values: dict[str, float] = {}
    for field in frame.fields:
        definition = field.field_def
        if definition is None:
            # A value fitdecode derived: the time a compressed-timestamp header carries counts as
            # the message's timestamp; values expanded from other fields are not read.
            if frame.time_offset is None or field.def_num != profile.TIMESTAMP_FIELD:
                continue
            number = profile.TIMESTAMP_FIELD
        elif definition.is_dev:
            continue
        else:
            number = definition.def_num
        spec = wanted.get(number)
        raw = field.raw_value
        if spec is None or spec.name in values or raw is None or not isinstance(raw, int):
            continue
        values[spec.name] = raw if spec.scale == 1 else raw / spec.scale
    return values


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)
