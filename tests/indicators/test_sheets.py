"""Reading and writing the exchange sheets (DESIGN.md §7): CSV in its common encodings and XLSX."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from base.errors import DomainError
from indicators.sheets import (
    SheetUnreadable,
    csv_bytes,
    read_sheet,
    read_sheet_bytes,
    write_sheet,
    xlsx_bytes,
    xlsx_workbook_bytes,
)

HEADERS = ["সূচক নং", "ত্রৈমাসিক", "অর্জন", "মন্তব্য"]
ROWS = [
    ["[১.১.১]", "৪", "০৮/০৫/২০২৩", "ডিজিটাল আর্কাইভ, চালু"],
    ["[১.৩.১]", "১", "৮০%", ""],
]
CSV_TEXT = 'সূচক নং,ত্রৈমাসিক,অর্জন,মন্তব্য\n[১.১.১],৪,০৮/০৫/২০২৩,"ডিজিটাল আর্কাইভ, চালু"\n[১.৩.১],১,৮০%,\n'


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV encodings and shapes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(CSV_TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(CSV_TEXT.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(CSV_TEXT.encode("utf-16"), id="utf-16-bom"),
        pytest.param(b"\xfe\xff" + CSV_TEXT.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(CSV_TEXT.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
    ],
)
def test_csv_in_any_accepted_encoding_reads_the_same_cells(encoded):
    """UTF-8 with or without BOM and UTF-16 with BOM give the same headers and cells, BOM removed."""
    sheet = read_sheet_bytes(encoded, name="progress.csv")
    assert sheet.headers == HEADERS
    assert sheet.rows == [(2, ROWS[0]), (3, ROWS[1])]


def test_csv_semicolon_delimited_is_read_by_columns():
    """A semicolon-separated CSV (Excel in many locales) is split on ';', commas stay inside the cells."""
    text = "সূচক নং;ত্রৈমাসিক;অর্জন;মন্তব্য\n[১.১.১];৪;০৮/০৫/২০২৩;ক, খ, গ\n[১.৩.১];১;৮০%;ঘ, ঙ\n"
    sheet = read_sheet_bytes(text.encode("utf-8"), name="p.csv")
    assert sheet.headers == HEADERS
    assert sheet.rows == [
        (2, ["[১.১.১]", "৪", "০৮/০৫/২০২৩", "ক, খ, গ"]),
        (3, ["[১.৩.১]", "১", "৮০%", "ঘ, ঙ"]),
    ]


def test_csv_tab_delimited_is_read_by_columns():
    """A tab-separated file is split on tabs."""
    sheet = read_sheet_bytes("a\tb\n১\tক, খ\n".encode(), name="p.csv")
    assert sheet.headers == ["a", "b"]
    assert sheet.rows == [(2, ["১", "ক, খ"])]


def test_csv_blank_lines_are_skipped_but_row_numbers_follow_the_file():
    """Blank lines (also lines of empty cells) are not rows; later rows keep their line number in the file."""
    text = "\n\na,b,c\n1,2,3\n\n,,\n4,5,6\n"
    sheet = read_sheet_bytes(text.encode(), name="x.csv")
    assert sheet.headers == ["a", "b", "c"]
    assert sheet.rows == [(4, ["1", "2", "3"]), (7, ["4", "5", "6"])]


def test_csv_short_rows_are_padded_to_the_header_width():
    """A row with fewer cells than headers gets empty cells, so every row has one cell per header."""
    sheet = read_sheet_bytes(b"a,b,c\n1\n1,2\n", name="x.csv")
    assert sheet.rows == [(2, ["1", "", ""]), (3, ["1", "2", ""])]


def test_csv_trailing_empty_headers_are_dropped():
    """Empty header cells at the end of the header row (Excel's stray commas) are not columns."""
    sheet = read_sheet_bytes(b"a,b,,\n1,2,,\n", name="x.csv")
    assert sheet.headers == ["a", "b"]
    assert sheet.rows == [(2, ["1", "2"])]


def test_csv_doubled_quotes_inside_a_cell_become_one_quote():
    """RFC 4180 quoting: "" inside a quoted cell is one double quote (as in the demo progress sheet)."""
    sheet = read_sheet_bytes('a,b\n1,"সেন্টার ""হেল্প ডেস্ক"" পরিদর্শন"\n'.encode(), name="x.csv")
    assert sheet.rows == [(2, ["1", 'সেন্টার "হেল্প ডেস্ক" পরিদর্শন'])]


def test_csv_cell_in_single_quotes_keeps_its_quotes():
    """A cell typed as 'Webinar' (single quotes, unquoted CSV) is text: its quotes are kept as typed."""
    text = "indicator_code,quarter,value,remark\n1.4.2,3,1,'Webinar'\n1.4.2,4,1,done\n"
    sheet = read_sheet_bytes(text.encode(), name="p.csv")
    assert sheet.rows[0] == (2, ["1.4.2", "3", "1", "'Webinar'"])


def test_csv_apostrophe_at_start_of_a_cell_does_not_swallow_later_rows():
    """An apostrophe opening a cell ('71 …) is text; the following lines remain rows of their own."""
    text = (
        "indicator_code,quarter,value,remark\n"
        "1.4.2,3,1,'Webinar'\n"
        "1.4.2,4,1,'71 memorial\n"
        "2.1.1,1,1,done\n"
        "2.1.1,2,1,ok\n"
    )
    sheet = read_sheet_bytes(text.encode(), name="p.csv")
    assert [number for number, _cells in sheet.rows] == [2, 3, 4, 5]
    assert sheet.rows[2] == (4, ["2.1.1", "1", "1", "done"])


def test_csv_not_utf8_is_refused_with_bangla_message():
    """A CSV in a legacy code page (here Latin-1) is refused, telling the user to save it as CSV UTF-8."""
    with pytest.raises(SheetUnreadable) as caught:
        read_sheet_bytes("code,name\nx,Café\n".encode("latin-1"), name="offices.csv")
    assert "UTF-8" in caught.value.message_bn
    assert "এনকোডিং" in caught.value.message_bn
    assert "UTF-8" in caught.value.message_en


def test_csv_without_any_data_is_refused():
    """An empty file (or one of blank lines only) is refused rather than read as a sheet without headers."""
    for data in (b"", b"\n\n,,\n"):
        with pytest.raises(SheetUnreadable) as caught:
            read_sheet_bytes(data, name="x.csv")
        assert "কোনো তথ্য নেই" in caught.value.message_bn


def test_read_sheet_missing_file_is_a_domain_error():
    """A path that does not exist gives a Bangla 'file not found' error, not an OSError."""
    with pytest.raises(SheetUnreadable) as caught:
        read_sheet("/nonexistent/plan.csv")
    assert "পাওয়া যায়নি" in caught.value.message_bn


# --- XLSX reading ------------------------------------------------------------------------------------


def test_xlsx_typed_cells_read_as_a_person_sees_them():
    """Date cells → ISO dates, percent-formatted 0.85 → '85%', 3.0 → '3', Bangla text cells unchanged."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicator_code", "date", "percent", "count", "bangla"])
    sheet.append(["1.1.1", datetime.date(2023, 5, 10), 0.85, 3.0, "১০/০৫/২০২৩"])
    sheet.append(["1.1.2", datetime.datetime(2023, 1, 12), 0.825, 12, "৮৫%"])
    sheet["C2"].number_format = "0%"
    sheet["C3"].number_format = "0.0%"
    result = read_sheet_bytes(_workbook_bytes(workbook), name="p.xlsx")
    assert result.headers == ["indicator_code", "date", "percent", "count", "bangla"]
    assert result.rows == [
        (2, ["1.1.1", "2023-05-10", "85%", "3", "১০/০৫/২০২৩"]),
        (3, ["1.1.2", "2023-01-12", "82.5%", "12", "৮৫%"]),
    ]


def test_xlsx_number_without_percent_format_is_the_plain_number():
    """0.85 in a General-format cell stays 0.85 (only a % format multiplies by 100)."""
    workbook = Workbook()
    workbook.active.append(["value"])
    workbook.active.append([0.85])
    assert read_sheet_bytes(_workbook_bytes(workbook)).rows == [(2, ["0.85"])]


def test_xlsx_blank_rows_are_skipped_and_short_rows_padded():
    """Blank rows in a workbook are not rows; missing cells become empty strings."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["a", "b", "c"])
    sheet.append([])
    sheet.append(["x"])
    sheet["C5"] = "z"
    rows = read_sheet_bytes(_workbook_bytes(workbook)).rows
    assert rows == [(3, ["x", "", ""]), (5, ["", "", "z"])]


def test_xlsx_is_recognised_by_content_not_name():
    """A workbook read with a .csv name (or no name) is still read as XLSX."""
    workbook = Workbook()
    workbook.active.append(["a"])
    workbook.active.append(["১"])
    assert read_sheet_bytes(_workbook_bytes(workbook), name="plan.csv").rows == [(2, ["১"])]


def test_file_named_xlsx_that_is_not_a_zip_is_refused(tmp_path):
    """A text file saved as plan.xlsx is refused with a Bangla message, not read as CSV."""
    path = tmp_path / "plan.xlsx"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(SheetUnreadable) as caught:
        read_sheet(path)
    assert "XLSX" in caught.value.message_bn
    assert "XLSX" in caught.value.message_en


def test_zip_that_is_not_a_workbook_is_refused():
    """A zip file without a workbook inside is refused as an unreadable XLSX."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(SheetUnreadable):
        read_sheet_bytes(buffer.getvalue(), name="plan.xlsx")


def test_truncated_xlsx_is_refused_as_unreadable():
    """A workbook cut short (an interrupted download) is refused with SheetUnreadable, not a zip error."""
    data = xlsx_bytes(["a", "b"], [["1", "2"]])
    with pytest.raises(SheetUnreadable) as caught:
        read_sheet_bytes(data[: len(data) // 2], name="plan.xlsx")
    assert caught.value.message_bn


def test_xlsx_with_a_stale_dimension_record_is_read_completely():
    """A workbook whose <dimension> says A1 (some generators write that) still gives all its rows and columns."""
    workbook = Workbook()
    for row in (["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]):
        workbook.active.append(row)
    source = zipfile.ZipFile(io.BytesIO(_workbook_bytes(workbook)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', content)
                assert b'<dimension ref="A1"/>' in content
            target.writestr(item, content)
    sheet = read_sheet_bytes(buffer.getvalue(), name="plan.xlsx")
    assert sheet.headers == ["a", "b", "c"]
    assert sheet.rows == [(2, ["1", "2", "3"]), (3, ["4", "5", "6"])]


# --- writing -----------------------------------------------------------------------------------------


def test_write_csv_is_utf8_with_bom_and_reads_back_the_same(tmp_path):
    """CSV output starts with the UTF-8 BOM (Excel shows Bangla), uses \\n and reads back cell for cell."""
    path = tmp_path / "out.csv"
    write_sheet(path, HEADERS, ROWS)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in data
    assert data.decode("utf-8-sig") == CSV_TEXT
    sheet = read_sheet(path)
    assert sheet.headers == HEADERS
    assert [cells for _number, cells in sheet.rows] == ROWS


def test_write_xlsx_stores_text_cells_and_reads_back_the_same(tmp_path):
    """XLSX output holds every cell as text (Bangla digits, leading zeros, '%' kept) and reads back the same."""
    path = tmp_path / "out.xlsx"
    rows = [*ROWS, ["০১", "1", "10/05/2023", "৩০"]]
    write_sheet(path, HEADERS, rows)
    workbook = load_workbook(path)
    cell = workbook.active["A4"]
    assert cell.value == "০১"
    assert cell.number_format == "@"
    assert workbook.active["A1"].font.bold
    sheet = read_sheet(path)
    assert sheet.headers == HEADERS
    assert [cells for _number, cells in sheet.rows] == rows


def test_write_xlsx_keeps_text_starting_with_equals_sign_as_text(tmp_path):
    """A cell whose text starts with '=' is written as text, not as a formula that reads back empty."""
    path = tmp_path / "out.xlsx"
    rows = [["=১+১", "= সমষ্টি", "x", "y"]]
    write_sheet(path, HEADERS, rows)
    assert [cells for _number, cells in read_sheet(path).rows] == rows


# --- text stays text (OWASP "CSV Injection") --------------------------------------------------------

# (the value, the CSV cell it is written as)
FORMULA_LIKE = [
    ("=1+1", "'=1+1"),
    ("+abc", "'+abc"),
    ("-ভালো", "'-ভালো"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ('=HYPERLINK("http://evil.example","ক্লিক")', '\'=HYPERLINK("http://evil.example","ক্লিক")'),
    # A value that begins with a quote before a formula character gets a quote of its own, so that the
    # reader, which drops one quote, gives it back as it was.
    ("'=already quoted", "''=already quoted"),
    ("''+x", "'''+x"),
    ("'--", "''--"),
]
# Values written as they are and read back unchanged.
PLAIN = ["--", "-", "---", "'Webinar'", "'", "''", "ক=খ", " =x", "৮৫%", "[১.১.১]", ""]


def _csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(("value", "written"), FORMULA_LIKE, ids=[repr(v) for v, _w in FORMULA_LIKE])
def test_csv_cell_a_spreadsheet_would_take_for_a_formula_is_written_after_a_quote(value, written):
    """A cell beginning with = + - @, tab or CR (after any quotes) is written with one ' in front."""
    assert _csv_cells(csv_bytes(["মন্তব্য", "x"], [[value, "১"]]))[1] == [written, "১"]


@pytest.mark.parametrize("value", PLAIN, ids=repr)
def test_csv_cell_that_cannot_be_a_formula_is_written_as_it_is(value):
    """Other cells, and the blank-level marker ``--`` (minus signs alone are no formula), are not touched."""
    assert _csv_cells(csv_bytes(["মন্তব্য", "x"], [[value, "১"]]))[1] == [value, "১"]


def test_csv_numbers_stay_numbers():
    """Numbers (not text) are written as numbers, a negative one too: a spreadsheet reads them as numbers."""
    assert _csv_cells(csv_bytes(["a", "b", "c"], [[-5, 12, None]]))[1] == ["-5", "12", ""]


@pytest.mark.parametrize("value", [v for v, _w in FORMULA_LIKE] + PLAIN, ids=repr)
def test_csv_formula_like_cells_read_back_as_they_were(tmp_path, value):
    """write_sheet → read_sheet gives every cell back exactly: the reader drops the quote the writer added."""
    path = tmp_path / "out.csv"
    rows = [["[১.১.১]", "১", "৮০%", value]]
    write_sheet(path, HEADERS, rows)
    assert [cells for _number, cells in read_sheet(path).rows] == rows


def test_csv_reader_drops_one_quote_only_before_a_formula_character():
    """A hand-made sheet: ``'=x`` reads as ``=x``, ``''=x`` as ``'=x``; ``'Webinar'`` and ``'১২`` keep theirs."""
    text = "a,b,c,d,e\n'=x,''=x,'Webinar','--,'১২\n"
    sheet = read_sheet_bytes(text.encode(), name="p.csv")
    assert sheet.rows == [(2, ["=x", "'=x", "'Webinar'", "--", "'১২"])]


def test_xlsx_text_cells_starting_with_formula_characters_are_stored_as_text(tmp_path):
    """Every written cell is a string cell (type "s"), never a formula, and holds the value unchanged."""
    path = tmp_path / "out.xlsx"
    values = [value for value, _written in FORMULA_LIKE if "\r" not in value]
    write_sheet(path, ["মন্তব্য"], [[value] for value in values])
    cells = [row[0] for row in load_workbook(path).active.iter_rows(min_row=2)]
    assert [(cell.data_type, cell.value) for cell in cells] == [("s", value) for value in values]
    assert [cells for _number, cells in read_sheet(path).rows] == [[value] for value in values]


def test_xlsx_workbook_bytes_stores_strings_as_text_and_keeps_numbers():
    """Any workbook saved through xlsx_workbook_bytes: "=…" strings are text, numbers stay numbers."""
    workbook = Workbook()
    workbook.active.append(["=1+1", 5, "-ভালো"])
    workbook.active["D1"] = "@SUM(A1)"
    sheet = load_workbook(io.BytesIO(xlsx_workbook_bytes(workbook))).active
    assert [(cell.data_type, cell.value) for cell in sheet[1]] == [
        ("s", "=1+1"),
        ("n", 5),
        ("s", "-ভালো"),
        ("s", "@SUM(A1)"),
    ]


def test_write_sheet_unknown_extension_is_refused(tmp_path):
    """Only .csv and .xlsx can be written; anything else is a domain error and no file is created."""
    path = tmp_path / "out.ods"
    with pytest.raises(DomainError) as caught:
        write_sheet(path, HEADERS, ROWS)
    assert ".csv" in caught.value.message_bn
    assert not path.exists()
