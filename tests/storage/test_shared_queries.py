"""The visit statistics and activity-state queries that digest, home and report share."""

from __future__ import annotations

import datetime as dt

from bot.context import Knalle
from storage import activities, visits
from tests.storage import factories as make

UTC = dt.UTC


def test_visit_counts_by_month_and_cluster_skip_undone_visits(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB", "Handel och logistik")
        tfc = make.company(session, "Textile Fashion Center", "Textil/mode/design")
        bageri = make.company(session, "Maj's Bageri")
        make.visit(session, ellos, dt.date(2026, 3, 3))
        make.visit(session, ellos, dt.date(2026, 3, 20))
        make.visit(session, tfc, dt.date(2026, 11, 2))
        make.visit(session, bageri, dt.date(2026, 11, 3))
        make.visit(session, tfc, dt.date(2026, 11, 4), deleted=True)
        make.visit(session, tfc, dt.date(2025, 12, 31))
    with knalle.db.read() as session:
        by_month = visits.count_by_month(session, 2026)
        assert by_month[3] == 2 and by_month[11] == 2 and by_month[12] == 0
        assert sum(by_month.values()) == 4
        assert visits.count_by_month(session, 2026, until=dt.date(2026, 6, 30))[11] == 0
        assert visits.count_by_cluster(session, 2026) == {
            "Handel och logistik": 2,
            "Textil/mode/design": 1,
            visits.UNKNOWN_CLUSTER: 1,
        }
        assert visits.count_between(session, dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == 2
        week = visits.visits_between(session, dt.date(2026, 11, 2), dt.date(2026, 11, 8))
        assert [v.company.name for v in week] == ["Textile Fashion Center", "Maj's Bageri"]


def test_activity_state_as_of_a_date_and_per_period(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        plan, section = make.plan(session, 2026)
        visits_activity = make.activity(session, plan, section, "1.2.3", "Företagsbesök", ("Pia",))
        team = make.activity(session, plan, section, "1.2.1", "109 företagsbesök", ("Alla",))
        other = make.activity(session, plan, section, "1.2.2", "109+", ("Anna M",))
        make.update(
            session,
            visits_activity,
            "gul",
            "Halvvägs",
            dt.datetime(2026, 6, 1, tzinfo=UTC),
            "2026-H1",
        )
        make.update(
            session,
            visits_activity,
            "grön",
            "Klart",
            dt.datetime(2026, 12, 1, tzinfo=UTC),
            "2026-H2",
        )
        plan_id, ids = plan.id, [visits_activity.id, team.id, other.id]
    with knalle.db.read() as session:
        assert [a.number for a in activities.activities_in_plan(session, plan_id)] == [
            "1.2.1",
            "1.2.2",
            "1.2.3",
        ]
        owned = activities.activities_owned_by(session, plan_id, "pia")
        assert [a.number for a in owned] == ["1.2.1", "1.2.3"]  # "Alla" includes Pia
        then = activities.latest_updates(session, ids, as_of=dt.datetime(2026, 7, 1, tzinfo=UTC))
        assert then[ids[0]].light == "gul" and ids[1] not in then
        assert activities.latest_updates(session, ids)[ids[0]].light == "grön"
        h1 = activities.updates_in_period(session, ids, "2026-H1")
        assert list(h1) == [ids[0]] and h1[ids[0]].comment == "Halvvägs"
        assert [u.comment for u in activities.history(session, ids[0])] == ["Halvvägs", "Klart"]
        current = activities.current_plan(session, dt.date(2027, 1, 5))
        assert current is not None and current.year == 2026


def test_cluster_counts_merge_no_cluster_and_an_empty_one_and_keep_old_clusters(
    knalle: Knalle,
) -> None:
    with knalle.db.write() as session:
        shaped = [
            ("Ellos AB", "Handel och logistik", 2),
            ("Textile Fashion Center", "Textil/mode/design", 2),
            ("Maj's Bageri", None, 1),
            ("Tomma AB", "", 1),
            ("Gamla Klustret AB", "Besöksnäring", 3),  # an older register's cluster
            ("Borås Kreativa", "Kreativa näringar", 1),
        ]
        for name, cluster, count in shaped:
            row = make.company(session, name, cluster)
            for day in range(count):
                make.visit(session, row, dt.date(2026, 4, 1 + day))
    with knalle.db.read() as session:
        counted = visits.count_by_cluster(session, 2026)
        first_day = visits.count_by_cluster(session, 2026, until=dt.date(2026, 4, 1))
    assert counted == {
        "Besöksnäring": 3,
        visits.UNKNOWN_CLUSTER: 2,
        "Handel och logistik": 2,
        "Textil/mode/design": 2,
        "Kreativa näringar": 1,
    }
    assert next(iter(counted)) == "Besöksnäring" and list(counted)[-1] == "Kreativa näringar"
    assert sum(first_day.values()) == 6
