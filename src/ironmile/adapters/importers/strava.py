"""Strava's bulk-export table, `activities.csv`: one summary `Activity` per row.

Strava keeps changing this file (87, 88, 92, 94, 99, 101 columns seen; translated headers; raw
HTML in some header cells), so nothing here depends on the column count or position. Columns are
looked up by name *and occurrence*, because several names appear twice with different meanings:

- `Distance`: the first is in the athlete's display unit (km or miles, two decimals, truncated),
  the second in metres at full precision. We use the second. The pre-2019 snake_case layout
  (`id,date,name,type,description,elapsed_time,distance,commute,gear,filename`) has one `distance`,
  in metres. A layout with a single `Distance` in display units (mid-2019) gives no distance,
  since km and miles cannot be told apart.
- `Elapsed Time`, `Max Heart Rate`: both occurrences mean the same (seconds; beats/min), but
  either may be empty, so the first non-empty one is used.

Dates are UTC: `May 29, 2022, 3:53:35 PM` (English), `2018-09-12 15:02:23` (pre-2019) and
day-first numeric dates in translated exports (`09.12.2022, 15:24:49`, German).

Translated headers. German: martin-ueding/geo-activity-playground,
`src/geo_activity_playground/features/strava_checkout/strava-csv-mapping.json` (commit a2536321),
and the real German header and row quoted in that project's issues #86, #191 and #393 (day-first
dates; `9,44` with a decimal comma in the first `Distanz`, dots in the metric columns). French and
Spanish: header rows quoted in the test fixtures of two public Strava-export readers found by
code search (`ID de l'activité`, `Nom du fichier`, `Durée de déplacement`, `Dénivelé positif`;
`ID de actividad`, `Fecha de la actividad`, `Nombre del archivo`, `Tiempo en movimiento`,
`Esfuerzo Percibido`); not yet checked against an export of our own.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from ironmile.adapters.importers.archive import Rejection
from ironmile.domain.activity import Activity, Sport

# Every translation we know, case-folded, of each column we read -> its English name.
_HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "Activity ID": ("activity id", "id", "aktivitäts-id", "id de l'activité", "id de actividad"),
    "Activity Date": (
        "activity date",
        "date",
        "aktivitätsdatum",
        "date de l'activité",
        "fecha de la actividad",
    ),
    "Activity Type": ("activity type", "type", "aktivitätsart", "type d'activité", "tipo de actividad"),
    "Elapsed Time": (
        "elapsed time",
        "elapsed_time",
        "verstrichene zeit",
        "temps écoulé",
        "tiempo transcurrido",
    ),
    "Moving Time": ("moving time", "bewegungszeit", "durée de déplacement", "tiempo en movimiento"),
    "Distance": ("distance", "distanz", "distancia"),
    "Elevation Gain": ("elevation gain", "höhenzunahme", "dénivelé positif", "desnivel positivo"),
    "Max Heart Rate": ("max heart rate", "max. herzfrequenz", "fréquence cardiaque max."),
    "Average Heart Rate": ("average heart rate", "durchschnittliche herzfrequenz"),
    "Perceived Exertion": ("perceived exertion", "gefühlte anstrengung", "esfuerzo percibido"),
    "Filename": ("filename", "dateiname", "nom du fichier", "nombre del archivo"),
}
_ENGLISH_NAME = {alias: name for name, aliases in _HEADER_NAMES.items() for alias in aliases}
_PRE_2019_MARK = "elapsed_time"  # only the snake_case layout has it; its one `distance` is metres
# Names that mean our column only in the pre-2019 layout: later layouts have an unrelated `Type`.
_PRE_2019_ONLY = frozenset({"id", "date", "type"})

# Strava's sport types (API spelling, case-folded; the CSV writes them spaced: "Trail Run").
_SPORT_KEYS: dict[Sport, tuple[str, ...]] = {
    Sport.RUNNING: ("run", "trailrun", "virtualrun"),
    Sport.CYCLING: (
        *("ride", "virtualride", "ebikeride", "emountainbikeride", "gravelride", "mountainbikeride"),
        *("velomobile", "handcycle"),
    ),
    Sport.SWIMMING: ("swim",),
    Sport.WALKING: ("walk",),
    Sport.HIKING: ("hike",),
    Sport.STRENGTH: ("weighttraining", "workout", "crossfit", "highintensityintervaltraining"),
    Sport.ROWING: ("rowing", "virtualrow"),
    Sport.SKIING: ("alpineski", "nordicski", "backcountryski", "rollerski"),
}
_SPORTS = {key: sport for sport, keys in _SPORT_KEYS.items() for key in keys}
# Translated sport names by stem, for names the English table does not hold, checked in this order
# ("Skilanglauf" is skiing, not a run). English stems are left out on purpose: "run" is inside
# "Wanderung" (a hike), and the English names are all in the table above.
_SPORT_STEMS: tuple[tuple[tuple[str, ...], Sport], ...] = (
    (("ski", "langlauf"), Sport.SKIING),
    (("wander", "randonn", "senderis", "escursion"), Sport.HIKING),
    (("lauf", "courseàpied", "carrera", "corsa", "corrida", "trail"), Sport.RUNNING),
    (("rad", "bike", "vélo", "velo", "cicl", "bici"), Sport.CYCLING),
    (("schwimm", "natation", "nata", "nuoto"), Sport.SWIMMING),
    (("spazier", "gehen", "marche", "camina", "cammin"), Sport.WALKING),
    (("kraft", "training", "musculation", "entraîn", "entren", "pesas"), Sport.STRENGTH),
    (("ruder", "aviron", "remo"), Sport.ROWING),
)

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ENGLISH_DATE = re.compile(
    r"(?P<mon>[A-Za-z]{3})[a-z]*\.? (?P<d>\d{1,2}), (?P<y>\d{4}),? (?P<H>\d{1,2}):(?P<M>\d{2}):(?P<S>\d{2})"
    r" ?(?P<ampm>[AaPp][Mm])"
)
_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})[ T](?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})")
_DAY_FIRST_DATE = re.compile(
    r"(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4}),? (?P<H>\d{1,2}):(?P<M>\d{2}):(?P<S>\d{2})"
)
_TAG = re.compile(r"<[^>]*>")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class StravaRow:
    row: int  # the row's number as a spreadsheet shows it (the header is row 1)
    filename: str  # the `Filename` cell, '/'-separated (`activities/123.fit.gz`); '' for manual entries
    summary: Activity


@dataclass(frozen=True, slots=True)
class StravaTable:
    rows: tuple[StravaRow, ...]
    rejected: tuple[Rejection, ...]


class _BadCell(Exception):
    def __init__(self, column: str, reason: str) -> None:
        self.column, self.reason = column, reason
        super().__init__(reason)


def clean_header(cell: str) -> str:
    """A header cell as shown to people: HTML tags (`<span class="translation_missing" …>Type</span>`)
    and entities removed, BOM and extra spaces dropped."""
    return " ".join(html.unescape(_TAG.sub("", cell)).replace("\ufeff", "").split())


def strava_fingerprint(activity_id: str) -> str:
    return hashlib.sha256(f"strava:{activity_id}".encode()).hexdigest()[:32]


def sport_of(activity_type: str) -> Sport:
    """Strava's `Activity Type` (English or translated) as a Sport; OTHER when unknown."""
    key = re.sub(r"[\s\-_'’]", "", activity_type.casefold())
    if key in _SPORTS:
        return _SPORTS[key]
    for stems, sport in _SPORT_STEMS:
        if any(stem in key for stem in stems):
            return sport
    return Sport.OTHER


