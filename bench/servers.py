"""The processes the ack benchmark measures, each on its own interpreter (and GIL).

`python -m bench.servers standin` serves a Slack stand-in and prints its API URL;
`python -m bench.servers knalle|bare|bare-sync --port P --api URL --db FILE` serves Knalle or a
bare Bolt app that only acks (bare-sync: acked on the request's thread). Each runs until its
standard input closes, so the parent ends it.
"""

from __future__ import annotations

import argparse
import sys
import threading

from slack_bolt import Ack, App

from bot.config import load_settings
from bot.console.standin import SlackStandIn
from bot.context import build_knalle
from bot.slack.app import build_slack_app
from bot.slack.client import make_web_client
from bot.slack.serve import make_http_server, warm_up
from bot.upkeep import start_upkeep

SECRET = "bench-secret"


def bare_app(api_url: str, *, process_before_response: bool = False) -> App:
    """The floor: Bolt with signature checking and nothing else but an ack. With
    `process_before_response` the listener runs on the request's thread and its ack is sent
    when it returns, without Bolt's pool and its 10 ms looks for the ack: the fastest ack
    Bolt has."""
    app = App(
        signing_secret=SECRET,
        client=make_web_client("xoxb-bench", api_url),
        process_before_response=process_before_response,
    )

    @app.command("/besök")
    def only_ack(ack: Ack) -> None:
        ack()

    return app


def _exit_when_stdin_closes() -> None:
    sys.stdin.read()
    raise SystemExit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=["standin", "knalle", "bare", "bare-sync"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--api", default="")
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    if args.role == "standin":
        standin = SlackStandIn().start()
        print(standin.api_url, flush=True)
        _exit_when_stdin_closes()
    settings = load_settings(
        _env_file=None,
        KNALLE_DATABASE_URL=f"sqlite:///{args.db}",
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=args.api,
        KNALLE_OPEN_TO="workspace",  # the bench's senders are not in a staff list
    )
    knalle = build_knalle(settings)
    if args.role == "knalle":
        app = build_slack_app(knalle)
    else:
        app = bare_app(args.api, process_before_response=args.role == "bare-sync")
    server = make_http_server(knalle, app, "127.0.0.1", args.port)
    # As `knalle serve` does: the warm-up freezes what is loaded by now, the app included,
    # and Knalle's upkeep runs in quiet moments (the bare app has no such thing).
    warm_up()
    if args.role == "knalle":
        start_upkeep(knalle.db.checkpoint_if_due)
    threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    print(f"ready {server.effective_port}", flush=True)  # type: ignore[union-attr]
    server.run()


if __name__ == "__main__":
    main()
