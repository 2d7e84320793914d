"""The evidence annex of a report (DESIGN.md §6): the annual report's, and the quarters so far of a
half-yearly or quarterly one (``reports.table.report_evidence``).

Every evidence file, in index order, becomes part of one PDF:

* a PDF's pages are copied as they are with pypdf (content streams, fonts, images, sizes and /Rotate
  untouched), so their text stays searchable and nothing is re-rendered. What could carry a file or run
  something does not come along (``reports.evidence_pdf``): of the annotations only plain links are kept,
  the others are drawn into the page from their appearance, as printing would;
* a JPEG or PNG is placed, centred and scaled to fit, on an A4 page of its own (landscape when the picture
  is wider than tall). A JPEG goes into the PDF as it is (DCTDecode: its scan data is not decoded or
  re-encoded); a PNG without transparency keeps its compressed pixel data too (FlateDecode with the PNG
  predictor). The EXIF orientation is applied by the placement matrix, not by turning the pixels.

Then every annex page is stamped with its number (and the indicator code) in its top-right corner. The
distinct labels are rendered once by WeasyPrint (DESIGN.md §6), each becomes a Form XObject, and each page
draws its label over itself. The evidence page's own content streams are not rewritten: the page gets
``q`` before them and ``Q`` + the label after them, so they stay byte for byte what the uploader sent, and
the PDF is updated incrementally (the original bytes kept, the changed page dictionaries appended).
"""

from __future__ import annotations

import html
import io
import logging
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from base.bangla import format_code, to_bangla_digits
from evidence.models import ContentType, Evidence
from reports.evidence_pdf import append_evidence_pdf
from reports.pdf import html_to_document
from reports.pdf_drawing import content_stream, draw_on_top, normalised, pdf_numbers

MM = 72 / 25.4
A4_PORTRAIT = (210 * MM, 297 * MM)

#: White space around a picture on its A4 page; the label (within the top 12 mm) never covers the picture.
IMAGE_MARGIN = 15 * MM

#: The box of one label as WeasyPrint sets it: wide enough for the longest label ("পৃষ্ঠা ১২৩৪ · [16 chars]"),
#: the label right-aligned in it; everything around the label's own white box is transparent.
STAMP_WIDTH = 90 * MM
STAMP_HEIGHT = 8 * MM
#: Distance of the label box's top-right corner from the visible page's top-right corner.
STAMP_OFFSET = 4 * MM

PAGE_WORD = "পৃষ্ঠা"

logger = logging.getLogger(__name__)
_XOBJECT_PREFIX = "ApaAnnexStamp"


def stamp_label(page_number: int, indicator_code: str) -> str:
    """The stamp of one annex page: ``stamp_label(123, "1.2.2")`` → ``"পৃষ্ঠা ১২৩ · [১.২.২]"``."""
    return f"{PAGE_WORD} {to_bangla_digits(page_number)} · {format_code(indicator_code)}"


def evidence_page_count(evidence: Evidence) -> int:
    """How many annex pages the evidence takes: a PDF its pages, a picture one.

    The PDF's count is the one taken by pypdf when the file was checked on upload (the same reader that
    copies the pages here), so the index can be numbered without opening the files; ``annex_pdf`` returns
    the counts it really produced, for the caller to check.
    """
    if evidence.content_type == ContentType.PDF:
        return evidence.page_count
    return 1


