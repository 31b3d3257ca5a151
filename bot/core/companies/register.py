"""The company register: one row per company, however people spell it.

"Ellos", "Ellos AB" and "ELLOS GROUP AB" share one match key (lower case, legal suffixes
dropped) and so are one company. A name whose key is new but close to a known one ("Elos",
"Textil Fashion Centre") is *unsure*: the surface asks the user which one was meant.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from bot.errors import Ambiguous, InvalidInput, NotFound
from storage import companies as register
from storage import register_version
from storage.claims import insert_if_absent
from storage.models import Company

if TYPE_CHECKING:
    from bot.core.companies.typeahead import FuzzyIndex

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


def _luhn_ok(digits: str) -> bool:
    """The check digit of a Swedish organisation number (the Luhn algorithm over all ten)."""
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def normalise_org_number(value: str) -> str:
    """ "5561234567" or "556123-4567" → "556123-4567", its check digit checked; Swedish
    message otherwise."""
    match = _ORG_NUMBER.match(value.strip().replace(" ", ""))
    if not match:
        raise InvalidInput(
            f'Organisationsnumret "{value}" kan jag inte läsa. Skriv tio siffror, '
            "t.ex. 556123-4567."
        )
    if not _luhn_ok(match.group(1) + match.group(2)):
        raise InvalidInput(
            f"Organisationsnumret {match.group(1)}-{match.group(2)} stämmer inte: "
            "kontrollsiffran (den sista) är fel. Kontrollera numret, t.ex. på allabolag.se."
        )
    return f"{match.group(1)}-{match.group(2)}"


def looks_like_org_number(text: str) -> bool:
    return _ORG_NUMBER.match(text.strip().replace(" ", "")) is not None


_DIGITS = re.compile(r"\d+")


def token_sorted(key: str) -> str:
    """A key's words sorted, as token_sort_ratio compares them."""
    return " ".join(sorted(key.split()))


def score(typed_key: str, known_key: str) -> float:
    """How alike two match keys are, 0–100: the one scoring function of the register.

    Numbers in names are identity: "björnen 3" and "björnen 4" score 0, never asked about.
    A name that is all of another's words ("volvo" / "volvo cars") is worth asking about.
    """
    if _DIGITS.findall(typed_key) != _DIGITS.findall(known_key):
        return 0.0
    value = float(fuzz.token_sort_ratio(typed_key, known_key))
    if value < UNSURE_SCORE and fuzz.token_set_ratio(typed_key, known_key) == 100:
        value = UNSURE_SCORE
    return value


def check_cluster(value: str) -> str:
    for cluster in CLUSTERS:
        if cluster.casefold() == value.strip().casefold():
            return cluster
    raise InvalidInput(f'Klustret "{value}" finns inte. Välj ett av: {", ".join(CLUSTERS)}.')


