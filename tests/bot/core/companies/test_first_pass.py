"""The first pass of company matching: plain ratio over keys whose words are sorted once is
token_sort_ratio, score for score (match_company relies on it for its speed)."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from bot.core.companies.register import match_key, token_sorted

NAMES = [
    "Ellos AB",
    "Ellos Group AB",
    "AB Ellos",
    "Borås Energi och Miljö",
    "Fastighets AB Björnen 3",
    "Björnen 4 Fastighets AB",
    "Knallebageriet",
    "Textile Fashion Center",
    "Center Textile  Fashion",
    "Åhléns",
    "Gina Tricot",
]


@pytest.mark.parametrize("typed", ["ellos", "ellso ab", "björnen fastighets 3", "borås energi"])
def test_ratio_over_sorted_words_is_token_sort_ratio(typed: str) -> None:
    for name in NAMES:
        known = match_key(name)
        assert fuzz.ratio(token_sorted(typed), token_sorted(known)) == pytest.approx(
            fuzz.token_sort_ratio(typed, known)
        ), (typed, known)
