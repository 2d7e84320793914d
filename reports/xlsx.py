"""The self-assessment table as an Excel workbook: the same rows and columns as the PDF's table (one builder,
`reports.table.assessment_table`), area and activity cells merged over their rows, totals below."""

from __future__ import annotations

from indicators import scoring
from indicators.models import ActionPlan
from indicators.sheets import xlsx_workbook_bytes
from reports.letter import NOT_APPLICABLE_BN, report_title_bn
from reports.table import assessment_table


def assessment_table_xlsx(plan: ActionPlan, kind: str, quarter: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    table = assessment_table(plan, kind, quarter)
    headers = [
        "ক্রম",
        "কর্মসম্পাদন ক্ষেত্র",
        "মান",
        "কার্যক্রম",
        "কর্মসম্পাদন সূচক",
        "একক",
        "কর্মসম্পাদন সূচকের মান",
        *(scoring.LEVEL_NAMES_BN[level] for level in scoring.LEVEL_PERCENTS),
        *table["quarter_headers"],
        table["to_date_header"],
        "অর্জিত নম্বর",
        "মন্তব্য ও প্রমাণক",
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "স্ব-মূল্যায়ন"
    title_lines = report_title_bn(plan, kind, quarter)
    sheet.append([f"{plan.office.name_bn} — {' '.join(title_lines)}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    sheet.append(table["column_numbers"][: len(headers)])
    header_rows = 3

    first_data_row = header_rows + 1
    for offset, row in enumerate(table["rows"]):
        excel_row = first_data_row + offset
        evidence = "; ".join(ref.evidence.title for ref in row.evidence)
        remark = " ".join(part for part in (row.remark, evidence) if part)
        sheet.append(
            [
                row.area_serial if row.first_in_area else "",
                row.area_label if row.first_in_area else "",
                row.area_marks if row.first_in_area else "",
                row.activity_label if row.first_in_activity else "",
                row.indicator_label,
                row.unit,
                row.weight,
                *row.targets,
                *row.quarters,
                row.achievement,
                row.marks if row.applicable else NOT_APPLICABLE_BN,
                remark,
            ]
        )
        # Area and activity cells span their rows, as in the PDF and seed 000.
        if row.first_in_area and row.area_rows > 1:
            for column in (1, 2, 3):
                sheet.merge_cells(
                    start_row=excel_row,
                    start_column=column,
                    end_row=excel_row + row.area_rows - 1,
                    end_column=column,
                )
        if row.first_in_activity and row.activity_rows > 1:
            sheet.merge_cells(
                start_row=excel_row, start_column=4, end_row=excel_row + row.activity_rows - 1, end_column=4
            )

    score = table["score"]
    sheet.append([])
    for total in table["area_totals"]:
        sheet.append(["", f"{total.code} {total.title}", total.marks, "", "অর্জিত নম্বর", "", total.achieved])
    sheet.append(
        [
            "",
            "মোট",
            score["total_weight"],
            "",
            f"প্রযোজ্য সূচকের মান {score['applicable_weight']}-এর মধ্যে অর্জিত",
            "",
            score["achieved"],
            f"শতকরা {score['percent']}",
            f"মোট নম্বরে {score['scaled']} / {score['total_weight']}",
        ]
    )

    thin = Side(style="thin", color="999999")
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.row <= first_data_row + len(table["rows"]) - 1:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2] + sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E3EFE9")
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    sheet["A1"].font = Font(bold=True, size=13)
    widths = [5, 24, 6, 26, 32, 8, 9, *([11] * 5), *([11] * len(table["quarter_headers"])), 11, 9, 40]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=first_data_row, column=6)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{header_rows - 1}:{header_rows}"
    # Remarks and evidence titles are what people typed: text, never a formula (OWASP "CSV Injection").
    return xlsx_workbook_bytes(workbook)
