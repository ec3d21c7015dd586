"""The printable PDFs: rendered with Typst, then read back as page images (pdftoppm) and as text and
glyph positions (pdfplumber), the way a printer and a person would meet them."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pdfplumber
import pytest

from ironmile.domain.beginner_text import NOT_MEDICAL_ADVICE, SEE_A_CLINICIAN
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.plan import Plan
from ironmile.domain.units import UnitSystem
from ironmile.render.charts import phase_blocks
from ironmile.render.pdf import (
    Paper,
    plan_pdf,
)
from ironmile.render.plan_document import dose_cell, how_to_read, load_cell
from ironmile.services.planning import plan_from_file
from tests.render.pdf_pages import (
    RED_FLAGS,
    RENDERED,
    TODAY,
    Page,
    _stray,
    assert_page_size,
    contains_in_order,
    opening,
    page_size,
    page_texts,
    pages_with_ink,
    read_pages,
    week_chunks,
)

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
def test_every_page_prints_and_is_numbered_page_x_of_y(
    rendered: dict[str, Rendered], name: str, tmp_path: Path
) -> None:
    document = rendered[name]
    count = len(document.pages)
    assert pages_with_ink(document.pdf, tmp_path) == [True] * count
    for page in document.pages:
        assert f"page {page.number} of {count}" in page.text


# Every example profile, and the one with the most notes again in pounds and miles (the same
# runner: 57.5 kg is 127 lb, 30 km a week 19 mi, a 5 km race 3.1 mi).
IN_POUNDS = "knee_pain_5k_in_pounds"
POUNDS_EDITS = (
    ("[athlete]\n", '[athlete]\nunits = "imperial"\n'),
    ("body_mass = 57.5", "body_mass = 127"),
    ("weekly_distance = 30", "weekly_distance = 19"),
    ("distance = 5\n", "distance = 3.1\n"),
)
EXAMPLES = [
    *sorted(path.stem for path in (Path(__file__).resolve().parents[2] / "examples").glob("*.toml")),
    IN_POUNDS,
]


@pytest.fixture(scope="module")
def example_plans(
    examples_dir: Path, catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Plan]:
    text = (examples_dir / "knee_pain_5k.toml").read_text(encoding="utf-8")
    for before, after in POUNDS_EDITS:
        assert before in text
        text = text.replace(before, after, 1)
    in_pounds = tmp_path_factory.mktemp("profiles") / f"{IN_POUNDS}.toml"
    in_pounds.write_text(text, encoding="utf-8")
    paths = {name: examples_dir / f"{name}.toml" for name in EXAMPLES[:-1]} | {IN_POUNDS: in_pounds}
    plans = {name: plan_from_file(path, today=TODAY, catalogue=catalogue) for name, path in paths.items()}
    assert plans[IN_POUNDS].units is UnitSystem.IMPERIAL
    assert len(plans[IN_POUNDS].warnings) == len(plans["knee_pain_5k"].warnings)
    return plans


def assert_page_openings(plan: Plan, texts: list[str], *, notes_pages: int = 0) -> None:
    """Page 1 is the cover (the title first), then `notes_pages` of notes, then every block starts a
    page of its own with its heading and "Block k of n". Any other page opens with a week's heading
    or, where a week runs over a page, the repeated table header: never with a stray line."""
    blocks = phase_blocks(plan)
    names = [block.phase.value.capitalize() for block in blocks]
    openings = [opening(text) for text in texts]
    assert openings[0][0] == plan_title(plan)
    assert all(lines[0] == "Notes" for lines in openings[1 : 1 + notes_pages])
    assert openings[1 + notes_pages][0] == names[0]
    starts = [number for number, lines in enumerate(openings, start=1) if lines[0] in names]
    assert [openings[number - 1][0] for number in starts] == names
    for position, number in enumerate(starts, start=1):
        assert openings[number - 1][1].startswith(f"Block {position} of {len(blocks)} · "), number
    for number, lines in enumerate(openings[1 + notes_pages :], start=2 + notes_pages):
        if number not in starts:
            assert re.match(r"Week \d+ ", lines[0]) or lines[0] == "Day", (number, lines)


def plan_title(plan: Plan) -> str:
    return f"Plan from {plan.start_date:%d %b %Y}"


@pytest.mark.parametrize("paper", list(Paper))
@pytest.mark.parametrize("name", EXAMPLES)
def test_the_cover_is_one_page_and_every_block_starts_a_page(
    example_plans: dict[str, Plan], name: str, paper: Paper, tmp_path: Path
) -> None:
    """Every example on both papers: nothing on the cover runs onto page 2, which is the first block."""
    plan = example_plans[name]
    pdf = plan_pdf(plan, title=plan_title(plan), paper=paper)
    texts = page_texts(pdf, tmp_path)
    assert_page_openings(plan, texts)
    # Everything the cover holds is on page 1, inside the margins.
    cover = texts[0].split()
    for text in (*plan.warnings, *how_to_read(plan.units), NOT_MEDICAL_ADVICE, SEE_A_CLINICIAN):
        assert contains_in_order(cover, text.split()), text
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert not _stray(document.pages[0])
        width, height = document.pages[0].width, document.pages[0].height
    assert (width, height) == pytest.approx(page_size(paper, landscape=True), abs=0.5)


def test_notes_that_do_not_fit_move_to_a_notes_page(example_plans: dict[str, Plan], tmp_path: Path) -> None:
    """More notes than the cover holds: the cover points to them and they fill a page of their own."""
    plan = example_plans["knee_pain_5k"]
    crowded = replace(plan, warnings=plan.warnings * 4)
    pdf = plan_pdf(crowded, title=plan_title(plan), paper=Paper.LETTER)
    texts = page_texts(pdf, tmp_path)
    assert_page_openings(crowded, texts, notes_pages=1)
    cover, notes = " ".join(texts[0].split()), texts[1].split()
    assert "12 notes about your plan are on page 2: read them before you start." in cover
    assert "How to use this plan" in cover
    assert contains_in_order(notes, " ".join(crowded.warnings).split())
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert not [what for page in document.pages[:2] for what in _stray(page)]


def test_a_crowded_cover_moves_the_guide_to_the_notes_page_too(
    example_plans: dict[str, Plan], tmp_path: Path
) -> None:
    """A title long enough to take the room of the guide to the tables: the guide joins the notes."""
    plan = example_plans["marathoner"]
    pdf = plan_pdf(plan, title=" ".join(["Marathon"] * 20), paper=Paper.LETTER)
    texts = page_texts(pdf, tmp_path)
    assert opening(texts[1])[0] == "Notes"
    assert opening(texts[2])[0] == phase_blocks(plan)[0].phase.value.capitalize()
    cover, notes = " ".join(texts[0].split()), texts[1].split()
    assert "A note about your plan is on page 2, with how to use this plan" in cover
    assert "How to use this plan" not in cover.replace("with how to use this plan", "")
    assert contains_in_order(notes, ["How", "to", "use", "this", "plan"])
    for text in (*plan.warnings, *how_to_read(plan.units)):
        assert contains_in_order(notes, text.split()), text


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
    for flag in RED_FLAGS:
        assert flag in SEE_A_CLINICIAN
    for page in document.pages:
        flat = " ".join(page.text.split())
        assert "not medical advice" in flat, page.number
        assert "see a clinician" in flat.lower(), page.number
        for flag in RED_FLAGS:
            assert flag in flat, (page.number, flag)


def test_the_progression_words_match_the_planner_rule(rendered: dict[str, Rendered]) -> None:
    """SCIENCE.md §5: the smallest step, never more than +10 %; over it, a rep instead (progression.py)."""
    guide = " ".join(how_to_read(rendered["novice_dumbbells"].plan.units))
    assert "more than 10% heavier" in guide
    assert "add a rep to each set instead" in guide


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
    """Compiled again from the plan (not the file read twice): Typst output carries no date."""
    document = rendered["knee_pain_5k"]
    assert plan_pdf(document.plan, title="knee_pain_5k plan", paper=document.paper) == document.pdf


def test_an_empty_plan_is_an_input_error(rendered: dict[str, Rendered]) -> None:
    plan = rendered["knee_pain_5k"].plan
    with pytest.raises(InputError):
        plan_pdf(replace(plan, weeks=()), title="Nothing")
    no_sessions = tuple(replace(week, sessions=()) for week in plan.weeks)
    with pytest.raises(InputError):
        plan_pdf(replace(plan, weeks=no_sessions), title="Nothing")
