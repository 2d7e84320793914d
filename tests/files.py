"""Small files for tests, built in memory: blank and text PDFs, one-colour pictures, ZIP archives."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject, RectangleObject

PAGE_SIZE = (595, 842)  # A4 in whole points


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_bytes(pages: int = 1, *, password: str | None = None, size: tuple[float, float] = PAGE_SIZE) -> bytes:
    """A PDF of blank pages; with a password, encrypted with it."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=size[0], height=size[1])
    if password is not None:
        writer.encrypt(password)
    return _written(writer)


def text_pdf(*pages: str | Mapping, size: tuple[float, float] = PAGE_SIZE) -> bytes:
    """A PDF with one line of Helvetica text per page, so that a reader can find each page again.

    A page is its text, or a dict: text, and optionally size (else `size`), rotate, cropbox."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for spec in pages:
        if isinstance(spec, str):
            spec = {"text": spec}
        width, height = spec.get("size", size)
        page = writer.add_blank_page(width, height)
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 14 Tf 72 {height / 2:.0f} Td ({spec['text']}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        if spec.get("rotate"):
            page[NameObject("/Rotate")] = NumberObject(spec["rotate"])
        if spec.get("cropbox"):
            page[NameObject("/CropBox")] = RectangleObject(spec["cropbox"])
    return _written(writer)


def image_bytes(
    kind: str, size: tuple[int, int] = (48, 32), color: str | tuple[int, ...] = (20, 120, 200)
) -> bytes:
    """A one-colour RGB picture saved as `kind` (a Pillow format: "PNG", "JPEG", "GIF", …)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A deflated ZIP archive holding each name with its bytes, in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()
