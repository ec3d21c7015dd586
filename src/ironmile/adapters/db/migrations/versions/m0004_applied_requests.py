"""Applied requests: the client-generated id of every set logged through the API, kept with the
set in one transaction so that a retried request is answered, not applied twice.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "applied_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("position >= 0", name=op.f("ck_applied_requests_position_nonnegative")),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_applied_requests_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applied_requests")),
        sa.UniqueConstraint(
            "athlete_id", "request_id", name=op.f("uq_applied_requests_athlete_id_request_id")
        ),
    )
    with op.batch_alter_table("applied_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_applied_requests_athlete_id_applied_on"),
            ["athlete_id", "applied_on"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("applied_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applied_requests_athlete_id_applied_on"))

    op.drop_table("applied_requests")
