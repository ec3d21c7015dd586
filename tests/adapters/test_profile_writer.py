"""The profile writer, judged by the profile parser: any answers written read back as exactly the
profile they describe, text of any kind survives TOML's string escapes, and the writer never
judges: a wrong answer is written as given for the parser to name."""

from __future__ import annotations

import math
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ironmile.adapters.profile_toml import next_monday, parse_profile
from ironmile.adapters.profile_writer import (
    LiftAnswer,
    ProfileAnswers,
    RaceAnswer,
    toml_number,
    toml_string,
    write_profile,
)
from ironmile.domain.athlete import (
    DAY_NAMES,
    RED_FLAGS,
    Athlete,
    E1rmFormula,
    Goal,
    Health,
    KnownLift,
    Profile,
    Race,
    RacePriority,
    RunningWeek,
    Screen,
    Sex,
    StrengthLevel,
    StrengthSetup,
)
from ironmile.domain.catalogue import EQUIPMENT, Catalogue
from ironmile.domain.errors import ProfileError
from ironmile.domain.units import UnitSystem, kg_from_display, m_from_display

TODAY = date(2026, 11, 26)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LOADED = ("back_squat", "deadlift", "bench_press", "goblet_squat", "hip_thrust")
ZONES = ("Europe/Berlin", "America/Los_Angeles", "UTC")


def days(draw: st.DrawFn, pool: list[str], *, min_size: int = 0) -> tuple[str, ...]:
    return tuple(draw(st.lists(st.sampled_from(pool), unique=True, min_size=min_size))) if pool else ()


def open_float(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, exclude_min=True, exclude_max=True)


@st.composite
def valid_answers(draw: st.DrawFn) -> ProfileAnswers:
    """Answers the parser accepts: every field, within every limit, key and long-run days on run
    days, races on or after the start and within 104 weeks of it."""
    run_days = days(draw, list(DAY_NAMES))
    long_run = draw(st.none() | st.sampled_from(run_days)) if run_days else None
    start = draw(st.none() | st.dates(date(2026, 1, 1), date(2028, 1, 1)))
    first = start or next_monday(TODAY)
    race = st.builds(
        RaceAnswer,
        date=st.dates(first, first + timedelta(weeks=100)),
        distance=open_float(0, 1000),
        priority=st.sampled_from("ABC"),
        name=st.none() | st.text(),
    )
    resting = draw(st.none() | st.integers(25, 99))
    lift_ids = draw(st.lists(st.sampled_from(LOADED), unique=True, max_size=3))
    lifts = []
    for lift_id in lift_ids:
        reps = draw(st.integers(1, 10))
        lifts.append(
            (lift_id, LiftAnswer(draw(open_float(0, 1000)), reps, draw(st.integers(0, min(5, 10 - reps)))))
        )
    bridge = draw(st.none() | st.tuples(st.integers(0, 200), st.integers(0, 200)))
    return ProfileAnswers(
        body_mass=draw(open_float(0, 700)),
        units=draw(st.sampled_from(["metric", "imperial"])),
        strength_level=draw(st.sampled_from(["novice", "intermediate", "advanced"])),
        goal=draw(st.sampled_from(["strength", "muscle"])),
        name=draw(st.none() | st.text()),
        sex=draw(st.none() | st.sampled_from(["female", "male"])),
        resting_heart_rate=resting,
        max_heart_rate=draw(st.none() | st.integers(max(100, (resting or 0) + 1), 240)),
        time_zone=draw(st.none() | st.sampled_from(ZONES)),
        weekly_distance=draw(st.none() | st.floats(0, 1000, exclude_max=True)),
        run_days=run_days,
        key_days=days(draw, [day for day in run_days if day != long_run]),
        long_run_day=long_run,
        races=tuple(draw(st.lists(race, max_size=3))),
        available_days=days(draw, list(DAY_NAMES), min_size=1),
        session_minutes=draw(st.integers(20, 240)),
        start_date=start,
        weeks=draw(st.none() | st.integers(1, 104)),
        sessions_per_week=draw(st.none() | st.integers(1, 7)),
        equipment=days(draw, list(EQUIPMENT)),
        e1rm_formula=draw(st.none() | st.sampled_from(["epley", "brzycki"])),
        knee_pain=draw(st.integers(0, 10)),
        red_flags=days(draw, list(RED_FLAGS)),
        bridge_left=bridge[0] if bridge else None,
        bridge_right=bridge[1] if bridge else None,
        felt_in=draw(st.none() | st.sampled_from(["quads", "glutes_hamstrings", "both"])),
        hq_ratio=draw(st.none() | open_float(0, 3)),
        lifts=tuple(lifts),
    )


