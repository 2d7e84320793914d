"""Bangla first, English available: catalogs, formats, Bangla digits in and out, the language switch, local assets.

The catalogs are checked without GNU gettext (machines may lack it): a small .po reader below, the compiled
.mo read with Python's ``gettext``, and the msgids of our code found with ``ast`` (Python) and Django's own
``templatize`` (templates), the way ``makemessages`` finds them.
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import json
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.utils import formats, timezone, translation
from django.utils.translation.template import templatize
from django.views.i18n import JSONCatalog
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from base import bangla
from base.forms import (
    BanglaDateField,
    BanglaDateTimeField,
    BanglaDecimalField,
    BanglaDigitsFormMixin,
    BanglaIntegerField,
)
from indicators.models import FiscalYear

BASE_DIR = Path(settings.BASE_DIR)
LOCALE = BASE_DIR / "locale"
CATALOGS = [
    LOCALE / "en" / "LC_MESSAGES" / "django.po",
    LOCALE / "bn" / "LC_MESSAGES" / "django.po",
    LOCALE / "bn" / "LC_MESSAGES" / "djangojs.po",
]

# Calls whose literal arguments makemessages extracts (Django's xgettext keywords), with the position of the
# context and of the singular/plural msgids among the arguments.
_GETTEXT_CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
# Folders makemessages is told to skip (--ignore=.venv --ignore=var) or that hold no source.
_SKIP_DIRS = {".venv", "var", "locale", "static", "node_modules", "__pycache__", "build", "dist"}


# ---------------------------------------------------------------------------------------------------------
# .po reading and msgid extraction
# ---------------------------------------------------------------------------------------------------------


@dataclass
class PoEntry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())


def _po_string(text: str) -> str:
    return ast.literal_eval(text)  # PO escapes (\n \t \" \\) are Python's


def read_po(path: Path) -> dict[tuple[str | None, str], PoEntry]:
    """Entries of a .po file by (msgctxt, msgid); the header (msgid "") and obsolete entries are left out."""
    entries: dict[tuple[str | None, str], PoEntry] = {}
    entry, target, obsolete = PoEntry(), None, False

    def flush() -> None:
        nonlocal entry, target, obsolete
        if target is not None and not obsolete and entry.msgid:
            assert entry.key not in entries, f"{path.name}: duplicate msgid {entry.msgid!r}"
            entries[entry.key] = entry
        entry, target, obsolete = PoEntry(), None, False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            obsolete = True
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path.name}: continuation line without a keyword: {line}"
            kind, index = target
            value = _po_string(line)
            if kind == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, kind, (getattr(entry, kind) or "") + value)
        else:
            keyword, _, rest = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword == "msgstr" or match:
                index = int(match.group(1)) if match else 0
                entry.msgstr[index] = _po_string(rest)
                target = ("msgstr", index)
            elif keyword in {"msgctxt", "msgid", "msgid_plural"}:
                setattr(entry, keyword, _po_string(rest))
                target = (keyword, 0)
            else:
                raise AssertionError(f"{path.name}: unexpected line {line!r}")
    flush()
    return entries


def po_catalog(entries: dict[tuple[str | None, str], PoEntry]) -> dict[object, str]:
    """What msgfmt compiles (translated, not fuzzy), keyed as Python's ``gettext`` keys its catalog."""
    catalog: dict[object, str] = {}
    for entry in entries.values():
        if not entry.translated:
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            catalog[msgid] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                catalog[(msgid, index)] = text
    return catalog


def mo_catalog(path: Path) -> dict[object, str]:
    with path.open("rb") as handle:
        catalog = dict(gnu_gettext.GNUTranslations(handle)._catalog)
    catalog.pop("", None)  # the header
    return catalog


def _literal_args(call: ast.Call) -> list[str | None]:
    return [
        arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
        for arg in call.args
    ]


def _msgids_from_python(source: str, filename: str) -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in _GETTEXT_CALLS:
            continue
        context_at, singular_at, _plural_at = _GETTEXT_CALLS[name]
        args = _literal_args(node)
        if len(args) <= singular_at or args[singular_at] is None:
            continue  # not a literal: xgettext does not extract it either
        context = None
        if context_at is not None:
            if args[context_at] is None:
                continue
            context = args[context_at]
        found.add((context, args[singular_at]))
    return found


