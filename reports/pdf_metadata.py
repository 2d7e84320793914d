"""A report PDF's whole-document metadata and navigation (DESIGN.md §6 "Signed": "the document's metadata
(title, author, subject, language) and its bookmarks cover the whole file, annex included"; issue 15.3).

The last step of a report's PDF, before the signature: for a report without evidence, :func:`finish`
adds one incremental update to WeasyPrint's file (the bytes before it untouched); for one with an annex,
:func:`finish_writer` puts the same into the annex's writer before its one write (no second pass over a
file of tens of MB). Either way it

* writes the document information (Title, Author = the office, Subject, Keywords, Creator, Producer,
  dates) into a new /Info that the *last* trailer points to — the annex's incremental update had none,
  so readers showed no title;
* adds XMP metadata (``/Metadata``, the same fields in Dublin Core, XMP and PDF schemas) and ``/Lang (bn)``;
* replaces WeasyPrint's outline (which only knows the headings, and ran the two lines of the cover
  title together) with bookmarks for every part: cover, letter, table, index, introduction (with its
  headings), the initiatives tables, and the annex with each evidence at the page it starts on.

Where each part starts is read from the laid-out generated part, on the page where WeasyPrint puts the
named destination of its element's ``id`` (the sections of ``templates/reports/pdf``), its headings from
the bookmark tree WeasyPrint writes as the outline: see :func:`generated_part`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from base.bangla import fiscal_year_label, format_code
from evidence.models import Evidence
from indicators.models import ActionPlan
from reports.models import ReportKind

#: The parts of a report, by the ``id`` of their element in ``templates/reports/pdf``, in document order.
SECTIONS: dict[str, str] = {
    "cover": "প্রচ্ছদ",
    "letter": "প্রেরণপত্র",
    "assessment": "স্ব-মূল্যায়ন ছক",
    "index": "সূচীপত্র",
    "introduction": "ভূমিকা",
    "initiatives-current": "উদ্যোগ: চলমান ও সমাপ্ত",
    "initiatives-future": "উদ্যোগ: ভবিষ্যৎ",
}
_OBJECT_NUMBER = re.compile(rb"(?m)^(\d+) \d+ obj\b")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")

#: The parent bookmark of the evidence.
ANNEX_LABEL = "প্রমাণক"

PRODUCER = "APA Tracker (WeasyPrint, pypdf)"


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: Sequence[str] = ()
    lang: str = "bn"
    created: datetime = field(default_factory=timezone.now)


@dataclass(frozen=True)
class Bookmark:
    label: str
    page: int  # 0-based page index
    children: tuple[Bookmark, ...] = ()


@dataclass(frozen=True)
class GeneratedPart:
    """What the metadata and bookmarks need of a report's generated part, read from its laid-out WeasyPrint
    document (:func:`generated_part`) rather than from its PDF (parsing that again cost a few hundred ms)."""

    title: str | None
    #: The 0-based page on which each part of :data:`SECTIONS` present starts.
    sections: dict[str, int]
    #: WeasyPrint's own top-level bookmarks (the headings), as its PDF outline has them.
    headings: tuple[Bookmark, ...]


def generated_part(document) -> GeneratedPart:
    """:class:`GeneratedPart` of a laid-out WeasyPrint document: the parts start on the first page that has
    their element's anchor (the page WeasyPrint's named destination points to) and the headings are the top
    level of the bookmark tree WeasyPrint writes as the PDF outline."""
    sections: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            if name in SECTIONS:
                sections.setdefault(name, index)
    headings = tuple(
        Bookmark(" ".join(str(label).split()), target[0])
        for label, target, *_ in document.make_bookmark_tree()
        if target is not None and target[0] is not None
    )
    return GeneratedPart(
        title=document.metadata.title,
        sections=dict(sorted(sections.items(), key=lambda item: list(SECTIONS).index(item[0]))),
        headings=headings,
    )


def outline_for(
    sections: dict[str, int],
    *,
    headings: Sequence[Bookmark] = (),
    evidence: Sequence[tuple[str, int]] = (),
) -> list[Bookmark]:
    """Bookmarks for the parts (the headings of the introduction under it) and, under :data:`ANNEX_LABEL`,
    each evidence (label, 0-based start page)."""
    marks: list[Bookmark] = []
    starts = list(sections.items())
    for n, (key, page) in enumerate(starts):
        children: tuple[Bookmark, ...] = ()
        if key == "introduction":
            end = starts[n + 1][1] if n + 1 < len(starts) else 1 << 30
            children = tuple(
                mark for mark in headings if page <= mark.page <= end and mark.label != SECTIONS[key]
            )
        marks.append(Bookmark(SECTIONS[key], page, children))
    if evidence:
        children = tuple(Bookmark(label, page) for label, page in evidence)
        marks.append(Bookmark(ANNEX_LABEL, evidence[0][1], children))
    return marks


def report_metadata(plan: ActionPlan, kind: str, generated: GeneratedPart) -> Metadata:
    """A report's metadata: the title WeasyPrint took from the HTML ``<title>``, the office as author."""
    office = plan.office.name_bn
    year = fiscal_year_label(plan.fiscal_year.start_year)
    with translation.override("bn"):
        label = str(ReportKind(kind).label)
    title = generated.title or f"{office} — {label} {year}"
    return Metadata(
        title=" ".join(str(title).split()),
        author=office,
        subject=f"ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা {year}: {label}",
        keywords=(office, "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা", label, year, "এপিএ"),
    )


