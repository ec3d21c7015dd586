"""The migrations build exactly the schema tables.py describes, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from importlib.resources import files
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.migrate import alembic_config, current_revision, downgrade, head_revision, upgrade
from ironmile.adapters.db.tables import metadata
from ironmile.domain.errors import IronmileError

# Tables the migrations keep for triggers alone, outside tables.py: SQLite's data version counter
# (PostgreSQL uses a sequence, which the comparison does not look at).
TRIGGER_TABLES = {"sqlite": {"data_version_counter"}, "postgresql": set()}


def differences(engine: Engine) -> list[object]:
    def compared(name: str | None, kind: str, _parent: object) -> bool:
        return not (kind == "table" and name in TRIGGER_TABLES[engine.dialect.name])

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": compared}
        )
        return list(compare_metadata(context, metadata))


def test_upgrade_from_empty_builds_the_schema_of_the_tables_module(engine: Engine) -> None:
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision() == "0006"
    assert differences(engine) == []


def test_every_table_is_created_with_its_indexes_and_checks(engine: Engine) -> None:
    upgrade(engine)
    inspector = inspect(engine)
    assert set(inspector.get_table_names()) == {
        *metadata.tables,
        *TRIGGER_TABLES[engine.dialect.name],
        "alembic_version",
    }
    for table in metadata.tables.values():
        expected = {c.name for c in table.constraints if isinstance(c.name, str) and c.name.startswith("ck_")}
        assert {c["name"] for c in inspector.get_check_constraints(table.name)} == expected, table.name
    assert {i["name"] for i in inspector.get_indexes("logged_sessions")} == {
        "ix_logged_sessions_athlete_id_date"
    }


def test_upgrade_is_idempotent(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_processes_opening_a_new_database_together_take_turns(engine: Engine) -> None:
    """Two web workers starting at once: both upgrades succeed and the schema is built once."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def open_database() -> None:
        barrier.wait()
        try:
            upgrade(engine)
        except BaseException as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)

    # Daemon threads and a join timeout: without the lock they deadlock (alembic loads env.py under
    # Python's import lock while the database lock is held), and the test must fail, not hang.
    workers = [threading.Thread(target=open_database, daemon=True) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert not any(worker.is_alive() for worker in workers), "the upgrades deadlocked"
    assert errors == []
    assert differences(engine) == []


def test_a_database_from_a_newer_ironmile_is_left_alone(migrated: Engine) -> None:
    with migrated.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(
        IronmileError, match="schema revision 9999, which this version of ironmile does not know"
    ):
        upgrade(migrated)
    assert current_revision(migrated) == "9999"


def test_downgrade_to_nothing_and_back(engine: Engine) -> None:
    upgrade(engine)
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert differences(engine) == []


def test_a_config_with_a_url_migrates_without_a_connection(tmp_path: Path) -> None:
    """The path developers use with alembic's commands; env.py builds its own engine."""
    url = f"sqlite:///{tmp_path / 'dev.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_the_migration_scripts_are_package_data() -> None:
    """Wheels carry what importlib.resources sees in the source tree: the scripts and the template."""
    folder = files("ironmile.adapters.db") / "migrations"
    assert (folder / "env.py").is_file()
    assert (folder / "script.py.mako").is_file()
    assert any(entry.name.startswith("m0001_") for entry in (folder / "versions").iterdir())


def test_the_comparison_notices_drift(migrated: Engine) -> None:
    """Guards the schema test itself: a dropped index and a dropped table are both reported."""
    with migrated.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_screens_athlete_id_date")
        connection.exec_driver_sql("DROP TABLE swaps")
    kinds = sorted(
        str(difference[0]) for difference in differences(migrated) if isinstance(difference, tuple)
    )
    assert kinds == ["add_index", "add_table"]


def test_upgrade_from_the_training_log_schema_keeps_the_log_and_adds_activities(engine: Engine) -> None:
    """A database written before activities existed (revision 0001) upgrades in place: its rows stay."""
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO athletes (id, name, units, profile_toml, created_on) "
                "VALUES (1, 'Alex', 'metric', '[athlete]', '2026-11-01')"
            )
        )
        connection.execute(
            text("INSERT INTO body_mass (athlete_id, date, mass_kg) VALUES (1, '2026-11-02', 68.5)")
        )
    upgrade(engine, "0002")
    assert current_revision(engine) == "0002"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT mass_kg FROM body_mass")).scalar_one() == 68.5
        assert connection.execute(text("SELECT count(*) FROM activities")).scalar_one() == 0
    downgrade(engine, "0001")
    assert "activities" not in inspect(engine).get_table_names()