_TEMPLATIZED_CALL = re.compile(r"\b(?:n?p?gettext)\(")


def _msgids_from_template(source: str, filename: str) -> set[tuple[str | None, str]]:
    """Django turns a template into Python-like text with gettext(u'...') calls; read those calls."""
    text = templatize(source, origin=filename)
    found: set[tuple[str | None, str]] = set()
    for match in _TEMPLATIZED_CALL.finditer(text):
        end = match.end()
        while True:  # the call ends at the first ")" after which it parses (a msgid may contain ")")
            end = text.index(")", end) + 1
            try:
                call = ast.parse(text[match.start() : end], mode="eval").body
            except SyntaxError:
                continue
            break
        assert isinstance(call, ast.Call)
        found |= _msgids_from_python(ast.unparse(call), filename)
    return found


def project_msgids() -> dict[tuple[str | None, str], set[str]]:
    """Every (msgctxt, msgid) in our Python code and templates, with the files it appears in."""
    found: dict[tuple[str | None, str], set[str]] = {}
    for path in sorted(BASE_DIR.rglob("*")):
        relative = path.relative_to(BASE_DIR)
        if any(
            part in _SKIP_DIRS or part.startswith(".") or part.endswith(".egg-info")
            for part in relative.parts
        ):
            continue
        if path.suffix == ".py":
            ids = _msgids_from_python(path.read_text(encoding="utf-8"), str(relative))
        elif path.suffix in {".html", ".txt"}:
            ids = _msgids_from_template(path.read_text(encoding="utf-8"), str(relative))
        else:
            continue
        for key in ids:
            found.setdefault(key, set()).add(str(relative))
    return found


_PLACEHOLDER = re.compile(r"%%|%\(\w+\)[-#0+]*\d*(?:\.\d+)?[sdrfi]|%[-#0+]*\d*(?:\.\d+)?[sdrfi]|\{\w*\}")


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


# ---------------------------------------------------------------------------------------------------------
# Catalogs
# ---------------------------------------------------------------------------------------------------------


def test_every_msgid_of_our_code_has_english() -> None:
    english = read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    found = project_msgids()
    assert len(found) > 200  # the extractor works (templates and Python both contribute)
    assert any(any(name.endswith(".html") for name in files) for files in found.values())
    missing = {
        key: sorted(files)
        for key, files in found.items()
        if key not in english or not english[key].translated
    }
    assert not missing, (
        "msgids without English in locale/en/LC_MESSAGES/django.po — run makemessages -l en --ignore=.venv "
        f"--ignore=var --no-obsolete, translate, compilemessages: {missing}"
    )


@pytest.mark.parametrize(
    ("msgid", "english"),
    [
        ("অর্জিত নম্বর", "Achieved marks"),
        ("প্রযোজ্য নয়", "Not applicable"),
        ("ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা", "e-Governance and Innovation Action Plan"),
        ("প্রবেশ করুন", "Log in"),
        ("পাসওয়ার্ড", "Password"),
        ("ভাষা", "Language"),
    ],
)
def test_english_catalog_translates_our_bangla(msgid: str, english: str) -> None:
    with translation.override("en"):
        assert translation.gettext(msgid) == english
    with translation.override("bn"):
        assert translation.gettext(msgid) == msgid  # Bangla first: the msgid is the Bangla text


def test_english_plural_and_interpolation() -> None:
    """English picks singular or plural by the count; the number shown is interpolated separately."""
    singular = plural = "প্রমাণক %(shown)sটি"
    with translation.override("en"):
        assert translation.ngettext(singular, plural, 1) % {"shown": 1} == "1 evidence file"
        assert translation.ngettext(singular, plural, 3) % {"shown": 3} == "3 evidence files"


