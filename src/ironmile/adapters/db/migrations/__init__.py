"""Alembic migrations of the training log; run them with `ironmile.adapters.db.migrate.upgrade`."""
