"""Reading a PDF back the way a printer and a person meet it: page images (pdftoppm), text and
glyph positions (pdfplumber, pdftotext). Shared by the plan and beginner-programme PDF tests."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from ironmile.render.pdf import (
    MARGIN_BOTTOM_MM,
    MARGIN_TOP_MM,
    MARGIN_X_MM,
    PRINT_SAFE_MM,
    Paper,
)

PT_PER_MM = 72 / 25.4
TOLERANCE_PT = 0.5  # rounding in glyph positions
# ISO 216 A4 and ANSI Letter, in points (1/72 in).
A4_PT = (595.28, 841.89)
LETTER_PT = (612.0, 792.0)
TODAY = date(2026, 11, 26)  # the golden tests' day, so the plans match tests/golden/
# SCIENCE.md §7: the red flags that call for a clinician; both PDFs name every one on every page.
RED_FLAGS = ("swelling", "locking", "giving way", "night pain", "pain after a fall or twist", "numbness")
# Representative plans (paper, weeks), read back in full: warnings and a knee-friendly plan; pounds
# on Letter paper, cut to 10 weeks to keep the run short (reading glyphs back is the slow part);
# dumbbells at home. Every example's cover and page openings are checked on both papers below.
RENDERED = {
    "knee_pain_5k": (Paper.A4, None),
    "imperial_ultra": (Paper.LETTER, 10),
    "novice_dumbbells": (Paper.A4, None),
}


# ------------------------------------------------------------------------------------------------
# Reading a PDF back
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    number: int
    width_pt: float
    height_pt: float
    text: str
    stray: tuple[str, ...]  # visible characters outside the margins, described


def read_pages(pdf: bytes) -> list[Page]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            Page(number, float(page.width), float(page.height), page.extract_text() or "", _stray(page))
            for number, page in enumerate(document.pages, start=1)
        ]


def _stray(page: pdfplumber.page.Page) -> tuple[str, ...]:
    """Visible characters outside the margins. Horizontally the glyph box must lie between the side
    margins. Vertically the baseline must lie in the body (between the top and bottom margins) or
    the glyph in the footer band below it, and every glyph box PRINT_SAFE_MM from the paper's edge.
    The body is checked by baseline because pdfplumber's box is the font's em square, taller than
    the letters Typst aligns to the margin."""
    width, height = float(page.width), float(page.height)
    side, top = MARGIN_X_MM * PT_PER_MM, MARGIN_TOP_MM * PT_PER_MM
    body_bottom, safe = height - MARGIN_BOTTOM_MM * PT_PER_MM, PRINT_SAFE_MM * PT_PER_MM
    found = []
    for char in page.chars:
        if not char["text"].strip():
            continue  # a space at a line end draws nothing
        baseline = height - char["matrix"][5]
        inside = (
            side - TOLERANCE_PT <= char["x0"]
            and char["x1"] <= width - side + TOLERANCE_PT
            and top - TOLERANCE_PT <= baseline
            and safe <= char["top"]
            and char["bottom"] <= height - safe
            and (baseline <= body_bottom + TOLERANCE_PT or char["top"] >= body_bottom)
        )
        if not inside:
            found.append(f"{char['text']!r} at x {char['x0']:.1f}, baseline {baseline:.1f}")
    return tuple(found)


def _poppler(program: str) -> str:
    executable = shutil.which(program)
    assert executable, f"{program} not found: install poppler-utils (make test does)"
    return executable


def pages_with_ink(pdf: bytes, folder: Path) -> list[bool]:
    """Rasterise every page with pdftoppm (poppler-utils), as a printer would, and say for each
    whether its body (above the footer band) has any ink: a page left empty but for its footer
    shows as False."""
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [_poppler("pdftoppm"), "-gray", "-r", "20", str(path), str(folder / "page")],
        check=True,
        capture_output=True,
    )
    found = []
    for image in sorted(folder.glob("page-*.pgm")):
        data = image.read_bytes()
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)  # binary greymap, one byte a pixel
        assert header, image.name
        width, height, pixels = int(header[1]), int(header[2]), data[header.end() :]
        rows = height - round(MARGIN_BOTTOM_MM / 25.4 * 20)  # 20 dpi: the footer band left out
        found.append(min(pixels[: width * rows]) < 160)
    return found


def page_texts(pdf: bytes, folder: Path) -> list[str]:
    """Every page's text by poppler's pdftotext, in reading order: fast enough to check the openings
    of every page of every example (pdfplumber, which also gives glyph positions, is slower)."""
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        [_poppler("pdftotext"), "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    )
    return done.stdout.decode("utf-8").split("\f")[:-1]  # a form feed ends every page


def opening(text: str) -> list[str]:
    """The first two non-empty lines of a page."""
    return [line.strip() for line in text.splitlines() if line.strip()][:2]


def contains_in_order(haystack: list[str], needle: list[str]) -> bool:
    """True when the words of `needle` appear in `haystack` in order. Other words may come between:
    a name wrapped in its table cell comes out with the row's other cells between its lines."""
    position = 0
    for word in haystack:
        if position < len(needle) and word == needle[position]:
            position += 1
    return position == len(needle)


def week_chunks(pages: list[Page]) -> dict[int, str]:
    """The text of each week's section of a plan PDF, by week number (the cover left out)."""
    text = "\n".join(page.text for page in pages[1:])
    starts = [(int(match[1]), match.start()) for match in re.finditer(r"^Week (\d+) ", text, re.MULTILINE)]
    ends = [start for _, start in starts[1:]] + [len(text)]
    return {number: text[start:end] for (number, start), end in zip(starts, ends, strict=True)}


def page_size(paper: Paper, *, landscape: bool) -> tuple[float, float]:
    short, long = A4_PT if paper is Paper.A4 else LETTER_PT
    return (long, short) if landscape else (short, long)


def assert_page_size(pages: list[Page], expected: tuple[float, float]) -> None:
    for page in pages:
        assert (page.width_pt, page.height_pt) == pytest.approx(expected, abs=0.5), page.number
