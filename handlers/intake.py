"""Slash commands that cannot be lost: committed before the ack, handled after it.

The intake's Bolt middleware (DurableCommands, on the request's own thread) writes the command
to `pending_commands` (a tiny insert), acks, and hands the real work to a small pool, so acks
stay fast under a burst while the work queues. The ack means what it says: a command not saved
within ACK_BUDGET is refused in the ack (and never handled), and one saved is handled by this
process. Each row carries a lease (owner, expiry) that its live owner renews; a process killed
in between leaves the row unfinished, and once its lease has run out any running process (a
replica, or this one after a restart) takes it over, answering through the response_url while
Slack still honours it and by DM after that. A resend of the same command (same trigger_id)
finds its row and is answered once.

Handlers run on a clock stopped at the moment the command arrived, the first time and in a
replay alike: "igår" means the day the user typed it, and the double-submit keys the core
derives from (author, content, time) come out the same, so a replay of work that did reach
the database stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import signal
import socket
import sqlite3
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.context.respond import Respond
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookResponse
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from bot import metrics
from bot.clock import FixedClock
from bot.context import Knalle
from bot.upkeep import ACTIVITY
from handlers import texts
from storage import intake

logger = logging.getLogger(__name__)

CommandHandler = Callable[[Knalle, dict[str, Any], Respond, WebClient], None]

# Work behind the acks: SQLite takes one writer at a time anyway, and fewer busy threads leave
# the GIL to the threads that are acking.
WORK_THREADS = 2
MAX_ATTEMPTS = 3
# Finished commands are kept KNALLE_RETENTION_DAYS (30) for troubleshooting, then cleared at a
# start and by the daily job (bot/core/retention.py).

# Work starts once no command has arrived for this long (at most QUIET_WAIT_LIMIT later).
QUIET_PERIOD = 0.02
QUIET_WAIT_LIMIT = 0.5
# Slack accepts posts to a response_url for 30 minutes; after that the answer goes by DM.
RESPONSE_URL_LIFETIME = dt.timedelta(minutes=29)


QUEUED, TAKEN, CANCELLED = "queued", "taken", "cancelled"
# The ack must reach Slack within 3 s: a command not durably saved within this is refused.
ACK_BUDGET = 2.0
# A command's lease: renewed while this process works on it; once it has run out, another
# process (a replica, or this one after a restart) takes the command over.
LEASE = dt.timedelta(seconds=20)
RENEW_EVERY = 5.0
# At a stop, how long a command taken over on the lease thread may take to finish.
DRAIN_WAIT = 15.0
SWEEP_EVERY = 5.0


class NotTaken(Exception):
    """The command could not be saved in time; it was refused and will never be handled."""


def fault_point(phase: str) -> None:
    """For the fault suite (tests/faults/test_kill_phases.py): with KNALLE_FAULT_KILL_AT set
    to this phase, the process kills itself with SIGKILL right here, as a crash would."""
    if os.environ.get("KNALLE_FAULT_KILL_AT") == phase:
        if phase == "acked":
            time.sleep(0.3)  # let the ack reach the sender first
        os.kill(os.getpid(), signal.SIGKILL)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def process_owner() -> str:
    """Who holds a lease: host, process and a random part (pids repeat in containers)."""
    return f"{socket.gethostname()[:48]}/{os.getpid()}/{uuid.uuid4().hex[:12]}"


@dataclass
class _Write:
    """One change to pending_commands, waiting for the group writer."""

    values: dict[str, Any] | None = None  # a new row
    finish_id: int | None = None  # or a row to mark finished
    at: dt.datetime | None = None
    pending_id: int | None = None
    error: BaseException | None = None
    deadline: float = 0.0
    state: str = QUEUED
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: threading.Event = field(default_factory=threading.Event)


class _GroupWriter:
    """One thread writes pending rows in batches.

    SQLite takes one writer at a time: twenty simultaneous commands each opening a write
    transaction would queue behind each other (and behind the visits being stored) before they
    could ack. Batched, a burst costs one or two transactions.

    A new row is either written within its deadline or refused, never both: a request that
    gives up cancels a row the writer has not taken, and the writer's transaction waits for
    the database lock only until the batch's deadline.
    """

    def __init__(
        self,
        knalle: Knalle,
        on_new: Callable[[list[int]], None],
        on_lost: Callable[[list[int]], None],
        on_finished: Callable[[list[int]], None],
    ) -> None:
        self.knalle = knalle
        self._on_new = on_new
        self._on_lost = on_lost
        self._on_finished = on_finished
        self._queue: queue.SimpleQueue[_Write] = queue.SimpleQueue()
        self._idle = threading.Condition()
        self._waiting = 0
        # Held while a batch is taken from the queue and written: by the writer thread, or by
        # a request that found no write going on and writes its own command at once.
        self._writing = threading.Lock()
        threading.Thread(target=self._loop, name="knalle-intake", daemon=True).start()

    def wait_until_idle(self, timeout: float = 1.0) -> None:
        """Work waits while commands are still waiting to be saved and acked: acks come first."""
        with self._idle:
            self._idle.wait_for(lambda: self._waiting == 0, timeout=timeout)

    def add(self, values: dict[str, Any], budget: float = ACK_BUDGET) -> int | None:
        """The new row's id; None when it is a resend of a command already taken."""
        write = _Write(values=values, deadline=time.monotonic() + budget)
        with self._idle:
            self._waiting += 1
        self._queue.put(write)
        # No write going on: this thread writes what is queued (its own command, and any that
        # came with it) instead of waking the writer thread and waiting for it. Under a burst
        # each such hand-over between threads is a wait for the GIL before the ack.
        if self._writing.acquire(blocking=False):
            try:
                batch = self._take_queued()
                # A flush waits for what was queued before it, which the writer thread may
                # hold already: its marker goes back to that thread.
                for marker in [w for w in batch if w.values is None and w.finish_id is None]:
                    batch.remove(marker)
                    self._queue.put(marker)
                self._write(batch)
            finally:
                self._writing.release()
        if not write.done.wait(timeout=budget):
            with write.lock:
                if write.state == QUEUED:
                    write.state = CANCELLED
                    raise NotTaken("the command could not be saved in time")
            # The writer has it: its transaction ends by the deadline, one way or the other.
            write.done.wait()
        if write.error is not None:
            raise NotTaken("the command could not be saved") from write.error
        return write.pending_id

    def finish(self, pending_id: int, at: dt.datetime, *, wait: bool = False) -> None:
        write = _Write(finish_id=pending_id, at=at)
        self._queue.put(write)
        if wait:
            write.done.wait(timeout=5)

    def flush(self) -> None:
        """Wait until everything queued so far is written (tests, shutdown)."""
        marker = _Write()
        self._queue.put(marker)
        marker.done.wait(timeout=10)

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            with self._writing:
                self._write([first, *self._take_queued()])

    def _take_queued(self) -> list[_Write]:
        batch: list[_Write] = []
        while True:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                return batch

    def _write(self, batch: list[_Write]) -> None:
        """Write `batch`; whatever happens, every write in it is done afterwards."""
        try:
            self._write_batch(batch)
        finally:
            for write in batch:
                if not write.done.is_set():  # a bug above: refuse rather than hang the ack
                    if write.values is not None and write.pending_id is None:
                        write.error = write.error or RuntimeError("the batch was not written")
                    write.done.set()

    def _write_batch(self, batch: list[_Write]) -> None:
        if not batch:
            return
        new: list[_Write] = []
        for write in batch:
            if write.values is None:
                continue
            with write.lock:
                if write.state == QUEUED:
                    write.state = TAKEN
                    new.append(write)
        finished = [write for write in batch if write.finish_id is not None]
        timeout = None
        if new:
            timeout = min(write.deadline for write in new) - time.monotonic()
        added: list[int] = []
        try:
            if timeout is not None and timeout <= 0.01:
                raise NotTaken("no time left to save the command")
            finish_ids = [w.finish_id for w in finished if w.finish_id is not None]
            finished_at = max((w.at for w in finished if w.at is not None), default=None)
            if self.knalle.db.is_sqlite:  # the driver's own cursor: this runs before every ack
                with self.knalle.db.sqlite_write(timeout=timeout) as cursor:
                    added = self._insert_sqlite(cursor, new)
                    # Before the commit: once the rows are visible, the sweeper must see them
                    # as ours.
                    self._on_new(added)
                    if finish_ids and finished_at is not None:
                        intake.finish_many_sqlite(cursor, finish_ids, finished_at)
            else:
                with self.knalle.db.write(timeout=timeout) as session:
                    added = self._insert(session, new)
                    self._on_new(added)  # before the commit, as above
                    if finish_ids and finished_at is not None:
                        intake.finish_many(session, finish_ids, finished_at)
            if added:
                fault_point("saved")
        except Exception as error:  # each waiting request refuses its command; nothing was acked
            # The type only: a driver's message may quote the rows (users' text, response URLs).
            logger.warning(
                "could not write %d pending commands (%s)", len(batch), type(error).__name__
            )
            self._on_lost(added)
            for write in new:
                write.pending_id = None
                write.error = error
            if finished:
                time.sleep(0.2)  # the database is struggling: retry the finishes shortly
                for write in finished:
                    self._queue.put(_Write(finish_id=write.finish_id, at=write.at))
        else:
            self._on_finished([w.finish_id for w in finished if w.finish_id is not None])
        with self._idle:
            self._waiting -= sum(1 for write in batch if write.values is not None)
            self._idle.notify_all()
        for write in batch:
            write.done.set()

    def _insert(self, session: Session, new: list[_Write]) -> list[int]:
        """The rows of `new`; a row the database refuses fails alone, not its whole batch."""
        if not new:
            return []
        session.connection()  # BEGIN: a database that does not answer fails the batch here
        try:
            # PostgreSQL aborts the whole transaction at an error: a savepoint to try again.
            with session.begin_nested():
                ids = intake.add_pending_many(session, [w.values for w in new if w.values])
        except (IntegrityError, DataError):  # one row's content or key, not the database
            logger.warning("a batch of %d commands failed; writing them one by one", len(new))
            ids = []
            for write in new:
                try:
                    with session.begin_nested():
                        ids.append(intake.add_pending_if_new(session, write.values or {}))
                except Exception as error:
                    logger.warning("one command could not be saved (%s)", type(error).__name__)
                    write.error = error
                    ids.append(None)
        return _note_ids(new, ids)

    def _insert_sqlite(self, cursor: Any, new: list[_Write]) -> list[int]:
        """As `_insert`, on SQLite's own cursor (Database.sqlite_write). SQLite undoes a
        refused statement alone and the transaction goes on, so no savepoint is needed to
        write the rows one by one when the database refuses one of them."""
        if not new:
            return []
        rows = [w.values or {} for w in new]
        try:
            ids = intake.add_pending_many_sqlite(cursor, rows)
        except ROW_REFUSED:  # one row's content, not the database
            logger.warning("a batch of %d commands failed; writing them one by one", len(new))
            ids = []
            for write, row in zip(new, rows, strict=True):
                try:
                    ids.extend(intake.add_pending_many_sqlite(cursor, [row]))
                except ROW_REFUSED as error:  # anything else fails the whole batch
                    logger.warning("one command could not be saved (%s)", type(error).__name__)
                    write.error = error
                    ids.append(None)
        return _note_ids(new, ids)


