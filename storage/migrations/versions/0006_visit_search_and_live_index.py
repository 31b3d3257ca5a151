"""visit search in the database (folded text, FTS5 trigram / pg_trgm), a live-visits index
and an index for the newest update of an activity

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:20:00.000000
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As storage/visit_search.py (a migration never imports the app: it must not change later).
FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS visits_fts USING fts5(search_text, "
    "content='visits', content_rowid='id', tokenize='trigram case_sensitive 1')"
)
TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS visits_fts_ai AFTER INSERT ON visits BEGIN "
    "INSERT INTO visits_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS visits_fts_ad AFTER DELETE ON visits BEGIN "
    "INSERT INTO visits_fts(visits_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS visits_fts_au AFTER UPDATE OF search_text ON visits BEGIN "
    "INSERT INTO visits_fts(visits_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO visits_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)


def _backfill() -> None:
    """Every existing visit's folded search text, computed as the app computes it."""
    bind = op.get_bind()
    people: dict[int, list[str]] = defaultdict(list)
    for visit_id, slack_id in bind.execute(
        sa.text("SELECT visit_id, slack_user_id FROM visit_participants ORDER BY id")
    ):
        people[visit_id].append(slack_id)
    rows = bind.execute(
        sa.text(
            "SELECT v.id, c.name, c.match_key, v.notes, v.others, v.author_id "
            "FROM visits v JOIN companies c ON c.id = v.company_id"
        )
    ).fetchall()
    values = []
    for visit_id, name, key, notes, others, author in rows:
        if isinstance(others, str):
            import json

            others = json.loads(others)
        ids = [author, *people.get(visit_id, ())]
        folded = " ".join([name, key, notes or "", " ".join(others or ()), " ".join(ids)])
        values.append({"visit": visit_id, "folded": folded.casefold()})
    if values:
        bind.execute(sa.text("UPDATE visits SET search_text = :folded WHERE id = :visit"), values)


def upgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
        batch_op.create_index(
            "ix_visits_live_date",
            ["visit_date", "company_id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
    with op.batch_alter_table("activity_updates", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activity_updates_activity_recorded",
            ["activity_id", "recorded_at", "id"],
            unique=False,
        )
    _backfill()
    if op.get_bind().dialect.name == "sqlite":
        op.execute(FTS)
        for trigger in TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO visits_fts(visits_fts) VALUES ('rebuild')")
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_visits_search_trgm ON visits "
            "USING gin (search_text gin_trgm_ops) WHERE deleted_at IS NULL"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("visits_fts_ai", "visits_fts_ad", "visits_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS visits_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_visits_search_trgm")
    with op.batch_alter_table("activity_updates", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_updates_activity_recorded")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_live_date")
        batch_op.drop_column("search_text")
