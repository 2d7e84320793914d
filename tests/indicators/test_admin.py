"""The Django admin: who may open which page, query counts, the weights rule on the plan page, and the plan and
progress sheets imported and exported through the same services as the command line."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from import_export.exceptions import ImportError as ImportExportError
from openpyxl import Workbook, load_workbook

from base.errors import DomainError
from evidence.models import Evidence
from indicators.models import (
    ActionPlan,
    Activity,
    FiscalYear,
    HistoryEntry,
    HistoryKind,
    Indicator,
    Office,
    OfficeMembership,
    PerformanceArea,
    Progress,
)
from indicators.plan_sheet import plan_sheet_parse
from indicators.problems import ImportFailed
from indicators.resources import PlanSheetResource, SheetCSV
from indicators.selectors import plan_sheet_rows
from indicators.services.offices import fiscal_year_get_or_create
from indicators.services.plans import plan_import
from indicators.services.progress import progress_import
from indicators.sheets import read_sheet, read_sheet_bytes
from tests.factories import DEMO_DIR, IndicatorFactory, MembershipFactory, OfficeFactory, UserFactory

User = get_user_model()

CSV, XLSX = "0", "1"  # the import and export formats, in the order the admin offers them


@pytest.fixture
def superuser(demo):
    return User.objects.get(username="admin")


@pytest.fixture
def admin_browser(client, superuser):
    client.force_login(superuser)
    return client


def make_evidence(indicator: Indicator, title: str = "প্রমাণক") -> Evidence:
    """An evidence row without a stored file (the admin never opens the file)."""
    return Evidence.objects.create(
        indicator=indicator,
        title=title,
        file="evidence/00/test.pdf",
        original_name="test.pdf",
        content_type="application/pdf",
        size=1234,
        page_count=1,
        sha256="0" * 64,
    )


def admin_pages(plan: ActionPlan) -> dict[str, str]:
    """Every admin page this project adds, by a short name."""
    indicator = plan.indicators.get(code="1.3.1")
    evidence = make_evidence(indicator)
    office = plan.office
    membership = OfficeMembership.objects.filter(office=office).first()
    pages = {}
    objects = {
        "office": office,
        "officemembership": membership,
        "fiscalyear": plan.fiscal_year,
        "actionplan": plan,
        "performancearea": plan.areas.first(),
        "activity": plan.activities.first(),
        "indicator": indicator,
        "progress": indicator.progress.first(),
    }
    for model, obj in objects.items():
        pages[f"{model}_changelist"] = reverse(f"admin:indicators_{model}_changelist")
        pages[f"{model}_change"] = reverse(f"admin:indicators_{model}_change", args=[obj.pk])
    for model in ("office", "officemembership", "fiscalyear", "progress"):
        pages[f"{model}_add"] = reverse(f"admin:indicators_{model}_add")
    for model in ("indicator", "progress"):
        pages[f"{model}_import"] = reverse(f"admin:indicators_{model}_import")
        pages[f"{model}_export"] = reverse(f"admin:indicators_{model}_export") + f"?plan={plan.pk}"
    pages["evidence_changelist"] = reverse("admin:evidence_evidence_changelist")
    pages["evidence_change"] = reverse("admin:evidence_evidence_change", args=[evidence.pk])
    pages["user_change"] = reverse(
        "admin:auth_user_change", args=[User.objects.get(username="mofa.officer").pk]
    )
    return pages


PAGE_NAMES = [
    *(
        f"{model}_{page}"
        for model in (
            "office",
            "officemembership",
            "fiscalyear",
            "actionplan",
            "performancearea",
            "activity",
            "indicator",
            "progress",
            "evidence",
        )
        for page in ("changelist", "change")
    ),
    "office_add",
    "officemembership_add",
    "fiscalyear_add",
    "progress_add",
    "indicator_import",
    "indicator_export",
    "progress_import",
    "progress_export",
    "user_change",
]


# ---------------------------------------------------------------------------------------------------------
# Who may open what


def _not_sent_to_login(responses: dict) -> dict:
    return {
        page: (response.status_code, response.get("Location"))
        for page, response in responses.items()
        if response.status_code != 302 or not response["Location"].startswith(reverse("admin:login"))
    }


def test_every_admin_page_sends_anonymous_visitors_to_the_admin_login(client, demo):
    """Anonymous → the admin login page, with the page to come back to."""
    pages = admin_pages(demo)
    assert set(pages) == set(PAGE_NAMES)
    assert _not_sent_to_login({page: client.get(url) for page, url in pages.items()}) == {}


def test_every_admin_page_is_closed_to_an_active_user_who_is_not_staff(client, demo):
    """An office's own officer (active, not staff) is sent to the admin login, never shown the page."""
    client.force_login(User.objects.get(username="mofa.officer"))
    responses = {page: client.get(url) for page, url in admin_pages(demo).items()}
    assert _not_sent_to_login({p: r for p, r in responses.items() if r.status_code != 403}) == {}


def test_every_admin_page_opens_for_the_superuser(admin_browser, demo):
    """The administrator sees every page."""
    statuses = {page: admin_browser.get(url).status_code for page, url in admin_pages(demo).items()}
    assert {page: status for page, status in statuses.items() if status != 200} == {}


@pytest.mark.parametrize(
    "page", ["indicator_import", "indicator_export", "progress_import", "progress_export"]
)
def test_staff_without_permissions_cannot_import_or_export(client, demo, page):
    """Being staff is not enough: importing and exporting need the model permissions."""
    url = admin_pages(demo)[page]
    client.force_login(UserFactory(username="staff.nobody", is_staff=True))
    assert client.get(url).status_code == 403


