"""Slack's text format in one module: entities, mention tokens, links, channels, specials."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.text import mrkdwn
from bot.core.text.mrkdwn import Token


def test_escape_turns_the_three_characters_into_entities_and_leaves_the_rest() -> None:
    assert mrkdwn.escape("H&M <!channel> > Åhléns") == "H&amp;M &lt;!channel&gt; &gt; Åhléns"
    assert mrkdwn.escape("Ärlig öl på å") == "Ärlig öl på å"
    assert mrkdwn.escape("") == ""


def test_escape_does_not_trust_text_that_looks_escaped_already() -> None:
    # What the user typed was "&lt;": it must show as "&lt;", not as "<".
    assert mrkdwn.escape("&lt;b&gt;") == "&amp;lt;b&amp;gt;"
    assert mrkdwn.unescape(mrkdwn.escape("&lt;b&gt;")) == "&lt;b&gt;"


def test_unescape_undoes_amp_last_so_a_doubly_escaped_entity_stays_an_entity() -> None:
    assert mrkdwn.unescape("H&amp;M &lt;lokaler&gt;") == "H&M <lokaler>"
    assert mrkdwn.unescape("&amp;lt;") == "&lt;"
    assert mrkdwn.unescape("Smörgåsbord &amp; kräftor") == "Smörgåsbord & kräftor"
    assert mrkdwn.unescape("&quot; &#39; &nbsp;") == "&quot; &#39; &nbsp;"  # only Slack's three


@given(st.text())
def test_escape_then_unescape_gives_back_any_text(text: str) -> None:
    assert mrkdwn.unescape(mrkdwn.escape(text)) == text


@given(st.text())
def test_escaped_text_holds_no_token_and_no_bare_angle_bracket(text: str) -> None:
    escaped = mrkdwn.escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert mrkdwn.tokens(escaped) == []


@given(st.text(alphabet="&<>;ltgampåäöÅÄÖ@|#!U1 "))
def test_the_round_trip_holds_for_entity_like_text_and_swedish_letters(text: str) -> None:
    assert mrkdwn.unescape(mrkdwn.escape(text)) == text


def test_only_knalles_own_bare_mentions_survive_escaping() -> None:
    assert mrkdwn.escape_keeping_mentions("<@U1> och <!channel> & <@U2|pia>") == (
        "<@U1> och &lt;!channel&gt; &amp; &lt;@U2|pia&gt;"
    )
    assert mrkdwn.escape_keeping_mentions(f"Loggat av {mrkdwn.mention('W9Z')}.") == (
        "Loggat av <@W9Z>."
    )


@pytest.mark.parametrize(
    ("raw", "target", "label", "kind"),
    [
        ("<@U123>", "@U123", "", "user"),
        ("<@U123|pia>", "@U123", "pia", "user"),
        ("<@W1|Åsa Öberg>", "@W1", "Åsa Öberg", "user"),
        ("<#C9>", "#C9", "", "channel"),
        ("<#C9|nyheter>", "#C9", "nyheter", "channel"),
        ("<!here>", "!here", "", "special"),
        ("<!subteam^S1|@team>", "!subteam^S1", "@team", "special"),
        ("<https://x.se/a|artikeln>", "https://x.se/a", "artikeln", "link"),
        ("<https://x.se>", "https://x.se", "", "link"),
        ("<mailto:a@b.se|a@b.se>", "mailto:a@b.se", "a@b.se", "link"),
        ("<https://x.se|a|b>", "https://x.se", "a|b", "link"),  # the first bar splits
    ],
)
def test_a_token_is_read_into_target_label_and_kind(
    raw: str, target: str, label: str, kind: str
) -> None:
    (token,) = mrkdwn.tokens(f"före {raw} efter")
    assert (token.raw, token.target, token.label, token.kind) == (raw, target, label, kind)


def test_a_user_token_has_an_id_only_when_it_is_a_real_user_id() -> None:
    assert Token("<@U1|pia>", "@U1", "pia").user_id == "U1"
    assert Token("<@W2>", "@W2", "").user_id == "W2"
    assert Token("<@pia>", "@pia", "").user_id is None
    assert Token("<#C1>", "#C1", "").user_id is None


def test_a_special_is_named_by_what_comes_before_its_caret() -> None:
    assert Token("<!subteam^S1|@team>", "!subteam^S1", "@team").special_name == "subteam"
    assert Token("<!here>", "!here", "").special_name == "here"
    assert Token("<#C1>", "#C1", "").special_name == ""


def test_mentions_are_found_with_and_without_labels_in_order() -> None:
    text = "Besök med <@U1|pia>, <@W2> och <@U1> – inte <#C1|kanal> eller @olle"
    assert mrkdwn.mentioned_user_ids(text) == ["U1", "W2", "U1"]
    assert mrkdwn.MENTION.sub("", text) == "Besök med ,  och  – inte <#C1|kanal> eller @olle"


def test_typed_names_are_plain_at_words_not_mail_addresses() -> None:
    names = [m.group(1) for m in mrkdwn.TYPED_NAME.finditer("med @pia, @åsa.ö och a@b.se")]
    assert names == ["pia", "åsa.ö"]


def test_tokens_are_replaced_and_the_text_between_is_left_alone() -> None:
    text = "a &amp; <@U1|pia> b <https://x.se|x> c"
    assert mrkdwn.replace_tokens(text, lambda t: f"[{t.kind}]") == "a &amp; [user] b [link] c"


def test_readable_text_is_what_a_person_reads_in_slack() -> None:
    raw = (
        "Företagsamt gul med <@U123|pia> i <#C9|nyheter>, se <https://x.se/a|artikeln> "
        "&amp; <!here> och &lt;!channel&gt; på Ölands bro"
    )
    assert mrkdwn.readable(raw) == (
        "Företagsamt gul med @pia i #nyheter, se artikeln & @here och <!channel> på Ölands bro"
    )
    assert mrkdwn.readable("<@U123> <#C9> <https://x.se> <mailto:a@b.se>") == (
        "@U123 #C9 https://x.se mailto:a@b.se"
    )
    assert mrkdwn.readable("<!subteam^S1|@team> <!date^1^{date}|igår>") == "@team @igår"
    assert mrkdwn.readable("<något okänt>") == "<något okänt>"  # not a token Slack writes


def test_the_module_imports_only_the_standard_library() -> None:
    source = Path(mrkdwn.__file__).read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "re", "collections", "dataclasses", "typing"}
