"""One-line visit parser: `/besök Ellos AB igår med <@U1|pia>, pratade …` into a ParsedVisit.

The line is read left to right: an optional date, the company (everything up to the first date
phrase, "med", a person, a form word or a comma), then dates, people and form words in any order,
and the rest is notes. Later comma-separated parts that are wholly a date, a form or a list of
people count as such; anything else is notes, kept as written. Pure: no Slack, no database.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import DamerauLevenshtein

from bot.core.followup.calendar import is_working_day
from bot.core.text import mrkdwn
from bot.core.text.dates import DateMatch, Direction, match_date_at, search_date
from bot.core.text.patterns import LazyPattern
from bot.core.text.sv import sv_date, sv_day
from bot.errors import InvalidDate, InvalidInput

FORM_ON_SITE = "på plats"
FORM_DIGITAL = "digitalt"
MAX_TEXT_LENGTH = 3000  # a section's text limit: the reply shows the line back
MAX_COMPANY_LENGTH = 200  # companies.name

EXAMPLE = "/besök Ellos AB igår med @pia, pratade kompetensförsörjning"
PAST_YEARS_ALLOWED = 5  # a visit further back is a typo ("1026", "för 3000 dagar sedan")


class DateQuestion(InvalidDate):
    """A date phrase that needs the user's answer: a week without a day ("v.47"), a weekday
    that does not fit its date ("tis 27/11"), or a misspelt date word ("igårr").

    `phrase` is the phrase as it stands in the line; `choices` the days to offer (never in the
    future). The answer is the line again with the phrase replaced (`answer_date`).
    """

    def __init__(self, message: str, phrase: str, choices: tuple[dt.date, ...]) -> None:
        super().__init__(message)
        self.phrase = phrase
        self.choices = choices


@dataclass(frozen=True)
class ParsedVisit:
    """What one line of `/besök` says. Text fields are unescaped (ready to store)."""

    company: str
    visit_date: dt.date
    date_text: str | None
    mentioned_user_ids: tuple[str, ...]
    mentioned_names: tuple[str, ...]
    others: tuple[str, ...]
    form: str
    notes: str
    follow_up_on: dt.date | None


# --- Slack tokens --------------------------------------------------------------------------
# Real tokens (<@U…|pia>, <#C…|kanal>, <https://…|text>, <!channel>) are swapped for private-use
# sentinels before anything else, so neither their ids nor their labels can look like a company,
# a date or a plain "@name"; user-typed < > & arrive as entities and are unescaped afterwards.
_S, _E = "\ue000", "\ue001"
_SENTINEL = LazyPattern(_S + r"([MNL])(\d+)" + _E)


@dataclass
class _Token:
    kind: str  # M: user mention, N: plain "@name", L: literal text (a link's label, a channel)
    value: str  # user id, name, or the literal
    label: str = ""


def _tokenise(text: str) -> tuple[str, list[_Token]]:
    tokens: list[_Token] = []

    def keep(token: _Token) -> str:
        tokens.append(token)
        return f"{_S}{token.kind}{len(tokens) - 1}{_E}"

    def slack_token(token: mrkdwn.Token) -> str:
        label = mrkdwn.unescape(token.label)
        if token.user_id:
            label = label.lstrip("@")
            return keep(_Token("M", token.user_id, label or token.user_id))
        if token.kind == "channel":
            return keep(_Token("L", "#" + (label or token.target[1:])))
        if token.kind == "special":
            # <!channel>, <!here>, <!subteam^S1|@team>, <!date^…|fallback>: shown as words only.
            return keep(_Token("L", label or "@" + token.special_name))
        return keep(_Token("L", label or mrkdwn.unescape(token.target)))

    text = mrkdwn.unescape(mrkdwn.replace_tokens(text, slack_token))
    text = mrkdwn.TYPED_NAME.sub(lambda m: keep(_Token("N", m.group(1))), text)
    return text, tokens


def _render(text: str, tokens: list[_Token]) -> str:
    def show(m: re.Match[str]) -> str:
        token = tokens[int(m.group(2))]
        if token.kind == "M":
            return "@" + token.label
        if token.kind == "N":
            return "@" + token.value
        return token.value

    return _SENTINEL.sub(show, text)


# --- Vocabulary ------------------------------------------------------------------------------
_TITLE = LazyPattern(
    r"(?:KSO\d?|KSVO|KS-ordförande(?:n)?|kommunstyrelsens\s+(?:vice\s+)?ordförande"
    r"|(?:vice\s+)?ordförande(?:n)?|ordf\.?"
    r"|kommunalråd(?:et)?|oppositionsråd(?:et)?|kommundirektör(?:en)?|stadsdirektör(?:en)?"
    r"|kommunchef(?:en)?|förvaltningschef(?:en)?|näringslivschef(?:en)?|näringslivsdirektör(?:en)?"
    r"|politiker(?:n|na)?|riksdagsledamot(?:en)?|landshövding(?:en)?|regionråd(?:et)?"
    r"|vd(?::n)?|ceo|ägare(?:n)?|grundare(?:n)?|platschef(?:en)?|fabrikschef(?:en)?"
    r"|hr-chef(?:en)?|ekonomichef(?:en)?|försäljningschef(?:en)?)(?![\w-])",
    re.IGNORECASE,
)
# Words that end the company name: they are never how a Swedish company name goes on.
_CONNECTIVE = LazyPattern(r"(?:tillsammans\s+med|med|och|samt|&|\+)(?=\s|$)", re.IGNORECASE)
_WITH = LazyPattern(r"(?:tillsammans\s+med|med)(?=\s|$)")  # "Ellos Med Mera AB" is a name
_LEAD_WITH = LazyPattern(r"(?:med|och) ")
_NAME_WORD = LazyPattern(r"[^\W\d_][\w'’-]*")
_AND = LazyPattern(r"(?:och|samt|&|\+)(?=\s|$)", re.IGNORECASE)
_TRAILING_WITH = LazyPattern(r"(?:var\s+)?(?:med|också)\s*$", re.IGNORECASE)
_NOTES_START = LazyPattern(
    r"(?:(?i:pratade|pratat|pratar|diskuterade|diskuterat|gick\s+igenom|presenterade|träffade"
    r"|träffat)|(?:om|kring|gällande|angående|ang\.)(?!\s+[A-ZÅÄÖ]))(?=\s|$)"
)  # "Hem om Hörnet AB" keeps its "om": a capital after it continues the name
_DIGITAL = (
    r"(?:via|på|över|per)\s+(?:teams|zoom|skype|meet|video|länk|telefon)"
    r"|(?:teams|zoom|skype|video|telefon)-?möte(?:t)?|(?-i:digitalt|digital|telefon|på\s+distans)"
)
_ON_SITE = r"(?-i:på\s+plats|fysiskt|fysiskt\s+möte)"
# Strict: may end a company name ("Svensk Digital Handel" keeps its capital-D word).
_FORM_STRICT = LazyPattern(rf"(?:(?P<d>{_DIGITAL})|(?P<p>{_ON_SITE}))(?![\w-])", re.IGNORECASE)
# Loose: after the company, where "Teams" or "Digitalt" alone can only mean the form.
_FORM_LOOSE = LazyPattern(
    rf"(?:(?P<d>{_DIGITAL}|digitalt|digital|teams|zoom|skype|distans|videomöte|video|telefon)"
    rf"|(?P<p>på\s+plats|fysiskt))(?![\w-])",
    re.IGNORECASE,
)
_FOLLOW_UP = LazyPattern(
    r"(?<!\w)(?:följ(?:a|er)?\s+upp|uppföljning|återkoppla|återkoppling|påminn(?:\s+mig)?)"
    r"\s+(?:(?:den|till|på)\s+)?",
    re.IGNORECASE,
)
# A time of day is read and dropped: it never lands in the company or the notes.
_TIME = LazyPattern(
    r"(?:(?:kl\.?|klockan)\s*\d{1,2}(?:[:.]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[:.]\d{2})?)?"
    r"|\d{1,2}:\d{2}(?:\s*[-–]\s*\d{1,2}:\d{2})?|(?-i:em|fm|e\.m\.|f\.m\.)"
    r"|på\s+(?:förmiddagen|eftermiddagen|morgonen|kvällen))(?![\w:])",
    re.IGNORECASE,
)
# Date words misspelt ("igårr", "idga", "i tidsags"): asked about, never glued to the company.
_DATE_WORDS = ("igår", "idag", "imorse", "imorgon", "förrgår", "igårkväll")
_DAGS_WORDS = (
    "måndags", "tisdags", "onsdags", "torsdags", "fredags", "lördags", "söndags",
    "förmiddags", "eftermiddags", "förrgår",
)  # fmt: skip
_SEPARATOR = LazyPattern(r",|;|\n|\s[–—-](?=\s)|:(?=\s|$)|\.(?=\s)")
_ABBREVIATIONS = {
    "t.ex", "bl.a", "m.m", "m.fl", "osv", "o.s.v", "dvs", "d.v.s", "etc", "ca", "inkl", "ang",
    "resp", "tel", "nr", "kl", "st", "p.g.a", "pga", "fr.o.m", "t.o.m", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec", "mån", "tis", "ons", "tor",
    "tors", "fre", "lör", "sön", "ordf",
}  # fmt: skip
_STRIP_CONNECTIVE = LazyPattern(r"^[\s,;:–—-]+|[\s,;:–—-]+$")


# --- Clauses ---------------------------------------------------------------------------------
def _is_separator(text: str, m: re.Match[str]) -> bool:
    mark = m.group(0)
    before = text[: m.start()]
    after = text[m.end() :]
    if mark == ",":
        return not (before[-1:].isdigit() and after[:1].isdigit())  # 2,5 miljoner
    if mark == ".":
        word = before.rsplit(None, 1)[-1] if before.strip() else ""
        nxt = after.lstrip()[:1]
        return (
            len(word.strip(".")) >= 2
            and not word[-1:].isdigit()
            and word.lower() not in _ABBREVIATIONS
            and nxt.isupper()
        )
    return True


def _clauses(text: str) -> list[tuple[str, str]]:
    """(separator before, clause) pairs; the first separator is ""."""
    parts: list[tuple[str, str]] = []
    sep, last = "", 0
    for m in _SEPARATOR.finditer(text):
        if not _is_separator(text, m):
            continue
        parts.append((sep, text[last : m.start()].strip()))
        sep = m.group(0).strip() or "\n"
        last = m.end()
    parts.append((sep, text[last:].strip()))
    return parts


# --- Reading a clause ------------------------------------------------------------------------
@dataclass
class _Found:
    """What a stretch of text said; merged into the visit only if the stretch is accepted."""

    date: DateMatch | None = None
    form: str | None = None
    others: list[str] = field(default_factory=list)

    def merge(self, other: _Found) -> None:
        if self.date is None:
            self.date = other.date
        if self.form is None:
            self.form = other.form
        self.others.extend(other.others)


def _skip(s: str, i: int) -> int:
    while i < len(s) and s[i].isspace():
        i += 1
    return i


def _next_word(s: str, i: int) -> int:
    while i < len(s) and not s[i].isspace():
        i += 1
    return _skip(s, i)


def _is_name_word(s: str, i: int) -> int | None:
    """End of a capitalised name word ("Annette", "Carlson-Berg") at i, or None."""
    m = _NAME_WORD.match(s, i)
    if m is None or not m.group(0)[0].isupper() or _TITLE.fullmatch(m.group(0)):
        return None
    if _CONNECTIVE.match(s, i) or _NOTES_START.match(s, i):
        return None
    return m.end()


class _Reader:
    def __init__(self, today: dt.date, tokens: list[_Token]) -> None:
        self.today = today
        self.tokens = tokens

    def sentinel(self, s: str, i: int, kinds: str = "MN") -> int | None:
        m = _SENTINEL.match(s, i)
        return m.end() if m and m.group(1) in kinds else None

    def item(self, s: str, i: int, found: _Found, *, plain_names: bool) -> int | None:
        """One person at i: a mention, "@name", a title (+ name), or (after med/och) a name."""
        end = self.sentinel(s, i)
        if end is not None:
            return end  # mentions are collected from the whole line
        title = _TITLE.match(s, i)
        if title is None and not plain_names:
            return None
        end = title.end() if title else i
        words = 0
        while words < 4:
            j = _skip(s, end) if (title or words) else end
            if match_date_at(s, j, self.today) is not None:
                break
            k = _is_name_word(s, j)
            if k is None:
                break
            end, words = k, words + 1
        if title is None and words == 0:
            return None
        found.others.append(_render(s[i:end], self.tokens))
        return end

    def people(self, s: str, i: int, found: _Found, *, plain_names: bool) -> int | None:
        """A list of people joined by och/samt/&/med, starting at i; the end, or None."""
        end = self.item(s, i, found, plain_names=plain_names)
        if end is None:
            return None
        while True:
            j = _skip(s, end)
            link = _CONNECTIVE.match(s, j)
            if link is None:
                break
            nxt = self.item(s, _skip(s, link.end()), found, plain_names=True)
            if nxt is None:
                break
            end = nxt
        tail = _TRAILING_WITH.match(s, _skip(s, end))
        return len(s) if tail else end  # "<@U3|anna> med", "KSO var med"

    def element(self, s: str, i: int, found: _Found) -> int | None:
        """A date, a form word or people at i, recorded in `found`; the end, or None."""
        date = match_date_at(s, i, self.today)
        if date is not None:
            if found.date is not None:
                return None  # a second date belongs to the notes
            found.date = date
            return date.end
        time = _TIME.match(s, i)
        if time is not None:
            return time.end()  # "kl 10", "em": read and dropped
        form = _FORM_LOOSE.match(s, i)
        if form is not None:
            found.form = found.form or (FORM_DIGITAL if form.group("d") else FORM_ON_SITE)
            return form.end()
        link = _CONNECTIVE.match(s, i)
        if link is not None:
            return self.people(s, _skip(s, link.end()), found, plain_names=True)
        return self.people(s, i, found, plain_names=False)

    def elements(self, s: str, i: int, found: _Found) -> int:
        """Read elements from i as long as they come; where they stop."""
        while True:
            i = _skip(s, i)
            if i >= len(s):
                return i
            end = self.element(s, i, found)
            if end is None:
                return i
            i = end

    def ends_company(self, s: str, i: int) -> bool:
        if self.sentinel(s, i) is not None or _NOTES_START.match(s, i):
            return True
        date = match_date_at(s, i, self.today)
        if date is not None:
            # "Café 24/7 igår": a date phrase right before another one is part of the name.
            return match_date_at(s, _skip(s, date.end), self.today) is None
        if _FORM_STRICT.match(s, i) or _TIME.match(s, i):
            return True
        if _WITH.match(s, i):
            return True
        joined = _AND.match(s, i)
        if joined is not None:
            j = _skip(s, joined.end())
            # "Borås Energi och Miljö" is one company; "… och KSO", "… och @pia" are people.
            return self.sentinel(s, j) is not None or _TITLE.match(s, j) is not None
        return False

    def company(self, s: str, i: int) -> int:
        """The end of the company name that starts at i (at least one word)."""
        i = _next_word(s, i)
        while i < len(s) and not self.ends_company(s, i):
            i = _next_word(s, i)
        return i


def _clean_company(text: str) -> str:
    text = text.strip().rstrip(".,;:–—- ").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'”“":
        text = text[1:-1].strip()
    return text


# --- The parser ------------------------------------------------------------------------------
def _follow_up(text: str, today: dt.date) -> tuple[str, dt.date | None]:
    """Take "följ upp om 2 veckor" (or "uppföljning 3 mars") out of the text."""
    for m in _FOLLOW_UP.finditer(text):
        date = match_date_at(text, m.end(), today, Direction.FUTURE)
        if date is None:
            continue
        if date.date is None:
            raise InvalidDate(
                f'Jag kan inte läsa uppföljningsdatumet "{date.text}". '
                'Skriv t.ex. "följ upp om 2 veckor" eller "följ upp 3 mars".'
            )
        if date.date < today:
            raise InvalidDate(
                f'Uppföljningen "{date.text}" ligger bakåt i tiden. '
                'Skriv ett datum framåt, t.ex. "följ upp om 2 veckor".'
            )
        return text[: m.start()] + " , " + text[date.end :], date.date
    return text, None


def _date_at_end(notes: str, today: dt.date) -> tuple[str, DateMatch | None]:
    """A date phrase that ends the line ("… pratade lokaler igår") is the visit's date.

    A number that is no day ("omsättning 12.50") stays in the notes.
    """
    body = notes.rstrip(" .!")
    start = 0
    while (date := search_date(body, today, start=start)) is not None:
        if date.end == len(body) and date.start > 0 and (date.date or date.choices):
            return notes[: date.start], date
        start = date.start + 1
    return notes, None


def _typo(words: list[str], index: int) -> str | None:
    """The date word a lower-case word in the company is one letter from, or None."""
    word = words[index]
    if word != word.lower() or len(word) < 4 or not word.isalpha():
        return None
    after_i = index > 0 and words[index - 1].lower() == "i"
    vocabulary = _DAGS_WORDS if after_i else _DATE_WORDS
    for known in vocabulary:
        if word != known and DamerauLevenshtein.distance(word, known) <= 1:
            return f"i {known}" if after_i else known
    return None


def _misspelt_date(company: str, today: dt.date) -> None:
    """Ask when the company holds a misspelt date word ("Ellos AB igårr")."""
    words = company.split()
    for index in range(len(words)):
        meant = _typo(words, index)
        if meant is None:
            continue
        typed = f"i {words[index]}" if meant.startswith("i ") else words[index]
        found = match_date_at(meant, 0, today)
        day = found.date if found is not None else None
        choices = (day,) if day is not None and day <= today else ()
        raise DateQuestion(
            f'Jag förstår inte "{typed}". Menade du "{meant}"? Välj dagen, eller skriv '
            'raden igen med ett datum som "igår" eller "3/2".',
            typed,
            choices,
        )


def _date_question(date: DateMatch, today: dt.date) -> DateQuestion | None:
    """The question for a week without a day or a weekday that does not fit its date."""
    choices = tuple(day for day in date.choices if day <= today)
    if date.kind == "week":
        days = tuple(day for day in choices if is_working_day(day))
        if not days:
            return None
        week = days[0].isocalendar().week
        return DateQuestion(
            f'"{date.text}" är en vecka (vecka {week}). Vilken dag var besöket? '
            "Välj dagen, så sparas det.",
            date.text,
            days,
        )
    if date.kind == "mismatch" and choices:
        written = date.choices[0]
        return DateQuestion(
            f'"{date.text}": {sv_date(written)} är en {_weekday_name(written)}. '
            "Vilken dag menade du?",
            date.text,
            choices,
        )
    return None


_WEEKDAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def _weekday_name(day: dt.date) -> str:
    return _WEEKDAY_NAMES[day.weekday()]


def answer_date(text: str, phrase: str, day: dt.date) -> str:
    """The line with the asked-about `phrase` replaced by the chosen day (ISO, unambiguous)."""
    words = phrase.split()
    pattern = r"(?<![\w/.])" + r"\s+".join(re.escape(w) for w in words) + r"\.?(?![\w/])"
    replaced, count = re.subn(pattern, day.isoformat(), text, count=1, flags=re.IGNORECASE)
    if count == 0:
        raise InvalidInput(
            "Det här valet gick inte att läsa (knappen är för gammal). Skriv besöket igen."
        )
    return replaced


def day_label(day: dt.date, today: dt.date) -> str:
    """A choice's button text: "mån 16 nov"."""
    return sv_day(day, today)


