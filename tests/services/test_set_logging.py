"""Logging one set at a time (services/set_logging.py) on SQLite, PostgreSQL and the in-memory fake:
sets join the day's session in order, a repeated request id logs nothing, bad values are refused
with every field named before anything is written, pain check-ins and the gym day's contents.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date
from typing import Self

import pytest

from ironmile.adapters.db.ports import AppliedRequest, UnitOfWork
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import ProfileError
from ironmile.domain.pain_monitor import PainAction
from ironmile.domain.training import LoggedSession
from ironmile.domain.units import UnitSystem, kg_from_display
from ironmile.services.set_logging import SetEntry, check_in, gym_day, log_set
from ironmile.services.training import init_athlete, log_sets
from tests.conftest import EXAMPLES_DIR
from tests.services.conftest import Db

INIT_DAY = date(2026, 11, 30)  # the marathoner's plan starts on Monday 7 December
TUE_1, WED_1 = date(2026, 12, 8), date(2026, 12, 9)  # Tuesday: back squat 3×5 @ 75 kg RIR 2; Wednesday: none
TODAY = TUE_1
IMPERIAL_INIT, IMPERIAL_TUE = date(2026, 12, 28), date(2027, 1, 5)


def init(
    uow: UnitOfWork, catalogue: Catalogue, name: str = "marathoner", *, as_name: str | None = None
) -> int:
    text = (EXAMPLES_DIR / f"{name}.toml").read_text(encoding="utf-8")
    today = IMPERIAL_INIT if name == "imperial_ultra" else INIT_DAY
    stored = init_athlete(
        uow, profile_text=text, source=f"{name}.toml", today=today, catalogue=catalogue, name=as_name
    )
    return stored.athlete.id


def squat(
    load: float | None = 75.0, reps: int | None = 5, rir: int | None = 2, **changes: object
) -> SetEntry:
    values: dict[str, object] = {
        "day": TUE_1,
        "exercise_id": "back_squat",
        "load": load,
        "reps": reps,
        "seconds": None,
        "rir": rir,
        **changes,
    }
    return SetEntry(**values)  # type: ignore[arg-type]


def sessions(uow: UnitOfWork, athlete_id: int | None = None) -> list[LoggedSession]:
    with uow:
        owner = athlete_id if athlete_id is not None else uow.athletes.all()[0].id
        return [stored.session for stored in uow.log.between(owner)]


def new_id() -> str:
    return str(uuid.uuid4())


def fields(error: pytest.ExceptionInfo[ProfileError]) -> dict[str, str]:
    return {problem.field: problem.message for problem in error.value.problems}


def test_sets_join_the_day_session_in_the_order_they_were_lifted(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    first = log_set(db.uow, entry=squat(), request_id=new_id(), today=TODAY, catalogue=catalogue)
    second = log_set(db.uow, entry=squat(rir=1), request_id=new_id(), today=TODAY, catalogue=catalogue)
    pull = SetEntry(TUE_1, "pull_up", None, 8, None, 2, pain=1)
    third = log_set(db.uow, entry=pull, request_id=new_id(), today=TODAY, catalogue=catalogue)
    assert [(r.number, r.replayed) for r in (first, second, third)] == [(1, False), (2, False), (1, False)]
    [session] = sessions(db.uow)
    assert session.planned is True
    assert [(s.exercise_id, s.load_kg, s.reps, s.rir, s.pain) for s in session.sets] == [
        ("back_squat", 75.0, 5, 2, None),
        ("back_squat", 75.0, 5, 1, None),
        ("pull_up", None, 8, 2, 1),
    ]
    assert db.rows()["logged_sessions"] == 1


def test_a_repeated_request_id_returns_the_first_result_and_logs_nothing(
    db: Db, catalogue: Catalogue
) -> None:
    """The offline queue resends a set whose response was lost: the retry must not log it twice,
    even when the retry's values differ (the first one stored wins)."""
    init(db.uow, catalogue)
    request_id = new_id()
    first = log_set(db.uow, entry=squat(), request_id=request_id, today=TODAY, catalogue=catalogue)
    rows = db.rows()
    again = log_set(
        db.uow, entry=squat(load=80.0), request_id=request_id.upper(), today=TODAY, catalogue=catalogue
    )
    assert again.replayed is True
    assert (again.logged, again.number, again.day) == (first.logged, first.number, first.day)
    assert db.rows() == rows
    assert len(sessions(db.uow)[0].sets) == 1


def test_the_same_request_id_from_two_athletes_is_two_sets(db: Db, catalogue: Catalogue) -> None:
    alex = init(db.uow, catalogue)
    sam = init(db.uow, catalogue, as_name="Sam")
    request_id = new_id()
    for athlete_id in (alex, sam):
        result = log_set(
            db.uow,
            entry=squat(),
            request_id=request_id,
            today=TODAY,
            catalogue=catalogue,
            athlete_id=athlete_id,
        )
        assert result.replayed is False
    assert [len(sessions(db.uow, a)[0].sets) for a in (alex, sam)] == [1, 1]


