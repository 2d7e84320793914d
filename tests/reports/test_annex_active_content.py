"""The annex copies evidence pages, not what could carry a file or run something (issue 11 point 6).

Evidence that got in before the upload check refused it (rows created directly here) must not bring its
attached files, actions, scripts or forms into the official report: checked with the evidence check's own
walk (``pdf_findings``), with pypdf, and as a reader sees it with Poppler (``pdfdetach -list``,
``pdftotext``). Plain links stay; what other annotations showed is drawn into the page.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from evidence.models import ContentType, Evidence
from evidence.validators import WEB_ADDRESS, pdf_findings
from reports import rendering
from reports.annex import annex_pdf
from tests import files
from tests.files import handmade_pdf

HOSTILE = {
    "file-attachment-annotation": files.pdf_with_file_attachment_annotation(),
    "nested-ef": files.pdf_with_nested_embedded_file(),
    "embedded-files-tree": files.pdf_with_embedded_files_tree(),
    "launch-on-open": files.pdf_with_open_action(files.LAUNCH_ACTION),
    "link-to-network-share": files.pdf_with_link(files.REMOTE_GOTO_ACTION),
    "web-address-on-open": files.pdf_with_open_action(files.URI_ACTION),
    "web-address-when-the-page-opens": files.pdf_with_page_open_action(files.URI_ACTION),
    "javascript-bookmark": files.pdf_with_outline_action(files.JAVASCRIPT_ACTION),
    "javascript-link": files.pdf_with_link(files.JAVASCRIPT_ACTION),
    "javascript-link-in-object-stream": files.pdf_with_link(files.JAVASCRIPT_ACTION, compressed=True),
    "xfa-form": files.pdf_with_xfa(),
    "cyclic-action-chain": files.pdf_with_action_cycle(files.REMOTE_GOTO_ACTION),
}

needs_poppler = pytest.mark.skipif(shutil.which("pdfdetach") is None, reason="poppler-utils not installed")


def _evidence(data: bytes) -> Evidence:
    """An unsaved Evidence whose file is in the test's storage, never checked."""
    evidence = Evidence(title="t", content_type=ContentType.PDF, page_count=1, size=len(data))
    evidence.file.save("upload", ContentFile(data), save=False)
    return evidence


