"""A report's PDF (DESIGN.md §6): the generated part laid out until the page numbers it prints are its own,
then every evidence file stamped with its absolute page number, the number the index prints.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
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
from reports import annex, pdf, pdf_metadata, signing, table_print
from reports.annex import stamp_label
from reports.document import ANNEX_COUNTER_PREFIX, report_html
from reports.finishing import office_sign
from reports.finishing import signature_box as _signature_box
from reports.letter import FINAL_STATES, report_kind, report_quarter
from reports.table import report_evidence

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    sha256: str
    #: Who signed it (the certificate's name), for a copy signed at approval; "" otherwise.
    signer: str = ""


@functools.cache
def _annex_counter_style_class():
    """WeasyPrint's ``CounterStyle`` plus ``apa-annex-K``: the counter's value plus K, in Bangla digits.

    The report prints each evidence's start page as ``target-counter(url(#generated-end), page,
    apa-annex-K)``: the page of the generated part's last element (its length, P) plus K, the evidence's
    start less P. So one layout prints the right numbers, whatever length it comes out with: WeasyPrint
    resolves the forward reference itself (re-making only the pages that print it). Made on first use:
    WeasyPrint is imported when a report is first rendered (``reports.pdf``)."""
    from weasyprint.css.counters import CounterStyle
    from weasyprint.css.targets import TargetCollector

    _resolve_annex_references_once(TargetCollector)

    class AnnexCounterStyle(CounterStyle):
        def render_value(self, counter_value, counter_name=None, counter=None, previous_types=None):
            if isinstance(counter_name, str) and counter_name.startswith(ANNEX_COUNTER_PREFIX):
                shift = int(counter_name.removeprefix(ANNEX_COUNTER_PREFIX))
                return to_bangla_digits(counter_value + shift)
            return super().render_value(counter_value, counter_name, counter, previous_types)

    return AnnexCounterStyle


#: The generated part's last element (``templates/reports/pdf/report.html``): the annex numbers count from
#: its page.
GENERATED_END = "generated-end"


def _resolve_annex_references_once(target_collector_class) -> None:
    """Lay out the pages that print annex numbers twice, not three times (measured: 22 page layouts for
    the demo's 12 generated pages with 21 evidence, 18 with this; the index's first page is still made
    three times, for its references to the parts, which are left as they are).

    WeasyPrint 70 (``formatting_structure.build.compute_content_list``) rebinds its list of the box's own
    missing counters to the list of the *target's* missing counters when it meets a ``target-counter()``,
    so every box printing ``target-counter(url(#generated-end), page, …)`` also counts as wanting its own
    page's counters: its page is made again whenever the page counters it saw change, which they do once
    more after the first repagination (``pages`` is set between passes), though the number it prints
    (the target's page) has not. Such a box's own counters are not wanted: for the references to
    ``#generated-end`` only, they are given as none. The target's page is still followed as before
    (``TargetCollector.cache_target_page_counters`` re-makes the pages that print it when it changes).
    Other references (the index's pages of the parts, backward ones among them) are left as WeasyPrint
    has them: they depend on it. The installed method is checked for the expected parameters; another
    WeasyPrint version that changed them is left untouched (slower, equally right)."""
    original = target_collector_class.collect_missing_counters
    if getattr(original, "apa_annex", False):
        return
    expected = ["self", "parent_box", "css_token", "parse_again_function", "missing_counters",
                "missing_target_counters"]  # fmt: skip
    if list(inspect.signature(original).parameters) != expected:
        logger.warning("WeasyPrint's TargetCollector has changed; annex references laid out as it does")
        return

    @functools.wraps(original)
    def collect_missing_counters(
        self, parent_box, css_token, parse_again_function, missing_counters, missing_target_counters
    ):
        if (
            missing_counters is missing_target_counters.get(GENERATED_END)
            and len(missing_target_counters) == 1
        ):
            missing_counters = []
        return original(
            self, parent_box, css_token, parse_again_function, missing_counters, missing_target_counters
        )

    collect_missing_counters.apa_annex = True
    target_collector_class.collect_missing_counters = collect_missing_counters


def annex_counter_style():
    """A fresh counter-style registry for one document (WeasyPrint fills it with the stylesheets' rules)."""
    return _annex_counter_style_class()()


def evidence_offsets(evidence: list[Evidence], pages_per_item: list[int]) -> dict[int, int]:
    """Each evidence's start page less the generated part's length: 1 + the pages of the ones before it."""
    offsets: dict[int, int] = {}
    offset = 1
    for item, count in zip(evidence, pages_per_item, strict=True):
        offsets.setdefault(item.pk, offset)
        offset += count
    return offsets


def evidence_start_pages(
    evidence: list[Evidence], pages_per_item: list[int], generated_pages: int
) -> dict[int, int]:
    """Where each evidence starts: right after the generated part, after the ones before it."""
    return {pk: generated_pages + offset for pk, offset in evidence_offsets(evidence, pages_per_item).items()}


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
    signed: bool = False,
    on_progress: ProgressCallback | None = None,
) -> RenderedReport:
    """Render a report to PDF (DESIGN.md §6).

    Every evidence starts at P + 1 + the pages of the ones before it, P the generated part's page count;
    the evidence's own page counts are those stored when it was uploaded (``annex.evidence_page_count``),
    so the index is numbered without opening the files. The generated part is laid out once: it prints
    each start page as P plus the evidence's offset (``AnnexCounterStyle``), so its numbers are right
    whatever length it comes out with. The whole PDF is then assembled in one pass, the generated part in
    front of the evidence (its title, metadata, outline and links kept), every annex page stamped with its
    absolute page number as it is added — the number the index prints — and written once. Evidence is
    copied, never re-rendered; a file attached twice is embedded once.

    ``draft`` decides the "খসড়া" mark: callers pass ``True`` unless the period is approved
    (``period_is_final``) and this is the copy kept at approval. ``signed``: the copy kept at approval is
    signed with the office's certificate (``reports.signing``), its letter showing the signature block.
    """
    reached = [0]

    def progress(percent: int, step: str) -> None:
        reached[0] = max(reached[0], percent)  # never backwards, even when the report is numbered again
        if on_progress is not None:
            on_progress(reached[0], step)

    kind = report_kind(kind)
    quarter = report_quarter(kind, quarter)
    signed = signed and signing.signing_enabled()
    progress(2, "প্রমাণক তালিকা তৈরি হচ্ছে")
    evidence = report_evidence(plan, kind, quarter)
    # Nothing in the HTML is relative today (the stylesheet is inlined, the draft mark a data URI); a base
    # URL keeps a future image or stylesheet reference inside the project's static folder.
    base_url = Path(finders.find("css/report.css") or ".").resolve().parent.parent.as_uri() + "/"
    pages_per_item = [annex.evidence_page_count(item) for item in evidence]

    for _ in range(2):
        progress(10, "প্রতিবেদন তৈরি হচ্ছে")
        html = report_html(
            plan,
            kind,
            quarter,
            draft=draft,
            evidence_start_pages=None,
            evidence=evidence,
            signed=signed,
            annex_offsets=evidence_offsets(evidence, pages_per_item) if evidence else None,
        )
        document = pdf.html_to_document(html, base_url=base_url, counter_style=annex_counter_style())
        pages = len(document.pages)
        if evidence and GENERATED_END not in document.pages[-1].anchors:
            # Not expected (an empty element at the very end stays on the last page): the numbers would
            # count from another page. Number them explicitly instead, from this layout's length.
            logger.warning("the generated part's end is not on its last page; numbering explicitly")
            html = report_html(
                plan,
                kind,
                quarter,
                draft=draft,
                evidence_start_pages=evidence_start_pages(evidence, pages_per_item, pages),
                evidence=evidence,
                signed=signed,
            )
            document = pdf.html_to_document(html, base_url=base_url)
            if len(document.pages) != pages:
                raise RuntimeError("the generated part's page count did not settle; the index would be wrong")
        table_print.close_table_pages(document)
        box = _signature_box(document) if signed else None
        # Title, parts and headings for the metadata and bookmarks, read from the layout (not the PDF).
        part = pdf_metadata.generated_part(document)
        metadata = pdf_metadata.report_metadata(plan, kind, part)
        progress(60, "পিডিএফ লেখা হচ্ছে")
        generated = document.write_pdf()
        del document
        if not evidence:
            # The whole document's metadata and bookmarks, as the last update before the signature (the
            # signature covers them; anything written after it would break it).
            final = pdf_metadata.finish(generated, metadata, pdf_metadata.report_outline(part, [], {}))
            total = pages
            break
        progress(70, f"{to_bangla_digits(len(evidence))}টি প্রমাণক একত্র ও পৃষ্ঠা নম্বর করা হচ্ছে")
        outline = pdf_metadata.report_outline(
            part, evidence, evidence_start_pages(evidence, pages_per_item, pages)
        )
        final, counts = annex.annex_pdf(
            evidence,
            front=generated,
            stamps=annex_stamps(evidence, pages_per_item, pages),
            # Written with the annex in its one pass (the signature, after it, covers them).
            finish=functools.partial(pdf_metadata.finish_writer, metadata=metadata, outline=outline),
        )
        del generated
        if list(counts) == pages_per_item:
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
    signer = ""
    if signed:
        progress(92, "ডিজিটাল স্বাক্ষর যুক্ত হচ্ছে")
        final, signer = office_sign(
            final,
            office=plan.office,
            box=box,
            reason=f"{plan.office.name_en or plan.office.code}: approved report",
        )
    progress(100, "সম্পন্ন")
    return RenderedReport(pdf=final, pages=total, sha256=hashlib.sha256(final).hexdigest(), signer=signer)


def period_is_final(plan: ActionPlan, quarter: int) -> bool:
    """Approved, sent or accepted: its report carries no draft mark."""
    return period_for(plan, quarter).state in FINAL_STATES
