"""An evidence PDF's pages for the annex, without what could carry a file or run something (issue 11).

The upload check refuses such files (evidence.validators.pdf_findings), but the annex does not rely on
it: files kept before a check existed, or put in some other way, are merged too, and the report is the
document that leaves the office. So nothing is copied from an evidence file but its pages:
* not the document's names tree (/EmbeddedFiles, /JavaScript), /OpenAction, /AA, outlines or AcroForm
  (form fields, /XFA): pypdf's merge copies none of them but the AcroForm, which is removed first;
* of a page, not /AA (actions when the page opens or closes), /Annots (handled below) or /PieceInfo
  (the making program's private data), and nowhere below it /EF, /AF (attached and associated files),
  /JS, /AA or /Annots;
* of the annotations, only links: to a place in the same evidence (an explicit /Dest to the copied
  page) and to web or e-mail addresses (what the upload check allows: a click, and the viewer asks),
  each rebuilt from its rectangle and target alone, so nothing else of the original (/AA, /Next, /PA)
  comes along. Every other annotation is dropped, and what it showed (a stamp, a filled field, a note's
  icon, a highlight) is drawn into the page from its appearance stream, as printing does, so the page
  looks as the uploader saw it. Annotations that carry a file or play media are not drawn: their
  picture stands for something the report does not carry.
"""

from __future__ import annotations

from typing import BinaryIO

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    StreamObject,
    TextStringObject,
)

from evidence.validators import WEB_ADDRESS
from reports.pdf_drawing import content_stream, draw_on_top, normalised

#: Left out wherever they occur in what is copied of an evidence page (pypdf applies the list at every
#: level of the copy).
_EVIDENCE_EXCLUDED_KEYS = ("/Annots", "/AA", "/EF", "/AF", "/JS", "/PieceInfo")
_NOT_DRAWN = frozenset(
    {"/Link", "/Popup", "/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
)
_HIDDEN, _NO_VIEW = 1 << 1, 1 << 5  # annotation flags (ISO 32000-2, 12.5.3)
_FITS = frozenset({"/XYZ", "/Fit", "/FitH", "/FitV", "/FitR", "/FitB", "/FitBH", "/FitBV"})
_ANNOTATION_PREFIX = "ApaAnnot"


def append_evidence_pdf(writer: PdfWriter, file: BinaryIO) -> None:
    """Append the pages of the evidence PDF read from ``file`` to ``writer``, as described above."""
    # The reader works on the open file: pages are cloned into the writer object by object, without a
    # second copy of the whole file in memory.
    reader = PdfReader(file, strict=False)
    reader.root_object.pop(NameObject("/AcroForm"), None)  # in memory only: pypdf's merge would copy it
    first = len(writer.pages)
    writer.append(reader, import_outline=False, excluded_fields=_EVIDENCE_EXCLUDED_KEYS)
    sources = list(reader.pages)
    copies = {
        source.indirect_reference.idnum: writer.pages[first + index]
        for index, source in enumerate(sources)
        if source.indirect_reference is not None
    }
    for index, source in enumerate(sources):
        annotations = _get(source, "/Annots")
        if isinstance(annotations, ArrayObject):
            _carry_annotations(writer, reader, annotations, writer.pages[first + index], copies)


def _carry_annotations(
    writer: PdfWriter,
    reader: PdfReader,
    annotations: ArrayObject,
    page: PageObject,
    copies: dict[int, PageObject],
) -> None:
    links = ArrayObject()
    drawn: list[tuple[IndirectObject, tuple[float, ...]]] = []
    for reference in annotations:
        try:
            annotation = reference.get_object() if isinstance(reference, IndirectObject) else reference
        except (PyPdfError, ValueError, KeyError, TypeError, OSError):
            continue  # an annotation no reader can read shows nothing either
        if not isinstance(annotation, DictionaryObject):
            continue
        if _get(annotation, "/Subtype") == "/Link":
            link = _plain_link(reader, annotation, copies)
            if link is not None:
                link[NameObject("/P")] = page.indirect_reference
                links.append(writer._add_object(link))
            continue
        appearance = _appearance(writer, annotation)
        if appearance is not None:
            drawn.append(appearance)
    if links:
        page[NameObject("/Annots")] = links
    if drawn:
        opening = writer._add_object(content_stream(b"q\n"))
        draw_on_top(writer, page, drawn, prefix=_ANNOTATION_PREFIX, opening=opening)


def _plain_link(reader: PdfReader, annotation: DictionaryObject, copies: dict[int, PageObject]):
    """A new link annotation with the original's rectangle and target, or None when the target is
    neither a page of this evidence nor a web or e-mail address."""
    rect = _numbers(_get(annotation, "/Rect"))
    if rect is None or len(rect) != 4:
        return None
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): rect,
        }
    )
    for key in ("/QuadPoints", "/Border", "/C"):
        value = _numbers(_get(annotation, key))
        if value is not None:
            link[NameObject(key)] = value
    style = _border_style(_get(annotation, "/BS"))
    if style is not None:  # without it a viewer draws the default border: a black frame WeasyPrint avoids
        link[NameObject("/BS")] = style
    action = _get(annotation, "/A")
    destination = _get(annotation, "/Dest")
    if destination is None and isinstance(action, DictionaryObject):
        if _get(action, "/S") == "/URI":
            address = _get(action, "/URI")
            address = address.decode("latin-1") if isinstance(address, bytes) else str(address or "")
            if not WEB_ADDRESS.match(address.strip()):
                return None
            link[NameObject("/A")] = DictionaryObject(
                {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(address.strip())}
            )
            return link
        if _get(action, "/S") == "/GoTo":
            destination = _get(action, "/D")
    target = _explicit_destination(reader, destination, copies)
    if target is None:
        return None
    link[NameObject("/Dest")] = target
    return link


