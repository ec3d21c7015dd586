"""The few parts of the FIT profile the importer reads: message and field numbers, base types, enums.

Numbers are those of the Garmin FIT SDK profile (21.x); the full profile has ~100 messages and
thousands of fields, of which an import of training history needs a dozen. Every other message is
skipped by its size. These names stay inside the FIT importer modules.
"""

from __future__ import annotations

from typing import NamedTuple

# FIT times are seconds since 1989-12-31 00:00:00 UTC. Values below 0x10000000 (~8.5 years) are
# "system time": seconds since the device was switched on, not a date (older Garmin watches).
FIT_EPOCH_UNIX_S = 631_065_600
FIRST_ABSOLUTE_TIME = 0x10000000

TIMESTAMP_FIELD = 253  # the `timestamp` field number, the same in every message

FILE_ID = 0
SPORT = 12
SESSION = 18
RECORD = 20
ACTIVITY = 34


class Wanted(NamedTuple):
    name: str
    scale: int  # stored value / scale = value in the unit of the name (m, s, bpm)


# The fields read from each summary message, by field number; names are ours, units SI.
SUMMARY_FIELDS: dict[int, dict[int, Wanted]] = {
    FILE_ID: {0: Wanted("file_type", 1)},
    SPORT: {0: Wanted("sport", 1), 1: Wanted("sub_sport", 1)},
    SESSION: {
        TIMESTAMP_FIELD: Wanted("end_time", 1),
        2: Wanted("start_time", 1),
        5: Wanted("sport", 1),
        6: Wanted("sub_sport", 1),
        7: Wanted("total_elapsed_s", 1000),
        8: Wanted("total_timer_s", 1000),
        9: Wanted("total_distance_m", 100),
        16: Wanted("avg_heart_rate_bpm", 1),
        17: Wanted("max_heart_rate_bpm", 1),
        22: Wanted("total_ascent_m", 1),
    },
    ACTIVITY: {TIMESTAMP_FIELD: Wanted("time", 1), 5: Wanted("local_time", 1)},
}

# The fields read from every `record` (one sample, usually each second).
RECORD_TIME_FIELD = TIMESTAMP_FIELD
RECORD_DISTANCE_FIELD = 5  # uint32, scale 100: metres from the start
RECORD_HEART_RATE_FIELD = 3  # uint8, beats/min
RECORD_DISTANCE_SCALE = 100


class BaseType(NamedTuple):
    struct_code: str  # the `struct` format character of one value
    size: int  # bytes per value
    invalid: int  # the stored value that means "no value"


# Integer base types by their byte in a definition message. Strings, bytes and floats are absent on
# purpose: none of the fields we read may use them, so meeting one means the file needs fitdecode.
INTEGER_BASE_TYPES: dict[int, BaseType] = {
    0x00: BaseType("B", 1, 0xFF),  # enum
    0x01: BaseType("b", 1, 0x7F),  # sint8
    0x02: BaseType("B", 1, 0xFF),  # uint8
    0x83: BaseType("h", 2, 0x7FFF),  # sint16
    0x84: BaseType("H", 2, 0xFFFF),  # uint16
    0x85: BaseType("i", 4, 0x7FFFFFFF),  # sint32
    0x86: BaseType("I", 4, 0xFFFFFFFF),  # uint32
    0x0A: BaseType("B", 1, 0x00),  # uint8z
    0x8B: BaseType("H", 2, 0x0000),  # uint16z
    0x8C: BaseType("I", 4, 0x00000000),  # uint32z
    0x8E: BaseType("q", 8, 0x7FFFFFFFFFFFFFFF),  # sint64
    0x8F: BaseType("Q", 8, 0xFFFFFFFFFFFFFFFF),  # uint64
    0x90: BaseType("Q", 8, 0),  # uint64z
}

ACTIVITY_FILE = 4
FILE_TYPES = {
    1: "device",
    2: "settings",
    3: "sport settings",
    4: "activity",
    5: "workout",
    6: "course",
    7: "schedules",
    9: "weight",
    10: "totals",
    11: "goals",
    14: "blood pressure",
    15: "monitoring",
    20: "activity summary",
    28: "daily monitoring",
    32: "monitoring",
    34: "segment",
    35: "segment list",
    40: "data field configuration",
}


def file_type_name(file_type: int) -> str:
    return FILE_TYPES.get(file_type, f"type {file_type}")


class SportNumber:
    """`sport` enum values that decide how an activity counts."""

    RUNNING = 1
    CYCLING = 2
    FITNESS_EQUIPMENT = 4
    SWIMMING = 5
    TRAINING = 10
    WALKING = 11
    CROSS_COUNTRY_SKIING = 12
    ALPINE_SKIING = 13
    ROWING = 15
    HIKING = 17
    E_BIKING = 21


class SubSportNumber:
    """`sub_sport` enum values that decide how an activity on a machine or in a gym counts."""

    TREADMILL = 1
    SPIN = 5
    INDOOR_CYCLING = 6
    INDOOR_ROWING = 14
    FLEXIBILITY_TRAINING = 19
    STRENGTH_TRAINING = 20
    INDOOR_SKIING = 25
    INDOOR_WALKING = 27
    YOGA = 43
    PILATES = 44
    INDOOR_RUNNING = 45
    BREATHING = 62
