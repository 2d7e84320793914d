"""The approved copy is signed (issue 15.2, DESIGN.md §6 "Signed"): a PAdES signature of the approving office,
validated by pdfsig and by pyHanko (verify_reports, the plan page), broken by any change to the file."""

from __future__ import annotations

import io
import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from base.errors import DomainError
from indicators.models import Office
from reports import pdf as report_pdf
from reports import signing
from reports.models import ApprovedReport
from tests.reports.test_report_downloads import move, pdf_text

PLAN_PAGE = "/plans/mofa/2022-23/"


@pytest.fixture
def inline_jobs(settings):
    settings.REPORT_JOBS_MODE = "inline"


@pytest.fixture
def approved_q1(demo, inline_jobs) -> ApprovedReport:
    """Q1 approved by the CIO: its quarterly report (with its letter) rendered, signed and kept."""
    move(demo, 1, "submit", "approve")
    return ApprovedReport.objects.get(
        approval__period__plan=demo, approval__period__quarter=1, kind="quarterly"
    )


def _stored(report: ApprovedReport) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def _pdfsig(path: Path, *extra: str) -> str:
    run = subprocess.run(["pdfsig", *extra, str(path)], capture_output=True, text=True)
    return run.stdout + run.stderr


def _tamper(data: bytes) -> bytes:
    """One byte changed inside the first content stream (covered by the signature's byte range)."""
    changed = bytearray(data)
    at = data.index(b"stream\n") + 40
    changed[at] ^= 0x01
    return bytes(changed)


def test_the_approved_copy_is_signed_by_the_office_and_pdfsig_finds_it_valid(approved_q1, tmp_path):
    data = _stored(approved_q1)
    path = tmp_path / "q1.pdf"
    path.write_bytes(data)
    out = _pdfsig(path)
    assert "Signature is Valid" in out
    assert "Total document signed" in out
    assert "Ministry of Foreign Affairs" in out  # the approving office's certificate
    assert "ETSI.CAdES.detached" in out  # PAdES

    status = signing.signature_status(data)
    assert status.ok and status.signer == "Ministry of Foreign Affairs"
    assert approved_q1.sha256 == __import__("hashlib").sha256(data).hexdigest()  # the signed bytes are kept


@pytest.mark.skipif(shutil.which("certutil") is None, reason="certutil (libnss3-tools) is not installed")
def test_pdfsig_trusts_the_demo_ca_once_it_is_in_an_nss_database(approved_q1, tmp_path):
    """How a person checks the demo signature as trusted: the demo CA imported into an NSS database."""
    path = tmp_path / "q1.pdf"
    path.write_bytes(_stored(approved_q1))
    assert "Certificate is Trusted" not in _pdfsig(path, "-nssdir", f"sql:{tmp_path}")
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    _, ca = signing.demo_ca_paths()
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "APA demo CA", "-t", "C,C,C", "-i", str(ca)], check=True
    )
    out = _pdfsig(path, "-nssdir", f"sql:{nss}")
    assert "Signature is Valid" in out and "Certificate is Trusted" in out


def test_the_letter_shows_a_visible_signature_block_under_the_signature_field(approved_q1, tmp_path):
    data = _stored(approved_q1)
    reader = PdfReader(io.BytesIO(data))
    widgets = [
        (index, annotation.get_object())
        for index, page in enumerate(reader.pages)
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/FT") == "/Sig"
    ]
    assert len(widgets) == 1
    index, widget = widgets[0]
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    assert (x1 - x0) > 150 and (y1 - y0) > 30  # the 66 × 14 mm block, not an invisible field
    text = pdf_text(data, tmp_path, page=index + 1)
    assert "স্মারক নম্বর" in text  # the letter's page
    assert "ডিজিটাল স্বাক্ষরিত" in text and "পররাষ্ট্র মন্ত্রণালয়" in text
    # The words lie inside the widget's rectangle (pdftotext -bbox gives word boxes in points, top-down).
    height = float(reader.pages[index].mediabox.height)
    box = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(index + 1), "-l", str(index + 1), str(tmp_path / "r.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(row for row in box.splitlines() if "ডিজিটাল" in row)
    word_y = float(line.split('yMin="')[1].split('"')[0])
    assert y0 <= height - word_y <= y1


def test_a_draft_is_not_signed_and_shows_where_the_signature_will_go(demo, tmp_path):
    from reports.rendering import render_report

    draft = render_report(demo, "quarterly", 1, draft=True).pdf
    assert not signing.signature_status(draft).signed
    assert "ডিজিটাল স্বাক্ষর এখানে যুক্ত হবে" in " ".join(pdf_text(draft, tmp_path).split())


def test_a_tampered_copy_is_invalid_for_pdfsig_pyhanko_and_verify_reports(approved_q1, tmp_path, capsys):
    tampered = _tamper(_stored(approved_q1))
    path = tmp_path / "tampered.pdf"
    path.write_bytes(tampered)
    out = _pdfsig(path)
    assert "Signature is Valid" not in out
    assert not signing.signature_status(tampered).ok

    storage_path = Path(approved_q1.file.path)
    storage_path.write_bytes(tampered)
    with pytest.raises(CommandError):
        call_command("verify_reports", "--json")
    result = json.loads(capsys.readouterr().out)
    problems = {problem["problem"] for problem in result["problems"]}
    assert problems == {"mismatch", "signature"}


def test_a_copy_with_something_appended_after_signing_is_invalid(approved_q1):
    data = _stored(approved_q1) + b"\n% appended after signing\n"
    status = signing.signature_status(data)
    assert status.signed and not status.ok and not status.whole_file


def test_verify_reports_validates_the_signatures(approved_q1, capsys):
    call_command("verify_reports", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["signatures_valid"] == 1 and result["unsigned_reports"] == 0


def test_the_plan_page_shows_signer_and_validity_to_members_and_the_reviewer(approved_q1, client):
    client.force_login(approved_q1.approval.approved_by)
    page = client.get(PLAN_PAGE).content.decode()
    assert "ডিজিটাল স্বাক্ষর বৈধ" in page and "Ministry of Foreign Affairs" in page

    move(approved_q1.approval.period.plan, 1, "send")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="cabinet.reviewer"))
    page = client.get(PLAN_PAGE).content.decode()
    assert "ডিজিটাল স্বাক্ষর বৈধ" in page and "Ministry of Foreign Affairs" in page

    Path(approved_q1.file.path).write_bytes(_tamper(_stored(approved_q1)))
    page = client.get(PLAN_PAGE).content.decode()
    assert "ডিজিটাল স্বাক্ষর অবৈধ" in page