def test_staff_who_may_only_view_can_export_but_not_import(client, demo):
    """Export needs the view permission; import needs the add/change/delete permissions it uses."""
    user = UserFactory(username="staff.viewer", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_indicator", "view_progress"]))
    client.force_login(user)
    for model in ("indicator", "progress"):
        assert client.get(reverse(f"admin:indicators_{model}_export") + f"?plan={demo.pk}").status_code == 200
        assert client.get(reverse(f"admin:indicators_{model}_import")).status_code == 403


@pytest.mark.parametrize("model", ["actionplan", "performancearea", "activity", "indicator"])
def test_plans_areas_activities_and_indicators_come_only_from_a_plan_sheet(admin_browser, demo, model):
    """No 'add' form for them: they are created (and removed) by importing a plan sheet."""
    assert admin_browser.get(reverse(f"admin:indicators_{model}_add")).status_code == 403
    changelist = admin_browser.get(reverse(f"admin:indicators_{model}_changelist"))
    assert reverse(f"admin:indicators_{model}_add") not in changelist.content.decode()


def test_plan_page_explains_that_indicators_come_from_importing_a_sheet(admin_browser, demo):
    """The plan page says where new indicators come from and links to the sheet import."""
    page = admin_browser.get(reverse("admin:indicators_actionplan_change", args=[demo.pk])).content.decode()
    assert "কর্মপরিকল্পনার ছক (CSV/XLSX) আমদানি করুন" in page
    assert reverse("admin:indicators_indicator_import") + f"?plan={demo.pk}" in page


def test_evidence_is_not_uploaded_or_deleted_in_the_admin(admin_browser, demo):
    """Evidence files go through evidence_attach's content checks, and the file is never linked from the admin."""
    evidence = make_evidence(demo.indicators.get(code="1.3.1"))
    assert admin_browser.get(reverse("admin:evidence_evidence_add")).status_code == 403
    assert admin_browser.get(reverse("admin:evidence_evidence_delete", args=[evidence.pk])).status_code == 403
    page = admin_browser.get(reverse("admin:evidence_evidence_change", args=[evidence.pk])).content.decode()
    assert "evidence/00/test.pdf" not in page


# ---------------------------------------------------------------------------------------------------------
# Query counts


def _grow(demo: ActionPlan) -> None:
    """Four more offices with the demo plan and progress, evidence, users with roles, fiscal years."""
    plan_sheet = read_sheet(DEMO_DIR / "plan.csv")
    progress_sheet = read_sheet(DEMO_DIR / "progress.csv")
    fiscal_year = demo.fiscal_year
    for code in ("cabinet", "sid", "bbs", "msw"):
        result = plan_import(office=Office.objects.get(code=code), fiscal_year=fiscal_year, sheet=plan_sheet)
        progress_import(plan=result.plan, sheet=progress_sheet)
        for indicator in result.plan.indicators.all()[:3]:
            make_evidence(indicator)
    for start_year in (2019, 2020, 2021, 2023):
        fiscal_year_get_or_create(code=f"{start_year}-{(start_year + 1) % 100:02d}")
    cabinet = Office.objects.get(code="cabinet")
    for office in OfficeFactory.create_batch(10, parent=cabinet):
        MembershipFactory.create_batch(2, office=office)


CHANGELISTS = [
    "admin:indicators_office_changelist",
    "admin:indicators_officemembership_changelist",
    "admin:indicators_fiscalyear_changelist",
    "admin:indicators_actionplan_changelist",
    "admin:indicators_performancearea_changelist",
    "admin:indicators_activity_changelist",
    "admin:indicators_indicator_changelist",
    "admin:indicators_progress_changelist",
    "admin:evidence_evidence_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(admin_browser, demo, name, django_assert_max_num_queries):
    """A list page runs a fixed number of queries, however many rows it shows."""
    make_evidence(demo.indicators.get(code="1.3.1"))
    url = reverse(name)
    admin_browser.get(url)  # warm the session and content-type caches
    with django_assert_max_num_queries(12) as small:
        rows_before = admin_browser.get(url).context["cl"].result_count
    _grow(demo)
    with django_assert_max_num_queries(12) as large:
        rows_after = admin_browser.get(url).context["cl"].result_count
    assert rows_after > rows_before
    assert len(large) == len(small)


# ---------------------------------------------------------------------------------------------------------
# Weights: the indicator weights of an area sum to the area's marks


def _change_form_data(response) -> dict[str, str]:
    """The POST data of an admin change page as it was rendered (main form and inline formsets)."""
    data: dict[str, str] = {}

    def add(form) -> None:
        for field in form:
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def _inline_prefix(data: dict[str, str], plan: ActionPlan, code: str) -> str:
    indicator = plan.indicators.get(code=code)
    for key, value in data.items():
        if key.startswith("indicators-") and key.endswith("-id") and value == str(indicator.pk):
            return key[: -len("-id")]
    raise AssertionError(f"indicator {code} not on the page")


def test_plan_page_refuses_weights_that_break_an_area_sum(admin_browser, demo):
    """Area [১] has marks 30: raising one weight by 1 gives 31 and is refused with both sums, nothing saved."""
    url = reverse("admin:indicators_actionplan_change", args=[demo.pk])
    data = _change_form_data(admin_browser.get(url))
    data[f"{_inline_prefix(data, demo, '1.1.1')}-weight"] = "3"

    response = admin_browser.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "ক্ষেত্র [১] (ই-গভর্ন্যান্স ও উদ্ভাবন সংক্রান্ত কার্যক্রমের বাস্তবায়ন জোরদারকরণ)" in page
    assert "সূচকগুলোর মানের যোগফল ৩১, কিন্তু ক্ষেত্রের মান ৩০; দুটি সমান হতে হবে।" in page
    assert "ক্ষেত্র [২]" not in page  # area 2 still adds up
    assert demo.indicators.get(code="1.1.1").weight == Decimal("2")


def test_plan_page_saves_weights_that_still_add_up(admin_browser, demo):
    """Moving one mark from [১.২.১] to [১.১.১] keeps area [১] at 30 and is saved."""
    url = reverse("admin:indicators_actionplan_change", args=[demo.pk])
    data = _change_form_data(admin_browser.get(url))
    data[f"{_inline_prefix(data, demo, '1.1.1')}-weight"] = "3"
    data[f"{_inline_prefix(data, demo, '1.2.1')}-weight"] = "1"

    response = admin_browser.post(url, data)

    assert response.status_code == 302
    weights = dict(demo.indicators.values_list("code", "weight"))
    assert (weights["1.1.1"], weights["1.2.1"]) == (Decimal("3"), Decimal("1"))
    assert sum(w for code, w in weights.items() if code.startswith("1.")) == Decimal("30")


def test_plan_page_refuses_not_applicable_without_a_reason(admin_browser, demo):
    """An indicator marked not applicable needs its reason (the database would refuse it)."""
    url = reverse("admin:indicators_actionplan_change", args=[demo.pk])
    data = _change_form_data(admin_browser.get(url))
    prefix = _inline_prefix(data, demo, "1.3.1")
    data.pop(f"{prefix}-applicable", None)
    data[f"{prefix}-not_applicable_reason"] = ""

    response = admin_browser.post(url, data)

    assert response.status_code == 200
    assert "প্রযোজ্য নয় কেন, তার কারণ লিখুন।" in response.content.decode()
    assert demo.indicators.get(code="1.3.1").applicable is True


def test_indicator_page_shows_the_weight_read_only_and_says_where_to_change_it(admin_browser, demo):
    """On an indicator's own page the weight cannot be edited; a posted weight is ignored."""
    indicator = demo.indicators.get(code="1.3.1")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    response = admin_browser.get(url)
    page = response.content.decode()
    assert 'name="weight"' not in page
    assert "একই ক্ষেত্রের সূচকগুলোর মান একসঙ্গে কর্মপরিকল্পনার পাতায় বদলান" in page
    assert "[১.৩.১]" in page

    data = _change_form_data(response)
    data["weight"] = "99"
    assert admin_browser.post(url, data).status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).weight == Decimal("8")


def test_area_page_shows_the_marks_read_only(admin_browser, demo):
    """Area marks are fixed by the plan sheet; the area page shows them without an input."""
    area = demo.areas.get(code="1")
    page = admin_browser.get(
        reverse("admin:indicators_performancearea_change", args=[area.pk])
    ).content.decode()
    assert 'name="marks"' not in page
    assert 'name="title"' in page


def test_plan_page_queries_do_not_grow_with_indicators(admin_browser, demo, django_assert_max_num_queries):
    """The plan page with its two inlines costs the same for a one-indicator plan as for the demo's twelve."""
    small = IndicatorFactory(activity__area__plan__office=Office.objects.get(code="msw")).plan
    counts = []
    for plan in (small, demo):
        url = reverse("admin:indicators_actionplan_change", args=[plan.pk])
        admin_browser.get(url)
        with django_assert_max_num_queries(20) as captured:
            assert admin_browser.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_plan_without_history_is_deleted_with_its_areas_activities_and_indicators(admin_browser, demo):
    """Indicators cannot be deleted one by one, but they go with their plan while it has no history yet."""
    fresh = plan_import(
        office=Office.objects.get(code="msw"),
        fiscal_year=demo.fiscal_year,
        sheet=read_sheet(DEMO_DIR / "plan.csv"),
    ).plan
    assert (
        admin_browser.get(
            reverse("admin:indicators_indicator_delete", args=[fresh.indicators.first().pk])
        ).status_code
        == 403
    )
    url = reverse("admin:indicators_actionplan_delete", args=[fresh.pk])
    assert admin_browser.post(url, {"post": "yes"}).status_code == 302
    assert not ActionPlan.objects.filter(pk=fresh.pk).exists()
    assert not Indicator.objects.filter(plan_id=fresh.pk).exists()
    assert not PerformanceArea.objects.filter(plan_id=fresh.pk).exists()


def test_a_plan_with_history_is_not_deleted(admin_browser, demo):
    """The history is append-only: a plan whose changes were recorded cannot be deleted, so the record stays."""
    history = HistoryEntry.objects.filter(plan=demo).count()
    assert history > 0
    response = admin_browser.post(
        reverse("admin:indicators_actionplan_delete", args=[demo.pk]), {"post": "yes"}
    )
    assert response.status_code == 200
    assert ActionPlan.objects.filter(pk=demo.pk).exists()
    assert HistoryEntry.objects.filter(plan=demo).count() == history


def test_a_plan_with_evidence_is_not_deleted(admin_browser, demo):
    """Evidence protects its indicator, and so its plan."""
    make_evidence(demo.indicators.get(code="1.3.1"))
    response = admin_browser.post(
        reverse("admin:indicators_actionplan_delete", args=[demo.pk]), {"post": "yes"}
    )
    assert response.status_code == 200
    assert ActionPlan.objects.filter(pk=demo.pk).exists()


def test_indicators_can_be_searched_by_code_as_people_write_it(admin_browser, demo):
    """'[১.৩.১]' finds the indicator stored as 1.3.1."""
    response = admin_browser.get(reverse("admin:indicators_indicator_changelist"), {"q": "[১.৩.১]"})
    assert [i.code for i in response.context["cl"].result_list] == ["1.3.1"]


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "expected"),
    [
        ("actionplan", "office", "msw", "সমাজকল্যাণ মন্ত্রণালয়"),
        ("indicator", "plan", "mofa", "পররাষ্ট্র মন্ত্রণালয় — ২০২২-২৩"),
        ("progress", "indicator", "১.৩.১", "[১.৩.১] ই-ফাইলে নোট নিষ্পত্তিকৃত"),
        ("officemembership", "user", "mofa.cio", "mofa.cio"),
    ],
)
def test_autocompletes_of_the_admin_forms_answer(admin_browser, demo, model_name, field_name, term, expected):
    """The office and plan pickers of the import forms, and the indicator and user pickers, find what is typed."""
    response = admin_browser.get(
        reverse("admin:autocomplete"),
        {"app_label": "indicators", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert expected in [item["text"] for item in response.json()["results"]]


def test_progress_added_in_the_admin_is_recorded_as_the_admin(admin_browser, demo, superuser):
    """A quarter typed in the admin says who wrote it."""
    indicator = demo.indicators.get(code="1.4.2")
    response = admin_browser.post(
        reverse("admin:indicators_progress_add"),
        {"indicator": indicator.pk, "quarter": "1", "value_number": "2", "value_date": "", "remark": ""},
    )
    assert response.status_code == 302
    assert Progress.objects.get(indicator=indicator, quarter=1).recorded_by == superuser


def test_indicator_page_refuses_targets_in_the_wrong_order(admin_browser, demo):
    """DESIGN.md §3.5 on the indicator page too: an 80% date earlier than the 90% date is refused."""
    indicator = demo.indicators.get(code="1.1.1")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    data = _change_form_data(admin_browser.get(url))
    data["target_90_date"], data["target_80_date"] = "2023-05-25", "2023-05-15"

    response = admin_browser.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Indicator.objects.get(pk=indicator.pk).target_80_date == datetime.date(2023, 5, 25)


def test_office_page_refuses_a_parent_cycle(admin_browser, demo):
    """The cabinet cannot be placed under one of its own ministries."""
    cabinet = Office.objects.get(code="cabinet")
    url = reverse("admin:indicators_office_change", args=[cabinet.pk])
    data = _change_form_data(admin_browser.get(url))
    data["parent"] = str(Office.objects.get(code="mofa").pk)

    response = admin_browser.post(url, data)

    assert response.status_code == 200
    assert "চক্র তৈরি হয়" in response.content.decode()
    assert Office.objects.get(pk=cabinet.pk).parent is None


def test_progress_page_refuses_a_number_for_a_date_indicator(admin_browser, demo):
    """A date indicator's achievement goes in the date column, not the number column."""
    progress = Progress.objects.get(indicator__plan=demo, indicator__code="1.2.2", quarter=4)
    url = reverse("admin:indicators_progress_change", args=[progress.pk])
    data = _change_form_data(admin_browser.get(url))
    data["value_number"] = "5"

    response = admin_browser.post(url, data)

    assert response.status_code == 200
    assert "অর্জন তারিখের ঘরে লিখুন" in response.content.decode()
    assert Progress.objects.get(pk=progress.pk).value_number is None


# ---------------------------------------------------------------------------------------------------------
# Importing and exporting sheets


def _upload(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def check_plan_sheet(client, content: bytes, name: str, *, office: str, year: str, replace: bool = False):
    """The first step of the admin's plan import: check the sheet and preview it (nothing is written)."""
    data = {
        "resource": "0",
        "office": str(Office.objects.get(code=office).pk),
        "fiscal_year": year,
        "import_file": _upload(content, name),
        "format": XLSX if name.endswith(".xlsx") else CSV,
    }
    if replace:
        data["replace"] = "on"
    return client.post(reverse("admin:indicators_indicator_import"), data)


def check_progress_sheet(client, content: bytes, name: str, *, plan: ActionPlan):
    data = {
        "resource": "0",
        "plan": str(plan.pk),
        "import_file": _upload(content, name),
        "format": XLSX if name.endswith(".xlsx") else CSV,
    }
    return client.post(reverse("admin:indicators_progress_import"), data)


def confirm(client, response, model: str):
    """The second step: confirm the import the preview showed."""
    form = response.context["confirm_form"]
    assert form is not None, response.context["result"].invalid_rows
    data = {}
    for field in form:
        value = field.value()
        data[field.html_name] = str(value) if not isinstance(value, bool) else ("True" if value else "False")
    return client.post(reverse(f"admin:indicators_{model}_process_import"), data)


def export(client, model: str, plan: ActionPlan, file_format: str):
    url = reverse(f"admin:indicators_{model}_export") + f"?plan={plan.pk}"
    return client.post(url, {"resource": "0", "format": file_format})


def plan_snapshot(plan: ActionPlan) -> dict:
    """Everything a plan sheet or a progress sheet can change, to compare before and after a round trip."""
    return {
        "areas": list(plan.areas.order_by("code").values_list("pk", "code", "title", "marks", "position")),
        "activities": list(
            plan.activities.order_by("code").values_list("pk", "code", "title", "area_id", "position")
        ),
        "indicators": list(
            plan.indicators.order_by("code").values_list(
                "pk",
                "code",
                "title",
                "unit",
                "weight",
                "calc_method",
                "scoring_method",
                "direction",
                "applicable",
                "not_applicable_reason",
                "position",
                *(f"target_{level}_{kind}" for level in (100, 90, 80, 70, 60) for kind in ("number", "date")),
            )
        ),
        "progress": list(
            Progress.objects.filter(indicator__plan=plan)
            .order_by("indicator__code", "quarter")
            .values_list("pk", "indicator_id", "quarter", "value_number", "value_date", "remark")
        ),
    }


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (ActionPlan, PerformanceArea, Activity, Indicator, Progress, FiscalYear)
    }


def test_admin_import_of_the_demo_plan_into_another_office_creates_the_same_plan(admin_browser, demo):
    """Check → preview (nothing written) → confirm: the plan of 'msw' equals the demo plan, logged as additions."""
    content = (DEMO_DIR / "plan.csv").read_bytes()
    before = row_counts()

    checked = check_plan_sheet(admin_browser, content, "plan.csv", office="msw", year="২০২২-২৩")

    assert checked.status_code == 200
    result = checked.context["result"]
    assert not result.has_validation_errors() and not result.has_errors()
    assert result.totals["new"] == 12
    assert "কর্মপরিকল্পনা তৈরি হবে" in checked.content.decode()
    assert row_counts() == before  # the check was rolled back

    done = confirm(admin_browser, checked, "indicator")

    assert done.status_code == 302
    msw_plan = ActionPlan.objects.get(office__code="msw", fiscal_year__start_year=2022)
    assert plan_sheet_rows(msw_plan) == plan_sheet_rows(demo)
    assert (
        LogEntry.objects.filter(
            action_flag=ADDITION,
            object_id__in=[str(pk) for pk in msw_plan.indicators.values_list("pk", flat=True)],
        ).count()
        == 12
    )
    assert any("তৈরি হয়েছে" in str(m) for m in get_messages(done.wsgi_request))


def _demo_plan_lines() -> list[str]:
    return (DEMO_DIR / "plan.csv").read_text(encoding="utf-8").splitlines()


def test_admin_import_of_a_bad_plan_sheet_lists_every_problem_and_writes_nothing(admin_browser, demo):
    """DESIGN.md §3.5's targets out of order, a weight that breaks an area's sum and an unknown unit: each is shown
    with its row, column, value and both messages, exactly as the service reports it; nothing is written."""
    lines = _demo_plan_lines()
    lines[1] = lines[1].replace(
        "১০/০৫/২০২৩,১৫/০৫/২০২৩,২৫/০৫/২০২৩,৩১/০৫/২০২৩", "১০/০৫/২০২৩,২৫/০৫/২০২৩,১৫/০৫/২০২৩,৩১/০৫/২০২৩"
    )
    lines[7] = lines[7].replace(",সংখ্যা,৬,", ",,৬,")
    lines[8] = lines[8].replace(",সংখ্যা,৩,", ",সংখ্যা,৪,")
    content = "\n".join(lines).encode("utf-8")
    with pytest.raises(ImportFailed) as expected:
        plan_sheet_parse(read_sheet_bytes(content, name="bad.csv"))
    before = row_counts()

    response = check_plan_sheet(admin_browser, content, "bad.csv", office="msw", year="2023-24")

    assert response.status_code == 200
    assert row_counts() == before  # not even the fiscal year 2023-24
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    result = response.context["result"]
    assert result.problem_count == len(expected.value.problems) >= 3
    page = response.content.decode()
    assert "কিছুই সংরক্ষণ করা হয়নি" in page
    rows = [(r.number, p.column, p.value, p.message_bn) for r in result.invalid_rows for p in r.problems]
    for problem in expected.value.problems:
        assert (problem.row, problem.column, problem.value, problem.message_bn) in rows
        for text in (problem.message_bn, problem.message_en, problem.value):
            assert str(text).replace("'", "&#x27;").replace('"', "&quot;") in page
    assert any(
        column == "উত্তম" and value == "১৫/০৫/২০২৩" and number == 2 for number, column, value, _ in rows
    )


def test_admin_plan_import_asks_before_replacing_a_plan(admin_browser, demo):
    """Importing over an existing plan needs 'replace', as --replace on the command line."""
    response = check_plan_sheet(
        admin_browser, (DEMO_DIR / "plan.csv").read_bytes(), "plan.csv", office="mofa", year="2022-23"
    )
    assert response.status_code == 200
    assert "বদলাতে চাইলে 'প্রতিস্থাপন করুন' বেছে নিন" in response.content.decode().replace("&#x27;", "'")
    assert "result" not in response.context or response.context["result"] is None


def test_plan_xlsx_export_then_import_changes_nothing(admin_browser, demo):
    """The plan exported as XLSX imports back over itself with every row unchanged, progress kept."""
    exported = export(admin_browser, "indicator", demo, XLSX)
    assert exported.status_code == 200
    assert exported["Content-Disposition"] == 'attachment; filename="plan-mofa-2022-23.xlsx"'
    before = plan_snapshot(demo)

    checked = check_plan_sheet(
        admin_browser, exported.content, "plan.xlsx", office="mofa", year="2022-23", replace=True
    )
    assert checked.context["result"].totals["skip"] == 12
    done = confirm(admin_browser, checked, "indicator")

    assert done.status_code == 302
    assert plan_snapshot(demo) == before


def test_plan_import_with_replace_previews_and_logs_changed_and_removed_indicators(admin_browser, demo):
    """Replacing a plan with a sheet that renames one indicator and drops another: the preview marks them, the
    confirmation updates and removes them (logged), and the progress of the kept indicators stays."""
    lines = _demo_plan_lines()
    lines[4] = lines[4].replace("ই-ফাইলে নোট নিষ্পত্তিকৃত", "ই-নথিতে নোট নিষ্পত্তিকৃত")
    del lines[12]  # [২.২.৫]
    lines[11] = lines[11].replace(",তারিখ,২,তারিখ,", ",তারিখ,৫,তারিখ,")  # [২.২.৪] takes its 3 marks
    removed = demo.indicators.get(code="2.2.5")
    progress_before = Progress.objects.filter(indicator__plan=demo).exclude(indicator=removed).count()

    checked = check_plan_sheet(
        admin_browser, "\n".join(lines).encode(), "plan.csv", office="mofa", year="2022-23", replace=True
    )

    result = checked.context["result"]
    assert (result.totals["update"], result.totals["delete"], result.totals["skip"]) == (2, 1, 9)
    deleted = [row for row in result.valid_rows() if row.import_type == "delete"]
    assert deleted[0].diff[5] == "[২.২.৫]"  # shown in the uploaded sheet's own columns
    assert confirm(admin_browser, checked, "indicator").status_code == 302
    assert demo.indicators.get(code="1.3.1").title == "ই-নথিতে নোট নিষ্পত্তিকৃত"
    assert not demo.indicators.filter(code="2.2.5").exists()
    # The history names the rename and who made it through the admin (DESIGN.md §4).
    renamed = HistoryEntry.objects.get(kind=HistoryKind.PLAN, indicator_code="1.3.1")
    assert "ই-নথিতে" in renamed.after and renamed.user.username == "admin"
    assert Progress.objects.filter(indicator__plan=demo).count() == progress_before
    assert LogEntry.objects.filter(
        object_id=str(removed.pk), change_message="ছক আমদানিতে মুছে ফেলা হয়েছে"
    ).exists()


def test_plan_csv_export_is_what_the_command_line_writes(admin_browser, demo, tmp_path):
    """Admin export and `export_plan` give the same bytes."""
    out = Path(tmp_path) / "plan.csv"
    call_command("export_plan", office="mofa", year="2022-23", out=str(out), stdout=io.StringIO())
    exported = export(admin_browser, "indicator", demo, CSV)
    assert exported.content == out.read_bytes()


def test_plan_export_refuses_more_than_one_plan_at_a_time(admin_browser, demo):
    """An unfiltered list holding two plans is not exported; the page says how to choose one."""
    plan_import(
        office=Office.objects.get(code="msw"),
        fiscal_year=demo.fiscal_year,
        sheet=read_sheet(DEMO_DIR / "plan.csv"),
    )
    response = admin_browser.post(
        reverse("admin:indicators_indicator_export"), {"resource": "0", "format": XLSX}, follow=True
    )
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "একবারে একটি কর্মপরিকল্পনা রপ্তানি করা যায়" in response.content.decode()


def test_exporting_selected_indicators_gives_their_plan_sheet(admin_browser, demo):
    """The list action exports the plan of the selected indicators as XLSX."""
    selected = demo.indicators.filter(code__in=["1.1.1", "2.2.2"]).values_list("pk", flat=True)
    response = admin_browser.post(
        reverse("admin:indicators_indicator_changelist"),
        {"action": "export_selected_xlsx", "_selected_action": [str(pk) for pk in selected]},
    )
    assert response.status_code == 200
    sheet = read_sheet_bytes(response.content, name="plan.xlsx")
    assert len(sheet.rows) == 12
    assert sheet.rows[3][1][12] == "৮৫%"


def test_xlsx_number_formats_arrive_as_the_text_people_see(admin_browser, demo):
    """A cell showing 85% (stored by Excel as 0.85) and a real date cell import as 85 and that date."""
    workbook = Workbook()
    sheet = workbook.active
    headers, rows = plan_sheet_rows(demo)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    percent_row = next(i for i, row in enumerate(rows, start=2) if row[5] == "[১.৩.১]")
    date_row = next(i for i, row in enumerate(rows, start=2) if row[5] == "[১.২.২]")
    for column, value in zip("MNOP", (0.85, 0.8, 0.7, 0.6), strict=True):
        sheet[f"{column}{percent_row}"] = value
        sheet[f"{column}{percent_row}"].number_format = "0%"
    sheet[f"M{date_row}"] = datetime.datetime(2023, 5, 4)
    sheet[f"M{date_row}"].number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)

    checked = check_plan_sheet(admin_browser, buffer.getvalue(), "typed.xlsx", office="msw", year="2022-23")
    assert confirm(admin_browser, checked, "indicator").status_code == 302

    msw_plan = ActionPlan.objects.get(office__code="msw")
    assert msw_plan.indicators.get(code="1.3.1").target_100_number == Decimal("85")
    assert msw_plan.indicators.get(code="1.2.2").target_100_date == datetime.date(2023, 5, 4)


def _reader_message(content: bytes, name: str) -> str:
    """What the command line's reader says about a file it cannot read (or the admin's own words for it)."""
    try:
        read_sheet_bytes(content, name=name)
    except DomainError as error:
        return error.message_bn
    except Exception:
        return "ফাইলটি পড়া যায়নি"
    raise AssertionError("the file was readable")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"PK\x03\x04 not really a workbook", "plan.xlsx"),
        (b"\x00\x01\x02\x03garbage", "plan.xlsx"),
        ("সূচক নং,অর্জন\n".encode("utf-16-le") + b"\xff", "plan.csv"),
        (b"\n\n ,  \n", "plan.csv"),
    ],
)
def test_a_broken_file_gets_a_bangla_message_not_a_server_error(admin_browser, demo, content, name):
    """Unreadable workbooks, wrong encodings and files without data are refused on the form, in Bangla;
    nothing is written."""
    before = row_counts()
    response = check_plan_sheet(admin_browser, content, name, office="msw", year="2022-23")
    assert response.status_code == 200
    assert _reader_message(content, name) in response.context["form"].errors["import_file"][0]
    assert row_counts() == before


