"""What every sub-command needs: settings from the environment and a built Knalle."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import inspect
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TextIO

from bot.config import load_settings
from bot.context import Knalle, build_knalle
from bot.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


P = ParamSpec("P")


def tell(error: UserError, stream: TextIO | None = None) -> None:
    """The terminal's one way of showing a user error: its Swedish message on stderr."""
    print(error.message, file=stream or sys.stderr)


def exits_on_user_error(run: Callable[P, int]) -> Callable[P, int]:
    """`run`, with a UserError it raises told on its own error stream (`err` or `stderr`, else
    the process's stderr) and exit code 1."""
    signature = inspect.signature(run)
    stream_name = next((n for n in ("err", "stderr") if n in signature.parameters), None)

    @functools.wraps(run)
    def running(*args: P.args, **kwargs: P.kwargs) -> int:
        try:
            return run(*args, **kwargs)
        except UserError as error:
            given = signature.bind(*args, **kwargs).arguments
            tell(error, given.get(stream_name) if stream_name else None)
            return 1

    return running


def knalle_from_env(*, migrate: bool = True) -> Knalle:
    return build_knalle(load_settings(), migrate=migrate, surface="cli")


def run_with_knalle(run: Callable[[Knalle], int], *, failure: int = 1) -> int:
    """Build Knalle from the environment and run; a UserError's Swedish message goes to stderr
    and the exit code is `failure`."""
    try:
        return run(knalle_from_env())
    except UserError as exc:
        tell(exc)
        return failure


def iso_date(value: str) -> dt.date:
    """argparse type for --date: an ISO date, with a Swedish message when it is not one."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{value!r} är inte ett datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-11-23"
        ) from exc


def audit_cli(
    knalle: Knalle,
    session: Session,
    action: str,
    subject_type: str,
    subject_id: object,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """An audit row for a change made at the terminal, by the operator (see bot/core/audit.py)."""
    from bot.core import audit

    audit.log(
        session,
        audit.operator(knalle.surface),
        action,
        subject_type,
        subject_id,
        at=knalle.clock.now(),
        before=before,
        after=after,
    )
