"""Settings on a real SQLite database: the profile TOML edited line by line (a public contract the
athlete wrote: comments and untouched fields stay byte for byte), re-planning from today, and the
password change with its rate limit."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from ironmile.adapters.catalogue_file import load_catalogue
from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.migrate import upgrade
from ironmile.adapters.db.unit_of_work import SqlUnitOfWork
from ironmile.adapters.passwords import verify_password
from ironmile.adapters.profile_toml import parse_profile
from ironmile.domain.accounts import Account, LoginLimit, Role
from ironmile.domain.errors import ProfileError, TooManyAttempts
from ironmile.domain.units import KG_PER_LB, M_PER_MILE, UnitSystem
from ironmile.services import accounts, review, training
from ironmile.services.accounts import change_password
from ironmile.services.settings import (
    change_training,
    edited_profile,
    emit_document,
    training_settings,
)

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()
HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
TODAY = date(2026, 11, 26)
PASSWORD = "correct horse battery"


def complete_profile() -> str:
    """The profile in docs/profile.md that uses every field, with its comments."""
    doc = (ROOT / "docs" / "profile.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- doc-test: complete-profile -->\n```toml\n(.*?)```", doc, re.S)
    assert found is not None
    return found.group(1)


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_changing_units_converts_every_mass_and_distance_and_keeps_every_comment() -> None:
    text = complete_profile()
    edited = edited_profile(text, units="imperial")
    before, after = tomllib.loads(text), tomllib.loads(edited)
    assert after["athlete"]["units"] == "imperial"
    assert after["athlete"]["body_mass"] == round(68.0 / KG_PER_LB, 1) == 149.9
    assert after["running"]["weekly_distance"] == round(60_000 / M_PER_MILE, 2)
    assert [race["distance"] for race in after["races"]] == [13.11, 26.22]
    assert after["lifts"]["back_squat"] == {"load": 176.4, "reps": 5}
    assert after["lifts"]["deadlift"] == {"load": 220.5, "reps": 5, "rir": 1}
    for table in ("strength", "health", "screen"):
        assert after[table] == before[table]
    # only the lines holding a converted value changed, and each kept its comment at its column
    changes = changed_lines(text, edited)
    assert len(changes) == 8  # units, body mass, weekly distance, 2 races, 3 lifts
    assert (
        'units = "metric"              # metric | imperial',
        'units = "imperial"            # metric | imperial',
    ) in changes
    assert all(old.find("#") == new.find("#") for old, new in changes if "#" in old)
    # and the profile still means the same body: 68 kg either way, to the rounding
    profile = parse_profile(edited, source="edited", today=TODAY, catalogue=CATALOGUE)
    assert profile.athlete.units is UnitSystem.IMPERIAL
    assert profile.athlete.body_mass_kg == pytest.approx(68.0, abs=0.05)


def test_strength_settings_change_only_their_own_lines() -> None:
    text = complete_profile()
    edited = edited_profile(
        text, equipment=["dumbbell", "band"], available_days=["sat", "mon"], session_minutes=35
    )
    assert changed_lines(text, edited) == [
        (
            'available_days = ["mon", "tue", "wed", "thu", "fri", "sat"]',
            'available_days = ["mon", "sat"]',
        ),
        ("session_minutes = 50          # 20 to 240", "session_minutes = 35          # 20 to 240"),
        (
            'equipment = ["barbell", "rack", "bench", "dumbbell", "kettlebell", "band", "box", "pullup_bar"]',
            'equipment = ["dumbbell", "band"]',
        ),
    ]
    assert (
        edited_profile(
            text, units="metric", equipment=list(reversed(tomllib.loads(text)["strength"]["equipment"]))
        )
        == text
    )


def test_a_setting_the_file_leaves_out_is_added_to_its_table() -> None:
    text = (ROOT / "examples" / "bodyweight_only.toml").read_text(encoding="utf-8")
    edited = edited_profile(text, units="imperial", equipment=["band"])
    lines = edited.splitlines()
    assert lines[lines.index("[athlete]") : lines.index("[athlete]") + 4] == [
        "[athlete]",
        "body_mass = 158.7",
        'strength_level = "novice"',
        'units = "imperial"',
    ]
    assert tomllib.loads(edited)["strength"]["equipment"] == ["band"]


def test_layouts_the_line_edit_cannot_follow_are_written_out_whole_with_the_same_values() -> None:
    text = (
        "athlete = { body_mass = 70, name = 'Sam # not a comment' }\n"
        "strength.available_days = ['mon']\nstrength.session_minutes = 30\n"
        "[lifts.back_squat]\nload = 80\nreps = 5\n"
    )
    edited = edited_profile(text, units="imperial", session_minutes=40)
    assert tomllib.loads(edited) == {
        "athlete": {"body_mass": 154.3, "name": "Sam # not a comment", "units": "imperial"},
        "strength": {"available_days": ["mon"], "session_minutes": 40},
        "lifts": {"back_squat": {"load": 176.4, "reps": 5}},
    }
    parse_profile(edited, source="edited", today=TODAY, catalogue=CATALOGUE)


def test_a_written_out_document_parses_back_to_itself() -> None:
    document = tomllib.loads(complete_profile())
    assert tomllib.loads(emit_document(document)) == document
    odd = {"a": {"b c": 'tab\tquote" del\x7f', "list": [{"x": 1}, {"y": date(2027, 1, 1)}]}, "t": True}
    assert tomllib.loads(emit_document(odd)) == odd


@pytest.fixture
def uow(tmp_path: Path) -> SqlUnitOfWork:
    engine = make_engine(str(tmp_path / "ironmile.db"))
    upgrade(engine)
    return SqlUnitOfWork(engine)


def stored_athlete(uow: SqlUnitOfWork) -> int:
    return training.init_athlete(
        uow,
        profile_text=complete_profile(),
        source="profile.md",
        today=TODAY,
        catalogue=CATALOGUE,
    ).athlete.id


def test_a_change_is_stored_and_replanned_from_today(uow: SqlUnitOfWork) -> None:
    athlete_id = stored_athlete(uow)
    changed = change_training(
        uow,
        today=TODAY,
        catalogue=CATALOGUE,
        athlete_id=athlete_id,
        available_days=["mon", "thu"],
        session_minutes="40",
    )
    assert changed.replanned is not None
    assert changed.replanned.effective_from == TODAY
    assert changed.settings.available_days == ("mon", "thu")
    assert changed.settings.session_minutes == 40
    with uow:
        versions = uow.plans.versions(athlete_id)
        stored = uow.athletes.get(athlete_id)
    assert len(versions) == 2
    assert stored is not None
    assert changed_lines(complete_profile(), stored.profile_toml) == [
        ('available_days = ["mon", "tue", "wed", "thu", "fri", "sat"]', 'available_days = ["mon", "thu"]'),
        ("session_minutes = 50          # 20 to 240", "session_minutes = 40          # 20 to 240"),
    ]
    assert training_settings(uow, today=TODAY, catalogue=CATALOGUE, athlete_id=athlete_id) == changed.settings


def test_nothing_changed_means_no_new_plan(uow: SqlUnitOfWork) -> None:
    athlete_id = stored_athlete(uow)
    changed = change_training(
        uow, today=TODAY, catalogue=CATALOGUE, athlete_id=athlete_id, units="metric", session_minutes=50
    )
    assert changed.replanned is None
    with uow:
        assert len(uow.plans.versions(athlete_id)) == 1


def test_bad_settings_name_every_field_and_save_nothing(uow: SqlUnitOfWork) -> None:
    athlete_id = stored_athlete(uow)
    with pytest.raises(ProfileError) as caught:
        change_training(
            uow,
            today=TODAY,
            catalogue=CATALOGUE,
            athlete_id=athlete_id,
            units="metrik",
            equipment=["barbell", "kettlebells"],
            available_days=[],
            session_minutes="45.5",
        )
    messages = {p.field: p.message for p in caught.value.problems}
    assert set(messages) == {"units", "equipment", "available_days", "session_minutes"}
    assert "'kettlebells' is not known equipment" in messages["equipment"]
    assert "not a whole number" in messages["session_minutes"]
    with pytest.raises(ProfileError, match="out of range"):
        change_training(uow, today=TODAY, catalogue=CATALOGUE, athlete_id=athlete_id, session_minutes=15)
    with uow:
        assert len(uow.plans.versions(athlete_id)) == 1
        stored = uow.athletes.get(athlete_id)
    assert stored is not None
    assert stored.profile_toml == complete_profile()


def test_the_plates_follow_the_units(uow: SqlUnitOfWork) -> None:
    athlete_id = stored_athlete(uow)
    metric = training_settings(uow, today=TODAY, catalogue=CATALOGUE, athlete_id=athlete_id)
    imperial = change_training(
        uow, today=TODAY, catalogue=CATALOGUE, athlete_id=athlete_id, units="imperial"
    ).settings
    assert (metric.bar, metric.plates[0]) == (20.0, 25.0)
    assert (imperial.bar, imperial.plates[0]) == (45.0, 45.0)
    with uow:
        stored = uow.athletes.get(athlete_id)
    assert stored is not None
    assert stored.units is UnitSystem.IMPERIAL
    assert review.show_profile(uow, athlete_id=athlete_id) == stored.profile_toml


def account(uow: SqlUnitOfWork) -> Account:
    return accounts.sign_up(
        uow, email="alex@example.org", password=PASSWORD, role=Role.ATHLETE, today=TODAY, hasher=HASHER
    )


def change(
    uow: SqlUnitOfWork, user: Account, old: str, new: str, confirm: str | None = None, *, at: float = 1e9
) -> Account:
    return change_password(
        uow,
        account=user,
        old_password=old,
        new_password=new,
        confirm_password=new if confirm is None else confirm,
        address="203.0.113.7",
        now_utc_s=at,
        limit=LoginLimit(),
        hasher=HASHER,
    )


def test_a_new_password_replaces_the_old_and_ends_other_sessions(uow: SqlUnitOfWork) -> None:
    user = account(uow)
    changed = change(uow, user, PASSWORD, "a much better passphrase")
    assert changed.session_epoch == user.session_epoch + 1
    assert verify_password(changed.password_hash, "a much better passphrase", HASHER)
    assert not verify_password(changed.password_hash, PASSWORD, HASHER)


def test_password_problems_are_named_by_field(uow: SqlUnitOfWork) -> None:
    user = account(uow)
    with pytest.raises(ProfileError) as caught:
        change(uow, user, "not my password", "short", "different")
    fields = {p.field: p.message for p in caught.value.problems}
    assert fields == {
        "old_password": "that is not your current password",
        "new_password": "use at least 10 characters",
        "confirm_password": "does not match the new password",
    }
    with pytest.raises(ProfileError, match="other than the current one"):
        change(uow, user, PASSWORD, PASSWORD)
    with pytest.raises(ProfileError, match="email"):
        change(uow, user, PASSWORD, "alex@example.org")
    stored = accounts.account(uow, user.id)
    assert stored is not None
    assert stored.session_epoch == user.session_epoch  # nothing was changed


def test_guessing_the_current_password_is_rate_limited_like_signing_in(uow: SqlUnitOfWork) -> None:
    user = account(uow)
    for attempt in range(LoginLimit().attempts):
        with pytest.raises(ProfileError):
            change(uow, user, f"guess number {attempt}", "a much better passphrase", at=1e9 + attempt)
    with pytest.raises(TooManyAttempts):
        change(uow, user, PASSWORD, "a much better passphrase", at=1e9 + 10)


def test_a_right_current_password_does_not_count_as_a_failure(uow: SqlUnitOfWork) -> None:
    """Each attempt is recorded as a failure before the password is checked (so that attempts
    arriving together are all counted); a right one is then forgotten again."""
    user = account(uow)
    for attempt in range(LoginLimit().attempts + 1):
        with pytest.raises(ProfileError, match="at least 10 characters"):
            change(uow, user, PASSWORD, "short", at=1e9 + attempt)
    with uow:
        assert uow.accounts.failures_since(email=user.email, address="203.0.113.7", since_utc_s=0) == []
    assert change(uow, user, PASSWORD, "a much better passphrase", at=1e9 + 10).id == user.id


def test_a_statement_spread_over_twenty_thousand_lines_is_scanned_without_parsing_line_by_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stored profile may hold one statement over many lines (100 000 characters are allowed).
    Finding where statements end must not parse the text again for every line it might end on: the
    whole edit parses twice, the stored text and the edited one, however long the statement."""
    spread = "available_days = [\n" + "\n" * 20_000 + '"mon", "tue", "wed", "thu", "fri", "sat"]'
    text = complete_profile().replace('available_days = ["mon", "tue", "wed", "thu", "fri", "sat"]', spread)
    parses: list[int] = []
    loads = tomllib.loads

    def counted(source: str) -> dict[str, object]:
        parses.append(len(source))
        return loads(source)

    monkeypatch.setattr(tomllib, "loads", counted)
    edited = edited_profile(text, session_minutes=35)
    assert len(parses) == 2
    assert changed_lines(text, edited) == [
        ("session_minutes = 50          # 20 to 240", "session_minutes = 35          # 20 to 240")
    ]
    parses.clear()
    edited = edited_profile(text, available_days=["mon", "thu"], units="imperial")
    assert len(parses) == 2
    assert edited.count("\n") == text.count("\n") - 20_001  # the statement is now one line
    assert 'available_days = ["mon", "thu"]\n' in edited
    assert loads(edited)["strength"]["available_days"] == ["mon", "thu"]
    assert "# metric | imperial" in edited  # the line edit held: comments are kept


