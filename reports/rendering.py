"""A report's PDF (DESIGN.md §6): the generated part laid out until the page numbers it prints are its own,
then every evidence file stamped with its absolute page number, the number the index prints.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders

from base.bangla import (
    to_bangla_digits,
)
from evidence.models import Evidence
from indicators.models import (
    ActionPlan,
)
from indicators.periods import period_for
from reports import annex, pdf, pdf_metadata
from reports.annex import stamp_label
from reports.document import report_html
from reports.letter import FINAL_STATES, report_kind, report_quarter
from reports.models import ReportKind
from reports.table import report_evidence

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    sha256: str


MAX_PASSES = 5

#: The first guess at the generated part's length, by kind (the demo's lengths: annual 10, half-yearly and
#: quarterly 5 pages). See ``_generated_part``: a wrong guess costs one more layout, never a wrong number.
_FIRST_GUESS = {ReportKind.ANNUAL: 10, ReportKind.HALF_YEARLY: 5, ReportKind.QUARTERLY: 5}


def evidence_start_pages(
    evidence: list[Evidence], pages_per_item: list[int], generated_pages: int
) -> dict[int, int]:
    """Where each evidence starts: right after the generated part, after the ones before it."""
    starts: dict[int, int] = {}
    page = generated_pages + 1
    for item, count in zip(evidence, pages_per_item, strict=True):
        starts[item.pk] = page
        page += count
    return starts


def annex_stamps(evidence: list[Evidence], pages_per_item: list[int], generated_pages: int) -> list[str]:
    """One stamp per annex page: "পৃষ্ঠা N · [code]", N the absolute page number in Bangla digits."""

    stamps = []
    page = generated_pages + 1
    for item, count in zip(evidence, pages_per_item, strict=True):
        for _ in range(count):
            stamps.append(stamp_label(page, item.indicator.code))
            page += 1
    return stamps


def render_report(
    plan: ActionPlan,
    kind: str,
    quarter: int | None,
    *,
    draft: bool,
    on_progress: ProgressCallback | None = None,
) -> RenderedReport:
    """Render a report to PDF (DESIGN.md §6).

    Every evidence starts at P + 1 + the pages of the ones before it, P the generated part's page count;
    the evidence's own page counts are those stored when it was uploaded (``annex.evidence_page_count``),
    so the index is numbered without opening the files. The generated part is laid out until the numbers
    it prints are those of its own length (``_generated_part``; usually one or two layouts) and written
    once. The whole PDF is then assembled in one pass, the generated part in front of the evidence
    (``annex.annex_pdf(…, front=…)``: its title, metadata, outline and links kept), and every annex page
    stamped with its absolute page number — the number the index prints. Evidence is copied, never
    re-rendered.

    ``draft`` decides the "খসড়া" mark: callers pass ``True`` unless the period is approved
    (``period_is_final``) and this is the copy kept at approval.
    """
    reached = [0]

    def progress(percent: int, step: str) -> None:
        reached[0] = max(reached[0], percent)  # never backwards, even when the report is numbered again
        if on_progress is not None:
            on_progress(reached[0], step)

    kind = report_kind(kind)
    quarter = report_quarter(kind, quarter)
    progress(2, "প্রমাণক তালিকা তৈরি হচ্ছে")
    evidence = report_evidence(plan, kind, quarter)
    # Nothing in the HTML is relative today (the stylesheet is inlined, the draft mark a data URI); a base
    # URL keeps a future image or stylesheet reference inside the project's static folder.
    base_url = Path(finders.find("css/report.css") or ".").resolve().parent.parent.as_uri() + "/"
    pages_per_item = [annex.evidence_page_count(item) for item in evidence]

    for _ in range(2):
        generated, pages = _generated_part(
            plan,
            kind,
            quarter,
            draft=draft,
            evidence=evidence,
            pages_per_item=pages_per_item,
            base_url=base_url,
            progress=progress,
        )
        front = generated  # for the metadata and bookmarks (pdf_metadata.finish)
        if not evidence:
            final, total = generated, pages
            break
        progress(70, f"{to_bangla_digits(len(evidence))}টি প্রমাণক একত্র করা হচ্ছে")
        final, counts = annex.annex_pdf(evidence, front=generated)
        del generated
        if list(counts) == pages_per_item:
            progress(85, "প্রমাণকের পাতায় পৃষ্ঠা নম্বর বসানো হচ্ছে")
            final = annex.stamp_pages(final, annex_stamps(evidence, pages_per_item, pages), first_index=pages)
            total = pages + sum(pages_per_item)
            break
        # A stored page count that is not what the file gives now (not expected: both are pypdf's count of
        # the same bytes): number again from the pages the annex really took.
        logger.warning(
            "Evidence page counts %s stored, %s in the annex; numbering the report again",
            pages_per_item,
            list(counts),
        )
        pages_per_item = list(counts)
    else:
        raise RuntimeError("the evidence page counts did not settle; the index would be wrong")
    final = pdf_metadata.finish(
        final,
        pdf_metadata.report_metadata(plan, kind, front),
        pdf_metadata.report_outline(
            front, evidence, evidence_start_pages(evidence, pages_per_item, total - sum(pages_per_item))
        ),
    )
    progress(100, "সম্পন্ন")
    return RenderedReport(pdf=final, pages=total, sha256=hashlib.sha256(final).hexdigest())


def _generated_part(
    plan: ActionPlan,
    kind: ReportKind,
    quarter: int,
    *,
    draft: bool,
    evidence: list[Evidence],
    pages_per_item: list[int],
    base_url: str,
    progress: ProgressCallback,
) -> tuple[bytes, int]:
    """The generated part as PDF, with its page count.

    Each layout prints the evidence pages for a length of the generated part: first a guess
    (``_FIRST_GUESS``), then the length the previous layout came out with. A layout that comes out as long as
    the length its numbers were printed for is right, and only that one is written to PDF (the layouts
    before it are not drawn). Real numbers from the first layout on, rather than a placeholder ("—"), keep
    the width of what the next layout prints: it differs in the digits, not in how many there are (unless
    a start page crosses ১০ or ১০০), so in practice the second layout comes out as long as the first and
    none is needed after it. The loop checks that all the same.
    """
    if not evidence:
        progress(10, "প্রতিবেদন তৈরি হচ্ছে")
        html = report_html(plan, kind, quarter, draft=draft, evidence_start_pages=None, evidence=evidence)
        document = pdf.html_to_document(html, base_url=base_url)
        progress(60, "পিডিএফ লেখা হচ্ছে")
        return document.write_pdf(), len(document.pages)

    pages = _FIRST_GUESS.get(kind, 1)
    for attempt in range(MAX_PASSES):
        progress(
            min(55, 10 + 15 * attempt),
            f"পৃষ্ঠা নম্বরসহ প্রতিবেদন তৈরি হচ্ছে (ধাপ {to_bangla_digits(attempt + 1)})",
        )
        starts = evidence_start_pages(evidence, pages_per_item, pages)
        html = report_html(plan, kind, quarter, draft=draft, evidence_start_pages=starts, evidence=evidence)
        document = None  # the previous layout is no longer needed: let it go before the next one is made
        document = pdf.html_to_document(html, base_url=base_url)
        if len(document.pages) == pages:
            progress(60, "পিডিএফ লেখা হচ্ছে")
            return document.write_pdf(), pages
        pages = len(document.pages)
    raise RuntimeError("the generated part's page count did not settle; the index would be wrong")


def period_is_final(plan: ActionPlan, quarter: int) -> bool:
    """Approved, sent or accepted: its report carries no draft mark."""
    return period_for(plan, quarter).state in FINAL_STATES
