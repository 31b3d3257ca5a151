"""KNALLE_LOG_FORMAT=json: one JSON object a line, and no user text in any of them."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from bot.logs import JsonFormatter

SECRET = "Annette Carlson sa <!channel> hemligt"


def _record(name: str, msg: str, *args: object, exc: bool = False) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError(f"duplicate key value ({SECRET})")
        except ValueError:
            exc_info = sys.exc_info()
    return logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args or None, exc_info)


def test_own_messages_keep_their_values_and_exceptions_lose_their_message() -> None:
    record = _record("handlers.intake", "command %s failed", 7, exc=True)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "command 7 failed"
    assert line["level"] == "warning" and line["logger"] == "handlers.intake"
    assert line["exception"] == "ValueError"
    assert line["where"][-1].startswith("test_logs.py:")
    assert SECRET not in json.dumps(line, ensure_ascii=False)


def test_other_libraries_keep_only_their_fixed_text() -> None:
    bolt = _record("knalle.bolt", f"Unhandled request ({{'text': '{SECRET}'}})")
    assert json.loads(JsonFormatter().format(bolt))["message"] == "Unhandled request …"
    waitress = _record("waitress", "Serving on http://%s:%s", "0.0.0.0", 3000)
    assert json.loads(JsonFormatter().format(waitress))["message"] == "Serving on http://…:…"
    templated = _record("slack_sdk", "Received the following response: %s", SECRET)
    assert SECRET not in JsonFormatter().format(templated)


def test_the_setting_turns_every_line_into_json(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "knalle.log"
    code = (
        "import logging; from bot.cli import _configure_logging; "
        "_configure_logging(verbose=False); "
        "logging.getLogger('bot.slack.serve').info('Knalle lyssnar på port %s', 3000); "
        f"logging.getLogger('knalle.bolt').warning(\"Unhandled request ({{'text': '{SECRET}'}})\")"
    )
    env = {
        **os.environ,
        "KNALLE_LOG_FORMAT": "json",
        "KNALLE_LOG_FILE": str(log_file),
        "KNALLE_DATABASE_URL": f"sqlite:///{tmp_path}/k.db",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
        cwd=tmp_path,
    )  # fmt: skip
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [line["message"] for line in lines] == [
        "Knalle lyssnar på port 3000",
        "Unhandled request …",
    ]
    assert SECRET not in done.stderr
    first = log_file.read_text().splitlines()[0]
    assert json.loads(first)["message"] == "Knalle lyssnar på port 3000"
