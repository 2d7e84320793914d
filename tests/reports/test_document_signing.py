"""The minutes, the Smart Bangladesh plan and the review of child offices as approved copies (issue 16.5): the
copy kept at approval carries the whole document's metadata and the office's signature over a visible block,
pdfsig and pyHanko find it valid; drafts carry the metadata, unsigned. The signed minutes are accepted as
evidence, and the annual report that carries them in its annex is still one valid document whose only
signature is its own."""

from __future__ import annotations

import datetime
import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from pypdf import PdfReader

from evidence.models import Evidence
from evidence.validators import check_evidence_bytes
from indicators.models import Role
from reports import minutes, signing
from reports import smart_plan as smart_service
from reports.models import Meeting, MeetingState, SmartPlan
from reports.rendering import render_report
from tests.reports.test_meetings import new_meeting, office_plan  # noqa: F401 (a fixture)
from tests.reports.test_smart_plan import INITIATIVE
from tests.reports.test_smart_plan import office as smart_office  # noqa: F401 (a fixture)
from tests.reports.test_subordinate_review import tree  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdfinfo(data: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {
        key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())
    }


def pdfsig(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "sig.pdf"
    path.write_bytes(data)
    run = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    return run.stdout + run.stderr


def pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def stored(evidence: Evidence) -> bytes:
    with evidence.file.open("rb") as handle:
        return handle.read()


def signature_widgets(data: bytes) -> list:
    reader = PdfReader(io.BytesIO(data))
    return [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/FT") == "/Sig"
    ]


def assert_metadata(data: bytes, tmp_path: Path, *, title: str, subject: str) -> None:
    info = pdfinfo(data, tmp_path)
    assert title in info["Title"]
    assert info["Subject"] == subject
    assert info["Author"]  # the office
    assert info["Keywords"]
    reader = PdfReader(io.BytesIO(data))
    assert reader.root_object["/Lang"] == "bn"
    assert b"<dc:title>" in reader.root_object["/Metadata"].get_object().get_data()


@pytest.fixture
def approved_minutes(office_plan):  # noqa: F811
    """Minutes approved by the chair in the browser, kept as evidence of the meetings indicator."""
    office, plan, indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    url = f"/meetings/own/{plan.fiscal_year.code}/{meeting.number}/"
    response = login(users[Role.CIO]).post(
        url, {"action": "approve", "version": "0", "indicator": str(indicator.pk)}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and meeting.evidence_id is not None
    return meeting, plan, users


def test_the_approved_minutes_are_signed_by_the_office_with_metadata(approved_minutes, tmp_path):
    meeting, _plan, _users = approved_minutes
    data = stored(meeting.evidence)
    status = signing.signature_status(data)
    assert status.ok and status.signer
    out = pdfsig(data, tmp_path)
    assert "Signature is Valid" in out and "Total document signed" in out
    assert_metadata(data, tmp_path, title="কার্যবিবরণী", subject=minutes.minutes_title(meeting))
    [widget] = signature_widgets(data)
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    assert (x1 - x0) > 150 and (y1 - y0) > 30  # over the visible block, not an invisible field
    text = pdftotext(data, tmp_path)
    assert "ডিজিটাল স্বাক্ষরিত" in text and "খসড়া" not in text


def test_the_download_of_approved_minutes_is_the_signed_copy_kept(approved_minutes):
    meeting, plan, users = approved_minutes
    url = f"/meetings/own/{plan.fiscal_year.code}/{meeting.number}.pdf"
    response = login(users[Role.OFFICER]).get(url)
    assert response.status_code == 200 and response.content == stored(meeting.evidence)


def test_minutes_approved_without_an_indicator_keep_their_signed_copy_and_download_it(office_plan, tmp_path):  # noqa: F811
    """No indicator chosen (the form's default) and none bound: the approved minutes are still kept, signed,
    and every download returns those bytes — never a fresh unsigned rendering."""
    office, plan, _indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    response = login(users[Role.CIO]).post(
        f"/meetings/own/{plan.fiscal_year.code}/{meeting.number}/", {"action": "approve", "version": "0"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and meeting.evidence_id is None
    kept = Path(meeting.approved_file.path).read_bytes()
    assert hashlib.sha256(kept).hexdigest() == meeting.approved_sha256
    assert signing.signature_status(kept).ok and "Signature is Valid" in pdfsig(kept, tmp_path)
    url = f"/meetings/own/{plan.fiscal_year.code}/{meeting.number}.pdf"
    first, second = (login(users[Role.OFFICER]).get(url) for _ in range(2))
    assert first.content == second.content == kept


def test_a_smart_plan_approved_without_an_indicator_keeps_its_signed_copy(smart_office, tmp_path):  # noqa: F811
    found, year, _indicator, users = smart_office
    plan = smart_service.smart_plan_get_or_create(office=found, fiscal_year=year, user=users[Role.OFFICER])
    smart_service.smart_plan_update(
        smart_plan=plan, user=users[Role.OFFICER], expected_version=0, initiatives=[INITIATIVE]
    )
    response = login(users[Role.CIO]).post("/smart-plan/own/2023-24/", {"action": "approve", "version": "1"})
    assert response.status_code == 302
    plan = SmartPlan.objects.get(pk=plan.pk)
    assert plan.evidence_id is None and plan.approved_sha256
    kept = Path(plan.approved_file.path).read_bytes()
    assert signing.signature_status(kept).ok
    assert login(users[Role.REVIEWER]).get("/smart-plan/own/2023-24.pdf").content == kept
    page = login(users[Role.OFFICER]).get("/smart-plan/own/2023-24/").content.decode()
    assert "চিফ ইনোভেশন অফিসার কর্তৃক অনুমোদিত" in page and "সভাপতি কর্তৃক" not in page  # no chair here


def test_the_demo_documents_approved_on_paper_download_unsigned_and_final(demo, client):
    """Seed 003's plan and seed 004's meeting were signed on paper, before the system: nothing here signed
    them, so no copy is kept; their downloads are rendered final (no draft mark), never signed."""
    from reports.models import Meeting
    from tests.factories import MembershipFactory

    meeting = Meeting.objects.get(office__code="sid")
    assert not meeting.approved_file and not SmartPlan.objects.get(office__code="msw").approved_file
    user = get_user_model().objects.get(username="mofa.officer")
    MembershipFactory(user=user, office=meeting.office, role=Role.OFFICER)
    client.force_login(user)
    data = client.get(f"/meetings/sid/2022-23/{meeting.number}.pdf").content
    assert data.startswith(b"%PDF") and not signing.signature_status(data).signed


def test_draft_minutes_carry_the_metadata_unsigned_with_the_place_of_the_signature(office_plan, tmp_path):  # noqa: F811
    office, plan, _indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    data = minutes.render_minutes(meeting).pdf
    assert not signing.signature_status(data).signed
    assert_metadata(data, tmp_path, title="কার্যবিবরণী", subject=minutes.minutes_title(meeting))
    assert "ডিজিটাল স্বাক্ষর এখানে যুক্ত হবে" in pdftotext(data, tmp_path)


def test_the_signed_minutes_pass_the_evidence_check(approved_minutes):
    meeting, _plan, _users = approved_minutes
    checked = check_evidence_bytes(stored(meeting.evidence), max_bytes=20 * 1024 * 1024)
    assert checked.page_count >= 1


def test_the_annual_report_with_signed_minutes_in_its_annex_is_valid_and_signed_only_by_itself(
    approved_minutes, tmp_path
):
    _meeting, plan, _users = approved_minutes
    report = render_report(plan, "annual", 4, draft=False, signed=True)
    data = report.pdf
    status = signing.signature_status(data)
    assert status.ok and status.whole_file
    out = pdfsig(data, tmp_path)
    assert out.count("Signature #") == 1 and "Signature is Valid" in out
    # The minutes' own signature field does not come along: the one signature is the report's.
    widgets = signature_widgets(data)
    assert len(widgets) == 1
    assert "/AcroForm" in PdfReader(io.BytesIO(data)).root_object
    # The minutes' pages are in the annex, their text readable.
    text = pdftotext(data, tmp_path)
    assert "পর্যালোচনা সভার কার্যবিবরণী" in text and "ডিজিটাল স্বাক্ষরিত" in text
    assert int(pdfinfo(data, tmp_path)["Pages"]) == report.pages
    # The draft of the same report renders too (no signature at all).
    assert not signing.signature_status(render_report(plan, "annual", 4, draft=True).pdf).signed


def test_the_approved_smart_plan_is_signed_with_metadata(smart_office, tmp_path):  # noqa: F811
    found, year, indicator, users = smart_office
    plan = smart_service.smart_plan_get_or_create(office=found, fiscal_year=year, user=users[Role.OFFICER])
    smart_service.smart_plan_update(
        smart_plan=plan,
        user=users[Role.OFFICER],
        expected_version=0,
        initiatives=[INITIATIVE],
        letter_date=datetime.date(2024, 3, 25),
    )
    draft = smart_service.render_smart_plan(plan).pdf
    title = smart_service.smart_plan_title(found, year)
    assert_metadata(draft, tmp_path, title=title, subject=title)
    assert not signing.signature_status(draft).signed
    response = login(users[Role.CIO]).post(
        "/smart-plan/own/2023-24/", {"action": "approve", "version": "1", "indicator": str(indicator.pk)}
    )
    assert response.status_code == 302
    plan = SmartPlan.objects.get(pk=plan.pk)
    data = stored(plan.evidence)
    assert signing.signature_status(data).ok
    assert "Signature is Valid" in pdfsig(data, tmp_path)
    assert_metadata(data, tmp_path, title=title, subject=title)
    download = login(users[Role.REVIEWER]).get("/smart-plan/own/2023-24.pdf")
    assert download.status_code == 200 and download.content == data


def test_the_review_of_child_offices_kept_as_evidence_is_signed_with_metadata(tree, tmp_path):  # noqa: F811
    from tests.factories import MembershipFactory, UserFactory

    officer = UserFactory(username="parent.officer")
    MembershipFactory(user=officer, office=tree["parent"], role=Role.OFFICER)
    response = login(officer).post("/review/children/parent/2022-23/q2/", {"indicator": str(tree["own"].pk)})
    assert response.status_code == 302
    kept = Evidence.objects.get(indicator=tree["own"])
    data = stored(kept)
    status = signing.signature_status(data)
    assert status.ok
    assert "Signature is Valid" in pdfsig(data, tmp_path)
    info = pdfinfo(data, tmp_path)
    assert "পর্যালোচনা" in info["Subject"] and info["Author"] == tree["parent"].name_bn
    # The download is a working copy: metadata, no signature.
    draft = login(officer).get("/review/children/parent/2022-23/q2.pdf").content
    assert not signing.signature_status(draft).signed and "পর্যালোচনা" in pdfinfo(draft, tmp_path)["Subject"]


def test_minutes_of_an_imported_meeting_render_final_without_a_signature(office_plan, tmp_path):  # noqa: F811
    office, plan, _indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.APPROVED)
    meeting.refresh_from_db()
    data = minutes.render_minutes(meeting).pdf
    assert not signing.signature_status(data).signed
    assert "স্বাক্ষর এখানে" not in pdftotext(data, tmp_path)


def test_verify_reports_validates_the_kept_documents_signatures(approved_minutes, capsys):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from tests.reports.test_signing import _tamper

    meeting, _plan, _users = approved_minutes
    call_command("verify_reports", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["document_signatures_valid"] == 1 and result["unsigned_documents"] == 0

    assert result["documents_checked"] == 1  # the copy kept on the meeting (its evidence is the same bytes)

    meeting.refresh_from_db()
    for path in (Path(meeting.evidence.file.path), Path(meeting.approved_file.path)):
        path.write_bytes(_tamper(path.read_bytes()))
    with pytest.raises(CommandError):
        call_command("verify_reports", "--json")
    result = json.loads(capsys.readouterr().out)
    assert {(p["type"], p["problem"]) for p in result["problems"]} == {
        ("evidence", "mismatch"),
        ("document", "mismatch"),
        ("document", "signature"),
    }


def test_verify_reports_counts_an_unsigned_kept_copy_without_failing(office_plan, capsys):  # noqa: F811
    """Minutes approved with signing off (or before copies were signed) are counted, not a problem."""
    import json

    from django.core.management import call_command

    from reports import meetings

    office, plan, indicator, users = office_plan
    meeting = new_meeting(office, plan, users[Role.OFFICER])
    meetings.meeting_approve(
        meeting=meeting,
        user=users[Role.CIO],
        expected_version=0,
        pdf=minutes.render_minutes(meeting, draft=False).pdf,
        indicator=indicator,
    )
    call_command("verify_reports", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["unsigned_documents"] == 1 and result["document_signatures_valid"] == 0
