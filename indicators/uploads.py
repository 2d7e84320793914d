"""What a sheet file is (plan, progress, offices — DESIGN.md §7), decided by its content, never its name.

One check for every way a sheet arrives — ``import_plan``, ``import_progress``, ``import_offices`` and the
admin's import form — so that a file is refused with the same words everywhere, before any reader parses it:

- at most ``SHEET_MAX_BYTES`` (settings; default 5 MB);
- XLSX: a ZIP holding ``[Content_Types].xml`` and ``xl/workbook.xml`` of a SpreadsheetML workbook; no macros
  (``vbaProject.bin``, ``.xlsm``), no other ZIP (a .docx, a .jar), no legacy or encrypted Excel file (OLE2),
  at most ten times ``SHEET_MAX_BYTES`` once unpacked (a zip bomb is refused from its directory, before
  anything is decompressed), and no DTD in its XML (entity expansion);
- DOCX (a plan kept as a Word table, issue 13): a ZIP holding ``[Content_Types].xml`` and ``word/document.xml``
  of a WordprocessingML document, checked as a workbook is (no macros, no zip bomb, no DTD); a file named as a
  workbook must be one;
- CSV: UTF-8 with or without BOM (or UTF-16 with a BOM, as Excel's "Unicode text" writes it), without NUL
  characters — a binary file is not a CSV.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from django.conf import settings

from base.errors import DomainError

XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, and password-protected .xlsx
XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
DOCX_REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
WORKBOOK_NAMES = (".xlsx", ".xlsm", ".xls")
XLSX_MAX_PARTS = 10_000
XLSX_EXPANSION = 10  # unpacked size allowed, as a multiple of SHEET_MAX_BYTES
XML_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
CSV_BOMS_UTF16 = (b"\xff\xfe", b"\xfe\xff")


class SheetUnreadable(DomainError):
    pass


CSV_OR_XLSX_BN = "CSV (UTF-8), XLSX বা Word (.docx) ফাইল দিন।"
CSV_OR_XLSX_EN = "upload a CSV (UTF-8), XLSX or Word (.docx) file."


def sheet_max_bytes() -> int:
    return settings.SHEET_MAX_BYTES


def sheet_too_large() -> SheetUnreadable:
    """The refusal of a sheet over ``SHEET_MAX_BYTES``."""
    megabytes = f"{sheet_max_bytes() / (1024 * 1024):g}"
    return SheetUnreadable(
        f"ফাইলটি অনেক বড়: ছকের জন্য সর্বোচ্চ {megabytes} MB গ্রহণযোগ্য।",
        f"The file is too large: sheets of at most {megabytes} MB are accepted.",
    )


def check_sheet_size(size: int | None) -> None:
    """Refuse a sheet larger than ``SHEET_MAX_BYTES`` (None: not known yet, checked when read)."""
    if size is not None and size > sheet_max_bytes():
        raise sheet_too_large()


def check_sheet_bytes(data: bytes, *, name: str = "") -> str:
    """``"xlsx"``, ``"docx"`` or ``"csv"``: what the file is by content; SheetUnreadable, in Bangla and English,
    if it is none of them or is refused. ``name`` only refuses a Word document named as a workbook, and improves
    the message for a file that claims to be a workbook."""
    check_sheet_size(len(data))
    if data.startswith(OLE2_MAGIC):
        raise SheetUnreadable(
            "পুরোনো .xls (Excel 97-2003) বা পাসওয়ার্ড-সুরক্ষিত Excel ফাইল গ্রহণযোগ্য নয়; "
            "সুরক্ষা ছাড়া 'Excel Workbook (.xlsx)' হিসেবে সংরক্ষণ করুন।",
            "Legacy .xls (Excel 97-2003) or password-protected Excel files are not accepted; "
            "save it as 'Excel Workbook (.xlsx)' without a password.",
        )
    if data.startswith(XLSX_MAGIC):
        return _check_package(data, workbook_name=name.lower().endswith(WORKBOOK_NAMES))
    if name.lower().endswith(WORKBOOK_NAMES):
        raise SheetUnreadable(
            "ফাইলটি XLSX নয় বা ভাঙা; Excel-এ 'Excel Workbook (.xlsx)' হিসেবে আবার সংরক্ষণ করুন।",
            "The file is not a valid XLSX workbook; save it again as 'Excel Workbook (.xlsx)'.",
        )
    decode_csv(data)
    return "csv"


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a BOM is dropped) or UTF-16 with its BOM; no NUL characters."""
    if data.startswith(CSV_BOMS_UTF16):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _not_utf8() from exc
    else:
        if b"\x00" in data:
            raise _nul_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _not_utf8() from exc
    if "\x00" in text:
        raise _nul_bytes()
    return text