def annex_pdf(
    evidence_items: Sequence[Evidence],
    *,
    front: bytes | None = None,
    stamps: Sequence[str | None] | None = None,
    finish: Callable[[PdfWriter], None] | None = None,
) -> tuple[bytes, list[int]]:
    """The evidence files in the given order as one PDF, and the number of pages each of them took.

    ``front``: a PDF to put before the evidence (the generated part of the report, outline and metadata
    kept), so that a whole report is assembled in one pass instead of merging two large PDFs afterwards;
    the counts are those of the evidence only.

    ``stamps``: one label per evidence page (``None``: no stamp), overlaid as each page is added, so the
    report is written once, stamped (``stamp_pages`` does the same on a finished PDF). Labels beyond the
    pages there are (a stored page count that was wrong) are not used: the caller compares the counts.

    A file attached more than once (the same SHA-256: one scan for two indicators) is read and embedded
    once; its later pages are new page objects sharing the first copy's content, fonts and images.

    ``finish``: called with the writer once every page is in, before the file is written (the report's
    whole-document metadata and bookmarks, ``reports.pdf_metadata.finish_writer``): written in the same
    pass, not as an update read back and written again.
    """
    writer = PdfWriter()
    writer.pdf_header = "%PDF-1.7"  # 16-bit PNG data and object streams in sources need more than 1.3
    first = 0
    if front is not None:
        front_reader = PdfReader(io.BytesIO(front))
        writer.append(front_reader)
        if front_reader.metadata:
            writer.add_metadata(front_reader.metadata)
        if "/Lang" in front_reader.root_object:
            writer.root_object[NameObject("/Lang")] = front_reader.root_object["/Lang"]
        _keep_structure(writer, front_reader)
        first = len(writer.pages)
    stamper = _Stamper(writer, stamps) if stamps else None
    counts: list[int] = []
    embedded: dict[str, list[DictionaryObject]] = {}  # sha256 → the first copy's page entries, unstamped
    for evidence in evidence_items:
        before = len(writer.pages)
        key = evidence.sha256 or None
        if key is not None and key in embedded:
            for entries in embedded[key]:
                _append_shared_page(writer, entries)
        else:
            with evidence.file.open("rb") as file:
                if evidence.content_type == ContentType.PDF:
                    append_evidence_pdf(writer, file)
                else:
                    _append_picture_page(writer, file.read())
            if key is not None:
                embedded[key] = [DictionaryObject(writer.pages[i]) for i in range(before, len(writer.pages))]
        counts.append(len(writer.pages) - before)
    if stamper is not None:
        stamper.stamp(first)
    if finish is not None:
        finish(writer)
    return _write(writer), counts


def _keep_structure(writer: PdfWriter, front_reader: PdfReader) -> None:
    """The generated part's tags (structure tree, /MarkInfo): its pages were appended from the same reader,
    so the tree's page references are cloned to those very pages."""
    if "/StructTreeRoot" not in front_reader.root_object:
        return
    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in front_reader.root_object:
            writer.root_object[NameObject(key)] = front_reader.root_object.raw_get(key).clone(writer)
    # pypdf leaves out a page's /StructParents when it appends it: its key into the tree's ParentTree.
    for source, page in zip(front_reader.pages, writer.pages, strict=False):
        for key in ("/StructParents", "/Tabs"):
            if key in source:
                page[NameObject(key)] = source[key]


def _append_shared_page(writer: PdfWriter, entries: DictionaryObject) -> None:
    """A new page with the entries (contents, resources, boxes) of a page already in ``writer``."""
    page = writer.add_blank_page(1, 1)
    for name, value in entries.items():
        if name in ("/Parent", "/Type", "/Annots"):
            continue
        page[NameObject(name)] = value
    annotations = entries.get("/Annots")
    if annotations is not None:
        copied = ArrayObject()
        for reference in annotations.get_object():
            annotation = DictionaryObject(reference.get_object())
            annotation[NameObject("/P")] = page.indirect_reference
            copied.append(writer._add_object(annotation))
        page[NameObject("/Annots")] = copied


class _Stamper:
    """The stamps of :func:`annex_pdf`: labels rendered once (``_label_forms``), drawn on the pages."""

    def __init__(self, writer: PdfWriter, stamps: Sequence[str | None]):
        self.writer = writer
        self.stamps = list(stamps)

    def stamp(self, first_index: int) -> None:
        labels = list(dict.fromkeys(label for label in self.stamps if label is not None))
        if not labels:
            return
        forms = dict(zip(labels, _label_forms(self.writer, labels), strict=True))
        opening = self.writer._add_object(content_stream(b"q\n"))
        pages = len(self.writer.pages)
        for offset, label in enumerate(self.stamps):
            if label is not None and first_index + offset < pages:
                _overlay(self.writer, self.writer.pages[first_index + offset], forms[label], opening)


