"""Typed dates (base/dates.py): every form people type reads as the date they meant, or is refused in Bangla."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.bangla import to_bangla_digits
from base.dates import DateEntryError, format_typed_date, parse_typed_date
from base.forms import BanglaDateField, BanglaDigitsFormMixin, DateEntryInput

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
any_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    "typed",
    [
        "২৫/০৯/২০২২",
        "25/09/2022",
        "25-9-22",
        "25092022",
        "২৫০৯২০২২",
        "250922",
        "25.09.2022",
        "25 9 2022",
        " 25 / 9 / 2022 ",
        "2022-09-25",
        "২০২২-০৯-২৫",
        "২৫-৯-২২",
    ],
)
def test_the_forms_people_type_read_as_the_25th_of_september_2022(typed):
    assert parse_typed_date(typed) == date(2022, 9, 25)


@given(any_dates, st.sampled_from("/-. "), st.booleans(), st.booleans())
def test_day_month_four_digit_year_in_any_separator_and_digits(value, sep, padded, bangla):
    day, month = (f"{value.day:02d}", f"{value.month:02d}") if padded else (str(value.day), str(value.month))
    typed = f"{day}{sep}{month}{sep}{value.year}"
    assert parse_typed_date(to_bangla_digits(typed) if bangla else typed) == value


@given(dates, st.booleans())
def test_two_digit_years_are_this_century_and_compact_digits_read_day_first(value, bangla):
    for typed in (
        f"{value.day}-{value.month}-{value.year % 100:02d}",
        f"{value.day:02d}{value.month:02d}{value.year}",
        f"{value.day:02d}{value.month:02d}{value.year % 100:02d}",
    ):
        assert parse_typed_date(to_bangla_digits(typed) if bangla else typed) == value


@given(any_dates, st.booleans())
def test_what_the_box_shows_reads_back_as_the_same_date(value, bangla):
    assert parse_typed_date(format_typed_date(value, bangla=bangla)) == value


@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 99))
def test_an_impossible_day_is_refused_never_moved_to_another_date(year, month, day):
    last = calendar.monthrange(year, month)[1]
    typed = f"{day:02d}/{month:02d}/{year}"
    if day <= last:
        assert parse_typed_date(typed) == date(year, month, day)
    else:
        with pytest.raises(DateEntryError) as caught:
            parse_typed_date(typed)
        assert "এমন তারিখ হয় না" in caught.value.message_bn
        assert typed in caught.value.message_bn  # the text as typed, named in the message


@given(st.text(max_size=12))
def test_any_text_is_a_date_or_a_bangla_refusal(text):
    try:
        parsed = parse_typed_date(text)
    except DateEntryError as error:
        assert error.message_bn and error.message_en
    else:
        assert date(1900, 1, 1) <= parsed <= date(2100, 12, 31)


def test_impossible_dates_say_why_in_bangla():
    with pytest.raises(DateEntryError, match="ফেব্রুয়ারি মাসে ২৮ দিন"):
        parse_typed_date("৩১/০২/২০২৩")
    with pytest.raises(DateEntryError, match="মাস ১ থেকে ১২"):
        parse_typed_date("25/13/2022")
    with pytest.raises(DateEntryError, match="তারিখ বোঝা যায়নি"):
        parse_typed_date("92022-02-05")  # what the browser's date box made of 25092022 (issue 14)


def test_the_date_field_reads_typed_forms_and_keeps_the_typed_text_on_an_error():
    class Form(BanglaDigitsFormMixin, __import__("django").forms.Form):
        due = BanglaDateField()

    form = Form({"due": "25-9-22"})
    assert form.is_valid() and form.cleaned_data["due"] == date(2022, 9, 25)
    form = Form({"due": "৩০/০২/২০২৪"})
    assert not form.is_valid()
    assert "এমন তারিখ হয় না" in form.errors["due"][0]
    assert 'value="৩০/০২/২০২৪"' in str(form["due"])


def test_a_models_date_field_gets_the_same_box_in_any_bangla_form():
    from django import forms

    class Form(BanglaDigitsFormMixin, forms.Form):
        due = forms.DateField(widget=forms.DateInput(attrs={"class": "vDateField"}))

    form = Form({"due": "25092022"})
    assert isinstance(form.fields["due"].widget, DateEntryInput)
    assert form.is_valid() and form.cleaned_data["due"] == date(2022, 9, 25)
    html = str(Form(initial={"due": date(2022, 9, 25)})["due"])
    assert 'class="date-entry"' in html and "date-picker-toggle" in html and "২৫/০৯/২০২২" in html
