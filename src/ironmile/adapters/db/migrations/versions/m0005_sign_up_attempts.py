"""Sign-up attempts: the client address and time of each sign-up that hashed a password, counted
for the per-address sign-up limit (each hash takes 64 MiB of memory).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_up_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("at_utc_s", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_up_attempts")),
    )
    with op.batch_alter_table("sign_up_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_up_attempts_address_at_utc_s"), ["address", "at_utc_s"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_up_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_up_attempts_address_at_utc_s"))

    op.drop_table("sign_up_attempts")
