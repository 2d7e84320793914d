"""Drawing over the pages of an existing PDF with pypdf, for the annex: its page stamps and the flattened
appearances of evidence annotations. The page's own content streams are never rewritten."""

from __future__ import annotations

from collections.abc import Sequence

from pypdf import PageObject, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, IndirectObject, NameObject


def draw_on_top(
    writer: PdfWriter,
    page: PageObject,
    forms: Sequence[tuple[IndirectObject, Sequence[float]]],
    *,
    prefix: str,
    opening: IndirectObject,
) -> None:
    """Draw each Form XObject with its matrix over the page, named ``/<prefix>``, ``/<prefix>1`` … in the
    page's resources. The page's own content streams stay as they are, between ``opening`` (a shared
    "q" stream) and a "Q", so whatever graphics state they leave does not move the forms. The page gets
    resource dictionaries of its own (other pages may share the original ones)."""
    resources = page.get("/Resources")
    resources = DictionaryObject(resources.get_object()) if resources is not None else DictionaryObject()
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(xobjects.get_object()) if xobjects is not None else DictionaryObject()
    drawing = ["\nQ"]
    serial = 0
    for form, matrix in forms:
        name = NameObject(f"/{prefix}")
        while name in xobjects:
            serial += 1
            name = NameObject(f"/{prefix}{serial}")
        xobjects[name] = form
        drawing.append(f"q {pdf_numbers(matrix)} cm {name} Do Q")
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources

    closing = content_stream(("\n".join(drawing) + "\n").encode())
    contents = page.get("/Contents")
    own = contents.get_object() if contents is not None else None
    if own is None:
        existing: list = []
    elif isinstance(own, ArrayObject):
        existing = list(own)
    else:
        existing = [contents if isinstance(contents, IndirectObject) else writer._add_object(own)]
    page[NameObject("/Contents")] = ArrayObject([opening, *existing, writer._add_object(closing)])


def normalised(rect: Sequence[float]) -> tuple[float, float, float, float]:
    """A rectangle as (left, bottom, right, top), whichever corners it was given by."""
    xs = sorted((float(rect[0]), float(rect[2])))
    ys = sorted((float(rect[1]), float(rect[3])))
    return xs[0], ys[0], xs[1], ys[1]


def content_stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def pdf_numbers(values: Sequence[float]) -> str:
    return " ".join(
        f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value)) for value in values
    )
