"""Typed configuration, read once from the environment (and `.env`), checked at start."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///knalle.db"


class Settings(BaseSettings):
    """Every setting Knalle reads; the names are the public contract in PRODUCT.md."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="KNALLE_DATABASE_URL")
    timezone: str = Field(default="Europe/Stockholm", alias="KNALLE_TIMEZONE")
    digest_channel: str | None = Field(default=None, alias="KNALLE_DIGEST_CHANNEL")
    # The channel (id) where the unit writes its visits: Knalle asks the author to save each.
    visit_channel: str | None = Field(default=None, alias="KNALLE_VISIT_CHANNEL")
    port: int = Field(default=3000, alias="KNALLE_PORT", ge=1, le=65535)
    # NoDecode: operators write "U1,U2"; pydantic-settings would otherwise demand JSON.
    admins: Annotated[list[str], NoDecode] = Field(default_factory=list, alias="KNALLE_ADMINS")
    visit_target: int = Field(default=150, alias="KNALLE_VISIT_TARGET", ge=1)
    # Follow-up dates as MM-DD, reminder offsets in days before each: the plan's own rhythm.
    followup_dates: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["06-15", "12-15"], alias="KNALLE_FOLLOWUP_DATES"
    )
    reminder_days: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [14, 3], alias="KNALLE_REMINDER_DAYS"
    )
    digest_weekday: int = Field(default=0, alias="KNALLE_DIGEST_WEEKDAY", ge=0, le=6)
    digest_time: str = Field(default="08:00", alias="KNALLE_DIGEST_TIME")
    http_threads: int = Field(default=16, alias="KNALLE_HTTP_THREADS", ge=1)
    # Who may use Knalle: "staff" (the staff list's linked members and KNALLE_ADMINS) or the
    # whole "workspace". Writing and reading the unit's visits follow the same rule.
    open_to: Literal["staff", "workspace"] = Field(default="staff", alias="KNALLE_OPEN_TO")
    # How long a command's lease lasts: a crashed replica's commands are taken over after this.
    command_lease_seconds: float = Field(
        default=20.0, alias="KNALLE_COMMAND_LEASE_SECONDS", gt=0, le=600
    )
    # Operations (see docs/personal-data.md): log lines as text or JSON (JSON carries no user
    # text), an optional log file rotated daily, and how many days command payloads, event
    # ids and log files are kept.
    log_format: Literal["text", "json"] = Field(default="text", alias="KNALLE_LOG_FORMAT")
    log_file: Path | None = Field(default=None, alias="KNALLE_LOG_FILE")
    retention_days: int = Field(default=30, alias="KNALLE_RETENTION_DAYS", ge=1, le=3650)
    # The theme list for the visits' notes; None: data/themes.yaml as shipped.
    themes_file: Path | None = Field(default=None, alias="KNALLE_THEMES_FILE")

    @field_validator("admins", "followup_dates", mode="before")
    @classmethod
    def _split_words(cls, value: object) -> object:
        # Operators write "U1,U2" or "U1 U2" in .env; JSON lists work too.
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [part for part in value.replace(",", " ").split() if part]
        return value

    @field_validator("reminder_days", mode="before")
    @classmethod
    def _split_ints(cls, value: object) -> object:
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [int(part) for part in value.replace(",", " ").split() if part]
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"okänd tidszon {value!r}, t.ex. Europe/Stockholm") from exc
        return value

    @field_validator("followup_dates")
    @classmethod
    def _month_days(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                dt.date.fromisoformat(f"2024-{item}")
            except ValueError as exc:
                raise ValueError(f"uppföljningsdatum ska skrivas MM-DD, inte {item!r}") from exc
        return sorted(value)

    @field_validator("digest_time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        try:
            dt.time.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"tid ska skrivas HH:MM, inte {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def has_slack(self) -> bool:
        return bool(self.slack_bot_token and self.slack_signing_secret)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix) :])
        return None


def load_settings(**overrides: object) -> Settings:
    """Read the settings once; `overrides` use the environment names (tests pass their own)."""
    return Settings(**overrides)  # type: ignore[arg-type]