def stamp_pages(pdf: bytes, stamps: Sequence[str | None], *, first_index: int = 0) -> bytes:
    """Overlay ``stamps[i]`` on page ``first_index + i`` (``None``: that page keeps no stamp).

    The label sits in the top-right corner of the page as it is displayed (crop box and /Rotate taken
    into account), upright, inside the page whatever its size.
    """
    reader = PdfReader(io.BytesIO(pdf), strict=False)
    if first_index < 0 or first_index + len(stamps) > len(reader.pages):
        raise ValueError(
            f"{len(stamps)} stamps from page index {first_index} do not fit a PDF of {len(reader.pages)} pages"
        )
    labels = list(dict.fromkeys(label for label in stamps if label is not None))
    if not labels:
        return pdf
    # Incremental update: the original bytes stay as they are; only the changed page dictionaries and the
    # new objects are appended (much cheaper than copying every object of a large annex).
    writer = PdfWriter(reader, incremental=True)
    forms = dict(zip(labels, _label_forms(writer, labels), strict=True))
    opening = writer._add_object(content_stream(b"q\n"))  # one shared stream: "q" before the page's own
    for offset, label in enumerate(stamps):
        if label is not None:
            _overlay(writer, writer.pages[first_index + offset], forms[label], opening)
    return _write(writer)


# ---------------------------------------------------------------------------------------------------------
# The labels: rendered once by WeasyPrint, each label its own Form XObject.
#
# WeasyPrint's cost is per page (about 5 ms of page layout each, whatever is on the page), so one page per
# label would cost a second or more for a 200-page annex. The labels are therefore set in rows on a few
# tall "sheet" pages, each label an inline box with an opacity just below 1: WeasyPrint (like any PDF
# renderer: group opacity needs a transparency group) draws each such box into a Form XObject of its own,
# holding exactly that label's box and text. Each of those is wrapped with the matrix it is drawn with and
# the box of its row, and drawn without the opacity. If a sheet is not made as expected (another WeasyPrint
# version), the labels are rendered one page each instead, and a warning is logged.
# ---------------------------------------------------------------------------------------------------------

LABELS_PER_SHEET = 100

_LABEL_CSS = f"""
html {{ font-family: "APA Sans Bengali", "APA Sans"; font-size: 9pt; line-height: 1.25; }}
body {{ margin: 0; }}
section {{ break-after: page; }}
p {{ box-sizing: border-box; height: {STAMP_HEIGHT:.3f}pt; margin: 0; padding-top: 1mm; overflow: hidden;
     text-align: right; white-space: nowrap; }}
span {{ background: #fff; color: #000; border: 0.6pt solid #333; padding: 0.6mm 1.4mm 0.3mm; }}
"""
# An inline box, not an inline-block: no shrink-to-fit pass, a third less layout time.
# Opacity below 1 is what makes each label its own Form XObject; the opacity itself is never used.
_SHEET_CSS = f"""
@page {{ size: {STAMP_WIDTH:.3f}pt {STAMP_HEIGHT * LABELS_PER_SHEET:.3f}pt; margin: 0; }}
span {{ opacity: 0.999; }}
"""
_PAGE_PER_LABEL_CSS = f"""
@page {{ size: {STAMP_WIDTH:.3f}pt {STAMP_HEIGHT:.3f}pt; margin: 0; }}
"""


def _labels_html(labels: Sequence[str], page_css: str, per_page: int) -> str:
    sections = "".join(
        "<section>"
        + "".join(f"<p><span>{html.escape(label)}</span></p>" for label in labels[start : start + per_page])
        + "</section>"
        for start in range(0, len(labels), per_page)
    )
    return (
        f'<!doctype html><html lang="bn"><head><style>{_LABEL_CSS}{page_css}</style></head><body>{sections}'
    )


