"""The theme list and the tagger: Swedish inflections and compounds, words that must not."""

from __future__ import annotations

import pytest

from bot.core.visits.themes import (
    Tagger,
    Theme,
    ThemeFileError,
    parse_themes,
    read_themes,
    tagger_for,
)

SHIPPED = (
    "Kompetensförsörjning",
    "Mark och lokaler",
    "Infrastruktur och trafik",
    "Energi",
    "Myndighetsutövning och service",
    "Upphandling",
    "Finansiering och stöd",
    "Export och internationalisering",
    "Hållbarhet",
)


def test_the_shipped_list_has_the_plans_themes() -> None:
    names = [theme.name for theme in read_themes()]
    assert all(name in names for name in SHIPPED)
    assert all(theme.words for theme in read_themes())


@pytest.mark.parametrize(
    "note",
    [
        "Stor kompetensbrist i hela branschen",
        "De har svårt att rekrytera svetsare",
        "personalbristen är akut",
        "rekryteringen går trögt",
        "Anställda slutar",
    ],
)
def test_inflections_and_compounds_mark_kompetensforsorjning(note: str) -> None:
    assert "Kompetensförsörjning" in tagger_for().themes_of(note)


@pytest.mark.parametrize(
    ("note", "theme"),
    [
        ("Behöver större lokaler i Viared", "Mark och lokaler"),
        ("industrilokalerna räcker inte", "Mark och lokaler"),
        ("elpriserna slår hårt", "Energi"),
        ("energin är dyr", "Energi"),
        ("torrhamnen i Osdal", "Infrastruktur och trafik"),
        ("långa handläggningstider för bygglovet", "Myndighetsutövning och service"),
        ("vill lämna anbud i upphandlingen", "Upphandling"),
        ("fick coronastöd via Almi", "Finansiering och stöd"),
        ("vill exportera till Tyskland", "Export och internationalisering"),
        ("jobbar med textilåtervinning och cirkulär design", "Hållbarhet"),
    ],
)
def test_each_shipped_theme_is_found(note: str, theme: str) -> None:
    assert theme in tagger_for().themes_of(note)


@pytest.mark.parametrize(
    ("note", "not_theme"),
    [
        ("Marknaden i Danmark växer", "Mark och lokaler"),  # "mark" is no part of either
        ("vägrar svara", "Infrastruktur och trafik"),  # "väg" is too short to begin a word
        ("det hamnar hos dem", "Infrastruktur och trafik"),
        ("en ny modell", "Energi"),  # "el" only whole
        ("arbetsmiljön är god", "Hållbarhet"),
        ("kontakt med miljöförvaltningen", "Hållbarhet"),
    ],
)
def test_words_that_must_not_and_short_words_do_not_mark(note: str, not_theme: str) -> None:
    assert not_theme not in tagger_for().themes_of(note)


def test_a_word_that_must_not_blocks_only_itself() -> None:
    found = tagger_for().themes_of("Marknaden är god men de saknar mark att bygga på")
    assert "Mark och lokaler" in found


def test_themes_come_in_the_lists_order_and_empty_notes_have_none() -> None:
    tagger = Tagger([Theme("B", ("buss",)), Theme("A", ("anbud",))])
    assert tagger.themes_of("anbud och buss") == ("B", "A")
    assert tagger.themes_of("") == ()


def test_an_excerpt_is_the_sentence_that_marks_the_theme() -> None:
    note = (
        "Vi pratade om mycket. De har svårt att rekrytera svetsare till nya fabriken. Sedan lunch."
    )
    excerpt = tagger_for().excerpt(note, "Kompetensförsörjning")
    assert excerpt == "De har svårt att rekrytera svetsare till nya fabriken."
    long = "Inledning. " + "ord " * 60 + "kompetensbrist " + "ord " * 60
    cut = tagger_for().excerpt(long, "Kompetensförsörjning", limit=80)
    assert "kompetensbrist" in cut and len(cut) <= 90 and cut.startswith("…")


def test_a_bad_list_names_every_problem() -> None:
    with pytest.raises(ThemeFileError) as raised:
        parse_themes({"teman": [{"namn": "A"}, {"namn": "A", "ord": "x"}, {"ord": ["y"]}]})
    message = raised.value.message
    assert "teman[0].ord" in message and "teman[1].namn" in message
    assert "teman[1].ord" in message and "teman[2].namn" in message
    with pytest.raises(ThemeFileError):
        parse_themes({"fel": []})
