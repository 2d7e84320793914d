"""The generated part of a report as one HTML document for WeasyPrint (DESIGN.md §6): cover page, cover letter,
self-assessment table, evidence index, introduction and initiatives; the draft mark.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from base.bangla import (
    BANGABDA,
    KHRISTABDA,
    format_date_long,
    format_percent,
    ordinal_serial,
    to_bangla_date,
    to_bangla_digits,
)
from evidence.models import Evidence
from indicators import scoring
from indicators.models import (
    ActionPlan,
    Approval,
    Office,
)
from indicators.periods import period_for
from reports.finishing import seal_block
from reports.letter import (
    DRAFT_MARK_BN,
    PLAN_NAME_BN,
    TEAM_NAME_BN,
    assessment_bn,
    cover_letter_for,
    letter_day,
    letter_wording,
    memo_number,
    month_year_bn,
    period_report_kind,
    report_kind,
    report_quarter,
    report_span,
    report_title_bn,
)
from reports.models import CoverLetter, Initiative, InitiativeKind, Introduction, ReportKind
from reports.table import bangla_text, index_rows, page_text, report_evidence, table_rows, text_lines

logger = logging.getLogger(__name__)

#: The counter styles (and classes) that print an annex page number: ``apa-annex-K`` shows the page of
#: ``#generated-end`` plus K (``reports.rendering.AnnexCounterStyle``).
ANNEX_COUNTER_PREFIX = "apa-annex-"


_OWN_LABEL = re.compile(r"^\S{1,3}[.)।]\s")


@dataclass
class IntroBlock:
    kind: str  # heading, paragraph, bullets, ongoing, future
    text: str = ""
    items: list[tuple[bool, str]] = field(default_factory=list)  # (carries its own label, text)


@dataclass
class InitiativeRow:
    serial: str
    initiative: Initiative
    status: str
    when: str

    @property
    def details(self) -> str:
        return bangla_text(self.initiative.details)


def _completion_bn(initiative: Initiative) -> str:
    if initiative.completion_text.strip():
        return bangla_text(initiative.completion_text.strip())
    if initiative.completion_date is not None:
        return format_date_long(initiative.completion_date)
    return ""


# The markers that place the initiatives tables inside the introduction.
ONGOING_MARKERS = {"[[চলমান উদ্যোগ]]", "[[ongoing]]"}
FUTURE_MARKERS = {"[[ভবিষ্যৎ কর্মপরিকল্পনা]]", "[[future]]"}


def introduction_blocks(text: str) -> list[IntroBlock]:
    """The introduction's light markup: "## " starts a heading, "- " a bullet, a blank line ends a
    paragraph; a line ``[[চলমান উদ্যোগ]]`` or ``[[ভবিষ্যৎ কর্মপরিকল্পনা]]`` places that initiatives table."""
    blocks: list[IntroBlock] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(IntroBlock("paragraph", text=" ".join(paragraph)))
            paragraph.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line in ONGOING_MARKERS or line in FUTURE_MARKERS:
            flush()
            blocks.append(IntroBlock("ongoing" if line in ONGOING_MARKERS else "future"))
        elif line.startswith("## "):
            flush()
            blocks.append(IntroBlock("heading", text=bangla_text(line[3:].strip())))
        elif line.startswith("- "):
            flush()
            item = bangla_text(line[2:].strip())
            # An item that carries its own label ("ক. …", "১) …") gets no bullet.
            entry = (bool(_OWN_LABEL.match(item)), item)
            if blocks and blocks[-1].kind == "bullets":
                blocks[-1].items.append(entry)
            else:
                blocks.append(IntroBlock("bullets", items=[entry]))
        else:
            paragraph.append(bangla_text(line))
    flush()
    return blocks


def _initiatives(plan: ActionPlan) -> tuple[list[InitiativeRow], list[InitiativeRow]]:
    items = list(Initiative.objects.filter(plan=plan).order_by("position", "pk"))
    current = [i for i in items if i.kind in (InitiativeKind.ONGOING, InitiativeKind.COMPLETED)]
    future = [i for i in items if i.kind == InitiativeKind.FUTURE]
    current_rows = [
        InitiativeRow(
            serial=ordinal_serial(n),
            initiative=i,
            status=InitiativeKind(i.kind).label,
            when=_completion_bn(i),
        )
        for n, i in enumerate(current, start=1)
    ]
    future_rows = [
        InitiativeRow(serial=ordinal_serial(n), initiative=i, status="", when=_completion_bn(i))
        for n, i in enumerate(future, start=1)
    ]
    return current_rows, future_rows


def _website(url: str) -> str:
    """https://mofa.gov.bd/ → www.mofa.gov.bd, as letterheads print it."""
    if not url:
        return ""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or url
    if not host.startswith("www.") and host.count(".") <= 2:
        host = f"www.{host}"
    return host