def test_the_plan_page_and_its_signatures_stay_private(approved_q1, client):
    assert client.get(PLAN_PAGE).status_code == 302  # anonymous: to sign-in
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="msw.officer"))
    response = client.get(PLAN_PAGE)
    assert response.status_code in (403, 404)
    assert "Ministry of Foreign Affairs" not in response.content.decode()


def test_demo_keys_are_made_on_demand_outside_the_repository_and_private(db, settings, tmp_path):
    settings.REPORT_SIGNING_DIR = tmp_path / "keys"
    office = Office.objects.create(
        code="demo-office", name_bn="নমুনা দপ্তর", name_en="Demo Office", kind="ministry"
    )
    signed = signing.sign_pdf(report_pdf.html_to_pdf("<p>নমুনা</p>"), office=office, box=None)
    assert signing.signature_status(signed).ok
    key, ca = signing.demo_ca_paths()
    office_file = tmp_path / "keys" / "offices" / "demo-office.p12"
    assert key.exists() and ca.exists() and office_file.exists()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(office_file.stat().st_mode) == 0o600
    # The default folder is var/signing, which git ignores (and backups hold only database rows and the
    # files they refer to).
    default = Path(settings.BASE_DIR) / "var" / "signing" / "demo-ca.key"
    ignored = subprocess.run(["git", "check-ignore", "-q", str(default)], cwd=settings.BASE_DIR)
    assert ignored.returncode == 0


def _office_pkcs12(folder: Path, office: Office, password: bytes) -> Path:
    """A PKCS#12 as production would configure it (here issued by the demo CA of another folder)."""
    key, cert, chain = signing.demo_office_credentials(office)
    path = folder / f"{office.code}.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"x", key, cert, chain, serialization.BestAvailableEncryption(password)
        )
    )
    (folder / "roots.pem").write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain))
    return path


def test_production_signs_with_the_offices_configured_pkcs12(db, settings, tmp_path, monkeypatch):
    office = Office.objects.create(
        code="prod-office", name_bn="দপ্তর", name_en="Production Office", kind="ministry"
    )
    settings.REPORT_SIGNING_DIR = tmp_path / "made-elsewhere"
    configured = tmp_path / "pkcs12"
    configured.mkdir()
    _office_pkcs12(configured, office, b"s3cret")
    settings.REPORT_SIGNING = "pkcs12"
    settings.REPORT_SIGNING_PKCS12_DIR = str(configured)
    settings.REPORT_SIGNING_TRUST_ROOTS = str(configured / "roots.pem")
    monkeypatch.setenv("APA_SIGNING_PKCS12_PASSWORD_PROD_OFFICE", "s3cret")
    signed = signing.sign_pdf(report_pdf.html_to_pdf("<p>নমুনা</p>"), office=office, box=None)
    status = signing.signature_status(signed)
    assert status.ok and status.signer == "Production Office"

    monkeypatch.setenv("APA_SIGNING_PKCS12_PASSWORD_PROD_OFFICE", "wrong")
    with pytest.raises(DomainError, match="খোলা যায়নি"):
        signing.sign_pdf(b"", office=office, box=None)
    other = Office.objects.create(code="no-cert", name_bn="অন্য দপ্তর", kind="ministry")
    with pytest.raises(DomainError, match="কনফিগার করা হয়নি"):
        signing.sign_pdf(b"", office=other, box=None)


def test_a_signature_from_an_untrusted_ca_is_not_ok(db, settings, tmp_path):
    office = Office.objects.create(code="elsewhere", name_bn="দপ্তর", name_en="Elsewhere", kind="ministry")
    settings.REPORT_SIGNING_DIR = tmp_path / "one"
    signed = signing.sign_pdf(report_pdf.html_to_pdf("<p>নমুনা</p>"), office=office, box=None)
    settings.REPORT_SIGNING_DIR = tmp_path / "two"
    signing.demo_ca()  # another demo CA: the one trusted now
    status = signing.signature_status(signed)
    assert status.intact and status.valid and not status.trusted and not status.ok


def test_settings_read_the_signing_mode_from_the_environment():
    assert settings.REPORT_SIGNING in {"demo", "pkcs12", "off"}
