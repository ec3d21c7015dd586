"""Undoing a set (services/set_logging.py `undo_set`) on SQLite, PostgreSQL and the in-memory fake,
when the set was the last of its session: the session goes with it, so the day no longer counts as
trained, unless the athlete recorded something else on it (pain during, a session RPE, a note);
the day's request ids stay in step with what is stored either way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from ironmile.adapters.db.ports import UnitOfWork
from ironmile.domain.catalogue import Catalogue
from ironmile.domain.errors import NotFoundError
from ironmile.domain.training import LoggedSession, LoggedSet
from ironmile.services.gym_day import gym_day
from ironmile.services.review import build_athlete_report
from ironmile.services.set_logging import SetEntry, check_in, log_set, undo_set
from tests.services.conftest import Db
from tests.services.test_set_logging import (
    TODAY,
    TUE_1,
    WED_1,
    DawdlingUnitOfWork,
    init,
    new_id,
    sessions,
    squat,
)

PULL_UP = SetEntry(TUE_1, "pull_up", None, 8, None, 2)


def missed(db: Db, catalogue: Catalogue) -> tuple[date, ...]:
    """The planned days the athlete's report counts as missed, as of the day after Tuesday."""
    return build_athlete_report(db.uow, today=WED_1, catalogue=catalogue).adherence.missed


def amend(uow: UnitOfWork, **changes: object) -> None:
    """Change the day's session as a correction outside the set requests would."""
    with uow:
        [stored] = uow.log.between(uow.athletes.all()[0].id, start=TUE_1, end=TUE_1)
        uow.log.correct(stored.id, replace(stored.session, **changes))  # type: ignore[arg-type]
        uow.commit()


