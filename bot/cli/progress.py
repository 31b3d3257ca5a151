"""Progress for long CLI work (export, backfill, import, retag, report): a `rich` bar on a
terminal, nothing at all when stderr is not one (a pipe, a file, cron, CI).

The bar goes to stderr, so `knalle export visits > besok.csv` shows it while the data goes to
the file, and a script reading stdout never sees it. `rich` is imported only when a bar is shown.

    with progress("Exporterar besök", total=n) as advance:
        for row in rows:
            ...
            advance(1)

    for row in track(rows, "Läser raderna"):   # the same, around an iterable
        ...
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO, TypeVar

T = TypeVar("T")
Advance = Callable[[int], None]
QUIET_ENV = "KNALLE_NO_PROGRESS"  # set to anything: never a bar, even on a terminal


def shows_progress(stream: TextIO | None = None) -> bool:
    stream = stream if stream is not None else sys.stderr
    if os.environ.get(QUIET_ENV) or os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed, or not a real stream
        return False


def _nothing(_n: int = 1) -> None:
    return None


@contextmanager
def progress(
    label: str, total: int | None = None, *, stream: TextIO | None = None
) -> Iterator[Advance]:
    """A bar with `label` (a count and a spinner when `total` is unknown); yields advance(n)."""
    stream = stream if stream is not None else sys.stderr
    if not shows_progress(stream):
        yield _nothing
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    columns += [TimeElapsedColumn(), TimeRemainingColumn()] if total else [TimeElapsedColumn()]
    console = Console(file=stream, force_terminal=True, stderr=stream is sys.stderr)
    # transient: the finished bar leaves the terminal, the command's own summary line stays.
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance


def track(
    items: Iterable[T], label: str, total: int | None = None, *, stream: TextIO | None = None
) -> Iterator[T]:
    """`items` unchanged, one step of the bar per item."""
    with progress(label, total, stream=stream) as advance:
        for item in items:
            yield item
            advance(1)
