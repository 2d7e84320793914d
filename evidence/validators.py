"""What an evidence file is, decided by its content — never by its name (DESIGN.md §5).

Accepted: PDF (opens, not encrypted, at least one page, no scripts, program launches or attached files),
JPEG and PNG (decode completely, at most ``EVIDENCE_MAX_PIXELS`` pixels).

The type comes from the bytes, and the stored name and the type a download is served with come from that
type. A file whose name says one thing and whose content another is therefore *accepted for what it is*:
a PDF named ``scan.png`` is kept and served as ``application/pdf`` and downloads as ``scan.pdf``, a PNG named
``scan.pdf`` as ``image/png`` / ``scan.png``. Refusing it would only punish a mislabelled scan; serving it
under its claimed type is what would be dangerous, and that never happens. Anything that is none of the
three types is refused, whatever it is called.

Polyglots (one file that is two formats at once) are refused where the formats allow it: a PDF must start
with ``%PDF-`` (after nothing but whitespace) and end with ``%%EOF``, a PNG must end with its ``IEND`` chunk,
so that no HTML, script or ZIP rides in front of or behind the document. JPEG keeps whatever follows its
end marker: cameras put a second picture there (MPF), and a JPEG is never served as anything but a JPEG.

Names and titles are only ever displayed (the stored name is random): ``clean_text`` and
``sanitize_filename`` keep them from carrying directories, control characters or bidi overrides.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageFile, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from apa_tracker.errors import DomainError
from evidence.models import ContentType

PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # the IEND chunk: length 0, type, CRC

# PDF readers look for the header in the first 1024 bytes; we allow only blank bytes in front of it.
PDF_HEADER_WINDOW = 1024
BLANK_BYTES = b" \t\r\n\x0c\x00"
UTF8_BOM = b"\xef\xbb\xbf"

# Pillow decodes the whole picture into memory: 50 million pixels is a 600 dpi A4 scan with room to spare
# (about 150 MB as RGB), and far below a decompression bomb.
DEFAULT_MAX_PIXELS = 50_000_000

# PDF features evidence never needs, each a way to run or carry something: names as pypdf reads them
# (``/J#61vaScript`` is read as ``/JavaScript``), with how the refusal names them.
PDF_ACTIVE_CONTENT = {
    "/JavaScript": ("স্ক্রিপ্ট (JavaScript)", "scripts (JavaScript)"),
    "/JS": ("স্ক্রিপ্ট (JavaScript)", "scripts (JavaScript)"),
    "/Launch": ("অন্য প্রোগ্রাম চালানোর নির্দেশ (Launch)", "program launch actions (Launch)"),
    "/EmbeddedFile": ("সংযুক্ত ফাইল (attachment)", "attached files"),
    "/EmbeddedFiles": ("সংযুক্ত ফাইল (attachment)", "attached files"),
    "/RichMedia": ("মাল্টিমিডিয়া (RichMedia)", "rich media (Flash, video)"),
    # XFA forms carry their scripts inside XML streams, out of reach of the name check; forms that send or
    # import data talk to the network or the disk. Scanned evidence needs none of them.
    "/XFA": ("XFA ফর্ম (স্ক্রিপ্টসহ হতে পারে)", "XFA forms (may carry scripts)"),
    "/SubmitForm": ("ফর্ম পাঠানোর নির্দেশ (SubmitForm)", "form submission actions (SubmitForm)"),
    "/ImportData": ("তথ্য আনার নির্দেশ (ImportData)", "data import actions (ImportData)"),
}
# Looked for in the raw bytes as well, for objects pypdf could not parse: every name but ``/JS``, which is
# short enough to occur by chance in compressed data.
PDF_ACTIVE_CONTENT_RAW = tuple(name.encode() for name in PDF_ACTIVE_CONTENT if name != "/JS")


class EvidenceRejected(DomainError):
    """A file that cannot be accepted as evidence; the message says why, in Bangla and English."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: ContentType
    page_count: int


def sniff_content_type(head: bytes) -> ContentType | None:
    """The type named by the file's first bytes, or None for anything we do not accept."""
    if PDF_MAGIC in head[:PDF_HEADER_WINDOW]:
        return ContentType.PDF
    if head.startswith(JPEG_MAGIC):
        return ContentType.JPEG
    if head.startswith(PNG_MAGIC):
        return ContentType.PNG
    return None


