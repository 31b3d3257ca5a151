"""/metrics during a burst: the counters move; /readyz says whether the schema is current."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot import metrics
from bot.context import build_knalle
from bot.slack.wsgi import SlackWsgi
from storage.db import make_engine, upgrade
from tests.conftest import make_settings
from tests.integration.live import LiveBot, live_bot

BURST = 20


@pytest.fixture
def bot(sqlite_url: str) -> Iterator[LiveBot]:
    metrics.enable()
    with live_bot(sqlite_url) as running:
        yield running


def samples(text: str) -> dict[str, float]:
    """`name{label="v",…}` → value, for every sample of a scrape."""
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}"] = sample.value
    return found


def test_a_scrape_during_a_burst_finds_the_counters_moving(bot: LiveBot) -> None:
    before = samples(bot.get("/metrics").body)
    acks = 'knalle_acks_total{command="/besök"}'
    latency = 'knalle_ack_seconds_count{command="/besök"}'

    scrapes: list[dict[str, float]] = []
    start = threading.Barrier(BURST + 1)

    def send(i: int) -> None:
        start.wait()
        assert bot.command(f"Företag {i} AB igår, pratade", name=f"b{i}").status == 200

    def scrape() -> None:
        start.wait()
        for _ in range(5):
            reply = bot.get("/metrics")
            assert reply.status == 200
            scrapes.append(samples(reply.body))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(BURST)]
    threads.append(threading.Thread(target=scrape))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bot.replies(BURST)
    after = samples(bot.get("/metrics").body)

    assert after[acks] - before.get(acks, 0) == BURST
    assert after[latency] - before.get(latency, 0) == BURST
    # Every ack of the burst was well within Slack's 3 s.
    slow = 'knalle_ack_seconds_bucket{command="/besök",le="3.0"}'
    assert after[slow] - before.get(slow, 0) == BURST
    assert all(s["knalle_database_up{}"] == 1 for s in scrapes)
    assert after["knalle_migrations_current{}"] == 1
    assert "knalle_unfinished_commands{}" in after
    assert "knalle_oldest_unfinished_command_age_seconds{}" in after
    assert "process_cpu_seconds_total{}" in after
    counts = [s.get(acks, 0) for s in scrapes]
    assert counts == sorted(counts)  # a counter never goes back


def test_slack_api_errors_are_counted_by_method_and_error(bot: LiveBot) -> None:
    key = 'knalle_slack_api_errors_total{error="channel_not_found",method="chat.postMessage"}'
    before = samples(bot.get("/metrics").body).get(key, 0)
    bot.standin.fail("chat.postMessage", status=200, error="channel_not_found")
    from slack_sdk.errors import SlackApiError

    assert bot.app is not None
    with pytest.raises(SlackApiError):
        bot.app.client.chat_postMessage(channel="C0NOPE", text="hej")
    assert samples(bot.get("/metrics").body)[key] - before == 1


def test_scheduled_sends_are_counted_by_kind_and_outcome(bot: LiveBot) -> None:
    from bot.schedule.sends import ScheduledSends

    assert bot.app is not None
    sender = ScheduledSends(bot.knalle, bot.app.client)
    sent = 'knalle_scheduled_sends_total{kind="digest",outcome="sent"}'
    already = 'knalle_scheduled_sends_total{kind="digest",outcome="already"}'
    failed = 'knalle_scheduled_sends_total{kind="reminder-14",outcome="failed"}'
    before = samples(bot.get("/metrics").body)

    def boom() -> None:
        raise RuntimeError("Slack said no")

    assert sender._guarded("digest", "C0TEAM", "2026-W48", lambda: None) == "sent"
    assert sender._guarded("digest", "C0TEAM", "2026-W48", lambda: None) == "already"
    assert sender._guarded("reminder-14", "UPIA", "2026-H2", boom) != "sent"
    after = samples(bot.get("/metrics").body)
    for key in (sent, already, failed):
        assert after[key] - before.get(key, 0) == 1, key


def test_labels_hold_no_user_text(bot: LiveBot) -> None:
    bot.command("Hemligt Företag AB igår, <!channel> lösenord", name="secret")
    bot.replies(1)
    body = bot.get("/metrics").body
    assert "Hemligt" not in body and "lösenord" not in body and "UPIA" not in body


def _wsgi_get(app: SlackWsgi, path: str) -> tuple[str, str]:
    seen: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"] = status

    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path}, start_response))
    return seen["status"], body.decode()


def test_readyz_is_503_until_the_migrations_are_current(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine, "0002")
    engine.dispose()
    behind = build_knalle(make_settings(sqlite_url), migrate=False)
    wsgi = SlackWsgi(None, behind)  # type: ignore[arg-type]
    status, body = _wsgi_get(wsgi, "/readyz")
    assert status.startswith("503") and '"migrations": "behind"' in body
    assert _wsgi_get(wsgi, "/healthz")[0].startswith("200")  # alive all the same
    upgrade(behind.db.engine)
    status, body = _wsgi_get(wsgi, "/readyz")
    assert status.startswith("200") and '"migrations": "current"' in body
    assert re.search(r'"revision": "\d{4}"', body)
    behind.db.dispose()


def test_readyz_is_503_when_the_database_does_not_answer(
    bot: LiveBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(bot.knalle.db, "ping", unreachable)
    reply = bot.get("/readyz")
    assert reply.status == 503 and '"database": "unreachable"' in reply.body


def test_the_database_is_down_in_metrics_when_it_does_not_answer(
    bot: LiveBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(bot.knalle.db, "read", unreachable)
    reply = bot.get("/metrics")
    assert reply.status == 200 and samples(reply.body)["knalle_database_up{}"] == 0
