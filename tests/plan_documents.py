"""Plans as the offices keep them (issue 13), made here: the Cabinet Division's table in XLSX (merged cells, a
title line, two header rows, a row of column numbers, extra columns), the same as CSV (merged cells written once
and left blank below), and as a Word document of two tables (the header again on the second "page"), with Bangla
or ASCII digits, letter-prefixed codes and units with a scale.

The plan (fiscal year 2021-22, 50 marks):

- [১] 30 marks: [১.১.১] a date (10), [১.১.২] a percent (10), [১.২.১] 40 জনঘন্টা, only the 100% target (10);
- [এম.২] 20 marks: [এম.২.১.১] কোটি টাকা (5), [এম.২.১.২] হাজার কোটি টাকা (5), [এম.২.২.১] সংখ্যা (হাজার) (5),
  [এম.২.২.২] days to settle, targets rising from 100% to 60% (lower is better, no direction column) (5).
"""

from __future__ import annotations

import io

from base.bangla import to_bangla_digits

TITLE = "স্বরাষ্ট্র মন্ত্রণালয় — ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা ২০২১-২২"
HEADER_TOP = [
    "ক্রম",
    "কর্মসম্পাদন ক্ষেত্র",
    "মান",
    "কার্যক্রম",
    "কর্মসম্পাদন সূচক",
    "একক",
    "কর্মসম্পাদন সূচকের মান",
    "প্রকৃত অর্জন ২০২০-২১",
    "লক্ষ্যমাত্রা ২০২১-২২",
    "",
    "",
    "",
    "",
    "দায়িত্বপ্রাপ্ত শাখা",
]
LEVELS = ["অসাধারণ", "অতি উত্তম", "উত্তম", "চলতি মান", "চলতি মানের নিম্নে"]
WIDTH = len(HEADER_TOP)
AREA_1 = "ই-গভর্ন্যান্স ও উদ্ভাবন কার্যক্রমের বাস্তবায়ন জোরদারকরণ"
AREA_2 = "প্রাতিষ্ঠানিক দক্ষতা বৃদ্ধি"

# (ক্রম, area, marks, activity, indicator, unit, weight, last year, t100..t60, branch); "" under a merged cell.
_ROWS = [
    ["1", f"[1] {AREA_1}", "30", "[1.1] সেবা সহজিকরণ", "[1.1.1] উদ্ভাবনী ধারণা বাস্তবায়িত", "তারিখ", "10", "",
     "16/03/2022", "23/03/2022", "30/03/2022", "06/04/2022", "13/04/2022", "আইসিটি শাখা"],
    ["", "", "", "", "[1.1.2] ই-নথিতে নোট নিষ্পত্তি", "%", "10", "75%",
     "80%", "70%", "60%", "50%", "40%", "আইসিটি শাখা"],
    ["", "", "", "[1.2] সক্ষমতা বৃদ্ধি", "[1.2.1] প্রশিক্ষণ আয়োজিত", "জনঘন্টা", "10", "32",
     "40", "--", "--", "--", "--", "প্রশাসন শাখা"],
    ["2", f"[এম.2] {AREA_2}", "20", "[এম.2.1] বাজেট বাস্তবায়ন", "[এম.2.1.1] বরাদ্দকৃত অর্থ ব্যয়িত", "কোটি টাকা",
     "5", "2.1", "2.5", "2", "1.5", "1", "0.5", "বাজেট শাখা"],
    ["", "", "", "", "[এম.2.1.2] রাজস্ব আদায়", "হাজার কোটি টাকা", "5", "1",
     "1.2", "1.1", "1", "0.9", "0.8", "বাজেট শাখা"],
    ["", "", "", "[এম.2.2] সেবা প্রদান", "[এম.2.2.1] সেবা গ্রহীতা", "সংখ্যা (হাজার)", "5", "41",
     "50", "45", "40", "35", "30", "সেবা শাখা"],
    ["", "", "", "", "[এম.2.2.2] আবেদন নিষ্পত্তিতে গড় সময় (দিন)", "সংখ্যা", "5", "4",
     "3", "4", "5", "6", "7", "সেবা শাখা"],
]  # fmt: skip
# The merged ranges of the data (0-based rows of _ROWS, columns): ক্রম, area and marks per area; activities.
_MERGES = [(0, 2, 0), (0, 2, 1), (0, 2, 2), (0, 1, 3), (3, 6, 0), (3, 6, 1), (3, 6, 2), (3, 4, 3), (5, 6, 3)]


