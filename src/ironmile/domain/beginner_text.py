"""The beginner programme's rules in plain words: effort, progression, placement and safety.

The programme's structure (sessions, doses, deloads) lives in beginner.py; these are the sentences
printed around it. Each follows SCIENCE.md: placement §4, progression §5, running spikes §6,
knee pain §7. They stay short on purpose: a beginner reads them once and keeps them in mind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ironmile.domain.phases import DELOAD_EVERY
from ironmile.domain.units import UnitSystem

SPIKE_SHARE = 0.3  # SCIENCE.md §6: weekly distance up > 30 % over two weeks (Nielsen et al. 2014)
EXTRA_REPS = 2  # double progression: reps may rise this far above the reps shown before the weight does
MAX_WEIGHT_RISE = 0.10  # SCIENCE.md §5: never more than +10 % from one session to the next

NOT_MEDICAL_ADVICE = "ironmile is training guidance, not medical advice."
# SCIENCE.md §7, the pain-monitoring model (Silbernagel et al. 2007) and the knee-friendly plan for
# pain of 4–5/10: limited loaded knee bending, hip-dominant work, easier forms.
KNEE_PAIN_4_TO_5 = (
    "Knee pain of 4–5/10: carry on only if it stays at 5/10 or below during each exercise and has "
    "settled by the next morning. If not, bend the knee less under load: squat only down to a box, "
    "use the easier or bodyweight forms, and put the effort into the hip exercises (hinges, bridges)."
)
# SCIENCE.md §7: pain of 6/10 or more, or any red flag.
SEE_A_CLINICIAN = (
    "Knee pain above 5/10, or swelling, locking, giving way, night pain, numbness, or pain after a fall "
    "or twist: stop loading the leg and see a clinician (doctor or physiotherapist)."
)
SAFETY = (NOT_MEDICAL_ADVICE, KNEE_PAIN_4_TO_5, SEE_A_CLINICIAN)


@dataclass(frozen=True, slots=True)
class ExampleDay:
    day: str
    running: str
    strength: str  # "" on a day without strength


def effort_heading(units: UnitSystem) -> str:
    """'Effort, not kilograms' or 'Effort, not pounds': loads are set by reps in reserve."""
    return "Effort, not kilograms" if units is UnitSystem.METRIC else "Effort, not pounds"


def spike_example(units: UnitSystem) -> tuple[int, int]:
    """Two weekly distances (km or mi) where the second is more than SPIKE_SHARE above the first."""
    base = 20 if units is UnitSystem.METRIC else 12
    return base, math.floor(base * (1 + SPIKE_SHARE)) + 1


def progression_rules(units: UnitSystem) -> tuple[str, ...]:
    """How to go up, hold or come down, in plain words (SCIENCE.md §5, §6, §7).

    Double progression: reps rise first, up to EXTRA_REPS above the reps shown, and the weight rises
    once the top is reached at the reps in reserve shown (the reps then go back down). Only a weight
    at most MAX_WEIGHT_RISE heavier may come sooner, so a coarse dumbbell step is never taken on
    reps that were merely easy."""
    if units is UnitSystem.METRIC:
        barbell = "2.5 kg more on a barbell (1.25 kg a side) usually is"
        dumbbells = "8 to 10 kg is 25% heavier"
    else:
        barbell = "5 lb more on a barbell (2.5 lb a side) usually is"
        dumbbells = "15 to 20 lb is a third heavier"
    base, spiked = spike_example(units)
    rise = round((spiked / base - 1) * 100)
    distance = units.distance_label
    cap = f"{MAX_WEIGHT_RISE:.0%}"
    return (
        "First session of each exercise: start lighter than you think (an empty bar or light dumbbells) "
        "and add weight set by set until the last set ends with the reps in reserve shown.",
        f"Reps first, then weight. When every set reached its reps with at least one more rep in reserve "
        f"than shown, add a rep to every set next session, up to {EXTRA_REPS} more than shown "
        "(3 × 8 becomes 3 × 9, then 3 × 10).",
        f"Move up a weight when every set reaches the top ({EXTRA_REPS} reps more than shown) with the "
        "reps in reserve shown, then go back to the reps shown. If the next weight is at most about "
        f"{cap} heavier ({barbell}), you may move up as soon as the sets feel easy instead. Dumbbells "
        f"often jump by more ({dumbbells}): with them, wait for the top of the reps.",
        "On target: keep the weight. Missed the reps two sessions in a row: take 5–10% off.",
        "Bodyweight exercises: when every set feels easier than shown, lower more slowly (3 seconds), "
        "then move to the harder form (for example incline push-up to push-up).",
        "Never to failure: every set ends with reps in reserve, and form breaking down ends the set.",
        f"Deload every {DELOAD_EVERY}th week: about half the sets and about 10% lighter. Do not skip it.",
        "Time off: after 2–3 weeks away, come back 10% lighter; after more than 4 weeks, "
        "start again at week 1.",
        f"Running spike: if your weekly running rises by more than {SPIKE_SHARE:.0%} over two weeks (say "
        f"from {base} {distance} to {spiked} {distance}, {rise}% more), cut the leg sets by about a third "
        "that week and keep the weights.",
        "Pain up to 5/10 during a session is acceptable if it settles by the next morning. If it does not, "
        "or morning pain rises week to week, make that exercise 10–20% lighter or use the easier form.",
    )


EFFORT = (
    "RIR means reps in reserve: how many more good reps you could still have done when you stopped.",
    "RIR 3: you stop with three more clean reps in the tank. RIR 2: two more. Never RIR 0 (failure).",
    "Pick the weight that gives you the RIR shown; it changes from day to day, and that is fine.",
)
PLACEMENT_RULES = (
    "Best: on the day of a hard run (intervals, tempo, hills), after the run, at least 3 hours later "
    "(6 if you can). Hard days stay hard and easy days stay easy.",
    "Or on a day that is not followed by a hard run or your long run.",
    "Never on the long-run day, the day before it, or the day before a hard run; never two strength "
    "days in a row: leave 48 hours between sessions.",
    "Races: no session on race day or the day before; the last session with heavy legs at least "
    "7 days before an important race (3 days before a smaller one).",
    "If no day fits, do only the upper-body and core exercises that week rather than break a rule.",
)
EXAMPLE_WEEK = (
    ExampleDay("Monday", "rest", ""),
    ExampleDay("Tuesday", "intervals (hard)", "Session A, at least 3 hours after the run (6 if you can)"),
    ExampleDay("Wednesday", "easy run", ""),
    ExampleDay("Thursday", "easy run", "Session B, after the run (48 hours after A)"),
    ExampleDay("Friday", "rest", ""),
    ExampleDay("Saturday", "easy run", ""),
    ExampleDay("Sunday", "long run", ""),
)
WARM_UP = (
    "Warm up for 5–10 minutes (easy jog, bike or skipping), then do one or two light sets of the "
    "first exercise before the working sets."
)
