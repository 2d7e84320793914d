"""What goes into a report (reports.letter, reports.table, reports.document): cover-letter defaults, memo numbers, evidence order, the
generated HTML's page numbers and the introduction's light markup. No PDF is rendered here."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from base.errors import DomainError
from evidence.services import evidence_attach
from indicators.models import ActionPlan, Office, OfficeKind, Role
from indicators.periods import period_for
from reports import document as report_document
from reports import letter as report_letter
from reports import rendering
from reports import table as report_table
from reports.models import CoverLetter, Initiative, Introduction, MemoSerial, ReportKind
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MembershipFactory,
    OfficeFactory,
    PlanFactory,
    UserFactory,
)
from tests.files import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def child_office() -> Office:
    """A department under a ministry, with a CIO: the letter's defaults come from them."""
    parent = OfficeFactory(
        code="ministry",
        name_bn="সমাজকল্যাণ মন্ত্রণালয়",
        kind=OfficeKind.MINISTRY,
        wing_bn="আইসিটি ও ইনোভেশন শাখা",
        address_bn="বাংলাদেশ সচিবালয়\nঢাকা-১০০০",
    )
    office = OfficeFactory(
        code="dept",
        name_bn="সমাজসেবা অধিদফতর",
        kind=OfficeKind.DEPARTMENT,
        parent=parent,
        memo_prefix="41.01.0000.044",
    )
    cio = UserFactory(username="dept.cio", first_name="মোঃ আব্দুল", last_name="করিম")
    MembershipFactory(user=cio, office=office, role=Role.CIO)
    MembershipFactory(user=UserFactory(username="dept.officer", first_name="অন্য"), office=office)
    return office


@pytest.fixture
def child_plan(child_office) -> ActionPlan:
    return PlanFactory(office=child_office, fiscal_year=FiscalYearFactory(start_year=2022))


# ---------------------------------------------------------------------------------------------------------
# Cover letter defaults


def test_annual_letter_defaults_are_worded_as_seed_000(child_plan):
    letter = report_letter.cover_letter_for(period_for(child_plan, 4))
    assert letter.subject == (
        "২০২২-২৩ অর্থবছরের ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনার বার্ষিক স্ব-মূল্যায়ন প্রতিবেদন দাখিল সংক্রান্ত।"
    )
    assert letter.body == (
        "উপর্যুক্ত বিষয়ের প্রেক্ষিতে আদিষ্ট হয়ে, সমাজসেবা অধিদফতরের ২০২২-২৩ অর্থবছরের ই-গভর্ন্যান্স ও উদ্ভাবন "
        "কর্মপরিকল্পনার বার্ষিক স্ব-মূল্যায়ন প্রতিবেদন প্রমাণকসহ দাখিল করা হল।"
    )
    assert letter.attachments == "বর্ণনানুযায়ী"
    assert letter.copies == "অফিস কপি"
    assert letter.memo_serial is None and letter.letter_date is None


def test_letter_is_addressed_to_the_head_of_the_parent_office(child_plan):
    """Recipient: head of the parent office, its wing, name and address lines (seed 000's block)."""
    letter = report_letter.cover_letter_for(period_for(child_plan, 4))
    assert letter.recipient.splitlines() == [
        "সচিব",
        "আইসিটি ও ইনোভেশন শাখা",
        "সমাজকল্যাণ মন্ত্রণালয়",
        "বাংলাদেশ সচিবালয়",
        "ঢাকা-১০০০",
    ]


def test_letter_is_signed_by_the_offices_cio(child_plan):
    letter = report_letter.cover_letter_for(period_for(child_plan, 4))
    assert letter.signatory_name == "মোঃ আব্দুল করিম"
    assert letter.signatory_designation == "চিফ ইনোভেশন অফিসার"


def test_half_yearly_and_quarterly_letters_say_which_assessment(child_plan):
    half = report_letter.cover_letter_for(period_for(child_plan, 2))
    first = report_letter.cover_letter_for(period_for(child_plan, 1))
    third = report_letter.cover_letter_for(period_for(child_plan, 3))
    assert "কর্মপরিকল্পনার অর্ধবার্ষিক স্ব-মূল্যায়ন প্রতিবেদন দাখিল সংক্রান্ত।" in half.subject
    assert "কর্মপরিকল্পনার ১ম ত্রৈমাসিক স্ব-মূল্যায়ন প্রতিবেদন দাখিল সংক্রান্ত।" in first.subject
    assert "৩য় ত্রৈমাসিক স্ব-মূল্যায়ন প্রতিবেদন প্রমাণকসহ দাখিল করা হল।" in third.body


