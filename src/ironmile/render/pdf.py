"""Printable PDFs through Typst: the personal plan and the free beginner programme.

Typst comes as a self-contained wheel (no system packages); the templates live in
`ironmile/data/typst/` and get their data as JSON through `sys.inputs`, the season chart as the
SVG that vl-convert draws from the same Vega-Lite spec the web page shows. System fonts are
ignored, so the same input gives the same PDF on every machine (Typst's bundled Libertinus Serif
and DejaVu Sans Mono), and the document carries no creation date.
"""

from __future__ import annotations

import json
from enum import StrEnum
from importlib import resources
from typing import Any

import typst
import vl_convert

from ironmile.domain.beginner import beginner_programme
from ironmile.domain.beginner_text import NOT_MEDICAL_ADVICE, SEE_A_CLINICIAN
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.plan import Plan
from ironmile.domain.units import UnitSystem
from ironmile.render.beginner_document import beginner_document
from ironmile.render.charts import season_chart
from ironmile.render.plan_document import plan_document

# Page margins (mm). Body text stays inside them; the footer sits in the bottom margin, and no
# text comes nearer to the paper's edge than PRINT_SAFE_MM, which most home printers can reach.
MARGIN_X_MM = 14.0
MARGIN_TOP_MM = 13.0
MARGIN_BOTTOM_MM = 18.0
PRINT_SAFE_MM = 8.0
SAFETY_LINES = (NOT_MEDICAL_ADVICE, SEE_A_CLINICIAN)
# On every page, on one line even on portrait paper, with every red flag of SCIENCE.md §7; the cover
# and page 1 say the same at length.
FOOTER = (
    "Training guidance, not medical advice. See a clinician for knee pain above 5/10, swelling, locking, "
    "giving way, night pain, numbness, or pain after a fall or twist."
)


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"

    @property
    def typst_name(self) -> str:
        return "a4" if self is Paper.A4 else "us-letter"


def layout(paper: Paper, *, landscape: bool) -> dict[str, Any]:
    return {
        "paper": paper.typst_name,
        "flipped": landscape,
        "margin_x_mm": MARGIN_X_MM,
        "margin_top_mm": MARGIN_TOP_MM,
        "margin_bottom_mm": MARGIN_BOTTOM_MM,
    }


def compile_template(template: str, document: dict[str, Any], **inputs: str) -> bytes:
    """Compile `data/typst/<template>` with `document` as JSON in sys.inputs.data."""
    folder = resources.files("ironmile.data").joinpath("typst")
    with resources.as_file(folder) as root:
        pdf = typst.compile(
            root / template,
            root=root,
            format="pdf",
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(document, ensure_ascii=False), **inputs},
        )
    return bytes(pdf)


def plan_pdf(plan: Plan, *, title: str, paper: Paper = Paper.A4) -> bytes:
    """The personal plan, landscape: a cover with the season chart, then every session to log by hand.

    Raises InputError for a plan without weeks or sessions: there would be nothing to print."""
    if not any(week.sessions for week in plan.weeks):
        raise InputError("the plan has no strength sessions: nothing to print")
    chart = vl_convert.vegalite_to_svg(season_chart(plan))
    document = plan_document(
        plan, title=title, safety=SAFETY_LINES, footer=FOOTER, layout=layout(paper, landscape=True)
    )
    return compile_template("plan.typ", document, chart=chart)


def beginner_pdf(*, units: UnitSystem, paper: Paper, catalogue: Catalogue, weeks: int = 10) -> bytes:
    """The free beginner programme, portrait: why strength helps, where the sessions go, how to
    progress, both session variants with their cues, and a log sheet for every week."""
    programme = beginner_programme(catalogue, weeks=weeks, units=units)
    document = beginner_document(programme, footer=FOOTER, layout=layout(paper, landscape=False))
    return compile_template("beginner.typ", document)