def _note_ids(new: list[_Write], ids: Sequence[int | None]) -> list[int]:
    """Each write's new row id (None: refused, or a resend already taken); the ids written."""
    for write, pending_id in zip(new, ids, strict=True):
        write.pending_id = pending_id
    return [pending_id for pending_id in ids if pending_id is not None]


# What SQLite refuses one statement for, undoing that statement alone.
ROW_REFUSED = (sqlite3.IntegrityError, sqlite3.DataError)


@dataclass(frozen=True)
class Route:
    """What a durable command's text is handled by, and what its ack says."""

    matchers: list[Callable[..., bool]]
    handler: CommandHandler
    finish_on_reply: bool
    precheck: Callable[[dict[str, Any]], dict[str, Any] | None] | None
    ack_reply: dict[str, Any] | None


class CommandIntake:
    """One per Bolt app: the handlers of durable commands and the pool that runs them."""

    def __init__(
        self, knalle: Knalle, *, inline: bool, wall: Callable[[], dt.datetime] = utc_now
    ) -> None:
        self.knalle = knalle
        # The console (process_before_response) wants the answer before it prints.
        self.inline = inline
        # Real time for leases (the knalle clock may stand still in tests and `--date` runs).
        self.wall = wall
        self.owner = process_owner()
        self.lease = dt.timedelta(seconds=knalle.settings.command_lease_seconds)
        self.handlers: dict[str, CommandHandler] = {}
        self.routes: dict[str, list[Route]] = {}
        self._pool = ThreadPoolExecutor(max_workers=WORK_THREADS, thread_name_prefix="knalle-work")
        self._in_flight: set[int] = set()
        self._in_flight_lock = threading.Lock()
        self._writer = _GroupWriter(knalle, self._took, self._dropped, self._dropped)
        self._last_arrival = 0.0
        self._stop = threading.Event()
        self._background: threading.Thread | None = None
        self._client: WebClient | None = None

    # -- which commands this process is handling ----------------------------------------------

    def _took(self, ids: list[int]) -> None:
        with self._in_flight_lock:
            self._in_flight.update(ids)

    def _dropped(self, ids: list[int]) -> None:
        with self._in_flight_lock:
            self._in_flight.difference_update(ids)

    def in_flight(self) -> set[int]:
        with self._in_flight_lock:
            return set(self._in_flight)

    def register(
        self,
        names: Sequence[str],
        handler: CommandHandler,
        *,
        matchers: Sequence[Callable[..., bool]] | None = None,
        finish_on_reply: bool = True,
        precheck: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None,
        ack_reply: dict[str, Any] | None = None,
    ) -> None:
        """`finish_on_reply`: the command counts as finished at its first reply (a crash after
        the reply then sends nothing twice); a handler whose work comes after its first reply
        (the report) finishes when it returns instead. `precheck` may refuse the command in
        the ack itself (the kwargs of that ack), before anything is saved; `ack_reply` is what
        the ack of a taken command says (nothing by default)."""
        route = Route(list(matchers or []), handler, finish_on_reply, precheck, ack_reply)
        for name in names:
            # Registered first, matched first (as Bolt does): a sub-command's handler before
            # the command's catch-all, for a takeover just as for the live request.
            self.routes.setdefault(_canonical(name), []).append(route)
            self.handlers.setdefault(_canonical(name), handler)

    def take(self, route: Route, request: BoltRequest) -> BoltResponse:
        """The ack of a live command: refused, or saved and then handed to the pool."""
        context = request.context
        ack, command, client = context.ack, request.body, context.client
        self._last_arrival = arrived = time.monotonic()
        received_at = self.knalle.clock.now()
        refusal = route.precheck(command) if route.precheck is not None else None
        if refusal is not None:
            return ack(**refusal)
        try:
            pending_id = self.accept(command, received_at, request_key(command, request))
        except NotTaken:
            return ack(text=texts.NOT_TAKEN)
        if pending_id is None:  # a resend of a command already taken: answered once
            logger.info("a resent command; already taken")
            return ack()
        response = ack(**(route.ack_reply or {}))
        respond: Respond | None = context.respond
        if respond is None or not command.get("response_url"):
            # Slack always sends one; answer by DM if not
            respond = DirectMessageRespond(client, str(command.get("user_id") or ""))
        metrics.ack(_canonical(str(command.get("command") or "")), time.monotonic() - arrived)
        job = (pending_id, received_at, route.handler, command, respond, client)
        if self.inline:
            fault_point("acked")
            self.run(*job)
        else:
            self._pool.submit(self._run_after_ack, *job)
        return response

    def _run_after_ack(self, *job: Any) -> None:
        fault_point("acked")
        self.run(*job)

    def accept(
        self,
        command: dict[str, Any],
        received_at: dt.datetime,
        key: str | None = None,
        *,
        budget: float = ACK_BUDGET,
    ) -> int | None:
        """Save the command before its ack; None when the same request was taken before.
        Raises NotTaken when it cannot be saved within `budget` seconds."""
        return self._writer.add(
            {
                "command": _canonical(str(command.get("command") or "")),
                "text": str(command.get("text") or ""),
                "user_id": str(command.get("user_id") or ""),
                "channel_id": str(command.get("channel_id") or ""),
                "response_url": str(command.get("response_url") or ""),
                "received_at": received_at,
                "request_key": key or None,
                "owner": self.owner,
                "lease_until": self.wall() + self.lease,
            },
            budget,
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
            now = time.monotonic()
            if now - self._last_arrival >= QUIET_PERIOD:
                return
            # Until the quiet period after the last arrival would end: each wake-up of a
            # waiting worker is one more thread asking for the GIL while acks are being sent.
            quiet_at = self._last_arrival + QUIET_PERIOD
            time.sleep(max(QUIET_PERIOD / 4, min(quiet_at, deadline) - now))

    # -- the background: leases renewed, abandoned commands taken over ---------------------

    def start_background(self, client: WebClient) -> None:
        """Renew this process's leases and, every few seconds, take over commands whose
        owner's lease has run out: a killed replica's, or this process's own from before a
        restart. The first sweep runs at once."""
        self._client = client
        if self._background is None:
            self._background = threading.Thread(
                target=self._background_loop, name="knalle-leases", daemon=True
            )
            self._background.start()

    def _background_loop(self) -> None:
        next_sweep = 0.0
        while not self._stop.is_set():
            try:
                self.renew()
                if time.monotonic() >= next_sweep and self._client is not None:
                    self.sweep(self._client)
                    with self.knalle.db.write() as session:
                        intake.forget_requests_before(session, self.wall() - REPLAY_WINDOW)
                    next_sweep = time.monotonic() + min(SWEEP_EVERY, self.lease.total_seconds() / 4)
            except Exception as error:  # the next round tries again
                logger.warning("lease round failed (%s)", type(error).__name__)
            self._stop.wait(min(RENEW_EVERY, self.lease.total_seconds() / 4))

    def renew(self) -> None:
        ids = self.in_flight()
        if ids:
            with self.knalle.db.write() as session:
                intake.renew_leases(
                    session, owner=self.owner, pending_ids=ids, until=self.wall() + self.lease
                )

    def drain(self) -> None:
        """On shutdown: finish the work already acked, then write its bookkeeping; whatever
        is left unfinished is released for another process to take over at once."""
        self._stop.set()
        self._pool.shutdown(wait=True)
        background = self._background
        if background is not None and background is not threading.current_thread():
            # Commands taken over from another replica run on the lease thread: acked work too.
            background.join(timeout=DRAIN_WAIT)
            if background.is_alive():
                # Still handling one: releasing its lease would let a replica answer it again.
                logger.warning("a taken-over command is still running; its lease runs out")
                self._writer.flush()
                return
        self._writer.flush()
        try:
            with self.knalle.db.write() as session:
                intake.release_leases(session, owner=self.owner, now=self.wall())
        except Exception as error:
            logger.warning("could not release leases (%s)", type(error).__name__)

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
        with ACTIVITY.running():  # the process's upkeep waits for the work too
            finishing = _FinishingRespond(
                respond, lambda: self._writer.finish(pending_id, self.knalle.clock.now(), wait=True)
            )
            reply: Respond = finishing if self._finishes_on_reply(command) else respond
            try:
                at_arrival = replace(
                    self.knalle, clock=FixedClock(self.knalle.clock.zone, received_at)
                )
                handler(at_arrival, command, reply, client)
            except Exception:
                # Handlers answer user errors themselves; this is a bug, and retrying it at the next
                # start would only apologise twice.
                logger.exception("command %s failed", pending_id)
                try:
                    reply(text=texts.UNEXPECTED_ERROR, response_type="ephemeral")
                except Exception as error:
                    logger.warning(
                        "could not apologise for command %s (%s)", pending_id, type(error).__name__
                    )
            if not finishing.finished:
                self._writer.finish(pending_id, self.knalle.clock.now())

    def match(self, command: dict[str, Any]) -> Route | None:
        for route in self.routes.get(_canonical(str(command.get("command") or "")), []):
            if all(matcher(command) for matcher in route.matchers):
                return route
        return None

    def _route(self, command: dict[str, Any]) -> CommandHandler | None:
        found = self.match(command)
        return found.handler if found else None

    def _finishes_on_reply(self, command: dict[str, Any]) -> bool:
        found = self.match(command)
        return found.finish_on_reply if found else True

    def sweep(self, client: WebClient) -> int:
        """Take over and handle commands whose owner's lease ran out; returns how many."""
        now = self.knalle.clock.now()
        with self.knalle.db.write() as session:
            rows = intake.claim_abandoned(
                session,
                owner=self.owner,
                now=self.wall(),
                lease=self.lease,
                max_attempts=MAX_ATTEMPTS,
                in_flight=self.in_flight,
            )
            self._took([row.id for row in rows])
        for row in rows:
            command = {
                "command": row.command,
                "text": row.text,
                "user_id": row.user_id,
                "channel_id": row.channel_id,
                "response_url": row.response_url,
                "trigger_id": "",
            }
            handler = self._route(command)
            if handler is None:
                logger.warning("no handler for pending %s", row.id)
                self._writer.finish(row.id, now)
                continue
            fresh = row.response_url and now - row.received_at < RESPONSE_URL_LIFETIME
            respond = (
                Respond(response_url=row.response_url)
                if fresh
                else DirectMessageRespond(client, row.user_id)
            )
            logger.info("taking over command %s (received %s)", row.id, row.received_at)
            self.run(row.id, row.received_at, handler, command, respond, client)
        self.flush()
        return len(rows)

    def replay_unfinished(self, client: WebClient) -> int:
        """At start: clear old finished rows, then take over what a killed process left."""
        now = self.knalle.clock.now()
        with self.knalle.db.write() as session:
            keep = dt.timedelta(days=self.knalle.settings.retention_days)
            intake.forget_finished_before(session, now - keep)
            intake.forget_requests_before(session, self.wall() - REPLAY_WINDOW)
        return self.sweep(client)


# Slack signs the request time and refuses nothing older than 5 minutes; a replay cache entry
# is kept a little longer than that.
REPLAY_WINDOW = dt.timedelta(minutes=6)


def request_key(command: dict[str, Any], request: BoltRequest | None) -> str | None:
    """Slack's identity of a slash command: its trigger_id, else the request's signature."""
    trigger = str(command.get("trigger_id") or "")
    if trigger:
        return f"t:{trigger[:150]}"
    if request is not None:
        signature = request.headers.get("x-slack-signature") or []
        if signature and signature[0]:
            return f"s:{signature[0][:150]}"
    return None


class _FinishingRespond(Respond):
    """A `respond` that marks the command finished just before its first reply is sent."""

    def __init__(self, inner: Respond, finish: Callable[[], None]) -> None:
        super().__init__(response_url=getattr(inner, "response_url", None))
        self.inner = inner
        self.finish = finish
        self.finished = False

    def __call__(self, *args: Any, **kwargs: Any) -> WebhookResponse:
        if not self.finished:
            fault_point("replying")
            self.finished = True
            self.finish()
        sent = self.inner(*args, **kwargs)
        fault_point("replied")
        return sent


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
    """One spelling per command: NFC, and lower case (Slack finds "/Besök" as "/besök")."""
    return unicodedata.normalize("NFC", name).lower()


class DurableCommands(Middleware):
    """Bolt's last global middleware: a durable command is saved and acked right here, on
    the request's own thread, and its work handed to the intake's pool.

    As a Bolt listener the same ack waited for Bolt's runner, which hands the listener to
    another thread and looks for its ack every 10 ms (`time.sleep(0.01)` in slack_bolt's
    thread_runner): under a burst each such hand-over is a wait for the GIL, and an ack
    made 11 ms after the request came was sent at 20 ms. Anything else (a click, a view, an
    event, a command no route takes) goes on to Bolt's listeners."""

    def __init__(self, intake: CommandIntake) -> None:
        self.intake = intake

    @property
    def name(self) -> str:
        return "DurableCommands"

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body = req.body
        if "command" in body and "type" not in body:  # Bolt's own test for a slash command
            route = self.intake.match(body)
            if route is not None:
                return self.intake.take(route, req)
        return next()


_ATTRIBUTE = "_knalle_intake"


def intake_for(app: App, knalle: Knalle) -> CommandIntake:
    """The app's intake, made on first use so every surface registers into the same one.
    Its middleware comes after the global middleware registered before it (the boundary's
    checks, handlers/middleware.py), which every command passes first."""
    found: CommandIntake | None = getattr(app, _ATTRIBUTE, None)
    if found is None:
        found = CommandIntake(knalle, inline=app.process_before_response)
        setattr(app, _ATTRIBUTE, found)
        app.middleware(DurableCommands(found))
    return found
