""" "Why strength makes you a better runner": one page in plain words, with its sources.

Every number here comes from SCIENCE.md §1–§3 and the paper it names; the page claims nothing the
sources listed below it do not support. Sources are numbered in the order the text cites them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    citation: str


@dataclass(frozen=True, slots=True)
class WhySection:
    heading: str
    text: str
    cites: tuple[str, ...]  # Source keys


SOURCES = (
    Source(
        "blagrove2018",
        "Blagrove RC, Howatson G, Hayes PR (2018). Effects of strength training on the physiological "
        "determinants of middle- and long-distance running performance: a systematic review. "
        "Sports Med 48:1117–1149.",
    ),
    Source(
        "storen2008",
        "Støren Ø, Helgerud J, Støa EM, Hoff J (2008). Maximal strength training improves running "
        "economy in distance runners. Med Sci Sports Exerc 40:1087–1092.",
    ),
    Source(
        "schoenfeld2017",
        "Schoenfeld BJ et al. (2017). Strength and hypertrophy adaptations between low- vs. high-load "
        "resistance training: a systematic review and meta-analysis. J Strength Cond Res 31:3508.",
    ),
    Source(
        "wilson2012",
        "Wilson JM et al. (2012). Concurrent training: a meta-analysis examining interference of aerobic "
        "and resistance exercises. J Strength Cond Res 26:2293.",
    ),
    Source(
        "lauersen2014",
        "Lauersen JB, Bertelsen DM, Andersen LB (2014). The effectiveness of exercise interventions to "
        "prevent sports injuries: a systematic review and meta-analysis of randomised controlled trials. "
        "Br J Sports Med 48:871.",
    ),
    Source(
        "lauersen2018",
        "Lauersen JB, Andersen TE, Andersen LB (2018). Strength training as superior, dose-dependent and "
        "safe prevention of acute and overuse sports injuries. Br J Sports Med 52:1557.",
    ),
    Source(
        "vandyk2019",
        "van Dyk N, Behan FP, Whiteley R (2019). Including the Nordic hamstring exercise in injury "
        "prevention programmes halves the rate of hamstring injuries. Br J Sports Med 53:1362.",
    ),
    Source(
        "crossley2016",
        "Crossley KM et al. (2016). Patellofemoral pain consensus statement, part 2: recommended "
        "physical interventions. Br J Sports Med 50:844.",
    ),
)

SECTIONS = (
    WhySection(
        "Less energy for every stride",
        "Heavy strength training makes running cheaper: in most studies, runners used about 2–8% less "
        "energy at the same pace and ran faster time trials, without any change in their aerobic "
        "capacity (VO2max). In one trial, eight weeks of heavy half-squats raised leg strength by a third "
        "and running economy by 5%, and runners lasted 21% longer at their top aerobic speed.",
        ("blagrove2018", "storen2008"),
    ),
    WhySection(
        "Stronger, not bulkier",
        "Most of the early gain comes from the nervous system: your brain learns to recruit more of "
        "the muscle you already have, and to fire it in a better order. Heavy-ish loads, few reps, sets "
        "stopped well short of failure and modest volume build strength; size needs many sets close "
        "to failure, and running alongside blunts muscle growth further. In the half-squat trial, "
        "body mass did not change.",
        ("storen2008", "schoenfeld2017", "wilson2012"),
    ),
    WhySection(
        "Tougher tendons and bones, fewer injuries",
        "Each stride loads the legs again and again; slow, heavy lifting loads muscles, tendons and "
        "bones in a way you control, so they adapt to take more. In a pooled analysis of trials, "
        "strength training cut sports injuries to about a third, and more of it helped more. The Nordic "
        "hamstring curl in this programme roughly halves hamstring injuries.",
        ("lauersen2014", "lauersen2018", "vandyk2019"),
    ),
    WhySection(
        "Use the back of your legs",
        "Many runners lean on the front of the thighs (quad dominance) and leave the glutes and "
        "hamstrings under-used. This programme gives the back of the legs at least one and a half "
        "times the sets of the front: hinges, bridges and Nordic curls. For pain at the front of the "
        "knee, strengthening the hips and thighs together is the recommended care.",
        ("vandyk2019", "crossley2016"),
    ),
    WhySection(
        "What it costs you",
        "Two sessions of about 40 minutes a week, placed so that your hard runs and your long run stay "
        "fresh, with an easier week every fourth week. No session goes to failure, and the first "
        "weeks are for learning the movements with light loads.",
        (),
    ),
)


def source_number(key: str) -> int:
    """The 1-based number a source is cited by."""
    return next(index for index, source in enumerate(SOURCES, start=1) if source.key == key)


# Why the placement rules (SCIENCE.md §4), for the "where the sessions go" page.
PLACEMENT_REASON = (
    "Why these rules: a heavy leg session makes running harder for a day or two, and the run the "
    "next day costs more energy, less so when the run came first [1]. Lifting straight after hard "
    "running blunts the gains in explosive strength, but not when at least 3 hours separate the two "
    "[2, 3]. So strength shares a day with your hard running and keeps away from the runs that matter."
)
PLACEMENT_SOURCES = (
    "Doma K, Deakin GB (2013). Appl Physiol Nutr Metab 38:651.",
    "Robineau J et al. (2016). J Strength Cond Res 30:672.",
    "Schumann M et al. (2022). Sports Med 52:601.",
)
