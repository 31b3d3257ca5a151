"""Regular expressions compiled on first use instead of at import.

The date grammar and the visit line's and channel message's vocabularies are about 30 patterns,
~20 ms of compiling on every start of `knalle serve` that no request had asked for yet. A
`LazyPattern` compiles on its first match, search or substitution; from then on the compiled
pattern's own methods answer, with nothing of this class in between. `compile_all` compiles
every one made so far: the start's warm-up calls it once the server listens (bot/slack/serve.py),
so the first /besök does not pay for them either.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

_made: list[LazyPattern] = []
_lock = threading.Lock()


class LazyPattern:
    """`re.compile(pattern, flags)`, done on first use. Methods as re.Pattern's (str only)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        with _lock:
            _made.append(self)

    def compile(self) -> re.Pattern[str]:
        compiled = re.compile(self.pattern, self.flags)
        # Instance attributes come before the class's methods: later calls go straight to the
        # compiled pattern. Two threads compiling at once make equal patterns; either stays.
        self.__dict__.update(
            compile=lambda: compiled,
            match=compiled.match,
            fullmatch=compiled.fullmatch,
            search=compiled.search,
            finditer=compiled.finditer,
            findall=compiled.findall,
            sub=compiled.sub,
            subn=compiled.subn,
            split=compiled.split,
        )
        return compiled

    @property
    def compiled(self) -> bool:
        return "match" in self.__dict__

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compile().match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        return self.compile().fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compile().search(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compile().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compile().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compile().sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        return self.compile().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compile().split(string, maxsplit)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"


def compile_all() -> int:
    """Compile every lazy pattern not compiled yet; how many were."""
    with _lock:
        waiting = [pattern for pattern in _made if not pattern.compiled]
    for pattern in waiting:
        pattern.compile()
    return len(waiting)
