"""The report PDFs (DESIGN.md §6), read back as people and tools read them: `pdftotext`, `pdfinfo`, pixels.

The demo plan is rendered once per kind for the whole module (rendering takes seconds), inside a
transaction that is rolled back at the end, with three evidence files of different page counts attached.
Texts are compared with whitespace removed: line breaks and column spacing belong to the layout, the
characters themselves must be exactly the source text.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from base.bangla import to_bangla_digits
from evidence.services import evidence_attach
from reports import letter as report_letter
from reports import rendering
from reports.models import CoverLetter, MemoSerial
from reports.pdf import write_pdf
from tests.files import demo_rolled_back, image_bytes

# The module's rendering fixture runs once, outside any test; this marker makes pytest-django set up the test
# database for the session (without it, the fixture would reach the project's own database).
pytestmark = pytest.mark.django_db

# Latin words of the demo text that carry ASCII digits as part of the word (DESIGN.md §6 allows them).
LATIN_WITH_DIGITS = re.compile(r"GPT-4|G2[GCBE]|P2P")
RED = (192, 57, 43)  # the draft mark's colour


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Rendered:
    """One rendered report with what pdfinfo and pdftotext say about it."""

    report: rendering.RenderedReport
    path: Path
    generated_pages: int  # pages before the annex
    page_texts: list[str] = field(default_factory=list)  # pdftotext -layout, one per page
    # pdftotext -raw: drawing order, so a table cell's lines come together
    page_raws: list[str] = field(default_factory=list)
    page_sizes: list[tuple[float, float]] = field(default_factory=list)

    def text(self, first: int = 1, last: int | None = None) -> str:
        """The pages' text in drawing order (each table cell's lines together), for content checks."""
        return "\n".join(self.page_raws[first - 1 : last])

    def generated_text(self) -> str:
        return self.text(1, self.generated_pages)

    def table_text(self) -> str:
        pages = self.landscape_pages()
        return self.text(pages[0], pages[-1])

    def page(self, number: int) -> str:
        return self.page_texts[number - 1]

    def landscape_pages(self) -> list[int]:
        return [n for n, (w, h) in enumerate(self.page_sizes, start=1) if w > h and n <= self.generated_pages]

    def red_pixels(self, number: int) -> int:
        """How many pixels of the page (rendered at 20 dpi) have the draft mark's colour."""
        png = subprocess.run(
            ["pdftoppm", "-r", "20", "-f", str(number), "-l", str(number), "-png", str(self.path)],
            check=True,
            capture_output=True,
        ).stdout
        image = Image.open(io.BytesIO(png)).convert("RGB")
        return sum(1 for r, g, b in image.get_flattened_data() if r > 200 and r - g > 12 and r - b > 12)


def read_back(report: rendering.RenderedReport, path: Path, generated_pages: int) -> Rendered:
    path.write_bytes(report.pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True).stdout
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True).stdout
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(path)], check=True, capture_output=True, text=True
    ).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages == report.pages == len(sizes)
    page_texts = text.decode("utf-8").split("\f")[:pages]
    page_raws = raw.decode("utf-8").split("\f")[:pages]
    return Rendered(report, path, generated_pages, page_texts, page_raws, sizes)


def evidence_pdf(marker: str, pages: int) -> bytes:
    """A PDF whose page i says ``{marker}-{i}`` (Latin, so it is found whatever the text layer does)."""
    body = "".join(
        f'<p style="{"break-before: page" if i > 1 else ""}">{marker}-{i}</p>' for i in range(1, pages + 1)
    )
    return write_pdf(f"<html><body>{body}</body></html>")


# (indicator, title, marker, pages, quarter): three files of different page counts; the picture is undated
# (annual report only), the others belong to Q2 and Q1.
EVIDENCE = [
    ("2.1.1", "তথ্য বাতায়ন হালনাগাদের প্রমাণক", "EVIDENCE-C", 3, 1),
    ("1.1.1", "ডিজিটাল আর্কাইভের ছবি", None, 1, None),
    ("1.3.1", "ই-নথি কার্যক্রমের প্রতিবেদন", "EVIDENCE-B", 2, 2),
]
# Index order: area → activity → indicator (1.1.1, 1.3.1, 2.1.1), whatever the order of upload.
INDEX_ORDER = ["1.1.1", "1.3.1", "2.1.1"]


