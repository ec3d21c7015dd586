"""Athlete data versions: one number per athlete that the database itself changes, in the same
transaction, on every insert, update and delete of that athlete's rows, whichever process writes
(the web app, a cron `ironmile log`, a restore). A cache of an athlete's computed views checks
it with one primary-key read.

Every version is new across all athletes and only grows, so (athlete_id, version) never names
the data of a deleted athlete whose id SQLite gave out again. PostgreSQL takes each value from
the sequence `athlete_data_version_seq` (no lock shared between athletes' writers); SQLite, whose
writers take turns anyway, from the one-row table `data_version_counter`, which only these
triggers use and so stays out of tables.py. Triggers, one plpgsql function per shape on
PostgreSQL, three triggers per table on SQLite (which has no functions): the tables with an
`athlete_id`, `logged_sets` through its session, and `athletes` itself, whose insert creates the
version row. The others only ever update that row, so a cascading delete of an athlete cannot
trip its foreign key.

For later revisions: a SQLite batch migration that rebuilds one of these tables loses its
triggers with the old table, and one that rebuilds logged_sessions fails at the final rename
(SQLite checks every trigger then, and the logged_sets ones name a table that is gone for the
moment). Such a revision drops the triggers first and creates them again after; the data-version
tests check that every athlete table has them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The athlete's own tables at this revision; logged_sets reaches its athlete through logged_sessions.
ATHLETE_TABLES = (
    "activities",
    "applied_requests",
    "body_mass",
    "logged_sessions",
    "morning_pain",
    "plan_versions",
    "screens",
    "swaps",
)
EVENTS = ("insert", "update", "delete")

# --- PostgreSQL -------------------------------------------------------------------------------------

_NEXT = "nextval('athlete_data_version_seq')"

# Each function returns NULL: the return value of an AFTER trigger is ignored.
_PG_FUNCTIONS = {
    "bump_data_version_by_athlete_id": f"""
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE athlete_data_versions SET version = {_NEXT} WHERE athlete_id = OLD.athlete_id;
            END IF;
            IF TG_OP = 'INSERT' THEN
                UPDATE athlete_data_versions SET version = {_NEXT} WHERE athlete_id = NEW.athlete_id;
            ELSIF TG_OP = 'UPDATE' THEN
                IF NEW.athlete_id IS DISTINCT FROM OLD.athlete_id THEN
                    UPDATE athlete_data_versions SET version = {_NEXT} WHERE athlete_id = NEW.athlete_id;
                END IF;
            END IF;
            RETURN NULL;
        END
    """,
    "bump_data_version_by_session": f"""
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE athlete_data_versions SET version = {_NEXT}
                WHERE athlete_id = (SELECT athlete_id FROM logged_sessions WHERE id = OLD.session_id);
            END IF;
            IF TG_OP = 'INSERT' THEN
                UPDATE athlete_data_versions SET version = {_NEXT}
                WHERE athlete_id = (SELECT athlete_id FROM logged_sessions WHERE id = NEW.session_id);
            ELSIF TG_OP = 'UPDATE' THEN
                IF NEW.session_id IS DISTINCT FROM OLD.session_id THEN
                    UPDATE athlete_data_versions SET version = {_NEXT}
                    WHERE athlete_id = (SELECT athlete_id FROM logged_sessions WHERE id = NEW.session_id);
                END IF;
            END IF;
            RETURN NULL;
        END
    """,
    "bump_data_version_of_athlete": f"""
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO athlete_data_versions (athlete_id, version) VALUES (NEW.id, {_NEXT});
            ELSE
                UPDATE athlete_data_versions SET version = {_NEXT} WHERE athlete_id = NEW.id;
            END IF;
            RETURN NULL;
        END
    """,
}


def _pg_triggers() -> list[tuple[str, str, str]]:
    """(table, events, function) of every trigger; a deleted athlete's version row goes by cascade."""
    return [
        *(
            (table, "INSERT OR UPDATE OR DELETE", "bump_data_version_by_athlete_id")
            for table in ATHLETE_TABLES
        ),
        ("logged_sets", "INSERT OR UPDATE OR DELETE", "bump_data_version_by_session"),
        ("athletes", "INSERT OR UPDATE", "bump_data_version_of_athlete"),
    ]