def test_an_empty_upload_is_refused_on_the_form(admin_browser, demo):
    """A zero-byte file never reaches the reader."""
    response = check_plan_sheet(admin_browser, b"", "plan.csv", office="msw", year="2022-23")
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]


def test_confirming_the_same_import_twice_does_not_fail(admin_browser, demo):
    """The second confirmation finds the temporary file gone and says so instead of failing."""
    checked = check_plan_sheet(
        admin_browser, (DEMO_DIR / "plan.csv").read_bytes(), "plan.csv", office="msw", year="2022-23"
    )
    assert confirm(admin_browser, checked, "indicator").status_code == 302
    again = confirm(admin_browser, checked, "indicator")
    assert again.status_code == 302
    assert again["Location"] == reverse("admin:indicators_indicator_import")
    assert ActionPlan.objects.filter(office__code="msw").count() == 1


def test_import_page_for_a_plan_is_prefilled_to_replace_it(admin_browser, demo):
    """The plan page's link opens the plan-sheet import with the office, the year and 'replace' filled in."""
    response = admin_browser.get(reverse("admin:indicators_indicator_import") + f"?plan={demo.pk}")
    form = response.context["form"]
    assert (form["office"].value(), form["fiscal_year"].value(), form["replace"].value()) == (
        demo.office.pk,
        "2022-23",
        True,
    )


