"""Alembic's entry point: migrate the connection `upgrade()` passes in, or else the configured URL.

SQLite needs batch mode for most ALTERs (it rebuilds the table), so `render_as_batch` is on for
it; types are compared so that the schema test catches a column whose type drifted.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from ironmile.adapters.db.engine import make_engine
from ironmile.adapters.db.tables import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # SQLite's version counter (m0006) lives outside the ORM metadata, which a counter row
        # surviving every athlete's deletion would not fit; autogenerate must not drop it.
        include_name=lambda name, kind, _parent: not (kind == "table" and name == "data_version_counter"),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit(
        "ironmile's migrations run against a live database; offline SQL scripts are not supported"
    )

given = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as connection:
            run(connection)
    finally:
        engine.dispose()