def check_evidence_bytes(data: bytes, *, max_bytes: int, max_pixels: int = DEFAULT_MAX_PIXELS) -> CheckedFile:
    """Check size and content of an evidence file; raise EvidenceRejected with the reason."""
    if not data:
        raise EvidenceRejected("ফাইলটি খালি।", "The file is empty.")
    if len(data) > max_bytes:
        limit_mb = max_bytes / (1024 * 1024)
        raise EvidenceRejected(
            f"ফাইলটি অনেক বড়: সর্বোচ্চ {limit_mb:g} MB গ্রহণযোগ্য।",
            f"The file is too large: at most {limit_mb:g} MB is accepted.",
        )
    content_type = sniff_content_type(data[:PDF_HEADER_WINDOW])
    if content_type is None:
        raise EvidenceRejected(
            "শুধু PDF, JPEG বা PNG ফাইল প্রমাণক হিসেবে গ্রহণযোগ্য; এই ফাইলটি এর কোনোটি নয়।",
            "Only PDF, JPEG or PNG files are accepted as evidence; this file is none of them.",
        )
    if content_type == ContentType.PDF:
        return CheckedFile(content_type, _check_pdf(data))
    _check_image(data, content_type, max_pixels=max_pixels)
    return CheckedFile(content_type, 1)


# ---------------------------------------------------------------------------------------------------------
# PDF


def _pdf_damaged(detail: object = "") -> EvidenceRejected:
    return EvidenceRejected(
        "PDF ফাইলটি খোলা যায়নি (ফাইলটি ভাঙা বা অসম্পূর্ণ)।",
        f"The PDF could not be opened (damaged or incomplete file){f': {detail}' if detail else '.'}",
    )


def _check_pdf(data: bytes) -> int:
    """The page count of a PDF that opens, is not encrypted, carries nothing active and nothing around it."""
    prefix = data[: data.index(PDF_MAGIC)]
    if prefix.removeprefix(UTF8_BOM).strip(BLANK_BYTES):
        # HTML or a script with "%PDF-" a few lines down: browsers and PDF readers would each see their own
        # document in it.
        raise EvidenceRejected(
            "ফাইলটির শুরুতে PDF-এর আগে অন্য ধরনের লেখা (যেমন HTML) আছে; এটি প্রমাণক হিসেবে গ্রহণযোগ্য নয়।",
            "The file has other content (such as HTML) before its PDF header; it is not accepted as evidence.",
        )
    end = data.rfind(PDF_END)
    if end == -1:
        raise _pdf_damaged("no %%EOF marker")
    if data[end + len(PDF_END) :].strip(BLANK_BYTES):
        raise EvidenceRejected(
            "PDF ফাইলটির শেষ (%%EOF) এর পরে অন্য তথ্য জোড়া আছে; মূল PDF ফাইলটি দিন।",
            "The PDF has other data appended after its end (%%EOF); upload the original PDF.",
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise EvidenceRejected(
                "PDF ফাইলটি পাসওয়ার্ড/এনক্রিপশন দিয়ে সুরক্ষিত; সুরক্ষা ছাড়া ফাইলটি দিন।",
                "The PDF is encrypted; upload it without password protection.",
            )
        pages = len(reader.pages)
        active = _pdf_active_content(reader, data)
    except EvidenceRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError, AssertionError) as exc:
        raise _pdf_damaged(exc) from exc
    if pages < 1:
        raise EvidenceRejected("PDF ফাইলটিতে কোনো পৃষ্ঠা নেই।", "The PDF has no pages.")
    if active:
        found_bn = ", ".join(dict.fromkeys(PDF_ACTIVE_CONTENT[name][0] for name in active))
        found_en = ", ".join(dict.fromkeys(PDF_ACTIVE_CONTENT[name][1] for name in active))
        raise EvidenceRejected(
            f"PDF ফাইলটিতে {found_bn} আছে, যা প্রমাণকে থাকতে পারে না; "
            "'Print to PDF' বা 'Save as PDF' করে এসব ছাড়া নতুন PDF তৈরি করে দিন।",
            f"The PDF contains {found_en}, which evidence may not carry; "
            "make a plain copy with 'Print to PDF' or 'Save as PDF' and upload that.",
        )
    return pages


def _pdf_active_content(reader: PdfReader, data: bytes) -> list[str]:
    """The names of PDF_ACTIVE_CONTENT the file uses, in the order of PDF_ACTIVE_CONTENT.

    Every object in the cross-reference table (and in object streams) is read and its keys and name values
    compared, so compressed objects and ``#``-escaped names are seen; the raw bytes are searched too."""
    found: set[str] = set()
    for raw in PDF_ACTIVE_CONTENT_RAW:
        if raw in data:
            found.add(raw.decode())
    references = [
        IndirectObject(number, generation, reader)
        for generation, numbers in reader.xref.items()
        for number in numbers
    ]
    references += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    for reference in references:
        try:
            obj = reference.get_object()
        except (PdfReadError, ValueError, KeyError, TypeError, OSError, AssertionError):
            continue  # an object no reader can parse cannot act either; the raw search still saw its bytes
        _collect_names(obj, found)
    return [name for name in PDF_ACTIVE_CONTENT if name in found]


