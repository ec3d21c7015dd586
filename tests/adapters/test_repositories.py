"""Round trips through every repository, on SQLite, PostgreSQL and the in-memory fake alike.

Each test writes in one unit of work, commits, and reads back in another, so what comes back is
what the database kept, not what the session still remembered.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ironmile.domain.training import BodyMass, LoggedSession, LoggedSet, MorningPain, ScreenResultRecord, Swap
from ironmile.domain.units import UnitSystem
from tests.adapters.stores import NewUow

DAY = date(2026, 12, 7)

SQUAT_SESSION = LoggedSession(
    date=DAY,
    sets=(
        LoggedSet("back_squat", 60.0, 5, None, 2),
        LoggedSet("back_squat", 62.5, 5, None, 1, pain=2),
        LoggedSet("plank", None, None, 45, None),
        LoggedSet("one_arm_dumbbell_row", 22.5, 10, None, 3),
    ),
    planned=True,
    pain_during=1,
    session_rpe=7,
    note="Felt quick — 2×5 easy",
)


def add_athlete(new_uow: NewUow, name: str = "Alex") -> int:
    with new_uow() as uow:
        athlete_id = uow.athletes.add(
            name=name, units=UnitSystem.METRIC, profile_toml="[athlete]\nbody_mass = 68.0\n", created_on=DAY
        )
        uow.commit()
    return athlete_id


def test_athletes_round_trip(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    sam = add_athlete(new_uow, "Sam")
    with new_uow() as uow:
        stored = uow.athletes.get(alex)
        assert stored is not None
        assert (stored.name, stored.units, stored.profile_toml, stored.created_on) == (
            "Alex",
            UnitSystem.METRIC,
            "[athlete]\nbody_mass = 68.0\n",
            DAY,
        )
        assert uow.athletes.by_name("Sam") == uow.athletes.get(sam)
        assert uow.athletes.by_name("Nobody") is None
        assert uow.athletes.get(sam + 100) is None
        assert [athlete.name for athlete in uow.athletes.all()] == ["Alex", "Sam"]


def test_update_profile(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    with new_uow() as uow:
        uow.athletes.update_profile(
            alex, profile_toml="[athlete]\nunits = 'imperial'\n", units=UnitSystem.IMPERIAL
        )
        uow.commit()
    with new_uow() as uow:
        stored = uow.athletes.get(alex)
        assert stored is not None
        assert (stored.units, stored.profile_toml) == (UnitSystem.IMPERIAL, "[athlete]\nunits = 'imperial'\n")
        with pytest.raises(LookupError):
            uow.athletes.update_profile(alex + 100, profile_toml="", units=UnitSystem.METRIC)


def test_plan_versions_apply_from_their_date_until_the_next(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    other = add_athlete(new_uow, "Sam")
    with new_uow() as uow:
        first = uow.plans.add(alex, created_on=DAY, effective_from=date(2026, 12, 7), document='{"v": 1}')
        third = uow.plans.add(alex, created_on=DAY, effective_from=date(2027, 2, 1), document='{"v": 3}')
        second = uow.plans.add(alex, created_on=DAY, effective_from=date(2027, 1, 4), document='{"v": 2}')
        redo = uow.plans.add(alex, created_on=DAY, effective_from=date(2027, 1, 4), document='{"v": "2b"}')
        uow.plans.add(other, created_on=DAY, effective_from=date(2026, 1, 1), document="{}")
        uow.commit()
    with new_uow() as uow:
        assert [v.id for v in uow.plans.versions(alex)] == [first, second, redo, third]
        assert uow.plans.in_force(alex, date(2026, 12, 6)) is None
        in_force = {day: uow.plans.in_force(alex, day) for day in (date(2026, 12, 7), date(2027, 1, 3))}
        assert {day: (v.id if v else None) for day, v in in_force.items()} == {
            date(2026, 12, 7): first,
            date(2027, 1, 3): first,
        }
        tie = uow.plans.in_force(alex, date(2027, 1, 4))
        assert tie is not None
        assert (tie.id, tie.document, tie.athlete_id) == (redo, '{"v": "2b"}', alex)
        latest = uow.plans.in_force(alex, date(2030, 1, 1))
        assert latest is not None
        assert latest.id == third


def test_sessions_round_trip_with_their_sets_in_order(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    extra = LoggedSession(date=DAY, sets=(), planned=False)
    with new_uow() as uow:
        first = uow.log.add(alex, SQUAT_SESSION)
        second = uow.log.add(alex, extra)
        uow.commit()
    with new_uow() as uow:
        stored = uow.log.get(first)
        assert stored is not None
        assert (stored.id, stored.athlete_id, stored.session) == (first, alex, SQUAT_SESSION)
        assert [s.session for s in uow.log.between(alex)] == [SQUAT_SESSION, extra]
        assert [s.id for s in uow.log.between(alex, start=DAY, end=DAY)] == [first, second]
        assert uow.log.get(second + 100) is None


def test_sessions_between_dates_are_inclusive_and_per_athlete(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    sam = add_athlete(new_uow, "Sam")
    days = [date(2027, 1, day) for day in (9, 1, 5, 3)]
    with new_uow() as uow:
        for day in days:
            uow.log.add(alex, LoggedSession(date=day, sets=(LoggedSet("deadlift", 80.0, 3, None, 2),)))
        uow.log.add(sam, LoggedSession(date=date(2027, 1, 3), sets=()))
        uow.commit()
    with new_uow() as uow:
        between = uow.log.between(alex, start=date(2027, 1, 3), end=date(2027, 1, 5))
        assert [s.session.date for s in between] == [date(2027, 1, 3), date(2027, 1, 5)]
        assert [s.session.date for s in uow.log.between(alex, end=date(2027, 1, 3))] == [
            date(2027, 1, 1),
            date(2027, 1, 3),
        ]
        assert [s.session.date for s in uow.log.between(alex, start=date(2027, 1, 6))] == [date(2027, 1, 9)]
        assert len(uow.log.between(sam)) == 1


def test_a_correction_replaces_the_session_and_its_sets(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    fixed = LoggedSession(date=DAY, sets=(LoggedSet("back_squat", 65.0, 5, None, 1),), session_rpe=8)
    with new_uow() as uow:
        session_id = uow.log.add(alex, SQUAT_SESSION)
        uow.commit()
    with new_uow() as uow:
        uow.log.correct(session_id, fixed)
        uow.commit()
    with new_uow() as uow:
        stored = uow.log.get(session_id)
        assert stored is not None
        assert stored.session == fixed
        with pytest.raises(LookupError):
            uow.log.correct(session_id + 100, fixed)


def test_a_deleted_session_goes_with_its_sets_and_leaves_the_others(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    sam = add_athlete(new_uow, "Sam")
    extra = LoggedSession(date=DAY, sets=(LoggedSet("plank", None, None, 60, None),), planned=False)
    with new_uow() as uow:
        doomed = uow.log.add(alex, SQUAT_SESSION)
        kept = uow.log.add(alex, extra)
        sams = uow.log.add(sam, SQUAT_SESSION)
        uow.commit()
    with new_uow() as uow:
        uow.log.delete(doomed)  # not committed: the session stays
    with new_uow() as uow:
        assert [s.id for s in uow.log.between(alex)] == [doomed, kept]
        uow.log.delete(doomed)
        uow.commit()
    with new_uow() as uow:
        assert uow.log.get(doomed) is None
        assert [(s.id, s.session) for s in uow.log.between(alex)] == [(kept, extra)]
        assert [s.id for s in uow.log.between(sam)] == [sams]
        with pytest.raises(LookupError):
            uow.log.delete(doomed)
        with pytest.raises(LookupError):
            uow.log.correct(doomed, SQUAT_SESSION)
        after = uow.log.add(alex, SQUAT_SESSION)  # the day logged again: a session like any other
        uow.commit()
    with new_uow() as uow:
        assert [s.session for s in uow.log.between(alex, start=DAY, end=DAY)] == [extra, SQUAT_SESSION]
        assert uow.log.get(after) == uow.log.between(alex)[-1]
        uow.log.correct(kept, replace(extra, sets=()))
        uow.log.delete(kept)  # a session without sets, in the transaction that took them out
        uow.commit()
    with new_uow() as uow:
        assert [s.id for s in uow.log.between(alex)] == [after]


def test_body_mass_is_one_reading_a_day(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    with new_uow() as uow:
        uow.body_mass.put(alex, BodyMass(date(2027, 1, 2), 68.4))
        uow.body_mass.put(alex, BodyMass(date(2027, 1, 1), 68.0))
        uow.body_mass.put(alex, BodyMass(date(2027, 1, 2), 68.2))  # corrected the same morning
        uow.commit()
    with new_uow() as uow:
        assert uow.body_mass.between(alex) == [
            BodyMass(date(2027, 1, 1), 68.0),
            BodyMass(date(2027, 1, 2), 68.2),
        ]
        assert uow.body_mass.between(alex, start=date(2027, 1, 2)) == [BodyMass(date(2027, 1, 2), 68.2)]
        assert uow.body_mass.latest(alex, as_of=date(2027, 1, 1)) == BodyMass(date(2027, 1, 1), 68.0)
        assert uow.body_mass.latest(alex, as_of=date(2028, 1, 1)) == BodyMass(date(2027, 1, 2), 68.2)
        assert uow.body_mass.latest(alex, as_of=date(2026, 1, 1)) is None


def test_morning_pain_is_one_reading_a_day(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    with new_uow() as uow:
        uow.morning_pain.put(alex, MorningPain(date(2027, 1, 2), 3))
        uow.morning_pain.put(alex, MorningPain(date(2027, 1, 1), 0))
        uow.morning_pain.put(alex, MorningPain(date(2027, 1, 2), 4))
        uow.commit()
    with new_uow() as uow:
        assert uow.morning_pain.between(alex) == [
            MorningPain(date(2027, 1, 1), 0),
            MorningPain(date(2027, 1, 2), 4),
        ]
        assert uow.morning_pain.between(alex, end=date(2027, 1, 1)) == [MorningPain(date(2027, 1, 1), 0)]
        assert uow.morning_pain.latest(alex, as_of=date(2027, 1, 5)) == MorningPain(date(2027, 1, 2), 4)
        assert uow.morning_pain.latest(alex, as_of=date(2026, 12, 31)) is None


def test_screens_round_trip(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    early = ScreenResultRecord(date(2027, 1, 1), 18, 25, "quads")
    later = ScreenResultRecord(date(2027, 3, 1), 24, 25, "both", hq_ratio=0.62)
    retest = ScreenResultRecord(date(2027, 3, 1), None, None, None, hq_ratio=0.6)
    with new_uow() as uow:
        uow.screens.add(alex, later)
        uow.screens.add(alex, early)
        uow.screens.add(alex, retest)
        uow.commit()
    with new_uow() as uow:
        assert uow.screens.between(alex) == [early, later, retest]
        assert uow.screens.between(alex, end=date(2027, 2, 1)) == [early]
        assert uow.screens.latest(alex, as_of=date(2027, 3, 1)) == retest
        assert uow.screens.latest(alex, as_of=date(2027, 2, 1)) == early
        assert uow.screens.latest(alex, as_of=date(2026, 2, 1)) is None


def test_swaps_in_force_by_date(new_uow: NewUow) -> None:
    alex = add_athlete(new_uow)
    with new_uow() as uow:
        uow.swaps.put(alex, Swap(date(2027, 1, 1), "back_squat", "goblet_squat"))
        uow.swaps.put(alex, Swap(date(2027, 1, 1), "back_squat", "front_squat"))  # changed mind that day
        uow.swaps.put(alex, Swap(date(2027, 1, 1), "deadlift", "trap_bar_deadlift"))
        uow.swaps.put(alex, Swap(date(2027, 2, 1), "back_squat", "back_squat"))  # back to the original
        uow.commit()
    with new_uow() as uow:
        assert uow.swaps.between(alex) == [
            Swap(date(2027, 1, 1), "back_squat", "front_squat"),
            Swap(date(2027, 1, 1), "deadlift", "trap_bar_deadlift"),
            Swap(date(2027, 2, 1), "back_squat", "back_squat"),
        ]
        assert uow.swaps.in_force(alex, date(2026, 12, 31)) == {}
        assert uow.swaps.in_force(alex, date(2027, 1, 1)) == {
            "back_squat": "front_squat",
            "deadlift": "trap_bar_deadlift",
        }
        assert uow.swaps.in_force(alex, date(2027, 2, 1)) == {"deadlift": "trap_bar_deadlift"}
