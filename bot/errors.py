"""Typed user errors: the core raises them with a Swedish message, one handler shows them."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix. `message` is Swedish and says what to write instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidDate(UserError):
    """A date that cannot be read, or that lies in the future."""


class InvalidInput(UserError):
    """Input that is empty, too long or otherwise malformed."""


class NotFound(UserError):
    """A visit, company, activity or staff member that does not exist."""


class NotAllowed(UserError):
    """The user may not do this (edit someone else's visit, an admin-only command)."""


class Ambiguous(UserError):
    """More than one thing matches; `candidates` lets the surface offer a choice."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates
