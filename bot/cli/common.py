"""What every sub-command needs: settings from the environment and a built Knalle."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.app import Knalle, build_knalle
from bot.config import load_settings
from bot.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def knalle_from_env(*, migrate: bool = True) -> Knalle:
    return build_knalle(load_settings(), migrate=migrate, surface="cli")


def run_with_knalle(run: Callable[[Knalle], int], *, failure: int = 1) -> int:
    """Build Knalle from the environment and run; a UserError's Swedish message goes to stderr
    and the exit code is `failure`."""
    try:
        return run(knalle_from_env())
    except UserError as exc:
        print(exc.message, file=sys.stderr)
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
        audit.operator(knalle),
        action,
        subject_type,
        subject_id,
        at=knalle.clock.now(),
        before=before,
        after=after,
    )
