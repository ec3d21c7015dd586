"""Imported activities: runs (and other sports) read from FIT, GPX, TCX files and service exports.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("source_hash", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_on", sa.Date(), nullable=False),
        sa.Column("start_utc_s", sa.Float(), nullable=False),
        sa.Column("utc_offset_s", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("sport", sa.Text(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("moving_s", sa.Float(), nullable=True),
        sa.Column("elapsed_s", sa.Float(), nullable=True),
        sa.Column("elevation_gain_m", sa.Float(), nullable=True),
        sa.Column("avg_heart_rate_bpm", sa.Float(), nullable=True),
        sa.Column("max_heart_rate_bpm", sa.Float(), nullable=True),
        sa.Column("perceived_exertion", sa.Float(), nullable=True),
        sa.Column("heart_rate_seconds", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "sport IN ('running', 'cycling', 'swimming', 'walking', 'hiking', 'strength', 'rowing', "
            "'skiing', 'other')",
            name=op.f("ck_activities_sport_known"),
        ),
        sa.CheckConstraint("avg_heart_rate_bpm > 0", name=op.f("ck_activities_avg_heart_rate_bpm_positive")),
        sa.CheckConstraint("distance_m >= 0", name=op.f("ck_activities_distance_m_nonnegative")),
        sa.CheckConstraint("elapsed_s >= 0", name=op.f("ck_activities_elapsed_s_nonnegative")),
        sa.CheckConstraint("elevation_gain_m >= 0", name=op.f("ck_activities_elevation_gain_m_nonnegative")),
        sa.CheckConstraint("max_heart_rate_bpm > 0", name=op.f("ck_activities_max_heart_rate_bpm_positive")),
        sa.CheckConstraint("moving_s >= 0", name=op.f("ck_activities_moving_s_nonnegative")),
        sa.CheckConstraint(
            "perceived_exertion BETWEEN 1 AND 10", name=op.f("ck_activities_perceived_exertion_range")
        ),
        sa.CheckConstraint(
            "utc_offset_s BETWEEN -86400 AND 86400", name=op.f("ck_activities_utc_offset_s_range")
        ),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_activities_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint("athlete_id", "fingerprint", name=op.f("uq_activities_athlete_id_fingerprint")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activities_athlete_id_local_date"), ["athlete_id", "local_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_activities_athlete_id_source_hash"), ["athlete_id", "source_hash"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_athlete_id_source_hash"))
        batch_op.drop_index(batch_op.f("ix_activities_athlete_id_local_date"))

    op.drop_table("activities")
