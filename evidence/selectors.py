"""Every read of evidence a screen needs: who may download what, and what the indicator page's panel shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from base.bangla import format_number, quarter_label, to_bangla_digits
from base.errors import DomainError
from evidence.models import EXTENSIONS, ContentType, Evidence
from indicators import permissions
from indicators.models import ActionPlan
from indicators.periods import periods_ensure
from indicators.selectors import PlanPage, indicator_evidence, visible_quarters

# Names a browser or an operating system commonly uses for each stored type.
ACCEPTED_SUFFIXES = {
    ContentType.PDF: (".pdf",),
    ContentType.JPEG: (".jpg", ".jpeg", ".jpe"),
    ContentType.PNG: (".png",),
}
KNOWN_SUFFIXES = {suffix for suffixes in ACCEPTED_SUFFIXES.values() for suffix in suffixes}


def file_size_bn(size: int) -> str:
    """A file size for people, in Bangla digits: ``৮৫০ KB``, ``১.৫ MB`` (1 KB = 1024 bytes)."""
    if size < 1024 * 1024:
        kilobytes = -(-size // 1024)  # rounded up: a file with bytes in it is never "০ KB"
        return f"{format_number(kilobytes)} KB"
    megabytes = format_number(Decimal(size) / (1024 * 1024), decimals=1)
    return f"{megabytes.removesuffix('.০')} MB"


def evidence_for_user(*, user: AbstractBaseUser | AnonymousUser, pk: int) -> Evidence:
    """The evidence if this user may see it; otherwise the same DomainError as for evidence that does not
    exist, so that nobody learns what other offices (or unsent quarters) hold."""
    evidence = (
        Evidence.objects.select_related("indicator__plan__office", "indicator__plan__fiscal_year")
        .filter(pk=pk)
        .first()
    )
    if evidence is not None and permissions.can_view_plan(user, evidence.indicator.plan):
        quarters = visible_quarters(evidence.indicator.plan, user)
        # The panel's own list decides, so that a download never shows more than the page does.
        if any(
            e.pk == evidence.pk for e in indicator_evidence(evidence.indicator, visible_quarters=quarters)
        ):
            return evidence
    raise DomainError("এই প্রমাণকটি পাওয়া যায়নি।", f"No evidence #{pk}.")


def download_filename(evidence: Evidence) -> str:
    """The uploader's file name, with the extension of what the file really is: a PNG uploaded as
    ``scan.pdf`` is accepted by its content and downloads as ``scan.png``, so that it opens."""
    name = evidence.original_name or "evidence"
    content_type = ContentType(evidence.content_type)
    if name.lower().endswith(ACCEPTED_SUFFIXES[content_type]):
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and f".{suffix.lower()}" in KNOWN_SUFFIXES:
        name = stem
    return f"{name}.{EXTENSIONS[content_type]}"


# ---------------------------------------------------------------------------------------------------------
# The evidence panel of the indicator page


@dataclass(frozen=True)
class EvidenceRow:
    evidence: Evidence
    quarter: str
    size: str
    removable: bool  # this user may remove it now (the server checks again)


@dataclass(frozen=True)
class EvidencePanel:
    rows: list[EvidenceRow]
    upload_quarters: list[tuple[int, str]]  # (quarter, label) this user may upload to now; empty: no form
    max_size: str
    can_edit: bool  # officer or CIO of the office, whether or not anything is open


def evidence_panel(page: PlanPage, evidence: list[Evidence]) -> EvidencePanel:
    """What the panel shows, from what the indicator page already loaded: no query of its own, so the page
    costs the same whatever the number of files."""
    open_quarters = [
        view.period.quarter for view in page.periods if page.can_edit and view.period.is_editable
    ]
    rows = [
        EvidenceRow(
            evidence=e,
            quarter=to_bangla_digits(e.quarter) if e.quarter else "নির্দিষ্ট নয়",
            size=file_size_bn(e.size),
            # Undated evidence belongs to the whole plan: it may change while any period is open.
            removable=(e.quarter in open_quarters) if e.quarter else bool(open_quarters),
        )
        for e in evidence
    ]
    return EvidencePanel(
        rows=rows,
        upload_quarters=[(q, quarter_label(q)) for q in open_quarters],
        max_size=file_size_bn(settings.EVIDENCE_MAX_BYTES),
        can_edit=page.can_edit,
    )


def first_open_quarter(plan: ActionPlan) -> int | None:
    """The quarter an upload goes to when the form names none: the first one whose period is still open."""
    return next((period.quarter for period in periods_ensure(plan) if period.is_editable), None)