def test_upgrade_from_the_activities_schema_keeps_everything_and_adds_accounts(engine: Engine) -> None:
    """A database from before the web app (revision 0002) upgrades in place; its athlete stays, and
    deleting that athlete later leaves an account without one (SET NULL) instead of failing."""
    upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO athletes (id, name, units, profile_toml, created_on) "
                "VALUES (1, 'Alex', 'metric', '[athlete]', '2026-11-01')"
            )
        )
    upgrade(engine, "0003")
    assert current_revision(engine) == "0003"
    assert {"users", "squads", "squad_members", "login_failures"} <= set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        assert connection.execute(text("SELECT name FROM athletes")).scalar_one() == "Alex"
        connection.execute(
            text(
                "INSERT INTO users (email, password_hash, role, athlete_id, feed_token, session_epoch, "
                "created_on) VALUES ('a@example.org', 'x', 'athlete', 1, 't', 0, '2026-11-26')"
            )
        )
        connection.execute(text("DELETE FROM athletes"))
        assert connection.execute(text("SELECT athlete_id FROM users")).scalar_one() is None
    downgrade(engine, "0002")
    assert "users" not in inspect(engine).get_table_names()


def test_upgrade_from_the_accounts_schema_keeps_the_log_and_adds_applied_requests(engine: Engine) -> None:
    """A database from before idempotent set logging (revision 0003) upgrades in place: its athlete
    and logged sets stay, and the request ids go with their athlete (ON DELETE CASCADE)."""
    upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO athletes (id, name, units, profile_toml, created_on) "
                "VALUES (1, 'Alex', 'metric', '[athlete]', '2026-11-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO logged_sessions (id, athlete_id, date, planned) "
                "VALUES (1, 1, '2026-12-08', true)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO logged_sets (session_id, position, exercise_id, load_kg, reps) "
                "VALUES (1, 0, 'back_squat', 75.0, 5)"
            )
        )
    upgrade(engine, "0004")
    assert current_revision(engine) == "0004"
    with engine.begin() as connection:
        assert connection.execute(text("SELECT load_kg FROM logged_sets")).scalar_one() == 75.0
        connection.execute(
            text(
                "INSERT INTO applied_requests (athlete_id, request_id, applied_on, position) "
                "VALUES (1, '7f0c2f9e-5d1b-4c1e-9a53-0d6f2b8c4a11', '2026-12-08', 0)"
            )
        )
    downgrade(engine, "0003")
    assert "applied_requests" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM logged_sets")).scalar_one() == 1
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO applied_requests (athlete_id, request_id, applied_on, position) "
                "VALUES (1, 'a', '2026-12-08', 0)"
            )
        )
        connection.execute(text("DELETE FROM athletes"))
        assert connection.execute(text("SELECT count(*) FROM applied_requests")).scalar_one() == 0


def test_upgrade_from_the_applied_requests_schema_keeps_the_failures_and_adds_sign_up_attempts(
    engine: Engine,
) -> None:
    """A database from before the sign-up limit (revision 0004) upgrades in place: its accounts and
    failed sign-ins stay, and sign-up attempts start empty."""
    upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, password_hash, role, athlete_id, feed_token, session_epoch, "
                "created_on) VALUES ('a@example.org', 'x', 'athlete', NULL, 't', 0, '2026-11-26')"
            )
        )
        connection.execute(
            text("INSERT INTO login_failures (email, address, at_utc_s) VALUES ('a@example.org', 'h', 1.5)")
        )
    upgrade(engine, "0005")
    assert current_revision(engine) == "0005"
    with engine.begin() as connection:
        assert connection.execute(text("SELECT email FROM users")).scalar_one() == "a@example.org"
        assert connection.execute(text("SELECT at_utc_s FROM login_failures")).scalar_one() == 1.5
        assert connection.execute(text("SELECT count(*) FROM sign_up_attempts")).scalar_one() == 0
        connection.execute(text("INSERT INTO sign_up_attempts (address, at_utc_s) VALUES ('h', 2.0)"))
    downgrade(engine, "0004")
    assert "sign_up_attempts" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM users")).scalar_one() == 1
