"""visit source: how a visit came in, and the Slack message it was read from

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=16), server_default="command", nullable=False)
        )
        batch_op.add_column(sa.Column("source_channel", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("source_ts", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("permalink", sa.Text(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_visits_source_channel_source_ts"), ["source_channel", "source_ts"]
        )


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_visits_source_channel_source_ts"), type_="unique")
        batch_op.drop_column("permalink")
        batch_op.drop_column("source_ts")
        batch_op.drop_column("source_channel")
        batch_op.drop_column("source")