def parse_date(text: str) -> datetime:
    """An `Activity Date` cell as an aware UTC datetime; ValueError names the formats we read."""
    text = text.strip()
    match = _ENGLISH_DATE.fullmatch(text)
    if match and match["mon"].lower() in _MONTHS:
        month = _MONTHS.index(match["mon"].lower()) + 1
        hour = int(match["H"]) % 12 + (12 if match["ampm"].lower() == "pm" else 0)
        fields = (int(match["y"]), month, int(match["d"]), hour)
    elif match := _ISO_DATE.fullmatch(text) or _DAY_FIRST_DATE.fullmatch(text):
        fields = (int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"]))
    else:
        raise ValueError(
            f"{text!r} is not a date we read (expected e.g. 'May 29, 2022, 3:53:35 PM', "
            "'2018-09-12 15:02:23' or '29.05.2022, 15:53:35')"
        )
    year, month, day, hour = fields
    try:
        return datetime(year, month, day, hour, int(match["M"]), int(match["S"]), tzinfo=UTC)
    except ValueError as error:  # 31.02., 25:00…
        raise ValueError(f"{text!r} is not a valid date: {error}") from None


def parse_number(text: str) -> float | None:
    """A numeric cell: '' is None; a lone decimal comma (`9,44`, translated exports) is a point."""
    text = text.strip()
    if not text:
        return None
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{text!r} is not a non-negative number")
    return value


class _Layout:
    """Where each column we read sits in one file's header."""

    def __init__(self, header: Sequence[str]) -> None:
        self.names = [clean_header(cell) for cell in header]
        self.pre_2019 = any(name.casefold() == _PRE_2019_MARK for name in self.names)
        self.where: dict[str, list[int]] = {}
        for index, name in enumerate(self.names):
            key = name.casefold().replace("’", "'")
            english = _ENGLISH_NAME.get(key)
            if english and (self.pre_2019 or key not in _PRE_2019_ONLY):
                self.where.setdefault(english, []).append(index)

    def missing(self) -> list[str]:
        return [name for name in ("Activity ID", "Activity Date") if name not in self.where]

    def cell(self, cells: Sequence[str], english: str, occurrence: int | None = None) -> tuple[str, str]:
        """(column name as the file writes it, cell text): the given occurrence (0-based), or else
        the first non-empty one. Missing columns and short rows read as ''."""
        places = self.where.get(english, [])
        if occurrence is not None:
            places = places[occurrence : occurrence + 1]
        for index in places:
            if index < len(cells) and cells[index].strip():
                return self.names[index], cells[index]
        return (self.names[places[0]] if places else english), ""

    def metres_column(self) -> int | None:
        """Which `Distance` occurrence holds metres (see the module docstring)."""
        count = len(self.where.get("Distance", []))
        return 0 if self.pre_2019 and count == 1 else (1 if count >= 2 else None)


def _value(
    layout: _Layout,
    cells: Sequence[str],
    english: str,
    parse: Callable[[str], _T],
    occurrence: int | None = None,
) -> _T:
    column, text = layout.cell(cells, english, occurrence)
    try:
        return parse(text)
    except ValueError as error:
        raise _BadCell(column, str(error)) from None


def _exertion(text: str) -> float | None:
    value = parse_number(text)
    if value is not None and not 1 <= value <= 10:
        raise ValueError(f"{text!r} is outside the 1–10 scale")
    return value


def _row_activity(layout: _Layout, cells: Sequence[str], source: str) -> tuple[str, Activity]:
    column, activity_id = layout.cell(cells, "Activity ID")
    if not activity_id.strip():
        raise _BadCell(column, "the activity id is empty")
    metres = layout.metres_column()
    distance = None if metres is None else _value(layout, cells, "Distance", parse_number, metres)
    summary = Activity(
        start=_value(layout, cells, "Activity Date", parse_date),
        sport=sport_of(layout.cell(cells, "Activity Type")[1]),
        source=source,
        fingerprint=strava_fingerprint(activity_id.strip()),
        distance_m=distance,
        moving_s=_value(layout, cells, "Moving Time", parse_number),
        elapsed_s=_value(layout, cells, "Elapsed Time", parse_number),
        elevation_gain_m=_value(layout, cells, "Elevation Gain", parse_number),
        avg_heart_rate_bpm=_value(layout, cells, "Average Heart Rate", parse_number),
        max_heart_rate_bpm=_value(layout, cells, "Max Heart Rate", parse_number),
        perceived_exertion=_value(layout, cells, "Perceived Exertion", _exertion),
    )
    filename = layout.cell(cells, "Filename")[1].strip().replace("\\", "/").removeprefix("./")
    return filename, summary


def decode_text(data: bytes) -> str:
    """UTF-8 as Strava writes it (BOM optional); Windows-1252 when a spreadsheet re-saved it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_activities_csv(data: bytes, source: str) -> StravaTable:
    """Every row of an activities.csv as a summary, or a Rejection naming the row and column.

    `source` names the table in reports (`export.zip!activities.csv`); each summary's source is
    `<source> row N`. Blank lines are skipped; every other row yields a summary or a Rejection."""
    try:
        reader = csv.reader(io.StringIO(decode_text(data), newline=""))
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as error:
        return StravaTable((), (Rejection(source, f"not a readable CSV file: {error}"),))
    layout = _Layout(header or [])
    if missing := layout.missing():
        found = ", ".join(layout.names[:4]) or "nothing"
        reason = (
            f"not a Strava activities.csv: no {' or '.join(map(repr, missing))} column (header: {found}, …)"
        )
        return StravaTable((), (Rejection(source, reason),))
    rows: list[StravaRow] = []
    rejected: list[Rejection] = []
    number = 1
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            row_source = f"{source} row {number}"
            try:
                filename, summary = _row_activity(layout, cells, row_source)
            except _BadCell as bad:
                rejected.append(Rejection(row_source, f"column {bad.column!r}: {bad.reason}"))
            else:
                rows.append(StravaRow(number, filename, summary))
    except csv.Error as error:
        rejected.append(Rejection(f"{source} row {number + 1}", f"unreadable CSV from here on: {error}"))
    return StravaTable(tuple(rows), tuple(rejected))
