"""`score --json` and `load_demo` (DESIGN.md §3.4, §8)."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from indicators.models import (
    ActionPlan,
    Activity,
    FiscalYear,
    Indicator,
    Office,
    OfficeMembership,
    PerformanceArea,
    Progress,
)

TWO_DECIMALS = re.compile(r"^\d+\.\d{2}$")
ASCII_CODE = re.compile(r"^\d+(\.\d+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TOP_KEYS = {
    "office",
    "year",
    "total_weight",
    "applicable_weight",
    "achieved_marks",
    "percent",
    "scaled_marks",
    "areas",
    "indicators",
}
# DESIGN.md §8's keys and, from issue 13, ``unit_label`` (the unit as the plan writes it).
INDICATOR_KEYS = {
    "code",
    "unit",
    "unit_label",
    "weight",
    "applicable",
    "achievement",
    "raw_score",
    "achieved_marks",
}
DEMO_USERNAMES = ["mofa.officer", "mofa.cio", "cabinet.reviewer", "msw.officer", "admin"]


def score_json(**options) -> dict:
    out = io.StringIO()
    call_command("score", json=True, stdout=out, **{"office": "mofa", "year": "2022-23", **options})
    text = out.getvalue()
    assert text.count("\n") == 1, "one JSON object on one line"
    return json.loads(text)


# --- score --json ------------------------------------------------------------------------------------


def test_score_json_has_exactly_the_documented_shape(demo):
    """Top-level, area and indicator keys are exactly those of DESIGN.md §8 (with issue 13's unit_label)."""
    data = score_json()
    assert set(data) == TOP_KEYS
    assert (data["office"], data["year"]) == ("mofa", "2022-23")
    assert all(set(area) == {"code", "marks", "achieved_marks"} for area in data["areas"])
    assert all(set(indicator) == INDICATOR_KEYS for indicator in data["indicators"])
    assert len(data["areas"]) == 2 and len(data["indicators"]) == 12


def test_score_json_codes_are_ascii_and_numbers_are_strings_with_two_decimals(demo):
    """Codes like `1.2.2`; every number a string with exactly two decimals; units as plain words."""
    data = score_json()
    for key in ("total_weight", "applicable_weight", "achieved_marks", "percent", "scaled_marks"):
        assert TWO_DECIMALS.match(data[key]), key
    for area in data["areas"]:
        assert ASCII_CODE.match(area["code"])
        assert TWO_DECIMALS.match(area["marks"]) and TWO_DECIMALS.match(area["achieved_marks"])
    for indicator in data["indicators"]:
        assert ASCII_CODE.match(indicator["code"]) and indicator["code"].count(".") == 2
        assert indicator["unit"] in {"date", "percent", "number"}
        assert TWO_DECIMALS.match(indicator["weight"])
        assert isinstance(indicator["applicable"], bool)
    assert [i["code"] for i in data["indicators"]][:3] == ["1.1.1", "1.2.1", "1.2.2"]


def test_score_json_gives_the_demo_figures(demo):
    """DESIGN.md §3.4: 44.77 of 48.00 applicable → 93.27 % → 46.64 of 50.00; areas 27.67 and 17.10."""
    data = score_json()
    assert (data["total_weight"], data["applicable_weight"]) == ("50.00", "48.00")
    assert (data["achieved_marks"], data["percent"], data["scaled_marks"]) == ("44.77", "93.27", "46.64")
    assert [(a["code"], a["marks"], a["achieved_marks"]) for a in data["areas"]] == [
        ("1", "30.00", "27.67"),
        ("2", "20.00", "17.10"),
    ]


def test_score_json_worked_example_indicators(demo):
    """[১.২.২] date 2023-05-20 → 85 → 5.95; [১.৩.১] 82 → 94 → 7.52; [২.২.২] 50 → 70 → 2.10."""
    by_code = {i["code"]: i for i in score_json()["indicators"]}
    assert by_code["1.2.2"] == {
        "code": "1.2.2",
        "unit": "date",
        "unit_label": "তারিখ",
        "weight": "7.00",
        "applicable": True,
        "achievement": "2023-05-20",
        "raw_score": "85.00",
        "achieved_marks": "5.95",
    }
    assert (
        by_code["1.3.1"]["achievement"],
        by_code["1.3.1"]["raw_score"],
        by_code["1.3.1"]["achieved_marks"],
    ) == (
        "82.00",
        "94.00",
        "7.52",
    )
    assert (
        by_code["2.2.2"]["achievement"],
        by_code["2.2.2"]["raw_score"],
        by_code["2.2.2"]["achieved_marks"],
    ) == (
        "50.00",
        "70.00",
        "2.10",
    )
    assert all(
        ISO_DATE.match(i["achievement"]) for i in by_code.values() if i["unit"] == "date" and i["achievement"]
    )


def test_score_json_not_applicable_indicator_has_null_score_and_marks(demo):
    """[২.২.৪] not applicable: applicable false, raw_score and achieved_marks null, weight still shown."""
    indicator = next(i for i in score_json()["indicators"] if i["code"] == "2.2.4")
    assert indicator == {
        "code": "2.2.4",
        "unit": "date",
        "unit_label": "তারিখ",
        "weight": "2.00",
        "applicable": False,
        "achievement": None,
        "raw_score": None,
        "achieved_marks": None,
    }


def test_score_json_achievement_is_null_when_nothing_was_reported(demo):
    """No progress for [২.১.১]: achievement null, raw score and marks 0.00 (DESIGN.md §3.1)."""
    Progress.objects.filter(indicator__plan=demo, indicator__code="2.1.1").delete()
    data = score_json()
    indicator = next(i for i in data["indicators"] if i["code"] == "2.1.1")
    assert (indicator["achievement"], indicator["raw_score"], indicator["achieved_marks"]) == (
        None,
        "0.00",
        "0.00",
    )
    assert data["achieved_marks"] == "38.77"


def test_score_quarter_option_scores_up_to_that_quarter(demo):
    """--quarter 2 uses Q1–Q2 only: [১.৩.১] average of 80 and 82 is 81."""
    data = score_json(quarter=2)
    indicator = next(i for i in data["indicators"] if i["code"] == "1.3.1")
    assert indicator["achievement"] == "81.00"


def test_score_without_json_prints_the_totals(demo):
    """The human-readable output ends with achieved, applicable, percent and scaled marks."""
    out = io.StringIO()
    call_command("score", office="mofa", year="2022-23", stdout=out)
    assert "44.77 of 48.00 = 93.27% → 46.64 of 50.00" in out.getvalue()


@pytest.mark.parametrize(
    ("office", "year"), [("nowhere", "2022-23"), ("mofa", "2030-31"), ("msw", "2022-23")]
)
def test_score_unknown_office_or_year_is_a_command_error_in_bangla(demo, office, year):
    """An office or year without a plan gives CommandError with a Bangla message naming them."""
    with pytest.raises(CommandError) as caught:
        call_command("score", office=office, year=year, json=True, stdout=io.StringIO())
    message = str(caught.value)
    assert "কর্মপরিকল্পনা নেই" in message
    assert office in message


@pytest.mark.parametrize("year", ["২০২২-২৩", "2022-2023", "FY 2022-23"])
def test_score_accepts_the_year_spellings_import_plan_accepts(demo, year):
    """`--year` is read like `import_plan` reads it: a plan imported with `FY 2022-23` is scored with it."""
    assert score_json(year=year)["year"] == "2022-23"


def test_score_malformed_year_is_a_command_error(demo):
    """A year that is not a fiscal year (e.g. `abcd`) is a CommandError, not a crash."""
    with pytest.raises(CommandError):
        call_command("score", office="mofa", year="abcd", json=True, stdout=io.StringIO())


# --- load_demo ---------------------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    models = [
        Office,
        FiscalYear,
        ActionPlan,
        PerformanceArea,
        Activity,
        Indicator,
        Progress,
        OfficeMembership,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["User"] = get_user_model().objects.count()
    return counts


def _load_demo(password: str = "demo-pass-1") -> str:
    out = io.StringIO()
    call_command("load_demo", password=password, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_load_demo_twice_gives_the_same_data(db):
    """Running load_demo twice leaves the same number of rows and the same progress values."""
    _load_demo()
    counts = _counts()
    progress = list(
        Progress.objects.order_by("pk").values_list("pk", "quarter", "value_number", "value_date")
    )
    _load_demo()
    assert _counts() == counts
    assert (
        counts["Office"] == 5
        and counts["Indicator"] == 12
        and counts["Progress"] == 25
        and counts["User"] == 5
    )
    assert (
        list(Progress.objects.order_by("pk").values_list("pk", "quarter", "value_number", "value_date"))
        == progress
    )
    assert score_json()["scaled_marks"] == "46.64"


def test_load_demo_prints_the_users_and_the_password(db):
    """The output lists every demo user and the password they log in with."""
    out = _load_demo("secret-xyz")
    for username in DEMO_USERNAMES:
        assert username in out
    assert "secret-xyz" in out


def test_demo_users_log_in_with_the_given_password(db):
    """Every demo user authenticates with the password given; a second run with a new password replaces it."""
    # django-axes wants the request that signs in (it counts failures per user name and address).
    request = RequestFactory().post("/accounts/login/")
    _load_demo("first-pass")
    for username in DEMO_USERNAMES:
        assert authenticate(request, username=username, password="first-pass") is not None, username
    _load_demo("second-pass")
    for username in DEMO_USERNAMES:
        assert authenticate(request, username=username, password="second-pass") is not None, username
        assert authenticate(request, username=username, password="first-pass") is None, username


def test_demo_roles_keep_msw_officer_out_of_mofa_and_admin_is_superuser(db):
    """msw.officer holds a role only in msw; mofa users only in mofa; admin is staff and superuser."""
    _load_demo()
    _load_demo()

    def roles(username):
        return sorted(
            OfficeMembership.objects.filter(user__username=username).values_list("office__code", "role")
        )

    assert roles("msw.officer") == [("msw", "officer")]
    assert roles("mofa.officer") == [("mofa", "officer")]
    assert roles("mofa.cio") == [("mofa", "cio")]
    assert roles("cabinet.reviewer") == [("cabinet", "reviewer")]
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


def test_load_demo_sets_the_letterhead_details(db):
    """MoFA gets its wing and memo-number prefix from seed 000 (not carried by the offices sheet)."""
    _load_demo()
    mofa = Office.objects.get(code="mofa")
    assert (mofa.wing_bn, mofa.memo_prefix) == ("আইসিটি অনুবিভাগ", "১৯.০০.০০০০.১৭৫.৪২.০০১.২৩")
