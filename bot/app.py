"""One visible function builds Knalle: config → engine → migrations → the shared core context."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import Clock, SystemClock
from bot.config import Settings
from storage.db import Database, make_engine, upgrade


@dataclass
class Knalle:
    """What every surface (Slack, console, CLI, scheduled jobs) shares."""

    settings: Settings
    db: Database
    clock: Clock = field(repr=False)

    def is_admin_id(self, slack_user_id: str) -> bool:
        """Admins named in KNALLE_ADMINS; the directory's admin flag is checked by the core."""
        return slack_user_id in self.settings.admins


def build_knalle(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> Knalle:
    """Nothing happens on import: this is where the database is opened and brought up to date."""
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    return Knalle(settings=settings, db=Database(engine), clock=clock or SystemClock(settings.zone))
