"""Swedish date phrases as people write them: find the phrase in a line, turn it into a date."""

from __future__ import annotations

import datetime as dt


def warm_up() -> None:
    """Do dateparser's slow first call (~70 ms) at start instead of on the first /besök."""


def parse_date_phrase(phrase: str, today: dt.date) -> dt.date | None:
    """A past-leaning date phrase ("igår", "i tisdags", "3 mars") as a date, or None."""
    raise NotImplementedError


def parse_future_date(phrase: str, today: dt.date) -> dt.date | None:
    """A future-leaning phrase ("om 2 veckor", "10 augusti", "nästa fredag") as a date, or None."""
    raise NotImplementedError
