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
