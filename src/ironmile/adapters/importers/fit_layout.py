"""How to read FIT data messages, worked out once from each definition message.

A definition message gives a local message type its global message number, byte order and fields
(number, size in bytes, base type), so every data message of that type has the same size and
layout. A `Layout` is what the fast reader needs from it: the size to skip, where the timestamp
sits (compressed-timestamp headers count from the latest one), and for `record` and the summary
messages a precompiled `struct.Struct` that picks the few fields we read and pads over the rest.
A field we read stored in a form we do not decode makes the layout `OPAQUE`: the file is sound, but
fitdecode must read it (`FitNotUnderstood`).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ironmile.adapters.importers import fit_profile as profile
from ironmile.domain.errors import RejectedFileError

SKIP, RECORD, SUMMARY, OPAQUE = 0, 1, 2, 3  # kinds of layout; OPAQUE: skipped, the file goes to fitdecode

# (unpack, index of time, distance and heart rate in its output or -1, their invalid values)
RecordReader = tuple[Callable[[Any, int], tuple[int, ...]], int, int, int, int, int, int]
NO_RECORD: RecordReader = (struct.Struct("").unpack_from, -1, -1, -1, -1, -1, -1)
_MAX_CACHED_LAYOUTS = 4096


class FitNotUnderstood(Exception):
    """The file is intact but uses a layout this reader does not decode; a full decoder may."""


class Layout:
    """How to read the data messages of one definition; `size` in bytes, offsets from the body start."""

    __slots__ = (
        "fields",
        "kind",
        "message",
        "record",
        "size",
        "time_at",
        "time_invalid",
        "time_struct",
        "unusual",
    )

    def __init__(self, message: int, size: int) -> None:
        self.message = message
        self.size = size
        self.kind = SKIP
        self.unusual = ""  # for OPAQUE: what this reader does not decode
        self.time_at = -1  # where the timestamp field sits, -1 without one
        self.time_struct: struct.Struct | None = None
        self.time_invalid = -1
        self.record = NO_RECORD
        # summary: (name, offset, struct, invalid value, scale) per wanted field
        self.fields: tuple[tuple[str, int, struct.Struct, int, int], ...] = ()


# Layouts by the bytes of their definition message (from the reserved byte on), shared by all files.
_LAYOUTS: dict[bytes, Layout] = {}


def read_definition(
    data: bytes, pos: int, end: int, has_developer_fields: bool, source: str
) -> tuple[Layout, int]:
    """Read the definition message at `pos`; return how to read its data messages and where it ends.

    Some devices (Suunto) repeat a definition before every data message, so layouts are cached by
    the definition's bytes: the same bytes always give the same layout."""
    fields_end = pos + 6 + 3 * data[pos + 5] if pos + 6 <= end else end + 1
    definition_end = fields_end
    if has_developer_fields and fields_end < end:
        definition_end = fields_end + 1 + 3 * data[fields_end]
    if definition_end > end or (has_developer_fields and fields_end >= end):
        raise RejectedFileError(
            source,
            f"truncated definition message at byte {pos}: it runs past the end of the FIT data at byte {end}",
        )
    key = data[pos + 1 : definition_end]
    layout = _LAYOUTS.get(key)
    if layout is None:
        layout = _layout(data, pos, fields_end, definition_end)
        if len(_LAYOUTS) >= _MAX_CACHED_LAYOUTS:
            _LAYOUTS.clear()
        if layout.kind != OPAQUE:  # its reason names this file's byte offset
            _LAYOUTS[key] = layout
    return layout, definition_end


def _layout(data: bytes, pos: int, fields_end: int, definition_end: int) -> Layout:
    fields = [tuple(data[at : at + 3]) for at in range(pos + 6, fields_end, 3)]
    size = sum(field_size for _, field_size, _ in fields)
    size += sum(data[at + 1] for at in range(fields_end + 1, definition_end, 3))
    architecture = data[pos + 2]
    if architecture > 1:
        return _opaque(
            size,
            f"definition message at byte {pos} gives byte order {architecture}, expected 0 "
            "(little-endian) or 1 (big-endian)",
        )
    order = ">" if architecture else "<"
    message = struct.unpack_from(order + "H", data, pos + 3)[0]
    layout = Layout(message, size)
    offset = 0
    for number, field_size, base_type_code in fields:
        base_type = profile.INTEGER_BASE_TYPES.get(base_type_code)
        is_time = number == profile.TIMESTAMP_FIELD and layout.time_at < 0
        if is_time and base_type is not None and field_size == base_type.size:
            layout.time_at = offset
            layout.time_struct = struct.Struct(order + base_type.struct_code)
            layout.time_invalid = base_type.invalid
        offset += field_size
    try:
        if message == profile.RECORD:
            layout.kind = RECORD
            layout.record = _record_reader(fields, order, pos)
        elif message in profile.SUMMARY_FIELDS:
            layout.kind = SUMMARY
            layout.fields = _summary_readers(fields, order, profile.SUMMARY_FIELDS[message], pos)
    except FitNotUnderstood as unusual:
        return _opaque(size, str(unusual))
    return layout


def _opaque(size: int, unusual: str) -> Layout:
    layout = Layout(-1, size)
    layout.kind = OPAQUE
    layout.unusual = unusual
    return layout


def _checked_base_type(number: int, field_size: int, base_type_code: int, pos: int) -> profile.BaseType:
    """The base type of a field we read, which must be one integer of the size its type says."""
    base_type = profile.INTEGER_BASE_TYPES.get(base_type_code)
    if base_type is None or field_size != base_type.size:
        raise FitNotUnderstood(
            f"definition message at byte {pos} declares field {number} with base type "
            f"0x{base_type_code:02X} and {field_size} bytes; expected a single integer"
        )
    return base_type


def _record_reader(fields: list[tuple[int, ...]], order: str, pos: int) -> RecordReader:
    """One struct for the timestamp, distance and heart rate of a record; other bytes are padding."""
    wanted = (profile.RECORD_TIME_FIELD, profile.RECORD_DISTANCE_FIELD, profile.RECORD_HEART_RATE_FIELD)
    index = [-1, -1, -1]
    invalid = [-1, -1, -1]
    codes = []
    padding = 0
    outputs = 0
    for number, field_size, base_type_code in fields:
        slot = wanted.index(number) if number in wanted else -1
        if slot < 0 or index[slot] >= 0:
            padding += field_size
            continue
        base_type = _checked_base_type(number, field_size, base_type_code, pos)
        if padding:
            codes.append(f"{padding}x")
            padding = 0
        index[slot] = outputs
        invalid[slot] = base_type.invalid
        codes.append(base_type.struct_code)
        outputs += 1
    unpack = struct.Struct(order + "".join(codes)).unpack_from
    return unpack, index[0], index[1], index[2], invalid[0], invalid[1], invalid[2]


def _summary_readers(
    fields: list[tuple[int, ...]], order: str, wanted: dict[int, profile.Wanted], pos: int
) -> tuple[tuple[str, int, struct.Struct, int, int], ...]:
    readers = []
    seen = set()
    offset = 0
    for number, field_size, base_type_code in fields:
        if number in wanted and number not in seen:
            seen.add(number)
            base_type = _checked_base_type(number, field_size, base_type_code, pos)
            name, scale = wanted[number]
            readers.append(
                (name, offset, struct.Struct(order + base_type.struct_code), base_type.invalid, scale)
            )
        offset += field_size
    return tuple(readers)
