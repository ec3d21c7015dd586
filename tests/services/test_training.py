"""The training-log use cases (services/training.py) on SQLite, PostgreSQL and the in-memory fake:
init, show a day, log sets, progression from the log, export and restore, and that a refused or
failed command leaves the database exactly as it was.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from ironmile.adapters.db.backup import SCHEMA
from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.migrate import upgrade
from ironmile.adapters.db.ports import UnitOfWork
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import InputError, UnknownExerciseError
from ironmile.domain.log_notation import LogNotationError
from ironmile.domain.today import DayTarget
from ironmile.domain.training import LoggedSession
from ironmile.domain.units import UnitSystem, kg_from_display
from ironmile.services.review import record_body, swap_exercise
from ironmile.services.training import (
    NotInitialisedError,
    as_planned_split,
    export_all,
    init_athlete,
    log_sets,
    restore_all,
    show_day,
)
from tests.conftest import EXAMPLES_DIR
from tests.fakes import FakeUnitOfWork
from tests.services.conftest import Db

INIT_DAY = date(2026, 11, 30)  # a Monday; the marathoner's plan starts on Monday 7 December
TUE_1, WED_1, THU_1 = date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)  # week 1: Tue, Thu
TUE_2, TUE_3 = date(2026, 12, 15), date(2026, 12, 22)  # weeks 2 and 3, not deloads
IMPERIAL_INIT, IMPERIAL_TUE = date(2026, 12, 28), date(2027, 1, 5)  # imperial_ultra starts 4 Jan


def profile(name: str) -> str:
    return (EXAMPLES_DIR / f"{name}.toml").read_text(encoding="utf-8")


def init(uow: UnitOfWork, catalogue: Catalogue, name: str = "marathoner", today: date = INIT_DAY) -> None:
    init_athlete(uow, profile_text=profile(name), source=f"{name}.toml", today=today, catalogue=catalogue)


def stored_sessions(uow: UnitOfWork) -> list[LoggedSession]:
    with uow:
        [athlete] = uow.athletes.all()
        return [stored.session for stored in uow.log.between(athlete.id)]


def target(uow: UnitOfWork, catalogue: Catalogue, day: date, exercise_id: str) -> DayTarget:
    view = show_day(uow, day=day, catalogue=catalogue)
    return next(t for t in view.targets if t.exercise.id == exercise_id)


def seed(uow: UnitOfWork, catalogue: Catalogue) -> None:
    """A small but varied log: notation, pain and effort, as planned, an extra session, holds."""
    init(uow, catalogue)
    log_sets(
        uow, day=TUE_1, catalogue=catalogue, exercise_id="back_squat", notation="75x5x3@3", pain_during=2
    )
    log_sets(uow, day=TUE_1, catalogue=catalogue, exercise_id="pull_up", notation="bw x8x3@2", session_rpe=7)
    log_sets(uow, day=WED_1, catalogue=catalogue, exercise_id="plank", notation="45sx3, 10x30s")
    log_sets(uow, day=THU_1, catalogue=catalogue, as_planned=True)
    # the squat's pain settled by the next morning (without it, the pain model holds the load)
    record_body(uow, day=WED_1, catalogue=catalogue, morning_pain=1, body_mass=68.4)


# ------------------------------------------------------------------------------------------------
# init
# ------------------------------------------------------------------------------------------------


def test_init_stores_the_athlete_and_one_plan_version(db: Db, catalogue: Catalogue) -> None:
    result = init_athlete(
        db.uow, profile_text=profile("marathoner"), source="m.toml", today=INIT_DAY, catalogue=catalogue
    )
    assert result.athlete.name == "Alex"
    assert result.athlete.units is UnitSystem.METRIC
    assert result.athlete.created_on == INIT_DAY
    assert result.plan.start_date == date(2026, 12, 7)
    with db.uow:
        [athlete] = db.uow.athletes.all()
        [version] = db.uow.plans.versions(athlete.id)
    assert athlete == result.athlete
    assert athlete.profile_toml == profile("marathoner")  # exactly as written
    assert version.effective_from == INIT_DAY  # in force from today, before the plan's first week
    assert json.loads(version.document)["schema"] == "ironmile.plan/1"
    assert db.rows()["athletes"] == 1
    assert db.rows()["plan_versions"] == 1


def test_a_second_init_with_the_same_name_is_refused_and_writes_nothing(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    before = db.rows()
    with pytest.raises(InputError, match="'Alex' is already stored"):
        init(db.uow, catalogue, today=date(2026, 12, 1))
    assert db.rows() == before


def test_init_with_a_bad_profile_writes_nothing(db: Db, catalogue: Catalogue) -> None:
    before = db.rows()
    with pytest.raises(InputError, match=r"athlete\.body_mass"):
        init_athlete(
            db.uow,
            profile_text=profile("marathoner").replace("body_mass = 68.0", "body_mass = -1"),
            source="bad.toml",
            today=INIT_DAY,
            catalogue=catalogue,
        )
    assert db.rows() == before


# ------------------------------------------------------------------------------------------------
# before init
# ------------------------------------------------------------------------------------------------


def test_show_day_before_init_says_to_run_init(db: Db, catalogue: Catalogue) -> None:
    with pytest.raises(NotInitialisedError, match="ironmile init --profile FILE"):
        show_day(db.uow, day=TUE_1, catalogue=catalogue)


def test_log_and_export_before_init_are_refused(db: Db, catalogue: Catalogue) -> None:
    with pytest.raises(NotInitialisedError):
        log_sets(db.uow, day=TUE_1, catalogue=catalogue, exercise_id="back_squat", notation="60x5")
    with pytest.raises(NotInitialisedError):
        log_sets(db.uow, day=TUE_1, catalogue=catalogue, as_planned=True)
    with pytest.raises(NotInitialisedError):
        export_all(db.uow)
    assert not any(db.rows().values())


# ------------------------------------------------------------------------------------------------
# log_sets
# ------------------------------------------------------------------------------------------------


def test_notation_is_stored_in_kg_for_an_imperial_profile(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue, "imperial_ultra", today=IMPERIAL_INIT)
    session = log_sets(
        db.uow, day=IMPERIAL_TUE, catalogue=catalogue, exercise_id="back_squat", notation="135x5@2"
    )
    [stored] = stored_sessions(db.uow)
    assert stored == session
    [lifted] = stored.sets
    assert lifted.load_kg is not None
    assert round(lifted.load_kg, 2) == 61.23  # 135 lb
    assert lifted.load_kg == pytest.approx(kg_from_display(135, UnitSystem.IMPERIAL))
    assert (lifted.exercise_id, lifted.reps, lifted.seconds, lifted.rir) == ("back_squat", 5, None, 2)


def test_a_second_log_on_the_same_day_joins_its_session(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    log_sets(
        db.uow, day=TUE_1, catalogue=catalogue, exercise_id="back_squat", notation="75x5x3@2", pain_during=3
    )
    joined = log_sets(
        db.uow, day=TUE_1, catalogue=catalogue, exercise_id="pull_up", notation="x8x3@2", session_rpe=8
    )
    [stored] = stored_sessions(db.uow)
    assert stored == joined
    assert stored.date == TUE_1
    assert stored.planned is True
    assert [s.exercise_id for s in stored.sets] == ["back_squat"] * 3 + ["pull_up"] * 3
    assert [s.load_kg for s in stored.sets] == [75.0] * 3 + [None] * 3
    assert (stored.pain_during, stored.session_rpe) == (3, 8)  # the first call's pain is kept
    assert db.rows()["logged_sessions"] == 1
    assert db.rows()["logged_sets"] == 6


def test_a_day_without_a_planned_session_is_kept_as_an_extra_session(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    assert show_day(db.uow, day=WED_1, catalogue=catalogue).targets == ()
    session = log_sets(db.uow, day=WED_1, catalogue=catalogue, exercise_id="push_up", notation="bw x12x2")
    assert session.planned is False
    [stored] = stored_sessions(db.uow)
    assert stored.planned is False
    assert stored.date == WED_1
    assert len(stored.sets) == 2


def test_every_notation_form_is_stored(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    log_sets(
        db.uow, day=TUE_1, catalogue=catalogue, exercise_id="back_squat", notation="60x5@2, 62.5x5, 65X5x2@1"
    )
    log_sets(db.uow, day=TUE_1, catalogue=catalogue, exercise_id="plank", notation="45sx2, 20x30s")
    [stored] = stored_sessions(db.uow)
    assert [(s.load_kg, s.reps, s.seconds, s.rir) for s in stored.sets] == [
        (60.0, 5, None, 2),
        (62.5, 5, None, None),
        (65.0, 5, None, 1),
        (65.0, 5, None, 1),
        (None, None, 45, None),
        (None, None, 45, None),
        (20.0, None, 30, None),
    ]


IMPOSSIBLE = [
    pytest.param({"exercise_id": "back_squat", "notation": "75x5x3@11"}, "rir", id="rir-11"),
    pytest.param({"exercise_id": "back_squat", "notation": "75x500"}, "reps", id="500-reps"),
    pytest.param({"exercise_id": "back_squat", "notation": "-60x5"}, "load", id="negative-load"),
    pytest.param({"exercise_id": "back_squat", "notation": "700x5"}, "load", id="700-kg"),
    pytest.param({"exercise_id": "back_squat", "notation": "60x5x21"}, "sets", id="21-sets"),
    pytest.param({"exercise_id": "plank", "notation": "601sx1"}, "seconds", id="601-s"),
    pytest.param({"exercise_id": "back_squat", "notation": "60 kg for 5"}, "text", id="not-notation"),
    pytest.param({"exercise_id": "back_squat", "notation": "   "}, "text", id="blank"),
    pytest.param(
        {"exercise_id": "back_squat", "notation": "60x5", "pain_during": 11}, "--pain", id="pain-11"
    ),
    pytest.param(
        {"exercise_id": "back_squat", "notation": "60x5", "pain_during": -1}, "--pain", id="pain--1"
    ),
    pytest.param({"exercise_id": "back_squat", "notation": "60x5", "session_rpe": 11}, "--rpe", id="rpe-11"),
    pytest.param({"exercise_id": "back_squatt", "notation": "60x5"}, "back_squatt", id="unknown-exercise"),
    pytest.param({"exercise_id": "back_squat"}, "back_squat 60x5x3@2", id="no-sets"),
    pytest.param({"as_planned": True, "pain_during": 12}, "--pain", id="as-planned-pain-12"),
]


@pytest.mark.parametrize(("arguments", "named"), IMPOSSIBLE)
def test_impossible_values_are_refused_by_name_and_nothing_is_written(
    db: Db, catalogue: Catalogue, arguments: dict[str, object], named: str
) -> None:
    init(db.uow, catalogue)
    log_sets(db.uow, day=TUE_1, catalogue=catalogue, exercise_id="back_squat", notation="75x5x3@2")
    before, sessions = db.rows(), stored_sessions(db.uow)
    with pytest.raises(InputError) as refused:
        log_sets(db.uow, day=TUE_1, catalogue=catalogue, **arguments)  # type: ignore[arg-type]
    assert named in str(refused.value)
    assert "\n" not in str(refused.value)
    if isinstance(refused.value, LogNotationError):
        assert refused.value.field == named
    if named == "back_squatt":
        assert isinstance(refused.value, UnknownExerciseError)
        assert "back_squat" in refused.value.suggestions
    assert db.rows() == before
    assert stored_sessions(db.uow) == sessions


def test_as_planned_logs_every_target_set(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    view = show_day(db.uow, day=THU_1, catalogue=catalogue)
    assert view.targets
    session = log_sets(db.uow, day=THU_1, catalogue=catalogue, as_planned=True)
    expected = [
        (t.exercise.id, None if t.load is None else t.load, t.reps, t.seconds, t.rir)
        for t in view.targets
        for _ in range(t.sets)
    ]
    assert [(s.exercise_id, s.load_kg, s.reps, s.seconds, s.rir) for s in session.sets] == expected
    assert session.planned is True
    assert stored_sessions(db.uow) == [session]
    assert db.rows()["logged_sets"] == sum(t.sets for t in view.targets)


def test_as_planned_converts_target_loads_to_kg(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue, "imperial_ultra", today=IMPERIAL_INIT)
    view = show_day(db.uow, day=IMPERIAL_TUE, catalogue=catalogue)
    session = log_sets(db.uow, day=IMPERIAL_TUE, catalogue=catalogue, as_planned=True)
    squat = next(t for t in view.targets if t.exercise.id == "back_squat")
    assert squat.load is not None
    logged = next(s for s in session.sets if s.exercise_id == "back_squat")
    assert logged.load_kg == pytest.approx(kg_from_display(squat.load, UnitSystem.IMPERIAL))


def test_as_planned_on_a_day_without_a_session_is_refused(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    before = db.rows()
    with pytest.raises(InputError, match="--as-planned: no session is planned on 2026-12-09"):
        log_sets(db.uow, day=WED_1, catalogue=catalogue, as_planned=True)
    assert db.rows() == before


def test_as_planned_leaves_out_lifts_without_a_load_and_counts_a_swapped_out_exercise_as_started(
    db: Db, catalogue: Catalogue
) -> None:
    """A lift swapped in with no load to start from would be stored as bodyweight; sets of the
    exercise a swap replaced mean the replacement is started, so they are not doubled."""
    init(db.uow, catalogue)
    swap_exercise(
        db.uow, exercise_id="pull_up", replacement_id="dumbbell_row", day=TUE_1, catalogue=catalogue
    )
    swap_exercise(db.uow, exercise_id="bench_press", replacement_id="push_up", day=TUE_1, catalogue=catalogue)
    log_sets(db.uow, day=TUE_1, catalogue=catalogue, exercise_id="bench_press", notation="50x5@2")
    session = log_sets(db.uow, day=TUE_1, catalogue=catalogue, as_planned=True)
    logged = [s.exercise_id for s in session.sets]
    assert "dumbbell_row" not in logged
    assert "push_up" not in logged
    assert logged[0] == "bench_press"
    view = show_day(db.uow, day=TUE_1, catalogue=catalogue)
    to_log, needs_load = as_planned_split(view.targets, set(logged))
    assert (to_log, [t.exercise.id for t in needs_load]) == ((), ["dumbbell_row"])
    with pytest.raises(InputError, match="--as-planned: dumbbell_row: no load to log as planned"):
        log_sets(db.uow, day=TUE_1, catalogue=catalogue, as_planned=True)
    assert stored_sessions(db.uow) == [session]


# ------------------------------------------------------------------------------------------------
# progression, as show_day reports it after logging
# ------------------------------------------------------------------------------------------------


def test_reps_to_spare_raise_the_next_load_by_one_step(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    first = target(db.uow, catalogue, TUE_1, "back_squat")
    assert (first.load, first.rir) == (75.0, 2)
    assert first.why.startswith("first session")
    log_sets(db.uow, day=TUE_1, catalogue=catalogue, exercise_id="back_squat", notation="75x5x3@3")
    assert target(db.uow, catalogue, TUE_1, "back_squat").load == 75.0  # today's own log does not move it
    progressed = target(db.uow, catalogue, TUE_2, "back_squat")
    assert progressed.load == 77.5  # lower body, 1 rep to spare: +2.5 % of 75 kg, one 2.5 kg step
    assert "+2.5 kg" in progressed.why
    assert progressed.plates_per_side == (25, 2.5, 1.25)


def test_on_target_holds_the_load(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    log_sets(db.uow, day=TUE_1, catalogue=catalogue, exercise_id="back_squat", notation="75x5x3@2")
    held = target(db.uow, catalogue, TUE_2, "back_squat")
    assert held.load == 75.0
    assert "hold 75 kg" in held.why


def test_two_misses_in_a_row_reduce_the_load(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    log_sets(db.uow, day=TUE_1, catalogue=catalogue, exercise_id="back_squat", notation="75x4x3@2")
    once = target(db.uow, catalogue, TUE_2, "back_squat")
    assert once.load == 75.0
    assert "missed the target last time" in once.why
    log_sets(db.uow, day=TUE_2, catalogue=catalogue, exercise_id="back_squat", notation="75x4x3@2")
    twice = target(db.uow, catalogue, TUE_3, "back_squat")
    assert twice.load is not None
    assert twice.load < 75.0
    assert "missed the target two sessions running" in twice.why
    assert "−5 %" in twice.why


# ------------------------------------------------------------------------------------------------
# export and restore
# ------------------------------------------------------------------------------------------------


def test_export_is_byte_identical_while_nothing_changes(db: Db, catalogue: Catalogue) -> None:
    seed(db.uow, catalogue)
    first = export_all(db.uow)
    assert export_all(db.uow) == first
    document = json.loads(first)
    assert document["schema"] == SCHEMA == "ironmile.dump/1"
    assert [s["date"] for s in document["logged_sessions"]] == ["2026-12-08", "2026-12-09", "2026-12-10"]
    assert [s["planned"] for s in document["logged_sessions"]] == [True, False, True]
    log_sets(db.uow, day=TUE_2, catalogue=catalogue, exercise_id="back_squat", notation="77.5x5x3@2")
    assert export_all(db.uow) != first


def test_restore_into_an_empty_database_exports_the_same_bytes(
    db: Db, catalogue: Catalogue, tmp_path: Path
) -> None:
    source = sqlite_engine(tmp_path / "source.db")
    seed(SqlUnitOfWork(source), catalogue)
    exported = export_all(SqlUnitOfWork(source))
    restore_all(db.uow, exported, source="backup.json")
    assert export_all(db.uow) == exported
    again = FakeUnitOfWork()
    restore_all(again, export_all(db.uow), source="backup.json")
    assert export_all(again) == exported
    # the restored database is usable: today's targets come from the restored log
    assert target(db.uow, catalogue, TUE_2, "back_squat").load == 77.5


def test_restore_refuses_a_database_that_holds_an_athlete(db: Db, catalogue: Catalogue) -> None:
    seed(db.uow, catalogue)
    exported = export_all(db.uow)
    before = db.rows()
    with pytest.raises(InputError, match=r"backup\.json: the database already holds an athlete"):
        restore_all(db.uow, exported, source="backup.json")
    assert db.rows() == before
    assert export_all(db.uow) == exported


BROKEN = [
    pytest.param('{"schema": "ironmile.dump/1", ', "not JSON", id="truncated"),
    pytest.param("", "not JSON", id="empty"),
    pytest.param('{"schema": "ironmile.dump/1"}', "lacks athlete", id="no-tables"),
    pytest.param("[]", "document: expected an object", id="not-an-object"),
]


@pytest.mark.parametrize(("text", "says"), BROKEN)
def test_restore_refuses_broken_documents_without_writing(db: Db, text: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        restore_all(db.uow, text, source="backup.json")
    assert not any(db.rows().values())


@pytest.mark.parametrize(
    ("path", "value", "says"),
    [
        pytest.param(("schema",), "ironmile.dump/9", "schema", id="other-schema"),
        pytest.param(("logged_sessions", -1, "sets", -1, "rir"), 11, "rir", id="last-set-rir-11"),
        pytest.param(("logged_sessions", 0, "date"), "2026-13-01", "date", id="bad-date"),
    ],
)
def test_restore_refuses_a_document_with_one_bad_value_without_writing(
    db: Db, catalogue: Catalogue, tmp_path: Path, path: tuple[str | int, ...], value: object, says: str
) -> None:
    source = sqlite_engine(tmp_path / "source.db")
    seed(SqlUnitOfWork(source), catalogue)
    document = json.loads(export_all(SqlUnitOfWork(source)))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    with pytest.raises(InputError, match=says):
        restore_all(db.uow, json.dumps(document), source="backup.json")
    assert not any(db.rows().values())


# ------------------------------------------------------------------------------------------------
# atomicity on the real database
# ------------------------------------------------------------------------------------------------


class CommitFails(SqlUnitOfWork):
    """The real unit of work whose commit fails, as a lost connection or a full disk would, after
    every row of the command was already sent to the database."""

    def commit(self) -> None:
        raise OSError("disk full")


def test_an_exception_inside_a_unit_of_work_leaves_no_rows(sql_db: Db, catalogue: Catalogue) -> None:
    init(sql_db.uow, catalogue)
    before = sql_db.rows()

    def half_way() -> None:
        with sql_db.uow as uow:
            [athlete] = uow.athletes.all()
            uow.log.add(athlete.id, LoggedSession(TUE_1, ()))
            uow.plans.add(athlete.id, created_on=TUE_1, effective_from=TUE_1, document="{}")
            raise RuntimeError("half way")

    with pytest.raises(RuntimeError, match="half way"):
        half_way()
    assert sql_db.rows() == before


@pytest.mark.parametrize("existing", [False, True], ids=["new-session", "joined-session"])
def test_a_failure_while_logging_leaves_the_database_unchanged(
    sql_db: Db, catalogue: Catalogue, existing: bool
) -> None:
    init(sql_db.uow, catalogue)
    if existing:
        log_sets(sql_db.uow, day=TUE_1, catalogue=catalogue, exercise_id="back_squat", notation="75x5x3@2")
    before, sessions = sql_db.rows(), stored_sessions(sql_db.uow)
    assert sql_db.engine is not None
    with pytest.raises(OSError, match="disk full"):
        log_sets(
            CommitFails(sql_db.engine),
            day=TUE_1,
            catalogue=catalogue,
            exercise_id="pull_up",
            notation="x8x3@2",
        )
    assert sql_db.rows() == before
    assert stored_sessions(sql_db.uow) == sessions


def test_a_failure_while_restoring_leaves_the_database_empty(
    sql_db: Db, catalogue: Catalogue, tmp_path: Path
) -> None:
    source = sqlite_engine(tmp_path / "source.db")
    seed(SqlUnitOfWork(source), catalogue)
    assert sql_db.engine is not None
    with pytest.raises(OSError, match="disk full"):
        restore_all(CommitFails(sql_db.engine), export_all(SqlUnitOfWork(source)), source="backup.json")
    assert not any(sql_db.rows().values())


# ------------------------------------------------------------------------------------------------
# export → restore → export, over generated logs (SQLite files)
# ------------------------------------------------------------------------------------------------


def sqlite_engine(path: Path) -> Engine:
    engine = make_engine(str(path))
    upgrade(engine)
    return engine


@pytest.fixture(scope="module")
def initialised_template(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Path:
    """A SQLite file holding the marathoner, just initialised; each example logs into a copy."""
    folder = tmp_path_factory.mktemp("template")
    engine = sqlite_engine(folder / "initialised.db")
    init(SqlUnitOfWork(engine), catalogue)
    engine.dispose()
    return folder / "initialised.db"


loads = st.one_of(st.just("bw x"), st.just("x"), st.integers(0, 160).map(lambda n: f"{n * 2.5:g}x"))
groups = st.builds(
    lambda load, reps, sets, rir: f"{load}{reps}{sets}{rir}",
    loads,
    st.integers(1, 20),
    st.one_of(st.just(""), st.integers(1, 5).map(lambda n: f"x{n}")),
    st.one_of(st.just(""), st.integers(0, 10).map(lambda n: f"@{n}")),
)
entries = st.tuples(
    st.integers(0, 27).map(lambda n: date.fromordinal(TUE_1.toordinal() + n)),
    st.sampled_from(("back_squat", "deadlift", "pull_up", "bench_press", "hip_thrust")),
    st.lists(groups, min_size=1, max_size=3).map(", ".join),
    st.none() | st.integers(0, 10),
    st.none() | st.integers(0, 10),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(log=st.lists(entries, min_size=1, max_size=6))
def test_export_restore_export_is_identical_for_generated_logs(
    log: list[tuple[date, str, str, int | None, int | None]], initialised_template: Path, catalogue: Catalogue
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(initialised_template, Path(folder) / "source.db")
        source = sqlite_engine(Path(folder) / "source.db")
        copy = sqlite_engine(Path(folder) / "copy.db")
        try:
            for day, exercise_id, notation, pain, rpe in log:
                log_sets(
                    SqlUnitOfWork(source),
                    day=day,
                    catalogue=catalogue,
                    exercise_id=exercise_id,
                    notation=notation,
                    pain_during=pain,
                    session_rpe=rpe,
                )
            exported = export_all(SqlUnitOfWork(source))
            assert export_all(SqlUnitOfWork(source)) == exported
            assert len(json.loads(exported)["logged_sessions"]) == len({day for day, *_ in log})
            restore_all(SqlUnitOfWork(copy), exported, source="backup.json")
            assert export_all(SqlUnitOfWork(copy)) == exported
        finally:
            source.dispose()
            copy.dispose()
