"""The printable PDFs: rendered with Typst, then read back as page images (pdftoppm) and as text and
glyph positions (pdfplumber), the way a printer and a person would meet them."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pdfplumber
import pytest

from ironmile.domain.beginner import NOT_MEDICAL_ADVICE, SEE_A_CLINICIAN, beginner_programme
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.plan import Plan
from ironmile.domain.units import UnitSystem
from ironmile.render.beginner_document import dose_text
from ironmile.render.charts import phase_blocks
from ironmile.render.pdf import (
    MARGIN_BOTTOM_MM,
    MARGIN_TOP_MM,
    MARGIN_X_MM,
    PRINT_SAFE_MM,
    Paper,
    beginner_pdf,
    plan_pdf,
)
from ironmile.render.plan_document import dose_cell, load_cell
from ironmile.render.why_strength import SECTIONS, SOURCES
from ironmile.services.planning import plan_from_file

PT_PER_MM = 72 / 25.4
TOLERANCE_PT = 0.5  # rounding in glyph positions
# ISO 216 A4 and ANSI Letter, in points (1/72 in).
A4_PT = (595.28, 841.89)
LETTER_PT = (612.0, 792.0)
TODAY = date(2026, 11, 26)  # the golden tests' day, so the plans match tests/golden/
# Representative plans (paper, weeks): warnings and a knee-friendly plan; pounds on Letter paper,
# cut to 10 weeks to keep the run short (reading PDFs back is the slow part); dumbbells at home.
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


def rendered_page_count(pdf: bytes, folder: Path) -> int:
    """Render every page to PNG with pdftoppm (poppler-utils) and count the images."""
    executable = shutil.which("pdftoppm")
    assert executable, "pdftoppm not found: install poppler-utils (make test does)"
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [executable, "-png", "-r", "20", str(path), str(folder / "page")], check=True, capture_output=True
    )
    images = sorted(folder.glob("page-*.png"))
    assert all(image.stat().st_size > 0 for image in images)
    return len(images)


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


# ------------------------------------------------------------------------------------------------
# The personal plan
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    plan: Plan
    paper: Paper
    pdf: bytes
    pages: list[Page]


@pytest.fixture(scope="module")
def rendered(examples_dir: Path, catalogue: Catalogue) -> dict[str, Rendered]:
    found = {}
    for name, (paper, weeks) in RENDERED.items():
        plan = plan_from_file(examples_dir / f"{name}.toml", today=TODAY, catalogue=catalogue, weeks=weeks)
        pdf = plan_pdf(plan, title=f"{name} plan", paper=paper)
        found[name] = Rendered(plan, paper, pdf, read_pages(pdf))
    return found


@pytest.mark.parametrize("name", RENDERED)
def test_every_page_renders_and_is_numbered_page_x_of_y(
    rendered: dict[str, Rendered], name: str, tmp_path: Path
) -> None:
    document = rendered[name]
    count = len(document.pages)
    assert rendered_page_count(document.pdf, tmp_path) == count
    for page in document.pages:
        assert f"page {page.number} of {count}" in page.text
    # The cover, then each block (a run of weeks in one phase) starting on a page of its own.
    blocks = phase_blocks(document.plan)
    assert count >= 1 + len(blocks)
    openings = [page.text.splitlines()[0] for page in document.pages[1:]]
    assert [line for line in openings if line in {block.phase.value.capitalize() for block in blocks}] == [
        block.phase.value.capitalize() for block in blocks
    ]


@pytest.mark.parametrize("name", RENDERED)
def test_no_character_lies_outside_the_margins(rendered: dict[str, Rendered], name: str) -> None:
    stray = [f"page {page.number}: {what}" for page in rendered[name].pages for what in page.stray]
    assert not stray, stray[:10]


@pytest.mark.parametrize("name", RENDERED)
def test_the_pages_are_landscape_on_the_chosen_paper(rendered: dict[str, Rendered], name: str) -> None:
    document = rendered[name]
    assert_page_size(document.pages, page_size(document.paper, landscape=True))


@pytest.mark.parametrize("name", RENDERED)
def test_every_session_lists_each_exercise_with_its_dose_and_load(
    rendered: dict[str, Rendered], name: str
) -> None:
    document = rendered[name]
    chunks = week_chunks(document.pages)
    assert sorted(chunks) == [week.frame.index for week in document.plan.weeks]
    for week in document.plan.weeks:
        text = chunks[week.frame.index]
        flat = " ".join(text.split())
        for session in week.sessions:
            assert f"{session.date:%a}" in text
            for item in session.exercises:
                where = f"week {week.frame.index}, {session.date}, {item.exercise.id}"
                assert contains_in_order(text.split(), item.exercise.name.split()), where
                assert dose_cell(item) in flat, where
                assert load_cell(item, document.plan.units) in flat, where


def test_the_cover_shows_the_season_the_warnings_and_the_safety_lines(rendered: dict[str, Rendered]) -> None:
    document = rendered["knee_pain_5k"]
    cover = " ".join(document.pages[0].text.split())
    for phase in {week.frame.phase.value for week in document.plan.weeks}:
        assert phase in cover  # the chart's legend and the season table
    assert "Parkrun PB attempt" in cover
    # Two columns: a line of the left one comes out next to the line beside it on the right.
    words = document.pages[0].text.split()
    for text in (*document.plan.warnings, NOT_MEDICAL_ADVICE, SEE_A_CLINICIAN):
        assert contains_in_order(words, text.split()), text
    for page in document.pages:
        assert "not medical advice" in page.text, page.number
        assert "see a clinician" in page.text, page.number


def test_imperial_plans_show_pounds_and_miles(rendered: dict[str, Rendered]) -> None:
    document = rendered["imperial_ultra"]
    text = "\n".join(page.text for page in document.pages)
    assert "imperial (lb, mi)" in text
    assert "Load (lb)" in text
    assert "Load (kg)" not in text
    assert "per dumbbell" in text
    metric = "\n".join(page.text for page in rendered["novice_dumbbells"].pages)
    assert "Load (kg)" in metric
    assert "Load (lb)" not in metric


def test_a_week_too_long_for_one_page_repeats_the_table_header(
    examples_dir: Path, catalogue: Catalogue
) -> None:
    plan = plan_from_file(examples_dir / "marathoner.toml", today=TODAY, catalogue=catalogue)
    first = plan.weeks[0]
    crowded = tuple(
        replace(session, date=session.date + timedelta(days=shift))
        for shift in (0, 1)
        for session in first.sessions
    )
    plan = replace(plan, weeks=(replace(first, sessions=crowded),))
    pages = read_pages(plan_pdf(plan, title="Crowded week"))
    continued = [page for page in pages[1:] if not re.search(r"^Week \d+ ", page.text, re.MULTILINE)]
    assert continued, "the week was expected to run over a page"
    for page in continued:
        assert "Sets × reps" in page.text
        assert "Set 1" in page.text
    assert not [what for page in pages for what in page.stray]


def test_the_same_plan_gives_the_same_bytes(rendered: dict[str, Rendered]) -> None:
    document = rendered["knee_pain_5k"]
    assert plan_pdf(document.plan, title="knee_pain_5k plan", paper=document.paper) == document.pdf


def test_an_empty_plan_is_an_input_error(rendered: dict[str, Rendered]) -> None:
    plan = rendered["knee_pain_5k"].plan
    with pytest.raises(InputError):
        plan_pdf(replace(plan, weeks=()), title="Nothing")
    no_sessions = tuple(replace(week, sessions=()) for week in plan.weeks)
    with pytest.raises(InputError):
        plan_pdf(replace(plan, weeks=no_sessions), title="Nothing")


# ------------------------------------------------------------------------------------------------
# The beginner programme
# ------------------------------------------------------------------------------------------------

FRONT_PAGES = 6  # what it is, why, where the sessions go, how to progress, session A, session B


@pytest.fixture(scope="module")
def beginner_letter(catalogue: Catalogue) -> list[Page]:
    return read_pages(beginner_pdf(units=UnitSystem.IMPERIAL, paper=Paper.LETTER, catalogue=catalogue))


def test_the_beginner_pdf_has_a_page_per_week_after_six_front_pages(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    pdf = beginner_pdf(units=UnitSystem.METRIC, paper=Paper.A4, catalogue=catalogue, weeks=8)
    pages = read_pages(pdf)
    assert len(pages) == FRONT_PAGES + 8 == rendered_page_count(pdf, tmp_path)
    assert_page_size(pages, page_size(Paper.A4, landscape=False))
    assert not [what for page in pages for what in page.stray]
    assert "kg × reps" in pages[-1].text


def test_the_beginner_pdf_on_letter_paper_in_pounds(beginner_letter: list[Page]) -> None:
    assert len(beginner_letter) == FRONT_PAGES + 10
    assert_page_size(beginner_letter, page_size(Paper.LETTER, landscape=False))
    assert not [f"page {page.number}: {what}" for page in beginner_letter for what in page.stray]
    text = "\n".join(page.text for page in beginner_letter)
    assert "lb × reps" in text
    assert "kg × reps" not in text
    assert "5 lb on a barbell" in text
    assert " mi " in text


def test_the_why_page_explains_in_plain_words_and_lists_its_sources(beginner_letter: list[Page]) -> None:
    why = beginner_letter[1]
    flat = " ".join(why.text.split())
    assert why.text.startswith("Why strength makes you a better runner")
    for section in SECTIONS:
        assert section.heading in flat
    for source in SOURCES:
        assert source.citation.split(" (")[0] in flat  # the authors
    for topic in ("nervous system", "tendons", "quad dominance", "2–8%"):
        assert topic in flat


def test_both_variants_and_every_cue_are_on_the_session_pages(
    beginner_letter: list[Page], catalogue: Catalogue
) -> None:
    programme = beginner_programme(catalogue, units=UnitSystem.IMPERIAL)
    for page, session in zip(beginner_letter[4:6], programme.weeks[1].sessions, strict=True):
        flat = " ".join(page.text.split())
        assert f"Session {session.key}: {session.title}" in flat
        assert "Dumbbell or bodyweight" in flat
        assert "Gym" in flat
        words = page.text.split()
        for variant in session.variants:
            for item in variant.exercises:
                assert contains_in_order(words, item.exercise.name.split()), item.exercise.id
                assert contains_in_order(words, item.cue.split()), item.exercise.id


def test_every_week_has_a_log_sheet_with_both_sessions(
    beginner_letter: list[Page], catalogue: Catalogue
) -> None:
    programme = beginner_programme(catalogue, units=UnitSystem.IMPERIAL)
    sheets = beginner_letter[FRONT_PAGES:]
    assert len(sheets) == len(programme.weeks)
    for page, week in zip(sheets, programme.weeks, strict=True):
        flat = " ".join(page.text.split())
        assert flat.startswith(f"Week {week.index}")
        assert flat.count("Session A") == 1
        assert flat.count("Session B") == 1
        assert flat.count("Pain (0–10) during") == 2
        for session in week.sessions:
            for item in session.variants[1].exercises:
                assert dose_text(item) in flat, (week.index, item.exercise.id)


def test_the_beginner_pdf_carries_the_safety_lines(beginner_letter: list[Page]) -> None:
    front = " ".join(beginner_letter[0].text.split())
    assert NOT_MEDICAL_ADVICE in front
    assert SEE_A_CLINICIAN in front
    for page in beginner_letter:
        assert "not medical advice" in page.text
        assert "see a clinician" in page.text


def test_the_beginner_pdf_is_reproducible_and_checks_its_length(catalogue: Catalogue) -> None:
    first = beginner_pdf(units=UnitSystem.METRIC, paper=Paper.A4, catalogue=catalogue, weeks=12)
    assert beginner_pdf(units=UnitSystem.METRIC, paper=Paper.A4, catalogue=catalogue, weeks=12) == first
    with pytest.raises(InputError):
        beginner_pdf(units=UnitSystem.METRIC, paper=Paper.A4, catalogue=catalogue, weeks=13)