def report_outline(
    generated: GeneratedPart, evidence: Sequence[Evidence], starts: dict[int, int]
) -> list[Bookmark]:
    """A report's bookmarks: its parts from the generated part, each evidence at ``starts[pk]`` (1-based)."""
    marks = [(f"{format_code(item.indicator.code)} {item.title}", starts[item.pk] - 1) for item in evidence]
    return outline_for(generated.sections, headings=generated.headings, evidence=marks)


def finish(pdf: bytes, metadata: Metadata, outline: Sequence[Bookmark]) -> bytes:
    """``pdf`` with ``metadata`` and ``outline`` written in one incremental update (see the module doc).

    The update is written here rather than by pypdf's incremental writer, which copies every object of the
    file first (a second for a 200-page annex): only the catalog's new version and the new objects are
    written, with a cross-reference section whose /Prev is the file's last one. New objects are numbered
    after every ``N 0 obj`` in the file (pypdf's count misses the cross-reference *stream* object of the
    annex's own update, and reused its number).
    """
    reader = PdfReader(io.BytesIO(pdf))
    root_reference = reader.trailer.raw_get("/Root")
    pages = [page.indirect_reference for page in reader.pages]
    highest = max((int(number) for number in _OBJECT_NUMBER.findall(pdf)), default=0)
    next_number = max(highest, int(reader.trailer.get("/Size", 0)) - 1) + 1
    objects: dict[int, PdfObject] = {}

    def add(obj: PdfObject) -> IndirectObject:
        nonlocal next_number
        number = next_number
        next_number += 1
        objects[number] = obj
        return IndirectObject(number, 0, reader)

    root = DictionaryObject(dict(reader.root_object.items()))  # raw values: references stay references
    info_reference = add(_apply(root, metadata, outline, pages, add))
    objects[root_reference.idnum] = root

    out = io.BytesIO()
    out.write(pdf)
    if not pdf.endswith(b"\n"):
        out.write(b"\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(
            f"{number} {0 if number != root_reference.idnum else root_reference.generation} obj\n".encode()
        )
        objects[number].write_to_stream(out)
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for number in sorted(offsets):
        generation = root_reference.generation if number == root_reference.idnum else 0
        out.write(f"{number} 1\n{offsets[number]:010d} {generation:05d} n\r\n".encode())
    trailer = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(next_number),
            NameObject("/Root"): root_reference,
            NameObject("/Info"): info_reference,
            NameObject("/Prev"): NumberObject(_last_xref(pdf)),
        }
    )
    if "/ID" in reader.trailer:
        trailer[NameObject("/ID")] = reader.trailer.raw_get("/ID")
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def finish_writer(writer: PdfWriter, metadata: Metadata, outline: Sequence[Bookmark]) -> None:
    """What :func:`finish` writes, put into a ``PdfWriter`` before it writes the file (the report with an
    annex, assembled in one pass by ``reports.annex.annex_pdf``): no second pass over a large file."""
    pages = [page.indirect_reference for page in writer.pages]
    writer._info = _apply(writer.root_object, metadata, outline, pages, writer._add_object)


