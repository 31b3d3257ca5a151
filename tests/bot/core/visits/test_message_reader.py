"""The free-form message reader on a table of messages as the unit writes them in the channel.

Posted on Friday 13 March 2026: "igår" is Thursday the 12th, "i tisdags" the 10th.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.visits.message_reader import read_message
from bot.core.visits.parser import FORM_DIGITAL, FORM_ON_SITE

POSTED = dt.date(2026, 3, 13)
TODAY, YESTERDAY = "2026-03-13", "2026-03-12"

# (message, company or None when no visit, date, confident)
VISITS = [
    ("Besökte Ellos AB idag med <@U0OLA|ola>", "Ellos AB", TODAY, True),
    ("Besökte Ellos idag med <@U0OLA>, pratade kompetensförsörjning", "Ellos", TODAY, True),
    ("Idag besök på Ellos AB med KSO", "Ellos AB", TODAY, True),
    ("Var hos Gina Tricot igår", "Gina Tricot", YESTERDAY, True),
    ("Besök: Hemtex – exportfrågor", "Hemtex", TODAY, True),
    ("Besök hos Svenska Tanso i fredags med <@U0OLA|ola>", "Svenska Tanso", "2026-03-06", True),
    ("Jag och <@U0OLA|ola> besökte Ellos AB igår, de söker lokaler", "Ellos AB", YESTERDAY, True),
    ("Vi besökte Nordic Brands idag. Pratade rekrytering.", "Nordic Brands", TODAY, True),
    ("Igår var jag hos Borås Djurpark, pratade säsong", "Borås Djurpark", YESTERDAY, True),
    ("Har besökt Lindex idag via Teams", "Lindex", TODAY, True),
    ("Företagsbesök: Sparbanken Sjuhärad 3/3, på plats", "Sparbanken Sjuhärad", "2026-03-03", True),
    ("Besökt Marbodal i tisdags med <@U0PIA|pia>", "Marbodal", "2026-03-10", True),
    ("Besöket hos ICA Maxi gick bra, diskuterade parkering", "ICA Maxi", TODAY, True),
    ("Trevligt besök på Textile Fashion Center idag", "Textile Fashion Center", TODAY, True),
    ("Hälsade på hos Borås Tidning idag", "Borås Tidning", TODAY, True),
    ("Var ute hos Ahlsell i måndags", "Ahlsell", "2026-03-09", True),
    ("Uppföljningsbesök hos Ellos AB idag", "Ellos AB", TODAY, True),
    ("Besök hos Ellos AB. De vill expandera.", "Ellos AB", TODAY, True),
    ("besök Ellos igår", "Ellos", YESTERDAY, True),
    ("Besök Ellos AB 2026-03-02 med <@U0OLA|ola>, digitalt", "Ellos AB", "2026-03-02", True),
    ("Besökte Ellos med <@U0OLA|ola> och <@U0PIA|pia>", "Ellos", TODAY, True),
    ("Idag har jag besökt Svensk Handel", "Svensk Handel", TODAY, True),
    ("I morse besök på Borås Stad Parkering", "Borås Stad Parkering", TODAY, True),
    ("Kort besök hos Rydboholm Textil i onsdags", "Rydboholm Textil", "2026-03-11", True),
    ("Företagsbesök med KSO hos Ellos AB igår", "Ellos AB", YESTERDAY, True),
    ("Hej! Igår besökte jag och <@U0OLA|ola> Borås Wäfveri", "Borås Wäfveri", YESTERDAY, True),
    ("Besök hos Ellos 🎉", "Ellos", TODAY, True),
    ("Besök hos Ellos :tada:", "Ellos", TODAY, True),
    ("Vi besökte Ellos", "Ellos", TODAY, True),
    ("Besök hos Ellos kl 14:30 idag", "Ellos", TODAY, True),
    ("Besökte Almedals Bageri i förrgår", "Almedals Bageri", "2026-03-11", True),
    ("Besök hos Ellos igår, följ upp om 2 veckor", "Ellos", YESTERDAY, True),
    (
        "Var hos Knalleland 10 mars med kommunalrådet Annette Carlson",
        "Knalleland",
        "2026-03-10",
        True,
    ),
    ("Besök hos Maj's Bageri &amp; Co idag", "Maj's Bageri & Co", TODAY, True),
    ("Företagsbesök hos Ellos AB i tisdags, videomöte", "Ellos AB", "2026-03-10", True),
    ("Varit hos Borås Elhandel idag", "Borås Elhandel", TODAY, True),
    ("/besök Ellos AB igår med <@U0OLA|ola>", "Ellos AB", YESTERDAY, True),
    # Read as a visit, but not with confidence: the review file says why.
    ("Besökte ellos idag", "ellos", TODAY, False),
    ("Besök hos dem igår, mycket bra", "dem", YESTERDAY, False),
    ("Besökte Gina Tricot och Lindex idag", "Gina Tricot och Lindex", TODAY, False),
    ("Nu är jag tillbaka från besöket hos Ellos", "Ellos", TODAY, False),
    # "och" may join two companies; the review (or the register, see visit_import) decides.
    ("Företagsbesök hos Borås Energi och Miljö, digitalt", "Borås Energi och Miljö", TODAY, False),
    (
        "Besök hos Ett Långt Företag Utan Namn Som Aldrig Slutar",
        "Ett Långt Företag Utan Namn Som Aldrig Slutar",
        TODAY,
        False,
    ),
]

CHATTER = [
    ("Tack för idag!", "ett tack"),
    ("Tack alla för ett bra möte", "ett tack"),
    ("Vem har besökt Ellos senast?", "en fråga"),
    ("Ska vi besöka Hemtex nästa vecka?", "en fråga"),
    ("Kan någon ta besöket hos Ellos på fredag?", "en fråga"),
    ("Besök hos Ellos kl 14 idag, vem hänger med?", "en fråga"),
    ("Har ni sett att Ellos anställer", "en fråga"),
    ("Lunch?", "en fråga"),
    (":tada: :tada:", "bara emoji"),
    ("👍", "bara emoji"),
    ("🎉🎉🎉", "bara emoji"),
    ("https://example.com/artikel", "bara en länk"),
    ("<https://www.bt.se/nyheter|BT: Ny fabrik i Borås>", "bara en länk"),
    ("Mötesanteckningar från veckomötet: besök diskuterades", "mötesanteckningar"),
    ("Agenda för måndag: besöksmålet, budget", "mötesanteckningar"),
    ("Påminnelse: rapportera era besök före fredag", "mötesanteckningar"),
    ("Jag ska besöka Ellos imorgon", "besöksord"),
    ("Vi ska på besök hos Ellos på torsdag", "planerat"),
    ("Imorgon besök hos Ellos", "planerat"),
    ("<!channel> besök hos Ellos idag kl 14, häng med!", "planerat"),
    ("Bra besök idag!", "inget företag"),
    ("God morgon allihop", "besöksord"),
    ("Någon som har numret till Ellos?", "en fråga"),
    ("Ellos AB igår med <@U0OLA|ola>", "besöksord"),
    ("Besök hos Ellos AB den 45 mars", "kunde inte läsas"),
    ("Besök hos Ellos 2027-01-01", "kunde inte läsas"),
    ("", "tomt"),
    ("Vi hade ett långt möte om budgeten och sedan ett besök hos Ellos", "längre text"),
]


@pytest.mark.parametrize(("text", "company", "day", "confident"), VISITS)
def test_visit_messages(text: str, company: str | None, day: str | None, confident: bool) -> None:
    reading = read_message(text, POSTED)
    if company is None:
        assert not reading.is_visit and reading.reason
        return
    assert reading.visit is not None, reading.reason
    assert reading.visit.company == company
    assert reading.visit.visit_date.isoformat() == day
    assert reading.confident is confident, reading.explain()
    assert bool(reading.reason) is not confident


@pytest.mark.parametrize(("text", "why"), CHATTER)
def test_chatter_is_no_visit(text: str, why: str) -> None:
    reading = read_message(text, POSTED)
    assert not reading.is_visit and not reading.confident
    assert why in reading.reason


def test_the_table_is_large_enough() -> None:
    assert len(VISITS) + len(CHATTER) >= 60
    assert sum(1 for *_, c in VISITS if c) >= 30 and len(CHATTER) >= 20


def test_people_form_and_notes_are_read() -> None:
    reading = read_message(
        "Jag och <@U0OLA|ola> besökte Ellos AB igår med KSO, digitalt, pratade lokaler", POSTED
    )
    visit = reading.visit
    assert visit is not None
    assert visit.mentioned_user_ids == ("U0OLA",)
    assert visit.others == ("KSO",)
    assert visit.form == FORM_DIGITAL
    assert visit.notes == "pratade lokaler"
    plain = read_message("Besök: Hemtex – exportfrågor", POSTED).visit
    assert plain is not None and plain.form == FORM_ON_SITE and plain.notes == "exportfrågor"


def test_relative_dates_count_from_the_posting_day_not_today() -> None:
    old = dt.date(2022, 5, 6)  # a Friday in the 2022 plan's year
    visit = read_message("Var hos Ellos i tisdags", old).visit
    assert visit is not None and visit.visit_date == dt.date(2022, 5, 3)
    no_date = read_message("Besök hos Ellos", old).visit
    assert no_date is not None and no_date.visit_date == old and no_date.date_text is None


def test_the_reading_explains_what_it_found_and_doubted() -> None:
    sure = read_message("Besökte Ellos AB igår med <@U0OLA|ola>", POSTED)
    assert "företag Ellos AB" in sure.explain() and "datum igår (2026-03-12)" in sure.explain()
    assert "personal <@U0OLA>" in sure.explain() and "osäkert" not in sure.explain()
    no_date = read_message("Besök hos Ellos", POSTED)
    assert "inget datum i texten" in no_date.explain()
    unsure = read_message("Besökte ellos idag", POSTED)
    assert "osäkert: företagsnamnet" in unsure.explain() and "liten bokstav" in unsure.reason
