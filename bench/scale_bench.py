"""Everyday paths at three sizes, side by side in one run, on SQLite and PostgreSQL.

Sizes: S = 1,000 visits at 100 companies, M = 10,000 at 1,000, L = 100,000 at 10,000. Every size
has the report bench's plan of 500 activities (13 staff, two owners each), visits spread over 10
years, and 30 years of activity updates (two per activity per year: 30,000 updates), so the
digest, Home and reminders are measured with 30 years of history.

Each operation is timed in-process after one warm-up call; the table shows medians (and the
slowest round). The xlsx export runs as `knalle export visits -o FILE.xlsx` in a child process,
which reports its wall time and peak RSS.

Run: `.venv/bin/python -m bench.scale_bench [--rounds 7] [--sizes S,M,L] [--no-postgres]`.
The SQLite files are built with bulk inserts and kept in bench/.cache/ between runs (the file
name carries the schema head, so a new migration rebuilds them); PostgreSQL gets the same rows in
a throwaway cluster (tests/postgres.py), when initdb is on the machine.
Results go in docs/benchmarks.md ("Flat at scale"); never in a timed unit test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bot.clock import FixedClock
from bot.config import load_settings
from bot.context import Knalle, build_knalle
from bot.core import home
from bot.core.companies import register as companies
from bot.core.followup.calendar import reminder_rounds
from bot.core.followup.digest import personal_digests, team_digest
from bot.core.followup.periods import make_period, parse_period
from bot.core.followup.reminders import reminders_for_round
from bot.core.followup.schedule_config import schedule_of
from bot.core.report import collect_report
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
from tests import units

if TYPE_CHECKING:
    from tests.postgres import Cluster

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
ZONE = ZoneInfo("Europe/Stockholm")
PLAN_YEAR = 2026
NOW = dt.datetime(PLAN_YEAR, 11, 30, 9, tzinfo=ZONE)  # a Monday: the digest's day
VISIT_YEARS = 10
UPDATE_YEARS = 30
ACTIVITIES = 500
CHAPTERS, SECTIONS_PER_CHAPTER = 8, 5
FILL_VERSION = 2  # bump when the data set changes


@dataclass(frozen=True)
class Size:
    name: str
    visits: int
    companies: int


class CompanyRow(TypedDict):
    """A register row as inserted; visits read its name and key back for their search text."""

    id: int
    name: str
    match_key: str
    cluster: str | None
    created_at: dt.datetime


SIZES = {
    "S": Size("S", 1_000, 100),
    "M": Size("M", 10_000, 1_000),
    "L": Size("L", 100_000, 10_000),
}
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
CLUSTERS = [*companies.CLUSTERS, None]
LIGHTS = ["grön", "grön", "gul", "röd", "grå"]
FIRST = [
    "Ellos",
    "Nudie",
    "Borås",
    "Sjuhärads",
    "Viskan",
    "Textil",
    "Mode",
    "Design",
    "Logistik",
    "Handel",
    "Fordon",
    "Kreativ",
    "Norra",
    "Södra",
    "Västra",
    "Östra",
    "Gamla",
    "Nya",
    "Lilla",
    "Stora",
    "Brämhults",
    "Sandareds",
    "Fristads",
    "Dalsjö",
    "Viskafors",
    "Bollebygd",
    "Ulricehamns",
    "Marks",
    "Kinna",
    "Skene",
    "Svenljunga",
    "Tranemo",
    "Herrljunga",
    "Alingsås",
    "Vårgårda",
    "Hestra",
    "Ekås",
    "Byttorps",
    "Norrby",
    "Hässleholmens",
    "Sjöbo",
    "Göta",
    "Tullens",
    "Knalle",
    "Simonsland",
    "Almås",
    "Druvefors",
]
SECOND = [
    "Bygg",
    "Måleri",
    "Konsult",
    "Textil",
    "Trading",
    "Logistik",
    "Transport",
    "Design",
    "Media",
    "Data",
    "Teknik",
    "Verkstad",
    "El",
    "Rör",
    "Bageri",
    "Café",
    "Frisör",
    "Tryck",
    "Förlag",
    "Import",
    "Export",
    "Lager",
    "Service",
    "Städ",
    "Fastighet",
    "Bil",
    "Cykel",
    "Sport",
    "Optik",
    "Tandvård",
    "Redovisning",
    "Juridik",
    "Arkitekt",
    "Reklam",
    "Event",
    "Musik",
    "Foto",
    "Film",
    "Spel",
    "Mjukvara",
    "Energi",
    "Sol",
    "Vind",
    "Skog",
    "Trä",
    "Metall",
    "Plast",
    "Kemi",
    "Livsmedel",
    "Kaffe",
    "Choklad",
    "Glass",
    "Bryggeri",
    "Vin",
]
NOTES = [
    "Pratade kompetensförsörjning och rekrytering",
    "Lokalfrågor: vill växa i Viared",
    "Exportrådgivning, kontakt med Business Sweden",
    "Uppföljning av förra besöket, allt väl",
    "Digitalisering av lagret",
    "Hållbarhet och återvinning av textil",
    "Markfrågor och detaljplan",
    "Nyanställningar under hösten",
    "Samverkan med högskolan om praktik",
    "Kompetensförsörjning inom logistik",
]


def company_names(count: int) -> list[str]:
    names = []
    for i in range(count):
        first = FIRST[i % len(FIRST)]
        second = SECOND[(i // len(FIRST)) % len(SECOND)]
        round_ = i // (len(FIRST) * len(SECOND))
        names.append(f"{first} {second}{f' {round_ + 1}' if round_ else ''} AB")
    return names


def fill(
    knalle: Knalle,
    size: Size,
    seed: int = 7,
    *,
    activities_count: int = ACTIVITIES,
    update_years: int = UPDATE_YEARS,
    visit_years: int = VISIT_YEARS,
) -> None:
    """Bulk-insert the whole data set in one transaction (smaller plans for the growth test)."""
    from storage.visit_search import search_text

    rng = random.Random(seed)
    created = dt.datetime(PLAN_YEAR, 1, 1, tzinfo=dt.UTC)
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
                    "created_at": created,
                }
                for i, name in enumerate(STAFF)
            ],
        )
        session.execute(
            insert(Plan),
            [{"id": 1, "year": PLAN_YEAR, "name": f"Plan {PLAN_YEAR}", "imported_at": created}],
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
        for a in range(activities_count):
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
        for year in range(PLAN_YEAR - update_years + 1, PLAN_YEAR + 1):
            for half in (1, 2):
                period = make_period(year, half)
                for a in range(activities_count):
                    if year == PLAN_YEAR and half == 2 and a % 10 == 0:
                        continue  # one in ten not reported in the current period
                    day = period.end - dt.timedelta(days=rng.randrange(0, 60))
                    if day > NOW.date():
                        day = NOW.date() - dt.timedelta(days=rng.randrange(1, 30))
                    at = dt.datetime.combine(day, dt.time(9 + rng.randrange(8)), tzinfo=ZONE)
                    updates.append(
                        {
                            "activity_id": a + 1,
                            "light": rng.choice(LIGHTS),
                            "comment": f"Läget {period.label}: arbetet fortsätter.",
                            "period": period.label,
                            "recorded_at": at,
                            "author_slack_id": f"U{rng.randrange(len(STAFF)):04d}",
                            "source": "slack",
                        }
                    )
        session.execute(insert(ActivityUpdate), updates)
        names = company_names(size.companies)
        register: list[CompanyRow] = [
            {
                "id": i + 1,
                "name": name,
                "match_key": companies.match_key(name),
                "cluster": CLUSTERS[i % len(CLUSTERS)],
                "created_at": created,
            }
            for i, name in enumerate(names)
        ]
        session.execute(insert(Company), register)
        first_day = dt.date(PLAN_YEAR - visit_years + 1, 1, 1)
        span = (NOW.date() - first_day).days
        rows, participants = [], []
        for v in range(size.visits):
            day = first_day + dt.timedelta(days=rng.randrange(span + 1))
            author = f"U{rng.randrange(len(STAFF)):04d}"
            company = register[rng.randrange(size.companies)]
            present = [author]
            if v % 3 == 0:
                other = f"U{rng.randrange(len(STAFF)):04d}"
                if other != author:
                    present.append(other)
            notes = NOTES[v % len(NOTES)]
            others = ["KSO"] if v % 7 == 0 else []
            rows.append(
                {
                    "id": v + 1,
                    "company_id": company["id"],
                    "visit_date": day,
                    "form": "på plats",
                    "notes": notes,
                    "others": others,
                    "author_id": author,
                    "raw_text": "",
                    "created_at": created,
                    "updated_at": created,
                    "deleted_at": created if v % 50 == 0 else None,
                    "search_text": search_text(
                        company["name"], company["match_key"], notes, others, present
                    ),
                }
            )
            participants += [{"visit_id": v + 1, "slack_user_id": p} for p in present]
        for start in range(0, len(rows), 20_000):
            session.execute(insert(Visit), rows[start : start + 20_000])
        for start in range(0, len(participants), 20_000):
            session.execute(insert(VisitParticipant), participants[start : start + 20_000])
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
                for year in range(PLAN_YEAR - visit_years + 1, PLAN_YEAR + 1)
            ],
        )


def _head() -> str:
    from alembic.script import ScriptDirectory

    from storage.db import MIGRATIONS, alembic_config, make_engine

    engine = make_engine("sqlite://")
    try:
        config = alembic_config(engine)
        config.set_main_option("script_location", str(MIGRATIONS))
        return ScriptDirectory.from_config(config).get_current_head() or "none"
    finally:
        engine.dispose()


def make_knalle(url: str) -> Knalle:
    settings = load_settings(
        _env_file=None,
        KNALLE_DATABASE_URL=url,
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET="bench",
    )
    return build_knalle(settings, clock=FixedClock(ZONE, NOW))


def sqlite_file(size: Size) -> Path:
    """The size's SQLite file, built once per schema head and data version."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"scale-{size.name}-{_head()}-v{FILL_VERSION}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        knalle = make_knalle(f"sqlite:///{partial}")
        start = time.perf_counter()
        fill(knalle, size)
        knalle.db.dispose()
        partial.rename(path)
        print(f"built {path.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return path


def operations(knalle: Knalle) -> dict[str, Callable[[], object]]:
    today = NOW.date()
    settings = knalle.settings
    schedule = schedule_of(settings)
    round_ = reminder_rounds(today.year, schedule)[-1]
    as_of = NOW

    def read(action: Callable[..., object]) -> Callable[[], object]:
        def run() -> object:
            with knalle.db.read() as session:
                return action(session)

        return run

    return {
        "search `kompetens` (hit)": lambda: units.search(knalle, "kompetens"),
        "search `volvo` (no hit)": lambda: units.search(knalle, "volvo"),
        "search `pia kompetens`": lambda: units.search(knalle, "pia kompetens"),
        "company type-ahead `sjuh`": lambda: units.suggest_companies(knalle, "sjuh"),
        # A typo is no prefix of any name: every key is scored (WRatio) to find the close ones.
        "company type-ahead, typo `sjuhards`": lambda: units.suggest_companies(knalle, "sjuhards"),
        "fuzzy match of a new name": read(lambda s: companies.match_company(s, "Ellos Byggare")),
        "statistik": lambda: units.statistics(knalle),
        "Home": read(
            lambda s: home.home_data(
                s,
                "U0004",
                today,
                followup_dates=settings.followup_dates,
                visit_target=settings.visit_target,
            )
        ),
        "Monday digest data": read(
            lambda s: (
                team_digest(s, today, schedule, settings.visit_target, as_of),
                personal_digests(s, today, schedule, as_of),
            )
        ),
        "reminder round": read(lambda s: reminders_for_round(s, round_, as_of)),
        "report collect 2026-H2": read(
            lambda s: collect_report(
                s, parse_period("2026-H2"), zone=ZONE, visit_target=settings.visit_target
            )
        ),
    }


def timed(action: Callable[[], object], rounds: int) -> list[float]:
    action()  # warm-up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


EXPORT_CHILD = """
import sys, time
start = time.perf_counter()
from bot import cli
code = cli.main(["export", "visits", "-o", sys.argv[1]])
took = time.perf_counter() - start
# VmHWM is this process's own peak (ru_maxrss would carry the forking parent's over exec).
status = open("/proc/self/status").read()
peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(f"{took:.3f} {peak:.0f} {code}")
"""


def export_xlsx(url: str) -> tuple[float, float]:
    """`knalle export visits -o FILE.xlsx` in a child process: (seconds, peak RSS MiB)."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "KNALLE_DATABASE_URL": url}
        done = subprocess.run(
            [sys.executable, "-c", EXPORT_CHILD, str(Path(folder) / "besok.xlsx")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        took, peak, code = done.stdout.split()[-3:]
        assert code == "0", done.stderr
        return float(took), float(peak)


def fmt(seconds: float) -> str:
    ms = seconds * 1000
    if ms >= 1000:
        return f"{seconds:,.2f} s"
    return f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def measure(url: str, rounds: int) -> dict[str, str]:
    knalle = make_knalle(url)
    cells = {}
    try:
        for name, action in operations(knalle).items():
            times = timed(action, rounds)
            cells[name] = f"{fmt(statistics.median(times))} ({fmt(max(times))})"
    finally:
        knalle.db.dispose()
    took, peak = export_xlsx(url)
    cells["export visits xlsx (child process)"] = f"{fmt(took)}, {peak:.0f} MiB"
    return cells


def postgres_urls(sizes: list[Size]) -> tuple[Cluster | None, dict[str, str]]:
    sys.path.insert(0, str(ROOT))
    from tests import postgres

    reason = postgres.why_unavailable()
    if reason:
        print(f"no PostgreSQL: {reason}", file=sys.stderr)
        return None, {}
    cluster = postgres.start_cluster()
    urls = {}
    for size in sizes:
        url = cluster.empty_database()
        knalle = make_knalle(url)
        start = time.perf_counter()
        fill(knalle, size)
        # As autovacuum would have done by now: statistics, and the visibility map that lets
        # the counts read the partial index alone.
        with knalle.db.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        knalle.db.dispose()
        print(
            f"PostgreSQL {size.name} filled in {time.perf_counter() - start:.1f} s", file=sys.stderr
        )
        urls[size.name] = url
    return cluster, urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = [SIZES[name] for name in args.sizes.split(",")]
    columns: dict[tuple[str, str], dict[str, str]] = {}
    load_before = os.getloadavg()
    for size in sizes:
        columns[("SQLite", size.name)] = measure(f"sqlite:///{sqlite_file(size)}", args.rounds)
    if not args.no_postgres:
        cluster, urls = postgres_urls(sizes)
        try:
            for size in sizes:
                if size.name in urls:
                    columns[("PostgreSQL", size.name)] = measure(urls[size.name], args.rounds)
        finally:
            if cluster is not None:
                cluster.stop()
    load_after = os.getloadavg()
    keys = list(columns)
    print(
        f"{args.rounds} rounds after one warm-up; median (slowest). Load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; "
        f"peak RSS of the bench {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB.\n"
    )
    print("| operation | " + " | ".join(f"{db} {size}" for db, size in keys) + " |")
    print("| --- |" + " ---: |" * len(keys))
    for name in next(iter(columns.values())):
        print(f"| {name} | " + " | ".join(columns[key].get(name, "–") for key in keys) + " |")


if __name__ == "__main__":
    main()
