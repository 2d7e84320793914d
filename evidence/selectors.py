"""Every read of evidence a screen needs: who may download what, and what the indicator page's panel shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.utils import timezone

from base.bangla import format_number, quarter_label, to_bangla_digits
from base.errors import DomainError
from evidence.models import EXTENSIONS, ContentType, Evidence
from indicators import permissions
from indicators.models import ActionPlan, Indicator, ReportingPeriod
from indicators.periods import periods_ensure
from indicators.selectors import visible_quarters

#: Undated evidence is printed only in the annual report, which Q4 carries: it changes with Q4's lock.
UNDATED_QUARTER = 4

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


def visible_evidence(evidence, visible_quarters: list[int]):
    """Of ``evidence``, what a user who sees ``visible_quarters`` may see: a reviewer only evidence of quarters
    that were sent (and undated evidence once the annual report, Q4, was sent)."""
    if set(visible_quarters) != {1, 2, 3, 4}:
        undated = Q(quarter__isnull=True) if 4 in visible_quarters else Q(pk__in=[])
        evidence = evidence.filter(Q(quarter__in=visible_quarters) | undated)
    return evidence


def indicator_evidence(indicator: Indicator, *, visible_quarters: list[int]) -> list[Evidence]:
    """The indicator's evidence the user may see (``_visible_evidence``)."""
    evidence = indicator.evidence.select_related("uploaded_by").order_by("position", "uploaded_at")
    return list(visible_evidence(evidence, visible_quarters))


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
class PanelAccess:
    """What the evidence panel needs of the page around it: the periods the user sees, whether they may change
    the office's evidence, the quarters whose evidence they see."""

    periods: list[ReportingPeriod]
    can_edit: bool
    visible_quarters: list[int]


def panel_access(plan: ActionPlan, user: AbstractBaseUser | AnonymousUser) -> PanelAccess:
    """The panel's access, read on its own (the upload's htmx answer, which has no page around it)."""
    quarters = visible_quarters(plan, user)
    return PanelAccess(
        periods=[p for p in periods_ensure(plan) if p.quarter in quarters],
        can_edit=permissions.can_edit_progress(user, plan),
        visible_quarters=quarters,
    )


@dataclass(frozen=True)
class EvidencePanel:
    rows: list[EvidenceRow]
    upload_quarters: list[tuple[int, str]]  # (quarter, label) this user may upload to now; empty: no form
    working_quarter: int | None  # the quarter the form offers first: the one being worked on
    max_size: str
    max_files: str  # how many files one upload may carry, in Bangla digits
    can_edit: bool  # officer or CIO of the office, whether or not anything is open


def evidence_panel(access: PanelAccess, evidence: list[Evidence]) -> EvidencePanel:
    """What the panel shows, from what the page already loaded: no query of its own, so the page costs the
    same whatever the number of files."""
    can_edit = access.can_edit
    open_quarters = [period.quarter for period in access.periods if can_edit and period.is_editable]
    rows = [
        EvidenceRow(
            evidence=e,
            quarter=to_bangla_digits(e.quarter) if e.quarter else "নির্দিষ্ট নয়",
            size=file_size_bn(e.size),
            # Undated evidence is printed in the annual report only: it changes with Q4 (evidence.services).
            removable=(e.quarter or UNDATED_QUARTER) in open_quarters,
        )
        for e in evidence
    ]
    return EvidencePanel(
        rows=rows,
        upload_quarters=[(q, quarter_label(q)) for q in open_quarters],
        working_quarter=working_quarter(
            [p for p in access.periods if p.quarter in open_quarters], timezone.localdate()
        ),
        max_size=file_size_bn(settings.EVIDENCE_MAX_BYTES),
        max_files=to_bangla_digits(settings.EVIDENCE_MAX_FILES),
        can_edit=can_edit,
    )


def working_quarter(open_periods: list[ReportingPeriod], today: datetime.date) -> int | None:
    """The quarter being worked on, among the open ones: the one whose deadline comes next (today's
    reporting window); once every open quarter's deadline has passed (a year gone by, a late quarter), the
    first open one, which goes forward first (DESIGN.md §4)."""
    ahead = [p for p in open_periods if p.deadline >= today]
    chosen = min(ahead, key=lambda p: p.deadline) if ahead else None
    if chosen is None and open_periods:
        chosen = min(open_periods, key=lambda p: p.quarter)
    return chosen.quarter if chosen else None


def first_open_quarter(plan: ActionPlan) -> int | None:
    """The quarter an upload goes to when the form names none: the first one whose period is still open."""
    return next((period.quarter for period in periods_ensure(plan) if period.is_editable), None)
