"""The fast FIT reader: checks a file's framing and CRCs, then decodes only what an import needs.

A FIT file is a 12- or 14-byte header, a run of messages and a 2-byte CRC; "chained" files repeat
that. Each data message is laid out by an earlier definition message (field numbers, sizes, base
types, byte order). Full decoders (fitdecode) turn every field of every message into Python objects,
which costs ~0.5 MB/s. This reader keeps the definitions, skips every message it does not need by
its size, and reads only: file_id (the file type), session totals, activity (timestamp and
local timestamp, for the UTC offset), sport, and timestamp / distance / heart rate of each `record`
through one precompiled `struct.Struct` per definition. That is one to two orders of magnitude
faster than fitdecode on real files and agrees with it on every valid file of our test corpus.

CRC: FIT's CRC is CRC-16/ARC, computed here with `fastcrc.crc16.arc` (Rust). Per call on a 334 KB
Garmin FR955 file we measured crcmod-plus 0.83 ms, anycrc 35 µs and fastcrc 8.6 µs, against ~69 ms
for a pure-Python table CRC: fastcrc makes checking every file free, so every file is checked (the
header CRC too, when the header carries one) before a single message is read.

Outcomes: a `tuple[FitPart, ...]`; `RejectedFileError` for what is provably broken (not FIT, CRC
mismatch, truncated, a message that uses an undefined local type); `FitNotUnderstood` for a file
that passed all of that but is laid out in a way this reader does not decode (a field we need with
an unexpected base type or size, an unknown byte order), which the importer hands to fitdecode.
Layouts come from `fit_layout`.
"""

from __future__ import annotations

import struct

from fastcrc import crc16

from ironmile.adapters.importers import fit_profile as profile
from ironmile.adapters.importers.fit_content import FitPart, FitSession
from ironmile.adapters.importers.fit_layout import (
    NO_RECORD,
    OPAQUE,
    RECORD,
    SUMMARY,
    FitNotUnderstood,
    Layout,
    read_definition,
)
from ironmile.domain.errors import RejectedFileError

_HEADER = struct.Struct("<BBHI4s")  # header size, protocol, profile version, data size, ".FIT"
_MIN_HEADER = 12
_CRC = struct.Struct("<H")


def read_parts(data: bytes, source: str) -> tuple[FitPart, ...]:
    """Check every chained FIT file's framing and CRCs, then decode each one."""
    frames = _frames(data, source)
    walked = [_walk(data, start, end, source) for start, end in frames]
    unusual = next((why for _, why in walked if why), "")
    if unusual:  # the whole file is sound (else it was rejected), but a full decoder must read it
        raise FitNotUnderstood(unusual)
    return tuple(part for part, _ in walked)


def _reject(source: str, reason: str) -> RejectedFileError:
    return RejectedFileError(source, reason)


def _frames(data: bytes, source: str) -> list[tuple[int, int]]:
    """(first data byte, end of data) of every chained FIT file, after checking sizes and CRCs."""
    total = len(data)
    if total == 0:
        raise _reject(source, "empty file (0 bytes); expected a FIT file")
    view = memoryview(data)
    frames = []
    pos = 0
    while pos < total:
        after = "" if pos == 0 else f" after the FIT file that ends at byte {pos}"
        if total - pos < _MIN_HEADER:
            if pos == 0:
                reason = f"not a FIT file: only {total} bytes; expected at least a 12-byte FIT header"
            else:
                reason = f"truncated: {total - pos} bytes{after}; expected another 12- or 14-byte FIT header"
            raise _reject(source, reason)
        header_size, _protocol, _profile, data_size, signature = _HEADER.unpack_from(data, pos)
        if signature != b".FIT":
            raise _reject(
                source,
                f"not a FIT file: bytes {pos + 8}–{pos + 11}{after} are {bytes(signature)!r}, "
                "expected b'.FIT'",
            )
        if header_size not in (12, 14):
            raise _reject(
                source, f"not a FIT file: header at byte {pos} gives size {header_size}, expected 12 or 14"
            )
        body = pos + header_size
        end = body + data_size
        if end + 2 > total:
            raise _reject(
                source,
                f"truncated at byte {total}: the FIT header at byte {pos} declares {data_size} bytes "
                f"of messages and a 2-byte CRC, which need the file to reach byte {end + 2}",
            )
        if header_size == 14:
            stored = _CRC.unpack_from(data, pos + 12)[0]
            computed = crc16.arc(view[pos : pos + 12])
            if stored and stored != computed:  # 0 means "no header CRC"
                raise _reject(
                    source,
                    f"FIT header CRC mismatch at byte {pos + 12}: stored 0x{stored:04X}, "
                    f"computed 0x{computed:04X}; the header is corrupt",
                )
        stored = _CRC.unpack_from(data, end)[0]
        computed = crc16.arc(view[pos:end])
        if stored != computed:
            raise _reject(
                source,
                f"FIT file CRC mismatch at byte {end}: stored 0x{stored:04X}, computed "
                f"0x{computed:04X}; the file is corrupt",
            )
        frames.append((body, end))
        pos = end + 2
    return frames