@pytest.mark.parametrize(
    ("msgid", "bangla_text"),
    [
        ("Search", "খুঁজুন"),  # Django's bn says সার্চ
        ("Filter", "ছাঁকনি"),
        ("Clear all filters", "সব ছাঁকনি মুছুন"),  # missing in Django's bn
        ("View site", "সাইট দেখুন"),
        ("Recent actions", "সাম্প্রতিক কাজ"),
        ("Enter a valid integer.", "একটি সঠিক পূর্ণসংখ্যা লিখুন।"),
        ("Permissions", "অনুমতি"),  # Django's bn says অনুমোদন, our word for approval
        ("Authentication and Authorization", "প্রমাণীকরণ ও অনুমতি"),
        ("Confirm import", "আমদানি নিশ্চিত করুন"),  # import_export has no Bangla at all
        ("Log in", "প্রবেশ করুন"),  # Django's own, still there
    ],
)
def test_bangla_catalog_completes_djangos(msgid: str, bangla_text: str) -> None:
    with translation.override("bn"):
        assert translation.gettext(msgid) == bangla_text
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


@pytest.mark.parametrize(
    ("singular", "plural", "count", "bangla_text"),
    [
        ("%(counter)s result", "%(counter)s results", 5, "5টি ফলাফল"),  # Django interpolates ASCII digits
        ("%(total_count)s selected", "All %(total_count)s selected", 2, "সব 2টি নির্বাচিত"),
    ],
)
def test_bangla_plurals_of_django_strings(singular: str, plural: str, count: int, bangla_text: str) -> None:
    # Variables, not literals, so that makemessages does not take Django's msgids for ours.
    name = plural.split("%(")[1].split(")")[0]
    with translation.override("bn"):
        assert translation.ngettext(singular, plural, count) % {name: count} == bangla_text


def test_month_and_day_names_match_the_reports_module() -> None:
    """Django's bn catalog writes জানুয়ারি with a precomposed য় and অক্টোবর with a split ো; ours are NFC."""
    with translation.override("bn"):
        for month in range(1, 13):
            day = date(2023, month, 5)
            assert bangla.to_bangla_digits(formats.date_format(day)) == bangla.format_date_long(day)
            assert formats.date_format(day, "F") == bangla.GREGORIAN_MONTHS_BN[month - 1]
        for weekday in range(1, 8):
            name = formats.date_format(date(2023, 7, weekday), "l")
            assert unicodedata.normalize("NFC", name) == name


