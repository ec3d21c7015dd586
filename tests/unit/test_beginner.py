"""The free beginner programme follows SCIENCE.md's rules in every week and both variants."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ironmile.domain.beginner import (
    BeginnerExercise,
    BeginnerProgramme,
    Kind,
    SessionVariant,
    Variant,
    beginner_programme,
    deload_sets,
    week_dose,
)
from ironmile.domain.beginner_text import (
    EXAMPLE_WEEK,
    KNEE_PAIN_4_TO_5,
    MAX_WEIGHT_RISE,
    SEE_A_CLINICIAN,
    SPIKE_SHARE,
    progression_rules,
    spike_example,
)
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError
from ironmile.domain.prescription import BODYWEIGHT_MIN_REPS
from ironmile.domain.units import UnitSystem

POSTERIOR_TARGET = 1.5  # SCIENCE.md §3: posterior:anterior lower-body sets per week
MAX_LOWER_SETS_PER_SESSION = 10  # SCIENCE.md §2, hypertrophy guard
MAX_SETS_PER_PATTERN_PER_WEEK = 8  # SCIENCE.md §2, hypertrophy guard
# SCIENCE.md §7: the red flags that call for a clinician.
RED_FLAGS = ("swelling", "locking", "giving way", "night pain", "pain after a fall or twist", "numbness")


@pytest.fixture(scope="module")
def programme(catalogue: Catalogue) -> BeginnerProgramme:
    return beginner_programme(catalogue, units=UnitSystem.METRIC)


def week_variants(programme: BeginnerProgramme, variant: Variant) -> list[list[SessionVariant]]:
    return [[session.variant(variant) for session in week.sessions] for week in programme.weeks]


def with_alternatives(items: list[BeginnerExercise]) -> list[BeginnerExercise]:
    """The session done with the fallback forms (no dumbbell at home, the easier forms in the gym)."""
    return [item if item.alternative is None else _swapped(item) for item in items]


def _swapped(item: BeginnerExercise) -> BeginnerExercise:
    """The fallback with its own dose."""
    assert item.alternative is not None
    assert item.alternative_dose is not None
    dose = item.alternative_dose
    return BeginnerExercise(
        item.movement, item.kind, item.alternative, dose.sets, dose.reps, dose.seconds, dose.rir,
        dose.rest_seconds, None, None, None,
    )  # fmt: skip


def test_ten_weeks_of_two_sessions_each_in_two_variants_by_default(programme: BeginnerProgramme) -> None:
    assert [week.index for week in programme.weeks] == list(range(1, 11))
    for week in programme.weeks:
        assert [session.key for session in week.sessions] == ["A", "B"]
        for session in week.sessions:
            assert [variant.variant for variant in session.variants] == [Variant.HOME, Variant.GYM]


@pytest.mark.parametrize("weeks", [8, 12])
def test_eight_to_twelve_weeks(catalogue: Catalogue, weeks: int) -> None:
    assert len(beginner_programme(catalogue, weeks=weeks, units=UnitSystem.METRIC).weeks) == weeks


@pytest.mark.parametrize("weeks", [0, 7, 13])
def test_other_lengths_are_input_errors(catalogue: Catalogue, weeks: int) -> None:
    with pytest.raises(InputError, match="8 to 12"):
        beginner_programme(catalogue, weeks=weeks, units=UnitSystem.METRIC)


@pytest.mark.parametrize("variant", list(Variant))
def test_compound_lifts_first_and_core_last(programme: BeginnerProgramme, variant: Variant) -> None:
    for week in week_variants(programme, variant):
        for session in week:
            compound = [item.exercise.compound for item in session.exercises]
            assert compound[0]
            assert compound == sorted(compound, reverse=True)
            assert session.exercises[-1].exercise.region == "core"


@pytest.mark.parametrize("variant", list(Variant))
@pytest.mark.parametrize("fallback", [False, True])
def test_every_week_covers_the_runner_families_with_posterior_emphasis(
    programme: BeginnerProgramme, variant: Variant, fallback: bool
) -> None:
    for week in week_variants(programme, variant):
        items = [item for session in week for item in session.exercises]
        if fallback:
            items = with_alternatives(items)
        exercises = [item.exercise for item in items]
        assert any(e.pattern == "hinge" for e in exercises)
        assert any(e.hamstring_dominant for e in exercises)
        assert any(e.unilateral and e.region == "lower" and e.compound for e in exercises)
        assert any(e.pattern == "calf" for e in exercises)
        assert any(e.region == "core" for e in exercises)
        sets = Counter[str]()
        for item in items:
            sets[item.exercise.pattern] += item.sets
            if item.exercise.region == "lower":
                sets[f"lower:{item.exercise.emphasis}"] += item.sets
        assert sets["push"] >= 1
        assert sets["pull"] >= sets["push"]
        assert sets["lower:posterior"] >= POSTERIOR_TARGET * sets["lower:anterior"]
        assert (
            max(sets[pattern] for pattern in {e.pattern for e in exercises}) <= MAX_SETS_PER_PATTERN_PER_WEEK
        )


@pytest.mark.parametrize("fallback", [False, True])
def test_sessions_stay_short_of_the_hypertrophy_guard_and_of_failure(
    programme: BeginnerProgramme, fallback: bool
) -> None:
    for week in programme.weeks:
        for session in week.sessions:
            for variant in session.variants:
                items = with_alternatives(list(variant.exercises)) if fallback else list(variant.exercises)
                lower = sum(item.sets for item in items if item.exercise.region == "lower")
                assert lower <= MAX_LOWER_SETS_PER_SESSION
                assert variant.minutes <= 45  # the documents promise about 40 minutes
                for item in items:
                    assert 1 <= item.sets <= 3
                    assert (item.seconds is None) == (item.exercise.measure == "reps")
                    assert item.rir is None if item.seconds is not None else 2 <= item.rir <= 4


def test_doses_move_from_foundation_towards_strength(programme: BeginnerProgramme) -> None:
    """SCIENCE.md §2: foundation 2–3 × 6–8 at RIR 3–4; strength 3–5 × 3–6 at RIR 1–3."""
    firsts = {week.index: week.sessions[0].variant(Variant.GYM).exercises[0] for week in programme.weeks}
    assert all(item.kind is Kind.MAIN for item in firsts.values())
    for index in (2, 3):
        assert (firsts[index].sets, firsts[index].reps, firsts[index].rir) == (3, 8, 3)
    for index in (9, 10):
        item = firsts[index]
        assert item.sets == 3
        assert item.reps is not None
        assert 3 <= item.reps <= 6
        assert item.rir == 2
    assert firsts[1].sets == 2
    assert firsts[1].rir == 4


def test_every_fourth_week_is_a_deload_with_fewer_sets_and_more_in_reserve(
    programme: BeginnerProgramme,
) -> None:
    assert [week.index for week in programme.weeks if week.deload] == [4, 8]
    for week in programme.weeks:
        if not week.deload:
            continue
        before = programme.weeks[week.index - 2]
        for session, previous in zip(week.sessions, before.sessions, strict=True):
            for variant, prior in zip(session.variants, previous.variants, strict=True):
                pairs = list(zip(variant.exercises, prior.exercises, strict=True))
                assert sum(a.sets for a, _ in pairs) <= 0.6 * sum(b.sets for _, b in pairs)  # −40–50 %
                for now, then in pairs:
                    assert now.exercise == then.exercise
                    assert now.sets < then.sets or now.sets == then.sets == 1
                    assert now.rir is None or (then.rir is not None and now.rir > then.rir)


@given(st.lists(st.integers(min_value=2, max_value=5), min_size=2, max_size=8))
def test_a_deload_cuts_40_to_50_percent_of_the_sets_keeping_one_of_each(sets: list[int]) -> None:
    """SCIENCE.md §2 (convention): deload sets −40–50 %."""
    cut = deload_sets(sets)
    assert all(1 <= after < before for after, before in zip(cut, sets, strict=True))
    assert 0.4 <= 1 - sum(cut) / sum(sets) <= 0.5
    if sets == sorted(sets, reverse=True):  # compound lifts first: they keep the most sets
        assert cut == sorted(cut, reverse=True)


def test_each_variant_uses_only_its_equipment_and_the_catalogue_cues(
    programme: BeginnerProgramme, catalogue: Catalogue
) -> None:
    for week in programme.weeks:
        for session in week.sessions:
            for variant in session.variants:
                for item in variant.exercises:
                    assert item.exercise.doable_with(variant.variant.equipment), item.exercise.id
                    assert item.cue == catalogue.get(item.exercise.id).cue != ""
                    if item.alternative is None:
                        continue
                    assert item.alternative.measure == item.exercise.measure
                    if item.alternative_label == "No dumbbell":
                        assert variant.variant is Variant.HOME
                        assert item.alternative.doable_with(Variant.HOME.equipment - {"dumbbell"})
                    else:
                        assert item.alternative_label == "Easier"
                        assert item.alternative.doable_with(variant.variant.equipment)


def test_home_sessions_need_no_dumbbell_with_the_fallbacks(programme: BeginnerProgramme) -> None:
    for session in programme.weeks[0].sessions:
        for item in session.variant(Variant.HOME).exercises:
            if "dumbbell" in item.exercise.equipment:
                assert item.alternative is not None
                assert item.alternative_label == "No dumbbell"


def test_a_fallback_gets_a_dose_of_its_own(programme: BeginnerProgramme) -> None:
    """A bodyweight fallback cannot reach the RIR in the few reps of its loaded form: it gets at least
    BODYWEIGHT_MIN_REPS (as the planner gives unloaded exercises), with the same sets and RIR."""
    for week in programme.weeks:
        for session in week.sessions:
            for variant in session.variants:
                for item in variant.exercises:
                    if item.alternative is None:
                        assert item.alternative_dose is None
                        continue
                    dose = item.alternative_dose
                    assert dose is not None
                    assert (dose.sets, dose.rir, dose.seconds) == (item.sets, item.rir, item.seconds)
                    if item.alternative.loaded or item.alternative.pattern == "knee_flexion":
                        assert dose.reps == item.reps, item.alternative.id
                    elif dose.reps is not None:
                        assert item.reps is not None
                        assert dose.reps == max(item.reps, BODYWEIGHT_MIN_REPS), item.alternative.id
    squat = programme.weeks[8].sessions[0].variant(Variant.HOME).exercises[0]
    assert squat.alternative is not None
    assert squat.alternative.id == "bodyweight_box_squat"
    assert (squat.sets, squat.reps, squat.rir) == (3, 5, 2)  # the goblet squat in week 9
    assert squat.alternative_dose is not None
    assert (squat.alternative_dose.sets, squat.alternative_dose.reps) == (3, BODYWEIGHT_MIN_REPS)


def test_week_dose_keeps_nordic_curls_to_few_reps(catalogue: Catalogue) -> None:
    """Nordic-style curls are eccentric: few slow reps even without added load (Mjølsnes et al. 2004)."""
    nordic = week_dose(Kind.HAMSTRING, 2, catalogue.get("nordic_hamstring_curl"))
    bridge = week_dose(Kind.HAMSTRING, 2, catalogue.get("hamstring_bridge"))
    assert nordic.reps is not None
    assert nordic.reps < BODYWEIGHT_MIN_REPS
    assert bridge.reps == BODYWEIGHT_MIN_REPS


@pytest.mark.parametrize(
    ("units", "present", "absent"),
    [
        (UnitSystem.METRIC, ("2.5 kg", "20 km to 27 km, 35% more"), (" lb", " mi")),
        (UnitSystem.IMPERIAL, ("5 lb", "12 mi to 16 mi, 33% more"), (" kg", " km")),
    ],
)
def test_units_change_the_steps_and_distances_in_the_rules(
    catalogue: Catalogue, units: UnitSystem, present: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    rules = " ".join(beginner_programme(catalogue, units=units).progression_rules)
    for text in present:
        assert text in rules
    for text in absent:
        assert text not in rules


@pytest.mark.parametrize("units", list(UnitSystem))
def test_the_spike_example_is_a_spike(units: UnitSystem) -> None:
    """SCIENCE.md §6: more than 30 % over two weeks; exactly 30 % would not be one."""
    base, spiked = spike_example(units)
    assert spiked / base - 1 > SPIKE_SHARE


@pytest.mark.parametrize("units", list(UnitSystem))
def test_the_progression_rules_add_reps_before_weight(units: UnitSystem) -> None:
    """Double progression (SCIENCE.md §5, never more than +10 % a session): reps rise first; only a
    weight at most 10 % heavier may come before the top of the reps. The words name a barbell step
    within the cap and a dumbbell step over it, and no longer promise a jump of one dumbbell size."""
    rules = " ".join(progression_rules(units))
    assert "Reps first, then weight." in rules
    assert f"at most about {MAX_WEIGHT_RISE:.0%} heavier" in rules
    assert "wait for the top of the reps" in rules
    assert "next dumbbells up" not in rules
    assert "never add more than" not in rules
    barbell_bar, barbell_step = (25.0, 2.5) if units is UnitSystem.METRIC else (55.0, 5.0)
    dumbbell, next_dumbbell = (8.0, 10.0) if units is UnitSystem.METRIC else (15.0, 20.0)
    assert barbell_step / barbell_bar <= MAX_WEIGHT_RISE
    assert next_dumbbell / dumbbell - 1 > MAX_WEIGHT_RISE
    assert f"{dumbbell:g} to {next_dumbbell:g} {units.mass_label}" in rules


def test_the_example_week_keeps_the_placement_rules() -> None:
    """SCIENCE.md §4: not the day before the long run or a hard run, not on consecutive days."""
    days = list(EXAMPLE_WEEK)
    lifting = [index for index, day in enumerate(days) if day.strength]
    assert len(lifting) == 2
    for index in lifting:
        tomorrow = days[(index + 1) % 7].running
        assert "long" not in tomorrow
        assert "hard" not in tomorrow
        assert "long" not in days[index].running
    assert lifting[1] - lifting[0] >= 2
    assert (lifting[0] + 7) - lifting[1] >= 2


def test_the_programme_carries_the_safety_lines(programme: BeginnerProgramme) -> None:
    text = " ".join(programme.safety)
    assert "not medical advice" in text
    assert "see a clinician" in text
    for flag in RED_FLAGS:
        assert flag in SEE_A_CLINICIAN, flag
    # SCIENCE.md §7, pain of 4–5/10: the pain-monitoring rule, then less loaded knee bending and
    # hip-dominant work; the programme prescribes goblet and split squats, so it must say this.
    assert KNEE_PAIN_4_TO_5 in programme.safety
    for words in ("4–5/10", "5/10 or below", "next morning", "bend the knee less", "hinges, bridges"):
        assert words in KNEE_PAIN_4_TO_5, words


def test_the_example_week_says_at_least_three_hours() -> None:
    """SCIENCE.md §4: at least 3 hours between a hard run and lifting, 6 if possible."""
    tuesday = next(day for day in EXAMPLE_WEEK if day.day == "Tuesday")
    assert "at least 3 hours after the run (6 if you can)" in tuesday.strength