def described(a: ProfileAnswers) -> Profile:
    """The profile the answers describe, built by hand in SI units (docs/profile.md's meanings)."""
    units = UnitSystem(a.units)
    assert a.body_mass is not None
    assert a.session_minutes is not None

    def indices(names: tuple[str, ...]) -> frozenset[int]:
        return frozenset(DAY_NAMES.index(name) for name in names)

    races = [
        Race(r.date, m_from_display(r.distance, units), RacePriority(r.priority), r.name)
        for r in a.races
        if r.date is not None and r.distance is not None
    ]
    return Profile(
        athlete=Athlete(
            body_mass_kg=kg_from_display(a.body_mass, units),
            units=units,
            level=StrengthLevel(a.strength_level),
            goal=Goal(a.goal),
            name=a.name,
            sex=Sex(a.sex) if a.sex else None,
            resting_heart_rate_bpm=a.resting_heart_rate,
            max_heart_rate_bpm=a.max_heart_rate,
            time_zone=a.time_zone,
        ),
        running=RunningWeek(
            weekly_distance_m=m_from_display(a.weekly_distance or 0, units),
            run_days=indices(a.run_days),
            key_days=indices(a.key_days),
            long_run_day=DAY_NAMES.index(a.long_run_day) if a.long_run_day else None,
        ),
        races=tuple(sorted(races, key=lambda race: (race.date, race.priority))),
        strength=StrengthSetup(
            start_date=a.start_date or next_monday(TODAY),
            available_days=indices(a.available_days),
            session_minutes=a.session_minutes,
            equipment=frozenset(a.equipment),
            weeks=a.weeks,
            sessions_per_week=a.sessions_per_week,
            e1rm_formula=E1rmFormula(a.e1rm_formula or "epley"),
        ),
        health=Health(a.knee_pain, frozenset(a.red_flags)),
        screen=Screen(a.bridge_left, a.bridge_right, a.felt_in, a.hq_ratio),
        lifts=tuple(
            KnownLift(lift_id, kg_from_display(lift.load, units), lift.reps, lift.rir)
            for lift_id, lift in sorted(a.lifts)
        ),
    )


@settings(max_examples=300, deadline=None)
@given(answers=valid_answers())
def test_any_valid_answers_read_back_as_the_profile_they_describe(
    answers: ProfileAnswers, catalogue: Catalogue
) -> None:
    text = write_profile(answers)
    assert parse_profile(text, source="written", today=TODAY, catalogue=catalogue) == described(answers)


@given(text=st.text())
def test_any_text_survives_toml_string_escapes(text: str) -> None:
    assert tomllib.loads(f"name = {toml_string(text)}")["name"] == text


def test_quotes_backslashes_and_control_characters_are_escaped_as_toml_asks() -> None:
    assert toml_string('Ann "the" \\ \t\n\x00\x7f é') == '"Ann \\"the\\" \\\\ \\t\\n\\u0000\\u007F é"'


def test_a_lone_surrogate_is_not_text_and_is_refused() -> None:
    with pytest.raises(ValueError, match="U\\+D800"):
        toml_string("a\ud800b")


@given(value=st.floats(allow_nan=False) | st.integers(-(2**63), 2**63 - 1))
def test_numbers_read_back_exactly(value: float) -> None:
    assert tomllib.loads(f"x = {toml_number(value)}")["x"] == value


def test_not_a_number_and_infinity_are_written_as_toml_writes_them() -> None:
    assert [toml_number(v) for v in (math.nan, math.inf, -math.inf)] == ["nan", "inf", "-inf"]


def test_the_example_marathoner_written_from_answers_is_the_example_file(catalogue: Catalogue) -> None:
    answers = ProfileAnswers(
        name="Alex",
        body_mass=68.0,
        strength_level="intermediate",
        weekly_distance=60,
        run_days=("tue", "wed", "thu", "sat", "sun"),
        key_days=("tue", "thu"),
        long_run_day="sun",
        races=(
            RaceAnswer(date(2027, 3, 14), 21.1, "B", "City Half"),
            RaceAnswer(date(2027, 4, 25), 42.195, "A", "Spring Marathon"),
        ),
        start_date=date(2026, 12, 7),
        available_days=("mon", "tue", "wed", "thu", "fri", "sat"),
        session_minutes=50,
        equipment=("barbell", "rack", "bench", "dumbbell", "kettlebell", "band", "box", "pullup_bar"),
        lifts=(
            ("back_squat", LiftAnswer(80, 5)),
            ("deadlift", LiftAnswer(100, 5)),
            ("bench_press", LiftAnswer(55, 6, 1)),
        ),
    )
    example = (EXAMPLES / "marathoner.toml").read_text(encoding="utf-8")
    written = write_profile(answers)
    assert tomllib.loads(written) == tomllib.loads(example)
    parsed = parse_profile(written, source="written", today=TODAY, catalogue=catalogue)
    assert parsed == parse_profile(example, source="example", today=TODAY, catalogue=catalogue)


@pytest.mark.parametrize(
    ("answers", "fields"),
    [
        (
            ProfileAnswers(units="metrik", body_mass=-1.0, available_days=("mon",), session_minutes=45),
            {"athlete.units", "athlete.body_mass"},
        ),
        (
            ProfileAnswers(body_mass=math.nan, available_days=("mon", "fryday"), session_minutes=45),
            {"athlete.body_mass", "strength.available_days[1]"},
        ),
        (ProfileAnswers(body_mass=70.0), {"strength.available_days", "strength.session_minutes"}),
        (
            ProfileAnswers(body_mass=70.0, available_days=("mon",), session_minutes=45, bridge_left=20),
            {"screen.single_leg_bridge.right"},
        ),
        (
            ProfileAnswers(
                body_mass=70.0,
                available_days=("mon",),
                session_minutes=45,
                run_days=("tue",),
                key_days=("wed",),
            ),
            {"running.key_days[0]"},
        ),
        (
            ProfileAnswers(
                body_mass=70.0, available_days=("mon",), session_minutes=45, races=(RaceAnswer(None, 10.0),)
            ),
            {"races[0].date"},
        ),
    ],
)
def test_wrong_answers_are_written_as_given_and_the_parser_names_each_field(
    answers: ProfileAnswers, fields: set[str], catalogue: Catalogue
) -> None:
    with pytest.raises(ProfileError) as refused:
        parse_profile(write_profile(answers), source="written", today=TODAY, catalogue=catalogue)
    assert {problem.field for problem in refused.value.problems} == fields
