"""What `GET /metrics` shows, in Prometheus' text format, made with the official prometheus_client.

Counted in the process: acks and their latency by command, scheduled sends by kind and outcome,
Slack API errors by method and error, and the upkeep done in quiet moments by task. Read from the
database at each scrape: its reachability, whether the migrations are current, unfinished commands
and the age of the oldest.

prometheus_client costs ~0.1 s to import, so nothing imports it until `knalle serve` calls
`enable()`; before that (the CLI, the console, most tests) the record functions do nothing.
Labels carry command names, send kinds, API method names and Slack's error codes: never user
text, ids of people or URLs.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from bot.context import Knalle

logger = logging.getLogger(__name__)

# Slack wants the ack within 3 s; the buckets are finer where Knalle should be (tens of ms).
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
UPKEEP_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
MAX_LABEL = 64


class _Metrics:
    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = CollectorRegistry(auto_describe=True)
        self.acks = Counter(
            "knalle_acks",
            "Slash commands acknowledged, by command",
            ["command"],
            registry=self.registry,
        )
        self.ack_seconds = Histogram(
            "knalle_ack_seconds",
            "Seconds from a slash command reaching the intake to its ack",
            ["command"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.scheduled_sends = Counter(
            "knalle_scheduled_sends",
            "Scheduled sends (reminders, digests, follow-ups) by kind and outcome "
            "(sent, already: another process or run sent it, failed)",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.upkeep_seconds = Histogram(
            "knalle_upkeep_seconds",
            "Seconds of upkeep done in a quiet moment, by task (collector: Python's cyclic "
            "collector, checkpoint: SQLite's WAL)",
            ["task"],
            buckets=UPKEEP_BUCKETS,
            registry=self.registry,
        )
        self.slack_api_errors = Counter(
            "knalle_slack_api_errors",
            "Slack Web API calls that failed after retries, by method and Slack's error code",
            ["method", "error"],
            registry=self.registry,
        )


_lock = threading.Lock()
_metrics: _Metrics | None = None


def enable() -> None:
    """Start counting (idempotent): `knalle serve` and tests of /metrics call it."""
    global _metrics
    with _lock:
        if _metrics is None:
            _metrics = _Metrics()


def enabled() -> bool:
    return _metrics is not None


def _label(value: str) -> str:
    return value[:MAX_LABEL] or "-"


def ack(command: str, seconds: float) -> None:
    if _metrics is None:
        return
    _metrics.acks.labels(_label(command)).inc()
    _metrics.ack_seconds.labels(_label(command)).observe(seconds)


def scheduled_send(kind: str, outcome: str) -> None:
    if _metrics is None:
        return
    _metrics.scheduled_sends.labels(_label(kind), _label(outcome)).inc()


def upkeep(task: str, seconds: float) -> None:
    if _metrics is None:
        return
    _metrics.upkeep_seconds.labels(_label(task)).observe(seconds)


def slack_api_error(method: str, error: str) -> None:
    if _metrics is None:
        return
    _metrics.slack_api_errors.labels(_label(method), _label(error)).inc()


class _DatabaseState:
    """Read at each scrape: cheap queries, and a failure is itself the answer (database down)."""

    def __init__(self, knalle: Knalle) -> None:
        self.knalle = knalle

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        from storage import intake
        from storage.db import migrations_current

        up = GaugeMetricFamily("knalle_database_up", "1 when the database answers, else 0")
        current = GaugeMetricFamily(
            "knalle_migrations_current", "1 when the schema is at this release's head, else 0"
        )
        unfinished = GaugeMetricFamily(
            "knalle_unfinished_commands", "Slash commands acknowledged but not yet handled"
        )
        oldest = GaugeMetricFamily(
            "knalle_oldest_unfinished_command_age_seconds",
            "Age of the oldest acknowledged but unhandled command (0 when there is none)",
        )
        try:
            with self.knalle.db.read() as session:
                count, first = intake.unfinished_summary(session)
            is_current = migrations_current(self.knalle.db.engine)
        except Exception:  # the scrape says "down" instead of failing
            logger.warning("metrics: the database did not answer", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        now = dt.datetime.now(dt.UTC)
        up.add_metric([], 1)
        current.add_metric([], 1 if is_current else 0)
        unfinished.add_metric([], count)
        oldest.add_metric([], max(0.0, (now - first).total_seconds()) if first else 0.0)
        yield from (up, current, unfinished, oldest)


class _Counted:
    """The process's counters, in a registry of their own (so each scrape can add the state)."""

    def __init__(self, metrics: _Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Any]:
        yield from self.metrics.registry.collect()


def registry_for(knalle: Knalle) -> CollectorRegistry:
    """One registry for one HTTP surface: the counters, the database's state, the process."""
    enable()
    from prometheus_client import CollectorRegistry, ProcessCollector

    assert _metrics is not None
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Counted(_metrics))
    registry.register(_DatabaseState(knalle))
    ProcessCollector(registry=registry)
    return registry


def exposition(registry: CollectorRegistry) -> tuple[bytes, str]:
    """The text format and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return generate_latest(registry), CONTENT_TYPE_LATEST
