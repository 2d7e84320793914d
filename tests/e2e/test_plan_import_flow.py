"""The plan imported in a real browser (issue 13): an officer uploads the Cabinet Division's table as kept in
Excel and in Word, reads the preview (each row, notices, warnings), confirms, and lands on the scored plan.

Screenshots of every step: var/screenshots/test_plan_import_upload_preview_confirm*/.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from indicators.models import ActionPlan
from tests.e2e.conftest import sign_in
from tests.plan_documents import cabinet_docx, cabinet_xlsx

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_live(transactional_db):
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("name", "make", "mime"),
    [
        (
            "plan.xlsx",
            cabinet_xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "plan.docx",
            cabinet_docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_plan_import_upload_preview_confirm(demo_live, new_page, shots, name, make, mime):
    """Upload → preview (7 rows with their file rows, the single-target and direction warnings, the ignored
    columns) with nothing written → confirm → the plan page with the 7 indicators and their unit labels."""
    page = new_page()
    sign_in(page, "msw.officer")
    page.goto("/plans/msw/2021-22/import/")
    shots(page, "upload-form")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": mime, "buffer": make()}])
    page.click("#preview-import")
    page.wait_for_selector("#import-preview")
    shots(page, "preview")
    assert page.locator("tr.preview-row").count() == 7
    text = page.locator("#import-preview").inner_text()
    assert "মন্ত্রিপরিষদ বিভাগের ছক" in text
    assert "শুধু অসাধারণ (১০০%) লক্ষ্যমাত্রা ৪০" in text
    assert "নিম্নমুখী" in text and "দায়িত্বপ্রাপ্ত শাখা" in text
    assert "হাজার কোটি টাকা (সংখ্যা)" in text
    assert not ActionPlan.objects.filter(office__code="msw", fiscal_year__start_year=2021).exists()

    page.click("#confirm-import")
    page.wait_for_url(re.compile(r".*/plans/msw/2021-22/$"))
    shots(page, "plan-page")
    body = page.locator("main").inner_text()
    assert "কর্মপরিকল্পনা তৈরি হয়েছে" in body
    assert "রাজস্ব আদায়" in body and "এম.২.২.২" in body
    plan = ActionPlan.objects.get(office__code="msw", fiscal_year__start_year=2021)
    assert plan.indicators.count() == 7
    assert plan.indicators.get(code="এম.2.2.1").unit_label == "সংখ্যা (হাজার)"


def test_plan_import_bad_file_shows_rows_and_writes_nothing(demo_live, new_page, shots):
    from tests.plan_documents import plan_rows

    rows = plan_rows()
    rows[0][8] = "০৭/০২/২০২"
    page = new_page()
    sign_in(page, "msw.officer")
    page.goto("/plans/msw/2021-22/import/")
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "plan.xlsx", "mimeType": "application/octet-stream", "buffer": cabinet_xlsx(rows=rows)}
        ],
    )
    page.click("#preview-import")
    page.wait_for_selector("#import-errors")
    shots(page, "errors")
    text = page.locator("#import-errors").inner_text()
    assert "আমদানি হয়নি" in text and "০৭/০২/২০২" in text
    assert page.locator("#confirm-import").count() == 0
    assert not ActionPlan.objects.filter(office__code="msw", fiscal_year__start_year=2021).exists()
