"""The fault suite's live bot: the real HTTP server on SQLite, with the test clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import FixedClock
from tests.integration.live import LiveBot, live_bot


@pytest.fixture
def bot(sqlite_url: str, clock: FixedClock) -> Iterator[LiveBot]:
    with live_bot(sqlite_url, clock=clock, KNALLE_OPEN_TO="workspace") as running:
        yield running