def test_a_plan_created_between_check_and_confirmation_stops_the_import(admin_browser, demo):
    """If the plan appears after the check, the confirmation writes nothing and shows the service's message."""
    checked = check_plan_sheet(
        admin_browser, (DEMO_DIR / "plan.csv").read_bytes(), "plan.csv", office="msw", year="2022-23"
    )
    plan_import(
        office=Office.objects.get(code="msw"),
        fiscal_year=demo.fiscal_year,
        sheet=read_sheet(DEMO_DIR / "plan.csv"),
    )
    entries = LogEntry.objects.count()

    response = confirm(admin_browser, checked, "indicator")

    assert response.status_code == 200
    assert "কর্মপরিকল্পনা আগেই আছে" in response.content.decode()
    assert LogEntry.objects.count() == entries
    assert ActionPlan.objects.filter(office__code="msw").count() == 1


def test_plan_sheet_with_english_headers_in_another_order_imports_as_the_same_plan(admin_browser, demo):
    """DESIGN.md §7: headers in English, in any order. The preview reads every row as the line it was, and
    confirming changes nothing."""
    rows = list(csv.reader(_demo_plan_lines()))
    english = [
        "area_code",
        "area_title",
        "area_marks",
        "activity_code",
        "activity_title",
        "Indicator No",
        "indicator_title",
        "UNIT",
        "weight",
        "calc method",
        "target_100",
        "target_90",
        "target_80",
        "target_70",
        "target_60",
    ]
    assert len(english) == len(rows[0])
    rows[0] = english
    rows = [list(reversed(row)) for row in rows]
    content = io.StringIO()
    csv.writer(content).writerows(rows)
    before = plan_snapshot(demo)

    checked = check_plan_sheet(
        admin_browser, content.getvalue().encode(), "plan.csv", office="mofa", year="2022-23", replace=True
    )

    result = checked.context["result"]
    assert result.totals["skip"] == 12 and not result.invalid_rows
    assert confirm(admin_browser, checked, "indicator").status_code == 302
    assert plan_snapshot(demo) == before


