"""clean stored text: remove NUL, lone surrogates, control and bidi-override characters

Rows stored before text was made safe at the boundary may hold characters that break the CSV
and xlsx exports, the reports and the digest. Every text column of every table is scrubbed
once (newline and tab kept). Nothing to undo: the removed characters were never meant.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:45:00
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy, not an import: a migration must not change when the code it once used does.
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
SKIP_TABLES = {"alembic_version", "apscheduler_jobs"}


def clean(value: Any) -> Any:
    if isinstance(value, str):
        return UNSAFE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, list):
        return [clean(item) for item in value]
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    return value


def upgrade() -> None:
    bind = op.get_bind()
    metadata = sa.MetaData()
    metadata.reflect(bind=bind)
    for table in metadata.sorted_tables:
        if table.name in SKIP_TABLES or not table.primary_key.columns:
            continue
        texts = [
            column
            for column in table.columns
            if isinstance(column.type, (sa.String, sa.Text, sa.JSON)) and not column.primary_key
        ]
        if not texts:
            continue
        keys = list(table.primary_key.columns)
        for row in bind.execute(sa.select(*keys, *texts)).mappings():
            changes = {}
            for column in texts:
                value = row[column.name]
                if isinstance(column.type, sa.JSON) and isinstance(value, str):
                    with contextlib.suppress(ValueError):
                        value = json.loads(value)
                cleaned = clean(value)
                if cleaned != value:
                    changes[column.name] = cleaned
            if changes:
                bind.execute(
                    table.update().where(*(key == row[key.name] for key in keys)).values(**changes)
                )


def downgrade() -> None:
    pass
