"""A year (or many) of visits with notes as the unit writes them, for the synpunkter bench and
for looking at the compilation: companies in the five clusters, notes built from sentences on
the themes (and some on nothing in particular), some visits with a politician.

`fill(knalle, visits=150, years=(2022,))` bulk-inserts them and tags them with the list.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert

from bot.context import Knalle
from storage.models import Company, Visit
from tests import units

CLUSTERS = (
    "Textil/mode/design",
    "Handel och logistik",
    "Högteknologi/fordon",
    "Kreativa näringar",
    "Övrigt",
)
COMPANY_WORDS = (
    "Borås", "Viared", "Sandared", "Fristad", "Dalsjö", "Sjuhärad", "Knalle", "Väv", "Textil",
    "Nordic", "Logistik", "Mekaniska", "Bygg", "Design", "Tryck", "Plast", "Data", "Elteknik",
)  # fmt: skip
COMPANY_FORMS = ("AB", "i Borås AB", "Group AB", "& Co AB", "Sverige AB")
SENTENCES = (
    "De har svårt att rekrytera erfarna svetsare och CNC-operatörer.",
    "Kompetensbristen är det som bromsar tillväxten mest just nu.",
    "Personalbristen gör att de tackar nej till order.",
    "Vill samarbeta med Högskolan i Borås om praktikplatser för studenter.",
    "Rekryteringen av ingenjörer tar över ett halvår.",
    "Behöver större lokaler inom två år och tittar på mark i Viared.",
    "Lokalerna i centrum är för små; de vill bygga ut lagret.",
    "Frågade om ledig verksamhetsmark nära riksväg 40.",
    "Detaljplanen för tomten har dragit ut på tiden.",
    "Trafiksituationen vid Knalleland är besvärlig för leveranserna.",
    "Saknar bra kollektivtrafik för de anställda som pendlar från Alingsås.",
    "Götalandsbanan är avgörande för deras rekrytering från Göteborg.",
    "Elpriserna har nästan fördubblat deras kostnader.",
    "Investerar i solceller på taket och vill veta mer om elnätet.",
    "Effektbristen i elnätet hindrar en ny produktionslinje.",
    "Upplever långa handläggningstider för bygglov.",
    "Bra bemötande från miljöförvaltningen vid senaste tillsynen.",
    "Tycker att kontakten med kommunen har blivit enklare med företagslotsen.",
    "Vill lämna anbud i kommunens upphandlingar men tycker att kraven är krångliga.",
    "Har vunnit ett ramavtal med Borås Stad.",
    "Söker finansiering för en ny maskin och har pratat med Almi.",
    "Fick korttidspermittering under pandemin och klarade sig tack vare det.",
    "Letar riskkapital för att växa.",
    "Exporterar till Norge och Tyskland och vill in på nya marknader.",
    "Funderar på att etablera sig i USA och vill ha kontakt med Business Sweden.",
    "Arbetar med textilåtervinning och cirkulära affärsmodeller.",
    "Vill bli fossilfria till 2030 och mäter sina utsläpp.",
    "Hållbarhet är ett krav från deras största kunder.",
    "Pratade om företagets historia och framtidsplaner.",
    "Visade runt i produktionen; mycket imponerande.",
    "Allmänt positiva till Borås som företagsort.",
    "Ägarskifte planeras om ett par år.",
)
POLITICIANS = ("KSO", "kommunalrådet Annette Carlson", "KS-ledamot Per Persson")


def company_rows(rng: random.Random, count: int, now: dt.datetime) -> list[dict[str, object]]:
    rows = []
    for i in range(count):
        name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)} {i + 1} "
        name += rng.choice(COMPANY_FORMS)
        rows.append(
            {
                "id": i + 1,
                "name": name,
                "match_key": name.casefold(),
                "org_number": f"55{i:04d}-{rng.randrange(10000):04d}",
                "cluster": rng.choice(CLUSTERS),
                "area": None,
                "created_at": now,
            }
        )
    return rows


def note(rng: random.Random) -> str:
    return " ".join(rng.sample(SENTENCES, rng.choice((1, 2, 2, 3))))


def visit_rows(
    rng: random.Random, count: int, companies: int, years: tuple[int, ...], now: dt.datetime
) -> list[dict[str, object]]:
    rows = []
    for i in range(count):
        year = years[i % len(years)]
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        rows.append(
            {
                "company_id": rng.randrange(companies) + 1,
                "visit_date": day,
                "form": rng.choice(("på plats", "på plats", "digitalt")),
                "notes": note(rng),
                "others": [rng.choice(POLITICIANS)] if rng.random() < 0.4 else [],
                "author_id": rng.choice(("UPIA", "UPER", "UANNIKA")),
                "raw_text": "",
                "follow_up_on": None,
                "created_at": now,
                "updated_at": now,
                "deleted_at": None,
                "submission_key": f"bench-{i}",
            }
        )
    return rows


def fill(
    knalle: Knalle,
    *,
    visits: int = 150,
    companies: int = 60,
    years: tuple[int, ...] = (2022,),
    seed: int = 13,
    tag: bool = True,
) -> None:
    """Bulk-insert companies and visits, then tag every visit with the list (`retag`)."""
    rng = random.Random(seed)
    now = knalle.clock.now()
    with knalle.db.write() as session:
        session.execute(insert(Company), company_rows(rng, companies, now))
        rows = visit_rows(rng, visits, companies, years, now)
        for first in range(0, len(rows), 5000):
            session.execute(insert(Visit), rows[first : first + 5000])
    if tag:
        units.retag(knalle)
