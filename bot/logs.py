"""Logging for every `knalle` command: text for people, or one JSON object a line
(`KNALLE_LOG_FORMAT=json`) for a log collector.

JSON lines carry no user text. Knalle's own messages are written to carry ids, counts and
reasons only. Other libraries' messages (Bolt, waitress, APScheduler, SQLAlchemy) keep their
fixed text: the values filled into it are left out, and a pre-formatted message is cut where
a payload would begin (`{`, `[`, `'`). An exception gives its type and where it was raised,
never its message: a database error's message quotes the row it could not store.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import traceback
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
OWN_LOGGERS = ("bot", "handlers", "storage", "knalle")  # "knalle.bolt" is Bolt's, see below
FOREIGN_MESSAGE_LIMIT = 160
_PAYLOAD_START = re.compile(r"[{\['\"]")
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrfix]")


def _own(name: str) -> bool:
    if name.startswith("knalle.bolt"):
        return False  # Bolt logs under the name Knalle gave it; its messages quote payloads
    return name.split(".", 1)[0] in OWN_LOGGERS


def safe_message(record: logging.LogRecord) -> str:
    """The message as JSON lines carry it (see the module docstring)."""
    if _own(record.name):
        return record.getMessage()
    template = _PLACEHOLDER.sub("…", str(record.msg))
    cut = _PAYLOAD_START.search(template)
    if cut is not None:
        template = template[: cut.start()].rstrip(" (:=") + " …"
    return template[:FOREIGN_MESSAGE_LIMIT]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": safe_message(record),
            "thread": record.threadName,
        }
        if record.exc_info and record.exc_info[0] is not None:
            kind, _value, tb = record.exc_info
            line["exception"] = kind.__name__
            line["where"] = [
                f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(tb)
            ][-8:]
        return json.dumps(line, ensure_ascii=False)


def configure(
    *,
    verbose: bool = False,
    fmt: str = "text",
    log_file: Path | None = None,
    keep_days: int = 30,
) -> None:
    """Root logging for a command. `log_file` adds a file rotated at midnight and kept
    `keep_days` days (older files are deleted at rotation: the logs' retention)."""
    formatter: logging.Formatter = JsonFormatter() if fmt == "json" else logging.Formatter(
        TEXT_FORMAT
    )
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(
            TimedRotatingFileHandler(
                log_file, when="midnight", backupCount=max(1, keep_days), encoding="utf-8"
            )
        )
    for handler in handlers:
        handler.setFormatter(formatter)
    # Not force=True: a root logger that already has handlers (a test's capture) is kept.
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=handlers)