@dataclass
class Demo:
    annual: Rendered
    half_yearly: Rendered
    quarterly: Rendered
    letter_draft: Rendered
    letter_final: Rendered
    quarterly_final: Rendered
    evidence: dict[str, tuple[str, str | None, int]]  # code → (title, marker, pages)
    memo_serial: int
    progress: list[tuple[int, str]]


def _generated_pages(report: rendering.RenderedReport, annex_pages: int) -> int:
    return report.pages - annex_pages


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Demo:
    folder = tmp_path_factory.mktemp("reports")
    with demo_rolled_back(folder, django_db_blocker) as plan:
        files = {}
        for code, title, marker, pages, quarter in EVIDENCE:
            data = image_bytes("PNG", (300, 200)) if marker is None else evidence_pdf(marker, pages)
            evidence_attach(
                indicator=plan.indicators.get(code=code),
                title=title,
                data=data,
                original_name="scan.png" if marker is None else "scan.pdf",
                quarter=quarter,
            )
            files[code] = (title, marker, pages)

        progress: list[tuple[int, str]] = []
        annual = rendering.render_report(
            plan, "annual", 4, draft=True, on_progress=lambda p, s: progress.append((p, s))
        )
        half = rendering.render_report(plan, "half-yearly", 2, draft=True)
        quarterly = rendering.render_report(plan, "quarterly", 1, draft=True)
        letter_draft = rendering.render_report(plan, "cover-letter", 4, draft=True)
        # What approval does (reports.approvals.approval_record): take the serial, render without the mark.
        serial = report_letter.memo_serial_take(CoverLetter.objects.get(period__plan=plan, period__quarter=4))
        letter_final = rendering.render_report(plan, "cover-letter", 4, draft=False)
        serial_q1 = report_letter.memo_serial_take(
            report_letter.cover_letter_for(plan.periods.get(quarter=1))
        )
        quarterly_final = rendering.render_report(plan, "quarterly", 1, draft=False)
        assert serial_q1 == serial + 1
        assert MemoSerial.objects.get(office=plan.office).last == serial_q1

    annex = {"annual": 1 + 2 + 3, "half": 2 + 3, "quarterly": 3}
    return Demo(
        annual=read_back(annual, folder / "annual.pdf", annual.pages - annex["annual"]),
        half_yearly=read_back(half, folder / "half.pdf", half.pages - annex["half"]),
        quarterly=read_back(quarterly, folder / "q1.pdf", quarterly.pages - annex["quarterly"]),
        letter_draft=read_back(letter_draft, folder / "letter.pdf", letter_draft.pages),
        letter_final=read_back(letter_final, folder / "letter-final.pdf", letter_final.pages),
        quarterly_final=read_back(quarterly_final, folder / "q1-final.pdf", quarterly_final.pages - 3),
        evidence=files,
        memo_serial=serial,
        progress=progress,
    )


def assert_contains(haystack: str, *needles: str) -> None:
    flat = squash(haystack)
    missing = [needle for needle in needles if squash(needle) not in flat]
    assert not missing, f"not in the PDF text: {missing}"


# ---------------------------------------------------------------------------------------------------------
# The annual report: every section, as in seed 000


def test_annual_cover_page_says_what_and_for_whom(demo):
    """Page 1: the office, the title with the fiscal year and the months, the parent office, team and wing."""
    assert_contains(
        demo.annual.page(1),
        "পররাষ্ট্র মন্ত্রণালয়",
        "২০২২-২৩ অর্থ বছরের ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা বাস্তবায়নের",
        "বার্ষিক প্রতিবেদন (জুলাই ২০২২ – জুন ২০২৩)",
        "মন্ত্রিপরিষদ বিভাগ-এ পেশকৃত",
        "ই-গভর্ন্যান্স ও ইনোভেশন টিম",
        "আইসিটি অনুবিভাগ",
    )


def test_annual_cover_letter_is_worded_as_submitted(demo):
    """Page 2: letterhead, memo number (a draft has no serial yet), dual date, subject, body, attachments,
    signature, recipient, attention line and the numbered copies, all as in seed 000."""
    letter = demo.annual.page(2)
    assert_contains(
        letter,
        "গণপ্রজাতন্ত্রী বাংলাদেশ সরকার",
        "আইসিটি অনুবিভাগ",
        "www.mofa.gov.bd",
        "স্মারক নম্বর: ১৯.০০.০০০০.১৭৫.৪২.০০১.২৩-খসড়া",
        "২১ আষাঢ় ১৪৩০ বঙ্গাব্দ",
        "০৫ জুলাই ২০২৩ খ্রিস্টাব্দ",
        "বিষয়ঃ ২০২২-২৩ অর্থবছরের ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনার বার্ষিক স্ব-মূল্যায়ন প্রতিবেদন দাখিল সংক্রান্ত।",
        "উপর্যুক্ত বিষয়ের প্রেক্ষিতে আদিষ্ট হয়ে, পররাষ্ট্র মন্ত্রণালয়ের ২০২২-২৩ অর্থবছরের ই-গভর্ন্যান্স ও উদ্ভাবন "
        "কর্মপরিকল্পনার বার্ষিক স্ব-মূল্যায়ন প্রতিবেদন প্রমাণকসহ দাখিল করা হল।",
        "সংযুক্তিঃ বর্ণনানুযায়ী",
        "ড. মৈয়দ মুন্তাসির মামুন",
        "মহাপরিচালক (আইটিআইটি/আইসিটি)",
        "চিফ ইনোভেশন অফিসার",
        "সচিব",
        "সমন্বয় ও সংস্কার",
        "বাংলাদেশ সচিবালয়, ঢাকা",
        "[দৃঃ আঃ জনাব মোহাম্মদ আশরাফুল আলম, উপসচিব, ই-গভর্নেন্স-২ অধিশাখা]",
        "সদয় অবগতি ও প্রয়োজনীয় কার্যার্থে অনুলিপি (জ্যেষ্ঠতার ক্রমানুসারে নয়)",
        "০১. মহাপরিচালক (প্রশাসন), পররাষ্ট্র মন্ত্রণালয়, ঢাকা।",
        "০৩. অফিস কপি।",
    )
    # Recipient lines in the seed's order.
    flat = squash(letter)
    order = [flat.index(squash(s)) for s in ("সমন্বয় ও সংস্কার", "মন্ত্রিপরিষদ বিভাগ", "বাংলাদেশ সচিবালয়, ঢাকা")]
    assert order == sorted(order)


def test_annual_table_has_the_seed_columns_achievements_and_marks(demo):
    assert_contains(
        demo.annual.table_text(),
        "পররাষ্ট্র মন্ত্রণালয় - ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা ২০২২-২০২৩ বার্ষিক প্রতিবেদন (জুলাই ২০২২ - জুন ২০২৩)",
        "ক্রম",
        "কর্মসম্পাদন ক্ষেত্র",
        "কার্যক্রম",
        "কর্মসম্পাদন সূচকের মান",
        "লক্ষ্যমাত্রা ২০২২-২০২৩",
        "অসাধারণ",
        "অতি উত্তম",
        "চলতি মানের নিম্নে",
        "১ম ত্রৈমাসিক",
        "৪র্থ ত্রৈমাসিক",
        "বার্ষিক অর্জন",
        "অর্জিত নম্বর",
        "মন্তব্য ও প্রমাণক",
        "[১] ই-গভর্ন্যান্স ও উদ্ভাবন সংক্রান্ত কার্যক্রমের বাস্তবায়ন জোরদারকরণ",
        "[১.৩.১] ই-ফাইলে নোট নিষ্পত্তিকৃত",
        # [১.২.২]: targets and the achievement as dates, 5.95 marks (DESIGN.md §3.4)
        "০৪/০৫/২০২৩",
        "২০/০৫/২০২৩",
        "৫.৯৫",
        # [১.৩.১]: quarters 80, 82, 83, 83 % → 82 % → 7.52
        "৮২%",
        "৭.৫২",
        "তথ্য বাতায়ন হালনাগাদ করা হয়েছে।",
    )


def test_annual_totals_are_the_worked_example(demo):
    """DESIGN.md §3.4: achieved 44.77 of applicable 48 → 93.27 % → 46.64 of 50, in Bangla digits."""
    assert_contains(
        demo.annual.table_text(), "৪৪.৭৭", "৯৩.২৭%", "৪৬.৬৪", "প্রযোজ্য সূচকসমূহের মোট মান ৪৮", "মোট মান ৫০"
    )


def test_not_applicable_indicator_is_marked(demo):
    assert_contains(demo.annual.table_text(), "[২.২.৪]", "প্রযোজ্য নয়", "আওতাধীন কোনো দপ্তর/সংস্থা নেই।")


def test_table_is_landscape_and_its_header_repeats_on_every_page(demo):
    pages = demo.annual.landscape_pages()
    assert len(pages) >= 2, "the demo table is expected to take two landscape pages"
    assert pages == list(range(3, 3 + len(pages)))
    numbers = " ".join(to_bangla_digits(n) for n in range(1, 20))  # ১ … ১৯: the numbered column row
    for number in pages:
        page = demo.annual.page_raws[number - 1]
        assert_contains(page, "কর্মসম্পাদন সূচক", "লক্ষ্যমাত্রা ২০২২-২০২৩", "অর্জিত নম্বর")
        assert squash(numbers) in squash(page), f"column numbers missing on page {number}"
    for number in (1, 2, pages[-1] + 1):
        width, height = demo.annual.page_sizes[number - 1]
        assert width < height  # cover, letter and index are portrait


def test_index_lists_every_evidence_at_the_page_where_it_starts(demo):
    """The index prints, for each evidence, the page on which it starts; that page carries the stamp with the
    same number and the evidence's own first page (a picture takes one page)."""
    rendered = demo.annual
    index_number = next(
        n
        for n in range(1, rendered.generated_pages + 1)
        if "সূচীপত্র" in rendered.page(n)
        and "প্রমাণক" in rendered.page(n)
        and n not in rendered.landscape_pages()
    )
    index = squash(rendered.page_raws[index_number - 1])
    starts = []
    for code in INDEX_ORDER:
        title, marker, pages = demo.evidence[code]
        # Drawing order: the evidence's title cell, then its page cell.
        match = re.search(re.escape(squash(title)) + r"([০-৯]+)", index)
        assert match, f"{title} not in the index with a page number"
        page = int(match.group(1).translate(str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")))
        starts.append(page)
        stamp = f"পৃষ্ঠা {to_bangla_digits(page)} · [{to_bangla_digits(code)}]"
        assert squash(stamp) in squash(rendered.page(page)), f"page {page} is not stamped {stamp}"
        if marker is not None:
            assert f"{marker}-1" in rendered.page(page)
            assert f"{marker}-{pages}" in rendered.page(page + pages - 1)
    # In index order, right after the generated part, one after the other.
    assert starts[0] == rendered.generated_pages + 1
    assert starts == [
        rendered.generated_pages + 1 + sum(demo.evidence[c][2] for c in INDEX_ORDER[:i]) for i in range(3)
    ]
    assert rendered.report.pages == rendered.generated_pages + 6


def test_every_annex_page_is_stamped_with_its_absolute_number(demo):
    rendered = demo.annual
    for number in range(rendered.generated_pages + 1, rendered.report.pages + 1):
        assert squash(f"পৃষ্ঠা {to_bangla_digits(number)} ·") in squash(rendered.page(number))


def test_table_points_to_the_evidence_pages(demo):
    first = demo.annual.generated_pages + 1
    assert_contains(demo.annual.table_text(), f"প্রমাণক: পৃষ্ঠা {to_bangla_digits(first)}")


def test_index_lists_the_report_sections_with_their_pages(demo):
    rendered = demo.annual
    index = next(
        rendered.page(n)
        for n in range(1, rendered.generated_pages + 1)
        if "প্রতিবেদনের অংশ" in rendered.page(n)
    )
    introduction = next(
        n for n in range(1, rendered.generated_pages + 1) if squash("ভূমিকা০১।") in squash(rendered.page(n))
    )
    assert re.search(r"প্রেরণপত্র\s+২\s*$", index, re.M)
    assert re.search(r"বার্ষিক স্ব-মূল্যায়ন প্রতিবেদন\s+৩\s*$", index, re.M)
    assert re.search(rf"ভূমিকা\s+{to_bangla_digits(introduction)}\s*$", index, re.M)
    assert re.search(rf"প্রমাণকসমূহ\s+{to_bangla_digits(rendered.generated_pages + 1)}\s*$", index, re.M)


def test_introduction_and_initiatives_tables(demo):
    text = demo.annual.generated_text()
    assert_contains(
        text,
        "ভূমিকা",
        "০১। মাননীয় প্রধানমন্ত্রীর স্মার্ট বাংলাদেশ ও জনমুখী সিভিল সার্ভিস বিনির্মাণের লক্ষ্যে",
        "০২। পররাষ্ট্র মন্ত্রণালয়ে আইসিটির ভূমিকা ও কার্যকারিতা",
        "ক. জি টু জি (G2G) – গভর্নমেন্ট টু গভর্নমেন্ট",
        "৫.৭. ডিজিটাল আর্কাইভঃ",
        "০৬। ২০৪১ সালের মধ্যে উন্নত ও স্মার্ট বাংলাদেশ বিনির্মাণে",
        # the ongoing/completed table, with its status column
        "অবস্থা / সমাপ্তির তারিখ",
        "ডিজিটাল-নথি (ডি-নথি)",
        "চলমান",
        "জুলাই ২০২৩",
        "ইনোভেশন ল্যাব/কর্ণার (iLab)",
        "সমাপ্ত",
        # the future plans table, with the completion dates
        "০৭। পররাষ্ট্র মন্ত্রণালয়ের ভবিষ্যৎ কর্মপরিকল্পনা",
        "হটলাইন স্থাপন",
        "নভেম্বর ২০২৩",
        "মিশন অ্যাক্টিভিটি ট্র্যাকার",
        "আগস্ট ২০২৩",
        "০৮। ভবিষ্যতের উন্নত ও স্মার্ট বাংলাদেশ গড়ার জন্য",
    )
    flat = squash(text)
    # The tables sit where the text places them: ongoing after ০৬, future after ০৭, then ০৮.
    position = 0
    for needle in (
        "০৬।২০৪১",
        "অবস্থা/সমাপ্তিরতারিখ",
        "০১ডিজিটাল-নথি(ডি-নথি)",
        "০৭।পররাষ্ট্র",
        "হটলাইনস্থাপন",
        "০৮।ভবিষ্যতের",
    ):
        position = flat.index(needle, position)  # ValueError if out of order


def test_generated_pages_use_bangla_digits_only(demo):
    """No ASCII digit on a generated page except inside Latin words of the text itself (GPT-4, G2G)."""
    for rendered in (demo.annual, demo.half_yearly, demo.quarterly, demo.letter_final):
        for number in range(1, rendered.generated_pages + 1):
            text = LATIN_WITH_DIGITS.sub("", rendered.page(number))
            assert not re.search(r"[0-9]", text), (
                f"ASCII digit on page {number}: {re.findall(r'.{0,20}[0-9].{0,20}', text)}"
            )


def _footer(rendered, number: int) -> str:
    lines = [line.strip() for line in rendered.page(number).splitlines() if line.strip()]
    return lines[-1]


def test_pages_are_numbered_as_in_seed_000(demo):
    """Issue 15.5: the cover has no number; the annual report prints its numbers from ভূমিকা on (the pages
    before it count, unnumbered, as in seed 000); the other reports number every page but the cover. A
    number is the page's absolute number, in Bangla digits, in the footer."""
    annual = demo.annual

    def heading(number: int) -> str:
        lines = [line.strip() for line in annual.page(number).splitlines() if line.strip()]
        return next(line for line in lines if line != "খসড়া")

    introduction = next(n for n in range(1, annual.generated_pages + 1) if heading(n) == "ভূমিকা")
    assert introduction > 4  # cover, letter, table, index before it
    for number in range(1, annual.generated_pages + 1):
        footer = _footer(annual, number)
        if number < introduction:
            assert footer != to_bangla_digits(number), f"page {number} is numbered before ভূমিকা"
        else:
            assert footer == to_bangla_digits(number), f"page {number} ends with {footer!r}"
    for rendered in (demo.half_yearly, demo.quarterly):
        assert _footer(rendered, 1) != "১"  # the cover
        for number in range(2, rendered.generated_pages + 1):
            assert _footer(rendered, number) == to_bangla_digits(number)
    assert _footer(demo.letter_draft, 1) == "১"  # the letter alone: its one page


def test_progress_is_reported_step_by_step(demo):
    percents = [p for p, _ in demo.progress]
    assert percents == sorted(percents) and percents[-1] == 100 and len(percents) >= 5
    assert all(step for _, step in demo.progress)


# ---------------------------------------------------------------------------------------------------------
# Draft mark


def test_drafts_carry_the_draft_mark_on_every_generated_page(demo):
    for rendered in (demo.annual, demo.letter_draft):
        for number in range(1, rendered.generated_pages + 1):
            assert "খসড়া" in rendered.page(number), f"no draft word on page {number}"
            assert rendered.red_pixels(number) > 200, f"no visible watermark on page {number}"


def test_annex_pages_carry_no_draft_mark(demo):
    for number in range(demo.annual.generated_pages + 1, demo.annual.report.pages + 1):
        assert "খসড়া" not in demo.annual.page(number)
        assert demo.annual.red_pixels(number) == 0


def test_approved_copies_carry_no_draft_mark_and_the_memo_serial(demo):
    for rendered in (demo.letter_final, demo.quarterly_final):
        for number in range(1, rendered.generated_pages + 1):
            assert "খসড়া" not in rendered.page(number)
            assert rendered.red_pixels(number) == 0
    assert demo.memo_serial == 69  # the demo office's last serial was 68 (seed 000's letter is ৬৯)
    assert_contains(demo.letter_final.page(1), "স্মারক নম্বর: ১৯.০০.০০০০.১৭৫.৪২.০০১.২৩-৬৯")
    assert_contains(demo.quarterly_final.page(2), "স্মারক নম্বর: ১৯.০০.০০০০.১৭৫.৪২.০০১.২৩-৭০")


# ---------------------------------------------------------------------------------------------------------
# Other kinds


def test_cover_letter_alone_is_one_portrait_page(demo):
    rendered = demo.letter_draft
    assert rendered.report.pages == 1
    width, height = rendered.page_sizes[0]
    assert (round(width), round(height)) == (595, 842)
    assert_contains(rendered.page(1), "বিষয়ঃ", "বার্ষিক স্ব-মূল্যায়ন প্রতিবেদন দাখিল সংক্রান্ত।", "০৩. অফিস কপি।")
    assert "কর্মসম্পাদন সূচক" not in rendered.page(1)


def test_half_yearly_shows_the_first_two_quarters_and_their_evidence(demo):
    rendered = demo.half_yearly
    table = rendered.table_text()
    assert_contains(rendered.page(1), "অর্ধবার্ষিক প্রতিবেদন (জুলাই ২০২২ – ডিসেম্বর ২০২২)")
    assert_contains(rendered.page(2), "কর্মপরিকল্পনার অর্ধবার্ষিক স্ব-মূল্যায়ন প্রতিবেদন দাখিল সংক্রান্ত।")
    assert_contains(table, "১ম ত্রৈমাসিক", "২য় ত্রৈমাসিক", "অর্ধবার্ষিক অর্জন")
    assert "৩য় ত্রৈমাসিক" not in table and "৪র্থ ত্রৈমাসিক" not in table
    # Q1–Q2 evidence only (the undated picture belongs to the annual report): 2 + 3 pages.
    assert rendered.report.pages == rendered.generated_pages + 5
    annex = rendered.text(rendered.generated_pages + 1)
    assert "EVIDENCE-B-1" in annex and "EVIDENCE-C-3" in annex
    assert "ভূমিকা" not in rendered.generated_text()  # the introduction belongs to the annual report


def test_quarterly_shows_the_quarters_so_far(demo):
    rendered = demo.quarterly
    table = rendered.table_text()
    assert_contains(rendered.page(1), "১ম ত্রৈমাসিক প্রতিবেদন (জুলাই ২০২২ – সেপ্টেম্বর ২০২২)")
    assert_contains(rendered.page(2), "১ম ত্রৈমাসিক স্ব-মূল্যায়ন প্রতিবেদন দাখিল সংক্রান্ত।")
    assert_contains(table, "১ম ত্রৈমাসিক", "এ পর্যন্ত অর্জন")
    assert "২য় ত্রৈমাসিক" not in table
    assert rendered.report.pages == rendered.generated_pages + 3
    first = rendered.generated_pages + 1
    assert "EVIDENCE-C-1" in rendered.page(first)
    assert_contains(rendered.page(first), f"পৃষ্ঠা {to_bangla_digits(first)} · [২.১.১]")


def test_sha256_is_of_the_bytes(demo):
    import hashlib

    for rendered in (demo.annual, demo.letter_final):
        assert rendered.report.sha256 == hashlib.sha256(rendered.path.read_bytes()).hexdigest()
