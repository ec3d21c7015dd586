"""Web accounts: users (argon2 hashes, session epoch, calendar feed token), coaches' squads and
their members, and failed sign-ins for the login rate limit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("at_utc_s", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_failures_address_at_utc_s"), ["address", "at_utc_s"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_login_failures_email_at_utc_s"), ["email", "at_utc_s"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("athlete_id", sa.Integer(), nullable=True),
        sa.Column("feed_token", sa.Text(), nullable=False),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.CheckConstraint("role IN ('athlete', 'coach')", name=op.f("ck_users_role_known")),
        sa.CheckConstraint("session_epoch >= 0", name=op.f("ck_users_session_epoch_nonnegative")),
        sa.ForeignKeyConstraint(
            ["athlete_id"], ["athletes.id"], name=op.f("fk_users_athlete_id_athletes"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("athlete_id", name=op.f("uq_users_athlete_id")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("feed_token", name=op.f("uq_users_feed_token")),
    )
    op.create_table(
        "squads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("invite_code", sa.Text(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["users.id"], name=op.f("fk_squads_coach_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_squads")),
        sa.UniqueConstraint("invite_code", name=op.f("uq_squads_invite_code")),
    )
    with op.batch_alter_table("squads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_squads_coach_id"), ["coach_id"], unique=False)

    op.create_table(
        "squad_members",
        sa.Column("squad_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["squad_id"], ["squads.id"], name=op.f("fk_squad_members_squad_id_squads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_squad_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("squad_id", "user_id", name=op.f("pk_squad_members")),
    )
    with op.batch_alter_table("squad_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_squad_members_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("squad_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_squad_members_user_id"))

    op.drop_table("squad_members")
    with op.batch_alter_table("squads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_squads_coach_id"))

    op.drop_table("squads")
    op.drop_table("users")
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_email_at_utc_s"))
        batch_op.drop_index(batch_op.f("ix_login_failures_address_at_utc_s"))

    op.drop_table("login_failures")
