"""Time as a dependency: the core asks a Clock, so tests drive time explicitly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    zone: ZoneInfo

    def now(self) -> dt.datetime:
        """An aware datetime in `zone`."""
        ...


@dataclass
class SystemClock:
    zone: ZoneInfo

    def now(self) -> dt.datetime:
        return dt.datetime.now(self.zone)


@dataclass
class FixedClock:
    """A clock that stands still until moved; for tests and `--date` runs."""

    zone: ZoneInfo
    current: dt.datetime

    def now(self) -> dt.datetime:
        return self.current.astimezone(self.zone)

    def advance(self, delta: dt.timedelta) -> None:
        self.current = self.current + delta


def today(clock: Clock) -> dt.date:
    return clock.now().date()
