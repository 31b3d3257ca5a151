"""The company register: one row per company, however people spell it.

"Ellos", "Ellos AB" and "ELLOS GROUP AB" share one match key (lower case, legal suffixes
dropped) and so are one company. A name whose key is new but close to a known one ("Elos",
"Textil Fashion Centre") is *unsure*: the surface asks the user which one was meant.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from bot.errors import Ambiguous, InvalidInput, NotFound
from storage import companies as register
from storage.claims import insert_if_absent
from storage.models import Company

NAME_LIMIT = 200  # companies.name is String(200)
# token_sort_ratio on match keys, 0–100. At or above SURE the spelling differs only by a space or
# an apostrophe ("Maj's Bageri" / "Majs Bageri"); from UNSURE up the user is asked.
SURE_SCORE = 95.0
UNSURE_SCORE = 75.0
MAX_CANDIDATES = 4

CLUSTERS = (
    "Textil/mode/design",
    "Handel och logistik",
    "Högteknologi/fordon",
    "Kreativa näringar",
    "Övrigt",
)

# Legal forms and the town, as token sequences; dropped from the end (and a leading "AB").
_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("ab",),
    ("aktiebolag",),
    ("publ",),
    ("group",),
    ("hb",),
    ("handelsbolag",),
    ("kb",),
    ("kommanditbolag",),
    ("ek", "för"),
    ("ek", "forening"),
    ("ekonomisk", "förening"),
    ("i", "borås"),
)
_APOSTROPHES = re.compile(r"['’´`]")
_NOT_WORD = re.compile(r"[^\w&]+")
_ORG_NUMBER = re.compile(r"^(\d{6})-?(\d{4})$")

CompanyChoice = int | Literal["new"] | None


@dataclass(frozen=True)
class Candidate:
    company_id: int
    name: str
    score: float


@dataclass(frozen=True)
class CompanyMatch:
    """What a typed name means: a known company, a new one, or a choice for the user."""

    name: str
    key: str
    company: Company | None
    candidates: tuple[Candidate, ...] = ()

    @property
    def is_sure(self) -> bool:
        return self.company is not None or not self.candidates


class UnsureCompany(Ambiguous):
    """The typed name is close to known companies; the user picks one or a new company."""

    def __init__(self, name: str, candidates: tuple[Candidate, ...]) -> None:
        names = ", ".join(c.name for c in candidates)
        super().__init__(
            f'Menar du något av de här företagen: {names}? Välj ett, eller "Nytt företag" '
            f"om {name} är ett annat företag.",
            [c.name for c in candidates],
        )
        self.name = name
        self.choices = candidates


def clean_name(name: str) -> str:
    """The name as it is stored and shown: NFC, single spaces, no surrounding space."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def match_key(name: str) -> str:
    """Lower case, punctuation and legal suffixes dropped: equal keys are the same company.

    >>> match_key("ELLOS GROUP AB") == match_key("Ellos") == "ellos"
    True
    """
    text = _APOSTROPHES.sub("", clean_name(name).casefold())
    tokens = [t for t in _NOT_WORD.sub(" ", text).split() if t]
    original = list(tokens)
    changed = True
    while changed and tokens:
        changed = False
        for suffix in _SUFFIXES:
            n = len(suffix)
            if len(tokens) > n and tuple(tokens[-n:]) == suffix:
                del tokens[-n:]
                changed = True
    if len(tokens) > 1 and tokens[0] == "ab":
        tokens = tokens[1:]
    return " ".join(tokens or original)[:NAME_LIMIT]


def check_name(name: str) -> str:
    cleaned = clean_name(name)
    if not match_key(cleaned):
        raise InvalidInput(
            "Företagsnamnet saknas. Börja med företaget, t.ex. `/besök Ellos AB igår`."
        )
    if len(cleaned) > NAME_LIMIT:
        raise InvalidInput(
            f"Företagsnamnet är för långt ({len(cleaned)} tecken, högst {NAME_LIMIT}). "
            "Skriv bara företagets namn först och resten som anteckning efter ett kommatecken."
        )
    return cleaned


def normalise_org_number(value: str) -> str:
    """ "5561234567" or "556123-4567" → "556123-4567"; Swedish message otherwise."""
    match = _ORG_NUMBER.match(value.strip().replace(" ", ""))
    if not match:
        raise InvalidInput(
            f'Organisationsnumret "{value}" kan jag inte läsa. Skriv tio siffror, '
            "t.ex. 556123-4567."
        )
    return f"{match.group(1)}-{match.group(2)}"


def check_cluster(value: str) -> str:
    for cluster in CLUSTERS:
        if cluster.casefold() == value.strip().casefold():
            return cluster
    raise InvalidInput(f'Klustret "{value}" finns inte. Välj ett av: {", ".join(CLUSTERS)}.')


