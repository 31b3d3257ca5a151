"""visit themes (rows: visit, theme, set by the list or a person) and the plan's campaigns

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:55:32.960387
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visit_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=False),
        sa.Column("set_by", sa.String(length=8), nullable=False),
        sa.Column("applies", sa.Boolean(), nullable=False),
        sa.Column("set_by_user", sa.String(length=32), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_themes_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_themes")),
        sa.UniqueConstraint("visit_id", "theme", name=op.f("uq_visit_themes_visit_id_theme")),
    )
    with op.batch_alter_table("visit_themes", schema=None) as batch_op:
        batch_op.create_index("ix_visit_themes_theme", ["theme"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_themes_visit_id"), ["visit_id"], unique=False)

    # Plans imported before this revision have no campaigns: an empty list, not NULL.
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("campaigns", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column("politicians", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("politicians")
        batch_op.drop_column("campaigns")

    with op.batch_alter_table("visit_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_themes_visit_id"))
        batch_op.drop_index("ix_visit_themes_theme")

    op.drop_table("visit_themes")
