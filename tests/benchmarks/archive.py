"""Builds a heavy user's Strava export for the import benchmark: thousands of one-hour runs made
from real watch files, each shifted to its own day, gzipped, listed in an activities.csv.

Shifting a FIT file in time means rewriting every timestamp in it: the `timestamp` field (253) of
every message, and the few other absolute times an importer reads (file_id.time_created,
session/lap start_time, activity.local_timestamp), then the file CRC. Shifts are whole days, a
multiple of 32 s, so compressed-timestamp headers (the low five bits of a running timestamp)
stay valid.

    python -m tests.benchmarks.archive OUT_DIR --runs 3000 TEMPLATE.fit...
"""

from __future__ import annotations

import argparse
import csv
import gzip
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fastcrc

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
TIMESTAMP_FIELD = 253
# global message number -> other absolute-time fields (uint32 seconds since the FIT epoch)
TIME_FIELDS = {0: {4}, 18: {2}, 19: {2}, 34: {5}}
INVALID_UINT32 = 0xFFFFFFFF


def shift_fit(data: bytes, seconds: int) -> bytes:
    """The same FIT file with every absolute time moved by `seconds` (a multiple of 32)."""
    if seconds % 32:
        raise ValueError("shift by a multiple of 32 s to keep compressed timestamps valid")
    out = bytearray(data)
    header_size = out[0]
    end = header_size + struct.unpack_from("<I", out, 4)[0]
    definitions: dict[int, tuple[str, int, list[tuple[int, int, int]], int]] = {}
    position = header_size
    while position < end:
        header = out[position]
        position += 1
        if header & 0x80:  # compressed timestamp: a data message of local type bits 5–6
            local = (header >> 5) & 0x03
        elif header & 0x40:  # definition message
            local = header & 0x0F
            endian = ">" if out[position + 1] == 1 else "<"
            number = struct.unpack_from(endian + "H", out, position + 2)[0]
            count = out[position + 4]
            position += 5
            fields = []
            offset = 0
            for _ in range(count):
                field, size = out[position], out[position + 1]
                fields.append((field, offset, size))
                offset += size
                position += 3
            dev_size = 0
            if header & 0x20:
                dev_count = out[position]
                position += 1
                for _ in range(dev_count):
                    dev_size += out[position + 1]
                    position += 3
            definitions[local] = (endian, number, fields, offset + dev_size)
            continue
        else:
            local = header & 0x0F
        endian, number, fields, size = definitions[local]
        wanted = TIME_FIELDS.get(number, set()) | {TIMESTAMP_FIELD}
        for field, offset, field_size in fields:
            if field in wanted and field_size == 4:
                value = struct.unpack_from(endian + "I", out, position + offset)[0]
                if value != INVALID_UINT32:
                    struct.pack_into(endian + "I", out, position + offset, value + seconds)
        position += size
    struct.pack_into("<H", out, end, fastcrc.crc16.arc(bytes(out[:end])))
    return bytes(out[: end + 2])


def build_export(out: Path, templates: list[Path], runs: int, *, first_day: datetime) -> Path:
    """A Strava-style export folder: activities.csv + activities/<id>.fit.gz, one run a day."""
    folder = out / "activities"
    folder.mkdir(parents=True, exist_ok=True)
    sources = [path.read_bytes() for path in templates]
    rows = []
    for number in range(runs):
        template = sources[number % len(sources)]
        shifted = shift_fit(template, _days_between_template_and(template, first_day) + number * 86400)
        activity_id = 10_000_000_000 + number
        name = f"activities/{activity_id + 7}.fit.gz"  # Strava's file names differ from the ids
        (out / name).write_bytes(gzip.compress(shifted, compresslevel=6, mtime=0))
        day = first_day + timedelta(days=number)
        rows.append([str(activity_id), day.strftime("%b %d, %Y, %I:%M:%S %p"), f"Run {number}", "Run", name])
    with (out / "activities.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Filename"])
        writer.writerows(rows)
    return out


def _days_between_template_and(template: bytes, first_day: datetime) -> int:
    """Whole days that move the template's first timestamp onto `first_day`'s date."""
    started = _first_timestamp(template)
    return (first_day.date() - started.date()).days * 86400


def _first_timestamp(data: bytes) -> datetime:
    header_size = data[0]
    end = header_size + struct.unpack_from("<I", data, 4)[0]
    position = header_size
    definitions: dict[int, tuple[str, list[tuple[int, int, int]], int]] = {}
    while position < end:
        header = data[position]
        position += 1
        if header & 0x40 and not header & 0x80:
            local = header & 0x0F
            endian = ">" if data[position + 1] == 1 else "<"
            count = data[position + 4]
            position += 5
            fields, offset = [], 0
            for _ in range(count):
                fields.append((data[position], offset, data[position + 1]))
                offset += data[position + 1]
                position += 3
            if header & 0x20:
                dev_count = data[position]
                position += 1
                offset += sum(data[position + 3 * i + 1] for i in range(dev_count))
                position += 3 * dev_count
            definitions[local] = (endian, fields, offset)
            continue
        local = (header >> 5) & 0x03 if header & 0x80 else header & 0x0F
        endian, fields, size = definitions[local]
        for field, offset, field_size in fields:
            if field == TIMESTAMP_FIELD and field_size == 4:
                value = struct.unpack_from(endian + "I", data, position + offset)[0]
                return FIT_EPOCH + timedelta(seconds=value)
        position += size
    raise ValueError("no timestamp in the template")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("templates", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=3000)
    arguments = parser.parse_args()
    build_export(
        arguments.out, arguments.templates, arguments.runs, first_day=datetime(2017, 1, 2, tzinfo=UTC)
    )


if __name__ == "__main__":
    main()


def build_weekly_export(
    out_zip: Path, schedule: dict[int, Path], *, weeks: int, first_monday: datetime
) -> Path:
    """A zipped Strava-style export of `weeks` identical weeks: on each weekday of `schedule`
    (Monday = 0) the run recorded in its template, moved to that day at the template's own time.
    This is how examples/strava-export.zip is made."""
    import zipfile

    rows = []
    with zipfile.ZipFile(out_zip, "w", zipfile.ZIP_STORED) as archive:
        for week in range(weeks):
            for weekday, template in sorted(schedule.items()):
                data = template.read_bytes()
                day = first_monday + timedelta(weeks=week, days=weekday)
                shifted = shift_fit(data, _days_between_template_and(data, day))
                activity_id = int(f"{day:%Y%m%d}{weekday}")
                name = f"activities/{activity_id + 1}.fit.gz"
                info = zipfile.ZipInfo(name, date_time=(2026, 11, 30, 0, 0, 0))
                archive.writestr(info, gzip.compress(shifted, compresslevel=9, mtime=0))
                started = _first_timestamp(shifted)
                rows.append(
                    [str(activity_id), started.strftime("%b %d, %Y, %I:%M:%S %p"), "Run", "Run", name]
                )
        lines = ["Activity ID,Activity Date,Activity Name,Activity Type,Filename"]
        lines += [",".join(f'"{cell}"' if "," in cell else cell for cell in row) for row in rows]
        csv_info = zipfile.ZipInfo("activities.csv", date_time=(2026, 11, 30, 0, 0, 0))
        archive.writestr(csv_info, "\n".join(lines) + "\n")
    return out_zip