def render_stamp_labels(labels: Sequence[str]) -> bytes:
    """The labels as WeasyPrint sets them: rows of ``STAMP_WIDTH`` × ``STAMP_HEIGHT``, ``LABELS_PER_SHEET``
    rows a page, each label a small white box right-aligned in its row."""
    return _html_to_pdf(_labels_html(labels, _SHEET_CSS, LABELS_PER_SHEET))


def _html_to_pdf(document: str) -> bytes:
    """The labels with the text layer (their words come back in every viewer) but untagged: only their
    drawings are used, the sheets' structure tree would be parsed for nothing."""
    return html_to_document(document).write_pdf(pdf_tags=False)


def _label_forms(writer: PdfWriter, labels: Sequence[str]) -> list[IndirectObject]:
    """A Form XObject in ``writer`` for each label, its box ``[0 0 STAMP_WIDTH STAMP_HEIGHT]``."""
    reader = PdfReader(io.BytesIO(render_stamp_labels(labels)))
    forms: list[IndirectObject] = []
    for sheet in reader.pages:
        rows = _sheet_rows(sheet)
        expected = min(LABELS_PER_SHEET, len(labels) - len(forms))
        if len(rows) != expected:
            logger.warning(
                "A stamp label sheet has %d labels drawn as Form XObjects, %d expected; rendering one page "
                "per label instead (slower). Has WeasyPrint changed?",
                len(rows),
                expected,
            )
            return _label_page_forms(writer, labels)
        left, _, _, top = normalised(sheet.mediabox)
        for row, (group, ctm) in enumerate(rows):
            bottom = top - (row + 1) * STAMP_HEIGHT
            form = content_stream(f"q {pdf_numbers(ctm)} cm /Label Do Q\n".encode())
            form.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): _rectangle(left, bottom, left + STAMP_WIDTH, bottom + STAMP_HEIGHT),
                    NameObject("/Matrix"): _rectangle(1, 0, 0, 1, -left, -bottom),
                    NameObject("/Resources"): DictionaryObject(
                        {
                            NameObject("/XObject"): DictionaryObject(
                                {NameObject("/Label"): group.clone(writer)}
                            )
                        }
                    ),
                }
            )
            forms.append(writer._add_object(form))
    return forms


def _sheet_rows(sheet: PageObject) -> list[tuple[IndirectObject, tuple[float, ...]]]:
    """The Form XObjects drawn on a label sheet, in drawing (= document) order, each with the matrix it is
    drawn with."""
    resources = sheet.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    xobjects = xobjects.get_object() if xobjects is not None else DictionaryObject()
    contents = sheet.get_contents()
    if contents is None:
        return []
    rows = []
    ctm: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
    saved: list[tuple[float, ...]] = []
    for operands, operator in contents.operations:
        if operator == b"q":
            saved.append(ctm)
        elif operator == b"Q" and saved:
            ctm = saved.pop()
        elif operator == b"cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif operator == b"Do" and operands and operands[0] in xobjects:
            reference = xobjects.raw_get(operands[0])
            if isinstance(reference, IndirectObject) and reference.get_object().get("/Subtype") == "/Form":
                rows.append((reference, ctm))
    return rows


def _label_page_forms(writer: PdfWriter, labels: Sequence[str]) -> list[IndirectObject]:
    """The slower way: one WeasyPrint page per label, each page as a Form XObject."""
    reader = PdfReader(io.BytesIO(_html_to_pdf(_labels_html(labels, _PAGE_PER_LABEL_CSS, 1))))
    forms = []
    for page in reader.pages:
        contents = page.get_contents()
        form = content_stream(contents.get_data() if contents is not None else b"")
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): _rectangle(*normalised(page.mediabox)),
                NameObject("/Resources"): page.get("/Resources", DictionaryObject()).clone(writer),
            }
        )
        forms.append(writer._add_object(form.flate_encode()))
    return forms