def match_company(session: Session, name: str) -> CompanyMatch:
    """An organisation number → its company (the strongest match); an exact key (the name's
    own or an alias) → that company; close keys → candidates (unsure); nothing close → new."""
    if looks_like_org_number(name):
        number = normalise_org_number(name)
        holder = register.by_org_number(session, number)
        if holder is None:
            raise NotFound(
                f"Inget företag i registret har organisationsnummer {number}. Skriv företagets "
                "namn, eller ge det numret med `knalle company set NAMN --orgnr NUMMER`."
            )
        return CompanyMatch(name=holder.name, key=holder.match_key, company=holder)
    cleaned = check_name(name)
    key = match_key(cleaned)
    exact = register.own_key_holder(session, key)
    if exact is not None:
        return CompanyMatch(name=cleaned, key=key, company=exact)
    # An alias's key (a merged or renamed name) means its company: looked up in the cached
    # register, whose version is read anyway for the fuzzy pass (one statement fewer than
    # asking the database, ~0.5 ms on PostgreSQL).
    cached = _cached_register(session)
    company_of_alias = cached.aliases.get(key)
    if company_of_alias is not None:
        by_alias = register.by_id(session, company_of_alias)
        if by_alias is not None:
            return CompanyMatch(name=cleaned, key=key, company=by_alias)
    pairs = cached.pairs
    if not pairs:
        return CompanyMatch(name=cleaned, key=key, company=None)
    # A quick first pass, score() decides. token_sort_ratio is ratio over each side's words
    # sorted; the register's side is sorted once per version, so this pass is plain ratio
    # (same scores, about 4x faster over 10,000 keys).
    found = process.extract(
        token_sorted(key),
        cached.sorted_keys,
        scorer=fuzz.ratio,
        limit=MAX_CANDIDATES * 4,
        score_cutoff=0,
    )
    top: dict[int, float] = {}
    for _sorted, _rough, index in found:
        company_id, known = pairs[index]
        value = score(key, known)
        if value >= UNSURE_SCORE and value > top.get(company_id, 0.0):
            top[company_id] = value
    scored = sorted(top.items(), key=lambda item: -item[1])
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
    known = register.by_match_key(session, key)  # an alias's key means that company
    if known is not None:
        return known
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
    """Register entries for a type-ahead box, best first: prefix matches, then fuzzy ones.

    A prefix match (of the match key or the folded name) scores 100, a fuzzy one its WRatio
    from 60; ties by name. Prefix matches are found by bisecting the cached register's sorted
    keys and names. A fuzzy score is 100 only for a key equal to the typed one, which is a
    prefix match already, so when `limit` prefix matches exist no fuzzy score can enter the
    answer and none is computed. Otherwise only the keys that can still enter the answer are
    scored (typeahead.py: a bound of WRatio for every key at once, best bound first); the
    answer is that of scoring every key with RapidFuzz's `process.extract`.
    """
    key = match_key(query) if query.strip() else ""
    cached = _cached_register(session)
    if not key:
        return [
            Candidate(company_id, name, 0.0) for company_id, name, _, _ in cached.by_name[:limit]
        ]
    prefixed = _prefixed(cached.sorted_name_keys, key) | _prefixed(cached.sorted_folded, key)
    scores: dict[int, float] = dict.fromkeys(prefixed, 100.0)
    if len(scores) < limit:
        cached.fuzzy.add_best(key, limit, scores)
    by_name = cached.by_name
    best = heapq.nsmallest(
        limit, scores, key=lambda index: (-scores[index], by_name[index][3], index)
    )
    return [Candidate(by_name[index][0], by_name[index][1], scores[index]) for index in best]


def _prefixed(ordered: list[tuple[str, int]], prefix: str) -> set[int]:
    """The indexes of the (text, index) pairs whose text starts with `prefix`: one range of
    the sorted list."""
    found = set()
    for position in range(bisect.bisect_left(ordered, (prefix, -1)), len(ordered)):
        text, index = ordered[position]
        if not text.startswith(prefix):
            break
        found.add(index)
    return found


# -- the register in memory ------------------------------------------------------------------


@dataclass(frozen=True)
class _Register:
    """What matching and type-ahead read on every keystroke, as of one register version."""

    version: int
    pairs: list[tuple[int, str]]  # (company id, key): own keys, then aliases' keys
    aliases: dict[str, int]  # alias key → its company's id (an alias key is unique)
    sorted_keys: list[str]  # the keys of `pairs`, words sorted (token_sorted), for extract
    by_name: list[tuple[int, str, str, str]]  # (id, name, match key, folded name) by name
    name_keys: list[str]  # the match keys of `by_name`
    sorted_name_keys: list[tuple[str, int]]  # (match key, index in by_name), sorted
    sorted_folded: list[tuple[str, int]]  # (folded name, index in by_name), sorted

    @cached_property
    def fuzzy(self) -> FuzzyIndex:
        """The type-ahead's bounds over `name_keys`: built on the first typo of a version
        (numpy and 10,000 keys: not at start, nor on every reload)."""
        from bot.core.companies.typeahead import FuzzyIndex

        # The companies' own keys lead `pairs`, their words sorted in `sorted_keys` already.
        own = {pair: index for index, pair in reversed(list(enumerate(self.pairs)))}
        sorted_keys = []
        for company_id, _, key, _ in self.by_name:
            at = own.get((company_id, key))
            sorted_keys.append(token_sorted(key) if at is None else self.sorted_keys[at])
        order = [index for _, index in self.sorted_folded]
        return FuzzyIndex(self.name_keys, sorted_keys, order)


_REGISTERS: dict[str, _Register] = {}
_REGISTERS_LOCK = threading.Lock()


