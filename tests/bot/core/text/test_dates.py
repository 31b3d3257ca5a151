"""The Swedish date grammar, driven with an explicit `today` (no clock, no time zone)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.text.dates import (
    Direction,
    match_date_at,
    parse_date_phrase,
    parse_future_date,
    search_date,
    warm_up,
)

TUESDAY = dt.date(2026, 11, 24)
MONDAY = dt.date(2026, 11, 23)
JANUARY = dt.date(2026, 1, 10)  # a Saturday early in the year: month dates roll back a year


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("idag", "2026-11-24"),
        ("i dag", "2026-11-24"),
        ("IDAG", "2026-11-24"),
        ("igår", "2026-11-23"),
        ("i går", "2026-11-23"),
        ("Igår", "2026-11-23"),
        ("igår kväll", "2026-11-23"),
        ("i förrgår", "2026-11-22"),
        ("förrgår", "2026-11-22"),
        ("i morgon", "2026-11-25"),
        ("imorgon", "2026-11-25"),
        ("i tisdags", "2026-11-17"),  # said on a Tuesday: a week ago, never today
        ("i måndags", "2026-11-23"),
        ("i onsdags", "2026-11-18"),
        ("i fredags", "2026-11-20"),
        ("i söndags", "2026-11-22"),
        ("I Fredags", "2026-11-20"),
        ("förra fredagen", "2026-11-20"),
        ("förra fredag", "2026-11-20"),
        ("förra tisdagen", "2026-11-17"),
        ("måndag förra veckan", "2026-11-16"),
        ("fredag förra veckan", "2026-11-20"),
        ("tisdagen förra veckan", "2026-11-17"),
        ("för 3 dagar sedan", "2026-11-21"),
        ("för tre dagar sedan", "2026-11-21"),
        ("för tre dagar sen", "2026-11-21"),
        ("för en dag sedan", "2026-11-23"),
        ("för två dagar sedan", "2026-11-22"),
        ("för tio dagar sedan", "2026-11-14"),
        ("för en vecka sedan", "2026-11-17"),
        ("för 2 veckor sedan", "2026-11-10"),
        ("för två veckor sedan", "2026-11-10"),
        ("för en månad sedan", "2026-10-24"),
        ("3 mars", "2026-03-03"),
        ("den 3 mars", "2026-03-03"),
        ("3:e mars", "2026-03-03"),
        ("3e mars", "2026-03-03"),
        ("1:a mars", "2026-03-01"),
        ("3 mar", "2026-03-03"),
        ("3 mar.", "2026-03-03"),
        ("3 MARS", "2026-03-03"),
        ("24 november", "2026-11-24"),  # today counts as past
        ("25 november", "2026-11-25"),  # tomorrow's date is tomorrow (refused as a visit)
        ("8 december", "2026-12-08"),  # within two weeks ahead: that future day, never last year
        ("9 december", "2025-12-09"),  # further ahead: last year's
        ("15 dec", "2025-12-15"),  # dateparser alone reads 2015
        ("31 dec", "2025-12-31"),  # dateparser alone reads 1931
        ("mån 23 nov", "2026-11-23"),  # the bot's own reply format
        ("måndagen den 23 november", "2026-11-23"),
        ("3/2", "2026-02-03"),  # D/M: 3 February, not 2 March
        ("3/2 2025", "2025-02-03"),
        ("3/2-2025", "2025-02-03"),
        ("3/2/25", "2025-02-03"),
        ("3.2.2025", "2025-02-03"),
        ("2023-02-03", "2023-02-03"),
        ("den 3 februari 2023", "2023-02-03"),
        ("3 februari 2023", "2023-02-03"),
        ("29/2", "2024-02-29"),  # the latest past 29 February
        ("tisdag", "2026-11-17"),  # a bare weekday looks back
        ("igår kl 10:30", "2026-11-23"),
        ("i tisdags kl. 14", "2026-11-17"),
    ],
)
def test_past_phrases_on_a_tuesday(phrase: str, expected: str) -> None:
    assert parse_date_phrase(phrase, TUESDAY) == d(expected)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("i måndags", "2026-11-16"),  # said on a Monday: a week ago
        ("i tisdags", "2026-11-17"),
        ("i söndags", "2026-11-22"),
        ("måndag förra veckan", "2026-11-16"),
        ("söndag förra veckan", "2026-11-22"),
        ("förra måndagen", "2026-11-16"),
        ("i förrgår", "2026-11-21"),
        ("23 nov", "2026-11-23"),
    ],
)
def test_past_phrases_on_a_monday(phrase: str, expected: str) -> None:
    assert parse_date_phrase(phrase, MONDAY) == d(expected)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("3 mars", "2025-03-03"),  # later this year than today: last year
        ("den 3 mars", "2025-03-03"),
        ("3/2", "2025-02-03"),
        ("10 januari", "2026-01-10"),
        ("9 jan", "2026-01-09"),
        ("11 jan", "2026-01-11"),  # tomorrow: a future day, never last year
        ("25 jan", "2025-01-25"),
        ("31 dec", "2025-12-31"),
        ("igår", "2026-01-09"),
        ("för två veckor sedan", "2025-12-27"),
        ("i fredags", "2026-01-09"),
        ("måndag förra veckan", "2025-12-29"),
        ("för en månad sedan", "2025-12-10"),
    ],
)
def test_past_phrases_in_january_roll_back_a_year(phrase: str, expected: str) -> None:
    assert parse_date_phrase(phrase, JANUARY) == d(expected)


@pytest.mark.parametrize("phrase", ["31/2", "32 mars", "30 februari", "3/13", "2023-02-30", "0/3"])
def test_impossible_dates_are_none(phrase: str) -> None:
    assert parse_date_phrase(phrase, TUESDAY) is None


@pytest.mark.parametrize(
    "phrase", ["", "hej", "Ellos AB", "kompetensförsörjning", "förra veckan", "förra månaden"]
)
def test_no_date_at_all_is_none(phrase: str) -> None:
    assert parse_date_phrase(phrase, TUESDAY) is None


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("10 augusti", "2027-08-10"),  # the next one on or after today
        ("24 november", "2026-11-24"),
        ("23 november", "2027-11-23"),
        ("3 mars", "2027-03-03"),
        ("3/2", "2027-02-03"),
        ("15 dec", "2026-12-15"),
        ("om 2 veckor", "2026-12-08"),
        ("om två veckor", "2026-12-08"),
        ("om tre dagar", "2026-11-27"),
        ("om en vecka", "2026-12-01"),
        ("om en månad", "2026-12-24"),
        ("om 3 månader", "2027-02-24"),
        ("nästa fredag", "2026-12-04"),  # Friday of next week
        ("fredag nästa vecka", "2026-12-04"),
        ("nästa tisdag", "2026-12-01"),
        ("på fredag", "2026-11-27"),  # the coming Friday
        ("på tisdag", "2026-12-01"),  # said on a Tuesday: next week's
        ("fredag", "2026-11-27"),
        ("imorgon", "2026-11-25"),
        ("i morgon", "2026-11-25"),
        ("i övermorgon", "2026-11-26"),
        ("nästa vecka", "2026-11-30"),
        ("nästa månad", "2026-12-24"),
        ("2027-01-05", "2027-01-05"),
        ("den 5 januari 2027", "2027-01-05"),
        ("idag", "2026-11-24"),
    ],
)
def test_future_phrases(phrase: str, expected: str) -> None:
    assert parse_future_date(phrase, TUESDAY) == d(expected)


def test_month_arithmetic_clamps_to_the_last_day() -> None:
    assert parse_future_date("om en månad", dt.date(2027, 1, 31)) == d("2027-02-28")
    assert parse_date_phrase("för en månad sedan", dt.date(2026, 3, 31)) == d("2026-02-28")


def test_future_impossible_date_is_none() -> None:
    assert parse_future_date("31/2", TUESDAY) is None


def test_dateparser_is_the_fallback_for_a_whole_phrase_the_grammar_does_not_know() -> None:
    warm_up()
    # "15 december 2025" with a time is outside the grammar; dateparser reads it day first.
    assert parse_date_phrase("15.12.2025", TUESDAY) == d("2025-12-15")
    assert parse_date_phrase("december 15, 2025", TUESDAY) == d("2025-12-15")


@pytest.mark.parametrize(
    ("line", "found", "expected"),
    [
        ("Per Holm Bygg i tisdags med Pia", "i tisdags", "2026-11-17"),
        ("Maj's Bageri igår", "igår", "2026-11-23"),
        ("Fredags Café 3 mars", "3 mars", "2026-03-03"),
        ("Mars Chocolate för 3 dagar sedan", "för 3 dagar sedan", "2026-11-21"),
        ("Juni Design AB den 3 februari 2023, pratade", "den 3 februari 2023", "2023-02-03"),
        ("Marketplace Borås 2023-02-03", "2023-02-03", "2023-02-03"),
    ],
)
def test_search_finds_the_phrase_not_the_name(line: str, found: str, expected: str) -> None:
    m = search_date(line, TUESDAY)
    assert m is not None
    assert (m.text, m.date) == (found, d(expected))
    assert line[m.start : m.end].rstrip(".") == found


@pytest.mark.parametrize(
    "line", ["Maj's Bageri", "Fredags Café", "Mars Chocolate", "Juni Design AB"]
)
def test_names_with_month_or_weekday_words_are_no_date(line: str) -> None:
    assert search_date(line, TUESDAY) is None


def test_a_capitalised_bare_weekday_is_a_name_and_can_be_switched_off() -> None:
    assert search_date("Fredag Media", TUESDAY) is None
    assert match_date_at("tisdag med Pia", 0, TUESDAY, bare_weekday=False) is None
    m = match_date_at("tisdag med Pia", 0, TUESDAY)
    assert m is not None and m.date == d("2026-11-17")


def test_match_only_at_a_word_start() -> None:
    assert match_date_at("Fabrik3/2", 6, TUESDAY) is None
    assert search_date("x2023-02-03", TUESDAY) is None
    m = match_date_at("3 mars", 0, TUESDAY, Direction.FUTURE)
    assert m is not None and m.date == d("2027-03-03")
