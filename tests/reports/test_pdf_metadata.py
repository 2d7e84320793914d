"""Whole-document metadata and navigation of a report PDF (DESIGN.md §6, issue 15.3), read back with pypdf
and ``pdfinfo``: Title, Author (the office), Subject, Keywords, ``/Lang (bn)``, XMP, through the evidence
annex (which is written as incremental updates), and bookmarks for every part and each evidence."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import UTC, datetime

import pypdf
import pytest

from reports import pdf, pdf_metadata

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def annual(annual_report) -> dict:
    data = annual_report["path"].read_bytes()

    def pdfinfo(*options: str) -> str:
        args = ["pdfinfo", *options, str(annual_report["path"])]
        return subprocess.run(args, capture_output=True, check=True, text=True).stdout

    reader = pypdf.PdfReader(io.BytesIO(data))
    return {**annual_report, "reader": reader, "pdfinfo": pdfinfo(), "xmp": pdfinfo("-meta"), "data": data}


def outline_titles(reader: pypdf.PdfReader, items=None, depth: int = 0) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) of every bookmark, in order."""
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found.extend(outline_titles(reader, item, depth + 1))
        else:
            found.append((depth, str(item.title), reader.get_destination_page_number(item)))
    return found


def test_the_information_survives_the_annex(annual):
    """pdfinfo (which reads the last trailer's /Info) shows the title, the office as author, the subject
    and the keywords of the whole report, annex included."""
    info = annual["pdfinfo"]
    office = annual["office"]
    assert re.search(rf"^Title:\s+{re.escape(office)} — .*বার্ষিক", info, re.M), info
    assert re.search(rf"^Author:\s+{re.escape(office)}$", info, re.M)
    assert re.search(r"^Subject:\s+ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা ২০২২-২৩: বার্ষিক", info, re.M)
    assert re.search(rf"^Keywords:\s+{re.escape(office)}, ", info, re.M)
    assert re.search(r"^Producer:\s+APA Tracker", info, re.M)
    reader = annual["reader"]
    assert reader.trailer["/Info"].get_object()["/Author"] == office
    assert len(reader.pages) == annual["pages"]


def test_language_and_xmp(annual):
    reader = annual["reader"]
    assert reader.root_object["/Lang"] == "bn"
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title["x-default"].startswith(annual["office"])
    assert xmp.dc_creator == [annual["office"]]
    assert xmp.dc_language == ["bn"]
    assert annual["office"] in xmp.dc_subject
    # pdfinfo -meta prints the XMP packet as stored.
    assert "<dc:language><rdf:Bag><rdf:li>bn</rdf:li>" in annual["xmp"]


def test_bookmarks_for_every_part_and_each_evidence(annual):
    """Cover, letter, table, index, introduction (its headings under it), the initiatives tables, and the
    annex with each evidence at the page its stamp gives; in page order."""
    marks = outline_titles(annual["reader"])
    top = [(title, page) for depth, title, page in marks if depth == 0]
    assert [title for title, _ in top] == [
        "প্রচ্ছদ",
        "প্রেরণপত্র",
        "স্ব-মূল্যায়ন ছক",
        "সূচীপত্র",
        "ভূমিকা",
        "উদ্যোগ: চলমান ও সমাপ্ত",
        "উদ্যোগ: ভবিষ্যৎ",
        "প্রমাণক",
    ]
    pages = [page for _, page in top]
    assert pages == sorted(pages) and pages[0] == 0
    evidence = [(title, page) for depth, title, page in marks if depth == 1 and page >= pages[-1]]
    assert [title for title, _ in evidence] == [
        "[১.১.১] ডিজিটাল আর্কাইভের ছবি",
        "[১.৩.১] ই-নথি কার্যক্রমের প্রতিবেদন",
    ]
    total = annual["pages"]
    assert [page for _, page in evidence] == [total - 3, total - 2]  # the picture (1 page), then the PDF (2)
    # The evidence pages carry the stamp of the page the bookmark names.
    assert "পৃষ্ঠা" in annual["reader"].pages[total - 2].extract_text()
    # The introduction's own headings are under it, with a space where the cover title broke a line.
    assert all("  " not in title for _, title, _ in marks)


def test_finish_is_an_incremental_update():
    """The bytes before it are kept as they are (cheap whatever the annex), the last trailer has /Info."""
    source = pdf.html_to_pdf("<title>শিরোনাম</title><section id='cover'><h1>প্রথম</h1></section>")
    metadata = pdf_metadata.Metadata(
        title="শিরোনাম", author="দপ্তর", subject="বিষয়", created=datetime(2023, 7, 5, tzinfo=UTC)
    )
    finished = pdf_metadata.finish(source, metadata, [pdf_metadata.Bookmark("প্রচ্ছদ", 0)])
    assert finished.startswith(source)
    tail = finished[len(source) :]
    assert b"/Info" in tail.split(b"trailer")[-1]
    reader = pypdf.PdfReader(io.BytesIO(finished))
    assert reader.metadata["/CreationDate"] == "D:20230705060000+06'00'"  # in the site's time zone (Dhaka)
    assert outline_titles(reader) == [(0, "প্রচ্ছদ", 0)]


def test_the_generated_pages_are_tagged_through_the_annex(annual):
    """Tagged PDF (WeasyPrint's structure tree) kept when the annex is assembled: pdfinfo says "Tagged:
    yes", and the structure tree's leaves point at generated pages."""
    assert re.search(r"^Tagged:\s+yes$", annual["pdfinfo"], re.M), annual["pdfinfo"]
    root = annual["reader"].root_object
    assert root["/MarkInfo"]["/Marked"]
    tree = root["/StructTreeRoot"]
    assert tree["/K"]
    page_ids = {page.indirect_reference.idnum for page in annual["reader"].pages}
    first = annual["reader"].pages[0]
    assert "/StructParents" in first
    parents = tree["/ParentTree"]["/Nums"]
    element = parents[1][0].get_object()
    assert element.raw_get("/Pg").idnum in page_ids
