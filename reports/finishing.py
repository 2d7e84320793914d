"""The last steps of a generated PDF, shared by the reports (``reports.rendering``) and the documents that
stand alone — the minutes, the Smart Bangladesh plan, the review of child offices (DESIGN.md §6 "Signed",
issue 16.5): where the visible signature block was laid out, the whole document's metadata and bookmarks
(``reports.pdf_metadata.finish``), then the office's signature over all of it (``reports.signing``).

Order matters: the metadata is the last update before the signature, which covers it; anything written
after the signature would break it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from base.bangla import format_date_long, to_bangla_digits
from indicators.models import Office
from reports import pdf, pdf_metadata, signing
from reports.table import bangla_text

#: The visible signature block's size (``.signature-seal`` in static/css/report.css).
SIGNATURE_SEAL_MM = (66, 20)
_PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 a inch); PDF points are 72 an inch
_MM_TO_PT = 72 / 25.4


def signature_box(document) -> signing.SignatureBox | None:
    """Where the signature block (the element ``#signature-seal``) was laid out in a WeasyPrint document:
    page index and rectangle in PDF points, if it is there."""
    for index, page in enumerate(document.pages):
        anchor = page.anchors.get("signature-seal")
        if anchor is None:
            continue
        x, y = anchor[0] * _PX_TO_PT, anchor[1] * _PX_TO_PT
        page_height = page.height * _PX_TO_PT
        width, height = (size * _MM_TO_PT for size in SIGNATURE_SEAL_MM)
        return signing.SignatureBox(index, (x, page_height - y - height, x + width, page_height - y))
    return None


def seal_block(office: Office, *, approver=None, when=None, signed: bool, draft: bool) -> dict | None:
    """What the visible signature block says (``templates/reports/pdf/_signature_seal.html``): on a signed
    copy the signing office, the approver and the time; on a draft, when copies are signed, where the
    signature will go; nothing otherwise."""
    if signed:
        moment = timezone.localtime(when or timezone.now())
        name = (approver.get_full_name().strip() or approver.get_username()) if approver else ""
        return {
            "signed": True,
            "office": office.name_bn,
            "approver": f"অনুমোদন: {bangla_text(name)}" if name else "অনুমোদিত",
            "when": f"{format_date_long(moment.date())}, {to_bangla_digits(moment.strftime('%H:%M'))}",
        }
    if draft and signing.signing_enabled():
        return {"signed": False}
    return None


def office_sign(
    data: bytes, *, office: Office, box: signing.SignatureBox | None, reason: str
) -> tuple[bytes, str]:
    """``data`` signed by the office (the last step: nothing may be written after it), and who signed."""
    data = signing.sign_pdf(data, office=office, box=box, reason=reason)
    return data, signing.signature_status(data).signer


@dataclass(frozen=True)
class FinishedPdf(pdf.RenderedPdf):
    #: Who signed it (the certificate's name), for a copy signed at approval; "" otherwise.
    signer: str = ""


def render_document(
    html: str,
    *,
    office: Office,
    subject: str,
    keywords: Sequence[str] = (),
    sign: bool = False,
    reason: str = "",
) -> FinishedPdf:
    """A standalone document (no annex) as PDF: laid out once with the text layer and tags
    (``reports.pdf.render_standalone``), with the whole document's metadata (its ``<title>`` as title, the
    office as author, ``subject``, ``keywords``, language bn, XMP) and its headings as bookmarks; with
    ``sign`` (the copy kept at approval) signed by the office, the widget over the ``#signature-seal``
    block."""
    document = pdf.standalone_document(html)
    box = signature_box(document) if sign else None
    part = pdf_metadata.generated_part(document)  # its title and headings, read from the layout
    generated = document.write_pdf()
    pages = len(document.pages)
    del document
    metadata = pdf_metadata.Metadata(
        title=" ".join((part.title or subject).split()),
        author=office.name_bn,
        subject=subject,
        keywords=(office.name_bn, *keywords),
    )
    # The metadata and bookmarks are the last update before the signature, which covers them.
    final, signer = pdf_metadata.finish(generated, metadata, part.headings), ""
    if sign and signing.signing_enabled():
        final, signer = office_sign(
            final, office=office, box=box, reason=reason or f"{office.name_en or office.code}: approved"
        )
    return FinishedPdf(pdf=final, pages=pages, sha256=hashlib.sha256(final).hexdigest(), signer=signer)


def document_keep(document, pdf_bytes: bytes, name: str) -> None:
    """Keep a document's approved copy (minutes, Smart Bangladesh plan) on it, with its SHA-256: what its
    download returns from now on, whether or not an indicator took it as evidence. The caller saves."""
    document.approved_file.save(name, ContentFile(pdf_bytes), save=False)
    document.approved_sha256 = hashlib.sha256(pdf_bytes).hexdigest()


def stored_copy(document) -> bytes | None:
    """The bytes of a document's copy kept at approval, if it is still there: its own file, or for one
    approved before copies were kept on the document, the evidence it became."""
    file = document.approved_file if document.approved_file else getattr(document.evidence, "file", None)
    if not file:
        return None
    try:
        with file.storage.open(file.name, "rb") as handle:
            return handle.read()
    except OSError:
        return None
