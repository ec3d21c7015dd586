"""The free beginner programme's PDF, read back page by page."""

from __future__ import annotations

from pathlib import Path

import pytest

from ironmile.domain.beginner import beginner_programme
from ironmile.domain.beginner_text import KNEE_PAIN_4_TO_5, NOT_MEDICAL_ADVICE, SEE_A_CLINICIAN
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.units import UnitSystem
from ironmile.render.beginner_document import FALLBACK_NAMES, alternative_dose_text, dose_text
from ironmile.render.pdf import (
    Paper,
    beginner_pdf,
)
from ironmile.render.why_strength import SECTIONS, SOURCES
from tests.render.pdf_pages import (
    RED_FLAGS,
    Page,
    assert_page_size,
    contains_in_order,
    page_size,
    pages_with_ink,
    read_pages,
)

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
    assert len(pages) == FRONT_PAGES + 8
    assert pages_with_ink(pdf, tmp_path) == [True] * len(pages)
    assert_page_size(pages, page_size(Paper.A4, landscape=False))
    assert not [what for page in pages for what in page.stray]
    assert "kg × reps" in pages[-1].text
    assert "Effort, not kilograms" in pages[0].text
    assert "from 20 km to 27 km, 35% more" in " ".join(pages[3].text.split())


def test_the_beginner_pdf_on_letter_paper_in_pounds(beginner_letter: list[Page]) -> None:
    assert len(beginner_letter) == FRONT_PAGES + 10
    assert_page_size(beginner_letter, page_size(Paper.LETTER, landscape=False))
    assert not [f"page {page.number}: {what}" for page in beginner_letter for what in page.stray]
    text = "\n".join(page.text for page in beginner_letter)
    assert "lb × reps" in text
    assert "kg × reps" not in text
    assert "5 lb more on a barbell" in text
    assert " mi " in text
    assert "Effort, not pounds" in beginner_letter[0].text
    assert "kilogram" not in text


def test_the_progression_page_adds_reps_before_weight(beginner_letter: list[Page]) -> None:
    """Double progression, in the same words on page 4 and under the table at a glance."""
    page = " ".join(beginner_letter[3].text.split())
    assert page.startswith("How to progress")
    assert "Reps first, then weight." in page
    assert "up to 2 more than shown" in page
    assert "at most about 10% heavier" in page
    assert "wait for the top of the reps" in page
    assert "add up to 2 before moving up a weight" in page  # the note under the table
    assert "next dumbbells up" not in page


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


def test_a_fallback_with_its_own_dose_shows_it_on_the_session_page(beginner_letter: list[Page]) -> None:
    """No dumbbell: the bodyweight box squat takes 8 reps a set in every week, never the 5 of the
    goblet squat in the strength weeks (BODYWEIGHT_MIN_REPS)."""
    words = beginner_letter[4].text.split()
    for line in (
        "No dumbbell: Box squat to a high box (bodyweight), 8 reps a set",
        "No dumbbell: Bodyweight split squat, 8 reps/side a set",
        "Easier: Step-up to a low box, 8 reps/side a set",
    ):
        assert contains_in_order(words, line.split()), line
    hamstrings = "Easier: Hamstring bridge (heels on a box), 8 reps a set"
    assert contains_in_order(beginner_letter[5].text.split(), hamstrings.split())


def test_every_week_has_a_log_sheet_with_both_sessions(
    beginner_letter: list[Page], catalogue: Catalogue
) -> None:
    programme = beginner_programme(catalogue, units=UnitSystem.IMPERIAL)
    sheets = beginner_letter[FRONT_PAGES:]
    assert len(sheets) == len(programme.weeks)
    own_doses = 0
    for page, week in zip(sheets, programme.weeks, strict=True):
        flat = " ".join(page.text.split())
        assert flat.startswith(f"Week {week.index}")
        assert flat.count("Session A") == 1
        assert flat.count("Session B") == 1
        assert flat.count("Pain (0–10) during") == 2
        for session in week.sessions:
            home, gym = session.variants
            for at_home, at_gym in zip(home.exercises, gym.exercises, strict=True):
                where = (week.index, at_gym.exercise.id)
                assert dose_text(at_gym) in flat, where
                if dose_text(at_home) != dose_text(at_gym):
                    assert f"home {dose_text(at_home)}" in flat, where
                for variant, item in zip(session.variants, (at_home, at_gym), strict=True):
                    own = alternative_dose_text(item)
                    if own is not None:
                        own_doses += 1
                        assert f"{FALLBACK_NAMES[variant.variant, item.alternative_label]} {own}" in flat, (
                            where
                        )
    assert own_doses >= len(programme.weeks)  # every week has a fallback with a dose of its own


def test_the_beginner_pdf_carries_the_safety_lines(beginner_letter: list[Page]) -> None:
    front = " ".join(beginner_letter[0].text.split())
    for line in (NOT_MEDICAL_ADVICE, KNEE_PAIN_4_TO_5, SEE_A_CLINICIAN):
        assert line in front
    for page in beginner_letter:
        flat = " ".join(page.text.split())
        assert "not medical advice" in flat
        assert "see a clinician" in flat.lower()
        for flag in RED_FLAGS:
            assert flag in flat, (page.number, flag)


def test_the_beginner_pdf_is_reproducible_and_checks_its_length(catalogue: Catalogue) -> None:
    first = beginner_pdf(units=UnitSystem.METRIC, paper=Paper.A4, catalogue=catalogue, weeks=12)
    assert beginner_pdf(units=UnitSystem.METRIC, paper=Paper.A4, catalogue=catalogue, weeks=12) == first
    with pytest.raises(InputError):
        beginner_pdf(units=UnitSystem.METRIC, paper=Paper.A4, catalogue=catalogue, weeks=13)
