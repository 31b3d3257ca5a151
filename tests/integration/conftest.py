"""Shared fixture of the end-to-end tests: a live Knalle on SQLite with the test clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import FixedClock
from tests.integration.live import LiveBot, live_bot


@pytest.fixture
def bot(sqlite_url: str, clock: FixedClock) -> Iterator[LiveBot]:
    """An empty live bot; a module that needs seeded data defines its own `bot`."""
    with live_bot(sqlite_url, clock=clock) as running:
        yield running