def _explicit_destination(reader: PdfReader, destination: object, copies: dict[int, PageObject]):
    """``[copied page, /Fit…, numbers]`` for a destination in the evidence (explicit, named, or a
    dictionary with /D), or None when it is not a page of this evidence."""
    if isinstance(destination, (str, bytes)):  # a named destination (name or string)
        named = reader.named_destinations.get(str(destination))
        destination = named.dest_array if named is not None else None
    if isinstance(destination, DictionaryObject):
        destination = _get(destination, "/D")
    if not isinstance(destination, ArrayObject) or len(destination) < 2:
        return None
    page, fit, *parameters = list.__iter__(destination)  # the raw page reference
    copy = copies.get(page.idnum) if isinstance(page, IndirectObject) else None
    fit = fit.get_object() if isinstance(fit, IndirectObject) else fit
    if copy is None or fit not in _FITS:
        return None
    values = []
    for value in parameters:
        value = value.get_object() if isinstance(value, IndirectObject) else value
        if isinstance(value, (int, float)):
            values.append(FloatObject(value))
        elif value is None or isinstance(value, NullObject):
            values.append(NullObject())
        else:
            return None
    return ArrayObject([copy.indirect_reference, NameObject(fit), *values])


def _border_style(value: object) -> DictionaryObject | None:
    """A link's border style (/BS) with only its width, style and dash pattern, or None."""
    if not isinstance(value, DictionaryObject):
        return None
    style = DictionaryObject()
    width = _get(value, "/W")
    if isinstance(width, (int, float)):
        style[NameObject("/W")] = FloatObject(width)
    kind = _get(value, "/S")
    if kind in ("/S", "/D", "/B", "/I", "/U"):
        style[NameObject("/S")] = NameObject(kind)
    dashes = _numbers(_get(value, "/D"))
    if dashes is not None:
        style[NameObject("/D")] = dashes
    return style


def _get(dictionary: DictionaryObject, key: str, default: object = None) -> object:
    """``dictionary[key]`` with a reference followed (``DictionaryObject.get`` does not), or ``default``;
    a reference no reader can follow is nothing."""
    value = dictionary.get(key, default)
    if isinstance(value, IndirectObject):
        try:
            return value.get_object()
        except (PyPdfError, ValueError, KeyError, TypeError, OSError):
            return default
    return value


def _numbers(value: object) -> ArrayObject | None:
    """An array of numbers (arrays of numbers inside allowed, as in a dashed /Border), copied; else None."""
    value = value.get_object() if isinstance(value, IndirectObject) else value
    if not isinstance(value, ArrayObject):
        return None
    copied = ArrayObject()
    for item in value:
        item = item.get_object() if isinstance(item, IndirectObject) else item
        if isinstance(item, ArrayObject):
            inner = _numbers(item)
            if inner is None:
                return None
            copied.append(inner)
        elif isinstance(item, (int, float)):
            copied.append(FloatObject(item))
        else:
            return None
    return copied


def _appearance(writer: PdfWriter, annotation: DictionaryObject):
    """The annotation's normal appearance copied into the writer as a Form XObject, with the matrix that
    puts it on its rectangle (ISO 32000-2, 12.5.5), or None when it is not shown."""
    try:
        flags = int(_get(annotation, "/F", 0))
    except (TypeError, ValueError):
        flags = 0
    if _get(annotation, "/Subtype") in _NOT_DRAWN or flags & (_HIDDEN | _NO_VIEW):
        return None
    appearances = _get(annotation, "/AP")
    normal = _get(appearances, "/N") if isinstance(appearances, DictionaryObject) else None
    if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):  # one per state
        state = _get(annotation, "/AS")
        normal = _get(normal, state) if isinstance(state, NameObject) else None
    rect = _numbers(_get(annotation, "/Rect"))
    bbox = _numbers(_get(normal, "/BBox")) if isinstance(normal, StreamObject) else None
    if rect is None or bbox is None or len(rect) != 4 or len(bbox) != 4:
        return None
    matrix = _numbers(_get(normal, "/Matrix"))
    matrix = (
        tuple(float(v) for v in matrix) if matrix is not None and len(matrix) == 6 else (1, 0, 0, 1, 0, 0)
    )
    a, b, c, d, e, f = matrix
    x0, y0, x1, y1 = normalised(bbox)
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)]
    left, bottom = min(x for x, _ in corners), min(y for _, y in corners)
    width = max(x for x, _ in corners) - left
    height = max(y for _, y in corners) - bottom
    r0, s0, r1, s1 = normalised(rect)
    if width <= 0 or height <= 0 or r1 <= r0 or s1 <= s0:
        return None
    sx, sy = (r1 - r0) / width, (s1 - s0) / height
    form = normal.clone(writer, ignore_fields=_EVIDENCE_EXCLUDED_KEYS)
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    reference = getattr(form, "indirect_reference", None) or writer._add_object(form)
    return reference, (sx, 0, 0, sy, r0 - sx * left, s0 - sy * bottom)
