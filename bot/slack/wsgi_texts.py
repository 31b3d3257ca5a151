"""What the HTTP surface answers a request it refuses before Bolt sees it (Swedish, short)."""

from __future__ import annotations

UNSIGNED = "Ogiltig eller saknad signatur från Slack."
STALE = "Begäran är för gammal eller har en ogiltig tidsstämpel."
TOO_LARGE = "Begäran är för stor."
NOT_UTF8 = "Begäran är inte giltig UTF-8."
MALFORMED = "Begäran kunde inte läsas: fel format."
BAD_LENGTH = "Ogiltig Content-Length."
SEEN = "Begäran har redan tagits emot."
UNHANDLED = "Knalle känner inte igen det här. Skriv /besök hjälp eller /aktivitet hjälp."