def _cached_register(session: Session) -> _Register:
    """The register as of its current version: one primary-key read while nothing changed
    (here or on another replica: the version is kept by database triggers), a reload after."""
    version = register_version.current(session)
    where = str(session.get_bind().engine.url)
    cached = _REGISTERS.get(where)
    if cached is not None and cached.version == version:
        return cached
    alias_pairs = register.alias_keys(session)
    pairs = list(register.match_keys(session).items()) + alias_pairs
    by_name = [
        (c.id, c.name, c.match_key, c.name.casefold()) for c in register.all_companies(session)
    ]
    fresh = _Register(
        version=version,
        pairs=pairs,
        aliases={known: company_id for company_id, known in alias_pairs},
        sorted_keys=[token_sorted(known) for _, known in pairs],
        by_name=by_name,
        name_keys=[known for _, _, known, _ in by_name],
        sorted_name_keys=sorted((known, index) for index, (_, _, known, _) in enumerate(by_name)),
        sorted_folded=sorted((folded, index) for index, (_, _, _, folded) in enumerate(by_name)),
    )
    with _REGISTERS_LOCK:
        _REGISTERS[where] = fresh
    return fresh


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
    company = find_one(session, name)
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


def find_one(session: Session, name: str) -> Company:
    """The one registered company a name (any spelling, an alias, an org number) means.

    A name close to several raises Ambiguous, an unknown one NotFound: companies enter the
    register by a visit.
    """
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
    return company


def rename(session: Session, old: str, new: str, now: dt.datetime) -> tuple[str, Company]:
    """Give a company a new name; the old one stays as an alias. The caller commits.

    Returns the old name and the company. A new name that is another company's refuses and
    points to merge.
    """
    company = find_one(session, old)
    cleaned = check_name(new)
    key = match_key(cleaned)
    holder = register.by_match_key(session, key)
    if holder is not None and holder.id != company.id:
        raise InvalidInput(
            f"{holder.name} finns redan i registret. Är det samma företag, slå ihop dem: "
            f'`knalle company merge "{company.name}" "{holder.name}"`.'
        )
    before = company.name
    alias = register.alias_by_key(session, key)
    if alias is not None:
        session.delete(alias)  # the new name was an alias of this company: now its own
        session.flush()
    old_key = company.match_key
    company.name, company.match_key = cleaned, key
    session.flush()
    if old_key != key:
        register.add_alias(session, company, before, old_key, now)
    return before, company


@dataclass(frozen=True)
class Merged:
    removed: str  # FROM's name, now an alias of INTO
    into: Company
    visits_moved: int


def merge(session: Session, source: str, target: str, now: dt.datetime) -> Merged:
    """FROM's visits move to INTO; FROM's name and aliases become INTO's aliases; FROM goes.

    INTO keeps its own organisation number and cluster, and takes FROM's when it has none.
    """
    origin = find_one(session, source)
    into = find_one(session, target)
    if origin.id == into.id:
        raise InvalidInput(
            f'"{source}" och "{target}" är redan samma företag ({into.name}). '
            "Kontrollera namnen i `knalle company list`."
        )
    moved = register.move_visits(session, origin.id, into.id)
    register.move_aliases(session, origin.id, into.id)
    number, cluster = origin.org_number, origin.cluster
    name, key = origin.name, origin.match_key
    session.delete(origin)
    session.flush()
    register.add_alias(session, into, name, key, now)
    if into.org_number is None and number is not None:
        into.org_number = number
    if into.cluster is None and cluster is not None:
        into.cluster = cluster
    session.flush()
    session.expire(into, ["visits", "aliases"])
    return Merged(removed=name, into=into, visits_moved=moved)


class HasVisits(InvalidInput):
    """The company has visits: removing it removes them too, so the user must say so."""

    def __init__(self, name: str, count: int) -> None:
        super().__init__(
            f"{name} har {count} besök. Ta bara bort företaget om besöken också ska bort "
            f'(`knalle company remove "{name}" --with-visits`), eller slå ihop det med rätt '
            f'företag: `knalle company merge "{name}" RÄTT-FÖRETAG`.'
        )
        self.name = name
        self.count = count


def visit_count(session: Session, name: str) -> tuple[Company, int]:
    company = find_one(session, name)
    return company, register.visit_count(session, company.id)


def remove(session: Session, name: str, *, with_visits: bool = False) -> tuple[str, int]:
    """Take a company out of the register: only without visits, or with them (`with_visits`).

    Returns its name and how many visits went with it. The caller commits.
    """
    company, count = visit_count(session, name)
    if count and not with_visits:
        raise HasVisits(company.name, count)
    removed = company.name
    register.delete_company(session, company)
    return removed, count
