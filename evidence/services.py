"""Every write to evidence."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from base.errors import DomainError, PermissionDeniedError
from base.text import text_within
from evidence.models import Evidence
from evidence.selectors import UNDATED_QUARTER, file_size_bn, first_open_quarter
from evidence.validators import EvidenceRejected, check_evidence_bytes, clean_text, sanitize_filename
from indicators import permissions
from indicators.history import history_record
from indicators.models import ActionPlan, HistoryKind, Indicator
from indicators.periods import ensure_quarter_editable
from indicators.permissions import administers


def history_label(evidence: Evidence) -> str:
    """How an evidence file is named in the history: its title and the start of its SHA-256."""
    return f"{evidence.title} ({evidence.sha256[:12]})"


def _ensure_may_change(user: AbstractBaseUser | None, plan: ActionPlan) -> None:
    # DESIGN.md §4: only officers and the CIO of the office change its evidence (and administrators, through
    # /admin/, its titles, quarters and order).
    if user is None or not (
        permissions.can_edit_progress(user, plan) or administers(user, "evidence.change_evidence")
    ):
        raise PermissionDeniedError(
            "আপনি এই দপ্তরের প্রমাণক যোগ বা সরাতে পারেন না।", "You cannot add or remove this office's evidence."
        )


def _ensure_open(plan: ActionPlan, *quarters: int | None) -> None:
    """Locked data stays locked (DESIGN.md §4): evidence of a submitted or approved quarter cannot change
    (undated evidence goes with Q4, whose annual report prints it). Several quarters (a move) are locked in
    quarter order, as every write path locks periods."""
    for quarter in sorted({UNDATED_QUARTER if q is None else q for q in quarters}):
        ensure_quarter_editable(plan, quarter)


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
    """Check an evidence file by its content and keep it under a random name with its SHA-256.

    The title and the original name are cleaned for display (``clean_text``, ``sanitize_filename``); the
    stored name is random with the extension of the type the content was found to be. A refused file
    leaves nothing: the checks come before anything is written, and a failure after the file was written
    removes it again.

    The content is checked before the quarter is locked: reading a large PDF or photo takes a while, and
    every other write to the quarter (progress, uploads, the submit) would wait for it. The lock is taken,
    and the quarter found open, before anything is written."""
    title = clean_text(title)
    if not title:
        raise DomainError("প্রমাণকের শিরোনাম আবশ্যক।", "The evidence title is required.")
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise DomainError("ত্রৈমাসিক ১ থেকে ৪ হতে হবে।", "The quarter must be 1 to 4.")
    if len(data) > settings.EVIDENCE_MAX_BYTES:
        raise upload_too_large()
    checked = check_evidence_bytes(
        data, max_bytes=settings.EVIDENCE_MAX_BYTES, max_pixels=settings.EVIDENCE_MAX_PIXELS
    )
    _ensure_open(indicator.plan, quarter)
    last = indicator.evidence.aggregate(last=Max("position"))["last"]
    evidence = Evidence(
        indicator=indicator,
        quarter=quarter,
        title=title[:500].rstrip(),
        original_name=sanitize_filename(original_name),
        content_type=checked.content_type,
        size=len(data),
        page_count=checked.page_count,
        sha256=hashlib.sha256(data).hexdigest(),
        position=(last or 0) + 1,
        uploaded_by=user,
    )
    evidence.file.save("upload", ContentFile(data), save=False)
    # The file is written before its row; if the row or its history cannot be saved, remove the file again
    # so that a refused upload leaves nothing behind.
    try:
        evidence.full_clean()
        evidence.save()
        history_record(
            plan=indicator.plan,
            kind=HistoryKind.EVIDENCE_ADDED,
            after=history_label(evidence),
            user=user,
            indicator=indicator,
            quarter=quarter,
        )
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def upload_too_large() -> EvidenceRejected:
    """The refusal of a file over ``EVIDENCE_MAX_BYTES``, with the limit in Bangla digits."""
    limit = settings.EVIDENCE_MAX_BYTES
    return EvidenceRejected(
        f"ফাইলটি অনেক বড়: সর্বোচ্চ {file_size_bn(limit)} গ্রহণযোগ্য।",
        f"The file is too large: at most {limit} bytes are accepted.",
    )


@transaction.atomic  # a transaction of its own: the period it locks is let go before the file is read
def _upload_quarter(plan: ActionPlan, quarter: int | None) -> int:
    """The quarter an upload goes to (None: the first one still open), refused if it is not open."""
    if quarter is None:
        quarter = first_open_quarter(plan) or UNDATED_QUARTER  # none open: Q4's lock says why
    if quarter not in (1, 2, 3, 4):
        raise DomainError("ত্রৈমাসিক ১ থেকে ৪ হতে হবে।", "The quarter must be 1 to 4.")
    _ensure_open(plan, quarter)
    return quarter


def evidence_upload(
    *,
    indicator: Indicator,
    title: str,
    upload: UploadedFile,
    quarter: int | None,
    user: AbstractBaseUser,
) -> Evidence:
    """An upload from the browser, always for a quarter (None: the first quarter still open).

    The user's right to change the office's evidence, the quarter's lock and the declared size are checked
    before the file is read; ``evidence_attach`` then checks the content, and the quarter again under a
    lock it holds only for the write.
    """
    _ensure_may_change(user, indicator.plan)
    quarter = _upload_quarter(indicator.plan, quarter)
    # Checked before the file is read: an oversize upload never enters memory (and the reading stops at the
    # limit should the declared size be wrong).
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise upload_too_large()
    data = bytearray()
    for chunk in upload.chunks():
        data += chunk
        if len(data) > limit:
            raise upload_too_large()
    return evidence_attach(
        indicator=indicator,
        title=title,
        data=bytes(data),
        original_name=upload.name or "",
        quarter=quarter,
        user=user,
    )


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: AbstractBaseUser, reason: str = "") -> None:
    """Remove an evidence file while its quarter is open: the history keeps its title and SHA-256, the row
    goes, and the stored file is deleted once the removal is committed."""
    plan = evidence.indicator.plan
    _ensure_may_change(user, plan)
    _ensure_open(plan, evidence.quarter)
    current = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
    if current is None:
        raise DomainError("প্রমাণকটি আগেই সরানো হয়েছে।", "The evidence was already removed.")
    history_record(
        plan=plan,
        kind=HistoryKind.EVIDENCE_REMOVED,
        before=history_label(current),
        user=user,
        indicator=evidence.indicator,
        quarter=current.quarter,
        reason=" ".join(reason.split()),
    )
    storage, name = current.file.storage, current.file.name
    current.delete()
    # After the commit, not before: if the removal is rolled back, the row must still find its file. A file that
    # other rows still use stays (generate_load_data points all its evidence rows at one shared file).
    transaction.on_commit(lambda: Evidence.objects.filter(file=name).exists() or storage.delete(name))


@transaction.atomic
def evidence_update(
    *,
    evidence: Evidence,
    title: str,
    quarter: int | None,
    position: int,
    user: AbstractBaseUser,
    reason: str = "",
) -> Evidence:
    """Correct an evidence file's title, quarter or place in the index (the admin's evidence form).

    A move takes the evidence out of one quarter and into another: both must be open, locked in quarter
    order. The file itself never changes (a new file is a new upload)."""
    plan = evidence.indicator.plan
    _ensure_may_change(user, plan)
    title = text_within(clean_text(title), 500, what_bn="শিরোনাম", what_en="title")
    if not title:
        raise DomainError("প্রমাণকের শিরোনাম আবশ্যক।", "The evidence title is required.")
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise DomainError("ত্রৈমাসিক ১ থেকে ৪ হতে হবে।", "The quarter must be 1 to 4.")
    current = Evidence.objects.filter(pk=evidence.pk).first()
    if current is None:
        raise DomainError("প্রমাণকটি আগেই সরানো হয়েছে।", "The evidence was already removed.")
    if (current.title, current.quarter, current.position) == (title, quarter, position):
        return current
    _ensure_open(plan, current.quarter, quarter)
    current = Evidence.objects.select_for_update(of=("self",)).get(pk=evidence.pk)
    before = _update_label(current)
    current.title, current.quarter, current.position = title, quarter, position
    current.full_clean()
    current.save(update_fields=["title", "quarter", "position"])
    history_record(
        plan=plan,
        kind=HistoryKind.EVIDENCE_CHANGED,
        before=before,
        after=_update_label(current),
        user=user,
        indicator=current.indicator,
        quarter=quarter,
        reason=" ".join(reason.split()),
    )
    return current


def _update_label(evidence: Evidence) -> str:
    quarter = f"Q{evidence.quarter}" if evidence.quarter else "—"
    return f"{history_label(evidence)} {quarter} #{evidence.position}"