def _walk(data: bytes, pos: int, end: int, source: str) -> tuple[FitPart, str]:
    """Decode the messages of one FIT file lying in data[pos:end]; also say what was not understood.

    A message this reader cannot decode is skipped and the walk goes on to the end, so that a file
    that is also corrupt further on is rejected here rather than handed to the fallback."""
    unusual = ""
    layouts: list[Layout | None] = [None] * 16
    last_time = 0  # the latest timestamp seen, which compressed-timestamp headers count from
    times: list[int | None] = []
    distances: list[float | None] = []
    heart_rates: list[int | None] = []
    summaries: list[tuple[int, dict[str, int | float]]] = []
    record_layout = None
    unpack, at_time, at_distance, at_heart_rate, no_time, no_distance, no_heart_rate = NO_RECORD
    while pos < end:
        header = data[pos]
        if header & 0xC0 == 0x40:  # a definition message
            local = header & 0x0F
            layouts[local], pos = read_definition(data, pos, end, bool(header & 0x20), source)
            continue
        if header & 0x80:  # a data message with a compressed-timestamp header
            local = (header >> 5) & 0x03
            time_offset = header & 0x1F
        else:
            local = header & 0x0F
            time_offset = -1
        layout = layouts[local]
        if layout is None:
            raise _reject(
                source,
                f"data message at byte {pos} uses local message type {local}, which no earlier "
                "definition message declared; the file is corrupt",
            )
        body = pos + 1
        pos = body + layout.size
        if pos > end:
            raise _reject(
                source,
                f"truncated message at byte {body - 1}: its definition needs {layout.size} bytes, "
                f"but the FIT data ends at byte {end}",
            )
        kind = layout.kind
        if kind == RECORD:
            if layout is not record_layout:  # records mostly share one definition: unpack it once
                record_layout = layout
                unpack, at_time, at_distance, at_heart_rate, no_time, no_distance, no_heart_rate = (
                    layout.record
                )
            values = unpack(data, body)
            time: int | None = None
            if at_time >= 0:
                time = values[at_time]
                if time == no_time:
                    time = None
                else:
                    last_time = time
            if time_offset >= 0:
                last_time = _compressed_time(last_time, time_offset)
                if time is None:
                    time = last_time
            times.append(time)
            if at_distance >= 0 and (distance := values[at_distance]) != no_distance:
                distances.append(distance / profile.RECORD_DISTANCE_SCALE)
            else:
                distances.append(None)
            if at_heart_rate >= 0 and (heart_rate := values[at_heart_rate]) != no_heart_rate:
                heart_rates.append(heart_rate)
            else:
                heart_rates.append(None)
            continue
        if layout.time_struct is not None:
            stamp = layout.time_struct.unpack_from(data, body + layout.time_at)[0]
            if stamp != layout.time_invalid:
                last_time = stamp
        if time_offset >= 0:
            last_time = _compressed_time(last_time, time_offset)
        if kind == SUMMARY:
            summaries.append((layout.message, _summary_values(data, body, layout)))
        elif kind == OPAQUE and not unusual:
            unusual = layout.unusual
    return _part(summaries, times, distances, heart_rates), unusual


def _compressed_time(last_time: int, offset: int) -> int:
    """A compressed header carries the low 5 bits of the time (s); the rest comes from the last one."""
    time = (last_time & ~0x1F) + offset
    return time + 0x20 if offset < (last_time & 0x1F) else time


def _summary_values(data: bytes, body: int, layout: Layout) -> dict[str, int | float]:
    values: dict[str, int | float] = {}
    for name, offset, reader, invalid, scale in layout.fields:
        value = reader.unpack_from(data, body + offset)[0]
        if value != invalid:
            values[name] = value if scale == 1 else value / scale
    return values


def _part(
    summaries: list[tuple[int, dict[str, int | float]]],
    times: list[int | None],
    distances: list[float | None],
    heart_rates: list[int | None],
) -> FitPart:
    file_id: dict[str, int | float] = {}
    sport: dict[str, int | float] = {}
    activity: dict[str, int | float] = {}
    sessions = []
    for message, values in summaries:
        if message == profile.SESSION:
            sessions.append(FitSession(**values))  # type: ignore[arg-type]
        elif message == profile.FILE_ID:  # the first of each that holds a value we read
            file_id = file_id or values
        elif message == profile.SPORT:
            sport = sport or values
        elif message == profile.ACTIVITY:
            activity = activity or values
    return FitPart(
        file_type=_int(file_id.get("file_type")),
        sessions=tuple(sessions),
        record_times=tuple(times),
        record_distances_m=tuple(distances),
        record_heart_rates_bpm=tuple(heart_rates),
        sport=_int(sport.get("sport")),
        sub_sport=_int(sport.get("sub_sport")),
        activity_time=_int(activity.get("time")),
        activity_local_time=_int(activity.get("local_time")),
    )


def _int(value: int | float | None) -> int | None:
    return None if value is None else int(value)
