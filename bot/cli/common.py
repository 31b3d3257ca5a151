"""What every sub-command needs: settings from the environment and a built Knalle."""

from __future__ import annotations

import argparse
import datetime as dt

from bot.app import Knalle, build_knalle
from bot.config import load_settings


def knalle_from_env(*, migrate: bool = True) -> Knalle:
    return build_knalle(load_settings(), migrate=migrate)


def iso_date(value: str) -> dt.date:
    """argparse type for --date: an ISO date, with a Swedish message when it is not one."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{value!r} är inte ett datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-11-23"
        ) from exc
