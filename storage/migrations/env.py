"""Alembic's environment: the engine comes from the caller, SQLite gets batch mode."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Engine

from storage.base import UtcDateTime
from storage.models import Base

# APScheduler creates and owns its job table; migrations must neither create nor drop it.
FOREIGN_TABLES = {"apscheduler_jobs"}
# The search index lives beside the models (migration 0006, storage/visit_search.py): SQLite's
# FTS5 table with its shadow tables, PostgreSQL's pg_trgm index.
SEARCH_TABLE_PREFIX = "visits_fts"
SEARCH_INDEXES = {"ix_visits_search_trgm"}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    if type_ == "table" and name is not None and name.startswith(SEARCH_TABLE_PREFIX):
        return False
    if type_ == "index" and name in SEARCH_INDEXES:
        return False
    return not (type_ == "table" and name in FOREIGN_TABLES)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Migrations must not import our column types: renaming one would break old revisions.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations() -> None:
    engine: Engine | None = context.config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        url = context.config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("migrations need an engine or sqlalchemy.url")
        engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=include_object,
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