def test_cover_letter_for_returns_the_same_letter_and_keeps_edits(child_plan):
    period = period_for(child_plan, 4)
    letter = report_letter.cover_letter_for(period)
    letter.subject = "সম্পাদিত বিষয়"
    letter.save()
    again = report_letter.cover_letter_for(period)
    assert again.pk == letter.pk and again.subject == "সম্পাদিত বিষয়"
    assert CoverLetter.objects.filter(period=period).count() == 1


def test_new_letters_carry_signatory_recipient_and_copies_over_from_the_last_one(child_plan):
    first = report_letter.cover_letter_for(period_for(child_plan, 1))
    first.signatory_name = "ড. নতুন নাম"
    first.signatory_designation = "অতিরিক্ত সচিব\nও\nচিফ ইনোভেশন অফিসার"
    first.attention = "জনাব ক, উপসচিব"
    first.copies = "মহাপরিচালক (প্রশাসন)\nঅফিস কপি"
    first.save()
    second = report_letter.cover_letter_for(period_for(child_plan, 2))
    assert (second.signatory_name, second.signatory_designation, second.attention, second.copies) == (
        first.signatory_name,
        first.signatory_designation,
        first.attention,
        first.copies,
    )
    assert "অর্ধবার্ষিক" in second.subject  # the period's own wording, not the earlier letter's


def test_office_without_parent_or_cio_gets_blank_recipient_and_signatory():
    plan = PlanFactory(office=OfficeFactory(code="top", parent=None))
    letter = report_letter.cover_letter_for(period_for(plan, 4))
    assert letter.recipient == "" and letter.signatory_name == ""


def test_demo_annual_letter_is_the_submitted_one(demo):
    """apa_tracker/demo/mofa-2022-23/report.json: the letter of seed 000, dated 5 July 2023."""
    letter = report_letter.cover_letter_for(period_for(demo, 4))
    assert letter.letter_date == datetime.date(2023, 7, 5)
    assert letter.signatory_name == "ড. মৈয়দ মুন্তাসির মামুন"
    assert letter.signatory_designation.splitlines() == [
        "মহাপরিচালক (আইটিআইটি/আইসিটি)",
        "ও",
        "চিফ ইনোভেশন অফিসার",
    ]
    assert letter.recipient.splitlines() == ["সচিব", "সমন্বয় ও সংস্কার", "মন্ত্রিপরিষদ বিভাগ", "বাংলাদেশ সচিবালয়, ঢাকা"]
    assert letter.attention == "জনাব মোহাম্মদ আশরাফুল আলম, উপসচিব, ই-গভর্নেন্স-২ অধিশাখা"
    assert len(letter.copies.splitlines()) == 3
    # The defaults computed from the demo offices give the same wording as the submitted letter.
    assert letter.subject == report_letter.default_subject(demo, 4)
    assert letter.recipient == report_letter.default_recipient(demo.office)


def test_demo_introduction_and_initiatives_are_loaded(demo):
    text = Introduction.objects.get(plan=demo).text
    assert text.startswith("০১। মাননীয় প্রধানমন্ত্রীর স্মার্ট বাংলাদেশ")
    assert "[[চলমান উদ্যোগ]]" in text and "[[ভবিষ্যৎ কর্মপরিকল্পনা]]" in text
    kinds = list(Initiative.objects.filter(plan=demo).order_by("position").values_list("kind", flat=True))
    assert kinds.count("ongoing") == 3 and kinds.count("completed") == 3 and kinds.count("future") == 5


# ---------------------------------------------------------------------------------------------------------
# Memo numbers


def test_memo_number_is_prefix_and_bangla_serial(child_plan):
    letter = report_letter.cover_letter_for(period_for(child_plan, 4))
    assert report_letter.memo_number(letter) == "৪১.০১.০০০০.০৪৪-খসড়া"
    report_letter.memo_serial_take(letter)
    assert report_letter.memo_number(letter) == "৪১.০১.০০০০.০৪৪-১"


