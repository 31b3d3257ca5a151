"""The core called as a surface calls it: one unit of work per call, opened here.

The core takes a Session and plain values; a Slack handler, a job or a CLI command opens and
commits the unit of work around it. A test that exercises one core function is that caller:
these open a write (or a read) unit on the test's Knalle, hand the core the values the surfaces
hand it (the clock's time, the surface, KNALLE_ADMINS, KNALLE_THEMES_FILE), and commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.context import Knalle
from bot.core import audit as audit_core
from bot.core import personal_data, retention
from bot.core.companies import care as company_care
from bot.core.companies.register import Candidate, CompanyChoice
from bot.core.visits import actions as core
from bot.core.visits import feedback as feedback_core
from bot.core.visits.themes import Tagger, tagger_for
from bot.errors import UserError

# -- visits ------------------------------------------------------------------------------------


def problems_with(knalle: Knalle, draft: core.VisitDraft, author_id: str) -> dict[str, str]:
    with knalle.db.read() as session:
        return core.problems_with(session, draft, author_id, today=knalle.clock.now().date())


def saved_from_message(knalle: Knalle, channel: str, ts: str) -> core.VisitRecord | None:
    with knalle.db.read() as session:
        return core.saved_from_message(session, channel, ts)


def record(
    knalle: Knalle,
    draft: core.VisitDraft,
    author_id: str,
    *,
    company: CompanyChoice = None,
    source: core.VisitSource | None = None,
    as_new: bool = False,
) -> core.VisitRecord:
    with knalle.db.write() as session:
        return core.record(
            session,
            draft,
            author_id,
            now=knalle.clock.now(),
            surface=knalle.surface,
            themes_file=knalle.settings.themes_file,
            company=company,
            source=source,
            as_new=as_new,
        )


def import_batch(knalle: Knalle, items: Sequence[core.BatchItem]) -> list[str | UserError]:
    with knalle.db.write() as session:
        return core.import_batch(
            session, items, now=knalle.clock.now(), themes_file=knalle.settings.themes_file
        )


def record_text(
    knalle: Knalle,
    text: str,
    author_id: str,
    *,
    company: CompanyChoice = None,
    today: dt.date | None = None,
    as_new: bool = False,
) -> core.VisitRecord:
    with knalle.db.write() as session:
        return core.record_text(
            session,
            text,
            author_id,
            now=knalle.clock.now(),
            surface=knalle.surface,
            themes_file=knalle.settings.themes_file,
            company=company,
            today=today,
            as_new=as_new,
        )


def record_each(knalle: Knalle, text: str, author_id: str, *, today: dt.date) -> core.EachResult:
    with knalle.db.write() as session:
        return core.record_each(
            session,
            text,
            author_id,
            today=today,
            now=knalle.clock.now(),
            surface=knalle.surface,
            themes_file=knalle.settings.themes_file,
        )


def update_with_text(
    knalle: Knalle, visit_id: int, text: str, editor_id: str, *, today: dt.date
) -> core.VisitRecord:
    with knalle.db.write() as session:
        return core.update_with_text(
            session,
            visit_id,
            text,
            editor_id,
            today=today,
            now=knalle.clock.now(),
            surface=knalle.surface,
            themes_file=knalle.settings.themes_file,
            admins=knalle.settings.admins,
        )


def get_for_edit(knalle: Knalle, visit_id: int, user_id: str) -> core.VisitRecord:
    with knalle.db.read() as session:
        return core.get_for_edit(session, visit_id, user_id, admins=knalle.settings.admins)


def edit(
    knalle: Knalle,
    visit_id: int,
    editor_id: str,
    draft: core.VisitDraft,
    *,
    company: CompanyChoice = None,
) -> core.VisitRecord:
    with knalle.db.write() as session:
        return core.edit(
            session,
            visit_id,
            editor_id,
            draft,
            now=knalle.clock.now(),
            surface=knalle.surface,
            themes_file=knalle.settings.themes_file,
            admins=knalle.settings.admins,
            company=company,
        )


def undo(knalle: Knalle, visit_id: int, user_id: str) -> core.VisitRecord:
    with knalle.db.write() as session:
        return core.undo(
            session,
            visit_id,
            user_id,
            now=knalle.clock.now(),
            surface=knalle.surface,
            admins=knalle.settings.admins,
        )


def undo_latest(knalle: Knalle, user_id: str) -> core.VisitRecord:
    with knalle.db.write() as session:
        return core.undo_latest(
            session,
            user_id,
            now=knalle.clock.now(),
            surface=knalle.surface,
            admins=knalle.settings.admins,
        )


def list_visits(knalle: Knalle, user_id: str, scope_word: str = "") -> core.VisitList:
    with knalle.db.read() as session:
        return core.list_visits(session, user_id, scope_word, today=knalle.clock.now().date())


def search(knalle: Knalle, text: str) -> tuple[core.VisitRecord, ...]:
    with knalle.db.read() as session:
        return core.search(session, text)


def company_history(knalle: Knalle, name: str) -> core.CompanyHistory:
    with knalle.db.read() as session:
        return core.company_history(session, name)


def company_by_id(knalle: Knalle, company_id: int) -> str:
    with knalle.db.read() as session:
        return core.company_by_id(session, company_id)


def statistics(knalle: Knalle, year_word: str = "") -> core.VisitStats:
    with knalle.db.read() as session:
        return core.statistics(
            session,
            year_word,
            today=knalle.clock.now().date(),
            visit_target=knalle.settings.visit_target,
        )


def suggest_companies(knalle: Knalle, query: str, limit: int = 10) -> list[Candidate]:
    with knalle.db.read() as session:
        return core.suggest_companies(session, query, limit)


def draft_from_message(
    knalle: Knalle, text: str, ts: str, author_id: str | None, user_id: str
) -> core.MessageDraft:
    with knalle.db.read() as session:
        return core.draft_from_message(
            session,
            text,
            ts,
            author_id,
            user_id,
            today=knalle.clock.now().date(),
            zone=knalle.settings.zone,
        )


def dismiss_message(knalle: Knalle, channel: str, ts: str) -> None:
    with knalle.db.write() as session:
        core.dismiss_message(session, channel, ts, now=knalle.clock.now())


def message_dismissed(knalle: Knalle, channel: str, ts: str) -> bool:
    with knalle.db.read() as session:
        return core.message_dismissed(session, channel, ts)


# -- the audit trail ---------------------------------------------------------------------------


def listing(knalle: Knalle, **filters: Any) -> list[audit_core.AuditRow]:
    with knalle.db.read() as session:
        return audit_core.listing(session, **filters)


def history(knalle: Knalle, subject_type: str, subject_id: object) -> list[audit_core.AuditRow]:
    with knalle.db.read() as session:
        return audit_core.history(session, subject_type, subject_id)


def staff_names(knalle: Knalle) -> dict[str, str]:
    with knalle.db.read() as session:
        return audit_core.staff_names(session)


def visit_history_for(
    knalle: Knalle, visit_id: int, user_id: str
) -> list[audit_core.AuditRow] | None:
    with knalle.db.read() as session:
        return audit_core.visit_history_for(session, visit_id, user_id, knalle.settings.admins)


# -- themes and feedback -----------------------------------------------------------------------


def tagger(knalle: Knalle) -> Tagger:
    return tagger_for(knalle.settings.themes_file)


def theme_names(knalle: Knalle) -> tuple[str, ...]:
    return feedback_core.theme_names(knalle.settings.themes_file)


def list_tagger_or_none(knalle: Knalle) -> Tagger | None:
    return feedback_core.list_tagger_or_none(knalle.settings.themes_file)


def check_chosen(knalle: Knalle, chosen: Sequence[str]) -> None:
    feedback_core.check_chosen(knalle.settings.themes_file, chosen)


def retag(
    knalle: Knalle, path: Path | None = None, *, advance: Callable[[int], None] | None = None
) -> feedback_core.RetagResult:
    with knalle.db.write() as session:
        return feedback_core.retag(
            session,
            path or knalle.settings.themes_file,
            now=knalle.clock.now(),
            actor=audit_core.operator(knalle.surface),
            advance=advance,
        )


def compilation(
    knalle: Knalle, year: int | None = None, *, quote_limit: int = feedback_core.DOCUMENT_QUOTES
) -> feedback_core.Compilation:
    with knalle.db.read() as session:
        return feedback_core.compilation(
            session,
            knalle.settings.themes_file,
            year,
            today=knalle.clock.now().date(),
            quote_limit=quote_limit,
        )


def summary_for_slack(knalle: Knalle, year_word: str = "") -> feedback_core.Compilation:
    with knalle.db.read() as session:
        return feedback_core.summary_for_slack(
            session, knalle.settings.themes_file, year_word, today=knalle.clock.now().date()
        )


# -- company care in Slack ---------------------------------------------------------------------


def may_care(knalle: Knalle, user_id: str) -> bool:
    with knalle.db.read() as session:
        return company_care.may_care(session, user_id, knalle.settings.admins)


def rename(knalle: Knalle, user_id: str, company_id: int, new_name: str) -> str:
    with knalle.db.write() as session:
        return company_care.rename(
            session,
            user_id,
            company_id,
            new_name,
            now=knalle.clock.now(),
            surface=knalle.surface,
            admins=knalle.settings.admins,
        )


def merge(knalle: Knalle, user_id: str, company_id: int, into_name: str) -> str:
    with knalle.db.write() as session:
        return company_care.merge(
            session,
            user_id,
            company_id,
            into_name,
            now=knalle.clock.now(),
            surface=knalle.surface,
            admins=knalle.settings.admins,
        )


def remove(knalle: Knalle, user_id: str, company_id: int) -> str:
    with knalle.db.write() as session:
        return company_care.remove(
            session,
            user_id,
            company_id,
            now=knalle.clock.now(),
            surface=knalle.surface,
            admins=knalle.settings.admins,
        )


# -- personal data, retention ------------------------------------------------------------------


def gather(knalle: Knalle, name: str) -> personal_data.PersonData:
    with knalle.db.read() as session:
        return personal_data.gather(session, name, now=knalle.clock.now())


def log_export(knalle: Knalle, data: personal_data.PersonData, fmt: str) -> None:
    with knalle.db.write() as session:
        personal_data.log_export(
            session, data, fmt, now=knalle.clock.now(), actor=audit_core.operator(knalle.surface)
        )


def plan_redaction(knalle: Knalle, name: str) -> personal_data.RedactionPlan:
    with knalle.db.read() as session:
        return personal_data.plan_redaction(session, name)


def redact(knalle: Knalle, name: str) -> personal_data.RedactionPlan:
    with knalle.db.write() as session:
        return personal_data.redact(
            session, name, now=knalle.clock.now(), actor=audit_core.operator(knalle.surface)
        )


def clear_expired(knalle: Knalle) -> retention.Cleared:
    with knalle.db.write() as session:
        return retention.clear_expired(
            session, now=knalle.clock.now(), retention_days=knalle.settings.retention_days
        )
