from __future__ import annotations

import pytest

from bot.core.plan.lights import LEGEND, SYMBOL, Light, parse_light, split_light, stored_light


@pytest.mark.parametrize(
    ("text", "light"),
    [
        ("grön", Light.GRON),
        (" Gul. ", Light.GUL),
        ("RÖD", Light.ROD),
        ("grå", Light.GRA),
        ("Genomfört enligt plan", Light.GRON),
        ("delvis  klart", Light.GUL),
        ("klart med vissa justeringar", Light.GUL),
        ("genomfördes ej i tid", Light.ROD),
        ("genomfördes ej p.g.a. Corona", Light.GRA),
        ("blå", None),
        ("", None),
    ],
)
def test_parse_light_reads_colours_and_the_legend(text: str, light: Light | None) -> None:
    assert parse_light(text) == light


@pytest.mark.parametrize(
    ("text", "light", "rest"),
    [
        ("gul Decembernumret försenat", Light.GUL, "Decembernumret försenat"),
        ("Delvis klart: två av tre träffar hölls", Light.GUL, "två av tre träffar hölls"),
        ("genomfördes ej i tid – flyttad till 2027", Light.ROD, "flyttad till 2027"),
        ("grön", Light.GRON, ""),
        ("grönsaker är gott", None, "grönsaker är gott"),  # a word that only starts like a light
        ("Klart i tid", Light.GRON, "i tid"),  # klar/klart is grön
        ("klart med justeringar, en träff kvar", Light.GUL, "en träff kvar"),
        ("🟢Klart i tid", Light.GRON, "Klart i tid"),
        (":large_yellow_circle: försenat", Light.GUL, "försenat"),
    ],
)
def test_split_light_takes_the_phrase_at_the_start(
    text: str, light: Light | None, rest: str
) -> None:
    assert split_light(text) == (light, rest)


def test_every_light_has_a_legend_and_a_symbol() -> None:
    assert set(LEGEND) == set(SYMBOL) == set(Light)


def test_stored_light_reads_only_the_four_values() -> None:
    assert stored_light("gul") is Light.GUL
    assert stored_light("grå") is Light.GRA
    assert stored_light(None) is None
    assert stored_light("") is None
    assert stored_light("Gul") is None  # stored values are exact; parse_light reads people
