"""Storage for the training log: SQLAlchemy 2 tables, repositories, a unit of work and migrations.

Services import the ports (`ironmile.adapters.db.ports`) and get a concrete unit of work from the
composition root; importing this package itself loads no database driver.
"""