def test_import_preview_shows_each_line_as_plain_cells(admin_browser, demo):
    """The preview shows each line as the import leaves it (a cleared quarter as it was), in the sheet's
    columns, without the inline styles the site's Content-Security-Policy refuses."""
    content = "সূচক নং,ত্রৈমাসিক,অর্জন,মন্তব্য\n1.3.1,1,90,নতুন মন্তব্য\n[২.১.১],২,,\n".encode()

    checked = check_progress_sheet(admin_browser, content, "progress.csv", plan=demo)

    result = checked.context["result"]
    assert result.diff_headers == ["সূচক নং", "ত্রৈমাসিক", "অর্জন", "মন্তব্য", "প্রযোজ্যতা"]
    cells = [(row.label, row.diff) for row in result.valid_rows()]
    assert cells == [
        ("হালনাগাদ", ["[১.৩.১]", "১", "৯০%", "নতুন মন্তব্য", ""]),
        ("মুছে ফেলা হবে", ["[২.১.১]", "২", "১", "", ""]),
    ]
    assert "style=" not in checked.content.decode().split('class="import-preview"')[1]


def test_plan_sheet_resource_runs_the_service_and_rolls_back_a_dry_run(demo):
    """Used outside the admin, the resource still imports all or nothing, and a dry run leaves no trace."""
    dataset = SheetCSV().create_dataset((DEMO_DIR / "plan.csv").read_bytes())
    msw = Office.objects.get(code="msw")

    dry = PlanSheetResource().import_data(dataset, dry_run=True, office=msw, fiscal_year_code="2024-25")
    assert not dry.has_errors() and dry.totals["new"] == 12
    assert not FiscalYear.objects.filter(start_year=2024).exists()

    refused = PlanSheetResource().import_data(dataset, office=demo.office, fiscal_year_code="2022-23")
    assert refused.has_errors()
    assert "কর্মপরিকল্পনা আগেই আছে" in str(refused.base_errors[0].error)
    # With raise_errors the library raises what stopped the import inside its own ImportError.
    with pytest.raises(ImportExportError) as raised:
        PlanSheetResource().import_data(
            dataset, office=demo.office, fiscal_year_code="2022-23", raise_errors=True
        )
    assert isinstance(raised.value.error, DomainError)