def _collect_names(obj: object, found: set[str]) -> None:
    """Add the active-content names among ``obj``'s direct keys and values (indirect ones are read on
    their own from the cross-reference table)."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, DictionaryObject):  # streams too: their dictionary
            for key, value in item.items():
                if key in PDF_ACTIVE_CONTENT:
                    found.add(str(key))
                if not isinstance(value, IndirectObject):
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(value for value in item if not isinstance(value, IndirectObject))
        elif isinstance(item, NameObject) and item in PDF_ACTIVE_CONTENT:
            found.add(str(item))


# ---------------------------------------------------------------------------------------------------------
# Images


_STRICT_DECODING = threading.Lock()


@contextmanager
def _strict_decoding():
    """Decode with Pillow's truncated-image tolerance off. WeasyPrint switches it on for the whole process
    when it is imported (weasyprint/images.py), which would let a cut-off photo pass as evidence."""
    with _STRICT_DECODING:
        tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _image_damaged(detail: object) -> EvidenceRejected:
    return EvidenceRejected(
        "ছবিটি খোলা যায়নি (ফাইলটি ভাঙা বা অসম্পূর্ণ)।",
        f"The image could not be decoded (damaged or incomplete file): {detail}",
    )


def _too_many_pixels(max_pixels: int) -> EvidenceRejected:
    megapixels = f"{max_pixels / 1_000_000:g}"
    return EvidenceRejected(
        f"ছবিটি অনেক বড় মাপের (সর্বোচ্চ {megapixels} মেগাপিক্সেল গ্রহণযোগ্য); ছোট মাপে সংরক্ষণ করে দিন।",
        f"The image has too many pixels (at most {megapixels} megapixels are accepted); save it smaller.",
    )


# Pillow's names for what each accepted type may decode as: a JPEG with a multi-picture (MPF) index, as
# many cameras and phones write, opens as "MPO".
IMAGE_FORMATS = {ContentType.JPEG: {"JPEG", "MPO"}, ContentType.PNG: {"PNG"}}


def _check_image(data: bytes, content_type: ContentType, *, max_pixels: int) -> None:
    if content_type == ContentType.PNG:
        end = data.rfind(PNG_END)
        if end == -1:
            raise _image_damaged("no IEND chunk")
        if end + len(PNG_END) != len(data):
            raise EvidenceRejected(
                "ছবির ফাইলটির শেষে অন্য তথ্য জোড়া আছে; মূল ছবিটি দিন।",
                "The image has other data appended after its end; upload the original picture.",
            )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS[content_type]:
                raise EvidenceRejected(
                    "ছবির ধরন ফাইলের ভেতরের তথ্যের সঙ্গে মেলে না।",
                    "The image format does not match the file's content.",
                )
            # The size is in the header: checked before a single pixel is decoded.
            width, height = image.size
            if width * height > max_pixels:
                raise _too_many_pixels(max_pixels)
            with _strict_decoding():
                image.load()  # decodes every pixel: truncated or corrupt images fail here
    except EvidenceRejected:
        raise
    except Image.DecompressionBombError as exc:  # over twice Pillow's own limit: refused while opening
        raise _too_many_pixels(max_pixels) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _image_damaged(exc) from exc


# ---------------------------------------------------------------------------------------------------------
# Names and titles, for display only

# Bidi controls reorder what follows them: "evil\u202efdp.exe" shows as "evilexe.pdf".
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Zero-width (non-)joiners are format characters too, but Bangla spelling needs them (র‍্যাব, ক্‌ষ).
JOINERS = frozenset("\u200c\u200d")
FILENAME_MAX_CHARS = 200


def clean_text(value: str) -> str:
    """Unicode NFC, one line: control characters become spaces, bidi overrides and other invisible format
    characters go (the joiners Bangla needs stay), runs of whitespace become one space, no outer spaces."""
    kept = []
    for ch in unicodedata.normalize("NFC", value):
        if ch in JOINERS:
            kept.append(ch)
        elif ch in BIDI_CONTROLS:
            continue
        else:
            category = unicodedata.category(ch)
            if category == "Cc":
                kept.append(" ")  # tab, newline, NUL …
            elif not category.startswith("C"):  # Cf, Cs, Co, Cn: invisible or not a character
                kept.append(ch)
    return " ".join("".join(kept).split())


def sanitize_filename(name: str) -> str:
    """The name a file is shown and downloaded under: its last path component (``/`` and ``\\`` both count,
    and a drive letter goes), cleaned like any text, without leading dots, at most 200 characters with the
    extension kept. Only ever displayed: the stored name is random."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"^[A-Za-z]:", "", base)
    base = clean_text(base).lstrip(". ").rstrip(". ")
    if len(base) > FILENAME_MAX_CHARS:
        stem, dot, suffix = base.rpartition(".")
        if dot and stem and len(suffix) <= 10:
            base = f"{stem[: FILENAME_MAX_CHARS - len(suffix) - 1].rstrip()}.{suffix}"
        else:
            base = base[:FILENAME_MAX_CHARS].rstrip()
    return base or "file"