def _apply(
    root: DictionaryObject, metadata: Metadata, outline: Sequence[Bookmark], pages, add
) -> DictionaryObject:
    """Set the catalog's language, XMP metadata and outline (new objects made with ``add``); returns the
    new document information dictionary."""
    created = _pdf_date(metadata.created)
    info = DictionaryObject(
        {
            NameObject(key): TextStringObject(value)
            for key, value in {
                "/Title": metadata.title,
                "/Author": metadata.author,
                "/Subject": metadata.subject,
                "/Keywords": ", ".join(metadata.keywords),
                "/Creator": PRODUCER,
                "/Producer": PRODUCER,
                "/CreationDate": created,
                "/ModDate": created,
            }.items()
        }
    )
    xmp = DecodedStreamObject()
    xmp.set_data(_xmp(metadata).encode("utf-8"))
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")

    root[NameObject("/Lang")] = TextStringObject(metadata.lang)
    root[NameObject("/Metadata")] = add(xmp)
    root.pop(NameObject("/Outlines"), None)
    marks = [mark for mark in outline if 0 <= mark.page < len(pages)]
    if marks:
        outlines = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
        outlines_reference = add(outlines)
        _add_items(outlines, outlines_reference, marks, pages, add)
        root[NameObject("/Outlines")] = outlines_reference
        root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    return info


def _add_items(parent: DictionaryObject, parent_reference, marks, pages, add) -> None:
    """Outline items for ``marks`` under ``parent`` (all open), linked as the PDF outline tree wants."""
    references = []
    items = []
    for mark in marks:
        item = DictionaryObject(
            {
                NameObject("/Title"): TextStringObject(mark.label),
                NameObject("/Parent"): parent_reference,
                NameObject("/Dest"): ArrayObject([pages[mark.page], NameObject("/Fit")]),
            }
        )
        items.append(item)
        references.append(add(item))
    for n, item in enumerate(items):
        if n:
            item[NameObject("/Prev")] = references[n - 1]
        if n + 1 < len(items):
            item[NameObject("/Next")] = references[n + 1]
        children = [child for child in marks[n].children if 0 <= child.page < len(pages)]
        if children:
            _add_items(item, references[n], children, pages, add)
    parent[NameObject("/First")] = references[0]
    parent[NameObject("/Last")] = references[-1]
    parent[NameObject("/Count")] = NumberObject(
        len(items) + sum(int(item.get("/Count", 0)) for item in items)
    )


def _last_xref(pdf: bytes) -> int:
    found = _STARTXREF.findall(pdf[-2048:])
    if not found:
        raise ValueError("no startxref at the end of the PDF")
    return int(found[-1])


def _pdf_date(moment: datetime) -> str:
    moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    offset = moment.strftime("%z") or "+0000"
    return f"D:{moment:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'"


def _xmp(metadata: Metadata) -> str:
    """XMP packet with the document information in the Dublin Core, XMP and PDF schemas."""
    e = escape
    created = metadata.created.isoformat(timespec="seconds")
    keywords = "".join(f"<rdf:li>{e(k)}</rdf:li>" for k in metadata.keywords)
    lang = e(metadata.lang)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(metadata.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(metadata.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(metadata.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:subject><rdf:Bag>{keywords}</rdf:Bag></dc:subject>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{created}</xmp:ModifyDate>
   <xmp:MetadataDate>{created}</xmp:MetadataDate>
   <xmp:CreatorTool>{e(PRODUCER)}</xmp:CreatorTool>
   <pdf:Producer>{e(PRODUCER)}</pdf:Producer>
   <pdf:Keywords>{e(", ".join(metadata.keywords))}</pdf:Keywords>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