def _multiply(m: Sequence[float], n: Sequence[float]) -> tuple[float, ...]:
    """The PDF matrix product m × n (m applied first, then n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _rectangle(*values: float) -> ArrayObject:
    return ArrayObject([FloatObject(value) for value in values])


def _overlay(writer: PdfWriter, page: PageObject, form: IndirectObject, opening: IndirectObject) -> None:
    draw_on_top(writer, page, [(form, _stamp_matrix(page))], prefix=_XOBJECT_PREFIX, opening=opening)


def _stamp_matrix(page: PageObject) -> tuple[float, ...]:
    """Where the label box goes: its top-right corner near the displayed page's top-right corner.

    The visible area is the crop box (within the media box); /Rotate turns it clockwise for display.
    The label is scaled with the page (an A3 page printed on A4 keeps a readable label) and shrunk to fit
    a page narrower than the label.
    """
    box = _visible_box(page)
    x0, y0, x1, y1 = box
    rotation = _rotation(page)
    width, height = x1 - x0, y1 - y0
    shown_w, shown_h = (height, width) if rotation in (90, 270) else (width, height)

    scale = min(max(min(shown_w, shown_h) / A4_PORTRAIT[0], 0.5), 4.0)
    scale = min(
        scale, (shown_w - 2 * STAMP_OFFSET) / STAMP_WIDTH, (shown_h - 2 * STAMP_OFFSET) / STAMP_HEIGHT
    )
    scale = max(scale, 0.05)
    offset = STAMP_OFFSET * min(scale, 1.0)
    # Lower-left corner of the label box in display coordinates (origin at the displayed bottom-left).
    tx = shown_w - offset - STAMP_WIDTH * scale
    ty = shown_h - offset - STAMP_HEIGHT * scale

    # Display coordinates → user space, for each clockwise /Rotate.
    a, b, c, d, e, f = {
        0: (1, 0, 0, 1, x0, y0),
        90: (0, 1, -1, 0, x1, y0),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, -1, 1, 0, x0, y1),
    }[rotation]
    return (
        a * scale,
        b * scale,
        c * scale,
        d * scale,
        a * tx + c * ty + e,
        b * tx + d * ty + f,
    )


def _visible_box(page: PageObject) -> tuple[float, float, float, float]:
    media = normalised(page.mediabox)
    crop = normalised(page.cropbox)
    box = (max(media[0], crop[0]), max(media[1], crop[1]), min(media[2], crop[2]), min(media[3], crop[3]))
    return box if box[0] < box[2] and box[1] < box[3] else media


def _rotation(page: PageObject) -> int:
    try:
        rotate = int(page.get("/Rotate", 0))
    except (TypeError, ValueError):
        return 0
    return (rotate // 90 * 90) % 360


# ---------------------------------------------------------------------------------------------------------
# Pictures on A4 pages.
# ---------------------------------------------------------------------------------------------------------


@dataclass
class _Picture:
    """An image XObject ready for a page: its stream, its stored size and its EXIF orientation."""

    stream: StreamObject
    width: int
    height: int
    orientation: int


# EXIF orientation → the matrix that turns the stored image (unit square, first row at the top) into the
# displayed one, within the unit square. Same turns as PIL.ImageOps.exif_transpose.
_ORIENTATION_MATRICES = {
    1: (1, 0, 0, 1, 0, 0),
    2: (-1, 0, 0, 1, 1, 0),  # mirrored left-right
    3: (-1, 0, 0, -1, 1, 1),  # turned 180°
    4: (1, 0, 0, -1, 0, 1),  # mirrored top-bottom
    5: (0, -1, -1, 0, 1, 1),  # transposed
    6: (0, -1, 1, 0, 0, 1),  # to be turned 90° clockwise
    7: (0, 1, 1, 0, 0, 0),  # transversed
    8: (0, 1, -1, 0, 1, 0),  # to be turned 90° counter-clockwise
}


def _append_picture_page(writer: PdfWriter, data: bytes) -> None:
    picture = _jpeg_picture(data) if data.startswith(b"\xff\xd8") else _png_picture(data)
    shown_w, shown_h = (
        (picture.height, picture.width)
        if picture.orientation in (5, 6, 7, 8)
        else (picture.width, picture.height)
    )
    page_w, page_h = A4_PORTRAIT if shown_h >= shown_w else A4_PORTRAIT[::-1]
    scale = min((page_w - 2 * IMAGE_MARGIN) / shown_w, (page_h - 2 * IMAGE_MARGIN) / shown_h)
    placed_w, placed_h = shown_w * scale, shown_h * scale
    left, bottom = (page_w - placed_w) / 2, (page_h - placed_h) / 2
    a, b, c, d, e, f = _ORIENTATION_MATRICES.get(picture.orientation, _ORIENTATION_MATRICES[1])
    matrix = (
        a * placed_w,
        b * placed_h,
        c * placed_w,
        d * placed_h,
        e * placed_w + left,
        f * placed_h + bottom,
    )

    page = writer.add_blank_page(page_w, page_h)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(picture.stream)})}
    )
    page[NameObject("/Contents")] = writer._add_object(
        content_stream(f"q {pdf_numbers(matrix)} cm /Im0 Do Q\n".encode())
    )


def _image_stream(data: bytes, **entries: object) -> StreamObject:
    """An image XObject whose data is already encoded as ``entries["Filter"]`` says."""
    stream = StreamObject.initialize_from_dictionary(
        {
            "__streamdata__": data,
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            **{NameObject(f"/{key}"): value for key, value in entries.items()},
        }
    )
    return stream


def _icc_or_device(profile: bytes | None, components: int) -> object:
    device = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}[components]
    if not profile:
        return NameObject(device)
    icc = DecodedStreamObject()
    icc.set_data(profile)
    icc[NameObject("/N")] = NumberObject(components)
    icc[NameObject("/Alternate")] = NameObject(device)
    return ArrayObject([NameObject("/ICCBased"), icc.flate_encode()])


def _jpeg_picture(data: bytes) -> _Picture:
    with Image.open(io.BytesIO(data)) as image:  # reads the header only
        mode, (width, height), info = image.mode, image.size, dict(image.info)
        orientation = image.getexif().get(0x0112, 1)
    components = {"L": 1, "RGB": 3, "CMYK": 4}.get(mode)
    if components is None:  # not a baseline 8-bit JPEG a PDF reader can show as it is
        return _decoded_picture(data)
    entries: dict[str, object] = {
        "Width": NumberObject(width),
        "Height": NumberObject(height),
        "BitsPerComponent": NumberObject(8),
        "ColorSpace": _icc_or_device(info.get("icc_profile"), components),
        "Filter": NameObject("/DCTDecode"),
    }
    if components == 4 and "adobe" in info:
        # Adobe CMYK JPEGs store inverted values (as Pillow's own PDF writer assumes).
        entries["Decode"] = ArrayObject([NumberObject(v) for v in (1, 0) * 4])
    return _Picture(_image_stream(_jpeg_without_metadata(data), **entries), width, height, orientation)


# APP1 (EXIF, XMP), APP2 (ICC: given to the PDF as ICCBased instead) … APP13 (IPTC), APP15, COM.
# Kept: APP0 (JFIF) and APP14 (Adobe: tells how the colours are transformed). Dropping EXIF also keeps the
# phone's GPS position out of a report that leaves the office.
_JPEG_METADATA_MARKERS = frozenset([*range(0xE1, 0xEE), 0xEF, 0xFE])


def _jpeg_without_metadata(data: bytes) -> bytes:
    """The JPEG with its metadata segments left out; scan data untouched. Unexpected structure: as is."""
    parts = [data[:2]]
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return data
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xDA, 0xD9):  # start of scan / end of image: the rest goes as it is
            parts.append(data[pos:])
            return b"".join(parts)
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            parts.append(data[pos : pos + 2])
            pos += 2
            continue
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if end > len(data):
            return data
        if marker not in _JPEG_METADATA_MARKERS:
            parts.append(data[pos:end])
        pos = end
    return data


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks = []
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        chunks.append((kind, data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
        if kind == b"IEND":
            break
    return chunks


def _png_picture(data: bytes) -> _Picture:
    chunks = _png_chunks(data)
    kinds = {kind for kind, _ in chunks}
    header = chunks[0][1] if chunks and chunks[0][0] == b"IHDR" else b""
    if len(header) != 13:
        return _decoded_picture(data)
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour, interlace = header[8], header[9], header[12]
    orientation = 1
    for kind, body in chunks:
        if kind == b"eXIf":
            exif = Image.Exif()
            exif.load(body)
            orientation = exif.get(0x0112, 1)
    components = {0: 1, 2: 3, 3: 1}.get(colour)
    # The compressed pixel data can go into the PDF as it is when a PDF reader can read it as it is:
    # not interlaced, no alpha channel and no transparent colour (both need decoding to put on white).
    if components is None or interlace or b"tRNS" in kinds or (colour == 3 and b"PLTE" not in kinds):
        return _decoded_picture(data, orientation=orientation)
    profile = None
    for kind, body in chunks:
        if kind == b"iCCP":
            try:
                profile = zlib.decompress(body[body.index(b"\0") + 2 :])
            except (ValueError, zlib.error):
                profile = None
    if colour == 3:
        palette = next(body for kind, body in chunks if kind == b"PLTE")
        colour_space: object = ArrayObject(
            [
                NameObject("/Indexed"),
                _icc_or_device(profile, 3),
                NumberObject(len(palette) // 3 - 1),
                ByteStringObject(palette),
            ]
        )
    else:
        colour_space = _icc_or_device(profile, components)
    stream = _image_stream(
        b"".join(body for kind, body in chunks if kind == b"IDAT"),
        Width=NumberObject(width),
        Height=NumberObject(height),
        BitsPerComponent=NumberObject(depth),
        ColorSpace=colour_space,
        Filter=NameObject("/FlateDecode"),
        DecodeParms=DictionaryObject(
            {
                NameObject("/Predictor"): NumberObject(15),
                NameObject("/Colors"): NumberObject(components),
                NameObject("/BitsPerComponent"): NumberObject(depth),
                NameObject("/Columns"): NumberObject(width),
            }
        ),
    )
    return _Picture(stream, width, height, orientation)


def _decoded_picture(data: bytes, *, orientation: int | None = None) -> _Picture:
    """A picture whose pixels must be decoded: transparency is put on white, the result kept lossless."""
    with Image.open(io.BytesIO(data)) as image:
        if orientation is None:
            orientation = image.getexif().get(0x0112, 1)
        image.load()
        if image.mode in ("I", "I;16", "I;16B", "I;16L"):
            image = image.point(lambda value: value * (1 / 256)).convert("L")
        grey = image.mode in ("1", "L", "LA") or (image.mode == "P" and _palette_is_grey(image))
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            image = Image.alpha_composite(white, rgba)
        image = image.convert("L" if grey else "RGB")
        width, height = image.size
        pixels = image.tobytes()
    stream = _image_stream(
        zlib.compress(pixels, 6),
        Width=NumberObject(width),
        Height=NumberObject(height),
        BitsPerComponent=NumberObject(8),
        ColorSpace=NameObject("/DeviceGray" if grey else "/DeviceRGB"),
        Filter=NameObject("/FlateDecode"),
    )
    return _Picture(stream, width, height, orientation)


def _palette_is_grey(image: Image.Image) -> bool:
    palette = image.getpalette() or []
    return all(palette[i] == palette[i + 1] == palette[i + 2] for i in range(0, len(palette) - 2, 3))


# ---------------------------------------------------------------------------------------------------------


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
