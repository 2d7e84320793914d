"""Every write to evidence."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from apa_tracker.errors import DomainError
from evidence.models import Evidence
from evidence.validators import check_evidence_bytes
from indicators.models import Indicator


def sanitize_filename(name: str) -> str:
    """The last path component, without control characters, at most 200 characters; kept only for display."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"\s+", " ", base).strip().lstrip(".")
    return base[:200] or "file"


@transaction.atomic
def evidence_attach(
    *,
    indicator: Indicator,
    title: str,
    data: bytes,
    original_name: str,
    quarter: int | None = None,
    user: AbstractBaseUser | None = None,
) -> Evidence:
    """Check an evidence file by its content and keep it under a random name with its SHA-256."""
    title = " ".join(title.split())
    if not title:
        raise DomainError("প্রমাণকের শিরোনাম আবশ্যক।", "The evidence title is required.")
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise DomainError("ত্রৈমাসিক ১ থেকে ৪ হতে হবে।", "The quarter must be 1 to 4.")
    checked = check_evidence_bytes(data, max_bytes=settings.EVIDENCE_MAX_BYTES)
    last = indicator.evidence.aggregate(last=Max("position"))["last"]
    evidence = Evidence(
        indicator=indicator,
        quarter=quarter,
        title=title[:500],
        original_name=sanitize_filename(original_name),
        content_type=checked.content_type,
        size=len(data),
        page_count=checked.page_count,
        sha256=hashlib.sha256(data).hexdigest(),
        position=(last or 0) + 1,
        uploaded_by=user,
    )
    evidence.file.save("upload", ContentFile(data), save=False)
    # The file is written before its row; if the row cannot be saved, remove the file again so that a
    # refused upload leaves nothing behind.
    try:
        evidence.full_clean()
        evidence.save()
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence
