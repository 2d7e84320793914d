"""Reports as a reader prints them (issue 15.4, 15.5): the table's type, page breaks and wrapping; each
letter's date and wording."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from base.bangla import format_date_long
from evidence.services import evidence_attach
from indicators.models import Progress
from indicators.periods import periods_ensure
from indicators.services.progress import progress_record
from reports import letter as report_letter
from reports.rendering import render_report
from tests.files import text_pdf

LONG_URL = (
    "https://www.mofa.gov.bd/site/page/a-very-long-address-of-the-e-governance-report-that-never-breaks-2023"
)


def _pages(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1]


def _landscape_pages(data: bytes) -> list[int]:
    reader = PdfReader(__import__("io").BytesIO(data))
    return [
        index
        for index, page in enumerate(reader.pages)
        if float(page.mediabox.width) > float(page.mediabox.height)
    ]


@pytest.fixture
def annual(demo):
    return render_report(demo, "annual", 4, draft=True).pdf


def test_the_table_is_set_in_8_pt_type_at_least(annual):
    """WeasyPrint draws in CSS pixels (a page's matrix scales them by 0.75 to points): every font size
    set on a table page is 8 pt or more."""
    reader = PdfReader(__import__("io").BytesIO(annual))
    pages = _landscape_pages(annual)
    assert pages
    for index in pages:
        data = reader.pages[index].get_contents().get_data().decode("latin-1")
        assert "0.75 0 0 0.75 0 0 cm" in data
        sizes = [float(size) * 0.75 for size in re.findall(r"/\S+ ([\d.]+) Tf", data)]
        assert sizes and min(sizes) >= 8 - 0.01, (index, min(sizes))


def _long_remarks(plan) -> None:
    """A long remark on every indicator: the table runs over several pages, breaking inside areas."""
    periods_ensure(plan)
    officer = get_user_model().objects.get(username="mofa.officer")
    for indicator in plan.indicators.filter(applicable=True).order_by("pk"):
        row = Progress.objects.filter(indicator=indicator, quarter=1).first()
        progress_record(
            indicator=indicator,
            quarter=1,
            value=row.value if row else None,
            remark="দীর্ঘ মন্তব্য: " + "কার্যক্রমটি সফলভাবে সম্পন্ন হয়েছে এবং প্রতিবেদন পাঠানো হয়েছে। " * 6,
            user=officer,
            expected_version=row.version if row else None,
        )


def test_every_table_page_starts_with_its_areas_cells(demo, tmp_path):
    """Where a page breaks inside an area, the next page starts with the area's serial, code and marks
    again (no row left with empty area and activity cells)."""
    _long_remarks(demo)
    data = render_report(demo, "annual", 4, draft=True).pdf
    pages = _pages(data, tmp_path)
    table = _landscape_pages(data)
    assert len(table) >= 4
    marks = {"[১]": "৩০", "[২]": "২০"}
    repeats = 0
    for index in table:
        rows = [line.split() for line in pages[index].splitlines() if re.match(r"\s*[১২৩৪৫৬৭৮৯]\s+\[", line)]
        if not rows:  # the totals' page
            continue
        serial, code, third = rows[0][:3]
        assert code == f"[{serial}]"
        if third == marks[code]:  # the area goes on from the page before: serial, code, marks repeated
            repeats += 1
    assert repeats >= 1


def test_the_area_cells_are_repeated_only_at_the_top_of_a_page(demo, tmp_path):
    """In the demo's Q1 report, activity [১.৪] continues area [১] in the middle of a page, and area [২]
    continues at the top of the next: only the latter repeats serial, code and marks (the two groups share
    one computed style in WeasyPrint; showing one must not show the other)."""
    periods_ensure(demo)
    data = render_report(demo, "quarterly", 1, draft=True).pdf
    pages = _pages(data, tmp_path)
    for index in _landscape_pages(data):
        rows = [line.split() for line in pages[index].splitlines() if re.match(r"\s*[১২৩৪৫৬৭৮৯]\s+\[", line)]
        starts = [row[1] for row in rows]
        # each area's cells once on a page: at its first row there, never again further down
        assert len(starts) == len(set(starts)), (index, starts)


def test_close_table_pages_closes_the_area_at_the_foot_of_the_page(demo):
    from reports import pdf, table_print
    from reports.document import report_html

    _long_remarks(demo)
    document = pdf.html_to_document(report_html(demo, "annual", 4, draft=True, evidence_start_pages=None))
    assert table_print.close_table_pages(document) >= 1
    closed = 0
    for page in document.pages:
        groups = table_print._activity_groups(page._page_box)
        if not groups or "area-open" not in table_print._classes(groups[-1]):
            continue
        for box in table_print._descendants(groups[-1]):
            if "area-cell" in table_print._classes(box) and box.element_tag == "td":
                assert box.style["border_bottom_color"] == box.style["border_right_color"]
                closed += 1
    assert closed >= 3  # serial, area and marks cells of the last group of a page


def test_long_words_and_addresses_wrap_inside_the_table(demo, tmp_path):
    periods_ensure(demo)
    indicator = demo.indicators.order_by("pk").first()
    row = Progress.objects.filter(indicator=indicator, quarter=1).first()
    progress_record(
        indicator=indicator,
        quarter=1,
        value=row.value if row else None,
        remark=f"বিস্তারিত: {LONG_URL}",
        user=get_user_model().objects.get(username="mofa.officer"),
        expected_version=row.version if row else None,
    )
    data = render_report(demo, "annual", 4, draft=True).pdf
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    reader = PdfReader(path)
    for index in _landscape_pages(data):
        width = float(reader.pages[index].mediabox.width)
        box = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(index + 1), "-l", str(index + 1), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        right = [float(x) for x in re.findall(r'xMax="([\d.]+)"', box)]
        assert max(right) <= width - 5 * 72 / 25.4, "text runs past the page's margin"
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # All of it is there, wrapped inside the cell, not cut off (pdftotext drops a hyphen that ends a line).
    assert LONG_URL.replace("-", "") in "".join(raw.split()).replace("-", "")


# --- letters (issue 15.5) -----------------------------------------------------------------------------


def _letter_text(data: bytes, tmp_path) -> str:
    page = next(p for p in _pages(data, tmp_path) if "স্মারক নম্বর" in p)
    return " ".join(page.split())


def test_a_draft_letter_is_dated_by_its_period_not_by_the_day_it_is_printed(demo, tmp_path):
    periods_ensure(demo)
    deadline = demo.periods.get(quarter=2).deadline
    assert deadline < datetime.date.today()
    text = _letter_text(render_report(demo, "half-yearly", 2, draft=True).pdf, tmp_path)
    assert " ".join(format_date_long(deadline).split()) in text
    assert format_date_long(datetime.date.today()) not in text


def test_a_letter_date_set_before_approval_is_the_one_printed(demo, tmp_path):
    periods_ensure(demo)
    letter = report_letter.cover_letter_for(demo.periods.get(quarter=1))
    letter.letter_date = datetime.date(2022, 10, 9)
    letter.save()
    assert report_letter.letter_day(letter) == datetime.date(2022, 10, 9)
    text = _letter_text(render_report(demo, "quarterly", 1, draft=True).pdf, tmp_path)
    assert "০৯ অক্টোবর ২০২২" in text


def test_the_letter_says_with_evidence_only_when_evidence_is_attached(demo, tmp_path):
    periods_ensure(demo)
    without = _letter_text(render_report(demo, "half-yearly", 2, draft=True).pdf, tmp_path)
    assert "অর্ধবার্ষিক স্ব-মূল্যায়ন প্রতিবেদন দাখিল করা হল" in without and "প্রমাণকসহ" not in without
    evidence_attach(
        indicator=demo.indicators.order_by("pk").first(),
        title="প্রমাণ",
        data=text_pdf("Evidence"),
        original_name="e.pdf",
        quarter=1,
    )
    with_evidence = _letter_text(render_report(demo, "half-yearly", 2, draft=True).pdf, tmp_path)
    assert "অর্ধবার্ষিক স্ব-মূল্যায়ন প্রতিবেদন প্রমাণকসহ দাখিল করা হল" in with_evidence


def test_a_letter_the_team_rewrote_is_printed_as_written(demo, tmp_path):
    periods_ensure(demo)
    letter = report_letter.cover_letter_for(demo.periods.get(quarter=2))
    letter.body = "নিজের লেখা পত্র, প্রমাণকসহ।"
    letter.save()
    assert "নিজের লেখা পত্র, প্রমাণকসহ।" in _letter_text(
        render_report(demo, "half-yearly", 2, draft=True).pdf, tmp_path
    )


def test_quarterly_reports_carry_their_letter_worded_for_them(demo, tmp_path):
    periods_ensure(demo)
    for quarter, words in ((1, "১ম ত্রৈমাসিক"), (2, "২য় ত্রৈমাসিক"), (4, "৪র্থ ত্রৈমাসিক")):
        text = _letter_text(render_report(demo, "quarterly", quarter, draft=True).pdf, tmp_path)
        assert f"{words} স্ব-মূল্যায়ন প্রতিবেদন দাখিল সংক্রান্ত" in text