def _not_utf8() -> SheetUnreadable:
    return SheetUnreadable(
        "CSV ফাইলটি UTF-8 এনকোডিংয়ে নয়; Excel-এ 'CSV UTF-8' হিসেবে সংরক্ষণ করুন।",
        "The CSV file is not UTF-8; save it as 'CSV UTF-8' in Excel.",
    )


def _nul_bytes() -> SheetUnreadable:
    # A program, an image or UTF-16 without its BOM: none of them is a CSV.
    return SheetUnreadable(
        "ফাইলটিতে NUL (শূন্য) বাইট আছে, তাই এটি CSV লেখা নয়; Excel-এ 'CSV UTF-8' বা .xlsx হিসেবে সংরক্ষণ করুন।",
        "The file contains NUL bytes, so it is not CSV text; save it as 'CSV UTF-8' or .xlsx in Excel.",
    )


def _not_a_workbook(detail: str) -> SheetUnreadable:
    return SheetUnreadable(
        "ফাইলটি ZIP, কিন্তু Excel ওয়ার্কবুক (.xlsx) নয়; " + CSV_OR_XLSX_BN,
        f"The file is a ZIP archive but not an Excel workbook (.xlsx) ({detail}); " + CSV_OR_XLSX_EN,
    )


def unreadable_xlsx(detail: object) -> SheetUnreadable:
    return SheetUnreadable(
        "XLSX ফাইলটি খোলা যায়নি (ভাঙা বা অন্য ধরনের ফাইল)।",
        f"The XLSX workbook could not be opened: {detail}",
    )


def _check_package(data: bytes, *, workbook_name: bool) -> str:
    """An Office package (ZIP): ``"xlsx"`` for a workbook, ``"docx"`` for a Word document, checked alike."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise unreadable_xlsx(exc) from exc
    with archive:
        parts = archive.infolist()
        names = [part.filename for part in parts]
        if len(parts) > XLSX_MAX_PARTS or len(set(names)) != len(names):
            # Thousands of parts, or two with one name (readers disagree on which one counts).
            raise _not_a_workbook("too many or duplicate parts")
        kind = "xlsx"
        missing = [part for part in XLSX_REQUIRED_PARTS if part not in names]
        if missing and not workbook_name and all(part in names for part in DOCX_REQUIRED_PARTS):
            kind, missing = "docx", []
        if missing:
            raise _not_a_workbook(f"no {', '.join(missing)}")
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise _macros()
        unpacked = sum(part.file_size for part in parts)
        limit = XLSX_EXPANSION * sheet_max_bytes()
        if unpacked > limit:
            # Python's zipfile never unpacks more than the sizes the directory declares (it stops there
            # and fails the CRC), so this sum bounds what openpyxl can be made to read.
            raise SheetUnreadable(
                "XLSX ফাইলটির ভেতরের তথ্য খোলার পরে অস্বাভাবিক বড় হয়; এমন ফাইল গ্রহণযোগ্য নয়।",
                f"The XLSX workbook unpacks to {unpacked} bytes (at most {limit} are accepted).",
            )
        for part in parts:
            if part.flag_bits & 0x1 or part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _not_a_workbook(f"{part.filename}: encrypted or unusual compression")
        try:
            content_types = archive.read("[Content_Types].xml")
            if b"macroEnabled" in content_types:
                raise _macros()
            if kind == "xlsx" and b"spreadsheetml" not in content_types:
                raise _not_a_workbook("not a SpreadsheetML package")
            if kind == "docx" and b"wordprocessingml" not in content_types:
                raise _not_a_workbook("not a WordprocessingML package")
            # Every part, whatever its name: openpyxl reads the parts the relationships point to, and those
            # may be named anything (the unpacked-size cap above already bounds what this reads).
            for part in parts:
                if not part.is_dir():
                    _refuse_dtd(archive, part)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise unreadable_xlsx(exc) from exc
    return kind


def _macros() -> SheetUnreadable:
    return SheetUnreadable(
        "ম্যাক্রো-সহ ওয়ার্কবুক (.xlsm) গ্রহণযোগ্য নয়; ম্যাক্রো ছাড়া 'Excel Workbook (.xlsx)' হিসেবে সংরক্ষণ করুন।",
        "Workbooks with macros (.xlsm) are not accepted; save it as 'Excel Workbook (.xlsx)' without macros.",
    )


def _refuse_dtd(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Read the whole part (which checks its CRC) and refuse a DTD: Excel never writes one, and entity
    declarations are how an XML file expands to gigabytes or reads other files."""
    overlap = max(len(marker) for marker in XML_DTD_MARKERS) - 1
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1024 * 1024):
            window = tail + chunk
            if any(marker in window for marker in XML_DTD_MARKERS):
                raise SheetUnreadable(
                    "XLSX ফাইলটির ভেতরে অননুমোদিত XML ঘোষণা (DTD) আছে; Excel-এ আবার সংরক্ষণ করুন।",
                    f"The XLSX workbook has a DTD in {part.filename}, which Excel never writes; save it again.",
                )
            tail = window[-overlap:]
