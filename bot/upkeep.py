"""The process's upkeep, done in a quiet moment: no request being handled, no work running.

Under a burst of commands, upkeep that happens on its own stalls the acks waiting behind it:

- **Python's cyclic collector.** What the start loaded is frozen once the server listens
  (bot/slack/serve.py), but whatever lives on after that (modules the work imports when first
  used, the Swedish stemmer's tables, caches) piles up in the oldest generation, and every
  automatic full collection walks all of it while holding the GIL: 6-12 ms with ~25,000
  objects, every second or two under load, measured in `bench.ack_bench`'s server. In a quiet
  moment `Collector` collects everything and freezes what is left, so the collections that run
  during a burst walk only what is new since. Every FULL_EVERY it unfreezes first, so garbage
  among frozen objects (a cycle that was alive when frozen) is found too.
- **SQLite's WAL checkpoint.** The save before each ack never checkpoints (its connection has
  `wal_autocheckpoint=0`, storage/db.py), so a quiet moment does it for those saves.

Only `knalle serve` runs the upkeep (bot/app.py); elsewhere the process's `ACTIVITY` is
counted and nobody reads it.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot import metrics

logger = logging.getLogger(__name__)

# Seconds without a request or work in progress before the upkeep runs; how often it looks.
QUIET = 0.3
TICK = 0.1
# How often a compaction also reconsiders the objects frozen before it.
FULL_EVERY = 3600.0


class Activity:
    """Requests and work in progress, and when the last of them ended."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._running = 0
        self._ended_at = clock()

    @contextmanager
    def running(self) -> Iterator[None]:
        with self._lock:
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                self._ended_at = self._clock()

    def quiet_for(self) -> float:
        """Seconds since the last request or work ended; 0 while one is running."""
        with self._lock:
            return 0.0 if self._running else self._clock() - self._ended_at


# One per process, as the collector is: the Slack app and the intake's work count here.
ACTIVITY = Activity()


class Collector:
    """Collects and freezes in a quiet moment (see the module's text)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._full_at = clock()
        self._young_collections = -1  # at the last compaction

    def due(self) -> bool:
        """Something was allocated since the last compaction (a young collection ran)."""
        return _young_collections() != self._young_collections

    def compact(self) -> None:
        if self._clock() - self._full_at >= FULL_EVERY:
            gc.unfreeze()
            self._full_at = self._clock()
        gc.collect()
        gc.freeze()
        self._young_collections = _young_collections()

    def compact_if_due(self) -> bool:
        if not self.due():
            return False
        self.compact()
        return True


# A task does its work if it has any, and says whether it had.
Task = Callable[[], bool]


class Upkeep(threading.Thread):
    """Runs `tasks` in each quiet moment, on one daemon thread, each task deciding itself
    whether it has anything to do; what each one that did took is in /metrics
    (`knalle_upkeep_seconds`). A failing task is logged and tried again next time."""

    def __init__(
        self,
        tasks: dict[str, Task],
        *,
        activity: Activity = ACTIVITY,
        quiet: float = QUIET,
        tick: float = TICK,
    ) -> None:
        super().__init__(name="knalle-upkeep", daemon=True)
        self.tasks = dict(tasks)
        self.activity = activity
        self.quiet = quiet
        self.tick = tick
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.tick):
            self.step()

    def step(self) -> bool:
        """One look: the tasks run when the process has been quiet long enough."""
        if self.activity.quiet_for() < self.quiet:
            return False
        for name, task in self.tasks.items():
            started = time.perf_counter()
            try:
                if task():
                    metrics.upkeep(name, time.perf_counter() - started)
            except Exception as error:
                logger.warning("upkeep %s failed (%s)", name, type(error).__name__)
        return True

    def stop(self) -> None:
        self._stop_event.set()


def _young_collections() -> int:
    return int(gc.get_stats()[0]["collections"])


def start_upkeep(checkpoint: Task) -> Upkeep:
    """`knalle serve`'s upkeep in each quiet moment: the collector's compaction, then the
    database's checkpoint."""
    upkeep = Upkeep({"collector": Collector().compact_if_due, "checkpoint": checkpoint})
    upkeep.start()
    return upkeep