def test_memo_serial_increments_per_office_and_fiscal_year(child_plan):
    other_office_plan = PlanFactory(office=OfficeFactory(code="other"), fiscal_year=child_plan.fiscal_year)
    next_year_plan = PlanFactory(office=child_plan.office, fiscal_year=FiscalYearFactory(start_year=2023))

    def take(plan: ActionPlan, quarter: int) -> int:
        return report_letter.memo_serial_take(report_letter.cover_letter_for(period_for(plan, quarter)))

    assert [take(child_plan, 1), take(child_plan, 2), take(child_plan, 4)] == [1, 2, 3]
    assert take(other_office_plan, 1) == 1  # another office counts on its own
    assert take(next_year_plan, 1) == 1  # a new fiscal year starts again
    assert take(child_plan, 3) == 4
    assert MemoSerial.objects.get(office=child_plan.office, fiscal_year=child_plan.fiscal_year).last == 4


def test_memo_serial_is_stable_once_taken(child_plan):
    letter = report_letter.cover_letter_for(period_for(child_plan, 4))
    first = report_letter.memo_serial_take(letter)
    stale = CoverLetter.objects.get(pk=letter.pk)
    stale.memo_serial = None  # an old copy of the row must not take a second number
    assert report_letter.memo_serial_take(stale) == first
    assert stale.memo_serial == first
    assert MemoSerial.objects.get(office=child_plan.office).last == first


def test_demo_annual_letter_gets_serial_69_as_in_seed_000(demo):
    letter = report_letter.cover_letter_for(period_for(demo, 4))
    assert report_letter.memo_serial_take(letter) == 69
    assert report_letter.memo_number(letter) == "১৯.০০.০০০০.১৭৫.৪২.০০১.২৩-৬৯"


# ---------------------------------------------------------------------------------------------------------
# Evidence in index order


@pytest.fixture
def two_area_plan(child_plan) -> ActionPlan:
    """Areas 1 and 2, each with one activity of two indicators, created in mixed order and positions."""
    second_area = AreaFactory(plan=child_plan, code="2", position=2)
    first_area = AreaFactory(plan=child_plan, code="1", position=1)
    a2 = ActivityFactory(area=second_area, plan=child_plan, code="2.1", position=3)
    a1 = ActivityFactory(area=first_area, plan=child_plan, code="1.1", position=1)
    IndicatorFactory(activity=a2, plan=child_plan, code="2.1.1", position=5)
    IndicatorFactory(activity=a1, plan=child_plan, code="1.1.2", position=2)
    IndicatorFactory(activity=a1, plan=child_plan, code="1.1.1", position=1)
    return child_plan


def attach(plan: ActionPlan, code: str, title: str, quarter: int | None):
    return evidence_attach(
        indicator=plan.indicators.get(code=code),
        title=title,
        data=image_bytes("PNG", (8, 8), (0, 0, 0)),
        original_name="a.png",
        quarter=quarter,
    )


def test_report_evidence_is_in_index_order(two_area_plan):
    attach(two_area_plan, "2.1.1", "ঘ", 1)
    attach(two_area_plan, "1.1.2", "গ", 2)
    attach(two_area_plan, "1.1.1", "খ", 3)
    attach(two_area_plan, "1.1.1", "ক-২", 1)  # second file of the same indicator: after its first
    titles = [e.title for e in report_table.report_evidence(two_area_plan, "annual", 4)]
    assert titles == ["খ", "ক-২", "গ", "ঘ"]


def test_report_evidence_of_a_period_is_its_quarters_so_far(two_area_plan):
    attach(two_area_plan, "1.1.1", "প্রথম", 1)
    attach(two_area_plan, "1.1.1", "দ্বিতীয়", 2)
    attach(two_area_plan, "1.1.1", "তৃতীয়", 3)
    attach(two_area_plan, "1.1.1", "চতুর্থ", 4)
    attach(two_area_plan, "1.1.1", "তারিখহীন", None)

    def titles(kind, quarter):
        return [e.title for e in report_table.report_evidence(two_area_plan, kind, quarter)]

    assert titles("annual", 4) == ["প্রথম", "দ্বিতীয়", "তৃতীয়", "চতুর্থ", "তারিখহীন"]
    assert titles("half-yearly", 2) == ["প্রথম", "দ্বিতীয়"]
    assert titles("quarterly", 1) == ["প্রথম"]
    assert titles("quarterly", 3) == ["প্রথম", "দ্বিতীয়", "তৃতীয়"]
    assert titles("quarterly", 4) == ["প্রথম", "দ্বিতীয়", "তৃতীয়", "চতুর্থ"]  # undated: annual only
    assert titles("cover-letter", 4) == []


