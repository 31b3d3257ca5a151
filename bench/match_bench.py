"""One `/besök` line read and its company matched, against registers of 100, 1,000 and 10,000.

Run: `.venv/bin/python -m bench.match_bench`. Results go in docs/benchmarks.md (never a timed
unit test: these shared 2-core machines are noisy). Each size is a fresh SQLite file with that
many companies (generated names: words, numbers, legal forms) and one alias per ten companies.
Timed: parse_visit of the line, then match_company for its company in one read session, as
record() does, for an exact name, a one-letter typo (asked about) and a new company.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.config import Settings
from bot.context import build_knalle
from bot.core.companies import register as companies
from bot.core.companies.register import match_key
from bot.core.text.dates import warm_up
from bot.core.visits.parser import parse_visit
from storage.models import Company, CompanyAlias

WORDS = [
    "Borås", "Textil", "Väveri", "Logistik", "Bygg", "Energi", "Miljö", "Handel", "Design",
    "Mode", "Fastighets", "Björnen", "Knalle", "Nordic", "Science", "Park", "Center", "Viared",
    "Sandared", "Almåsa", "Digital", "Data", "Industri", "Plast", "Metall", "Trä", "Mat",
    "Bageri", "Café", "Konsult", "Media", "Event", "Transport", "Lager", "Frakt", "Service",
]
FORMS = ("AB", "HB", "KB", "Aktiebolag", "", "")
TODAY = dt.date(2026, 12, 1)


def names(count: int, rng: random.Random) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        parts = rng.sample(WORDS, rng.randint(1, 3))
        if rng.random() < 0.3:
            parts.append(str(rng.randint(1, 99)))
        name = " ".join([*parts, rng.choice(FORMS)]).strip()
        key = match_key(name)
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def measure(size: int, runs: int) -> dict[str, float]:
    rng = random.Random(size)
    register = names(size, rng)
    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        knalle = build_knalle(
            Settings(KNALLE_DATABASE_URL=url),
            clock=FixedClock(zone=ZoneInfo("Europe/Stockholm"), current=now),
        )
        with knalle.db.write() as session:
            session.add_all(
                Company(name=n, match_key=match_key(n), created_at=now) for n in register
            )
            session.flush()
            for company_id in range(1, size + 1, 10):
                alias = f"Gamla {register[company_id - 1]} Alias {company_id}"
                session.add(
                    CompanyAlias(
                        company_id=company_id,
                        name=alias,
                        match_key=match_key(alias),
                        created_at=now,
                    )
                )
        known = register[size // 2]
        typo = known[:2] + known[3:] if len(known) > 4 else known + "x"
        lines = {
            "exact": f"{known} igår med <@U0PIA|pia>, pratade kompetensförsörjning",
            "typo": f"{typo} igår med <@U0PIA|pia>, pratade kompetensförsörjning",
            "new": "Helt Nytt Företag Zyxw AB igår med <@U0PIA|pia>, pratade lokaler",
        }
        results: dict[str, float] = {}
        for label, line in lines.items():
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                parsed = parse_visit(line, TODAY)
                with knalle.db.read() as session:
                    companies.match_company(session, parsed.company)
                timings.append((time.perf_counter() - start) * 1000)
            results[label] = statistics.median(timings)
        knalle.db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    warm_up()
    print(
        f"{'companies':>10}  {'exact ms':>9}  {'typo ms':>9}  {'new ms':>9}"
        f"  (median of {args.runs})"
    )
    for size in (100, 1_000, 10_000):
        r = measure(size, args.runs)
        print(f"{size:>10}  {r['exact']:>9.2f}  {r['typo']:>9.2f}  {r['new']:>9.2f}")


if __name__ == "__main__":
    main()