def _upgrade_postgresql() -> None:
    op.execute("CREATE SEQUENCE athlete_data_version_seq AS BIGINT")
    op.execute(
        "INSERT INTO athlete_data_versions (athlete_id, version) "
        f"SELECT id, {_NEXT} FROM (SELECT id FROM athletes ORDER BY id) AS existing"
    )
    for name, body in _PG_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$")
    for table, events, function in _pg_triggers():
        op.execute(
            f"CREATE TRIGGER {table}_data_version AFTER {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )


def _downgrade_postgresql() -> None:
    for table, _, _ in _pg_triggers():
        op.execute(f"DROP TRIGGER {table}_data_version ON {table}")
    for name in _PG_FUNCTIONS:
        op.execute(f"DROP FUNCTION {name}()")
    op.execute("DROP SEQUENCE athlete_data_version_seq")


# --- SQLite -----------------------------------------------------------------------------------------

# SQLite triggers hold plain statements (no IF, no variables): each bump advances the counter, then
# copies it; a WHERE clause that matches no row stands in for a branch not taken.
_SQLITE_BUMP = """
    UPDATE data_version_counter SET value = value + 1 WHERE id = 1 AND {when};
    UPDATE athlete_data_versions SET version = (SELECT value FROM data_version_counter WHERE id = 1)
    WHERE athlete_id = {athlete} AND {when};
"""
_SQLITE_BY_SESSION = "(SELECT athlete_id FROM logged_sessions WHERE id = {row}.session_id)"


def _sqlite_statements(event: str, athlete: str) -> str:
    """The statements of one trigger; `athlete` is an SQL expression with {row} for OLD or NEW."""
    if event == "insert":
        return _SQLITE_BUMP.format(athlete=athlete.format(row="NEW"), when="1")
    old = _SQLITE_BUMP.format(athlete=athlete.format(row="OLD"), when="1")
    if event == "delete":
        return old
    moved = f"{athlete.format(row='NEW')} IS NOT {athlete.format(row='OLD')}"
    return old + _SQLITE_BUMP.format(athlete=athlete.format(row="NEW"), when=moved)


def _sqlite_triggers() -> dict[str, tuple[str, str, str]]:
    """Trigger name → (table, event, statements)."""
    triggers = {
        f"{table}_data_version_{event}": (table, event, _sqlite_statements(event, "{row}.athlete_id"))
        for table in ATHLETE_TABLES
        for event in EVENTS
    }
    for event in EVENTS:
        triggers[f"logged_sets_data_version_{event}"] = (
            "logged_sets",
            event,
            _sqlite_statements(event, _SQLITE_BY_SESSION),
        )
    triggers["athletes_data_version_insert"] = (
        "athletes",
        "insert",
        """
        UPDATE data_version_counter SET value = value + 1 WHERE id = 1;
        INSERT INTO athlete_data_versions (athlete_id, version)
        SELECT NEW.id, value FROM data_version_counter WHERE id = 1;
        """,
    )
    triggers["athletes_data_version_update"] = (
        "athletes",
        "update",
        _SQLITE_BUMP.format(athlete="NEW.id", when="1"),
    )
    return triggers


def _upgrade_sqlite() -> None:
    op.execute(
        "CREATE TABLE data_version_counter ("
        "id INTEGER NOT NULL CONSTRAINT pk_data_version_counter PRIMARY KEY "
        "CONSTRAINT ck_data_version_counter_one_row CHECK (id = 1), "
        "value INTEGER NOT NULL)"
    )
    # ids are unique, so they serve as the first versions; the counter goes on from the largest
    op.execute("INSERT INTO athlete_data_versions (athlete_id, version) SELECT id, id FROM athletes")
    op.execute("INSERT INTO data_version_counter (id, value) SELECT 1, coalesce(max(id), 0) FROM athletes")
    for name, (table, event, statements) in _sqlite_triggers().items():
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} FOR EACH ROW BEGIN {statements} END"
        )


def _downgrade_sqlite() -> None:
    for name in _sqlite_triggers():
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE data_version_counter")


# --- both -------------------------------------------------------------------------------------------


def upgrade() -> None:
    op.create_table(
        "athlete_data_versions",
        sa.Column("athlete_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_athlete_data_versions_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", name=op.f("pk_athlete_data_versions")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
    else:
        _upgrade_sqlite()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _downgrade_postgresql()
    else:
        _downgrade_sqlite()
    op.drop_table("athlete_data_versions")