def test_admin_progress_import_records_the_values_as_the_admin(admin_browser, demo, superuser):
    """A progress sheet changes, adds, clears and marks applicable what it lists, through progress_import,
    recorded as the admin; the preview says which is which; quarters it does not list stay as they are."""
    content = (
        "সূচক নং,ত্রৈমাসিক,অর্জন,মন্তব্য,প্রযোজ্যতা\n"
        "[১.৩.১],১,৯০%,হালনাগাদ,\n"
        "1.4.2,Q1,2,,\n"
        "[২.১.১],২,,,\n"
        "[২.২.৪],,,,প্রযোজ্য\n"
        "[২.২.১],১,১,,\n"
    ).encode()
    untouched = Progress.objects.get(indicator__plan=demo, indicator__code="2.1.1", quarter=1)

    checked = check_progress_sheet(admin_browser, content, "progress.csv", plan=demo)

    labels = [row.label for row in checked.context["result"].valid_rows()]
    assert labels == ["হালনাগাদ", "নতুন", "মুছে ফেলা হবে", "হালনাগাদ", "অপরিবর্তিত"]
    assert Progress.objects.get(indicator__plan=demo, indicator__code="1.3.1", quarter=1).value == Decimal(
        "80"
    )
    done = confirm(admin_browser, checked, "progress")

    assert done.status_code == 302
    changed = Progress.objects.get(indicator__plan=demo, indicator__code="1.3.1", quarter=1)
    assert (changed.value, changed.remark, changed.recorded_by) == (Decimal("90"), "হালনাগাদ", superuser)
    assert Progress.objects.get(indicator__plan=demo, indicator__code="1.4.2", quarter=1).value == Decimal(
        "2"
    )
    # cleared: no value or remark remains (the empty row stays so that its version keeps counting)
    assert (
        not Progress.objects.recorded()
        .filter(indicator__plan=demo, indicator__code="2.1.1", quarter=2)
        .exists()
    )
    assert demo.indicators.get(code="2.2.4").applicable is True
    assert Progress.objects.get(pk=untouched.pk).recorded_at == untouched.recorded_at


