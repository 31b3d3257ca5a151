"""What goes wrong before a command can do anything, in one or two Swedish lines.

A setting that cannot be used, a database that cannot be read or reached, Ctrl-C: the operator
gets the setting's name and the fix, and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import os
import re

from bot.cli import swedish

DATABASE_URL = "KNALLE_DATABASE_URL"
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def shown_url(url: str) -> str:
    """The database address with its password hidden."""
    return _PASSWORD.sub(r"\1***@", url)


def describe(error: BaseException) -> tuple[str, int] | None:
    """The Swedish lines and exit code for a failure at the boundary, or None (re-raise)."""
    from pydantic import ValidationError
    from sqlalchemy import exc

    if isinstance(error, KeyboardInterrupt):
        return swedish.INTERRUPTED, 130
    if isinstance(error, ValidationError):
        lines = []
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem.get("loc") else "inställningen"
            reason = str(problem.get("msg", "")).removeprefix("Value error, ")
            lines.append(swedish.BAD_SETTING.format(name=name.upper(), reason=reason))
        return "\n".join(lines), 2
    url = shown_url(os.environ.get(DATABASE_URL, ""))
    if isinstance(error, exc.NoSuchModuleError | exc.ArgumentError):
        return swedish.BAD_DATABASE_URL.format(name=DATABASE_URL, url=url), 2
    if isinstance(error, exc.OperationalError | exc.InterfaceError):
        return swedish.DATABASE_UNREACHABLE.format(name=DATABASE_URL, url=url or "standard"), 1
    return None
