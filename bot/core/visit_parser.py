"""One-line visit parser: `/besök Ellos AB igår med <@U1|pia>, pratade …` into a ParsedVisit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FORM_ON_SITE = "på plats"
FORM_DIGITAL = "digitalt"


@dataclass(frozen=True)
class ParsedVisit:
    """What one line of `/besök` says. Text fields are unescaped (ready to store)."""

    company: str
    visit_date: dt.date
    date_text: str | None
    mentioned_user_ids: tuple[str, ...]
    mentioned_names: tuple[str, ...]
    others: tuple[str, ...]
    form: str
    notes: str
    follow_up_on: dt.date | None


def parse_visit(text: str, today: dt.date) -> ParsedVisit:
    """Parse one line as Slack sends it; raises InvalidInput / InvalidDate with Swedish text."""
    raise NotImplementedError
