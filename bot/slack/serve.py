"""Serving mechanics: the waitress server, the warm-up, SIGTERM, and a clean stop.

bot/app.py's `serve` uses them: Socket Mode when an app token is set, else this HTTP server.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any

import waitress
from waitress.server import BaseWSGIServer, MultiSocketServer

from bot.config import Settings
from bot.context import Knalle
from bot.slack.wsgi import MAX_BODY_BYTES, SlackWsgi

logger = logging.getLogger(__name__)

# Hooks run once the Slack app exists (bot/app.py's LISTENING_HOOKS: the scheduler starts there).
StartHook = Callable[[Knalle, Any], None]


def warm_up() -> None:
    """The first Swedish date parse costs ~70 ms, and the date grammar's and the visit line's
    patterns ~20 ms to compile (bot/core/text/patterns.py): pay them at start, once the server
    listens, not on the first /besök."""
    from bot.core.text import dates, patterns

    dates.warm_up()
    patterns.compile_all()
    freeze_startup_objects()


def warm_up_quietly() -> None:
    try:
        warm_up()
    except Exception as error:  # a cold first date parse is slower, never wrong
        logger.warning("warm-up failed (%s)", type(error).__name__)


def freeze_startup_objects() -> None:
    """Everything loaded so far lives as long as the process: keep the collector off it, so
    its pauses under a burst of commands stay short. The start is done: the collector, off
    while `knalle serve` started (bot/cli/__init__.py), runs again."""
    import gc

    gc.freeze()
    gc.enable()


class AfterListening(threading.Thread):
    """The start work no request waits for, in order on one thread once the server's socket is
    bound (bot/app.py's LISTENING_HOOKS). Requests are served meanwhile: the Slack app and its
    handlers are built before the socket is bound.

    A hook that raises stops the process, as it did when the hooks ran before the socket was
    bound: the error is kept, the process sends itself SIGTERM (the clean stop), and `serve`
    raises the error once stopped."""

    def __init__(self, knalle: Knalle, app: Any, hooks: Sequence[StartHook]) -> None:
        super().__init__(name="knalle-after-listen", daemon=True)
        self.knalle = knalle
        self.app = app
        self.hooks = list(hooks)
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            for hook in self.hooks:
                hook(self.knalle, self.app)
        except Exception as error:
            self.error = error
            logger.error("start failed (%s): stopping", type(error).__name__)
            os.kill(os.getpid(), signal.SIGTERM)
        else:
            freeze_startup_objects()


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


def stop_on_sigterm() -> None:
    """systemd and Docker stop with SIGTERM: leave through the same path as Ctrl-C."""

    def interrupt(signum: int, frame: object) -> None:
        # A second SIGTERM must not cut the shutdown (draining acked work) short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


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
