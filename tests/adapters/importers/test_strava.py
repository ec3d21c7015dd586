"""Strava's activities.csv: columns found by name and occurrence in every known layout, units
right, one summary or one Rejection per row; and every real export in the shared corpus.

The committed CSVs are synthetic (tests/fixtures/activities/strava/PROVENANCE.md): real header
layouts, invented rows.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from ironmile.adapters.importers.strava import (
    StravaTable,
    clean_header,
    decode_text,
    parse_date,
    parse_number,
    read_activities_csv,
    sport_of,
    strava_fingerprint,
)
from ironmile.domain.activity import Sport
from tests.corpus import FIXTURES, CorpusFile, corpus

STRAVA = FIXTURES / "strava"
ENGLISH = STRAVA / "synthetic-english-2025__activities.csv"


def read(name: str) -> StravaTable:
    return read_activities_csv((STRAVA / name).read_bytes(), f"export.zip!{name}")


def table_of(text: str) -> StravaTable:
    return read_activities_csv(text.encode(), "activities.csv")


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(decode_text(data), newline="")))


# ------------------------------------------------------------------------------------------------
# The committed layouts
# ------------------------------------------------------------------------------------------------


def test_english_2025_row_maps_every_field_in_si_units() -> None:
    table = read(ENGLISH.name)
    first = table.rows[0]
    assert first.row == 2
    assert first.filename == "activities/1001.fit.gz"
    run = first.summary
    assert run.start == datetime(2024, 3, 3, 6, 5, 10, tzinfo=UTC)
    assert run.sport is Sport.RUNNING
    assert run.distance_m == pytest.approx(8049.2998046875)  # the second Distance (metres), not 8.04
    assert (run.moving_s, run.elapsed_s) == (2690.0, 2710.0)
    assert run.elevation_gain_m == 41.5
    assert (run.avg_heart_rate_bpm, run.max_heart_rate_bpm) == (148.3, 171.0)  # first Max Heart Rate
    assert run.perceived_exertion == 6.0
    assert run.source == "export.zip!synthetic-english-2025__activities.csv row 2"
    assert run.fingerprint == strava_fingerprint("9001")
    assert len(run.fingerprint) == 32


def test_english_2025_rows_give_summaries_and_one_rejection() -> None:
    table = read(ENGLISH.name)
    assert [row.row for row in table.rows] == [2, 3, 4, 5, 7, 8, 9]
    assert [row.summary.sport for row in table.rows] == [
        Sport.RUNNING,
        Sport.RUNNING,
        Sport.STRENGTH,
        Sport.CYCLING,
        Sport.RUNNING,
        Sport.RUNNING,
        Sport.RUNNING,
    ]
    manual = table.rows[2]
    assert (manual.filename, manual.summary.perceived_exertion) == ("", 7.0)
    [bad] = table.rejected
    assert bad.source == "export.zip!synthetic-english-2025__activities.csv row 6"
    assert bad.reason.startswith("column 'Activity Date': 'Someday' is not a date we read")


def test_pre_2019_layout_has_metres_and_iso_dates() -> None:
    table = read("synthetic-pre-2019__activities.csv")
    ride = table.rows[0].summary
    assert ride.start == datetime(2018, 9, 12, 15, 2, 23, tzinfo=UTC)
    assert (ride.sport, ride.distance_m, ride.elapsed_s) == (Sport.CYCLING, 3681.0, 783.0)
    assert table.rows[2].summary.sport is Sport.STRENGTH  # "Workout"
    assert not table.rejected


def test_german_layout_with_day_first_dates_and_decimal_commas() -> None:
    table = read("synthetic-german__activities.csv")
    run = table.rows[0].summary
    assert run.start == datetime(2022, 12, 9, 15, 24, 49, tzinfo=UTC)
    assert run.distance_m == 9448.7  # the second Distanz, not "9,44"
    assert (run.moving_s, run.elapsed_s, run.avg_heart_rate_bpm, run.perceived_exertion) == (
        3100.0,
        3189.0,
        151.0,
        5.0,
    )
    assert [row.summary.sport for row in table.rows] == [Sport.RUNNING, Sport.CYCLING, Sport.STRENGTH]
    assert table.rows[0].filename == "activities/7001.fit.gz"
    assert not table.rejected


def test_header_with_raw_html_is_matched_after_stripping_tags() -> None:
    table = read("synthetic-html-header__activities.csv")
    assert [row.summary.sport for row in table.rows] == [Sport.RUNNING, Sport.RUNNING, Sport.SWIMMING]
    assert table.rows[2].summary.max_heart_rate_bpm == 125.0
    assert not table.rejected
    html_column = (
        '<span class="translation_missing" title="translation missing: en-US.lib.export.'
        'portability_exporter.activities.horton_values.moving_time">Moving Time</span>'
    )
    text = f'Activity ID,Activity Date,{html_column}\n1,"May 29, 2022, 3:53:35 PM",1411.0\n'
    assert table_of(text).rows[0].summary.moving_s == 1411.0


def test_french_and_spanish_headers_are_read() -> None:
    french = (
        "ID de l'activité,Date de l'activité,Type d'activité,Temps écoulé,Distance,Nom du fichier,"
        "Temps écoulé,Durée de déplacement,Distance,Dénivelé positif\n"
        '11,"Jan 2, 2024, 8:00:00 AM",Course à pied,1341,"4,03",activities/11.gpx,1341.0,1322.0,4030.5,5.9\n'
    )
    spanish = (
        "ID de actividad,Fecha de la actividad,Tipo de actividad,Tiempo transcurrido,Distancia,"
        "Nombre del archivo,Tiempo transcurrido,Tiempo en movimiento,Distancia,Esfuerzo Percibido\n"
        "12,02/01/2024 08:00:00,Entrenamiento con pesas,1800,0,activities/12.fit.gz,1800.0,1750.0,0.0,6\n"
    )
    run = table_of(french).rows[0]
    assert (run.summary.sport, run.summary.distance_m, run.summary.moving_s) == (
        Sport.RUNNING,
        4030.5,
        1322.0,
    )
    assert (run.summary.elevation_gain_m, run.filename) == (5.9, "activities/11.gpx")
    gym = table_of(spanish).rows[0].summary
    assert (gym.sport, gym.start, gym.perceived_exertion) == (
        Sport.STRENGTH,
        datetime(2024, 1, 2, 8, tzinfo=UTC),
        6.0,
    )


# ------------------------------------------------------------------------------------------------
# Never depending on column positions or counts
# ------------------------------------------------------------------------------------------------


def _rewrite(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def test_column_order_and_extra_columns_do_not_matter() -> None:
    rows = rows_of(ENGLISH.read_bytes())
    # Reverse the columns but keep each duplicated name's occurrences in their order (first Distance
    # stays the display one), and add the five columns of the 2025 (99-column) layout.
    order = sorted(range(len(rows[0])), key=lambda i: -i if rows[0].count(rows[0][i]) == 1 else i)
    extra = ["Recovery", "With Pet", "Competition", "Long Run", "For a Cause"]
    shuffled = [[row[i] for i in order] + ["", "", "", "", ""] for row in rows]
    shuffled[0][-5:] = extra
    original = read_activities_csv(ENGLISH.read_bytes(), "t")
    changed = read_activities_csv(_rewrite(shuffled), "t")
    assert changed == original


def test_the_later_type_column_is_not_the_activity_type() -> None:
    text = 'Activity ID,Activity Date,Activity Type,Type\n1,"May 29, 2022, 3:53:35 PM",,Run\n'
    assert table_of(text).rows[0].summary.sport is Sport.OTHER


def test_a_single_distance_in_display_units_gives_no_distance() -> None:
    # Mid-2019 layout: one Distance, in km or miles; the two cannot be told apart.
    text = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
        "Distance,Commute,Activity Gear,Filename\n"
        '1836776031,"Sep 12, 2018, 3:02:23 PM",Evening Ride,Ride,,783,3.68,true,Merida,'
        "activities/1836776031.gpx\n"
    )
    ride = table_of(text).rows[0].summary
    assert (ride.distance_m, ride.elapsed_s, ride.sport) == (None, 783.0, Sport.CYCLING)


def test_a_table_without_id_or_date_columns_is_rejected_whole() -> None:
    table = table_of("Name,Type\nMorning Run,Run\n")
    assert table.rows == ()
    [problem] = table.rejected
    assert problem.source == "activities.csv"
    assert problem.reason.startswith(
        "not a Strava activities.csv: no 'Activity ID' or 'Activity Date' column"
    )


@pytest.mark.parametrize(
    ("column", "cell", "reason"),
    [
        ("Perceived Exertion", "11", "'11' is outside the 1–10 scale"),
        ("Moving Time", "fast", "could not convert string to float: 'fast'"),
        ("Elevation Gain", "-5", "'-5' is not a non-negative number"),
    ],
)
def test_a_bad_cell_rejects_its_row_naming_row_and_column(column: str, cell: str, reason: str) -> None:
    rows = [
        f"Activity ID,Activity Date,{column}",
        '1,"May 29, 2022, 3:53:35 PM",',
        f'2,"May 30, 2022, 1:00:00 PM",{cell}',
    ]
    text = "\n".join(rows) + "\n"
    table = table_of(text)
    assert [row.row for row in table.rows] == [2]
    [problem] = table.rejected
    assert (problem.source, problem.reason) == ("activities.csv row 3", f"column {column!r}: {reason}")


def test_an_empty_activity_id_rejects_the_row() -> None:
    table = table_of('Activity ID,Activity Date\n,"May 29, 2022, 3:53:35 PM"\n')
    assert table.rejected[0].reason == "column 'Activity ID': the activity id is empty"


def test_a_file_resaved_as_windows_1252_still_reads() -> None:
    text = (
        'Activity ID,Activity Date,Activity Name,Activity Type\n1,"May 29, 2022, 3:53:35 PM",Café run,Run\n'
    )
    table = read_activities_csv(text.encode("cp1252"), "activities.csv")
    assert table.rows[0].summary.sport is Sport.RUNNING


# ------------------------------------------------------------------------------------------------
# Cells
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 29, 2022, 3:53:35 PM", datetime(2022, 5, 29, 15, 53, 35, tzinfo=UTC)),
        ("Oct 6, 2022, 12:19:20 AM", datetime(2022, 10, 6, 0, 19, 20, tzinfo=UTC)),
        ("Sep 12, 2018, 12:02:23 PM", datetime(2018, 9, 12, 12, 2, 23, tzinfo=UTC)),
        ("2018-09-12 15:02:23", datetime(2018, 9, 12, 15, 2, 23, tzinfo=UTC)),
        ("09.12.2022, 15:24:49", datetime(2022, 12, 9, 15, 24, 49, tzinfo=UTC)),
        ("9/12/2022 07:00:00", datetime(2022, 12, 9, 7, 0, 0, tzinfo=UTC)),
    ],
)
def test_dates_are_read_as_utc(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["Someday", "Mai 29, 2022, 3:53:35 PM", "31.02.2022, 10:00:00", ""])
def test_unreadable_dates_raise_naming_the_formats(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a (valid date|date we read)"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "value"), [("", None), ("3322.949951171875", 3322.949951171875), ("9,44", 9.44)]
)
def test_numbers(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("activity_type", "sport"),
    [
        ("Run", Sport.RUNNING),
        ("Trail Run", Sport.RUNNING),
        ("Virtual Run", Sport.RUNNING),
        ("Ride", Sport.CYCLING),
        ("Virtual Ride", Sport.CYCLING),
        ("E-Bike Ride", Sport.CYCLING),
        ("Gravel Ride", Sport.CYCLING),
        ("Mountain Bike Ride", Sport.CYCLING),
        ("Swim", Sport.SWIMMING),
        ("Walk", Sport.WALKING),
        ("Hike", Sport.HIKING),
        ("Weight Training", Sport.STRENGTH),
        ("Workout", Sport.STRENGTH),
        ("Crossfit", Sport.STRENGTH),
        ("Rowing", Sport.ROWING),
        ("Alpine Ski", Sport.SKIING),
        ("Nordic Ski", Sport.SKIING),
        ("Backcountry Ski", Sport.SKIING),
        ("Yoga", Sport.OTHER),
        ("Surfing", Sport.OTHER),
        ("High Intensity Interval Training", Sport.STRENGTH),
        ("Pilates", Sport.OTHER),
        ("", Sport.OTHER),
        ("Lauf", Sport.RUNNING),
        ("Radfahrt", Sport.CYCLING),
        ("Krafttraining", Sport.STRENGTH),
        ("Skilanglauf", Sport.SKIING),
        ("Wanderung", Sport.HIKING),
        ("Course à pied", Sport.RUNNING),
        ("Vélo", Sport.CYCLING),
        ("Carrera", Sport.RUNNING),
        ("Entrenamiento con pesas", Sport.STRENGTH),
    ],
)
def test_activity_types_map_to_sports(activity_type: str, sport: Sport) -> None:
    assert sport_of(activity_type) is sport


def test_clean_header_strips_tags_entities_and_bom() -> None:
    assert (
        clean_header('\ufeff<span class="translation_missing" title="t">Start&nbsp;Time</span> ')
        == "Start Time"
    )


# ------------------------------------------------------------------------------------------------
# Every real and committed activities.csv
# ------------------------------------------------------------------------------------------------


def _distance_columns(header: list[str]) -> list[int]:
    names = [clean_header(cell).casefold() for cell in header]
    return [i for i, name in enumerate(names) if name in ("distance", "distanz", "distancia")]


@pytest.mark.parametrize("file", corpus("strava"), ids=lambda file: file.id)
def test_every_row_of_every_export_becomes_a_summary_or_a_rejection(file: CorpusFile) -> None:
    data = file.path.read_bytes()
    rows = rows_of(data)
    table = read_activities_csv(data, file.id)
    data_rows = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    assert len(table.rows) + len(table.rejected) == len(data_rows), file.facts
    assert all(problem.source.startswith(f"{file.id} row ") for problem in table.rejected)

    distances = _distance_columns(rows[0])
    by_row = {row.row: row.summary for row in table.rows}
    if len(distances) == 1:  # the pre-2019 layout: metres
        for number, summary in by_row.items():
            assert summary.distance_m == float(rows[number - 1][distances[0]])
        return
    # The first Distance shows the athlete's unit (km or miles), truncated to two decimals; the second,
    # which we import, is metres. One unit must explain every row of a file.
    pairs = [
        (parse_number(rows[number - 1][distances[0]]), summary.distance_m)
        for number, summary in by_row.items()
        if summary.distance_m is not None
    ]
    assert pairs, file.facts
    units = [
        metres_per
        for metres_per in (1000.0, 1609.344)
        if all(
            shown is not None and abs(shown * metres_per - metres) <= 0.0101 * metres_per
            for shown, metres in pairs
        )
    ]
    assert units, f"{file.id}: the second Distance is not the first one in metres ({file.facts})"


def test_a_csv_that_breaks_midway_keeps_the_rows_before_and_says_where() -> None:
    # csv refuses a cell past 131,072 characters (a damaged file); nothing after it can be trusted.
    lines = ["Activity ID,Activity Date,Activity Description", '1,"May 29, 2022, 3:53:35 PM",fine']
    lines += [f'2,"May 30, 2022, 3:53:35 PM",{"x" * 200_000}', '3,"May 31, 2022, 1:00:00 PM",']
    table = table_of("\n".join(lines) + "\n")
    assert [row.row for row in table.rows] == [2]
    [problem] = table.rejected
    assert (problem.source, problem.reason) == (
        "activities.csv row 3",
        "unreadable CSV from here on: field larger than field limit (131072)",
    )
