"""User text as literal Markdown, for every Markdown file Knalle writes (report, synpunkter)."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#+-]|\d+\.)(?=\s)", re.MULTILINE)


def text(value: str) -> str:
    """User text as literal Markdown: no HTML, emphasis, links or headings slip through."""
    escaped = _SPECIAL.sub(r"\\\1", value)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def cell(value: str) -> str:
    """Table cells hold one line of escaped text (no line starts, so no list markers)."""
    return _SPECIAL.sub(r"\\\1", " ".join(value.split()))