def test_admin_progress_import_refuses_a_bad_sheet_and_changes_nothing(admin_browser, demo):
    """An unknown indicator, a value that is not a number and not-applicable without a reason: all listed."""
    content = (
        "সূচক নং,ত্রৈমাসিক,অর্জন,মন্তব্য,প্রযোজ্যতা\n"
        "[৯.৯.৯],১,১,,\n"
        "[১.৩.১],২,অনেক,,\n"
        "[২.১.১],,,,প্রযোজ্য নয়\n"
        "[১.৩.১],৩,৯৯%,,\n"
    ).encode()
    before = plan_snapshot(demo)

    response = check_progress_sheet(admin_browser, content, "progress.csv", plan=demo)

    assert response.status_code == 200
    result = response.context["result"]
    assert sorted(row.number for row in result.invalid_rows) == [2, 3, 4]
    page = response.content.decode()
    assert "কর্মপরিকল্পনায় [৯.৯.৯] নম্বরের কোনো সূচক নেই।" in page
    assert "The plan has no indicator 9.9.9." in page
    assert "সূচকটি প্রযোজ্য নয় হলে মন্তব্যে কারণ লিখুন।" in page
    assert plan_snapshot(demo) == before


def test_progress_export_then_import_changes_nothing(admin_browser, demo):
    """Progress exported (with the not-applicable indicator) imports back with every row unchanged."""
    exported = export(admin_browser, "progress", demo, CSV)
    assert exported["Content-Disposition"] == 'attachment; filename="progress-mofa-2022-23.csv"'
    sheet = read_sheet_bytes(exported.content, name="progress.csv")
    assert sheet.headers == ["সূচক নং", "ত্রৈমাসিক", "অর্জন", "মন্তব্য", "প্রযোজ্যতা"]
    assert ["[২.২.৪]", "", "", "আওতাধীন কোনো দপ্তর/সংস্থা নেই।", "প্রযোজ্য নয়"] in [r for _n, r in sheet.rows]
    assert ["[১.৩.১]", "১", "৮০%", "", ""] in [r for _n, r in sheet.rows]
    before = plan_snapshot(demo)

    checked = check_progress_sheet(admin_browser, exported.content, "progress.csv", plan=demo)
    result = checked.context["result"]
    assert result.totals["skip"] == len(sheet.rows) and result.totals["update"] == 0
    assert confirm(admin_browser, checked, "progress").status_code == 302

    assert plan_snapshot(demo) == before


def test_progress_xlsx_export_then_import_changes_nothing(admin_browser, demo):
    """The same round trip through XLSX."""
    exported = export(admin_browser, "progress", demo, XLSX)
    before = plan_snapshot(demo)
    checked = check_progress_sheet(admin_browser, exported.content, "progress.xlsx", plan=demo)
    assert confirm(admin_browser, checked, "progress").status_code == 302
    assert plan_snapshot(demo) == before


