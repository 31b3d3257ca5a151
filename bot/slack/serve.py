"""`knalle serve`: Socket Mode when an app token is set, else a threaded HTTP server."""

from __future__ import annotations

import dataclasses
import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

import waitress
from waitress.server import BaseWSGIServer, MultiSocketServer

from bot.app import Knalle
from bot.config import Settings
from bot.slack.app import build_slack_app
from bot.slack.wsgi import MAX_BODY_BYTES, SlackWsgi
from storage.db import serving_lock

logger = logging.getLogger(__name__)

# Hooks run once the Slack app exists (the scheduler starts here); kept as a list so that
# serve does not need to know every background service by name.
StartHook = Callable[[Knalle, Any], None]


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


START_HOOKS: list[StartHook] = [_clear_expired, _replay_unfinished_commands, _start_scheduler]


def warm_up() -> None:
    """The first Swedish date parse costs ~70 ms: pay it at start, not on the first /besök."""
    from bot.core.text import dates

    dates.warm_up()
    freeze_startup_objects()


def freeze_startup_objects() -> None:
    """Everything loaded so far lives as long as the process: keep the collector off it, so
    its pauses under a burst of commands stay short."""
    import gc

    gc.freeze()


def warm_up_in_background() -> threading.Thread:
    """The warm-up (dateparser's import and first parse: a fifth of the start) after the
    server listens, so /healthz and the first command do not wait for it."""

    def run() -> None:
        try:
            warm_up()
        except Exception as error:  # a cold first date parse is slower, never wrong
            logger.warning("warm-up failed (%s)", type(error).__name__)

    thread = threading.Thread(target=run, name="knalle-warm-up", daemon=True)
    thread.start()
    return thread


def make_http_server(
    knalle: Knalle, app: Any, host: str, port: int
) -> BaseWSGIServer | MultiSocketServer:
    """A waitress server: production-grade, many requests at once, no reset connections."""
    wsgi = SlackWsgi(app, knalle)
    server: BaseWSGIServer | MultiSocketServer = waitress.create_server(  # type: ignore[attr-defined]
        wsgi,
        host=host,
        port=port,
        threads=knalle.settings.http_threads,
        connection_limit=200,
        # Refuse bodies over Slack's limits before buffering them (waitress's default is 1 GB).
        max_request_body_size=MAX_BODY_BYTES,
        ident="knalle",
    )
    server.knalle_wsgi = wsgi  # type: ignore[union-attr]  # tests move its wall clock
    return server


def missing_slack_settings(settings: Settings) -> str:
    """Which of the two Slack settings is missing, and what to do (both are needed)."""
    if settings.slack_bot_token and not settings.slack_signing_secret:
        return (
            "SLACK_SIGNING_SECRET saknas, men SLACK_BOT_TOKEN är satt: båda behövs. Sätt "
            "signeringshemligheten (Slack-appens Basic Information) i .env."
        )
    if settings.slack_signing_secret and not settings.slack_bot_token:
        return (
            "SLACK_BOT_TOKEN saknas, men SLACK_SIGNING_SECRET är satt: båda behövs. Sätt "
            "bot-token (xoxb-…, Slack-appens OAuth & Permissions) i .env."
        )
    return (
        "SLACK_BOT_TOKEN och SLACK_SIGNING_SECRET saknas. Sätt dem i .env, "
        "eller prova boten utan Slack med 'knalle console'."
    )


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
    for hook in START_HOOKS:
        hook(knalle, app)
    stop_on_sigterm()
    server: BaseWSGIServer | MultiSocketServer | None = None
    socket_mode: Any = None
    try:
        server = make_http_server(knalle, app, "0.0.0.0", port or settings.port)
        freeze_startup_objects()
        warm_up_in_background()  # the socket is bound: requests queue while it runs
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
        shut_down(knalle, app)
        knalle.db.dispose()


def stop_on_sigterm() -> None:
    """systemd and Docker stop with SIGTERM: leave through the same path as Ctrl-C."""

    def interrupt(signum: int, frame: object) -> None:
        # A second SIGTERM must not cut the shutdown (draining acked work) short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def shut_down(knalle: Knalle, app: Any) -> None:
    """Let work already acked finish and the scheduler end its job; what cannot finish in
    time is still in pending_commands and the send ledger, and the next start takes it up."""
    from bot.schedule.scheduler import running_schedulers, wait_for_catch_up
    from handlers.intake import intake_for

    for scheduler in running_schedulers():
        scheduler.shutdown(wait=True)
    wait_for_catch_up(timeout=10)
    intake_for(app, knalle).drain()


def run_in_thread(server: BaseWSGIServer | MultiSocketServer) -> threading.Thread:
    """For tests and benchmarks: serve on a daemon thread until `stop_server(server)`."""
    thread = threading.Thread(target=server.run, name="knalle-http", daemon=True)
    thread.start()
    _threads[id(server)] = thread
    return thread


_threads: dict[int, threading.Thread] = {}


def stop_server(server: BaseWSGIServer | MultiSocketServer) -> None:
    """Finish the requests in flight, then close every socket from the server's own loop.

    Closing from another thread pulls file descriptors out from under the loop's select()
    (EBADF in its thread); an empty socket map ends the loop by itself.
    """
    from waitress import wasyncore

    server.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
    socket_map = getattr(server, "_map", None) or server.map  # type: ignore[union-attr]
    thread = _threads.pop(id(server), None)
    if thread is None or not thread.is_alive():
        wasyncore.close_all(socket_map)
        return
    server.trigger.pull_trigger(lambda: wasyncore.close_all(socket_map))  # type: ignore[union-attr]
    thread.join(timeout=5)