def _company_list(
    reader: _Reader, clauses: list[tuple[str, str]], start: int, tokens: list[_Token]
) -> tuple[list[str], int, _Found, str] | None:
    """More companies after the first: "…, Borås Energi och Volvo igår, …".

    Comma-separated parts that are only a capitalised name, the last of them followed by the
    visit's date ("A, B och C igår"), are more companies; the last part's "och" splits it.
    Returns the further names, the index of the last part, what followed the names there, and
    the rest of that part (notes); None when the line is no such list.
    """
    names: list[str] = []
    for index in range(start, len(clauses)):
        sep, clause = clauses[index]
        if sep != "," or not clause or not clause[0].isupper():
            return None
        probe = _Found()
        if reader.elements(clause, 0, probe) >= len(clause):
            return None  # "KSO var med", "Digitalt": people or form, no company
        end = reader.company(clause, 0)
        name = _clean_company(_render(clause[:end], tokens))
        if end >= len(clause):
            names.append(name)
            continue
        part = _Found()
        rest = reader.elements(clause, end, part)
        if part.date is None:
            return None
        names.extend(n.strip() for n in re.split(r"\s+och\s+", name) if n.strip())
        return names, index, part, clause[rest:].strip()
    return None


class SeveralCompanies(InvalidInput):
    """One line names several companies; `visits` holds one parsed visit per company."""

    def __init__(self, message: str, visits: tuple[ParsedVisit, ...]) -> None:
        super().__init__(message)
        self.visits = visits

    @property
    def companies(self) -> tuple[str, ...]:
        return tuple(v.company for v in self.visits)