def test_start_pages_follow_the_generated_part_and_the_files_before(two_area_plan):
    evidence = [attach(two_area_plan, "1.1.1", t, 1) for t in ("ক", "খ", "গ")]
    starts = rendering.evidence_start_pages(evidence, [3, 1, 2], generated_pages=10)
    assert [starts[e.pk] for e in evidence] == [11, 14, 15]
    assert rendering.annex_stamps(evidence, [3, 1, 2], 10) == [
        "পৃষ্ঠা ১১ · [১.১.১]",
        "পৃষ্ঠা ১২ · [১.১.১]",
        "পৃষ্ঠা ১৩ · [১.১.১]",
        "পৃষ্ঠা ১৪ · [১.১.১]",
        "পৃষ্ঠা ১৫ · [১.১.১]",
        "পৃষ্ঠা ১৬ · [১.১.১]",
    ]


# ---------------------------------------------------------------------------------------------------------
# The generated HTML


def test_report_html_prints_evidence_pages_once_known(demo):
    evidence = attach(demo, "1.3.1", "ই-নথির প্রতিবেদন", 2)
    first_pass = report_document.report_html(demo, "annual", 4, draft=True, evidence_start_pages=None)
    assert "ই-নথির প্রতিবেদন" in first_pass
    assert '<td class="page">—</td>' in first_pass
    second_pass = report_document.report_html(
        demo, "annual", 4, draft=True, evidence_start_pages={evidence.pk: 123}
    )
    assert '<td class="page">১২৩</td>' in second_pass
    assert "প্রমাণক: পৃষ্ঠা ১২৩" in second_pass


def test_report_html_marks_drafts_only(demo):
    draft = report_document.report_html(demo, "cover-letter", 4, draft=True, evidence_start_pages=None)
    final = report_document.report_html(demo, "cover-letter", 4, draft=False, evidence_start_pages=None)
    assert "data:image/svg+xml" in draft and "খসড়া" in draft
    assert "data:image/svg+xml" not in final
    # Not even the memo number says "খসড়া" on a final copy printed before the serial was taken.
    assert "খসড়া" not in final
    assert "১৯.০০.০০০০.১৭৫.৪২.০০১.২৩-........" in final


def test_report_html_sections_by_kind(demo):
    annual = report_document.report_html(demo, "annual", 4, draft=True, evidence_start_pages=None)
    half = report_document.report_html(demo, "half-yearly", 2, draft=True, evidence_start_pages=None)
    letter = report_document.report_html(demo, "cover-letter", 4, draft=True, evidence_start_pages=None)
    quarterly_4 = report_document.report_html(demo, "quarterly", 4, draft=True, evidence_start_pages=None)
    for section in ('id="cover"', 'id="letter"', 'id="assessment"', 'id="index"', 'id="introduction"'):
        assert section in annual
    assert 'id="introduction"' not in half and 'id="letter"' in half
    assert 'id="letter"' in letter and 'id="cover"' not in letter and 'id="assessment"' not in letter
    # Every report carries its period's letter (issue 15.5), worded for the report it forwards.
    assert 'id="letter"' in quarterly_4 and 'id="assessment"' in quarterly_4
    assert "৪র্থ ত্রৈমাসিক স্ব-মূল্যায়ন প্রতিবেদন দাখিল" in quarterly_4
    assert "বার্ষিক স্ব-মূল্যায়ন প্রতিবেদন দাখিল" in annual


def test_report_html_queries_do_not_grow_with_evidence(demo):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            report_document.report_html(demo, "annual", 4, draft=True, evidence_start_pages=None)
        return len(queries)

    attach(demo, "1.1.1", "এক", None)
    one = count()
    for n in range(6):
        attach(demo, ["1.2.1", "2.1.1", "2.2.1"][n % 3], f"আরও {n}", None)
    assert count() == one


