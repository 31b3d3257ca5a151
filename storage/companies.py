"""Queries on the company register. Functions take a Session and never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage import visit_search
from storage.models import Company, CompanyAlias, Visit, VisitParticipant, VisitTheme


def by_id(session: Session, company_id: int) -> Company | None:
    return session.get(Company, company_id)


def by_ids(session: Session, company_ids: list[int]) -> dict[int, Company]:
    """These companies by id, in one query."""
    if not company_ids:
        return {}
    rows = session.scalars(select(Company).where(Company.id.in_(company_ids)))
    return {row.id: row for row in rows}


def by_match_key(session: Session, match_key: str) -> Company | None:
    """The company with this key, or whose alias has it (a merged or renamed name)."""
    own = session.scalars(select(Company).where(Company.match_key == match_key)).first()
    if own is not None:
        return own
    return session.scalars(
        select(Company).join(CompanyAlias).where(CompanyAlias.match_key == match_key)
    ).first()


def own_key_holder(session: Session, match_key: str) -> Company | None:
    """The company whose own name has this key (aliases not counted)."""
    return session.scalars(select(Company).where(Company.match_key == match_key)).first()


def alias_by_key(session: Session, match_key: str) -> CompanyAlias | None:
    return session.scalars(select(CompanyAlias).where(CompanyAlias.match_key == match_key)).first()


def add_alias(
    session: Session, company: Company, name: str, match_key: str, now: dt.datetime
) -> None:
    """Give `company` another name; a key already in use (its own or an alias) is skipped."""
    if own_key_holder(session, match_key) is not None or alias_by_key(session, match_key):
        return
    session.add(CompanyAlias(company_id=company.id, name=name, match_key=match_key, created_at=now))
    session.flush()


def alias_keys(session: Session) -> list[tuple[int, str]]:
    """(company id, alias key) for every alias: fuzzy matching looks at these too."""
    return [
        (row.company_id, row.match_key)
        for row in session.execute(select(CompanyAlias.company_id, CompanyAlias.match_key))
    ]


def aliases_of(session: Session, company_id: int) -> list[CompanyAlias]:
    return list(
        session.scalars(
            select(CompanyAlias)
            .where(CompanyAlias.company_id == company_id)
            .order_by(CompanyAlias.id)
        )
    )


def move_visits(session: Session, from_id: int, into_id: int) -> int:
    """Every visit of one company (undone ones too) to another; how many moved.

    A bulk update bypasses the ORM, so the moved visits' search text (which holds the
    company's name) is recomputed here."""
    moved = list(session.scalars(select(Visit.id).where(Visit.company_id == from_id)))
    if not moved:
        return 0
    session.execute(update(Visit).where(Visit.id.in_(moved)).values(company_id=into_id))
    visit_search.refresh(session.connection(), moved)
    return len(moved)


def move_aliases(session: Session, from_id: int, into_id: int) -> None:
    session.execute(
        update(CompanyAlias).where(CompanyAlias.company_id == from_id).values(company_id=into_id)
    )


def visit_count(session: Session, company_id: int) -> int:
    """All the company's visits, undone ones included (they still point at it)."""
    return int(
        session.scalar(select(func.count(Visit.id)).where(Visit.company_id == company_id)) or 0
    )


def delete_company(session: Session, company: Company) -> None:
    """The company, its aliases and every visit of it (participants and themes cascade)."""
    ids = list(session.scalars(select(Visit.id).where(Visit.company_id == company.id)))
    if ids:
        session.execute(delete(VisitParticipant).where(VisitParticipant.visit_id.in_(ids)))
        session.execute(delete(VisitTheme).where(VisitTheme.visit_id.in_(ids)))
        session.execute(delete(Visit).where(Visit.id.in_(ids)))
    session.execute(delete(CompanyAlias).where(CompanyAlias.company_id == company.id))
    session.delete(company)
    session.flush()


def by_org_number(session: Session, org_number: str) -> Company | None:
    return session.scalars(select(Company).where(Company.org_number == org_number)).first()


def all_companies(session: Session) -> list[Company]:
    """The whole register, by name: a unit's register is hundreds of rows, not millions."""
    return list(session.scalars(select(Company).order_by(Company.name, Company.id)))


def match_keys(session: Session) -> dict[int, str]:
    """Company id → match key: all fuzzy matching needs, without loading whole rows."""
    return {row.id: row.match_key for row in session.execute(select(Company.id, Company.match_key))}


def with_visit_counts(session: Session) -> list[tuple[Company, int]]:
    """Every company by name with its number of visits (undone ones not counted)."""
    counted = (
        select(Visit.company_id, func.count(Visit.id).label("visits"))
        .where(Visit.deleted_at.is_(None))
        .group_by(Visit.company_id)
        .subquery()
    )
    rows = session.execute(
        select(Company, func.coalesce(counted.c.visits, 0))
        .outerjoin(counted, counted.c.company_id == Company.id)
        .order_by(Company.name, Company.id)
    )
    return [(company, int(count)) for company, count in rows]
