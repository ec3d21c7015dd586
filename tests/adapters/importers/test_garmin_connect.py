"""Garmin Connect's summarizedActivities JSON: units converted to SI, the local offset recovered,
one summary or one Rejection per entry. The entries are made up, in the export's shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from ironmile.adapters.importers.garmin_connect import (
    GarminTable,
    garmin_fingerprint,
    read_summarized_activities,
    sport_of,
)
from ironmile.domain.activity import Sport

SOURCE = "export.zip!DI_CONNECT/DI-Connect-Fitness/runner_0_summarizedActivities.json"
BEGIN_MS = 1_717_225_200_000  # 2024-06-01 07:00:00 UTC


def entry(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "activityId": 15000000001,
        "name": "Morning Run",
        "activityType": "running",
        "sportType": "RUNNING",
        "beginTimestamp": BEGIN_MS,
        "startTimeGmt": BEGIN_MS,
        "startTimeLocal": BEGIN_MS + 2 * 3600 * 1000,  # Central European Summer Time
        "distance": 1002150.0,  # cm
        "duration": 3117000.0,  # ms, timer
        "movingDuration": 3090000.0,
        "elapsedDuration": 3300000.0,
        "elevationGain": 8500.0,  # cm
        "avgHr": 152.0,
        "maxHr": 178.0,
    }
    base.update(fields)
    return base


def table(*entries: object) -> GarminTable:
    return read_summarized_activities(
        json.dumps([{"summarizedActivitiesExport": list(entries)}]).encode(), SOURCE
    )


def test_an_entry_becomes_a_summary_in_si_units_with_its_local_offset() -> None:
    [run] = table(entry()).summaries
    assert run.start == datetime(2024, 6, 1, 7, tzinfo=UTC)
    assert run.start.utcoffset() == timedelta(hours=2)
    assert run.sport is Sport.RUNNING
    assert run.distance_m == pytest.approx(10021.5)
    assert (run.moving_s, run.elapsed_s) == (3117.0, 3300.0)  # moving = timer time, as a FIT session's
    assert run.elevation_gain_m == 85.0
    assert (run.avg_heart_rate_bpm, run.max_heart_rate_bpm) == (152.0, 178.0)
    assert run.source == f"{SOURCE} entry 1"
    assert run.fingerprint == garmin_fingerprint("15000000001")
    assert len(run.fingerprint) == 32


def test_the_offset_is_rounded_to_a_quarter_hour() -> None:
    # Nepal (+05:45); the two stamps of a real entry can differ by milliseconds.
    [run] = table(entry(startTimeLocal=BEGIN_MS + (5 * 60 + 45) * 60 * 1000 + 417)).summaries
    assert run.start.utcoffset() == timedelta(hours=5, minutes=45)
    [west] = table(entry(startTimeLocal=BEGIN_MS - 7 * 3600 * 1000 - 299)).summaries
    assert west.start.tzinfo == timezone(timedelta(hours=-7))


def test_without_a_local_time_the_start_is_utc_and_start_time_gmt_is_enough() -> None:
    [run] = table(entry(startTimeLocal=None, beginTimestamp=None)).summaries
    assert run.start == datetime(2024, 6, 1, 7, tzinfo=UTC)
    assert run.start.utcoffset() == timedelta(0)


def test_moving_duration_stands_in_when_the_timer_time_is_missing() -> None:
    [run] = table(entry(duration=None)).summaries
    assert run.moving_s == 3090.0


def test_missing_values_stay_missing() -> None:
    [gym] = table(
        entry(activityType="strength_training", distance=None, elevationGain=None, avgHr=None, maxHr=None)
    ).summaries
    assert gym.sport is Sport.STRENGTH
    assert (gym.distance_m, gym.elevation_gain_m, gym.avg_heart_rate_bpm) == (None, None, None)


@pytest.mark.parametrize(
    ("activity_type", "sport"),
    [
        ("running", Sport.RUNNING),
        ("trail_running", Sport.RUNNING),
        ("treadmill_running", Sport.RUNNING),
        ("track_running", Sport.RUNNING),
        ("indoor_running", Sport.RUNNING),
        ("virtual_run", Sport.RUNNING),
        ("road_biking", Sport.CYCLING),
        ("indoor_cycling", Sport.CYCLING),
        ("lap_swimming", Sport.SWIMMING),
        ("walking", Sport.WALKING),
        ("hiking", Sport.HIKING),
        ("strength_training", Sport.STRENGTH),
        ("indoor_rowing", Sport.ROWING),
        ("resort_skiing", Sport.SKIING),
        ("cross_country_skiing_ws", Sport.SKIING),
        ("yoga", Sport.OTHER),
        ({"typeKey": "trail_running", "typeId": 6}, Sport.RUNNING),
        (None, Sport.OTHER),
    ],
)
def test_activity_types_map_to_sports(activity_type: object, sport: Sport) -> None:
    assert sport_of(activity_type) is sport


def test_a_bad_entry_is_rejected_by_number_and_key_and_the_rest_go_on() -> None:
    result = table(
        entry(activityId=1), entry(activityId=2, distance="10 km"), entry(activityId=None), "x", entry()
    )
    assert [summary.source for summary in result.summaries] == [f"{SOURCE} entry 1", f"{SOURCE} entry 5"]
    assert [(problem.source, problem.reason) for problem in result.rejected] == [
        (f"{SOURCE} entry 2", "key 'distance': '10 km' is not a non-negative number"),
        (f"{SOURCE} entry 3", "key 'activityId': missing"),
        (f"{SOURCE} entry 4", "a str, not an object"),
    ]


def test_an_entry_without_any_start_time_is_rejected() -> None:
    result = table(entry(beginTimestamp=None, startTimeGmt=None))
    assert result.rejected[0].reason == "key 'beginTimestamp': missing, and no startTimeGmt either"


def test_an_impossible_offset_is_rejected() -> None:
    result = table(entry(startTimeLocal=BEGIN_MS + 20 * 3600 * 1000))
    assert result.rejected[0].reason.startswith("key 'startTimeLocal': 20:00:00 away from beginTimestamp")


def test_several_wrappers_in_one_file_are_numbered_on() -> None:
    data = json.dumps(
        [
            {"summarizedActivitiesExport": [entry(activityId=1)]},
            {"summarizedActivitiesExport": [entry(activityId=2)]},
        ]
    ).encode()
    result = read_summarized_activities(data, SOURCE)
    assert [s.fingerprint for s in result.summaries] == [garmin_fingerprint("1"), garmin_fingerprint("2")]
    assert result.summaries[1].source == f"{SOURCE} entry 2"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[{", "not a readable JSON file: "),
        (b'{"activities": []}', "not a Garmin summarizedActivities file: "),
        (b'[{"summarizedActivitiesExport": {}}]', "not a Garmin summarizedActivities file: "),
    ],
)
def test_a_file_of_another_shape_is_rejected_whole(data: bytes, reason: str) -> None:
    result = read_summarized_activities(data, SOURCE)
    assert result.summaries == ()
    [problem] = result.rejected
    assert problem.source == SOURCE
    assert problem.reason.startswith(reason)


def test_a_start_time_beyond_the_calendar_is_rejected() -> None:
    result = table(entry(beginTimestamp=1e20, startTimeLocal=None))
    assert result.rejected[0].reason.startswith("unusable start time: ")
