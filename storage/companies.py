"""Queries on the company register. Functions take a Session and never commit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Company, Visit


def by_id(session: Session, company_id: int) -> Company | None:
    return session.get(Company, company_id)


def by_ids(session: Session, company_ids: list[int]) -> dict[int, Company]:
    """These companies by id, in one query."""
    if not company_ids:
        return {}
    rows = session.scalars(select(Company).where(Company.id.in_(company_ids)))
    return {row.id: row for row in rows}


def by_match_key(session: Session, match_key: str) -> Company | None:
    return session.scalars(select(Company).where(Company.match_key == match_key)).first()


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