def test_numbers_are_grouped_in_bangla():
    assert report_table.value_text(Decimal("1234567.5"), "number") == "১২,৩৪,৫৬৭.৫"
    assert report_table.value_text(Decimal("82.00"), "percent") == "৮২%"
    assert report_table.value_text(datetime.date(2023, 7, 5), "date") == "০৫/০৭/২০২৩"
    assert report_table.value_text(None, "number") == "--"


# ---------------------------------------------------------------------------------------------------------
# Wording helpers


@pytest.mark.parametrize(
    ("name", "genitive"),
    [
        ("পররাষ্ট্র মন্ত্রণালয়", "পররাষ্ট্র মন্ত্রণালয়ের"),
        ("মন্ত্রিপরিষদ বিভাগ", "মন্ত্রিপরিষদ বিভাগের"),
        ("বাংলাদেশ পরিসংখ্যান ব্যুরো", "বাংলাদেশ পরিসংখ্যান ব্যুরোর"),
        ("সমাজসেবা অধিদফতর", "সমাজসেবা অধিদফতরের"),
    ],
)
def test_genitive(name, genitive):
    assert report_letter.genitive_bn(name) == genitive


def test_free_text_digits_become_bangla_except_in_latin_words_and_addresses():
    assert report_table.bangla_text("4 টি প্রশিক্ষণ, 2023 সালে") == "৪ টি প্রশিক্ষণ, ২০২৩ সালে"
    assert report_table.bangla_text("GPT-4, G2G ও www.a2i.gov.bd") == "GPT-4, G2G ও www.a2i.gov.bd"


def test_introduction_markup():
    blocks = report_document.introduction_blocks(
        "## ০১। শিরোনাম\nপ্রথম লাইন\nএকই অনুচ্ছেদ\n\nনতুন অনুচ্ছেদ\n- ক. নিজস্ব চিহ্নসহ\n- সাধারণ বিন্দু\n"
        "[[চলমান উদ্যোগ]]\n[[future]]"
    )
    assert [b.kind for b in blocks] == ["heading", "paragraph", "paragraph", "bullets", "ongoing", "future"]
    assert blocks[0].text == "০১। শিরোনাম"
    assert blocks[1].text == "প্রথম লাইন একই অনুচ্ছেদ"
    assert blocks[3].items == [(True, "ক. নিজস্ব চিহ্নসহ"), (False, "সাধারণ বিন্দু")]


def test_title_and_span_per_kind(demo):
    assert (
        report_letter.report_title_bn(demo, ReportKind.ANNUAL, 4)[1] == "বার্ষিক প্রতিবেদন (জুলাই ২০২২ – জুন ২০২৩)"
    )
    assert report_letter.report_title_bn(demo, ReportKind.HALF_YEARLY, 2)[1] == (
        "অর্ধবার্ষিক প্রতিবেদন (জুলাই ২০২২ – ডিসেম্বর ২০২২)"
    )
    assert report_letter.report_title_bn(demo, ReportKind.QUARTERLY, 3)[1] == (
        "৩য় ত্রৈমাসিক প্রতিবেদন (জানুয়ারি ২০২৩ – মার্চ ২০২৩)"
    )


@pytest.mark.parametrize(
    ("kind", "quarter", "message"),
    [
        ("weekly", 1, "অজানা প্রতিবেদনের ধরন"),
        ("quarterly", None, "ত্রৈমাসিক প্রতিবেদনের জন্য ত্রৈমাসিক"),
        ("quarterly", 5, "ত্রৈমাসিক ১ থেকে ৪ হতে হবে"),
        ("annual", 2, "অন্য ত্রৈমাসিক দেওয়া যাবে না"),
    ],
)
def test_report_quarter_refuses_what_does_not_exist(kind, quarter, message):
    with pytest.raises(DomainError) as raised:
        report_letter.report_quarter(kind, quarter)
    assert message in raised.value.message_bn


def test_report_quarter_defaults():
    assert report_letter.report_quarter("annual", None) == 4
    assert report_letter.report_quarter("half-yearly", None) == 2
    assert report_letter.report_quarter("cover-letter", None) == 4
    assert report_letter.report_quarter("cover-letter", 2) == 2
