"""Running the Alembic migrations from code: no alembic.ini, the scripts ship inside the package.

`upgrade(engine)` is what `ironmile init` and every open of a database call: at head it reads the
version table and changes nothing (idempotent; about 5 ms on SQLite).

For developers writing a revision: `alembic.command.revision(alembic_config("sqlite:///dev.db"),
"message", autogenerate=True, rev_id="0002")` on a database at head compares it with
`tables.metadata` and writes `versions/m0002_message.py`; revision ids are sequential numbers so
the history reads in order. Add CHECK constraints by hand: autogenerate does not see them.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from ironmile.domain.errors import IronmileError

SCRIPT_LOCATION = "ironmile.adapters.db:migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration built in code; `url` is only needed when no connection is passed."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("file_template", "m%%(rev)s_%%(slug)s")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# Any fixed number, the same in every process: web workers starting together migrate one at a time.
_POSTGRES_MIGRATION_LOCK = 0x1205_11E5


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` (default: the newest) in one transaction.

    Processes that open a new database at the same moment take turns: on PostgreSQL through an
    advisory lock held until the transaction ends, on SQLite through BEGIN IMMEDIATE (engine.py).
    The second one then finds the schema at head and does nothing.
    """
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_POSTGRES_MIGRATION_LOCK})")
        _refuse_unknown_revision(connection, ScriptDirectory.from_config(config))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _refuse_unknown_revision(connection: Connection, scripts: ScriptDirectory) -> None:
    """A database written by a newer ironmile is left alone, with a message that says so (Alembic
    itself would only say that it cannot locate the revision)."""
    current = MigrationContext.configure(connection).get_current_revision()
    if current is not None and current not in {script.revision for script in scripts.walk_revisions()}:
        raise IronmileError(
            f"the database is at schema revision {current}, which this version of ironmile does not know "
            f"(it knows up to {scripts.get_current_head()}); upgrade ironmile to open it"
        )


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` ("base": no tables), for testing a migration both ways."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database that was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision the installed ironmile knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
