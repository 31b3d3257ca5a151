"""Text made safe once, at the boundary: what no stored row may hold.

Lone surrogates (from JSON escapes such as "\\ud800") cannot be encoded as UTF-8 and broke the
CSV export; NUL is refused by PostgreSQL (failing a whole batch) and by openpyxl; other C0 and
C1 control characters break xlsx and docx; bidi overrides and isolates garble every line
they appear in (the channel digest). Newline and tab are kept. `problem` says why a text is
refused; `scrub` removes what is harmless to remove.
"""

from __future__ import annotations

import re
from typing import Any

# What the user reads when a text is refused (Swedish, says what to do instead).
UNSAFE_NUL = "Texten innehåller ett nolltecken (NUL). Skriv om texten utan det och försök igen."
UNSAFE_ENCODING = (
    "Texten innehåller ett trasigt tecken (ett ensamt surrogattecken). "
    "Skriv om texten, eller klistra in den igen från källan."
)
UNSAFE_BIDI = (
    "Texten innehåller dolda tecken som vänder skrivriktningen (höger-till-vänster). "
    "Skriv om texten utan dem."
)

# Refused where the user can retype (a command, a CLI argument): they mean a mistake or an attack.
_REFUSED = re.compile("[\x00\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
# Removed silently everywhere: other control characters, and noncharacters XML refuses.
_REMOVED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)


def problem(text: str) -> str | None:
    """The Swedish reason `text` is refused, or None when it may be stored (after `scrub`)."""
    found = _REFUSED.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return UNSAFE_NUL
    if "\ud800" <= char <= "\udfff":
        return UNSAFE_ENCODING
    return UNSAFE_BIDI


def scrub(text: str) -> str:
    """`text` without what no stored row may hold; CR LF and lone CR become LF."""
    if text.isprintable():
        # The common case, without a regex: every character removed below, and CR, is a
        # control, format, surrogate or noncharacter, none of which str.isprintable allows.
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _REMOVED.sub("", text)


def scrub_all(value: Any) -> Any:
    """Every string inside dicts, lists and tuples scrubbed; the same object when clean."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        changed = {key: scrub_all(item) for key, item in value.items()}
        return changed if any(changed[k] is not value[k] for k in value) else value
    if isinstance(value, list):
        items = [scrub_all(item) for item in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, tuple):
        items = [scrub_all(item) for item in value]
        return tuple(items) if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def is_clean(text: str) -> bool:
    return _REMOVED.search(text) is None and "\r" not in text
