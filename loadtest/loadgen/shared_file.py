"""The one evidence file every generated evidence row points at.

A two-page sample PDF (``loadtest.samples``) stored once in default storage under
``evidence/lg-shared/<sha256>.pdf``, with its true SHA-256 and page count: a re-hash of the evidence of locked
periods finds it intact, and the storage holds one file, not hundreds of thousands.
(``evidence.services.evidence_remove`` deletes a stored file only with the last row that uses it, so an
officer removing one generated evidence row leaves the shared file in place.)
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from evidence.validators import check_evidence_bytes
from loadtest.loadgen.tree import PREFIX
from loadtest.samples import sample_pdf


@functools.cache
def _sample_pdf() -> bytes:
    """Rendered once per process (WeasyPrint takes a second or two); the same bytes every time."""
    return sample_pdf(2)


@dataclass(frozen=True)
class SharedEvidence:
    name: str
    size: int
    pages: int
    sha256: str
    stored_now: bool  # this run stored it (and removes it again if the run fails)


def shared_evidence_store() -> SharedEvidence:
    """One two-page sample PDF (the `make_sample_evidence` one), stored once under its SHA-256."""
    data = _sample_pdf()
    checked = check_evidence_bytes(data, max_bytes=len(data))
    sha256 = hashlib.sha256(data).hexdigest()
    name = f"evidence/{PREFIX}shared/{sha256}.pdf"
    stored_now = not default_storage.exists(name)
    if stored_now:
        name = default_storage.save(name, ContentFile(data))
    return SharedEvidence(name, len(data), checked.page_count, sha256, stored_now)