def _letter_context(letter: CoverLetter, office: Office, *, draft: bool, subject: str, body: str) -> dict:
    day = letter_day(letter)
    number = memo_number(letter)
    if letter.memo_serial is None and not draft:
        # A final copy printed before approval took a serial: a blank to number by hand, not "খসড়া".
        number = number.removesuffix(DRAFT_MARK_BN) + "........"
    return {
        "letter": letter,
        "memo_number": number,
        "date_bangla": f"{to_bangla_date(day)} {BANGABDA}",
        "date_gregorian": f"{format_date_long(day)} {KHRISTABDA}",
        "subject": bangla_text(subject),
        "body": bangla_text(body),
        "attachments": bangla_text(letter.attachments.strip()),
        "signatory_name": bangla_text(letter.signatory_name.strip()),
        "designation_lines": text_lines(letter.signatory_designation),
        "recipient_lines": text_lines(letter.recipient),
        "attention": bangla_text(letter.attention.strip()),
        "copies": [
            (ordinal_serial(n), line if line.endswith(("।", ".")) else f"{line}।")
            for n, line in enumerate(text_lines(letter.copies), start=1)
        ],
        "address_lines": text_lines(office.address_bn),
        "website": _website(office.website),
    }


def _signature_block(period, office: Office, *, draft: bool, signed: bool) -> dict | None:
    """What the letter's visible signature block says (``reports.finishing.seal_block``): the signing office
    and the approval's time and approver for a signed copy; a placeholder on a draft when copies are signed."""
    approval = None
    if signed:
        approval = (
            Approval.objects.filter(period=period).select_related("approved_by").order_by("-number").first()
        )
    return seal_block(
        office,
        approver=approval.approved_by if approval else None,
        when=approval.approved_at if approval else None,
        signed=signed,
        draft=draft,
    )


@functools.cache
def draft_watermark_uri() -> str:
    """The draft mark as an SVG data URI: "খসড়া" drawn as glyph outlines of the shipped bold Bangla font,
    turned −35°, light red.

    Shapes, not text: a rotated word in the text layer comes back from ``pdftotext`` as loose letters mixed
    into the lines around it, which would break searching and copying the page's real text. The word is
    in the page header as text as well. Each glyph is taken from the font's cmap (ড় is one precomposed
    glyph, া follows its consonant), so this word needs no shaping engine.
    """
    from urllib.parse import quote

    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    font_path = finders.find("fonts/NotoSansBengali-Bold.ttf")
    font = TTFont(font_path)
    cmap, glyphs, metrics = font.getBestCmap(), font.getGlyphSet(), font["hmtx"]
    word = "\u0996\u09b8\u09dc\u09be"  # খ স ড় া
    pen = SVGPathPen(glyphs)
    x = 0
    for char in word:
        name = cmap[ord(char)]
        glyphs[name].draw(TransformPen(pen, (1, 0, 0, -1, x, 0)))
        x += metrics[name][0]
    ascent, descent = 1000, 300
    width, height = x, ascent + descent
    side = int(((width**2 + height**2) ** 0.5) * 1.05)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="{side}" height="{side}">'
        f'<g transform="translate({side / 2} {side / 2}) rotate(-35) translate({-width / 2} {(ascent - descent) / 2})">'
        f'<path d="{pen.getCommands()}" fill="#c0392b" fill-opacity="0.13"/></g></svg>'
    )
    return "data:image/svg+xml," + quote(svg)


def report_css() -> str:
    """The print stylesheet every generated document inlines (static/css/report.css)."""
    path = finders.find("css/report.css")
    return Path(path).read_text(encoding="utf-8") if path else ""