def _attached_files(pdf: bytes, tmp_path) -> int:
    """How many embedded files ``pdfdetach -list`` finds (names tree and file attachment annotations)."""
    path = tmp_path / "detach.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(
        ["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return int(re.match(r"(\d+) embedded files", output).group(1))


def _annotations(pdf: bytes) -> list[dict]:
    return [
        annotation.get_object()
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annotation in page.get("/Annots", ArrayObject())
    ]


@needs_poppler
def test_the_hostile_files_carry_what_the_annex_must_drop(tmp_path):
    """The attack files are what they claim: Poppler finds the attached files in them."""
    assert _attached_files(HOSTILE["file-attachment-annotation"], tmp_path) == 1
    assert _attached_files(HOSTILE["embedded-files-tree"], tmp_path) == 1


@needs_poppler
def test_annex_of_hostile_evidence_carries_no_file_action_script_or_form(tmp_path):
    """Every page of every hostile file is in the annex, with its text, and nothing else of it: no attached
    file (Poppler finds none), nothing the upload check would refuse, no annotation at all (these files
    hold no plain link), no AcroForm, names tree, /OpenAction or /AA."""
    pdf, counts = annex_pdf([_evidence(data) for data in HOSTILE.values()])

    assert counts == [1] * len(HOSTILE)
    assert _attached_files(pdf, tmp_path) == 0
    reader = PdfReader(io.BytesIO(pdf))
    assert pdf_findings(reader) == []
    assert _annotations(pdf) == []
    assert not {"/AcroForm", "/Names", "/OpenAction", "/AA"} & set(reader.root_object)
    assert all("/AA" not in page and "/PieceInfo" not in page for page in reader.pages)
    assert [page.extract_text() for page in reader.pages] == ["Evidence page"] * len(HOSTILE)


def test_annex_keeps_plain_links_each_pointing_into_its_own_copy():
    """Links to a web page and an e-mail address stay as bare URI links; a link to a place in the evidence
    points at that page of the same copy (the file twice in the annex: each copy's link to its own page);
    each kept link is rebuilt, so it carries nothing but its rectangle, border and target."""
    pdf, _ = annex_pdf(
        [_evidence(files.pdf_with_ordinary_links()), _evidence(files.pdf_with_ordinary_links())]
    )

    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        links = [annotation.get_object() for annotation in page["/Annots"]]
        assert [link["/Subtype"] for link in links] == ["/Link"] * 3
        assert [link["/A"]["/URI"] for link in links if "/A" in link] == [
            "https://www.a2i.gov.bd/",
            "mailto:cio@mofa.gov.bd",
        ]
        assert all(dict(link["/A"]).keys() == {"/S", "/URI"} for link in links if "/A" in link)
        (internal,) = [link for link in links if "/Dest" in link]
        assert internal["/Dest"][0] == page.indirect_reference
        assert internal["/Dest"][1] == "/XYZ"
        assert all(
            set(link) <= {"/Type", "/Subtype", "/Rect", "/Border", "/A", "/Dest", "/P"} for link in links
        )


def test_named_destination_links_of_a_weasyprint_file_keep_their_target_and_border():
    """WeasyPrint writes in-document links as named destinations with a border of width 0: the kept link
    points at the second page of its own copy, without a frame drawn around it."""
    from reports.pdf import html_to_pdf

    data = html_to_pdf('<a href="#two">to page two</a><h1 id="two" style="break-before: page">Two</h1>')
    pdf, counts = annex_pdf([_evidence(data), _evidence(data)])

    assert counts == [2, 2]
    pages = PdfReader(io.BytesIO(pdf)).pages
    for first in (0, 2):
        (link,) = [annotation.get_object() for annotation in pages[first]["/Annots"]]
        assert link["/Dest"][0] == pages[first + 1].indirect_reference
        assert link["/BS"]["/W"] == 0


def test_link_to_a_place_in_the_file_by_go_to_is_kept_as_a_destination():
    """A /GoTo link becomes a plain /Dest to the copied page; a /Next chain behind it does not come along."""
    action = b"<< /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (app.alert\\(1\\)) >> >>"
    pdf, _ = annex_pdf([_evidence(files.pdf_with_link(action))])

    (link,) = _annotations(pdf)
    assert "/A" not in link
    assert link["/Dest"][1] == "/Fit"
    assert pdf_findings(PdfReader(io.BytesIO(pdf))) == []


def _appearance(text: bytes) -> bytes:
    """A Form XObject 200 × 60 that writes ``text`` at (10, 20) in Helvetica 20."""
    return files._stream(
        b"BT /F1 20 Tf 10 20 Td (%b) Tj ET" % text,
        b"/Type /XObject /Subtype /Form /BBox [0 0 200 60] "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>",
    )


@needs_poppler
def test_other_annotations_are_drawn_into_the_page_as_printing_would(tmp_path):
    """A stamp and a ticked check box are drawn from their appearance onto their rectangles (the stamp's
    200 × 60 box onto 100 × 30 points at (300, 500)); a hidden note and a file attachment's paper clip are
    not; the page keeps no annotation."""
    data = handmade_pdf(
        page=b"/Annots [4 0 R 6 0 R 8 0 R 10 0 R]",
        objects=[
            b"<< /Type /Annot /Subtype /Stamp /Rect [300 500 400 530] /AP << /N 5 0 R >> >>",
            _appearance(b"APPROVED"),
            b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (ok) /Rect [72 100 172 130] /AS /On "
            b"/AP << /N << /On 7 0 R /Off 12 0 R >> >> >>",
            _appearance(b"TICKED"),
            b"<< /Type /Annot /Subtype /FreeText /F 2 /Rect [72 200 272 260] /AP << /N 9 0 R >> >>",
            _appearance(b"HIDDEN"),
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 300 272 360] /AP << /N 11 0 R >> "
            b"/FS << /F (run.exe) /EF << /F 13 0 R >> >> >>",
            _appearance(b"PAPERCLIP"),
            _appearance(b"UNTICKED"),
            files._stream(files.EXECUTABLE),
        ],
    )
    pdf, _ = annex_pdf([_evidence(data)])
    path = tmp_path / "annex.pdf"
    path.write_bytes(pdf)

    assert _annotations(pdf) == []
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "APPROVED" in text and "TICKED" in text
    assert not {"HIDDEN", "PAPERCLIP", "UNTICKED"} & set(text.split())
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True).stdout
    x_min, y_max = re.search(
        r'xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">APPROVED<', bbox
    ).groups()
    # Form (10, 20) at scale 0.5 from (300, 500): x 305, baseline 510 (842 - 510 = 332 from the top).
    assert float(x_min) == pytest.approx(305, abs=1)
    assert float(y_max) == pytest.approx(842 - 510, abs=4)
    assert _attached_files(pdf, tmp_path) == 0


@needs_poppler
@pytest.mark.django_db
def test_annual_report_with_hostile_evidence_in_the_database_carries_no_attachment(demo, tmp_path):
    """Evidence rows written straight to the database (as an older check let them in) go into the annual
    report's annex page for page, and the report carries no attached file and nothing the check refuses."""
    indicator = demo.indicators.get(code="1.2.2")
    for position, (name, data) in enumerate(HOSTILE.items()):
        evidence = Evidence(
            indicator=indicator,
            quarter=1,
            title=name,
            original_name=f"{name}.pdf",
            content_type=ContentType.PDF,
            size=len(data),
            page_count=1,
            sha256=hashlib.sha256(data).hexdigest(),
            position=position,
        )
        evidence.file.save("upload.pdf", ContentFile(data), save=False)
        evidence.save()

    rendered = rendering.render_report(demo, "annual", 4, draft=True)

    assert _attached_files(rendered.pdf, tmp_path) == 0
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert pdf_findings(reader) == []
    annex = reader.pages[rendered.pages - len(HOSTILE) :]
    assert all("Evidence page" in page.extract_text() for page in annex)
    for annotation in _annotations(rendered.pdf):
        action = annotation.get("/A")
        assert annotation["/Subtype"] == "/Link"
        assert action is None or action["/S"] == "/GoTo" or WEB_ADDRESS.match(action["/URI"])
