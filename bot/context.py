"""The Knalle context every surface is handed, and the one function that builds it.

Settings → engine → migrations → context: `build_knalle` opens the database and brings it to
the migrations' head; nothing happens on import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.core.followup.schedule_config import effective_settings
from storage.db import Database, make_engine, upgrade


@dataclass
class Knalle:
    """What every surface (Slack, console, CLI, scheduled jobs) shares."""

    # The environment's settings. What `knalle config set` can change (follow-up dates,
    # reminder days, the digest channel) is read through `settings_in`, never from here.
    settings: Settings
    db: Database
    clock: Clock = field(repr=False)
    # Which surface this Knalle serves, for the audit trail: slack | console | cli | import.
    surface: str = "slack"

    def settings_in(self, session: Session) -> Settings:
        """The settings as they stand in this unit of work: the environment with the stored
        `knalle config set` values on top. Every surface reads them here, at the start of its
        request, job or command, so a change reaches a running `serve` everywhere at once."""
        return effective_settings(self.settings, session)

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
    return Knalle(
        settings=settings, db=db, clock=clock or SystemClock(settings.zone), surface=surface
    )