TRICKY = """\
# a comment with "quotes", 'apostrophes' and [brackets]
[athlete]
name = "Sam \\"the [bracket]\\" # not a comment"
path = 'C:\\temp\\'  # a literal string ends at its second quote, backslash or not
notes = \"\"\"
[strength]
session_minutes = 10  ''' ' # "" \\\""" \\
   folded\"\"\"
motto = '''
[lifts]
\"\"\" '' '''
nested = [[1, 2], ["]", "["], { a = "}" }]
spread = [
  "x", # a comment with ] and "
  [ "y" ],
  { b = [
    "z" ] },
]
ends_quoted = \"\"\"two quotes end it""\"\"\"
empty = ""
[strength]
session_minutes = 50 # 20 to 240
"""


def test_strings_comments_and_brackets_spanning_lines_do_not_end_a_statement_early() -> None:
    """Headers and keys inside multi-line strings, brackets inside strings and comments: the scan
    still finds the real [strength] table, so the edit is one line and every comment stays."""
    assert tomllib.loads(TRICKY)["athlete"]["notes"].startswith("[strength]\nsession_minutes = 10")
    edited = edited_profile(TRICKY, session_minutes=35)
    assert changed_lines(TRICKY, edited) == [
        ("session_minutes = 50 # 20 to 240", "session_minutes = 35 # 20 to 240")
    ]
    edited = edited_profile(TRICKY, equipment=["band"])
    assert edited == TRICKY + 'equipment = ["band"]\n'
