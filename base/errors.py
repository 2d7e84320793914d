"""The domain error every service raises: a message for users in Bangla, with English beside it."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message_bn: str, message_en: str = ""):
        super().__init__(f"{message_bn} / {message_en}" if message_en else message_bn)
        self.message_bn = message_bn
        self.message_en = message_en

    @property
    def message(self) -> str:
        return str(self)

    @property
    def details(self) -> list[str]:
        """Each problem the error lists, one line each (an import's problems with their rows); none here."""
        return []

    @property
    def user_message(self) -> str:
        """The message in the language of the current request (Bangla unless English was chosen)."""
        return localized(self.message_bn, self.message_en)


class PermissionDeniedError(DomainError):
    """The user may not do this (a view answers 404 to someone who may not even see the thing)."""


class LockedError(DomainError):
    """The period is submitted or approved: its data is read-only until it is returned."""


class ConflictError(DomainError):
    """Someone else changed the same thing since this user loaded it."""


def localized(message_bn: str, message_en: str) -> str:
    """Pick the Bangla or the English text for the current request; Bangla when no English exists."""
    from django.utils.translation import get_language

    if message_en and (get_language() or "bn").startswith("en"):
        return message_en
    return message_bn
