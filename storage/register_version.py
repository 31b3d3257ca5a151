"""The company register's version: one number that every change to the register increases.

Database triggers (migration 0010) increase `register_version.version` on any insert, update
or delete in `companies` or `company_aliases`, whichever code or process made it: the ORM, a
bulk statement, another replica. A cache of the register is current while the number it was
built at is still the number in the database (one primary-key read per use).
"""

from __future__ import annotations

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from storage.models import RegisterVersion

TABLES = ("companies", "company_aliases")
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS {table}_version_{suffix} AFTER {event} ON {table} BEGIN "
    "UPDATE register_version SET version = version + 1 WHERE id = 1; END"
    for table in TABLES
    for suffix, event in (("ai", "INSERT"), ("au", "UPDATE"), ("ad", "DELETE"))
)
SQLITE_TRIGGER_NAMES = tuple(
    f"{table}_version_{suffix}" for table in TABLES for suffix in ("ai", "au", "ad")
)


def current(session: Session) -> int:
    """The register's version now (0 before the first change)."""
    return int(session.scalar(select(RegisterVersion.version).where(RegisterVersion.id == 1)) or 0)


def ensure_triggers(engine: Engine) -> None:
    """SQLite: put the triggers back when a batch migration rebuilt a register table."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        names = set(
            connection.scalars(
                text("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            )
        )
        if "register_version" not in names or set(SQLITE_TRIGGER_NAMES) <= names:
            return
        for statement in SQLITE_TRIGGERS:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql("UPDATE register_version SET version = version + 1 WHERE id = 1")
