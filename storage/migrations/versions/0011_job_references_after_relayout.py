"""job references after the relayout: stored APScheduler jobs point at bot.schedule.jobs

APScheduler stores each job's function as a "module:function" text inside the pickled job state,
and deletes a job for good at load when that text no longer imports. The jobs moved from
`bot.jobs` to `bot.schedule.jobs`; this rewrites the references a running bot stored before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 13:20:00.000000
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOB_TABLE = "apscheduler_jobs"
OLD, NEW = "bot.jobs:", "bot.schedule.jobs:"


def _rewrite(old: str, new: str) -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table(JOB_TABLE):
        return  # the scheduler has not run yet: it creates the table with today's references
    rows = bind.execute(sa.text(f"SELECT id, job_state FROM {JOB_TABLE}")).all()
    for job_id, blob in rows:
        # Our own table, written by our own scheduler: the pickle is as trusted as the database.
        state = pickle.loads(blob)
        func = state.get("func")
        if isinstance(func, str) and func.startswith(old):
            state["func"] = new + func.removeprefix(old)
            bind.execute(
                sa.text(f"UPDATE {JOB_TABLE} SET job_state = :state WHERE id = :id"),
                {"state": pickle.dumps(state, pickle.HIGHEST_PROTOCOL), "id": job_id},
            )


def upgrade() -> None:
    _rewrite(OLD, NEW)


def downgrade() -> None:
    _rewrite(NEW, OLD)