def report_html(
    plan: ActionPlan,
    kind: str,
    quarter: int,
    *,
    draft: bool,
    evidence_start_pages: dict[int, int] | None,
    evidence: list[Evidence] | None = None,
    signed: bool = False,
    annex_offsets: dict[int, int] | None = None,
) -> str:
    """The generated part of a report as one HTML document (templates under ``reports/pdf/``).

    ``signed``: the copy is signed at approval (``reports.signing``): the letter's signature block says so,
    with the office and the approval's time; a draft shows where the signature will go.

    ``evidence_start_pages`` maps an evidence id to the absolute page on which it starts in the final PDF;
    ``None`` (the first pass, before the generated part's length is known) prints "—" instead.
    ``annex_offsets`` (evidence id → its start page less the generated part's length) lets the PDF print the
    numbers itself in one layout: each is the page of the generated part's last element (``#generated-end``)
    plus the offset, through a counter style of ``reports.rendering.AnnexCounterStyle``.
    """
    kind = report_kind(kind)
    quarter = report_quarter(kind, quarter)
    plan = ActionPlan.objects.select_related("office__parent", "fiscal_year").get(pk=plan.pk)
    office = plan.office
    period = period_for(plan, quarter)
    period.plan = plan
    letter = cover_letter_for(period)
    if evidence is None:
        evidence = report_evidence(plan, kind, quarter)
    start_year = plan.fiscal_year.start_year
    title1, title2 = report_title_bn(plan, kind, quarter)
    first, last = report_span(start_year, kind, quarter)
    # Every report carries its period's letter (seed 000; issue 15.5): the cover letter alone, the annual
    # and half-yearly reports and each quarterly report. Its default words follow the report it forwards.
    with_letter = True
    forwarded = period_report_kind(quarter) if kind == ReportKind.COVER_LETTER else kind
    forwarded_evidence = evidence if forwarded == kind else report_evidence(plan, forwarded, quarter)
    subject, body = letter_wording(letter, plan, forwarded, with_evidence=bool(forwarded_evidence))
    context = {
        "plan": plan,
        "office": office,
        "parent": office.parent,
        "kind": kind.value,
        "quarter": quarter,
        "draft": draft,
        "draft_mark": DRAFT_MARK_BN,
        "css": report_css(),
        "title_line1": title1,
        "title_line2": title2,
        "team": TEAM_NAME_BN,
        "with_letter": with_letter,
        "letter_only": kind == ReportKind.COVER_LETTER,
        "table_caption": (
            f"{office.name_bn} - {PLAN_NAME_BN} {to_bangla_digits(f'{start_year}-{start_year + 1}')} "
            f"{assessment_bn(kind, quarter)} প্রতিবেদন ({month_year_bn(first)} - {month_year_bn(last)})"
        ),
        "targets_header": f"লক্ষ্যমাত্রা {to_bangla_digits(f'{start_year}-{start_year + 1}')}",
        "levels": [
            (scoring.LEVEL_NAMES_BN[level], format_percent(level)) for level in scoring.LEVEL_PERCENTS
        ],
        "annual": kind == ReportKind.ANNUAL,
        "assessment_title": f"{assessment_bn(kind, quarter)} স্ব-মূল্যায়ন প্রতিবেদন",
        "watermark_uri": draft_watermark_uri() if draft else "",
    }
    context.update(_letter_context(letter, office, draft=draft, subject=subject, body=body))
    context["signature_block"] = _signature_block(period, office, draft=draft, signed=signed)
    if kind != ReportKind.COVER_LETTER:
        context["table"] = table_rows(plan, kind, quarter, evidence, evidence_start_pages, annex_offsets)
        context["index_rows"] = index_rows(evidence, evidence_start_pages, annex_offsets)
        if evidence and annex_offsets:
            context["annex_first_offset"] = 1
        elif evidence and evidence_start_pages:
            context["annex_first_page"] = page_text(evidence[0], evidence_start_pages)
        if annex_offsets:
            context["annex_css"] = "\n".join(
                f".{ANNEX_COUNTER_PREFIX}{k}::after {{ content: target-counter(url(#generated-end), page, "
                f"{ANNEX_COUNTER_PREFIX}{k}); }}"
                for k in sorted({1, *annex_offsets.values()})
            )
    if kind == ReportKind.ANNUAL:
        introduction = Introduction.objects.filter(plan=plan).first()
        blocks = introduction_blocks(introduction.text if introduction else "")
        current, future = _initiatives(plan)
        # Tables the text does not place go after it.
        if current and not any(b.kind == "ongoing" for b in blocks):
            blocks += [IntroBlock("heading", text="চলমান ও সমাপ্ত উদ্যোগ"), IntroBlock("ongoing")]
        if future and not any(b.kind == "future" for b in blocks):
            blocks += [IntroBlock("heading", text="ভবিষ্যৎ কর্মপরিকল্পনা"), IntroBlock("future")]
        context.update({"intro_blocks": blocks, "current_initiatives": current, "future_initiatives": future})
    return render_to_string("reports/pdf/report.html", context)
