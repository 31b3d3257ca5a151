"""The register in memory stays current: any change, by any code or replica, bumps the version."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, update

from bot.context import Knalle, build_knalle
from bot.core.companies import register as companies
from storage import register_version
from storage.models import Company
from tests.conftest import make_settings

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)


def suggested(knalle: Knalle, query: str) -> list[str]:
    with knalle.db.read() as session:
        return [c.name for c in companies.suggest(session, query)]


def test_another_replica_and_bulk_statements_are_seen(knalle: Knalle, database_url: str) -> None:
    with knalle.db.write() as session:
        companies.add_or_get(session, "Ellos AB", NOW)
    assert suggested(knalle, "ello") == ["Ellos AB"]
    other = build_knalle(make_settings(database_url), clock=knalle.clock)  # a second replica
    try:
        with other.db.write() as session:
            companies.rename(session, "Ellos AB", "Ellos Group", NOW)
        assert suggested(knalle, "ello") == ["Ellos Group"]
        with knalle.db.write() as session:
            before = register_version.current(session)
            session.execute(
                insert(Company).values(name="Elloz Bygg", match_key="elloz bygg", created_at=NOW)
            )
            session.execute(
                update(Company).where(Company.name == "Elloz Bygg").values(cluster=None)
            )
            assert register_version.current(session) > before
        assert "Elloz Bygg" in suggested(knalle, "ello")
        with knalle.db.read() as session:
            match = companies.match_company(session, "Eloz Bygg")
        assert [c.name for c in match.candidates] == ["Elloz Bygg"] or (
            match.company is not None and match.company.name == "Elloz Bygg"
        )
    finally:
        other.db.dispose()


def test_nothing_changed_reads_only_the_version(knalle: Knalle) -> None:
    from sqlalchemy import event

    with knalle.db.write() as session:
        companies.add_or_get(session, "Ellos AB", NOW)
    suggested(knalle, "ello")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(knalle.db.engine, "before_cursor_execute", count)
    try:
        assert suggested(knalle, "ello") == ["Ellos AB"]
    finally:
        event.remove(knalle.db.engine, "before_cursor_execute", count)
    queries = [s for s in statements if s != "BEGIN"]  # SQLite: our own BEGIN
    assert len(queries) == 1 and "register_version" in queries[0]


def test_an_alias_made_by_another_replica_is_matched_exactly(
    knalle: Knalle, database_url: str
) -> None:
    """The alias's key is looked up in the cached register: a newer version reloads it."""
    with knalle.db.write() as session:
        companies.add_or_get(session, "Ellos AB", NOW)
        companies.add_or_get(session, "Elos Ltd", NOW)
    with knalle.db.read() as session:
        assert companies.match_company(session, "Elos Ltd").company is not None
    other = build_knalle(make_settings(database_url), clock=knalle.clock)
    try:
        with other.db.write() as session:
            companies.merge(session, "Elos Ltd", "Ellos AB", NOW)
    finally:
        other.db.dispose()
    with knalle.db.read() as session:
        found = companies.match_company(session, "Elos Ltd")
        assert found.company is not None and found.company.name == "Ellos AB"
        assert found.candidates == ()


def test_a_new_name_is_matched_in_three_statements(knalle: Knalle) -> None:
    """Its own key (none), the register's version, the candidates' rows: no alias query."""
    from sqlalchemy import event

    with knalle.db.write() as session:
        companies.add_or_get(session, "Ellos AB", NOW)
        companies.add_or_get(session, "Elos Ltd", NOW)
        companies.merge(session, "Elos Ltd", "Ellos AB", NOW)
    with knalle.db.read() as session:
        companies.match_company(session, "Ellos Bygg")  # the register is cached
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(knalle.db.engine, "before_cursor_execute", count)
    try:
        with knalle.db.read() as session:
            found = companies.match_company(session, "Ellos Byggare")
    finally:
        event.remove(knalle.db.engine, "before_cursor_execute", count)
    assert [c.name for c in found.candidates] == ["Ellos AB"] or found.company is not None
    queries = [s for s in statements if s != "BEGIN"]
    assert len(queries) == 3, queries
    assert "company_aliases" not in " ".join(queries)
