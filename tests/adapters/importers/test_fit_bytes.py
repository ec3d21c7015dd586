"""The FIT importer on tiny files assembled here byte by byte, for paths real files rarely take:
compressed-timestamp headers, big-endian definitions, invalid values, developer fields, odd base
types (which send the file to fitdecode), bad CRCs, undefined local types and truncation anywhere.

Layouts follow the FIT Protocol document of the Garmin FIT SDK (file header, record headers,
definition and data messages, CRC). The CRC below is that document's nibble-table routine, written
out again so the importer's fastcrc-based check is tested against an independent implementation.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import fitdecode  # type: ignore[import-untyped]  # fitdecode ships no type information
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ironmile.adapters.importers.fit import read_fit
from ironmile.adapters.importers.fit_activity import HEART_RATE_GAP_CAP_S
from ironmile.adapters.importers.fit_reader import read_parts
from ironmile.domain.activity import Sport
from ironmile.domain.errors import RejectedFileError

_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)  # fmt: skip


def fit_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        for nibble in (byte & 0x0F, byte >> 4):
            low = _CRC_TABLE[crc & 0x0F]
            crc = ((crc >> 4) & 0x0FFF) ^ low ^ _CRC_TABLE[nibble]
    return crc


UINT8, UINT16, UINT32, ENUM, STRING = 0x02, 0x84, 0x86, 0x00, 0x07
T0 = 1_000_000_000  # FIT time: 2021-09-08 01:46:40 UTC
T0_UTC = datetime(1989, 12, 31, tzinfo=UTC) + timedelta(seconds=T0)
CODES = {UINT8: "B", ENUM: "B", UINT16: "H", UINT32: "I", 0x8C: "I", 0x0A: "B"}


def _code(size: int, base: int) -> str:
    """How to pack one field: as its integer type when the size fits it, else as raw bytes."""
    code = CODES.get(base)
    return code if code and struct.calcsize(code) == size else f"{size}s"


def filled(size: int, base: int, byte: int) -> int | bytes:
    """A field's value with every byte `byte`, as `Fit.data` packs it."""
    raw = bytes([byte]) * size
    return raw if _code(size, base).endswith("s") else int.from_bytes(raw, "little")


@dataclass
class Fit:
    """A FIT file under construction: definitions remember their layout so data can be packed."""

    big_endian: bool = False
    body: bytearray = field(default_factory=bytearray)
    layouts: dict[int, tuple[str, int]] = field(default_factory=dict)  # local → (format, dev bytes)

    @property
    def order(self) -> str:
        return ">" if self.big_endian else "<"

    def define(
        self, local: int, message: int, fields: list[tuple[int, int, int]], dev: tuple[int, ...] = ()
    ) -> Fit:
        """`fields`: (number, size, base type); `dev`: the sizes of developer fields that follow."""
        header = 0x40 | local | (0x20 if dev else 0)
        self.body += bytes([header, 0, int(self.big_endian)])
        self.body += struct.pack(self.order + "HB", message, len(fields))
        for number, size, base in fields:
            self.body += bytes([number, size, base])
        if dev:
            self.body += bytes([len(dev)]) + b"".join(bytes([n, size, 0]) for n, size in enumerate(dev))
        fmt = "".join(_code(size, base) for _, size, base in fields)
        self.layouts[local] = (fmt, sum(dev))
        return self

    def data(self, local: int, *values: int | bytes, time_offset: int | None = None) -> Fit:
        fmt, dev_bytes = self.layouts[local]
        header = local if time_offset is None else 0x80 | local << 5 | time_offset
        self.body += bytes([header]) + struct.pack(self.order + fmt, *values) + b"\x07" * dev_bytes
        return self

    def encode(self, *, header_crc: bool = True, file_crc: int | None = None) -> bytes:
        head = struct.pack("<BBHI4s", 14, 0x20, 2132, len(self.body), b".FIT")
        head += struct.pack("<H", fit_crc(head) if header_crc else 0)
        whole = head + bytes(self.body)
        return whole + struct.pack("<H", fit_crc(whole) if file_crc is None else file_crc)


