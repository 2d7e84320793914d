"""Hostile sheet files (DESIGN.md §7, issue 5): a plan or progress sheet is CSV (UTF-8) or XLSX by content,
refused otherwise with the same Bangla and English words on the command line and in the admin, before any
reader parses it, and nothing is written or left in a temporary folder.

Built here: ZIPs that are not workbooks, macro workbooks, legacy .xls, a zip bomb, XML with a DTD, truncated
workbooks, CSV with NUL bytes or in the wrong encoding, executables and images named .csv, oversize files.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage

from evidence.models import Evidence
from indicators.models import ActionPlan, HistoryEntry, Indicator, Office, Progress
from indicators.sheets import read_sheet_bytes, xlsx_bytes
from indicators.uploads import SheetUnreadable, check_sheet_bytes
from tests.factories import DEMO_DIR
from tests.files import zip_bytes as _zip

MAX_BYTES = 64 * 1024
CSV, XLSX = "0", "1"  # the admin's import formats, in the order it offers them
BOUNDARY = "----apa-sheet-boundary-Q2hlY2s"


# --- building files --------------------------------------------------------------------------------


def _workbook() -> bytes:
    return xlsx_bytes(["সূচক নং", "ত্রৈমাসিক", "অর্জন"], [["1.1.1", "1", "80%"]])


def _workbook_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(_workbook())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _workbook_with(changes: dict[str, bytes]) -> bytes:
    """A real workbook with parts added or replaced."""
    return _zip({**_workbook_parts(), **changes})


def _macro_content_types() -> bytes:
    types = _workbook_parts()["[Content_Types].xml"]
    return types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
)
CSV_TEXT = "সূচক নং,ত্রৈমাসিক,অর্জন\n1.1.1,1,80%\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"

NOT_A_WORKBOOK = "Excel ওয়ার্কবুক (.xlsx) নয়"
# Each refused file: (name, bytes, words of the Bangla reason).
REFUSED = {
    "zip-of-text-named-xlsx": ("plan.xlsx", _zip({"hello.txt": b"hi"}), NOT_A_WORKBOOK),
    "word-document-named-xlsx": (
        "plan.xlsx",
        _zip(
            {
                "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-'
                b'officedocument.wordprocessingml.document.main+xml"/></Types>',
                "word/document.xml": b"<w:document/>",
            }
        ),
        NOT_A_WORKBOOK,
    ),
    "binary-workbook-xlsb": (
        "plan.xlsx",
        _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"}),
        NOT_A_WORKBOOK,
    ),
    "zip-with-workbook-name-but-no-spreadsheetml": (
        "plan.xlsx",
        _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
        NOT_A_WORKBOOK,
    ),
    "xlsm-with-vba-project": (
        "plan.xlsm",
        _workbook_with({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}),
        "ম্যাক্রো",
    ),
    "xlsm-renamed-xlsx": (
        "plan.xlsx",
        _workbook_with({"[Content_Types].xml": _macro_content_types()}),
        "ম্যাক্রো",
    ),
    "legacy-xls": ("plan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000, ".xls (Excel 97-2003)"),
    "zip-bomb": (
        "plan.xlsx",
        _workbook_with({"xl/media/padding.bin": b"\x00" * (11 * MAX_BYTES)}),
        "অস্বাভাবিক বড়",
    ),
    "xml-with-dtd": ("plan.xlsx", _workbook_with({"xl/sharedStrings.xml": BILLION_LAUGHS}), "DTD"),
    "truncated-xlsx": ("plan.xlsx", _workbook()[: len(_workbook()) // 2], "খোলা যায়নি"),
    "csv-with-nul-bytes": ("plan.csv", CSV_TEXT.replace("80%", "8\x000%").encode(), "NUL"),
    "csv-utf16-without-bom": ("plan.csv", CSV_TEXT.encode("utf-16-le"), "NUL"),
    "csv-in-latin1": ("plan.csv", "code,name\nx,Café\n".encode("latin-1"), "UTF-8"),
    "elf-named-csv": ("plan.csv", ELF, "NUL"),
    "png-named-csv": ("plan.csv", PNG, "NUL"),
    "pdf-named-csv": ("plan.csv", PDF, "UTF-8"),
    "text-named-xlsx": ("plan.xlsx", CSV_TEXT.encode(), "XLSX নয়"),
    "oversize-csv": ("plan.csv", (CSV_TEXT * (MAX_BYTES // len(CSV_TEXT.encode()) + 2)).encode(), "অনেক বড়"),
}


def _row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (ActionPlan, Indicator, Progress, HistoryEntry, Evidence, Office)
    }


def _leftovers(tmp_path: Path) -> list[Path]:
    return sorted([*(tmp_path / "upload-tmp").iterdir(), *(tmp_path / "ie-tmp").iterdir()])


@pytest.fixture(autouse=True)
def _small_limits(settings, tmp_path, monkeypatch):
    """A 64 KiB sheet limit; uploads over 1 KiB spooled to a folder of the test's own, and import-export's
    temporary copies (tempfile.gettempdir()) in another, so that anything left behind shows."""
    settings.SHEET_MAX_BYTES = MAX_BYTES
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    (tmp_path / "ie-tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "ie-tmp"))


@pytest.fixture
def admin_client(client, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _upload(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def _check_plan_sheet(client: Client, content: bytes, name: str, **extra):
    data = {
        "resource": "0",
        "office": str(Office.objects.get(code="msw").pk),
        "fiscal_year": "2022-23",
        "import_file": _upload(content, name),
        "format": XLSX if name.endswith((".xlsx", ".xlsm", ".xls")) else CSV,
    }
    return client.post(reverse("admin:indicators_indicator_import"), data, **extra)


def _check_progress_sheet(client: Client, content: bytes, name: str, plan: ActionPlan):
    data = {
        "resource": "0",
        "plan": str(plan.pk),
        "import_file": _upload(content, name),
        "format": XLSX if name.endswith((".xlsx", ".xlsm", ".xls")) else CSV,
    }
    return client.post(reverse("admin:indicators_progress_import"), data)


def _form_error(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("import_file", []))


# --- the same refusal everywhere ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_sheet_is_refused_by_the_check_in_bangla_and_english(case):
    """check_sheet_bytes, the one check every route uses, refuses each file with a Bangla reason and an
    English one; the reader refuses it the same way."""
    name, data, reason = REFUSED[case]
    with pytest.raises(SheetUnreadable) as caught:
        check_sheet_bytes(data, name=name)
    assert reason in caught.value.message_bn
    assert caught.value.message_en
    with pytest.raises(SheetUnreadable) as read:
        read_sheet_bytes(data, name=name)
    assert read.value.message_bn == caught.value.message_bn


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_sheet_is_refused_by_import_plan_with_exit_status_1(demo, tmp_path, case):
    """import_plan exits with status 1 and the Bangla reason; no plan, indicator or history is written."""
    name, data, reason = REFUSED[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = _row_counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(path), office="msw", year="2022-23", stdout=io.StringIO())
    assert caught.value.returncode == 1
    assert reason in str(caught.value)
    assert _row_counts() == before


@pytest.mark.parametrize("case", ["xlsm-with-vba-project", "zip-bomb", "csv-with-nul-bytes", "oversize-csv"])
def test_hostile_sheet_is_refused_by_import_progress(demo, tmp_path, case):
    """import_progress uses the same check: exit status 1, the Bangla reason, no progress changed."""
    name, data, reason = REFUSED[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = _row_counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_progress", str(path), office="mofa", year="2022-23", stdout=io.StringIO())
    assert caught.value.returncode == 1
    assert reason in str(caught.value)
    assert _row_counts() == before


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_sheet_is_refused_on_the_admin_import_form(admin_client, tmp_path, monkeypatch, case):
    """The admin's plan import refuses each file on the form, with the Bangla and the English reason, before
    import-export keeps a copy: nothing written, no copy made, no temporary file left."""
    copies = []
    monkeypatch.setattr(TempFolderStorage, "save", lambda self, data: copies.append(data))
    name, data, reason = REFUSED[case]
    before = _row_counts()
    error = _form_error(_check_plan_sheet(admin_client, data, name))
    assert reason in error and " / " in error
    assert copies == []
    assert _row_counts() == before
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("case", ["word-document-named-xlsx", "xml-with-dtd", "elf-named-csv"])
def test_hostile_sheet_is_refused_on_the_admin_progress_import(admin_client, tmp_path, case):
    """The progress import form runs the same check."""
    name, data, reason = REFUSED[case]
    before = _row_counts()
    error = _form_error(
        _check_progress_sheet(admin_client, data, name, ActionPlan.objects.get(office__code="mofa"))
    )
    assert reason in error
    assert _row_counts() == before
    assert _leftovers(tmp_path) == []


# --- size, while the upload arrives ---------------------------------------------------------------------


def test_oversize_sheet_is_never_kept_whole_in_the_admin(admin_client, tmp_path, received_chunks):
    """In the admin the sheet limit acts while the upload arrives: the temporary upload file receives at
    most SHEET_MAX_BYTES, the form says the file is too large, and nothing is left."""
    data = CSV_TEXT.encode() + b"1.1.1,1,80%\n" * ((MAX_BYTES + 32 * 1024) // 12)
    error = _form_error(_check_plan_sheet(admin_client, data, "plan.csv"))
    assert "ফাইলটি অনেক বড়: ছকের জন্য সর্বোচ্চ 0.0625 MB গ্রহণযোগ্য।" in error
    assert 0 < sum(received_chunks) <= MAX_BYTES
    assert _leftovers(tmp_path) == []


def test_sheet_declared_too_large_is_refused_without_reading_the_body(admin_client, tmp_path):
    """A request whose Content-Length is over the sheet limit goes back to the import page with the reason,
    without its body being read."""
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="import_file"; filename="plan.csv"\r\n\r\n'
        f"{CSV_TEXT}\r\n--{BOUNDARY}--\r\n"
    ).encode()
    url = reverse("admin:indicators_indicator_import")
    response = admin_client.post(
        url,
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(100 * MAX_BYTES),
    )
    assert response.status_code == 302 and response["Location"] == url
    assert "ফাইলটি অনেক বড়" in admin_client.get(url).content.decode()
    assert _leftovers(tmp_path) == []


def test_two_sheets_in_one_upload_are_refused(admin_client, tmp_path):
    """One file per import: a request carrying two is refused whole and leaves nothing."""
    content = (DEMO_DIR / "plan.csv").read_bytes()
    data = {
        "resource": "0",
        "office": str(Office.objects.get(code="msw").pk),
        "fiscal_year": "2022-23",
        "import_file": [_upload(content, "a.csv"), _upload(content, "b.csv")],
        "format": CSV,
    }
    response = admin_client.post(reverse("admin:indicators_indicator_import"), data)
    assert "একবারে একটি ফাইল দিন।" in _form_error(response)
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert _leftovers(tmp_path) == []


def test_import_page_still_checks_the_csrf_token(demo):
    """The import view installs the size limit before the body is read (it is csrf_exempt for that); the
    admin's own wrapper still refuses a POST without a CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="admin"))
    before = _row_counts()
    response = _check_plan_sheet(client, (DEMO_DIR / "plan.csv").read_bytes(), "plan.csv")
    assert response.status_code == 403
    assert _row_counts() == before


