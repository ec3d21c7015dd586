"""Logging one set at a time (services/set_logging.py) on SQLite, PostgreSQL and the in-memory fake:
sets join the day's session in order, a repeated request id logs nothing, the same id undoes
exactly its set, bad values are refused with every field named before anything is written, the
whole session as planned, pain check-ins, and the gym day's contents (services/gym_day.py).
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
from ironmile.domain.errors import NotFoundError, ProfileError
from ironmile.domain.pain_monitor import PainAction
from ironmile.domain.training import LoggedSession
from ironmile.domain.units import UnitSystem, kg_from_display
from ironmile.services.gym_day import gym_day, swap_on_day
from ironmile.services.set_logging import SetEntry, check_in, log_session_as_planned, log_set, undo_set
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
    load: float | None = 75.0, reps: float | None = 5, rir: float | None = 2, **changes: object
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


def test_numbers_as_typed_are_checked_whole_and_in_range_all_at_once(db: Db, catalogue: Catalogue) -> None:
    """The web sends numbers as typed (2.5 reps from a phone keyboard): every field's problem is
    named in one answer, in the words the page shows next to the field."""
    init(db.uow, catalogue)
    rows = db.rows()
    with pytest.raises(ProfileError) as error:
        log_set(
            db.uow,
            entry=squat(reps=2.5, rir=-3, pain=1.5),
            request_id=new_id(),
            today=TODAY,
            catalogue=catalogue,
        )
    assert fields(error) == {
        "reps": "2.5 is not a whole number; expected 0 to 100",
        "rir": "-3 is out of range; expected 0 to 10",
        "pain": "1.5 is not a whole number; expected 0 to 10",
    }
    assert db.rows() == rows
    logged = log_set(
        db.uow, entry=squat(reps=5.0, rir=2.0), request_id=new_id(), today=TODAY, catalogue=catalogue
    )
    assert (logged.logged.reps, logged.logged.rir) == (5, 2)
    assert isinstance(logged.logged.reps, int)


def test_undo_takes_out_exactly_the_set_its_request_logged(db: Db, catalogue: Catalogue) -> None:
    """Positions move up behind an undone set, so a later undo or a retry of a later set still
    finds its own set; a repeat of the undo removes nothing more."""
    init(db.uow, catalogue)
    ids = [new_id() for _ in range(4)]
    for request_id, rir in zip(ids[:3], (3, 2, 1), strict=True):
        log_set(db.uow, entry=squat(rir=rir), request_id=request_id, today=TODAY, catalogue=catalogue)
    pull = SetEntry(TUE_1, "pull_up", None, 8, None, 2)
    log_set(db.uow, entry=pull, request_id=ids[3], today=TODAY, catalogue=catalogue)

    undone = undo_set(db.uow, request_id=ids[1].upper(), catalogue=catalogue)
    assert (undone.day, undone.logged.rir, undone.number) == (TUE_1, 2, 2)
    assert [(s.exercise_id, s.rir) for s in sessions(db.uow)[0].sets] == [
        ("back_squat", 3),
        ("back_squat", 1),
        ("pull_up", 2),
    ]
    retry = log_set(db.uow, entry=squat(rir=1), request_id=ids[2], today=TODAY, catalogue=catalogue)
    assert (retry.replayed, retry.logged.rir, retry.number) == (True, 1, 2)
    rows = db.rows()
    with pytest.raises(NotFoundError):
        undo_set(db.uow, request_id=ids[1], catalogue=catalogue)  # the same undo again
    assert db.rows() == rows
    assert undo_set(db.uow, request_id=ids[3], catalogue=catalogue).logged.exercise_id == "pull_up"
    assert [s.rir for s in sessions(db.uow)[0].sets] == [3, 1]
    assert gym_day(db.uow, day=TUE_1, catalogue=catalogue).done_request_ids == (ids[0], ids[2])


def test_undo_is_for_the_athletes_own_sets_only(db: Db, catalogue: Catalogue) -> None:
    alex = init(db.uow, catalogue)
    sam = init(db.uow, catalogue, as_name="Sam")
    request_id = new_id()
    log_set(db.uow, entry=squat(), request_id=request_id, today=TODAY, catalogue=catalogue, athlete_id=alex)
    rows = db.rows()
    for someone, asked in ((sam, request_id), (alex, new_id()), (alex, "not-a-uuid")):
        with pytest.raises(NotFoundError):
            undo_set(db.uow, request_id=asked, catalogue=catalogue, athlete_id=someone)
    assert db.rows() == rows
    assert len(sessions(db.uow, alex)[0].sets) == 1


def test_the_whole_session_as_planned_leaves_out_and_names_lifts_without_a_load(
    db: Db, catalogue: Catalogue
) -> None:
    """A lift swapped in with no load to start from ("pick by feel") would be stored as bodyweight:
    it is left to log by hand, and named."""
    init(db.uow, catalogue)
    swap_on_day(db.uow, day=TUE_1, exercise_id="pull_up", replacement_id="dumbbell_row", catalogue=catalogue)
    log_set(db.uow, entry=squat(reps=4), request_id=new_id(), today=TODAY, catalogue=catalogue)
    done = log_session_as_planned(db.uow, day=TUE_1, today=TODAY, catalogue=catalogue)
    assert [t.exercise.id for t in done.needs_load] == ["dumbbell_row"]
    assert "back_squat" not in [t.exercise.id for t in done.logged]  # started by hand: kept as logged
    [session] = sessions(db.uow)
    logged_ids = [s.exercise_id for s in session.sets]
    assert "dumbbell_row" not in logged_ids
    assert logged_ids.count("back_squat") == 1
    assert all(s.load_kg is not None for s in session.sets if catalogue.get(s.exercise_id).loaded)
    with pytest.raises(ProfileError) as error:
        log_session_as_planned(db.uow, day=TUE_1, today=TODAY, catalogue=catalogue)
    assert fields(error) == {"date": "Bent-over dumbbell row needs a load: log it on its card"}


def test_the_whole_session_as_planned_is_refused_on_days_to_come_and_without_a_session(
    db: Db, catalogue: Catalogue
) -> None:
    init(db.uow, catalogue)
    rows = db.rows()
    with pytest.raises(ProfileError) as error:
        log_session_as_planned(db.uow, day=date(2026, 12, 10), today=TODAY, catalogue=catalogue)
    assert fields(error) == {"date": "Thu 10 Dec is still to come: you can log it on the day"}
    with pytest.raises(ProfileError) as error:
        log_session_as_planned(db.uow, day=WED_1, today=TODAY, catalogue=catalogue)
    assert "no session is planned on Wed 9 Dec" in fields(error)["date"]
    assert db.rows() == rows


def test_a_session_pain_above_5_is_not_hidden_by_a_lower_set_rating(db: Db, catalogue: Catalogue) -> None:
    """SCIENCE.md §7 (Silbernagel et al. 2007): above 5/10 during is outside the acceptable zone.
    A set rated 3/10, then "6/10, the whole session": each exercise is judged by the higher score,
    and the whole session gets its own note, first."""
    init(db.uow, catalogue)
    log_set(db.uow, entry=squat(pain=3), request_id=new_id(), today=TODAY, catalogue=catalogue)
    pull = SetEntry(TUE_1, "pull_up", None, 8, None, 2)
    log_set(db.uow, entry=pull, request_id=new_id(), today=TODAY, catalogue=catalogue)
    result = check_in(db.uow, day=TUE_1, today=TODAY, catalogue=catalogue, pain_during=6)
    session_note, *rest = result.advice
    assert (session_note.whole_session, session_note.exercises, session_note.action) == (
        True,
        (),
        PainAction.REDUCE,
    )
    assert session_note.reason.startswith("pain 6/10 during the session on 2026-12-08 (above 5)")
    [note] = rest
    assert sorted(e.id for e in note.exercises) == ["back_squat", "pull_up"]
    assert (note.action, note.reason.split(" (")[0]) == (
        PainAction.REDUCE,
        "pain 6/10 during the session on 2026-12-08",
    )
    assert gym_day(db.uow, day=TUE_1, catalogue=catalogue).pain == result.advice


def test_a_set_rated_worse_than_the_session_keeps_its_own_score(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    log_set(db.uow, entry=squat(pain=7), request_id=new_id(), today=TODAY, catalogue=catalogue)
    log_set(
        db.uow,
        entry=SetEntry(TUE_1, "pull_up", None, 8, None, 2),
        request_id=new_id(),
        today=TODAY,
        catalogue=catalogue,
    )
    advice = check_in(db.uow, day=TUE_1, today=TODAY, catalogue=catalogue, pain_during=2).advice
    assert not any(note.whole_session for note in advice)  # 2/10 is within the acceptable zone
    by_exercise = {e.id: note for note in advice for e in note.exercises}
    assert "pain 7/10" in by_exercise["back_squat"].reason
    assert by_exercise["pull_up"].action is PainAction.HOLD  # 2/10, not settled yet: no morning logged


def test_sets_logged_before_a_swap_stay_with_the_exercise_that_replaced_it(
    db: Db, catalogue: Catalogue
) -> None:
    """ "Log the whole session as planned" counts them as that exercise started."""
    init(db.uow, catalogue)
    split = SetEntry(TUE_1, "bulgarian_split_squat", 12.0, 6, None, 2)
    log_set(db.uow, entry=split, request_id=new_id(), today=TODAY, catalogue=catalogue)
    swap_on_day(
        db.uow,
        day=TUE_1,
        exercise_id="bulgarian_split_squat",
        replacement_id="split_squat",
        catalogue=catalogue,
    )
    day = gym_day(db.uow, day=TUE_1, catalogue=catalogue)
    to_log, needs_load = day.left_to_log()
    assert "split_squat" not in [t.exercise.id for t in to_log]
    assert needs_load == ()
    done = log_session_as_planned(db.uow, day=TUE_1, today=TODAY, catalogue=catalogue)
    assert "split_squat" not in [t.exercise.id for t in done.logged]


def test_swap_refusals_name_their_field_in_words(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    rows = db.rows()
    with pytest.raises(ProfileError) as error:
        swap_on_day(
            db.uow, day=TUE_1, exercise_id="pull_up", replacement_id="bench_press", catalogue=catalogue
        )
    assert fields(error)["replacement_id"].startswith(
        "Bench press is not an equivalent of Pull-up; try Chin-up"
    )
    with pytest.raises(ProfileError) as error:
        swap_on_day(db.uow, day=TUE_1, exercise_id="nope", replacement_id="gone", catalogue=catalogue)
    assert set(fields(error)) == {"exercise_id", "replacement_id"}
    assert db.rows() == rows


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
