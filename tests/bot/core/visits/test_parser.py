"""The one-line visit parser: real phrasings as Slack sends them (entities, mention tokens)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest

from bot.core.visits.parser import ParsedVisit, parse_visit
from bot.errors import InvalidDate, InvalidInput

TODAY = dt.date(2026, 11, 24)  # a Tuesday
PIA, JONAS, ANNIKA, ANNA_M = (
    "<@U0PIA|pia>",
    "<@U0JONAS|jonas>",
    "<@U0ANNIKA|annika>",
    "<@U0ANNAM|anna.m>",
)


def expect(
    company: str,
    date: str = "2026-11-24",
    *,
    ids: tuple[str, ...] = (),
    names: tuple[str, ...] = (),
    others: tuple[str, ...] = (),
    form: str = "på plats",
    notes: str = "",
    follow_up: str | None = None,
) -> dict[str, Any]:
    return {
        "company": company,
        "visit_date": dt.date.fromisoformat(date),
        "mentioned_user_ids": ids,
        "mentioned_names": names,
        "others": others,
        "form": form,
        "notes": notes,
        "follow_up_on": dt.date.fromisoformat(follow_up) if follow_up else None,
    }


def fields(visit: ParsedVisit) -> dict[str, Any]:
    return {
        "company": visit.company,
        "visit_date": visit.visit_date,
        "mentioned_user_ids": visit.mentioned_user_ids,
        "mentioned_names": visit.mentioned_names,
        "others": visit.others,
        "form": visit.form,
        "notes": visit.notes,
        "follow_up_on": visit.follow_up_on,
    }


PHRASINGS: list[tuple[str, dict[str, Any]]] = [
    # The product's own example, as Slack sends it.
    (
        f"Ellos AB igår med {PIA}, pratade kompetensförsörjning",
        expect("Ellos AB", "2026-11-23", ids=("U0PIA",), notes="pratade kompetensförsörjning"),
    ),
    (
        "Ellos AB igår med <@U0PIA>, pratade kompetensförsörjning",
        expect("Ellos AB", "2026-11-23", ids=("U0PIA",), notes="pratade kompetensförsörjning"),
    ),
    ("Ellos igår", expect("Ellos", "2026-11-23")),
    ("Ellos AB", expect("Ellos AB")),
    ("  Ellos AB   igår  ", expect("Ellos AB", "2026-11-23")),
    (
        f"ELLOS GROUP AB i går med {PIA} och {JONAS}",
        expect("ELLOS GROUP AB", "2026-11-23", ids=("U0PIA", "U0JONAS")),
    ),
    # Company names with "och", months, weekdays and first names stay whole.
    (
        "Borås Energi och Miljö i tisdags med KSO, digitalt, pratade laddinfrastruktur",
        expect(
            "Borås Energi och Miljö",
            "2026-11-17",
            others=("KSO",),
            form="digitalt",
            notes="pratade laddinfrastruktur",
        ),
    ),
    (
        "Borås Energi och Miljö i förrgår och KSO",
        expect("Borås Energi och Miljö", "2026-11-22", others=("KSO",)),
    ),
    ("Borås Energi och Miljö", expect("Borås Energi och Miljö")),
    (
        f"Borås Energi och Miljö igår med {PIA} &amp; {JONAS}",
        expect("Borås Energi och Miljö", "2026-11-23", ids=("U0PIA", "U0JONAS")),
    ),
    ("Maj's Bageri igår", expect("Maj's Bageri", "2026-11-23")),
    ("Per Holm Bygg i tisdags", expect("Per Holm Bygg", "2026-11-17")),
    ("Fredags Café 3 mars", expect("Fredags Café", "2026-03-03")),
    ("Mars Chocolate", expect("Mars Chocolate")),
    (
        "Juni Design AB förra fredagen med @pia",
        expect("Juni Design AB", "2026-11-20", names=("pia",)),
    ),
    ("Juni Design AB förra fredag", expect("Juni Design AB", "2026-11-20")),
    ("Svensk Digital Handel igår", expect("Svensk Digital Handel", "2026-11-23")),
    ("Digital Design AB igår digitalt", expect("Digital Design AB", "2026-11-23", form="digitalt")),
    # The date anywhere: first, middle, last, or a part of its own.
    (
        "igår Viared Logistik AB med KSO och KSO2 – pratade elektrifiering av godstransporter",
        expect(
            "Viared Logistik AB",
            "2026-11-23",
            others=("KSO", "KSO2"),
            notes="pratade elektrifiering av godstransporter",
        ),
    ),
    (
        f"3 mars Textile Fashion Center med {JONAS}",
        expect("Textile Fashion Center", "2026-03-03", ids=("U0JONAS",)),
    ),
    (
        "Ellos AB pratade kompetensförsörjning igår",
        expect("Ellos AB", "2026-11-23", notes="pratade kompetensförsörjning"),
    ),
    ("Ellos AB, igår", expect("Ellos AB", "2026-11-23")),
    (
        "Ellos AB; igår; KSO; digitalt; bra möte",
        expect("Ellos AB", "2026-11-23", others=("KSO",), form="digitalt", notes="bra möte"),
    ),
    (
        "Ellos AB, pratade om mässan 3 mars och nya lokaler",
        expect("Ellos AB", notes="pratade om mässan 3 mars och nya lokaler"),
    ),
    (
        "Ellos AB igår, pratade om mässan 3 mars",
        expect("Ellos AB", "2026-11-23", notes="pratade om mässan 3 mars"),
    ),
    # Every date form a visit line takes.
    ("Ellos AB måndag förra veckan, fysiskt", expect("Ellos AB", "2026-11-16")),
    ("Ellos AB 3/2, digitalt", expect("Ellos AB", "2026-02-03", form="digitalt")),
    ("Ellos AB 3/2 2025 på Teams", expect("Ellos AB", "2025-02-03", form="digitalt")),
    ("Ellos AB 2023-02-03", expect("Ellos AB", "2023-02-03")),
    ("Ellos AB 3:e mars", expect("Ellos AB", "2026-03-03")),
    ("Ellos AB mån 23 nov", expect("Ellos AB", "2026-11-23")),
    ("Ellos AB för 2 veckor sedan", expect("Ellos AB", "2026-11-10")),
    ("Ellos AB 24 nov", expect("Ellos AB")),
    (
        f"Ellos AB den 3 februari 2023 med {PIA}: uppföljning av rekryteringsbehov",
        expect("Ellos AB", "2023-02-03", ids=("U0PIA",), notes="uppföljning av rekryteringsbehov"),
    ),
    (
        f"Svenskt Näringsliv för tre dagar sedan, {ANNA_M} med, pratade företagsklimatet",
        expect(
            "Svenskt Näringsliv", "2026-11-21", ids=("U0ANNAM",), notes="pratade företagsklimatet"
        ),
    ),
    # People: mentions, plain @names, titles with names, plain names after "med".
    (
        f"Textile Fashion Center 3 mars med {JONAS} och {ANNIKA}: workshop om hållbar textil",
        expect(
            "Textile Fashion Center",
            "2026-03-03",
            ids=("U0JONAS", "U0ANNIKA"),
            notes="workshop om hållbar textil",
        ),
    ),
    (
        "Marketplace Borås via Teams igår med kommunalrådet Annette Carlson",
        expect(
            "Marketplace Borås",
            "2026-11-23",
            others=("kommunalrådet Annette Carlson",),
            form="digitalt",
        ),
    ),
    (
        "Ellos AB igår med kommundirektören och oppositionsrådet",
        expect("Ellos AB", "2026-11-23", others=("kommundirektören", "oppositionsrådet")),
    ),
    (
        f"Ellos AB igår med förvaltningschefen Anna Svensson och {PIA}",
        expect(
            "Ellos AB", "2026-11-23", ids=("U0PIA",), others=("förvaltningschefen Anna Svensson",)
        ),
    ),
    (f"Marketplace Borås idag med {PIA} och {PIA}", expect("Marketplace Borås", ids=("U0PIA",))),
    (
        "Ellos AB i tisdags med @pia och @jonas",
        expect("Ellos AB", "2026-11-17", names=("pia", "jonas")),
    ),
    (
        f"Svenskt Näringsliv idag med {ANNIKA}, KSO och kommunalrådet Annette Carlson, digitalt "
        "via Teams, pratade företagsklimatet och ranking",
        expect(
            "Svenskt Näringsliv",
            ids=("U0ANNIKA",),
            others=("KSO", "kommunalrådet Annette Carlson"),
            form="digitalt",
            notes="pratade företagsklimatet och ranking",
        ),
    ),
    (
        "Ellos AB igår med Annika och Jonas",
        expect("Ellos AB", "2026-11-23", others=("Annika", "Jonas")),
    ),
    (
        "Ellos AB igår med vd:n Lisa Berg",
        expect("Ellos AB", "2026-11-23", others=("vd:n Lisa Berg",)),
    ),
    (
        f"Ellos AB igår tillsammans med {PIA}",
        expect("Ellos AB", "2026-11-23", ids=("U0PIA",)),
    ),
    (
        f"Viared Logistik i fredags, KSO var med, {PIA}",
        expect("Viared Logistik", "2026-11-20", ids=("U0PIA",), others=("KSO",)),
    ),
    # Form words.
    ("Viared Logistik i fredags telefon", expect("Viared Logistik", "2026-11-20", form="digitalt")),
    (
        f"Ellos AB igår Teams-möte med {PIA}",
        expect("Ellos AB", "2026-11-23", ids=("U0PIA",), form="digitalt"),
    ),
    ("Ellos AB i dag videomöte", expect("Ellos AB", form="digitalt")),
    ("Ellos AB igår Zoom", expect("Ellos AB", "2026-11-23", form="digitalt")),
    ("Ellos AB igår digital", expect("Ellos AB", "2026-11-23", form="digitalt")),
    ("Ellos AB igår, via Zoom", expect("Ellos AB", "2026-11-23", form="digitalt")),
    (
        "Ellos AB igår på plats med KSO",
        expect("Ellos AB", "2026-11-23", others=("KSO",)),
    ),
    ("Viared Logistik AB fysiskt igår", expect("Viared Logistik AB", "2026-11-23")),
    # Follow-ups are taken out of the notes.
    (
        "Ellos AB igår, pratade lönsamhet, följ upp om 2 veckor",
        expect("Ellos AB", "2026-11-23", notes="pratade lönsamhet", follow_up="2026-12-08"),
    ),
    ("Ellos AB igår följ upp 3 mars", expect("Ellos AB", "2026-11-23", follow_up="2027-03-03")),
    (
        "Textile Fashion Center i går, uppföljning om en månad, pratade lokaler",
        expect(
            "Textile Fashion Center", "2026-11-23", notes="pratade lokaler", follow_up="2026-12-24"
        ),
    ),
    (
        "Ellos AB, pratade lokaler följ upp nästa fredag",
        expect("Ellos AB", notes="pratade lokaler", follow_up="2026-12-04"),
    ),
    (
        "Ellos AB igår, återkoppla nästa fredag",
        expect("Ellos AB", "2026-11-23", follow_up="2026-12-04"),
    ),
    (
        "Ellos AB igår påminn mig på fredag",
        expect("Ellos AB", "2026-11-23", follow_up="2026-11-27"),
    ),
    # Slack's escaping: entities unescaped, links and channels as their text.
    ("H&amp;M igår", expect("H&M", "2026-11-23")),
    (
        "Svensson &amp; Son Bygg AB idag, pratade &lt;lokaler&gt; &amp; el",
        expect("Svensson & Son Bygg AB", notes="pratade <lokaler> & el"),
    ),
    (
        "Ellos AB igår, pratade &lt;!channel&gt; och payload",
        expect("Ellos AB", "2026-11-23", notes="pratade <!channel> och payload"),
    ),
    ("Ellos AB igår, se <#C0KANAL|besök>", expect("Ellos AB", "2026-11-23", notes="se #besök")),
    (
        "Ellos AB igår, mer på <https://ellos.se|ellos.se> och <https://boras.se>",
        expect("Ellos AB", "2026-11-23", notes="mer på ellos.se och https://boras.se"),
    ),
    (
        "Ellos AB igår <!channel> pratade",
        expect("Ellos AB", "2026-11-23", notes="@channel pratade"),
    ),
    (
        f"Ellos AB igår, pratade med {JONAS} om mässan",
        expect("Ellos AB", "2026-11-23", ids=("U0JONAS",), notes="pratade med @jonas om mässan"),
    ),
    (
        "Ellos AB igår. Pratade kompetens. Bra möte.",
        expect("Ellos AB", "2026-11-23", notes="Pratade kompetens. Bra möte."),
    ),
    ("Ellos AB. Bra möte om lokaler", expect("Ellos AB", notes="Bra möte om lokaler")),
    (
        "Ellos AB igår, ca 2,5 miljoner i investeringar, t.ex. Lager",
        expect("Ellos AB", "2026-11-23", notes="ca 2,5 miljoner i investeringar, t.ex. Lager"),
    ),
    (
        "Ellos AB igår\npratade kompetens\nföljer upp",
        expect("Ellos AB", "2026-11-23", notes="pratade kompetens\nföljer upp"),
    ),
    # Names that look like something else.
    ("Hem om Hörnet AB igår", expect("Hem om Hörnet AB", "2026-11-23")),
    ("Ellos AB om rekrytering", expect("Ellos AB", notes="om rekrytering")),
    ("Café 24/7 igår", expect("Café 24/7", "2026-11-23")),
    ("Ellos Med Mera AB igår", expect("Ellos Med Mera AB", "2026-11-23")),
    ("Anna M. Bygg AB igår", expect("Anna M. Bygg AB", "2026-11-23")),
    ('"Ellos AB" igår', expect("Ellos AB", "2026-11-23")),
    ("Ellos AB igår kl. 10 med KSO", expect("Ellos AB", "2026-11-23", others=("KSO",))),
    ("Ellos AB 3 mars 2025 med @pia.", expect("Ellos AB", "2025-03-03", names=("pia",))),
    (
        unicodedata.normalize("NFD", "Borås Energi igår"),
        expect("Borås Energi", "2026-11-23"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), PHRASINGS, ids=[t for t, _ in PHRASINGS])
def test_real_phrasings(text: str, expected: dict[str, Any]) -> None:
    assert fields(parse_visit(text, TODAY)) == expected


def test_there_are_at_least_forty_phrasings() -> None:
    assert len(PHRASINGS) >= 40


def test_date_text_is_the_phrase_as_written_and_none_without_a_date() -> None:
    assert parse_visit("Per Holm Bygg i tisdags med KSO", TODAY).date_text == "i tisdags"
    assert parse_visit("Ellos AB den 3 februari 2023", TODAY).date_text == "den 3 februari 2023"
    assert parse_visit("Ellos AB", TODAY).date_text is None


def test_on_a_monday_i_mandags_is_a_week_ago() -> None:
    visit = parse_visit("Ellos AB i måndags", dt.date(2026, 11, 23))
    assert visit.visit_date == dt.date(2026, 11, 16)


def test_in_january_3_mars_is_last_year() -> None:
    visit = parse_visit("Fredags Café 3 mars", dt.date(2026, 1, 10))
    assert visit.visit_date == dt.date(2025, 3, 3)


def test_the_visit_is_frozen() -> None:
    visit = parse_visit("Ellos AB", TODAY)
    with pytest.raises(AttributeError):
        visit.company = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "igår", "i tisdags, digitalt", f"igår med {PIA}", PIA, "@pia igår",
        # Nothing before the first comma: what follows is the note, not a company.
        ", bara anteckning", " , pratade lokaler igår", "; möte om lokaler",
    ],
)  # fmt: skip
def test_no_company_says_what_to_write(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_visit(text, TODAY)
    assert "Skriv företaget först" in err.value.message
    assert "/besök Ellos AB igår" in err.value.message


@pytest.mark.parametrize(
    "text",
    [
        "Ellos AB 31/2",
        "Ellos AB 32 mars",
        "Ellos AB 30 februari 2024",
        "Ellos AB 3/13",
        "Ellos AB förra månaden",  # a month, not a day
    ],
)
def test_a_date_that_cannot_be_read(text: str) -> None:
    with pytest.raises(InvalidDate) as err:
        parse_visit(text, TODAY)
    assert "Jag kan inte läsa" in err.value.message
    assert "Skriv t.ex." in err.value.message


@pytest.mark.parametrize(
    "text",
    [
        "Ellos AB 2027-01-05",
        "Ellos AB nästa fredag",
        "Ellos AB i övermorgon",
        "Ellos AB 3/2 2027",
        "Ellos AB om 2 veckor",
        "Ellos AB imorgon",  # the same future rule for every phrasing: tomorrow too
        "Ellos AB 25/11",  # tomorrow's date is tomorrow, never last year's
    ],
)
def test_a_date_more_than_a_day_ahead(text: str) -> None:
    with pytest.raises(InvalidDate) as err:
        parse_visit(text, TODAY)
    assert "ligger i framtiden" in err.value.message
    assert "igår" in err.value.message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Ellos AB igår, följ upp 31/2", "kan inte läsa uppföljningsdatumet"),
        ("Ellos AB igår, följ upp 2020-01-01", "bakåt i tiden"),
    ],
)
def test_a_bad_follow_up(text: str, says: str) -> None:
    with pytest.raises(InvalidDate) as err:
        parse_visit(text, TODAY)
    assert says in err.value.message
    assert "följ upp om 2 veckor" in err.value.message


def test_text_over_the_limit() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_visit("Ellos AB igår, " + "x" * 3000, TODAY)
    assert "för lång" in err.value.message


def test_a_company_name_over_the_limit() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_visit("Ellos " + "Aktiebolag " * 25, TODAY)
    assert "Företagsnamnet är för långt" in err.value.message


def test_private_use_characters_typed_by_the_user_are_no_tokens() -> None:
    visit = parse_visit("Ellos AB igår, \ue000M7\ue001 och \ue000N0\ue001", TODAY)
    assert visit.notes == "M7 och N0"
    assert visit.mentioned_user_ids == ()
