"""Typed refusals from the services; the edge (Telegram, CLI) turns the key into words.

`key` names a text of `bot.texts`, `params` fill its placeholders.
"""

from __future__ import annotations


class FinbotError(Exception):
    """Something the user asked for that cannot be done, with the message to show."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class NotFoundError(FinbotError):
    """The request, case, document or entry named does not exist."""


class NotAllowedError(FinbotError):
    """The actor may not do this (not the owner, not an officer …)."""