def test_import_plan_reads_no_more_than_the_limit_from_a_device(demo):
    """A path that never ends (/dev/zero) is read only up to the limit and refused as too large."""
    with pytest.raises(CommandError, match="অনেক বড়"):
        call_command("import_plan", "/dev/zero", office="msw", year="2022-23", stdout=io.StringIO())


# --- temporary copies ---------------------------------------------------------------------------------------


def test_a_sheet_with_row_errors_leaves_no_temporary_copy(admin_client, tmp_path):
    """A sheet that is a real CSV but whose rows are wrong is refused after import-export copied it for the
    confirmation; since there is nothing to confirm, the copy is removed."""
    bad = (DEMO_DIR / "plan.csv").read_text(encoding="utf-8-sig").replace("অসাধারণ", "অজানা কলাম", 1)
    response = _check_plan_sheet(admin_client, bad.encode(), "plan.csv")
    assert response.status_code == 200
    assert response.context["result"].has_validation_errors() or response.context["result"].has_errors()
    assert response.context.get("confirm_form") is None
    assert _leftovers(tmp_path) == []


def test_an_accepted_sheet_is_kept_only_until_confirmed(admin_client, tmp_path):
    """A valid sheet's copy waits for the confirmation (the only leftover then), and goes with it."""
    response = _check_plan_sheet(admin_client, (DEMO_DIR / "plan.csv").read_bytes(), "plan.csv")
    form = response.context["confirm_form"]
    assert form is not None
    assert [p.parent.name for p in _leftovers(tmp_path)] == ["ie-tmp"]
    data = {field.html_name: str(field.value()) for field in form}
    assert admin_client.post(reverse("admin:indicators_indicator_process_import"), data).status_code == 302
    assert ActionPlan.objects.filter(office__code="msw").exists()
    assert _leftovers(tmp_path) == []


# --- what stays accepted ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(CSV_TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(CSV_TEXT.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(CSV_TEXT.encode("utf-16"), id="utf-16-with-bom"),
        pytest.param(_workbook(), id="xlsx"),
    ],
)
def test_ordinary_sheets_pass_the_check(data):
    """UTF-8 CSV with or without BOM, UTF-16 CSV with its BOM (Excel's "Unicode text") and a real XLSX pass."""
    assert check_sheet_bytes(data) in ("csv", "xlsx")
    assert read_sheet_bytes(data).rows == [(2, ["1.1.1", "1", "80%"])]
