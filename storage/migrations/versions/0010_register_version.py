"""register version: one number every change to companies or their aliases increases

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 11:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("companies", "company_aliases")


def upgrade() -> None:
    op.create_table(
        "register_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_version")),
    )
    op.execute("INSERT INTO register_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for suffix, event in (("ai", "INSERT"), ("au", "UPDATE"), ("ad", "DELETE")):
                op.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_version_{suffix} AFTER {event} "
                    f"ON {table} BEGIN UPDATE register_version SET version = version + 1 "
                    "WHERE id = 1; END"
                )
    else:
        op.execute(
            "CREATE FUNCTION bump_register_version() RETURNS trigger AS $$ BEGIN "
            "UPDATE register_version SET version = version + 1 WHERE id = 1; RETURN NULL; "
            "END $$ LANGUAGE plpgsql"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_register_version()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for suffix in ("ai", "au", "ad"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_version_{suffix}")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_register_version()")
    op.drop_table("register_version")
