"""The template filters of base/templatetags/bangla.py in both interface languages (issue 14, points 2 and 11):
Bangla digits on a Bangla page, ASCII digits on an English one, history values as the pages write them, and the
admin's numbers converted in text only, never in markup."""

from __future__ import annotations

import re

from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from base.templatetags import bangla as tags
from indicators.templatetags.plan import value_bn


def test_numbers_dates_codes_follow_the_interface_language():
    from datetime import date
    from decimal import Decimal

    with override("bn"):
        assert tags.bn_marks(Decimal("44.77")) == "৪৪.৭৭"
        assert tags.bn_date(date(2023, 7, 5)) == "০৫/০৭/২০২৩"
        assert tags.bn_code("1.3.1") == "[১.৩.১]"
        assert tags.bn_number(1514) == "১,৫১৪"
        assert value_bn(Decimal("82"), "percent") == "৮২%"
        assert tags.quarter_name(1) == "১ম ত্রৈমাসিক"
    with override("en"):
        assert tags.bn_marks(Decimal("44.77")) == "44.77"
        assert tags.bn_date(date(2023, 7, 5)) == "05/07/2023"
        assert tags.bn_code("1.3.1") == "[1.3.1]"
        assert tags.bn_number(1514) == "1,514"
        assert tags.bn_digits("১২") == "12"
        assert value_bn(Decimal("82"), "percent") == "82%"
        assert tags.quarter_name(1) == "Q1"  # not "Q1 Quarter"


def test_history_values_are_shown_as_the_pages_write_them():
    with override("bn"):
        assert tags.history_value("2022-09-25") == "২৫/০৯/২০২২"
        assert tags.history_value("1514.5") == "১,৫১৪.৫"
        assert tags.history_value("ই-নথি 2 বার") == "ই-নথি ২ বার"  # text: its digits as the page writes them
        assert tags.history_value("") == ""
    with override("en"):
        assert tags.history_value("2022-09-25") == "25/09/2022"


def test_a_bilingual_reason_is_shown_in_the_interface_language():
    reason = "অগ্রগতি আমদানি / progress import"
    with override("bn"):
        assert tags.in_language(reason) == "অগ্রগতি আমদানি"
        assert tags.in_language("ই-নথি / সংশোধন") == "ই-নথি / সংশোধন"  # not a bilingual pair
        assert tags.in_language("") == ""
    with override("en"):
        assert tags.in_language(reason) == "progress import"


def test_admin_numbers_change_in_text_only():
    html = mark_safe('<a href="/admin/x/12/change/" data-n="3">12 সূচক</a> officer2 &#39;7&#39; 2022-23')
    with override("bn"):
        out = tags.bn_text_digits(html)
        assert out == '<a href="/admin/x/12/change/" data-n="3">১২ সূচক</a> officer2 &#39;৭&#39; ২০২২-২৩'
        assert isinstance(out, SafeData)
        assert not isinstance(tags.bn_text_digits("1 <b>"), SafeData)  # unsafe stays unsafe
    with override("en"):
        assert tags.bn_text_digits(html) == html


@given(st.text(alphabet='<>a="/ 0123456789&#;সূ-', max_size=60))
def test_markup_is_never_changed_by_the_admin_digits(text):
    """Whatever the text, every tag and character reference comes out exactly as it went in, and no ASCII digit
    is left in the text around them except inside words (user names like officer2)."""
    with override("bn"):
        out = tags.bn_text_digits(text)
    parts = re.compile(r"(<[^>]*>|&#?\w+;)")
    assert parts.findall(out) == parts.findall(text)
    for piece in parts.split(out)[::2]:
        assert not re.search(r"(?<![A-Za-z_@0-9])[0-9]+(?![A-Za-z_@0-9])", piece)