def match_company(session: Session, name: str) -> CompanyMatch:
    """Exact key → that company; a close key → candidates (unsure); nothing close → new."""
    cleaned = check_name(name)
    key = match_key(cleaned)
    exact = register.by_match_key(session, key)
    if exact is not None:
        return CompanyMatch(name=cleaned, key=key, company=exact)
    keys = register.match_keys(session)
    if not keys:
        return CompanyMatch(name=cleaned, key=key, company=None)
    found = process.extract(
        key, keys, scorer=fuzz.token_sort_ratio, limit=MAX_CANDIDATES * 2, score_cutoff=0
    )
    scored: list[tuple[int, float]] = []
    for _key, score, company_id in found:
        # A name that is all of another's words ("Volvo" / "Volvo Cars") is worth asking about.
        if score < UNSURE_SCORE and fuzz.token_set_ratio(key, keys[company_id]) == 100:
            score = UNSURE_SCORE
        if score >= UNSURE_SCORE:
            scored.append((company_id, float(score)))
    scored.sort(key=lambda item: -item[1])
    if scored and scored[0][1] >= SURE_SCORE:
        best = register.by_id(session, scored[0][0])
        return CompanyMatch(name=cleaned, key=key, company=best)
    rows = register.by_ids(session, [company_id for company_id, _ in scored[:MAX_CANDIDATES]])
    candidates = [
        Candidate(company_id, rows[company_id].name, round(score, 1))
        for company_id, score in scored[:MAX_CANDIDATES]
        if company_id in rows
    ]
    return CompanyMatch(name=cleaned, key=key, company=None, candidates=tuple(candidates))


def add_or_get(
    session: Session,
    name: str,
    now: dt.datetime,
    *,
    org_number: str | None = None,
    cluster: str | None = None,
) -> Company:
    """The company with this name's key, created when absent (safe when two add it at once)."""
    cleaned = check_name(name)
    key = match_key(cleaned)
    insert_if_absent(
        session,
        Company,
        {
            "name": cleaned,
            "match_key": key,
            "org_number": normalise_org_number(org_number) if org_number else None,
            "cluster": check_cluster(cluster) if cluster else None,
            "created_at": now,
        },
    )
    row = register.by_match_key(session, key)
    assert row is not None  # inserted just now, or already there
    return row


def resolve(session: Session, name: str, now: dt.datetime, choice: CompanyChoice = None) -> Company:
    """The company a visit is for. Raises UnsureCompany when the user must choose first.

    `choice` is the user's answer to that question: a company id, or "new" for a new company.
    """
    if isinstance(choice, int):
        chosen = register.by_id(session, choice)
        if chosen is None:
            raise NotFound("Företaget finns inte längre i registret. Skriv besöket igen.")
        return chosen
    found = match_company(session, name)
    if found.company is not None:
        return found.company
    if found.candidates and choice != "new":
        raise UnsureCompany(found.name, found.candidates)
    return add_or_get(session, found.name, now)


def suggest(session: Session, query: str, limit: int = 10) -> list[Candidate]:
    """Register entries for a type-ahead box, best first: prefix matches, then fuzzy ones."""
    key = match_key(query) if query.strip() else ""
    companies = register.all_companies(session)
    if not key:
        return [Candidate(c.id, c.name, 0.0) for c in companies[:limit]]
    scored = []
    for company in companies:
        if company.match_key.startswith(key) or company.name.casefold().startswith(key):
            score = 100.0
        else:
            score = float(fuzz.WRatio(key, company.match_key))
        if score >= 60:
            scored.append(Candidate(company.id, company.name, score))
    scored.sort(key=lambda c: (-c.score, c.name.casefold()))
    return scored[:limit]


def _cluster_named(value: str) -> str:
    """A cluster by its name or a word of it ("textil", "fordon"); check_cluster's message."""
    wanted = value.strip().casefold()
    if len(wanted) >= 3:
        fits = [
            cluster
            for cluster in CLUSTERS
            if any(word.startswith(wanted) for word in re.split(r"[/\s]+", cluster.casefold()))
        ]
        if len(fits) == 1:
            return fits[0]
    return check_cluster(value)


def set_details(
    session: Session,
    name: str,
    *,
    org_number: str | None = None,
    cluster: str | None = None,
) -> Company:
    """Give a registered company its organisation number and/or cluster. The caller commits.

    The name is matched as a visit's company is (any spelling of one company); a name close to
    several raises Ambiguous, an unknown one NotFound: companies enter the register by a visit.
    """
    if org_number is None and cluster is None:
        raise InvalidInput(
            "Ange vad som ska sparas: --orgnr 556123-4567 och/eller --kluster "
            f"({', '.join(CLUSTERS)})."
        )
    number = normalise_org_number(org_number) if org_number is not None else None
    chosen = _cluster_named(cluster) if cluster is not None else None
    found = match_company(session, name)
    company = found.company
    if company is None and found.candidates:
        names = [c.name for c in found.candidates]
        raise Ambiguous(
            f'"{name}" kan vara flera företag: {", ".join(names)}. Skriv namnet som i listan '
            "(`knalle company list`).",
            names,
        )
    if company is None:
        raise NotFound(
            f'"{name}" finns inte i företagsregistret. Ett företag kommer in i registret med '
            "sitt första besök (`/besök …`); `knalle company list` visar registret."
        )
    if number is not None:
        holder = register.by_org_number(session, number)
        if holder is not None and holder.id != company.id:
            raise InvalidInput(
                f"Organisationsnumret {number} hör redan till {holder.name}. "
                "Kontrollera numret, eller ändra det företaget först."
            )
        company.org_number = number
    if chosen is not None:
        company.cluster = chosen
    session.flush()
    return company