def parse_visit(text: str, today: dt.date) -> ParsedVisit:
    """Parse one line as Slack sends it; raises InvalidInput / InvalidDate with Swedish text.

    A line that names several companies raises SeveralCompanies (its `visits` are what
    `parse_visits` returns); a date that needs an answer raises DateQuestion.

    >>> v = parse_visit("Ellos AB igår med <@U1|pia>, pratade kompetens", dt.date(2026, 11, 24))
    >>> (v.company, v.visit_date.isoformat(), v.mentioned_user_ids, v.notes)
    ('Ellos AB', '2026-11-23', ('U1',), 'pratade kompetens')
    """
    visits = parse_visits(text, today)
    if len(visits) > 1:
        names = ", ".join(v.company for v in visits)
        first = visits[0]
        example = f"/besök {first.company} {first.date_text or 'idag'}"
        if first.notes:
            example += f", {first.notes}"
        raise SeveralCompanies(
            f"Raden nämner {len(visits)} företag: {names}. Ett besök per företag? Annars: "
            f'skriv ett företag per rad, t.ex. "{example}".',
            visits,
        )
    return visits[0]


def parse_visits(text: str, today: dt.date) -> tuple[ParsedVisit, ...]:
    """One parsed visit per company the line names (usually one); errors as parse_visit."""
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(
            f"Texten är för lång ({len(text)} tecken). Skriv högst {MAX_TEXT_LENGTH} tecken "
            "på raden och lägg längre anteckningar i formuläret (skriv bara /besök)."
        )
    # The sentinels' private-use characters can only come from us, never from the user.
    text = text.replace(_S, "").replace(_E, "")
    line, tokens = _tokenise(unicodedata.normalize("NFC", text))
    line = re.sub(r"[ \t\r\f\v\u00a0]+", " ", line)
    line = re.sub(r" ?\n[\s]*", "\n", line).strip()
    line, follow_up_on = _follow_up(line, today)

    reader = _Reader(today, tokens)
    found = _Found()
    company = ""
    notes: list[tuple[str, str]] = []
    clauses = _clauses(line)
    also: list[str] = []  # more companies: "Ellos AB, Borås Energi och Volvo igår, mässa"
    skip_to = 0
    for index, (sep, clause) in enumerate(clauses):
        if index < skip_to:
            continue
        if not clause:
            if not sep:
                # ", pratade lokaler": nothing before the first comma, so there is no company
                # and what follows is a note; a later part must not be taken for the company.
                break
            continue
        if not company:
            if sep:
                # "igår, digitalt, Ellos AB": a whole part of dates, form or people is no company.
                part = _Found()
                if reader.elements(clause, 0, part) >= len(clause):
                    found.merge(part)
                    continue
            # Before the company: dates and people may lead ("igår Ellos AB …").
            lead = _Found()
            i = 0
            while i < len(clause):
                date = match_date_at(clause, i, today, bare_weekday=False)
                end = date.end if date else reader.sentinel(clause, i)
                if end is None and _LEAD_WITH.match(clause, i):
                    # "igår med @pia …" has no company yet: only a mention or title may follow.
                    end = reader.people(
                        clause, _skip(clause, clause.index(" ", i)), lead, plain_names=False
                    )
                if end is None:
                    break
                if date is not None and lead.date is None:
                    lead.date = date
                i = _skip(clause, end)
            found.merge(lead)
            if i >= len(clause):
                continue
            end = reader.company(clause, i)
            company = _clean_company(_render(clause[i:end], tokens))
            if not company:
                continue
            rest = reader.elements(clause, end, found)
            if rest < len(clause):
                notes.append(("", clause[rest:]))
            elif found.date is None and found.form is None and not found.others:
                listed = _company_list(reader, clauses, index + 1, tokens)
                if listed is not None:
                    further, last, part, leftover = listed
                    also, skip_to = further, last + 1
                    found.merge(part)
                    if leftover:
                        notes.append(("", leftover))
            continue
        part = _Found()
        if reader.elements(clause, 0, part) >= len(clause) and not (
            part.date is not None and found.date is not None
        ):
            found.merge(part)
        else:
            notes.append((sep, clause))

    if not company:
        raise InvalidInput(f'Skriv företaget först, t.ex. "{EXAMPLE}".')
    if len(company) > MAX_COMPANY_LENGTH:
        raise InvalidInput(
            f"Företagsnamnet är för långt (högst {MAX_COMPANY_LENGTH} tecken). Skriv företaget "
            'först och avsluta namnet med datum, "med" eller ett kommatecken, t.ex. '
            f'"{EXAMPLE}".'
        )

    joined = ""
    for sep, part_text in notes:
        if not joined:
            joined = part_text
        elif sep == "\n":
            joined += "\n" + part_text
        elif sep in "–—-":
            joined += f" {sep} {part_text}"
        else:
            joined += f"{sep} {part_text}"
    if found.date is None and joined:
        joined, found.date = _date_at_end(joined, today)
    notes_text = _STRIP_CONNECTIVE.sub("", _render(joined, tokens)).strip()
    notes_text = re.sub(r" {2,}", " ", notes_text)
    if not any(ch.isalnum() for ch in notes_text):
        notes_text = ""  # a lone "." or "!" left behind is no note

    _misspelt_date(company, today)
    visit_date, date_text = today, None
    if found.date is not None:
        date_text, day = found.date.text, found.date.date
        if day is None:
            question = _date_question(found.date, today)
            if question is not None:
                raise question
            if found.date.choices:
                day = found.date.choices[0]  # a week still ahead: the future message below
            else:
                raise InvalidDate(
                    f'Jag kan inte läsa "{date_text}" som en dag. Skriv t.ex. "igår", '
                    '"i tisdags", "tisdag förra veckan", "3 mars", "3/2" (dag/månad) eller '
                    '"2026-02-03".'
                )
        if day > today:
            raise InvalidDate(
                f'"{date_text}" ({sv_date(day)}) ligger i framtiden. Ett besök loggas när det '
                'är gjort: skriv t.ex. "idag" eller "igår". Vill du bli påmind, skriv '
                '"följ upp om 2 veckor".'
            )
        if day.year < today.year - PAST_YEARS_ALLOWED:
            raise InvalidDate(
                f'"{date_text}" ({sv_date(day)}) ligger mer än {PAST_YEARS_ALLOWED} år bakåt. '
                'Kontrollera datumet, t.ex. "2026-02-03", "3/2" eller "för 3 dagar sedan".'
            )
        visit_date = day

    ids: dict[str, None] = {}
    names: dict[str, None] = {}
    for m in _SENTINEL.finditer(line):
        token = tokens[int(m.group(2))]
        if token.kind == "M":
            ids.setdefault(token.value)
        elif token.kind == "N" and token.value.lower() not in {n.lower() for n in names}:
            names.setdefault(token.value)

    visit = ParsedVisit(
        company=company,
        visit_date=visit_date,
        date_text=date_text,
        mentioned_user_ids=tuple(ids),
        mentioned_names=tuple(names),
        others=tuple(dict.fromkeys(found.others)),
        form=found.form or FORM_ON_SITE,
        notes=notes_text,
        follow_up_on=follow_up_on,
    )
    for name in also:
        if not name or len(name) > MAX_COMPANY_LENGTH:
            raise InvalidInput(f'Skriv ett företag per rad, t.ex. "{EXAMPLE}".')
        _misspelt_date(name, today)
    return (visit, *(replace(visit, company=name) for name in also))
