"""What an evidence file is, decided by its content — never by its name (DESIGN.md §5).

Accepted: PDF (opens, not encrypted, at least one page, nothing in it that runs, reaches out of the document
or carries another file: ``PdfFinding``, found by walking every object, see ``pdf_findings``), JPEG and PNG
(decode completely, at most ``EVIDENCE_MAX_PIXELS`` pixels).

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
from enum import Enum, unique

from PIL import Image, ImageFile, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import LimitReachedError, ParseError, PdfReadError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from base.errors import DomainError
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


@unique
class PdfFinding(Enum):
    """What a PDF can carry that evidence never needs: each a way to run something, to reach out of the
    document or to carry another file. The value is how a refusal names it (Bangla, English); a refusal
    lists what it found in this order."""

    ATTACHMENT = ("সংযুক্ত ফাইল (attachment)", "attached files")
    JAVASCRIPT = ("স্ক্রিপ্ট (JavaScript)", "scripts (JavaScript)")
    LAUNCH = ("অন্য প্রোগ্রাম চালানোর নির্দেশ (Launch)", "program launch actions (Launch)")
    REMOTE_FILE = (
        "অন্য ফাইল বা নেটওয়ার্কের ঠিকানা খোলার নির্দেশ (GoToR)",
        "actions that open another file or a network path (GoToR)",
    )
    EXTERNAL_DATA = ("বাইরের ফাইল থেকে পড়া অংশ", "content read from outside files")
    URI_ON_OPEN = (
        "ফাইল বা পৃষ্ঠা খুললেই নিজে থেকে ওয়েব ঠিকানা খোলার নির্দেশ (URI)",
        "web addresses opened by themselves when the file or a page opens (URI)",
    )
    URI_NOT_WEB = (
        "ওয়েব বা ই-মেইল ছাড়া অন্য ঠিকানার লিংক (URI)",
        "links to addresses other than web pages or e-mail (URI)",
    )
    SUBMIT_FORM = ("ফর্ম পাঠানোর নির্দেশ (SubmitForm)", "form submission actions (SubmitForm)")
    IMPORT_DATA = ("তথ্য আনার নির্দেশ (ImportData)", "data import actions (ImportData)")
    MEDIA = ("মাল্টিমিডিয়া (RichMedia, ভিডিও, শব্দ, 3D)", "multimedia (RichMedia, video, sound, 3D)")
    # XFA forms carry their scripts inside XML streams; scanned or printed evidence has no forms at all.
    XFA = ("XFA ফর্ম (স্ক্রিপ্টসহ হতে পারে)", "XFA forms (may carry scripts)")


# Keys that mean the finding in any dictionary, wherever it sits (names as pypdf reads them:
# ``/J#61vaScript`` is read as ``/JavaScript``). /EF is what makes a file specification carry the file
# itself, whatever the specification is attached to (an annotation, the names tree, /AF, or nothing).
PDF_KEYS = {
    "/EF": PdfFinding.ATTACHMENT,
    "/EmbeddedFiles": PdfFinding.ATTACHMENT,
    "/JS": PdfFinding.JAVASCRIPT,
    "/JavaScript": PdfFinding.JAVASCRIPT,  # the document-level scripts of the names tree
    "/XFA": PdfFinding.XFA,
    "/RichMediaContent": PdfFinding.MEDIA,
}
# Annotations that carry a file or play media (ISO 32000-2, 12.5.6): a paper clip holding a file,
# players for sound, video, Flash and 3D models (3D models run JavaScript of their own).
PDF_ANNOTATIONS = {
    "/FileAttachment": PdfFinding.ATTACHMENT,
    "/Sound": PdfFinding.MEDIA,
    "/Movie": PdfFinding.MEDIA,
    "/Screen": PdfFinding.MEDIA,
    "/RichMedia": PdfFinding.MEDIA,
    "/3D": PdfFinding.MEDIA,
}
# Actions (ISO 32000-2, 12.6.4), refused wherever they are, clicked or not. Allowed, because they stay in
# the document and run nothing: /GoTo (links inside the file), /Named (next page, print …), /Hide,
# /SetOCGState, /Trans, /ResetForm, /GoToDp, /Thread within the file, and /URI under the rules below.
PDF_ACTIONS = {
    "/Launch": PdfFinding.LAUNCH,
    "/GoToR": PdfFinding.REMOTE_FILE,
    "/GoToE": PdfFinding.ATTACHMENT,  # a go-to into an attached PDF
    "/JavaScript": PdfFinding.JAVASCRIPT,
    "/SubmitForm": PdfFinding.SUBMIT_FORM,
    "/ImportData": PdfFinding.IMPORT_DATA,
    "/Rendition": PdfFinding.MEDIA,
    "/Movie": PdfFinding.MEDIA,
    "/Sound": PdfFinding.MEDIA,
    "/RichMediaExecute": PdfFinding.MEDIA,
    "/GoTo3DView": PdfFinding.MEDIA,
}
# URI actions: an ordinary link that the reader clicks, to a web page or an e-mail address, is allowed.
# Born-digital letters and reports (Word, LibreOffice) carry such links to ministry websites, viewers ask
# before they follow one, and a browser opening a page is not a file arriving on the computer. Refused:
# a URI the viewer opens by itself (/OpenAction, or any trigger of /AA: page opened, pointer over a field
# …), which tells a stranger who opened the report and when; and any other address (file:, smb:,
# javascript:, a \\server\share path, a relative path), which opens files or runs something.
WEB_ADDRESS = re.compile(r"(https?|mailto):", re.IGNORECASE)

#: The most indirect objects a PDF may have (in its cross-reference table, or met by the walk): a born-
#: digital report of 1,000 pages has some tens of thousands, a scan a few per page. Many more is no document
#: anyone scanned or printed, and would hold up the upload while it is walked.
MAX_PDF_OBJECTS = 200_000
#: The most values (direct ones included: entries of dictionaries and arrays) the walk looks at.
MAX_PDF_VALUES = 5_000_000


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
        findings = pdf_findings(reader)
    except EvidenceRejected:
        raise
    except LimitReachedError as exc:  # pypdf's own limits (decompressed size, cross-reference entries)
        raise _pdf_too_large() from exc
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, AssertionError) as exc:
        raise _pdf_damaged(exc) from exc
    if pages < 1:
        raise EvidenceRejected("PDF ফাইলটিতে কোনো পৃষ্ঠা নেই।", "The PDF has no pages.")
    if findings:
        found_bn = ", ".join(finding.value[0] for finding in findings)
        found_en = ", ".join(finding.value[1] for finding in findings)
        raise EvidenceRejected(
            f"PDF ফাইলটিতে {found_bn} আছে, যা প্রমাণকে থাকতে পারে না; "
            "'Print to PDF' বা 'Save as PDF' করে এসব ছাড়া নতুন PDF তৈরি করে দিন।",
            f"The PDF contains {found_en}, which evidence may not carry; "
            "make a plain copy with 'Print to PDF' or 'Save as PDF' and upload that.",
        )
    return pages


def _pdf_too_large() -> EvidenceRejected:
    return EvidenceRejected(
        "PDF ফাইলটির গঠন অস্বাভাবিক রকম বড় (অগণিত অংশ), তাই পরীক্ষা করা যায়নি; "
        "'Print to PDF' বা 'Save as PDF' করে নতুন PDF তৈরি করে দিন।",
        "The PDF's structure is unreasonably large (too many objects) to be checked; "
        "make a plain copy with 'Print to PDF' or 'Save as PDF' and upload that.",
    )


def pdf_findings(reader: PdfReader) -> list[PdfFinding]:
    """What of ``PdfFinding`` the PDF carries, in that order, found by walking its objects.

    The walk starts at the trailer and follows every reference (catalog, names trees, /OpenAction, /AA of
    the catalog, pages, annotations and form fields, every page's /Annots, the AcroForm and its fields,
    outlines with their actions and /Next chains, metadata), objects inside object streams included, each
    object once per way it was reached, so cycles end. Then come the objects the cross-reference table
    lists that nothing reaches: a viewer that rebuilds a damaged table may find them.
    Raises EvidenceRejected when the file has more than ``MAX_PDF_OBJECTS`` objects or ``MAX_PDF_VALUES``
    values, and when an object the document uses cannot be read (what cannot be read cannot be checked,
    and another reader may read it differently)."""
    listed = [(number, generation) for generation, numbers in reader.xref.items() for number in numbers] + [
        (number, 0) for number in reader.xref_objStm
    ]
    if len(listed) > MAX_PDF_OBJECTS:
        raise _pdf_too_large()
    walk = _PdfWalk()
    walk.run(reader.trailer)
    for number, generation in listed:
        if (number, generation) not in walk.objects:
            walk.run(IndirectObject(number, generation, reader), reachable=False)
    return [finding for finding in PdfFinding if finding in walk.found]


# How the walk reached a value, which decides what an action there can do: nothing special; clicked (the
# /A of a link, form field or bookmark); run by itself (/OpenAction, a trigger of /AA, and the /Next chain
# of either); or the /AA dictionary itself, whose every value runs by itself.
_PLAIN, _CLICKED, _AUTOMATIC, _TRIGGERS = range(4)
_READ_ERRORS = (PdfReadError, ParseError, ValueError, KeyError, TypeError, OSError, AssertionError)


def _reached_as(context: int, key: str) -> int:
    if key == "/OpenAction":
        return _AUTOMATIC
    if key == "/AA":
        return _TRIGGERS
    if context == _TRIGGERS:
        return _AUTOMATIC
    if key == "/A":
        return _CLICKED
    if key == "/Next" and context in (_CLICKED, _AUTOMATIC):
        return context
    return _PLAIN


class _PdfWalk:
    """One walk over a PDF's objects: an explicit stack (no recursion to exhaust), bounded counts."""

    def __init__(self) -> None:
        self.found: set[PdfFinding] = set()
        self.objects: set[tuple[int, int]] = set()  # indirect objects met, however reached
        self.visits: set[tuple[int, int, int]] = set()  # … and in which context
        self.values = 0

    def run(self, start: object, *, reachable: bool = True) -> None:
        stack: list[tuple[object, int]] = [(start, _PLAIN)]
        while stack:
            item, context = stack.pop()
            if isinstance(item, IndirectObject):
                visit = (item.idnum, item.generation, context)
                if visit in self.visits:
                    continue
                self.visits.add(visit)
                self.objects.add(visit[:2])
                if len(self.objects) > MAX_PDF_OBJECTS:
                    raise _pdf_too_large()
                try:
                    item = item.get_object()
                except _READ_ERRORS as exc:
                    if reachable:
                        raise _pdf_damaged(f"object {visit[0]} {visit[1]}: {exc}") from exc
                    continue  # listed but used by nothing: unreadable, it cannot act either
            if isinstance(item, DictionaryObject):  # streams too: their dictionary
                self._inspect(item, context)
                entries = dict.items(item)  # raw values: references are followed on the stack
                self.values += len(entries)
                stack.extend((value, _reached_as(context, key)) for key, value in entries)
            elif isinstance(item, ArrayObject):
                self.values += len(item)
                stack.extend((value, context) for value in item)  # /Next [a b], /OpenAction [page /Fit]
            if self.values > MAX_PDF_VALUES:
                raise _pdf_too_large()

    def _inspect(self, item: DictionaryObject, context: int) -> None:
        found = self.found
        found.update(PDF_KEYS[key] for key in item.keys() & PDF_KEYS.keys())
        kind = self._name(item, "/Type")
        if kind == "/EmbeddedFile":
            found.add(PdfFinding.ATTACHMENT)
        subtype = self._name(item, "/Subtype")
        if subtype in PDF_ANNOTATIONS:
            found.add(PDF_ANNOTATIONS[subtype])
        if isinstance(item, StreamObject) and "/F" in item:
            # A stream whose data is in another file (ISO 32000-2, 7.3.8.2), which the viewer fetches.
            found.add(PdfFinding.EXTERNAL_DATA)
        if context not in (_CLICKED, _AUTOMATIC) and kind != "/Action":
            return
        action = self._name(item, "/S")
        if action in PDF_ACTIONS:
            found.add(PDF_ACTIONS[action])
        elif action == "/Thread" and "/F" in item:  # an article in another file
            found.add(PdfFinding.REMOTE_FILE)
        elif action == "/URI":
            if context == _AUTOMATIC:
                found.add(PdfFinding.URI_ON_OPEN)
            elif not WEB_ADDRESS.match(self._text(item, "/URI").strip()):
                found.add(PdfFinding.URI_NOT_WEB)

    def _resolved(self, item: DictionaryObject, key: str) -> object:
        value = dict.get(item, key)
        if isinstance(value, IndirectObject):
            try:
                return value.get_object()
            except _READ_ERRORS:
                return None  # an action type no reader can read makes no action; the walk reads it too
        return value

    def _name(self, item: DictionaryObject, key: str) -> str | None:
        value = self._resolved(item, key)
        return str(value) if isinstance(value, NameObject) else None

    def _text(self, item: DictionaryObject, key: str) -> str:
        value = self._resolved(item, key)
        if isinstance(value, bytes):
            return value.decode("latin-1")
        return value if isinstance(value, str) else ""


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
