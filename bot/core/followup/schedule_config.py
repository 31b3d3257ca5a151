"""Schedule settings an operator changes at run time (`knalle config set`), over the environment.

Three keys: follow-up dates, reminder days and the digest channel. Values are checked here with
a Swedish message that says how to write them; the environment's value applies when none is set.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.core.followup.calendar import Schedule
from bot.errors import InvalidInput
from storage import config_values


def _words(value: str) -> list[str]:
    return [part for part in value.replace(",", " ").split() if part]


def _followup_dates(value: str) -> str:
    items = _words(value)
    if not items:
        raise InvalidInput('Skriv minst ett uppföljningsdatum som MM-DD, t.ex. "06-15,12-15".')
    for item in items:
        try:
            dt.date.fromisoformat(f"2024-{item}")
        except ValueError as exc:
            raise InvalidInput(
                f'"{item}" är inget datum. Skriv uppföljningsdatum som MM-DD, t.ex. "06-15,12-15".'
            ) from exc
    if len(items) != 2:
        raise InvalidInput('Det ska vara två uppföljningar per år, t.ex. "06-15,12-15".')
    return ",".join(sorted(items))


def _reminder_days(value: str) -> str:
    items = _words(value)
    if not items or not all(item.isdigit() and 0 < int(item) <= 90 for item in items):
        raise InvalidInput(
            'Skriv antal dagar före uppföljningen som heltal 1–90, t.ex. "14,3".'
        )
    return ",".join(str(day) for day in sorted({int(item) for item in items}, reverse=True))


_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}$")


def _digest_channel(value: str) -> str:
    channel = value.strip()
    if not _CHANNEL.match(channel):
        raise InvalidInput(
            f'"{channel}" är inget kanal-id. Skriv kanalens id (högerklicka på kanalen, '
            '"Kopiera länk"), t.ex. "C0123ABCD".'
        )
    return channel


@dataclass(frozen=True)
class ConfigKey:
    key: str
    env: str
    help: str
    check: Callable[[str], str]


KEYS: dict[str, ConfigKey] = {
    item.key: item
    for item in (
        ConfigKey(
            "followup_dates",
            "KNALLE_FOLLOWUP_DATES",
            "uppföljningsdatum, MM-DD (standard 06-15,12-15)",
            _followup_dates,
        ),
        ConfigKey(
            "reminder_days",
            "KNALLE_REMINDER_DAYS",
            "påminnelser så många dagar före uppföljningen (standard 14,3)",
            _reminder_days,
        ),
        ConfigKey(
            "digest_channel",
            "KNALLE_DIGEST_CHANNEL",
            "kanal-id för måndagssammanfattningen",
            _digest_channel,
        ),
    )
}


def config_key(name: str) -> ConfigKey:
    """"followup_dates", "followup-dates" or "KNALLE_FOLLOWUP_DATES"."""
    normal = name.strip().lower().replace("-", "_").removeprefix("knalle_")
    if normal not in KEYS:
        raise InvalidInput(
            f'Inställningen "{name}" finns inte. Välj en av: {", ".join(KEYS)}.'
        )
    return KEYS[normal]


def env_value(settings: Settings, key: str) -> str:
    value = getattr(settings, key)
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return "" if value is None else str(value)


def set_value(session: Session, name: str, value: str) -> tuple[str, str]:
    """Check and store; returns (key, the value as stored). The caller commits."""
    item = config_key(name)
    checked = item.check(value)
    config_values.store_value(session, item.key, checked)
    return item.key, checked


def effective_settings(settings: Settings, session: Session) -> Settings:
    """The environment's settings with the stored ones on top (bad stored values ignored)."""
    stored = config_values.stored_values(session)
    changes: dict[str, object] = {}
    for key, raw in stored.items():
        if key not in KEYS:
            continue
        try:
            value = KEYS[key].check(raw)
        except InvalidInput:
            continue
        if key == "reminder_days":
            changes[key] = [int(part) for part in value.split(",")]
        elif key == "followup_dates":
            changes[key] = value.split(",")
        else:
            changes[key] = value
    return settings.model_copy(update=changes) if changes else settings


def schedule_of(settings: Settings) -> Schedule:
    return Schedule.of(settings.followup_dates, settings.reminder_days, settings.digest_weekday)
