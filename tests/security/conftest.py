"""Fixtures shared by the security tests."""

from __future__ import annotations

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler


@pytest.fixture
def received_chunks(monkeypatch) -> list[int]:
    """The sizes of the chunks the temporary upload file receives, in order, while the test runs."""
    received: list[int] = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        received.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", spy)
    return received