def test_bad_values_are_refused_with_every_field_named_and_nothing_stored(
    db: Db, catalogue: Catalogue
) -> None:
    init(db.uow, catalogue)
    rows = db.rows()
    bad = squat(load=-5.0, reps=101, rir=11, pain=12, exercise_id="back_squatt", day=date(2026, 12, 10))
    with pytest.raises(ProfileError) as error:
        log_set(db.uow, entry=bad, request_id="not-a-uuid", today=TODAY, catalogue=catalogue)
    assert set(fields(error)) == {"load", "reps", "rir", "pain", "exercise_id", "date", "request_id"}
    assert "expected 0 to 100" in fields(error)["reps"]
    assert db.rows() == rows


def test_loads_must_stay_under_1000_kg_in_either_unit_system(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    with pytest.raises(ProfileError) as error:
        log_set(db.uow, entry=squat(load=1000.0), request_id=new_id(), today=TODAY, catalogue=catalogue)
    assert "under 1000 kg" in fields(error)["load"]
    assert (
        log_set(db.uow, entry=squat(load=999.5), request_id=new_id(), today=TODAY, catalogue=catalogue).number
        == 1
    )


def test_an_imperial_load_is_stored_in_kg(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue, "imperial_ultra")
    entry = squat(load=135.0, day=IMPERIAL_TUE)
    result = log_set(db.uow, entry=entry, request_id=new_id(), today=IMPERIAL_TUE, catalogue=catalogue)
    assert result.units is UnitSystem.IMPERIAL
    assert result.logged.load_kg == pytest.approx(kg_from_display(135, UnitSystem.IMPERIAL))
    with pytest.raises(ProfileError) as error:  # 2205 lb is just over 1000 kg
        log_set(
            db.uow,
            entry=squat(load=2205.0, day=IMPERIAL_TUE),
            request_id=new_id(),
            today=IMPERIAL_TUE,
            catalogue=catalogue,
        )
    assert "under 2205 lb" in fields(error)["load"]


def test_reps_or_seconds_but_not_both(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    for reps, seconds in ((None, None), (5, 30)):
        with pytest.raises(ProfileError) as error:
            log_set(
                db.uow,
                entry=squat(reps=reps, seconds=seconds),
                request_id=new_id(),
                today=TODAY,
                catalogue=catalogue,
            )
        assert "either reps or seconds" in fields(error)["reps"]
    plank = SetEntry(TUE_1, "plank", None, None, 45, None)
    assert (
        log_set(db.uow, entry=plank, request_id=new_id(), today=TODAY, catalogue=catalogue).logged.seconds
        == 45
    )


def test_a_set_on_a_day_without_a_session_starts_an_extra_session_and_tomorrow_is_allowed(
    db: Db, catalogue: Catalogue
) -> None:
    """A client a time zone ahead may already be on the next day; two days ahead is a mistake."""
    init(db.uow, catalogue)
    result = log_set(db.uow, entry=squat(day=WED_1), request_id=new_id(), today=TODAY, catalogue=catalogue)
    assert result.day == WED_1
    [session] = sessions(db.uow)
    assert session.planned is False


def test_sets_join_a_session_logged_in_notation(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    log_sets(db.uow, day=TUE_1, catalogue=catalogue, exercise_id="back_squat", notation="75x5x2@2")
    result = log_set(db.uow, entry=squat(rir=0), request_id=new_id(), today=TODAY, catalogue=catalogue)
    assert result.number == 3
    [session] = sessions(db.uow)
    assert [s.rir for s in session.sets] == [2, 2, 0]


def test_pain_during_one_exercise_goes_on_its_sets_and_the_model_answers(
    db: Db, catalogue: Catalogue
) -> None:
    init(db.uow, catalogue)
    for _ in range(2):
        log_set(db.uow, entry=squat(), request_id=new_id(), today=TODAY, catalogue=catalogue)
    log_set(
        db.uow,
        entry=SetEntry(TUE_1, "pull_up", None, 8, None, 2),
        request_id=new_id(),
        today=TODAY,
        catalogue=catalogue,
    )
    result = check_in(
        db.uow, day=TUE_1, today=TODAY, catalogue=catalogue, pain_during=7, exercise_id="back_squat"
    )
    [session] = sessions(db.uow)
    assert [s.pain for s in session.sets] == [7, 7, None]
    assert session.pain_during is None
    [note] = result.advice
    assert [e.id for e in note.exercises] == ["back_squat"]
    assert note.action is PainAction.REDUCE
    # SCIENCE.md §7: above 5/10 by 2 or more is a marked excess: −20 % and an easier variant offered
    assert "above 5" in note.reason
    assert "lighten this exercise by 20 %" in note.reason
    assert result.see_clinician is None


def test_session_pain_and_the_next_morning_settle_the_advice(db: Db, catalogue: Catalogue) -> None:
    """Silbernagel et al. 2007: up to 5/10 during is fine when it has settled by the next morning."""
    init(db.uow, catalogue)
    log_set(db.uow, entry=squat(), request_id=new_id(), today=TODAY, catalogue=catalogue)
    during = check_in(db.uow, day=TUE_1, today=TODAY, catalogue=catalogue, pain_during=3)
    assert [n.action for n in during.advice] == [PainAction.HOLD]  # not settled yet: no morning logged
    assert sessions(db.uow)[0].pain_during == 3
    morning = check_in(db.uow, day=WED_1, today=WED_1, catalogue=catalogue, morning_pain=1, body_mass=68.2)
    [note] = morning.advice
    assert note.action is PainAction.PROGRESS
    assert "settled by the next morning" in note.reason
    day = gym_day(db.uow, day=WED_1, catalogue=catalogue)
    assert day.morning_pain == 1


def test_a_red_flag_says_to_see_a_clinician(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    result = check_in(
        db.uow, day=TUE_1, today=TODAY, catalogue=catalogue, red_flags=["swelling", "giving_way"]
    )
    assert result.see_clinician is not None
    assert "giving way, swelling" in result.see_clinician
    assert "stop loading the leg now and see a clinician" in result.see_clinician


def test_bad_check_ins_name_the_field_and_store_nothing(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    rows = db.rows()
    with pytest.raises(ProfileError) as error:
        check_in(
            db.uow,
            day=TUE_1,
            today=TODAY,
            catalogue=catalogue,
            pain_during=11,
            morning_pain=-1,
            red_flags=["itch"],
        )
    assert set(fields(error)) == {"pain_during", "morning_pain", "red_flags"}
    with pytest.raises(ProfileError) as error:  # pain during is kept with a logged set: none yet
        check_in(db.uow, day=TUE_1, today=TODAY, catalogue=catalogue, pain_during=4, morning_pain=2)
    assert "log a set" in fields(error)["pain_during"]
    with pytest.raises(ProfileError) as error:
        check_in(db.uow, day=TUE_1, today=TODAY, catalogue=catalogue)
    assert "nothing to record" in fields(error)["pain_during"]
    assert db.rows() == rows
    assert gym_day(db.uow, day=TUE_1, catalogue=catalogue).morning_pain is None


def test_the_gym_day_has_targets_logged_sets_runs_and_swap_options(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    log_set(db.uow, entry=squat(), request_id=new_id(), today=TODAY, catalogue=catalogue)
    day = gym_day(db.uow, day=TUE_1, catalogue=catalogue)
    assert day.view.targets[0].exercise.id == "back_squat"
    assert [s.exercise_id for s in day.done] == ["back_squat"]
    assert [run.kind for run in day.planned_runs] == ["key"]  # Tuesday is a key run day
    assert day.deload is False
    assert day.recorded_runs == ()
    squat_options = [e.id for e in day.swap_options["back_squat"]]
    assert squat_options
    assert all(catalogue.get(i).pattern == "squat" for i in squat_options)
    empty = gym_day(db.uow, day=WED_1, catalogue=catalogue)
    assert (empty.view.targets, empty.view.next_session) == ((), date(2026, 12, 10))


class DawdlingUnitOfWork(SqlUnitOfWork):
    """Pauses between checking a request id and writing the set, so that two requests without the
    athlete lock would surely both pass the check before either writes."""

    def __enter__(self) -> Self:
        super().__enter__()
        check = self.applied_requests.get

        def dawdle(athlete_id: int, request_id: str) -> AppliedRequest | None:
            found = check(athlete_id, request_id)
            time.sleep(0.3)
            return found

        self.applied_requests.get = dawdle  # type: ignore[method-assign]
        return self


@pytest.mark.parametrize("same_request", [True, False], ids=["retry racing its original", "two sets"])
def test_requests_arriving_together_are_applied_one_after_the_other(
    sql_db: Db, catalogue: Catalogue, same_request: bool
) -> None:
    """Two web workers handle two requests at once: a retry racing its original stores one set;
    two different sets are both kept (neither overwrites the other's copy of the session)."""
    assert sql_db.engine is not None
    init(sql_db.uow, catalogue)
    barrier = threading.Barrier(2)
    shared = new_id()
    results: list[bool] = []
    errors: list[BaseException] = []

    def send(rir: int) -> None:
        uow = DawdlingUnitOfWork(sql_db.engine)  # type: ignore[arg-type]
        barrier.wait()
        try:
            request_id = shared if same_request else new_id()
            results.append(
                log_set(
                    uow, entry=squat(rir=rir), request_id=request_id, today=TODAY, catalogue=catalogue
                ).replayed
            )
        except BaseException as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)

    workers = [threading.Thread(target=send, args=(rir,), daemon=True) for rir in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert errors == []
    assert sorted(results) == ([False, True] if same_request else [False, False])
    [session] = sessions(sql_db.uow)
    assert len(session.sets) == (1 if same_request else 2)
