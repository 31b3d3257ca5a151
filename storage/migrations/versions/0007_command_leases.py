"""command leases, request identity and the replay cache

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:13:30.941154
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_requests",
        sa.Column("signature", sa.String(length=80), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature", name=op.f("pk_seen_requests")),
    )
    with op.batch_alter_table("seen_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seen_requests_seen_at"), ["seen_at"], unique=False)

    with op.batch_alter_table("pending_commands", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_key", sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column("owner", sa.String(length=96), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_pending_commands_request_key"), ["request_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_commands", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_pending_commands_request_key"), type_="unique")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("owner")
        batch_op.drop_column("request_key")

    with op.batch_alter_table("seen_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seen_requests_seen_at"))

    op.drop_table("seen_requests")
