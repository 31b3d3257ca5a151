"""Slash commands that cannot be lost: committed before the ack, handled after it.

The listener writes the command to `pending_commands` (a tiny insert), acks, and hands the
real work to a small pool, so acks stay fast under a burst while the work queues. A process
killed in between leaves the row unfinished; `replay_unfinished` handles it on the next start,
answering through the response_url while Slack still honours it and by DM after that.

Handlers run on a clock stopped at the moment the command arrived, the first time and in a
replay alike: "igår" means the day the user typed it, and the double-submit keys the core
derives from (author, content, time) come out the same, so a replay of work that did reach
the database stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookResponse

from bot import metrics
from bot.app import Knalle
from bot.clock import FixedClock
from handlers import texts
from handlers.commands import command_pattern
from storage import intake

logger = logging.getLogger(__name__)

CommandHandler = Callable[[Knalle, dict[str, Any], Respond, WebClient], None]

# Work behind the acks: SQLite takes one writer at a time anyway, and fewer busy threads leave
# the GIL to the threads that are acking.
WORK_THREADS = 2
MAX_ATTEMPTS = 3
# Finished commands are kept a while for troubleshooting, then cleared at a start.
KEEP_FINISHED = dt.timedelta(days=30)
# Work starts once no command has arrived for this long (at most QUIET_WAIT_LIMIT later).
QUIET_PERIOD = 0.02
QUIET_WAIT_LIMIT = 0.5
# Slack accepts posts to a response_url for 30 minutes; after that the answer goes by DM.
RESPONSE_URL_LIFETIME = dt.timedelta(minutes=29)


@dataclass
class _Write:
    """One change to pending_commands, waiting for the group writer."""

    values: dict[str, Any] | None = None  # a new row
    finish_id: int | None = None  # or a row to mark finished
    at: dt.datetime | None = None
    pending_id: int | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class _GroupWriter:
    """One thread writes pending rows in batches.

    SQLite takes one writer at a time: twenty simultaneous commands each opening a write
    transaction would queue behind each other (and behind the visits being stored) before they
    could ack. Batched, a burst costs one or two transactions.
    """

    def __init__(self, knalle: Knalle) -> None:
        self.knalle = knalle
        self._queue: queue.SimpleQueue[_Write] = queue.SimpleQueue()
        self._idle = threading.Condition()
        self._waiting = 0
        threading.Thread(target=self._loop, name="knalle-intake", daemon=True).start()

    def wait_until_idle(self, timeout: float = 1.0) -> None:
        """Work waits while commands are still waiting to be saved and acked: acks come first."""
        with self._idle:
            self._idle.wait_for(lambda: self._waiting == 0, timeout=timeout)

    def add(self, values: dict[str, Any]) -> int:
        write = _Write(values=values)
        with self._idle:
            self._waiting += 1
        self._queue.put(write)
        if not write.done.wait(timeout=2.5):
            raise TimeoutError("the command could not be saved in time")
        if write.error is not None:
            raise write.error
        assert write.pending_id is not None
        return write.pending_id

    def finish(self, pending_id: int, at: dt.datetime) -> None:
        self._queue.put(_Write(finish_id=pending_id, at=at))

    def flush(self) -> None:
        """Wait until everything queued so far is written (tests, shutdown)."""
        marker = _Write()
        self._queue.put(marker)
        marker.done.wait(timeout=10)

    def _loop(self) -> None:
        while True:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            new = [write for write in batch if write.values is not None]
            finished = [write for write in batch if write.finish_id is not None]
            try:
                with self.knalle.db.write() as session:
                    ids = intake.add_pending_many(session, [w.values for w in new if w.values])
                    for write, pending_id in zip(new, ids, strict=True):
                        write.pending_id = pending_id
                    if finished:
                        intake.finish_many(
                            session,
                            [w.finish_id for w in finished if w.finish_id is not None],
                            max(w.at for w in finished if w.at is not None),
                        )
            except Exception as error:  # each waiting listener raises it; nothing was acked
                logger.exception("could not write %d pending commands", len(batch))
                for write in batch:
                    write.error = error
            with self._idle:
                self._waiting -= sum(1 for write in batch if write.values is not None)
                self._idle.notify_all()
            for write in batch:
                write.done.set()


class CommandIntake:
    """One per Bolt app: the handlers of durable commands and the pool that runs them."""

    def __init__(self, knalle: Knalle, *, inline: bool) -> None:
        self.knalle = knalle
        # The console (process_before_response) wants the answer before it prints.
        self.inline = inline
        self.handlers: dict[str, CommandHandler] = {}
        self._pool = ThreadPoolExecutor(max_workers=WORK_THREADS, thread_name_prefix="knalle-work")
        self._writer = _GroupWriter(knalle)
        self._last_arrival = 0.0

    def register(
        self,
        app: App,
        names: Sequence[str],
        handler: CommandHandler,
        *,
        matchers: Sequence[Callable[..., bool]] | None = None,
    ) -> None:
        for name in names:
            self.handlers[_canonical(name)] = handler

        def durable_listener(
            ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient
        ) -> None:
            self._last_arrival = arrived = time.monotonic()
            received_at = self.knalle.clock.now()
            pending_id = self.accept(command, received_at)
            ack()
            metrics.ack(_canonical(str(command.get("command") or "")), time.monotonic() - arrived)
            job = (pending_id, received_at, handler, command, respond, client)
            if self.inline:
                self.run(*job)
            else:
                self._pool.submit(self.run, *job)

        app.command(command_pattern(*names), matchers=list(matchers or []))(durable_listener)

    def accept(self, command: dict[str, Any], received_at: dt.datetime) -> int:
        return self._writer.add(
            {
                "command": _canonical(str(command.get("command") or "")),
                "text": str(command.get("text") or ""),
                "user_id": str(command.get("user_id") or ""),
                "channel_id": str(command.get("channel_id") or ""),
                "response_url": str(command.get("response_url") or ""),
                "received_at": received_at,
            }
        )

    def flush(self) -> None:
        self._writer.flush()

    def _wait_for_quiet(self) -> None:
        """Acks first: while commands keep arriving, the work behind them waits a moment.

        Under a burst the work's CPU would otherwise compete (for the GIL) with the acks
        still to be sent; a reply some tens of milliseconds later is not noticed.
        """
        if self.inline:
            return
        deadline = time.monotonic() + QUIET_WAIT_LIMIT
        while time.monotonic() < deadline:
            self._writer.wait_until_idle(timeout=QUIET_WAIT_LIMIT)
            if time.monotonic() - self._last_arrival >= QUIET_PERIOD:
                return
            time.sleep(QUIET_PERIOD / 4)

    def drain(self) -> None:
        """On shutdown: finish the work already acked, then write its bookkeeping."""
        self._pool.shutdown(wait=True)
        self._writer.flush()

    def run(
        self,
        pending_id: int,
        received_at: dt.datetime,
        handler: CommandHandler,
        command: dict[str, Any],
        respond: Respond,
        client: WebClient,
    ) -> None:
        self._wait_for_quiet()
        try:
            at_arrival = replace(self.knalle, clock=FixedClock(self.knalle.clock.zone, received_at))
            handler(at_arrival, command, respond, client)
        except Exception:
            # Handlers answer user errors themselves; this is a bug, and retrying it at the next
            # start would only apologise twice.
            logger.exception("command %s failed", pending_id)
            try:
                respond(text=texts.UNEXPECTED_ERROR, response_type="ephemeral")
            except Exception:
                logger.warning("could not apologise for command %s", pending_id, exc_info=True)
        self._writer.finish(pending_id, self.knalle.clock.now())

    def replay_unfinished(self, client: WebClient) -> int:
        """Handle what a killed process acked but never finished; returns how many."""
        now = self.knalle.clock.now()
        with self.knalle.db.write() as session:
            intake.forget_finished_before(session, now - KEEP_FINISHED)
        with self.knalle.db.read() as session:
            rows = intake.unfinished(session, max_attempts=MAX_ATTEMPTS)
        for row in rows:
            handler = self.handlers.get(row.command)
            if handler is None:
                logger.warning("no handler for pending %s (%s)", row.id, row.command)
                continue
            command = {
                "command": row.command,
                "text": row.text,
                "user_id": row.user_id,
                "channel_id": row.channel_id,
                "response_url": row.response_url,
                "trigger_id": "",
            }
            fresh = row.response_url and now - row.received_at < RESPONSE_URL_LIFETIME
            respond = (
                Respond(response_url=row.response_url)
                if fresh
                else DirectMessageRespond(client, row.user_id)
            )
            logger.info("replaying command %s from %s", row.id, row.received_at)
            with self.knalle.db.write() as session:
                intake.count_attempt(session, row.id)
            self.run(row.id, row.received_at, handler, command, respond, client)
        self.flush()
        return len(rows)


class DirectMessageRespond(Respond):
    """A `respond` that answers by DM, for commands replayed after their response_url expired."""

    def __init__(self, client: WebClient, user_id: str) -> None:
        super().__init__(response_url=None)
        self.client = client
        self.user_id = user_id

    def __call__(  # type: ignore[override]
        self,
        text: str | dict[str, Any] = "",
        blocks: Sequence[dict[str, Any]] | None = None,
        **_: Any,
    ) -> WebhookResponse:
        message = text if isinstance(text, dict) else {"text": text, "blocks": blocks}
        self.client.chat_postMessage(
            channel=self.user_id,
            text=f"{texts.REPLAYED_PREFIX} {message.get('text') or ''}".strip(),
            blocks=message.get("blocks") or None,
        )
        return WebhookResponse(url="", status_code=200, body="ok", headers={})


def _canonical(name: str) -> str:
    return unicodedata.normalize("NFC", name)


_ATTRIBUTE = "_knalle_intake"


def intake_for(app: App, knalle: Knalle) -> CommandIntake:
    """The app's intake, made on first use so every surface registers into the same one."""
    found: CommandIntake | None = getattr(app, _ATTRIBUTE, None)
    if found is None:
        found = CommandIntake(knalle, inline=app.process_before_response)
        setattr(app, _ATTRIBUTE, found)
    return found