def test_undoing_the_only_set_leaves_the_day_untrained(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    untrained = db.rows()
    assert TUE_1 in missed(db, catalogue)
    request_id = new_id()
    log_set(db.uow, entry=squat(), request_id=request_id, today=TODAY, catalogue=catalogue)
    assert TUE_1 not in missed(db, catalogue)

    undone = undo_set(db.uow, request_id=request_id, catalogue=catalogue)
    assert (undone.day, undone.logged.load_kg, undone.number) == (TUE_1, 75.0, 1)
    assert sessions(db.uow) == []
    assert db.rows() == untrained  # no session, set or request row left behind
    assert TUE_1 in missed(db, catalogue)
    assert gym_day(db.uow, day=TUE_1, catalogue=catalogue).done == ()
    with pytest.raises(NotFoundError):
        undo_set(db.uow, request_id=request_id, catalogue=catalogue)  # a second tap
    assert db.rows() == untrained

    again = new_id()
    logged = log_set(db.uow, entry=squat(rir=1), request_id=again, today=TODAY, catalogue=catalogue)
    assert (logged.number, logged.replayed) == (1, False)
    [session] = sessions(db.uow)
    assert [s.rir for s in session.sets] == [1]
    assert session.planned  # a new session, planned as the first one was
    assert gym_day(db.uow, day=TUE_1, catalogue=catalogue).done_request_ids == (again,)
    assert undo_set(db.uow, request_id=again, catalogue=catalogue).logged.rir == 1
    assert db.rows() == untrained


def test_undoing_one_of_two_sets_keeps_the_session_with_the_other(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    squat_id, pull_id = new_id(), new_id()
    log_set(db.uow, entry=squat(), request_id=squat_id, today=TODAY, catalogue=catalogue)
    log_set(db.uow, entry=PULL_UP, request_id=pull_id, today=TODAY, catalogue=catalogue)

    undo_set(db.uow, request_id=squat_id, catalogue=catalogue)
    [session] = sessions(db.uow)
    assert [s.exercise_id for s in session.sets] == ["pull_up"]
    assert gym_day(db.uow, day=TUE_1, catalogue=catalogue).done_request_ids == (pull_id,)
    assert TUE_1 not in missed(db, catalogue)

    undo_set(db.uow, request_id=pull_id, catalogue=catalogue)  # the one left: the session goes
    assert sessions(db.uow) == []
    assert TUE_1 in missed(db, catalogue)


def record_pain(db: Db, catalogue: Catalogue) -> None:
    check_in(db.uow, day=TUE_1, today=TODAY, catalogue=catalogue, pain_during=6)


def record_rpe(db: Db, catalogue: Catalogue) -> None:
    amend(db.uow, session_rpe=7)


def record_note(db: Db, catalogue: Catalogue) -> None:
    amend(db.uow, note="left knee sore on the stairs")


@pytest.mark.parametrize(
    "record", [record_pain, record_rpe, record_note], ids=["pain during", "session RPE", "note"]
)
def test_a_session_with_the_athletes_own_records_stays_without_sets(
    db: Db, catalogue: Catalogue, record: Callable[[Db, Catalogue], None]
) -> None:
    """What the athlete said about the day outlives a set entered by mistake; sets logged later
    join that session, and their undo leaves it as it was."""
    init(db.uow, catalogue)
    request_id = new_id()
    log_set(db.uow, entry=squat(), request_id=request_id, today=TODAY, catalogue=catalogue)
    record(db, catalogue)
    [before] = sessions(db.uow)

    undo_set(db.uow, request_id=request_id, catalogue=catalogue)
    assert sessions(db.uow) == [replace(before, sets=())]
    with pytest.raises(NotFoundError):
        undo_set(db.uow, request_id=request_id, catalogue=catalogue)
    if record is record_pain:  # the Today page still shows the 6/10
        assert gym_day(db.uow, day=TUE_1, catalogue=catalogue).session_pain == 6

    again = new_id()
    assert log_set(db.uow, entry=PULL_UP, request_id=again, today=TODAY, catalogue=catalogue).number == 1
    assert sessions(db.uow) == [replace(before, sets=(LoggedSet("pull_up", None, 8, None, 2),))]
    assert gym_day(db.uow, day=TUE_1, catalogue=catalogue).done_request_ids == (again,)
    undo_set(db.uow, request_id=again, catalogue=catalogue)
    assert sessions(db.uow) == [replace(before, sets=())]


def test_a_blank_note_is_not_worth_keeping_a_session_for(db: Db, catalogue: Catalogue) -> None:
    init(db.uow, catalogue)
    request_id = new_id()
    log_set(db.uow, entry=squat(), request_id=request_id, today=TODAY, catalogue=catalogue)
    amend(db.uow, note="  \n")
    undo_set(db.uow, request_id=request_id, catalogue=catalogue)
    assert sessions(db.uow) == []


def test_no_request_outlives_the_sets_it_could_name(db: Db, catalogue: Catalogue) -> None:
    """A correction outside the requests took the second set out: once the first is undone too,
    the second's request id must not claim the next set logged that day, whichever session takes
    it (here the day's extra session, first once the emptied one is gone)."""
    athlete_id = init(db.uow, catalogue)
    first, second = new_id(), new_id()
    log_set(db.uow, entry=squat(), request_id=first, today=TODAY, catalogue=catalogue)
    log_set(db.uow, entry=squat(rir=1), request_id=second, today=TODAY, catalogue=catalogue)
    amend(db.uow, sets=sessions(db.uow)[0].sets[:1])
    extra = LoggedSession(TUE_1, (LoggedSet("plank", None, None, 45, None),), planned=False)
    with db.uow as uow:
        uow.log.add(athlete_id, extra)
        uow.commit()

    undo_set(db.uow, request_id=first, catalogue=catalogue)
    assert sessions(db.uow) == [extra]
    with db.uow as uow:
        assert uow.applied_requests.on_day(athlete_id, TUE_1) == []
    third = new_id()
    assert log_set(db.uow, entry=PULL_UP, request_id=third, today=TODAY, catalogue=catalogue).number == 1
    with pytest.raises(NotFoundError):
        undo_set(db.uow, request_id=second, catalogue=catalogue)
    assert [s.exercise_id for s in sessions(db.uow)[0].sets] == ["plank", "pull_up"]
    assert gym_day(db.uow, day=TUE_1, catalogue=catalogue).done_request_ids == (None, third)
    undo_set(db.uow, request_id=third, catalogue=catalogue)
    assert sessions(db.uow) == [extra]  # the extra session keeps its own set


def test_an_undo_of_the_last_set_racing_a_new_set_loses_neither(sql_db: Db, catalogue: Catalogue) -> None:
    """Two web workers at once: the undo deletes the session while the new set would join it.
    The athlete lock puts one after the other, so the new set is kept either way."""
    assert sql_db.engine is not None
    init(sql_db.uow, catalogue)
    undone, added = new_id(), new_id()
    log_set(sql_db.uow, entry=squat(), request_id=undone, today=TODAY, catalogue=catalogue)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def send(undo: bool) -> None:
        uow = DawdlingUnitOfWork(sql_db.engine)  # type: ignore[arg-type]
        barrier.wait()
        try:
            if undo:
                undo_set(uow, request_id=undone, catalogue=catalogue)
            else:
                log_set(uow, entry=PULL_UP, request_id=added, today=TODAY, catalogue=catalogue)
        except BaseException as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)

    workers = [threading.Thread(target=send, args=(undo,), daemon=True) for undo in (True, False)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert errors == []
    [session] = sessions(sql_db.uow)
    assert [s.exercise_id for s in session.sets] == ["pull_up"]
    assert gym_day(sql_db.uow, day=TUE_1, catalogue=catalogue).done_request_ids == (added,)
    undo_set(sql_db.uow, request_id=added, catalogue=catalogue)
    assert sessions(sql_db.uow) == []
