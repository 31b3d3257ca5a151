"""pending commands: slash commands committed before their ack, replayed if unfinished

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 18:24:46.897297
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_commands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("command", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("response_url", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_commands")),
    )
    with op.batch_alter_table("pending_commands", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_commands_finished_at"), ["finished_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_commands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_commands_finished_at"))

    op.drop_table("pending_commands")
