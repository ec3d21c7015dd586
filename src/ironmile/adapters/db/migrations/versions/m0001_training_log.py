"""The training log: athletes, plan versions, logged sessions and sets, morning pain, body mass,
screens and swaps.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "athletes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("units", sa.Text(), nullable=False),
        sa.Column("profile_toml", sa.Text(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.CheckConstraint("units IN ('metric', 'imperial')", name=op.f("ck_athletes_units_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_athletes")),
        sa.UniqueConstraint("name", name=op.f("uq_athletes_name")),
    )
    op.create_table(
        "body_mass",
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("mass_kg", sa.Float(), nullable=False),
        sa.CheckConstraint("mass_kg > 0", name=op.f("ck_body_mass_mass_kg_positive")),
        sa.ForeignKeyConstraint(
            ["athlete_id"], ["athletes.id"], name=op.f("fk_body_mass_athlete_id_athletes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("athlete_id", "date", name=op.f("pk_body_mass")),
    )
    op.create_table(
        "logged_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("planned", sa.Boolean(), nullable=False),
        sa.Column("pain_during", sa.Integer(), nullable=True),
        sa.Column("session_rpe", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("pain_during BETWEEN 0 AND 10", name=op.f("ck_logged_sessions_pain_during_range")),
        sa.CheckConstraint("session_rpe BETWEEN 0 AND 10", name=op.f("ck_logged_sessions_session_rpe_range")),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_logged_sessions_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logged_sessions")),
    )
    op.create_index(op.f("ix_logged_sessions_athlete_id_date"), "logged_sessions", ["athlete_id", "date"])

    op.create_table(
        "morning_pain",
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.CheckConstraint("pain BETWEEN 0 AND 10", name=op.f("ck_morning_pain_pain_range")),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_morning_pain_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", "date", name=op.f("pk_morning_pain")),
    )
    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_plan_versions_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
    )
    op.create_index(
        op.f("ix_plan_versions_athlete_id_effective_from"), "plan_versions", ["athlete_id", "effective_from"]
    )

    op.create_table(
        "screens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("bridge_left_reps", sa.Integer(), nullable=True),
        sa.Column("bridge_right_reps", sa.Integer(), nullable=True),
        sa.Column("felt_in", sa.Text(), nullable=True),
        sa.Column("hq_ratio", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "felt_in IN ('quads', 'glutes_hamstrings', 'both')", name=op.f("ck_screens_felt_in_known")
        ),
        sa.CheckConstraint("bridge_left_reps >= 0", name=op.f("ck_screens_bridge_left_reps_nonnegative")),
        sa.CheckConstraint("bridge_right_reps >= 0", name=op.f("ck_screens_bridge_right_reps_nonnegative")),
        sa.CheckConstraint("hq_ratio > 0", name=op.f("ck_screens_hq_ratio_positive")),
        sa.ForeignKeyConstraint(
            ["athlete_id"], ["athletes.id"], name=op.f("fk_screens_athlete_id_athletes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screens")),
    )
    op.create_index(op.f("ix_screens_athlete_id_date"), "screens", ["athlete_id", "date"])

    op.create_table(
        "swaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("exercise_id", sa.Text(), nullable=False),
        sa.Column("replacement_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"], ["athletes.id"], name=op.f("fk_swaps_athlete_id_athletes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swaps")),
        sa.UniqueConstraint(
            "athlete_id", "since", "exercise_id", name=op.f("uq_swaps_athlete_id_since_exercise_id")
        ),
    )
    op.create_table(
        "logged_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.Text(), nullable=False),
        sa.Column("load_kg", sa.Float(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=True),
        sa.Column("rir", sa.Integer(), nullable=True),
        sa.Column("pain", sa.Integer(), nullable=True),
        sa.CheckConstraint("load_kg >= 0", name=op.f("ck_logged_sets_load_kg_nonnegative")),
        sa.CheckConstraint("pain BETWEEN 0 AND 10", name=op.f("ck_logged_sets_pain_range")),
        sa.CheckConstraint("position >= 0", name=op.f("ck_logged_sets_position_nonnegative")),
        sa.CheckConstraint("reps BETWEEN 0 AND 100", name=op.f("ck_logged_sets_reps_range")),
        sa.CheckConstraint("rir BETWEEN 0 AND 10", name=op.f("ck_logged_sets_rir_range")),
        sa.CheckConstraint("seconds >= 0", name=op.f("ck_logged_sets_seconds_nonnegative")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["logged_sessions.id"],
            name=op.f("fk_logged_sets_session_id_logged_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logged_sets")),
        sa.UniqueConstraint("session_id", "position", name=op.f("uq_logged_sets_session_id_position")),
    )


def downgrade() -> None:
    op.drop_table("logged_sets")
    op.drop_table("swaps")
    op.drop_index(op.f("ix_screens_athlete_id_date"), table_name="screens")
    op.drop_table("screens")
    op.drop_index(op.f("ix_plan_versions_athlete_id_effective_from"), table_name="plan_versions")
    op.drop_table("plan_versions")
    op.drop_table("morning_pain")
    op.drop_index(op.f("ix_logged_sessions_athlete_id_date"), table_name="logged_sessions")
    op.drop_table("logged_sessions")
    op.drop_table("body_mass")
    op.drop_table("athletes")
