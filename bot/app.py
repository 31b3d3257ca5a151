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
    # Which surface this Knalle serves, for the audit trail: slack | console | cli | import.
    surface: str = "slack"

    def is_admin_id(self, slack_user_id: str) -> bool:
        """Admins named in KNALLE_ADMINS; the directory's admin flag is checked by the core."""
        return slack_user_id in self.settings.admins


def build_knalle(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    surface: str = "slack",
) -> Knalle:
    """Nothing happens on import: this is where the database is opened and brought up to date."""
    engine = make_engine(settings.database_url)
    db = Database(engine)
    if migrate:
        upgrade(engine)
        # `knalle config set` values apply to every surface alike, or an update and the
        # reminder about it could disagree on which period it belongs to.
        from bot.core.schedule_config import effective_settings

        with db.read() as session:
            settings = effective_settings(settings, session)
    return Knalle(
        settings=settings, db=db, clock=clock or SystemClock(settings.zone), surface=surface
    )