FILE_ID = [(0, 1, ENUM), (4, 4, UINT32)]  # type, time created
RECORD = [(253, 4, UINT32), (5, 4, UINT32), (3, 1, UINT8), (2, 2, UINT16)]  # time, distance, HR, altitude
SESSION = [(253, 4, UINT32), (2, 4, UINT32), (5, 1, ENUM), (6, 1, ENUM), (7, 4, UINT32), (8, 4, UINT32),
           (9, 4, UINT32), (16, 1, UINT8), (17, 1, UINT8), (22, 2, UINT16)]  # fmt: skip
ACTIVITY = [(253, 4, UINT32), (5, 4, UINT32)]  # time, local time
LOCAL_OFFSET_S = 2 * 3600 + 37  # a device clock 37 s off a whole offset


def run(fit: Fit, *, session_first: bool = False, session: tuple[int, ...] | None = None) -> Fit:
    """A 10-s run at 2.5 m/s, heart rate 150 then 160, with its session and activity summaries."""
    fit.define(0, 0, FILE_ID).data(0, 4, T0)
    totals = session or (T0 + 10, T0, 1, 0, 10_000, 9_000, 2_500, 155, 160, 12)
    fit.define(2, 18, SESSION)
    if session_first:
        fit.data(2, *totals)
    fit.define(1, 20, RECORD)
    for second in range(11):
        fit.data(1, T0 + second, 250 * second, 150 if second < 5 else 160, 2_500)
    if not session_first:
        fit.data(2, *totals)
    return fit.define(3, 34, ACTIVITY).data(3, T0 + 10, T0 + 10 + LOCAL_OFFSET_S)


def fitdecode_records(data: bytes) -> list[tuple[object, object, object]]:
    """(timestamp, distance m, heart rate) of every record, as fitdecode reads them."""
    with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE) as reader:
        return [
            (f.get_value("timestamp", fallback=None), f.get_value("distance", fallback=None),
             f.get_value("heart_rate", fallback=None))
            for f in reader if isinstance(f, fitdecode.FitDataMessage) and f.name == "record"
        ]  # fmt: skip


def rejection(data: bytes) -> str:
    with pytest.raises(RejectedFileError) as raised:
        read_fit(data, source="made.fit", file_hash="h")
    assert raised.value.source == "made.fit"
    return raised.value.reason


# --- files that decode -------------------------------------------------------------------------


def test_a_tiny_run_becomes_one_activity_with_its_totals_and_local_start() -> None:
    result = read_fit(run(Fit()).encode(), source="made.fit", file_hash="h")
    assert not result.used_fallback
    (activity,) = result.activities
    assert activity.start == T0_UTC
    assert activity.start.utcoffset() == timedelta(hours=2)  # 2 h 0 min 37 s, to the quarter hour
    assert (activity.sport, activity.fingerprint, activity.source) == (Sport.RUNNING, "h", "made.fit")
    assert (activity.distance_m, activity.moving_s, activity.elapsed_s) == (25.0, 9.0, 10.0)
    assert (activity.elevation_gain_m, activity.avg_heart_rate_bpm, activity.max_heart_rate_bpm) == (
        12,
        155,
        160,
    )
    # Samples at 0…10 s: 150 bpm holds from 0 to 5 s, 160 bpm from 5 to 10 s (the last sample ends it).
    assert activity.heart_rate_seconds == ((150, 5.0), (160, 5.0))


def test_the_reader_agrees_with_fitdecode_on_the_hand_built_file() -> None:
    data = run(Fit()).encode()
    (part,) = read_parts(data, "made.fit")
    theirs = fitdecode_records(data)
    assert [T0_UTC + timedelta(seconds=t - T0) for t in part.record_times if t] == [r[0] for r in theirs]
    assert list(part.record_distances_m) == [r[1] for r in theirs]
    assert list(part.record_heart_rates_bpm) == [r[2] for r in theirs]