def plan_rows(*, bangla: bool = True) -> list[list[str]]:
    """The data rows, merged cells blank below their first row, in Bangla or ASCII digits."""
    return [[to_bangla_digits(cell) if bangla else cell for cell in row] for row in _ROWS]


def _numbers_row(bangla: bool) -> list[str]:
    return [to_bangla_digits(n) if bangla else str(n) for n in range(1, WIDTH + 1)]


def cabinet_csv(*, bangla: bool = True, rows: list[list[str]] | None = None) -> bytes:
    """The table as a CSV: the title line, a blank line, two header rows, the column numbers, the rows."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([TITLE])
    writer.writerow([])
    writer.writerow(HEADER_TOP)
    writer.writerow(["", "", "", "", "", "", "", "", *LEVELS, ""])
    writer.writerow(_numbers_row(bangla))
    for row in rows if rows is not None else plan_rows(bangla=bangla):
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def cabinet_xlsx(*, bangla: bool = True, rows: list[list[str]] | None = None) -> bytes:
    """The table as an office keeps it in Excel: a merged title line over the table, the header cells merged
    down their two rows, ``লক্ষ্যমাত্রা ২০২১-২২`` merged over the five levels, the column numbers, the area,
    marks and activity cells merged down their rows."""
    from openpyxl import Workbook

    rows = rows if rows is not None else plan_rows(bangla=bangla)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=WIDTH)
    sheet.append([])
    sheet.append(HEADER_TOP)
    sheet.append(["", "", "", "", "", "", "", "", *LEVELS, ""])
    for column in [*range(1, 9), WIDTH]:
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    sheet.merge_cells(start_row=3, start_column=9, end_row=3, end_column=13)
    sheet.append(_numbers_row(bangla))
    for row in rows:
        sheet.append([cell if cell != "" else None for cell in row])
    first = 6
    for top, bottom, column in _MERGES:
        if top < len(rows) and bottom < len(rows):
            sheet.merge_cells(
                start_row=first + top, start_column=column + 1, end_row=first + bottom, end_column=column + 1
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cabinet_docx(*, bangla: bool = True) -> bytes:
    """The table in Word, split over two "pages": each area its own table with the header rows again, the
    header cells merged down, the target year merged across, the area, marks and activity cells merged down."""
    from docx import Document

    rows = plan_rows(bangla=bangla)
    document = Document()
    document.add_paragraph(TITLE)
    for part, (first, last) in enumerate(((0, 3), (3, 7))):
        chunk = rows[first:last]
        table = document.add_table(rows=3 + len(chunk), cols=WIDTH)
        for column, text in enumerate(HEADER_TOP):
            table.cell(0, column).text = text
        for offset, text in enumerate(LEVELS):
            table.cell(1, 8 + offset).text = text
        for column, text in enumerate(_numbers_row(bangla)):
            table.cell(2, column).text = text
        for r, row in enumerate(chunk):
            for column, text in enumerate(row):
                table.cell(3 + r, column).text = text
        for column in [*range(8), WIDTH - 1]:
            table.cell(0, column).merge(table.cell(1, column)).text = HEADER_TOP[column]
        table.cell(0, 8).merge(table.cell(0, 12)).text = HEADER_TOP[8]
        for top, bottom, column in _MERGES:
            if first <= top and bottom < last:
                text = rows[top][column]
                table.cell(3 + top - first, column).merge(table.cell(3 + bottom - first, column)).text = text
        if part == 0:
            document.add_page_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def own_csv(rows: list[list[str]]) -> bytes:
    """Our own plan sheet (DESIGN.md §7) with the given rows, for the warnings that do not need a layout."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["area_code", "area_title", "area_marks", "activity_code", "activity_title", "indicator_code",
         "indicator_title", "unit", "weight", "calc_method", "scoring", "direction",
         "target_100", "target_90", "target_80", "target_70", "target_60"]
    )  # fmt: skip
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")
