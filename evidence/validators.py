"""What an evidence file is, decided by its content — never by its name.

Accepted: PDF (opens, not encrypted, at least one page), JPEG and PNG (decode completely).
"""

from __future__ import annotations

import io
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageFile, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from apa_tracker.errors import DomainError
from evidence.models import ContentType

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class EvidenceRejected(DomainError):
    """A file that cannot be accepted as evidence; the message says why, in Bangla and English."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: ContentType
    page_count: int


def sniff_content_type(head: bytes) -> ContentType | None:
    """The type named by the file's first bytes, or None for anything we do not accept."""
    # A PDF may carry a few bytes of junk before its header; readers accept up to 1024 bytes.
    if PDF_MAGIC in head[:1024]:
        return ContentType.PDF
    if head.startswith(JPEG_MAGIC):
        return ContentType.JPEG
    if head.startswith(PNG_MAGIC):
        return ContentType.PNG
    return None


def check_evidence_bytes(data: bytes, *, max_bytes: int) -> CheckedFile:
    """Check size and content of an evidence file; raise EvidenceRejected with the reason."""
    if not data:
        raise EvidenceRejected("ফাইলটি খালি।", "The file is empty.")
    if len(data) > max_bytes:
        limit_mb = max_bytes / (1024 * 1024)
        raise EvidenceRejected(
            f"ফাইলটি অনেক বড়: সর্বোচ্চ {limit_mb:g} MB গ্রহণযোগ্য।",
            f"The file is too large: at most {limit_mb:g} MB is accepted.",
        )
    content_type = sniff_content_type(data[:1024])
    if content_type is None:
        raise EvidenceRejected(
            "শুধু PDF, JPEG বা PNG ফাইল প্রমাণক হিসেবে গ্রহণযোগ্য; এই ফাইলটি এর কোনোটি নয়।",
            "Only PDF, JPEG or PNG files are accepted as evidence; this file is none of them.",
        )
    if content_type == ContentType.PDF:
        return CheckedFile(content_type, _pdf_page_count(data))
    _check_image(data, content_type)
    return CheckedFile(content_type, 1)


def _pdf_page_count(data: bytes) -> int:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise EvidenceRejected(
                "PDF ফাইলটি পাসওয়ার্ড/এনক্রিপশন দিয়ে সুরক্ষিত; সুরক্ষা ছাড়া ফাইলটি দিন।",
                "The PDF is encrypted; upload it without password protection.",
            )
        pages = len(reader.pages)
    except EvidenceRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError, AssertionError) as exc:
        raise EvidenceRejected(
            "PDF ফাইলটি খোলা যায়নি (ফাইলটি ভাঙা বা অসম্পূর্ণ)।",
            f"The PDF could not be opened (damaged or incomplete file): {exc}",
        ) from exc
    if pages < 1:
        raise EvidenceRejected("PDF ফাইলটিতে কোনো পৃষ্ঠা নেই।", "The PDF has no pages.")
    return pages


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


def _check_image(data: bytes, content_type: ContentType) -> None:
    expected_format = "JPEG" if content_type == ContentType.JPEG else "PNG"
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected_format:
                raise EvidenceRejected(
                    "ছবির ধরন ফাইলের ভেতরের তথ্যের সঙ্গে মেলে না।",
                    "The image format does not match the file's content.",
                )
            with _strict_decoding():
                image.load()  # decodes every pixel: truncated or corrupt images fail here
    except EvidenceRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise EvidenceRejected(
            "ছবিটি খোলা যায়নি (ফাইলটি ভাঙা বা অসম্পূর্ণ)।",
            f"The image could not be decoded (damaged or incomplete file): {exc}",
        ) from exc