def test_big_endian_definitions_read_the_same_as_little_endian() -> None:
    little = read_fit(run(Fit()).encode(), source="made.fit", file_hash="h")
    big = read_fit(run(Fit(big_endian=True)).encode(), source="made.fit", file_hash="h")
    assert big == little


def test_summary_messages_before_the_records_give_the_same_activity() -> None:
    first = read_fit(run(Fit(), session_first=True).encode(), source="made.fit", file_hash="h")
    assert first == read_fit(run(Fit()).encode(), source="made.fit", file_hash="h")


def test_compressed_timestamp_headers_count_from_the_last_full_timestamp() -> None:
    fit = Fit().define(0, 0, FILE_ID).data(0, 4, T0)
    fit.define(1, 20, RECORD).data(1, T0 + 29, 100, 140, 0)  # low 5 bits of T0 + 29: 29 (T0 ≡ 0 mod 32)
    fit.define(2, 20, [(5, 4, UINT32), (3, 1, UINT8)])
    fit.data(2, 200, 141, time_offset=30)  # T0 + 30
    fit.data(2, 300, 142, time_offset=2)  # the 5-bit counter rolled over: T0 + 34
    fit.data(2, 400, 143, time_offset=2)  # the same again: the same second
    fit.define(3, 34, ACTIVITY).data(3, T0 + 34, T0 + 34)
    data = fit.encode()
    assert T0 % 32 == 0
    (part,) = read_parts(data, "made.fit")
    assert part.record_times == (T0 + 29, T0 + 30, T0 + 34, T0 + 34)
    assert [T0_UTC + timedelta(seconds=t - T0) for t in part.record_times if t] == [
        r[0] for r in fitdecode_records(data)
    ]


def test_invalid_values_are_missing_and_the_records_fill_in() -> None:
    no_totals = (T0 + 10, T0, 1, 0, 10_000, 9_000, 0xFFFFFFFF, 0xFF, 0xFF, 0xFFFF)
    fit = run(Fit(), session=no_totals)
    fit.define(1, 20, RECORD).data(1, T0 + 10, 0xFFFFFFFF, 0xFF, 0xFFFF)  # a last, empty sample
    (activity,) = read_fit(fit.encode(), source="made.fit", file_hash="h").activities
    assert activity.distance_m == 25.0  # the last valid record distance
    assert activity.elevation_gain_m is None
    assert activity.max_heart_rate_bpm == 160
    assert activity.avg_heart_rate_bpm == 155  # time-weighted: 5 s at 150, 5 s at 160
    (part,) = read_parts(fit.encode(), "made.fit")
    assert (part.record_distances_m[-1], part.record_heart_rates_bpm[-1]) == (None, None)


def test_developer_fields_are_skipped_by_their_size() -> None:
    fit = Fit().define(0, 0, FILE_ID).data(0, 4, T0)
    fit.define(1, 20, RECORD, dev=(3, 1)).data(1, T0, 500, 150, 0).data(1, T0 + 1, 600, 151, 0)
    fit.define(3, 34, ACTIVITY).data(3, T0 + 1, T0 + 1)
    (part,) = read_parts(fit.encode(), "made.fit")
    assert part.record_distances_m == (5.0, 6.0)
    assert part.record_heart_rates_bpm == (150, 151)


def test_a_field_we_do_not_read_may_have_any_size() -> None:
    """COROS writes uint32 fields of 1 byte; they are skipped, so the fast reader needs no help."""
    fit = run(Fit())
    fit.define(4, 21, [(253, 4, UINT32), (3, 1, UINT32)]).data(4, T0 + 10, b"\x01")  # an event
    result = read_fit(fit.encode(), source="made.fit", file_hash="h")
    assert not result.used_fallback
    assert result.activities[0].distance_m == 25.0


READABLE_BEAT = ((1, HEART_RATE_GAP_CAP_S),)  # 1 bpm for 60 s, of which 10 s count


