"""Follow-up report generation on a big database: 500 activities with 10 years of history.

Builds a temp SQLite file with bulk inserts: one plan of 500 activities (8 chapters, 40
sections, two owners each), two updates per activity per year for 10 years (10,000 updates,
periods 2017-H1 … 2026-H2), 100,000 visits over those years at 1,000 companies in five clusters,
and 8 key figures with 10 years of values. Then times `collect_report` and each renderer for
2026-H2 and prints a Markdown table.

Run: `.venv/bin/python -m bench.report_bench [--rounds 5]`. Results go in docs/benchmarks.md
("Report"); never in a timed unit test, because these shared 2-core machines are noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bot.clock import FixedClock
from bot.config import load_settings
from bot.context import Knalle, build_knalle
from bot.core.followup.periods import make_period, parse_period
from bot.core.report import FollowUpReport, collect_report
from bot.files.report import render
from storage.models import (
    Activity,
    ActivityOwner,
    ActivityUpdate,
    Chapter,
    Company,
    KeyFigure,
    KeyFigureValue,
    Plan,
    Section,
    Staff,
    Visit,
    VisitParticipant,
)

ZONE = ZoneInfo("Europe/Stockholm")
PLAN_YEAR = 2026
YEARS = range(PLAN_YEAR - 9, PLAN_YEAR + 1)
ACTIVITIES = 500
CHAPTERS, SECTIONS_PER_CHAPTER = 8, 5
VISITS = 100_000
COMPANIES = 1_000
CLUSTERS = [
    "Textil/mode/design",
    "Handel och logistik",
    "Högteknologi/fordon",
    "Kreativa näringar",
    "Övrigt",
    None,
]
STAFF = [
    "Annika",
    "Caroline",
    "Ingrid",
    "Per",
    "Pia",
    "Nelly",
    "Peder",
    "Anna M",
    "Jonas",
    "Sara",
    "Anna B",
    "Arvid",
    "Anders",
]
LIGHTS = ["grön", "grön", "gul", "röd", "grå"]
PERIOD = f"{PLAN_YEAR}-H2"


def fill(knalle: Knalle, seed: int = 7) -> dict[str, int]:
    """Bulk-insert the whole data set in one transaction; returns row counts."""
    rng = random.Random(seed)
    now = dt.datetime(PLAN_YEAR, 1, 1, tzinfo=dt.UTC)
    with knalle.db.write() as session:
        session.execute(
            insert(Staff),
            [
                {
                    "id": i + 1,
                    "name": name,
                    "slack_user_id": f"U{i:04d}",
                    "is_admin": False,
                    "active": True,
                    "created_at": now,
                }
                for i, name in enumerate(STAFF)
            ],
        )
        session.execute(
            insert(Plan),
            [
                {
                    "id": 1,
                    "year": PLAN_YEAR,
                    "name": f"Verksamhetsplan {PLAN_YEAR}",
                    "imported_at": now,
                }
            ],
        )
        session.execute(
            insert(Chapter),
            [
                {"id": c, "plan_id": 1, "number": str(c), "title": f"Kapitel {c}", "position": c}
                for c in range(1, CHAPTERS + 1)
            ],
        )
        sections = [
            {
                "id": (c - 1) * SECTIONS_PER_CHAPTER + s,
                "chapter_id": c,
                "number": f"{c}.{s}",
                "title": f"Avsnitt {c}.{s}",
                "position": s,
            }
            for c in range(1, CHAPTERS + 1)
            for s in range(1, SECTIONS_PER_CHAPTER + 1)
        ]
        session.execute(insert(Section), sections)
        activities, owners = [], []
        for a in range(ACTIVITIES):
            section = sections[a % len(sections)]
            position = a // len(sections) + 1
            activities.append(
                {
                    "id": a + 1,
                    "plan_id": 1,
                    "section_id": section["id"],
                    "number": f"{section['number']}.{position}",
                    "title": f"Aktivitet {a + 1} om näringsliv & samverkan",
                    "purpose": "Syfte",
                    "goal": "Mål",
                    "actions": ["Göra", "Följa upp"],
                    "years": [PLAN_YEAR],
                    "priority": ["Hög", "Medel", "Låg"][a % 3],
                    "follow_up_rule": "Två gånger per år",
                    "position": position,
                    "retired": False,
                }
            )
            for position_owner, name in enumerate(rng.sample(STAFF, 2)):
                owners.append({"activity_id": a + 1, "name": name, "position": position_owner})
        session.execute(insert(Activity), activities)
        session.execute(insert(ActivityOwner), owners)
        updates = []
        for year in YEARS:
            for half in (1, 2):
                period = make_period(year, half)
                for a in range(ACTIVITIES):
                    if year == PLAN_YEAR and half == 2 and a % 10 == 0:
                        continue  # one in ten not reported in the period of the report
                    day = period.end - dt.timedelta(days=rng.randrange(0, 60))
                    at = dt.datetime.combine(day, dt.time(9 + rng.randrange(8)), tzinfo=ZONE)
                    updates.append(
                        {
                            "activity_id": a + 1,
                            "light": rng.choice(LIGHTS),
                            "comment": f"Läget {period.label}: " + "arbetet fortsätter. " * 8,
                            "period": period.label,
                            "recorded_at": at,
                            "author_slack_id": f"U{rng.randrange(len(STAFF)):04d}",
                            "source": "slack",
                        }
                    )
        session.execute(insert(ActivityUpdate), updates)
        session.execute(
            insert(Company),
            [
                {
                    "id": i + 1,
                    "name": f"Företag {i + 1} AB",
                    "match_key": f"företag {i + 1}",
                    "cluster": CLUSTERS[i % len(CLUSTERS)],
                    "created_at": now,
                }
                for i in range(COMPANIES)
            ],
        )
        first_day = dt.date(YEARS[0], 1, 1)
        span = (dt.date(PLAN_YEAR, 12, 31) - first_day).days
        visits, participants = [], []
        for v in range(VISITS):
            day = first_day + dt.timedelta(days=rng.randrange(span + 1))
            author = f"U{rng.randrange(len(STAFF)):04d}"
            visits.append(
                {
                    "id": v + 1,
                    "company_id": rng.randrange(COMPANIES) + 1,
                    "visit_date": day,
                    "form": "på plats",
                    "notes": "Pratade kompetensförsörjning",
                    "others": [],
                    "author_id": author,
                    "raw_text": "",
                    "created_at": now,
                    "updated_at": now,
                    "deleted_at": now if v % 50 == 0 else None,
                }
            )
            participants.append({"visit_id": v + 1, "slack_user_id": author})
        session.execute(insert(Visit), visits)
        session.execute(insert(VisitParticipant), participants)
        session.execute(
            insert(KeyFigure),
            [
                {"id": k + 1, "name": f"Nyckeltal {k + 1}", "stratsys": k < 4, "position": k}
                for k in range(8)
            ],
        )
        session.execute(
            insert(KeyFigureValue),
            [
                {
                    "key_figure_id": k + 1,
                    "year": year,
                    "target": "en positiv utveckling",
                    "outcome": f"{rng.randrange(100)}",
                    "met": rng.choice([True, False, None]),
                }
                for k in range(8)
                for year in YEARS
            ],
        )
    return {
        "activities": ACTIVITIES,
        "updates": len(updates),
        "visits": VISITS,
        "companies": COMPANIES,
    }


def collect(knalle: Knalle) -> FollowUpReport:
    with knalle.db.read() as session:
        return collect_report(
            session,
            parse_period(PERIOD),
            zone=knalle.settings.zone,
            visit_target=knalle.settings.visit_target,
        )


def timed(action: Callable[[], object], rounds: int) -> tuple[list[float], object]:
    result: object = None
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        settings = load_settings(_env_file=None, KNALLE_DATABASE_URL=url)
        clock = FixedClock(ZONE, dt.datetime(PLAN_YEAR, 12, 20, 9, tzinfo=ZONE))
        knalle = build_knalle(settings, clock=clock)
        start = time.perf_counter()
        counts = fill(knalle)
        fill_seconds = time.perf_counter() - start
        print(
            f"Data: {counts['activities']} activities, {counts['updates']:,} updates, "
            f"{counts['visits']:,} visits at {counts['companies']:,} companies "
            f"(bulk insert {fill_seconds:.1f} s). Report {PERIOD}, {args.rounds} rounds.\n"
        )
        render(collect(knalle), "xlsx")  # warm up: imports, fonts, matplotlib's font cache
        rows: list[tuple[str, list[float], int | None]] = []
        collect_times, report = timed(lambda: collect(knalle), args.rounds)
        rows.append(("collect (database only)", collect_times, None))
        assert isinstance(report, FollowUpReport)
        for fmt in ("xlsx", "docx", "md"):

            def make(fmt: str = fmt) -> bytes:
                return render(collect(knalle), fmt)

            times, content = timed(make, args.rounds)
            assert isinstance(content, bytes)
            rows.append((f"{fmt} (collect + render)", times, len(content)))
        print("| step | median | min | max | size |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, times, size in rows:
            print(
                f"| {name} | {statistics.median(times) * 1000:.0f} ms | {min(times) * 1000:.0f} ms"
                f" | {max(times) * 1000:.0f} ms | {f'{size / 1024:.0f} KiB' if size else '–'} |"
            )
        knalle.db.dispose()


if __name__ == "__main__":
    main()
