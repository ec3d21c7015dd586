"""Load progression (SCIENCE.md §5), tested text-in/text-out in the manner of liftosaur's planner
tests, then by Hypothesis properties, one per rule.

A script is a header (exercise, planned dose, planned load), then one line per logged session; the
text after "→" is the target for the next session, computed as of the next session line's date
(three days later for the last line). "plan …" lines change the planned dose from then on;
"(deload)" marks a session of a deload week. The harness renders the parsed history and the targets
back to text, so a failing test shows a readable diff of the whole story.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.domain.athlete import E1rmFormula
from ironmile.domain.catalogue import Exercise
from ironmile.domain.loading import epley
from ironmile.domain.log_notation import parse_sets
from ironmile.domain.progression import (
    MAX_RISE,
    Outcome,
    Prescription,
    Target,
    e1rm_trend,
    next_target,
    working_load,
)
from ironmile.domain.training import LoggedSet
from ironmile.domain.units import KG_PER_LB, UnitSystem

CATALOGUE = load_catalogue()
FIRST_DAY = date(2026, 12, 8)
NEXT_SESSION = timedelta(days=3)
ARROW = " → "
_DOSE = re.compile(
    r"(?P<sets>\d+)×(?:(?P<reps>\d+)|(?P<seconds>\d+) s)(?: @ RIR (?P<rir>\d+))?"
    r"(?:, (?P<load>[\d.]+) kg)?(?P<deload>, deload)?(?:, step (?P<step>[\d.]+) kg)?"
)


# --- the text harness -------------------------------------------------------------------------


def parse_dose(exercise_id: str, text: str) -> tuple[Prescription, float | None]:
    found = _DOSE.fullmatch(text)
    assert found, f"not a dose: {text!r}"

    def number(key: str) -> int | None:
        return None if found[key] is None else int(found[key])

    dose = Prescription(
        exercise_id=exercise_id,
        sets=int(found["sets"]),
        reps=number("reps"),
        seconds=number("seconds"),
        rir=number("rir"),
        load_kg=None if found["load"] is None else float(found["load"]),
        deload=found["deload"] is not None,
    )
    return dose, None if found["step"] is None else float(found["step"])


def render_dose(sets: int, reps: int | None, seconds: int | None, rir: int | None, load: float | None) -> str:
    size = f"{reps}" if reps is not None else f"{seconds} s"
    effort = f" @ RIR {rir}" if rir is not None else ""
    weight = "bodyweight" if load is None else f"{round(load, 2):g} kg"
    return f"{sets}×{size}{effort}, {weight}"


def render_target(target: Target, *, loaded: bool) -> str:
    dose = render_dose(target.sets, target.reps, target.seconds, target.rir, target.load_kg)
    if loaded and target.load_kg is None:
        dose = dose.replace("bodyweight", "load to pick")
    flag = " [re-plan]" if target.back_to_foundation else ""
    return f"{dose} ({target.why}){flag}"


def render_set(logged: LoggedSet) -> str:
    load = "bw" if logged.load_kg is None else f"{round(logged.load_kg, 2):g}"
    size = f"×{logged.reps}" if logged.reps is not None else f"×{logged.seconds}s"
    return f"{load}{size}" + ("" if logged.rir is None else f" @{logged.rir}")


def render_outcome(outcome: Outcome) -> str:
    deload = " (deload)" if outcome.prescription.deload else ""
    return f"{outcome.date}{deload}: " + ", ".join(render_set(logged) for logged in outcome.sets)


def run(script: str) -> str:
    """Replay a script and render it back: the input part of each line, then the computed target."""
    lines = [line.strip() for line in dedent(script).strip().splitlines() if line.strip()]
    exercise_id, header = lines[0].split(ARROW)[0].split(" ", 1)
    exercise = CATALOGUE.get(exercise_id)
    planned, step = parse_dose(exercise_id, header)
    step_kg = step or 2.5
    session_days = [date.fromisoformat(line[:10]) for line in lines[1:] if line[:1].isdigit()]

    def target_on(day: date, history: list[Outcome]) -> Target:
        return next_target(exercise=exercise, planned=planned, history=history, today=day, step_kg=step_kg)

    history: list[Outcome] = []
    current = target_on(session_days[0] if session_days else FIRST_DAY, history)
    out = [f"{lines[0].split(ARROW)[0]}{ARROW}{render_target(current, loaded=exercise.loaded)}"]
    for line in lines[1:]:
        given_part = line.split(ARROW)[0]
        if given_part.startswith("plan "):
            planned, _ = parse_dose(exercise_id, given_part.removeprefix("plan "))
            out.append(given_part)
            continue
        head, sets_text = given_part.split(": ", 1)
        day = date.fromisoformat(head[:10])
        asked = Prescription(
            exercise_id, current.sets, current.reps, current.seconds, current.rir, current.load_kg
        )
        logged = parse_sets(sets_text.replace(" @", "@"), exercise_id=exercise_id, units=UnitSystem.METRIC)
        history.append(Outcome(day, replace(asked, deload="(deload)" in head), logged))
        later = [d for d in session_days if d > day]
        current = target_on(later[0] if later else day + NEXT_SESSION, history)
        out.append(f"{render_outcome(history[-1])}{ARROW}{render_target(current, loaded=exercise.loaded)}")
    return "\n".join(out)


def check(script: str) -> None:
    expected = "\n".join(line.strip() for line in dedent(script).strip().splitlines() if line.strip())
    assert run(script) == expected


# --- the rules, as stories ----------------------------------------------------------------------


def test_first_session_calibrates_from_the_planned_load() -> None:
    check("""
        back_squat 3×5 @ RIR 2, 60 kg → 3×5 @ RIR 2, 60 kg (first session: calibrate: start at 60 kg and adjust so the last set ends with 2 reps in reserve)
    """)  # noqa: E501


def test_reps_to_spare_progress_the_lower_body_by_one_step_then_hold_on_target() -> None:
    # +2.5 % of 60 kg is 1.5 kg: less than a step, so one step (2.5 kg, +4.2 %, under the 10 % cap).
    check("""
        back_squat 3×5 @ RIR 2, 60 kg → 3×5 @ RIR 2, 60 kg (first session: calibrate: start at 60 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 60×5 @3, 60×5 @3, 60×5 @3 → 3×5 @ RIR 2, 62.5 kg (3×5 at RIR ≥ 3 last time (target RIR 2) → +2.5 kg: 62.5 kg)
        2026-12-11: 62.5×5 @2, 62.5×5 @2, 62.5×5 @3 → 3×5 @ RIR 2, 62.5 kg (on target last time → hold 62.5 kg)
    """)  # noqa: E501


def test_two_reps_to_spare_take_the_upper_end_of_the_range() -> None:
    # Lower body +5 % of 100 kg = 5 kg (two steps); upper body +2.5 % of 100 kg = 2.5 kg.
    check("""
        back_squat 3×5 @ RIR 2, 100 kg → 3×5 @ RIR 2, 100 kg (first session: calibrate: start at 100 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 100×5 @4, 100×5 @4, 100×5 @5 → 3×5 @ RIR 2, 105 kg (3×5 at RIR ≥ 4 last time (target RIR 2) → +5 kg: 105 kg)
    """)  # noqa: E501
    check("""
        bench_press 3×5 @ RIR 2, 100 kg → 3×5 @ RIR 2, 100 kg (first session: calibrate: start at 100 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 100×5 @4, 100×5 @4, 100×5 @4 → 3×5 @ RIR 2, 102.5 kg (3×5 at RIR ≥ 4 last time (target RIR 2) → +2.5 kg: 102.5 kg)
    """)  # noqa: E501


def test_upper_body_takes_the_smaller_step_when_smaller_plates_exist() -> None:
    # +1.25 % of 100 kg = 1.25 kg: exactly one step with 0.625 kg fractional plates a side.
    check("""
        bench_press 3×5 @ RIR 2, 100 kg, step 1.25 kg → 3×5 @ RIR 2, 100 kg (first session: calibrate: start at 100 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 100×5 @3, 100×5 @3, 100×5 @3 → 3×5 @ RIR 2, 101.25 kg (3×5 at RIR ≥ 3 last time (target RIR 2) → +1.25 kg: 101.25 kg)
    """)  # noqa: E501


def test_one_step_over_ten_percent_holds_and_says_so() -> None:
    check("""
        back_squat 3×5 @ RIR 2, 20 kg → 3×5 @ RIR 2, 20 kg (first session: calibrate: start at 20 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 20×5 @4, 20×5 @4, 20×5 @4 → 3×5 @ RIR 2, 20 kg (3×5 at RIR ≥ 4 last time (target RIR 2), but one step (+2.5 kg) would be +12.5 %, over the +10 % cap → hold 20 kg: add a rep or use smaller plates)
    """)  # noqa: E501


def test_a_miss_holds_and_two_misses_in_a_row_reduce() -> None:
    # −5 % of 60 kg is 3 kg: the nearest whole step is one (2.5 kg).
    check("""
        back_squat 3×5 @ RIR 2, 60 kg → 3×5 @ RIR 2, 60 kg (first session: calibrate: start at 60 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 60×5 @2, 60×5 @1, 60×5 @1 → 3×5 @ RIR 2, 60 kg (missed the target last time → hold 60 kg; a second miss lowers it)
        2026-12-11: 60×5 @2, 60×4 @0, 60×4 @0 → 3×5 @ RIR 2, 57.5 kg (missed the target two sessions running → −5 %: 57.5 kg)
        2026-12-15: 57.5×5 @2, 57.5×5 @2, 57.5×5 @2 → 3×5 @ RIR 2, 57.5 kg (on target last time → hold 57.5 kg)
    """)  # noqa: E501


def test_a_second_miss_by_two_reps_reduces_ten_percent() -> None:
    # −10 % of 80 kg is 8 kg: the nearest whole step count is three (7.5 kg).
    check("""
        back_squat 3×5 @ RIR 2, 80 kg → 3×5 @ RIR 2, 80 kg (first session: calibrate: start at 80 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 80×5 @2, 80×5 @2, 80×4 @0 → 3×5 @ RIR 2, 80 kg (missed the target last time → hold 80 kg; a second miss lowers it)
        2026-12-11: 80×5 @1, 80×3 @0, 80×3 @0 → 3×5 @ RIR 2, 72.5 kg (missed the target two sessions running, the last by 2 reps → −10 %: 72.5 kg)
    """)  # noqa: E501


def test_deload_sessions_are_skipped_when_looking_back() -> None:
    # The deload week's light, easy sets are no progress evidence, and the misses either side of it
    # still count as two in a row. The deload session does count as training for the gap.
    check("""
        back_squat 3×5 @ RIR 2, 60 kg → 3×5 @ RIR 2, 60 kg (first session: calibrate: start at 60 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 60×5 @2, 60×5 @2, 60×4 @0 → 3×5 @ RIR 2, 60 kg (missed the target last time → hold 60 kg; a second miss lowers it)
        plan 2×5 @ RIR 2, deload
        2026-12-11: 60×5 @2, 60×5 @2, 60×4 @1 → 2×5 @ RIR 2, 55 kg (deload week → −10 %: 55 kg)
        plan 3×5 @ RIR 2
        2026-12-15 (deload): 55×5 @4, 55×5 @4 → 3×5 @ RIR 2, 57.5 kg (missed the target two sessions running → −5 %: 57.5 kg)
        2026-12-18: 57.5×5 @3, 57.5×5 @3, 57.5×5 @3 → 3×5 @ RIR 2, 60 kg (3×5 at RIR ≥ 3 last time (target RIR 2) → +2.5 kg: 60 kg)
    """)  # noqa: E501


def test_two_to_four_weeks_off_cost_ten_percent_and_over_four_weeks_go_back_to_foundation() -> None:
    check("""
        back_squat 3×5 @ RIR 2, 60 kg → 3×5 @ RIR 2, 60 kg (first session: calibrate: start at 60 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 60×5 @3, 60×5 @3, 60×5 @3 → 3×5 @ RIR 2, 55 kg (20 days since the last session (2–4 weeks) → −10 %: 55 kg)
        2026-12-28: 55×5 @2, 55×5 @2, 55×5 @2 → 3×5 @ RIR 2, 50 kg (35 days since the last session (> 28) → back to foundation) [re-plan]
        2027-02-01: 50×5 @2, 50×5 @2, 50×5 @2 → 3×5 @ RIR 2, 50 kg (on target last time → hold 50 kg)
    """)  # noqa: E501


def test_no_rir_or_fewer_sets_give_no_evidence_to_progress() -> None:
    check("""
        back_squat 3×5 @ RIR 2, 60 kg → 3×5 @ RIR 2, 60 kg (first session: calibrate: start at 60 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 60×5, 60×5, 60×5 → 3×5 @ RIR 2, 60 kg (reps done but no RIR logged last time → hold 60 kg)
        2026-12-11: 60×5 @4, 60×5 @4 → 3×5 @ RIR 2, 60 kg (2 of 3 sets logged last time → hold 60 kg)
    """)  # noqa: E501


def test_a_new_rep_scheme_carries_the_load_over_by_the_rts_chart() -> None:
    # 3 @ RIR 2 is 86.3 % of 1RM, 5 @ RIR 2 is 81.1 % (RTS chart): 62.5 × 86.3 / 81.1 = 66.5,
    # rounded down to a step: 65 kg, +8.3 % on the last 60 kg, inside the 10 % cap.
    check("""
        back_squat 3×5 @ RIR 2, 60 kg → 3×5 @ RIR 2, 60 kg (first session: calibrate: start at 60 kg and adjust so the last set ends with 2 reps in reserve)
        plan 4×3 @ RIR 2
        2026-12-08: 60×5 @3, 60×5 @3, 60×5 @3 → 4×3 @ RIR 2, 65 kg (3×5 at RIR ≥ 3 last time (target RIR 2) → +2.5 kg: 62.5 kg; 3 @ RIR 2 instead of 5 @ RIR 2 → 65 kg (RTS chart))
    """)  # noqa: E501


def test_bodyweight_exercises_progress_by_variant_not_load() -> None:
    check("""
        push_up 3×10 @ RIR 2 → 3×10 @ RIR 2, bodyweight (first session: calibrate: pick the variant so the last set ends with 2 reps in reserve)
        2026-12-08: bw×10 @4, bw×10 @4, bw×10 @4 → 3×10 @ RIR 2, bodyweight (every set had reps to spare last time → make it harder: add reps or a harder variant)
        2026-12-11: bw×10 @2, bw×8 @0, bw×7 @0 → 3×10 @ RIR 2, bodyweight (missed the target last time → same again)
    """)  # noqa: E501


def test_holds_are_judged_by_their_seconds() -> None:
    check("""
        plank 3×30 s → 3×30 s, bodyweight (first session: calibrate: pick the variant so the last set ends in good form)
        2026-12-08: bw×30s, bw×30s, bw×20s → 3×30 s, bodyweight (missed the target last time → same again)
        2026-12-11: bw×30s, bw×30s, bw×30s → 3×30 s, bodyweight (on target last time → same again)
    """)  # noqa: E501


def test_bodyweight_misses_ease_off_and_gaps_ease_back_in() -> None:
    check("""
        push_up 3×10 @ RIR 2 → 3×10 @ RIR 2, bodyweight (first session: calibrate: pick the variant so the last set ends with 2 reps in reserve)
        2026-12-08: bw×10 @2, bw×8 @0, bw×8 @0 → 3×10 @ RIR 2, bodyweight (missed the target last time → same again)
        2026-12-11: bw×9 @0, bw×8 @0, bw×8 @0 → 3×10 @ RIR 2, bodyweight (missed the target two sessions running → ease off: fewer reps or an easier variant)
        plan 2×10 @ RIR 2, deload
        2026-12-14: bw×10 @2, bw×10 @2, bw×10 @2 → 2×10 @ RIR 2, bodyweight (deload week → same exercise, fewer sets)
        plan 3×10 @ RIR 2
        2026-12-17 (deload): bw×10 @3, bw×10 @3 → 3×10 @ RIR 2, bodyweight (18 days since the last session (2–4 weeks) → ease back in: fewer reps or an easier variant)
        2027-01-04: bw×10 @2, bw×10 @2, bw×10 @2 → 3×10 @ RIR 2, bodyweight (on target last time → same again)
    """)  # noqa: E501


def test_reductions_stop_at_the_empty_bar() -> None:
    check("""
        back_squat 3×5 @ RIR 2, 20 kg → 3×5 @ RIR 2, 20 kg (first session: calibrate: start at 20 kg and adjust so the last set ends with 2 reps in reserve)
        2026-12-08: 20×5 @1, 20×5 @1, 20×5 @1 → 3×5 @ RIR 2, 20 kg (missed the target last time → hold 20 kg; a second miss lowers it)
        2026-12-11: 20×5 @1, 20×5 @1, 20×5 @1 → 3×5 @ RIR 2, 20 kg (missed the target two sessions running, but 20 kg is the lightest load → hold it)
    """)  # noqa: E501


def test_without_a_planned_load_the_first_session_picks_one_and_a_small_scheme_change_keeps_it() -> None:
    # 7 @ RIR 2 is 76.2 % and 8 @ RIR 2 is 73.9 % (RTS chart): 60 × 76.2 / 73.9 = 61.9, under a step up.
    check("""
        back_squat 3×8 @ RIR 2 → 3×8 @ RIR 2, load to pick (first session: calibrate: pick a load so the last set ends with 2 reps in reserve)
        plan 3×7 @ RIR 2
        2026-12-08: 60×8 @2, 60×8 @2, 60×8 @2 → 3×7 @ RIR 2, 60 kg (on target last time → hold 60 kg)
    """)  # noqa: E501


# --- plain unit tests ---------------------------------------------------------------------------


def squat_outcome(day: date, text: str, *, load: float = 60.0, deload: bool = False) -> Outcome:
    dose = Prescription("back_squat", 3, 5, None, 2, load, deload=deload)
    return Outcome(day, dose, parse_sets(text, exercise_id="back_squat", units=UnitSystem.METRIC))


def test_why_reads_in_the_athletes_units() -> None:
    bench = CATALOGUE.get("bench_press")
    dose = Prescription("bench_press", 3, 5, None, 2, 135 * KG_PER_LB)
    logged = parse_sets("135x5x3@4", exercise_id="bench_press", units=UnitSystem.IMPERIAL)
    target = next_target(
        exercise=bench,
        planned=dose,
        history=[Outcome(FIRST_DAY, dose, logged)],
        today=FIRST_DAY + NEXT_SESSION,
        step_kg=5 * KG_PER_LB,
        units=UnitSystem.IMPERIAL,
    )
    assert target.why == "3×5 at RIR ≥ 4 last time (target RIR 2) → +5 lb: 140 lb"
    assert target.load_kg == pytest.approx(140 * KG_PER_LB)


def test_the_base_load_is_the_one_most_sets_used() -> None:
    assert working_load(squat_outcome(FIRST_DAY, "40x5,60x5x2@2")) == 60.0
    assert working_load(squat_outcome(FIRST_DAY, "60x5@2,62.5x5@2")) == 60.0  # tie: the lighter
    assert working_load(squat_outcome(FIRST_DAY, "x5x3@2", load=55.0)) == 55.0  # nothing logged: asked


def test_sessions_of_other_exercises_or_after_today_are_ignored() -> None:
    squat = CATALOGUE.get("back_squat")
    dose = Prescription("back_squat", 3, 5, None, 2, 60.0)
    other = Outcome(FIRST_DAY, replace(dose, exercise_id="deadlift"), ())
    future = squat_outcome(FIRST_DAY + timedelta(days=9), "60x5x3@4")
    target = next_target(exercise=squat, planned=dose, history=[other, future], today=FIRST_DAY, step_kg=2.5)
    assert target.why.startswith("first session")
    with pytest.raises(ValueError, match="deadlift"):
        next_target(
            exercise=squat,
            planned=replace(dose, exercise_id="deadlift"),
            history=[],
            today=FIRST_DAY,
            step_kg=2.5,
        )
    with pytest.raises(ValueError, match="step_kg"):
        next_target(exercise=squat, planned=dose, history=[], today=FIRST_DAY, step_kg=0)


def test_e1rm_trend_uses_epley_and_leaves_deloads_out() -> None:
    # Epley (1985): 100 kg × (5 reps + 1 in reserve) → 100 × (1 + 6/30) = 120 kg.
    history = [
        squat_outcome(FIRST_DAY, "100x5@1,90x5@3"),
        squat_outcome(FIRST_DAY + timedelta(days=3), "80x5x2@4", deload=True),
        squat_outcome(FIRST_DAY + timedelta(days=7), "102.5x5"),  # no RIR: counted as to failure
        squat_outcome(FIRST_DAY + timedelta(days=10), "bw x8, 60x12@0, 50x8@3"),  # 11 effective: left out
    ]
    trend = e1rm_trend(history, formula=E1rmFormula.EPLEY)
    assert trend == [
        (FIRST_DAY, pytest.approx(120.0)),
        (FIRST_DAY + timedelta(days=7), pytest.approx(epley(102.5, 5))),
    ]
    brzycki = e1rm_trend(history[:1], formula=E1rmFormula.BRZYCKI)
    assert brzycki == [(FIRST_DAY, pytest.approx(100 * 36 / 31))]  # Brzycki (1993): w·36/(37 − r)


# --- properties ---------------------------------------------------------------------------------

STEPS_KG = (2.5, 1.25, 2.0, 5 * KG_PER_LB)
LOADED_IDS = ("back_squat", "deadlift", "bench_press", "overhead_press", "goblet_squat", "hip_thrust")
# IRONMILE_PROPERTY_EXAMPLES=2000 for a long hunt; the default keeps `make test` quick.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("IRONMILE_PROPERTY_EXAMPLES", "100")), deadline=None
)


@dataclass(frozen=True)
class Story:
    exercise: Exercise
    planned: Prescription
    history: tuple[Outcome, ...]
    step: float

    def target(self, today: date, history: tuple[Outcome, ...] | None = None) -> Target:
        return next_target(
            exercise=self.exercise,
            planned=self.planned,
            history=self.history if history is None else history,
            today=today,
            step_kg=self.step,
        )

    @property
    def last(self) -> Outcome:
        return [o for o in self.history if not o.prescription.deload][-1]

    @property
    def base(self) -> float:
        load = working_load(self.last)
        assert load is not None
        return load


@st.composite
def sessions(draw: st.DrawFn, dose: Prescription, day: date, step: float, kind: str) -> Outcome:
    """One logged session of `dose`: kind "any", "miss" or "progress"."""
    assert dose.reps is not None
    assert dose.rir is not None
    load = step * draw(st.integers(12, 90))
    count = draw(st.integers(1, 5)) if kind != "progress" else draw(st.integers(dose.sets, dose.sets + 1))
    logged = []
    for index in range(count):
        if kind == "progress":
            reps, rir = draw(st.integers(dose.reps, dose.reps + 2)), draw(st.integers(dose.rir + 1, 6))
        else:
            reps, rir = (
                draw(st.integers(max(0, dose.reps - 3), dose.reps + 2)),
                draw(st.none() | st.integers(0, 6)),
            )
            if kind == "miss" and index == 0:
                reps = draw(st.integers(max(0, dose.reps - 3), dose.reps - 1))
        logged.append(LoggedSet(dose.exercise_id, load, reps, None, rir))
    return Outcome(day, replace(dose, load_kg=load), tuple(logged))


@st.composite
def stories(draw: st.DrawFn, *, last: str = "any", deloads: bool = True, same_scheme: bool = False) -> Story:
    exercise = CATALOGUE.get(draw(st.sampled_from(LOADED_IDS)))
    step = draw(st.sampled_from(STEPS_KG))
    dose = Prescription(
        exercise.id, draw(st.integers(1, 5)), draw(st.integers(2, 8)), None, draw(st.integers(1, 3)), None
    )
    day = date(2026, 1, 5)
    history: list[Outcome] = []
    kinds = [*(["any"] * draw(st.integers(0, 4))), *(["miss", "miss"] if last == "miss" else [last])]
    for index, kind in enumerate(kinds):
        day += timedelta(days=draw(st.integers(1, 6)))
        # never the final session: the story's last word is always real evidence
        deload = deloads and kind == "any" and index < len(kinds) - 1 and draw(st.integers(0, 4)) == 0
        history.append(draw(sessions(replace(dose, deload=deload), day, step, kind)))
    if not same_scheme:
        dose = replace(dose, reps=draw(st.integers(2, 8)), rir=draw(st.integers(1, 3)))
    return Story(exercise, replace(dose, load_kg=step * 20, deload=False), tuple(history), step)


@given(story=stories(), gap=st.integers(0, 40))
@PROPERTY_SETTINGS
def test_never_more_than_ten_percent_up_and_never_negative(story: Story, gap: int) -> None:
    target = story.target(story.history[-1].date + timedelta(days=gap))
    assert target.load_kg is not None
    assert 0 <= target.load_kg <= story.base * (1 + MAX_RISE) + 1e-6


@given(story=stories(same_scheme=True), gap=st.integers(0, 13))
@PROPERTY_SETTINGS
def test_never_more_than_one_step_or_the_upper_percentage(story: Story, gap: int) -> None:
    target = story.target(story.history[-1].date + timedelta(days=gap))
    assert target.load_kg is not None
    share = 0.05 if story.exercise.region == "lower" else 0.025
    assert target.load_kg - story.base <= max(story.step, story.base * share) + 1e-6


@given(story=stories(deloads=False), data=st.data(), gap=st.integers(0, 40))
@PROPERTY_SETTINGS
def test_deloads_up_to_the_last_session_never_change_the_target(
    story: Story, data: st.DataObject, gap: int
) -> None:
    last_day = story.history[-1].date
    first_day = story.history[0].date
    days = data.draw(st.lists(st.integers(0, (last_day - first_day).days), max_size=3))
    deloads = tuple(
        data.draw(
            sessions(
                replace(story.last.prescription, deload=True),
                first_day + timedelta(days=d),
                story.step,
                "any",
            )
        )
        for d in days
    )
    today = last_day + timedelta(days=gap)
    assert story.target(today, story.history + deloads) == story.target(today)


@given(story=stories(deloads=False), data=st.data(), gap=st.integers(0, 13))
@PROPERTY_SETTINGS
def test_a_deload_after_the_last_session_changes_nothing_within_two_weeks(
    story: Story, data: st.DataObject, gap: int
) -> None:
    last_day = story.history[-1].date
    after = data.draw(st.integers(0, gap))
    deload = data.draw(
        sessions(
            replace(story.last.prescription, deload=True), last_day + timedelta(days=after), story.step, "any"
        )
    )
    today = last_day + timedelta(days=gap)
    assert story.target(today, (*story.history, deload)) == story.target(today)


@given(story=stories(last="miss", same_scheme=True), gap=st.integers(0, 13))
@PROPERTY_SETTINGS
def test_two_misses_in_a_row_always_reduce(story: Story, gap: int) -> None:
    target = story.target(story.history[-1].date + timedelta(days=gap))
    assert target.load_kg is not None
    assert target.load_kg < story.base or "lightest" in target.why
    assert "two sessions running" in target.why


@given(story=stories(last="progress", same_scheme=True), gap=st.integers(0, 13))
@PROPERTY_SETTINGS
def test_progress_raises_by_at_least_one_step_or_holds_with_a_reason(story: Story, gap: int) -> None:
    target = story.target(story.history[-1].date + timedelta(days=gap))
    assert target.load_kg is not None
    if target.load_kg == pytest.approx(story.base):
        assert "cap" in target.why
    else:
        assert target.load_kg >= story.base + story.step - 1e-6


@given(story=stories(), gap=st.integers(14, 60))
@PROPERTY_SETTINGS
def test_gaps_step_back_or_send_back_to_foundation(story: Story, gap: int) -> None:
    target = story.target(story.history[-1].date + timedelta(days=gap))
    assert target.back_to_foundation is (gap > 28)
    assert f"{gap} days since the last session" in target.why
    assert "→ +" not in target.why  # whatever the last session said, a gap never progresses


@given(story=stories(same_scheme=True), gap=st.integers(14, 60))
@PROPERTY_SETTINGS
def test_a_gap_lowers_the_load_of_the_same_scheme(story: Story, gap: int) -> None:
    # With a new rep scheme the lowered load is then carried over by the RTS chart, and may be
    # heavier in kg than the old one while lighter relative to the (reduced) e1RM.
    target = story.target(story.history[-1].date + timedelta(days=gap))
    assert target.load_kg is not None
    if target.back_to_foundation:  # the load is a placeholder until the caller re-plans
        assert target.load_kg <= story.base
    else:
        assert target.load_kg < story.base or "lightest" in target.why