@pytest.mark.parametrize(
    ("fields", "distance_m", "heart_rate_seconds"),
    [
        ([(253, 4, UINT32), (5, 3, UINT32), (3, 1, UINT8)], None, READABLE_BEAT),  # distance in 3 bytes
        ([(253, 4, UINT32), (5, 4, 0x1F), (3, 1, UINT8)], None, READABLE_BEAT),  # an unknown base type
        ([(253, 4, UINT32), (5, 4, UINT32), (3, 2, UINT8)], 0x02020202 / 100, ()),  # two heart rates
    ],
)
def test_a_field_we_read_in_an_unexpected_form_sends_the_file_to_fitdecode(
    fields: list[tuple[int, int, int]], distance_m: float | None, heart_rate_seconds: tuple[object, ...]
) -> None:
    fit = Fit().define(0, 0, FILE_ID).data(0, 4, T0).define(1, 20, fields)
    fit.data(1, T0, *[filled(size, base, 1) for _, size, base in fields[1:]])
    fit.data(1, T0 + 60, *[filled(size, base, 2) for _, size, base in fields[1:]])
    fit.define(3, 34, ACTIVITY).data(3, T0 + 60, T0 + 60)
    result = read_fit(fit.encode(), source="made.fit", file_hash="h")
    assert result.used_fallback
    (activity,) = result.activities
    assert activity.elapsed_s == 60.0
    # A value in a form we cannot read is missing; the other fields still count.
    assert activity.distance_m == distance_m
    assert activity.heart_rate_seconds == heart_rate_seconds


def test_an_unknown_byte_order_sends_the_file_to_fitdecode() -> None:
    data = bytearray(run(Fit(big_endian=True)).encode()[:-2])
    for at in range(14, len(data) - 2):  # mark each definition's architecture byte as 2
        if data[at] & 0xF0 == 0x40 and data[at + 1] == 0 and data[at + 2] == 1:
            data[at + 2] = 2
    data += struct.pack("<H", fit_crc(bytes(data)))
    result = read_fit(bytes(data), source="made.fit", file_hash="h")
    assert result.used_fallback
    assert result.activities == read_fit(run(Fit()).encode(), source="made.fit", file_hash="h").activities


def test_two_sessions_give_two_activities_with_their_own_records() -> None:
    fit = Fit().define(0, 0, FILE_ID).data(0, 4, T0)
    fit.define(1, 20, RECORD)
    for second in range(0, 41):
        fit.data(1, T0 + second, 100 * second, 120 if second < 20 else 170, 0)
    fit.define(2, 18, SESSION)
    fit.data(2, T0 + 19, T0, 2, 0, 19_000, 19_000, 1_900, 120, 120, 0)  # cycling
    fit.data(2, T0 + 40, T0 + 20, 1, 3, 20_000, 20_000, 2_000, 170, 170, 0)  # trail running
    fit.define(3, 34, ACTIVITY).data(3, T0 + 40, T0 + 40)
    bike, run_leg = read_fit(fit.encode(), source="made.fit", file_hash="h").activities
    assert (bike.sport, bike.fingerprint, bike.heart_rate_seconds) == (Sport.CYCLING, "h#1", ((120, 19.0),))
    assert (run_leg.sport, run_leg.fingerprint, run_leg.heart_rate_seconds) == (
        Sport.RUNNING,
        "h#2",
        ((170, 20.0),),
    )
    assert run_leg.start == T0_UTC + timedelta(seconds=20)


def test_a_chained_settings_file_is_left_out() -> None:
    settings_file = Fit().define(0, 0, FILE_ID).data(0, 2, T0).encode()
    chained = read_fit(run(Fit()).encode() + settings_file, source="made.fit", file_hash="h")
    assert chained == read_fit(run(Fit()).encode(), source="made.fit", file_hash="h")


# --- files that are rejected -------------------------------------------------------------------


def test_an_empty_file_is_rejected() -> None:
    assert rejection(b"") == "empty file (0 bytes); expected a FIT file"


def test_a_file_without_the_fit_signature_is_rejected() -> None:
    data = bytearray(run(Fit()).encode())
    data[8:12] = b"GPX "
    assert rejection(bytes(data)).startswith("not a FIT file: bytes 8–11 are b'GPX ', expected b'.FIT'")