# Texts a spreadsheet would take for formulas (OWASP "CSV Injection"), and one that already begins with a quote.
FORMULA_LIKE_TEXTS = ["=1+1", "+abc", "-ভালো", "@SUM(A1)", "'=already quoted"]


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for cell in row]


def _opens_a_formula(cell: str) -> bool:
    """True for a cell a spreadsheet would read as a formula; ``--`` (a blank level) has nothing to compute."""
    return cell[:1] in {"=", "+", "-", "@", "\t", "\r"} and set(cell) != {"-"}


def give_formula_like_remarks(plan: ActionPlan) -> None:
    """Five recorded quarters and the not-applicable indicator's reason get texts that look like formulas."""
    recorded = (
        Progress.objects.filter(indicator__plan=plan).recorded().order_by("indicator__position", "quarter")
    )
    for progress, text in zip(recorded[: len(FORMULA_LIKE_TEXTS)], FORMULA_LIKE_TEXTS, strict=True):
        Progress.objects.filter(pk=progress.pk).update(remark=text)
    plan.indicators.filter(applicable=False).update(not_applicable_reason="=cmd|' /C calc'!A0")


def test_progress_csv_export_quotes_formula_like_remarks_and_imports_them_back_unchanged(admin_browser, demo):
    """The admin's CSV export writes remarks beginning with = + - @ after a single quote (OWASP), so no cell
    opens a formula; importing that file takes the quote off again and changes nothing."""
    give_formula_like_remarks(demo)
    exported = export(admin_browser, "progress", demo, CSV)
    cells = _csv_cells(exported.content)
    assert {"'=1+1", "'+abc", "'-ভালো", "'@SUM(A1)", "''=already quoted", "'=cmd|' /C calc'!A0"} <= set(cells)
    assert not [cell for cell in cells if _opens_a_formula(cell)]
    before = plan_snapshot(demo)

    checked = check_progress_sheet(admin_browser, exported.content, "progress.csv", plan=demo)
    assert checked.context["result"].totals["update"] == 0
    assert confirm(admin_browser, checked, "progress").status_code == 302
    assert plan_snapshot(demo) == before


def test_progress_xlsx_export_stores_formula_like_remarks_as_text_and_imports_them_back(admin_browser, demo):
    """The admin's XLSX export holds those remarks as string cells with the text unchanged, never formulas."""
    give_formula_like_remarks(demo)
    exported = export(admin_browser, "progress", demo, XLSX)
    cells = [cell for row in load_workbook(io.BytesIO(exported.content)).active.iter_rows() for cell in row]
    remarks = {cell.value: cell.data_type for cell in cells if cell.column == 4}
    assert {text: remarks.get(text) for text in FORMULA_LIKE_TEXTS} == dict.fromkeys(FORMULA_LIKE_TEXTS, "s")
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    before = plan_snapshot(demo)

    checked = check_progress_sheet(admin_browser, exported.content, "progress.xlsx", plan=demo)
    assert checked.context["result"].totals["update"] == 0
    assert confirm(admin_browser, checked, "progress").status_code == 302
    assert plan_snapshot(demo) == before


def test_plan_csv_export_quotes_formula_like_titles_and_imports_them_back_unchanged(admin_browser, demo):
    """Area, activity and indicator titles beginning with = + - @ go out after a quote, blank levels stay
    ``--``, and the export imported over the plan leaves every row as it was."""
    demo.areas.filter(code="2").update(title="-ভালো")
    demo.activities.filter(code="1.1").update(title="+abc")
    for indicator, text in zip(demo.indicators.order_by("position"), FORMULA_LIKE_TEXTS, strict=False):
        Indicator.objects.filter(pk=indicator.pk).update(title=text)
    exported = export(admin_browser, "indicator", demo, CSV)
    cells = _csv_cells(exported.content)
    assert {"'=1+1", "'+abc", "'-ভালো", "'@SUM(A1)", "''=already quoted", "--"} <= set(cells)
    assert not [cell for cell in cells if _opens_a_formula(cell)]
    before = plan_snapshot(demo)

    checked = check_plan_sheet(
        admin_browser, exported.content, "plan.csv", office="mofa", year="2022-23", replace=True
    )
    assert checked.context["result"].totals["skip"] == 12
    assert confirm(admin_browser, checked, "indicator").status_code == 302
    assert plan_snapshot(demo) == before


@pytest.mark.parametrize("name", ["plan.docx", "plan.xlsx"])
def test_admin_imports_the_cabinet_divisions_table_after_its_preview(admin_browser, demo, name):
    """Issue 13: the Cabinet Division's table from Word or Excel in the admin — the preview lists the 7
    indicators as read (codes from the title cells, unit labels), what the reading did and the warnings, writes
    nothing; the confirmation writes the plan."""
    from tests.plan_documents import cabinet_docx, cabinet_xlsx

    content = cabinet_docx() if name.endswith(".docx") else cabinet_xlsx()
    before = row_counts()
    data = {
        "resource": "0",
        "office": str(Office.objects.get(code="msw").pk),
        "fiscal_year": "2021-22",
        "import_file": _upload(content, name),
        "format": "2" if name.endswith(".docx") else XLSX,
    }
    checked = admin_browser.post(reverse("admin:indicators_indicator_import"), data)
    assert checked.status_code == 200
    result = checked.context["result"]
    assert not result.has_validation_errors() and not result.has_errors(), result.invalid_rows
    assert result.totals["new"] == 7
    page = checked.content.decode()
    assert "ফাইলটি যেভাবে পড়া হয়েছে" in page and "মন্ত্রিপরিষদ বিভাগের ছক" in page
    assert "শুধু অসাধারণ (১০০%) লক্ষ্যমাত্রা" in page
    assert "হাজার কোটি টাকা" in page
    assert row_counts() == before

    assert confirm(admin_browser, checked, "indicator").status_code == 302
    plan = ActionPlan.objects.get(office__code="msw", fiscal_year__start_year=2021)
    assert sorted(plan.indicators.values_list("code", flat=True)) == [
        "1.1.1", "1.1.2", "1.2.1", "এম.2.1.1", "এম.2.1.2", "এম.2.2.1", "এম.2.2.2",
    ]  # fmt: skip
    assert plan.indicators.get(code="এম.2.2.1").unit_label == "সংখ্যা (হাজার)"