def test_admin_javascript_catalog_is_bangla() -> None:
    """The admin's calendar and selector widgets (djangojs domain, locale/bn/LC_MESSAGES/djangojs.po)."""
    request = RequestFactory().get("/admin/jsi18n/")
    with translation.override("bn"):
        response = JSONCatalog.as_view(packages=["django.contrib.admin"])(request)
    data = json.loads(response.content)
    assert data["catalog"]["January"] == "জানুয়ারি"
    assert data["catalog"]["Choose a Date"] == "তারিখ বেছে নিন"
    assert data["catalog"]["Saturday"] == "শনিবার"
    assert data["formats"]["DATE_INPUT_FORMATS"][0] == "%d/%m/%Y"  # what the calendar writes


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_catalog_is_clean(po_path: Path) -> None:
    entries = read_po(po_path)
    assert entries
    for entry in entries.values():
        assert entry.translated, f"untranslated or fuzzy: {entry.msgid!r}"
        # Like msgfmt --check: placeholders must match where the msgid is flagged as a format string.
        formatted = bool(entry.flags & {"python-format", "python-brace-format"})
        expected = _placeholders(entry.msgid)
        for text in entry.msgstr.values():
            if formatted:
                assert _placeholders(text) == expected, f"placeholders differ: {entry.msgid!r} → {text!r}"
            assert unicodedata.normalize("NFC", text) == text, f"not NFC: {text!r}"


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_mo_is_compiled_from_the_po(po_path: Path) -> None:
    """The committed .mo holds exactly what the .po says (so nobody forgot compilemessages)."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run compilemessages and commit the .mo"
    assert mo_catalog(mo_path) == po_catalog(read_po(po_path))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_msgfmt_agrees(po_path: Path, tmp_path: Path) -> None:
    compiled = tmp_path / "check.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(po_path)], check=True, capture_output=True)
    assert mo_catalog(compiled) == mo_catalog(po_path.with_suffix(".mo"))


def test_extractor_reads_blocktranslate_plural_and_context() -> None:
    source = (
        "{% load i18n %}{% translate 'এক' %}{% translate 'দুই' context 'প্রসঙ্গ' %}"
        "{% blocktranslate count n=k %}{{ n }}টি{% plural %}{{ n }}টি (বহু){% endblocktranslate %}"
        "{% translate '৮২%' %}"
    )
    assert _msgids_from_template(source, "x.html") == {
        (None, "এক"),
        ("প্রসঙ্গ", "দুই"),
        (None, "%(n)sটি"),
        (None, "৮২%%"),
    }
    python = "from django.utils.translation import gettext_lazy as _\nx = _('তিন')\ny = pgettext('ক', 'চার')\nz = _(v)"
    assert _msgids_from_python(python, "x.py") == {(None, "তিন"), ("ক", "চার")}


# ---------------------------------------------------------------------------------------------------------
# Formats: South-Asian grouping and d/m/Y dates through Django's own localization
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["bn", "en"])
def test_number_grouping_through_django(language: str) -> None:
    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=True):
        assert formats.get_format("NUMBER_GROUPING") == (3, 2, 0)
        assert formats.number_format(Decimal("1234567.50")) == "12,34,567.50"
        assert formats.number_format(123456789) == "12,34,56,789"
        assert formats.number_format(Decimal("-1000")) == "-1,000"
        assert formats.number_format(999) == "999"
    with translation.override("bn"), override_settings(USE_THOUSAND_SEPARATOR=True):
        assert bangla.to_bangla_digits(formats.number_format(Decimal("1234567.50"))) == "১২,৩৪,৫৬৭.৫০"


def test_no_grouping_unless_asked() -> None:
    """USE_THOUSAND_SEPARATOR stays off, so years and codes are never written 2,022."""
    assert not settings.USE_THOUSAND_SEPARATOR
    with translation.override("bn"):
        assert formats.number_format(2022) == "2022"
        assert formats.localize(2022) == "2022"


@hypothesis_settings(max_examples=200, deadline=None)
@given(cents=st.integers(min_value=-(10**15), max_value=10**15))
def test_django_grouping_agrees_with_reports_module(cents: int) -> None:
    value = Decimal(cents).scaleb(-2)
    with translation.override("bn"):
        django_text = formats.number_format(value, force_grouping=True)
    assert bangla.to_bangla_digits(django_text) == bangla.format_number(value)


def test_short_date_is_day_month_year() -> None:
    day = date(2023, 7, 5)
    with translation.override("bn"):
        text = formats.date_format(day, "SHORT_DATE_FORMAT")
        assert bangla.to_bangla_digits(text) == "০৫/০৭/২০২৩" == bangla.format_date_short(day)
        assert (
            formats.date_format(datetime(2023, 7, 5, 14, 30), "SHORT_DATETIME_FORMAT") == "05/07/2023 14:30"
        )
    with translation.override("en"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "05/07/2023"
        assert formats.date_format(day) == "5 July 2023"


@pytest.mark.parametrize("language", ["bn", "en"])
@pytest.mark.parametrize("typed", ["05/07/2023", "05-07-2023", "2023-07-05", "5/7/2023"])
def test_date_inputs_are_day_first_in_both_languages(language: str, typed: str) -> None:
    with translation.override(language):
        assert forms.DateField().clean(typed) == date(2023, 7, 5)
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"  # what date widgets write


def test_bn_number_filter() -> None:
    template = Template(
        "{% load bangla %}{{ a|bn_number }}|{{ a|bn_number:2 }}|{{ b|bn_number }}|{{ c|bn_number }}"
    )
    context = {"a": Decimal("1234567.5"), "b": None, "c": 1000}
    # The filters write the interface's digits (issue 14): Bangla on a Bangla page, ASCII on an English one.
    with translation.override("bn"):
        assert template.render(Context(context)) == "১২,৩৪,৫৬৭.৫|১২,৩৪,৫৬৭.৫০||১,০০০"
    with translation.override("en"):
        assert template.render(Context(context)) == "12,34,567.5|12,34,567.50||1,000"


# ---------------------------------------------------------------------------------------------------------
# Inputs: Bangla or ASCII digits
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("৪৪.৭৭", Decimal("44.77")),
        ("44.77", Decimal("44.77")),
        (" ১২,৩৪,৫৬৭.৫০ ", Decimal("1234567.50")),
        ("1,234,567", Decimal("1234567")),
        ("-১,০০০", Decimal("-1000")),
        ("৪৪.7৭", Decimal("44.77")),  # mixed digits
    ],
)
def test_decimal_field_reads_bangla_digits(typed: str, value: Decimal) -> None:
    assert BanglaDecimalField().clean(typed) == value


@pytest.mark.parametrize("typed", ["১,৫", "১২,৩৪৫৬", "১২x", "১.২.৩"])
def test_decimal_field_still_refuses_non_numbers(typed: str) -> None:
    with pytest.raises(ValidationError):
        BanglaDecimalField().clean(typed)


def test_integer_field_reads_bangla_digits_and_keeps_validation() -> None:
    assert BanglaIntegerField().clean("১২৩") == 123
    assert BanglaIntegerField().clean("১,২৩,৪৫৬") == 123456
    with pytest.raises(ValidationError):
        BanglaIntegerField(min_value=1).clean("০")
    with pytest.raises(ValidationError):
        BanglaDecimalField(max_digits=4, decimal_places=2).clean("১২৩.৪৫")


def test_number_fields_render_text_inputs() -> None:
    html = BanglaDecimalField().widget.render("x", None)
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert 'inputmode="numeric"' in BanglaIntegerField().widget.render("x", None)


def test_date_fields_read_bangla_digits() -> None:
    assert BanglaDateField().clean("০৫/০৭/২০২৩") == date(2023, 7, 5)
    assert BanglaDateField().clean("২০২৩-০৭-০৫") == date(2023, 7, 5)
    moment = BanglaDateTimeField().clean("০৫/০৭/২০২৩ ১৪:৩০")
    assert timezone.localtime(moment).replace(tzinfo=None) == datetime(2023, 7, 5, 14, 30)


class _SampleForm(BanglaDigitsFormMixin, forms.Form):
    count = forms.IntegerField(widget=forms.NumberInput(attrs={"class": "vIntegerField"}))
    amount = forms.DecimalField(max_digits=12, decimal_places=2)
    due = forms.DateField()
    when = forms.SplitDateTimeField()
    memo = forms.CharField()


def test_form_mixin_makes_every_number_and_date_field_read_bangla() -> None:
    form = _SampleForm(
        data={
            "count": "১২",
            "amount": "১২,৩৪,৫৬৭.৫০",
            "due": "০৫/০৭/২০২৩",
            "when_0": "০৫/০৭/২০২৩",
            "when_1": "১৪:৩০",
            "memo": "স্মারক ১২৩",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == 12
    assert form.cleaned_data["amount"] == Decimal("1234567.50")
    assert form.cleaned_data["due"] == date(2023, 7, 5)
    assert timezone.localtime(form.cleaned_data["when"]).replace(tzinfo=None) == datetime(2023, 7, 5, 14, 30)
    assert form.cleaned_data["memo"] == "স্মারক ১২৩"  # text keeps its Bangla digits
    assert isinstance(form.fields["count"], forms.IntegerField)
    # A number input cannot hold Bangla digits: it became a text input with the same attributes.
    html = str(form["count"])
    assert 'type="text"' in html and 'class="vIntegerField"' in html and 'inputmode="numeric"' in html
    # The class-level fields are untouched; only the form's own copies changed.
    assert type(_SampleForm.base_fields["count"]) is forms.IntegerField


def test_form_mixin_shows_back_what_was_typed_and_compares_values() -> None:
    form = _SampleForm(data={"count": "১২x", "amount": "১", "due": "০৫/০৭/২০২৩", "memo": "ক"})
    assert not form.is_valid()
    assert form["count"].value() == "১২x"
    unchanged = _SampleForm(
        initial={"count": 12, "due": date(2023, 7, 5)}, data={"count": "১২", "due": "০৫/০৭/২০২৩"}
    )
    assert not unchanged["count"]._has_changed()
    assert not unchanged["due"]._has_changed()


@pytest.mark.django_db
def test_form_mixin_with_a_model_form() -> None:
    class FiscalYearForm(BanglaDigitsFormMixin, forms.ModelForm):
        class Meta:
            model = FiscalYear
            fields = ["start_year"]

    form = FiscalYearForm(data={"start_year": "২০২৩"})
    assert form.is_valid(), form.errors
    assert form.save().start_year == 2023
    assert not FiscalYearForm(data={"start_year": "১৯৯৯"}).is_valid()  # the model's validators still run


# ---------------------------------------------------------------------------------------------------------
# The language switch, end to end
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_language_switch_end_to_end(client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "প্রবেশ করুন" in page and 'action="/i18n/setlang/"' in page
    assert '<button class="secondary" name="language" value="en" lang="en">English</button>' in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get("/accounts/login/").content.decode()
    assert "User name" in page and "Password" in page and "Log in" in page
    assert "প্রবেশ করুন" not in page and "ব্যবহারকারীর নাম" not in page
    assert 'value="bn" lang="bn">বাংলা</button>' in page  # the way back, written in Bangla

    client.post("/i18n/setlang/", {"language": "bn", "next": "/accounts/login/"})
    assert "প্রবেশ করুন" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_language_switch_refuses_foreign_next(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://example.com/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_language_switch_in_header_for_signed_in_users(client, django_user_model) -> None:
    user = django_user_model.objects.create_user("officer", password="x")
    client.force_login(user)
    page = client.get("/").content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert "officer" in header and 'class="language-switch"' in header
    assert 'aria-labelledby="language-switch-label"' in header and 'id="language-switch-label"' in header


@pytest.mark.django_db
def test_admin_in_both_languages(client, django_user_model) -> None:
    admin_user = django_user_model.objects.create_superuser("boss", password="x")
    client.force_login(admin_user)
    page = client.get("/admin/auth/user/?q=nobody").content.decode()
    assert '<input type="submit" value="খুঁজুন">' in page
    assert "০টি ফলাফল" in page  # Django's count, in Bangla digits by our admin/search_form.html (issue 14)
    assert '<h2 id="changelist-filter-header">ছাঁকনি</h2>' in page
    assert "প্রমাণীকরণ ও অনুমতি" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    page = client.get("/admin/auth/user/?q=nobody").content.decode()
    assert '<input type="submit" value="Search">' in page and "0 results" in page
    assert "Authentication and Authorization" in page


# ---------------------------------------------------------------------------------------------------------
# Assets: everything local (a closed government network has no CDN)
# ---------------------------------------------------------------------------------------------------------

_TEMPLATES = sorted((BASE_DIR / "templates").rglob("*.html"))
_ASSET_TAG = re.compile(r"<(script|link)\b[^>]*?\b(src|href)\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_STATIC_TAG = re.compile(r"""\{%\s*static\s+(['"])([^'"]+)\1\s*%\}""")


@pytest.mark.parametrize("template", _TEMPLATES, ids=lambda p: str(p.relative_to(BASE_DIR / "templates")))
def test_template_assets_are_local(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    without_namespaces = re.sub(r"""\bxmlns(?::\w+)?=(["'])[^"']*\1""", "", text)  # SVG namespace names
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", without_namespaces, re.IGNORECASE)
    for _tag, _attribute, quoted in _ASSET_TAG.findall(text):
        value = quoted[1:-1].strip()
        assert value.startswith(("{% static ", "{% url ")), f"asset not served locally: {value}"
    for _quote, path in _STATIC_TAG.findall(text):
        assert finders.find(path), f"static file {path} does not exist"


def test_css_has_no_external_urls() -> None:
    for css in sorted((BASE_DIR / "static" / "css").rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"https?://|@import\s+url\(\s*['\"]?//", text, re.IGNORECASE), css.name
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert (css.parent / url).resolve().is_file(), f"{css.name}: {url} missing"


def test_base_template_loads_local_fonts_css_and_htmx() -> None:
    text = (BASE_DIR / "templates" / "base.html").read_text(encoding="utf-8")
    for path in ("css/fonts.css", "css/app.css"):
        assert f"{{% static '{path}' %}}" in text
    assert re.search(r"<script src=\"\{% static 'js/htmx-[0-9.]+\.min\.js' %\}\"", text)