def test_a_bad_file_crc_is_rejected_with_both_values() -> None:
    data = run(Fit()).encode(file_crc=0x1234)
    good = fit_crc(data[:-2])
    assert rejection(data) == (
        f"FIT file CRC mismatch at byte {len(data) - 2}: stored 0x1234, computed 0x{good:04X}; "
        "the file is corrupt"
    )


def test_the_header_crc_is_checked_when_the_header_has_one() -> None:
    assert read_fit(run(Fit()).encode(header_crc=False), source="made.fit", file_hash="h").activities
    data = bytearray(run(Fit()).encode())
    data[12] ^= 0xFF
    data[-2:] = struct.pack("<H", fit_crc(bytes(data[:-2])))
    assert rejection(bytes(data)).startswith("FIT header CRC mismatch at byte 12: stored 0x")


def test_a_data_message_of_an_undefined_local_type_is_rejected() -> None:
    fit = Fit().define(0, 0, FILE_ID).data(0, 4, T0)
    at = 14 + len(fit.body)
    fit.body += bytes([5]) + b"\x00" * 4
    assert rejection(fit.encode()) == (
        f"data message at byte {at} uses local message type 5, which no earlier definition message "
        "declared; the file is corrupt"
    )


@pytest.mark.parametrize("length", [1, 11, 13, 14, 40, 100, -3, -1])
def test_a_file_cut_short_is_rejected_as_truncated(length: int) -> None:
    data = run(Fit()).encode()
    reason = rejection(data[:length])
    if 0 < length < 12:
        assert reason == f"not a FIT file: only {length} bytes; expected at least a 12-byte FIT header"
    else:
        assert reason.startswith(f"truncated at byte {length % len(data)}: the FIT header at byte 0 declares")


def test_a_settings_file_is_not_an_activity() -> None:
    assert (
        rejection(Fit().define(0, 0, FILE_ID).data(0, 2, T0).encode())
        == "a FIT settings file, not an activity"
    )


def test_an_activity_file_without_sessions_or_records_has_nothing_to_import() -> None:
    reason = rejection(Fit().define(0, 0, FILE_ID).data(0, 4, T0).encode())
    assert reason == "a FIT activity file with no sessions and no records: nothing to import"


# --- nothing but RejectedFileError, whatever the bytes -----------------------------------------

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WHOLE = run(Fit()).encode()


def decodes_or_is_rejected(data: bytes) -> None:
    """Only RejectedFileError may escape, and it must give a reason."""
    try:
        read_fit(data, source="made.fit", file_hash="h")
    except RejectedFileError as rejected:
        reason = rejected.reason
    else:
        reason = "decoded"
    assert reason


@FUZZ
@given(st.integers(min_value=0, max_value=len(WHOLE) - 1))
def test_any_truncation_is_rejected(length: int) -> None:
    with pytest.raises(RejectedFileError):
        read_fit(WHOLE[:length], source="made.fit", file_hash="h")


@FUZZ
@given(st.integers(min_value=0, max_value=len(WHOLE) - 1), st.integers(min_value=1, max_value=255))
def test_any_flipped_byte_decodes_or_is_rejected(at: int, mask: int) -> None:
    data = bytearray(WHOLE)
    data[at] ^= mask
    decodes_or_is_rejected(bytes(data))


@FUZZ
@given(st.binary(max_size=300))
def test_any_message_bytes_with_a_valid_crc_decode_or_are_rejected(body: bytes) -> None:
    """The CRC guards against damage, not against a writer's nonsense: the walk must hold too."""
    fit = Fit()
    fit.body += body
    decodes_or_is_rejected(fit.encode())


@FUZZ
@given(st.integers(min_value=14, max_value=len(WHOLE) - 3), st.integers(min_value=1, max_value=255))
def test_a_flipped_message_byte_under_a_recomputed_crc_decodes_or_is_rejected(at: int, mask: int) -> None:
    data = bytearray(WHOLE[:-2])
    data[at] ^= mask
    data += struct.pack("<H", fit_crc(bytes(data)))
    decodes_or_is_rejected(bytes(data))
