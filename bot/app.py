"""The one place that wires a running bot: context → Slack app → start hooks → server.

`knalle serve` comes here: the Slack app is built around the context, the server's socket is
bound, the background services start on a thread while it serves (the replay of unfinished
commands, retention, the warm-up, the scheduler), and at the end everything already acked is
let finish. The pieces know nothing of each other; only this module names them all.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import TYPE_CHECKING, Any

from bot.context import Knalle
from bot.slack.app import build_slack_app
from bot.slack.serve import (
    AfterListening,
    StartHook,
    freeze_startup_objects,
    make_http_server,
    missing_slack_settings,
    run_in_thread,
    stop_on_sigterm,
    stop_server,
    warm_up_quietly,
)
from bot.upkeep import Upkeep, start_upkeep
from storage.db import serving_lock

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer, MultiSocketServer

logger = logging.getLogger(__name__)


def _start_scheduler(knalle: Knalle, app: Any) -> None:
    """Reminders, digests and visit follow-ups on their schedule (bot/schedule/scheduler.py)."""
    from bot.schedule.scheduler import scheduler_start_hook

    scheduler_start_hook(knalle, app)


def _replay_unfinished_commands(knalle: Knalle, app: Any) -> None:
    """Commands a killed process acked but never handled, taken over once their lease has run
    out, at start and every few seconds after (handlers/intake.py)."""
    from handlers.intake import intake_for

    intake = intake_for(app, knalle)

    def replay_then_keep_watch() -> None:
        try:
            intake.replay_unfinished(app.client)
        except Exception as error:  # the background sweeps try again
            logger.warning("replay at start failed (%s)", type(error).__name__)
        intake.start_background(app.client)

    threading.Thread(target=replay_then_keep_watch, name="knalle-replay", daemon=True).start()


def _clear_expired(knalle: Knalle, app: Any) -> None:
    """KNALLE_RETENTION_DAYS at start too, so a bot restarted daily still clears on time."""
    from bot.schedule.jobs import clear_expired_quietly

    clear_expired_quietly(knalle)


def _warm_up(knalle: Knalle, app: Any) -> None:
    """dateparser's import and first parse (bot/slack/serve.py), before the first /besök."""
    warm_up_quietly()


# Run in this order on one thread once the socket is bound (AfterListening): no request waits
# for any of them, and /healthz answers meanwhile. The replay first (a command a killed process
# left is the oldest waiting), the scheduler last (its first run is hours away; a missed one is
# caught up on its own thread). Together with their imports they were ~0.1 s of every start.
LISTENING_HOOKS: list[StartHook] = [
    _replay_unfinished_commands,
    _clear_expired,
    _warm_up,
    _start_scheduler,
]
# Stopping waits this long for them (a scheduler still starting is then stopped too).
LISTENING_HOOKS_JOIN_SECONDS = 10.0
# And this long for the upkeep's compaction or checkpoint under way (bot/upkeep.py).
UPKEEP_JOIN_SECONDS = 2.0


def serve(knalle: Knalle, *, force_http: bool = False, port: int | None = None) -> None:
    # Changes made through the running bot are Slack's in the audit trail, not the CLI's.
    knalle = dataclasses.replace(knalle, surface="slack")
    settings = knalle.settings
    if not settings.has_slack:
        raise SystemExit(missing_slack_settings(settings))
    # `knalle db restore` refuses while this is held (SQLite; released even by kill -9).
    serving = serving_lock(knalle.db.engine)
    serving.__enter__()
    from bot import metrics

    metrics.enable()
    app = build_slack_app(knalle)
    stop_on_sigterm()
    server: BaseWSGIServer | MultiSocketServer | None = None
    socket_mode: Any = None
    after = AfterListening(knalle, app, LISTENING_HOOKS)
    upkeep: Upkeep | None = None
    try:
        server = make_http_server(knalle, app, "0.0.0.0", port or settings.port)
        freeze_startup_objects()
        upkeep = start_upkeep(knalle.db.checkpoint_if_due)
        after.start()  # the socket is bound: requests queue while the main thread is here
        if settings.socket_mode and not force_http:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            # /healthz answers in Socket Mode too, so Docker and systemd can watch the process.
            run_in_thread(server)
            logger.info("Knalle kör i Socket Mode")
            socket_mode = SocketModeHandler(app, settings.slack_app_token)
            socket_mode.start()
        else:
            logger.info("Knalle lyssnar på http://0.0.0.0:%s/slack/events", port or settings.port)
            server.run()
    except KeyboardInterrupt:
        logger.info("Knalle stängs")
    finally:
        # Stop taking requests and let those being read finish first: a request thread still
        # inside the database driver while the interpreter exits crashes the process (SIGSEGV,
        # seen in the rolling-restart test) instead of a clean exit 0.
        if socket_mode is not None:
            socket_mode.close()
        if server is not None:
            stop_server(server)
        if after.is_alive():
            after.join(timeout=LISTENING_HOOKS_JOIN_SECONDS)
        if upkeep is not None:  # before the database is closed under it
            upkeep.stop()
            upkeep.join(timeout=UPKEEP_JOIN_SECONDS)
        shut_down(knalle, app)
        knalle.db.dispose()
    if after.error is not None:
        raise after.error  # a start hook failed: the process stops as a failed start did


def shut_down(knalle: Knalle, app: Any) -> None:
    """Let work already acked finish and the scheduler end its job; what cannot finish in
    time is still in pending_commands and the send ledger, and the next start takes it up."""
    from bot.schedule.scheduler import running_schedulers, wait_for_catch_up
    from handlers.intake import intake_for

    for scheduler in running_schedulers():
        scheduler.shutdown(wait=True)
    wait_for_catch_up(timeout=10)
    intake_for(app, knalle).drain()
