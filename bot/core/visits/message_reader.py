"""Free-form visit messages, as the unit writes them in Slack, read into a visit with a confidence.

"Besökte Ellos idag med <@U1>", "Företagsbesök hos Ellos, digitalt", "Idag besök på Ellos med
KSO", "Var hos Ellos igår", "Besök: Ellos – exportfrågor". A message reads as a visit only with a
visit word ("besök", "besökte", "var hos" …); the word is taken out and the rest goes to the
`/besök` parser (`parse_visit`), with relative dates counted from the day the message was posted.
Chatter (questions, thanks, meeting notes, links, emoji) is no visit. The reading says what it
found and what it was unsure of, in Swedish, so a review file or a question can show it.

Pure: no Slack, no database.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from bot.core.text import mrkdwn
from bot.core.text.patterns import LazyPattern
from bot.core.visits.parser import ParsedVisit, parse_visit
from bot.errors import UserError

MAX_COMPANY_WORDS = 6

# The visit word, and what follows it before the company ("hos", "på", ":").
_CUE = LazyPattern(
    r"(?<![\w@])(?:"
    r"(?:ett\s+|nytt\s+)?(?:företags|förtags|uppföljnings|första\s+|)besök(?:et)?"
    r"(?:\s+(?:idag|igår|i\s+dag|i\s+går))?(?:\s*(?:hos|på|till|av|vid|med)(?=\s)|\s*[:–—-])?"
    r"|(?:har\s+|hade\s+)?besök(?:te|t|er)"
    r"|(?:har\s+)?(?:var|varit|åkte|åkt)\s+(?:jag\s+|vi\s+)?(?:ute\s+|på\s+besök\s+"
    r"|på\s+företagsbesök\s+)?(?:hos|till)"
    r"|hälsade\s+på(?:\s+hos)?"
    r")(?=[\s:,]|$)",
    re.IGNORECASE,
)
# Before the visit word: who and when ("Idag", "Jag och <@U1>", "Vi", "I morse").
_LEAD_WORDS = LazyPattern(
    r"(?<!\w)(?:jag|vi|och|samt|i\s+morse|i\s+förmiddags|i\s+eftermiddags|nyss|just|precis"
    r"|har|hade|hej|hallå|god\s+morgon|ett|nytt|bra|trevligt|roligt|intressant|spännande|givande|lyckat|kort)(?!\w)"
    r"|[&,.!–—-]",
    re.IGNORECASE,
)
_BROADCAST = LazyPattern(r"<![^>]*>")
# Right after the visit word: "besökte jag och <@U1> Ellos", "besök med KSO hos Ellos".
_WHO_AFTER = LazyPattern(
    rf"(?:(?:jag|vi)(?:\s+(?:och|samt)\s+(?P<with>(?:{mrkdwn.MENTION_PATTERN}[\s,]*(?:och\s+)?)+))?"
    r")\s+",
    re.IGNORECASE,
)
_PEOPLE_THEN_PLACE = LazyPattern(r"(?P<people>.+?)\s+(?:hos|på)\s+(?P<rest>.+)", re.DOTALL)
_PLAIN_MENTION = LazyPattern(r"(?<![\w<])@\w[\w.\-]*")
_SENTINEL_MENTION = LazyPattern(mrkdwn.MENTION_PATTERN)
_LINK = LazyPattern(r"<(?:https?://|mailto:)[^>]*>|https?://\S+")
_EMOJI_CODE = LazyPattern(r":[a-z0-9_+\-']+:")
_QUESTION_START = LazyPattern(
    r"(?:vem|vad|när|var\s+är|hur|varför|vilken|vilket|vilka|ska\s+vi|kan\s+(?:du|ni|någon|vi)"
    r"|har\s+(?:du|ni|någon)|vet\s+(?:du|ni|någon)|någon\s+som|finns\s+det|blir\s+det"
    r"|borde\s+vi|vill\s+(?:du|ni|någon))(?=\s|$)",
    re.IGNORECASE,
)
_THANKS = LazyPattern(r"(?:tack|tusen\s+tack|stort\s+tack|tackar)(?=[\s!.,]|$)", re.IGNORECASE)
_MEETING = LazyPattern(
    r"(?:mötesanteckningar|anteckningar\s+från|protokoll|agenda|dagordning|kallelse"
    r"|påminnelse|ps\b|obs\b|fika|lunch)(?=[\s:,.!]|$)",
    re.IGNORECASE,
)
_PLANNED = LazyPattern(
    r"(?:ska|skall|kommer\s+att|planerar|tänker|bokat|bokade|inbokad|inbokat|ska\s+vi)"
    r"(?=\s)",
    re.IGNORECASE,
)
_NOT_A_NAME = LazyPattern(
    r"(?:dem|honom|henne|dig|er|oss|mig|företaget|kunden|dom|där|det|den|hit|dit|en|ett)$",
    re.IGNORECASE,
)
_PLAIN_WORD = LazyPattern(r"\w")
# "Besöket hos ICA Maxi gick bra": a verb after the company ends it.
_VERB_AFTER = LazyPattern(
    r"\s(?=(?:gick|var|blev|är|kändes|känns|visade|berättade|vill|ska|har|hade)\s|kl\.?\s*\d)"
)


@dataclass(frozen=True)
class MessageReading:
    """What a message says as a visit. `visit` is None when it does not read as one."""

    visit: ParsedVisit | None
    confident: bool
    found: tuple[str, ...]  # what was found: "företag Ellos AB", "datum igår" …
    unsure: tuple[str, ...]  # why not confident, or why not a visit

    @property
    def is_visit(self) -> bool:
        return self.visit is not None

    @property
    def reason(self) -> str:
        """One Swedish line: why it is no visit, or what is unsure; "" when confident."""
        return "; ".join(self.unsure)

    def explain(self) -> str:
        """Found and unsure in one Swedish line, for a review file or a question."""
        parts = []
        if self.found:
            parts.append("Hittade " + ", ".join(self.found))
        if self.unsure:
            parts.append("osäkert: " + "; ".join(self.unsure))
        return ". ".join(parts)


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or ch in "\u200d\ufe0f"


def _is_time(code: str) -> bool:
    return code[1:-1].isdigit()  # "kl 14:30:" is no emoji code


def _no_visit(reason: str) -> MessageReading:
    return MessageReading(visit=None, confident=False, found=(), unsure=(reason,))


def _chatter(text: str) -> str | None:
    """Why a message is plainly not a visit, or None."""
    bare = _LINK.sub(" ", text)
    bare = _EMOJI_CODE.sub(" ", bare)
    bare = _SENTINEL_MENTION.sub(" ", bare)
    if not text.strip():
        return "tomt meddelande"
    if not _PLAIN_WORD.search(bare):
        if _LINK.search(text):
            return "bara en länk"
        return "bara emoji eller tecken"
    stripped = text.strip()
    if stripped.rstrip(" !.)").endswith("?") or _QUESTION_START.match(stripped):
        return "en fråga"
    if _THANKS.match(stripped):
        return "ett tack"
    if _MEETING.match(stripped):
        return "mötesanteckningar eller en påminnelse"
    return None


def _lead(text: str) -> tuple[str, str]:
    """(the people, the rest) written before the visit word ("Idag", "Jag och <@U1>")."""
    people = [*_SENTINEL_MENTION.findall(text), *_PLAIN_MENTION.findall(text)]
    rest = _PLAIN_MENTION.sub(" ", _SENTINEL_MENTION.sub(" ", _BROADCAST.sub(" ", text)))
    rest = _LEAD_WORDS.sub(" ", rest)
    return " ".join(people), " ".join(rest.split())


def _split(text: str) -> tuple[str, str, str] | None:
    """(before, the visit word, after) of the first visit word, or None."""
    m = _CUE.search(text)
    if m is None:
        return None
    return text[: m.start()], m.group(0), text[m.end() :]


def _company_problems(company: str) -> list[str]:
    problems = []
    words = company.split()
    if len(words) > MAX_COMPANY_WORDS:
        problems.append(f'företagsnamnet "{company}" är långt ({len(words)} ord)')
    first = company[:1]
    if first and not (first.isupper() or first.isdigit()):
        problems.append(f'företagsnamnet "{company}" börjar med liten bokstav')
    if _NOT_A_NAME.match(company) or (len(words) == 1 and _NOT_A_NAME.fullmatch(company)):
        problems.append(f'"{company}" ser inte ut som ett företagsnamn')
    return problems


def read_message(text: str, posted_on: dt.date) -> MessageReading:
    """Read one Slack message (mention tokens and entities as Slack sends them) as a visit.

    `posted_on` is the day the message was posted (in the unit's time zone): "igår" and
    "i fredags" count from it.
    """
    text = unicodedata.normalize("NFC", text or "").strip()
    if text.startswith(("/besök", "/besok")):
        text = "Besök " + text.split(None, 1)[1] if " " in text else ""
    why = _chatter(text)
    if why is not None:
        return _no_visit(why)
    text = "".join(" " if _is_emoji(ch) else ch for ch in text)
    text = _EMOJI_CODE.sub(lambda m: m.group(0) if _is_time(m.group(0)) else " ", text).strip()
    split = _split(text)
    if split is None:
        return _no_visit("inget besöksord (besök, besökte, var hos …)")
    before, cue, after = split
    planned = (
        _PLANNED.search(before)
        or re.match(r"\s*(?:imorgon|i\s+morgon)", after, re.I)
        or re.search(r"(?<!\w)(?:imorgon|i\s+morgon|nästa\s+vecka)(?!\w)", before, re.I)
        or re.search(r"(?<!\w)(?:häng|hänger|hänga|följ|följer|följa)\s+med(?!\w)", after, re.I)
    )
    if planned:
        return _no_visit("ett planerat besök, inte ett gjort")
    people, lead_rest = _lead(before)
    unsure: list[str] = []
    if lead_rest and not re.fullmatch(
        r"(?:idag|i\s*dag|igår|i\s*går|i\s*förrgår|förra\s+veckan|i\s+\w+dags|\w+dag"
        r"|\d{1,2}/\d{1,2}|\d{4}-\d{2}-\d{2}|\d{1,2}\s+\w+)",
        lead_rest.strip(" ,.:"),
        re.IGNORECASE,
    ):
        if len(lead_rest.split()) > 4:
            return _no_visit("besöksordet står mitt i en längre text")
        unsure.append(f'"{lead_rest.strip()}" före besöksordet är inte läst')
        lead_rest = ""
    after = after.lstrip(" :–—-,")
    who = _WHO_AFTER.match(after)
    if who is not None:
        people = " ".join([people, who.group("with") or ""]).strip(" ,")
        after = after[who.end() :]
    if cue.lower().rstrip().endswith("med"):
        place = _PEOPLE_THEN_PLACE.fullmatch(after)
        if place is None:
            return _no_visit("inget företag efter besöksordet")
        people = " ".join([people, place.group("people")]).strip()
        after = place.group("rest")
    head = re.split(r"[,:;\n]|\.\s|\s[–—-]\s", after, maxsplit=1)[0]
    after = _VERB_AFTER.sub(", ", head, count=1) + after[len(head) :]
    # The parser reads "företag [datum] [med personer], anteckningar": put leading dates first and
    # the people written before the visit word after the company.
    line = after
    if people:
        line = _after_company(line, people)
    if lead_rest:
        line = f"{lead_rest.strip(' ,.:')} {line}"
    try:
        parsed = parse_visit(line, posted_on)
    except UserError as error:
        return _no_visit(f"kunde inte läsas: {error.message}")
    if not any(ch.isalnum() for ch in parsed.company):
        return _no_visit("inget företag efter besöksordet")
    found = [f"företag {parsed.company}"]
    if parsed.date_text:
        found.append(f"datum {parsed.date_text} ({parsed.visit_date.isoformat()})")
    else:
        unsure_date = "inget datum i texten, dagen meddelandet skrevs"
        found.append(f"datum {parsed.visit_date.isoformat()} ({unsure_date})")
    if parsed.mentioned_user_ids or parsed.mentioned_names:
        found.append(
            "personal "
            + ", ".join([*(f"<@{u}>" for u in parsed.mentioned_user_ids), *parsed.mentioned_names])
        )
    if parsed.others:
        found.append("övriga " + ", ".join(parsed.others))
    unsure.extend(_company_problems(parsed.company))
    if re.search(r"\s(?:och|samt)\s", parsed.company):
        unsure.append(f'"{parsed.company}" kan vara flera företag')
    return MessageReading(
        visit=parsed, confident=not unsure, found=tuple(found), unsure=tuple(unsure)
    )


def _after_company(line: str, people: str) -> str:
    """Put "med PEOPLE" right after the company: before the first comma or dash of the line."""
    m = re.search(r",|\s[–—-]\s|:", line)
    if m is None:
        return f"{line} med {people}"
    return f"{line[: m.start()]} med {people}{line[m.start() :]}"
