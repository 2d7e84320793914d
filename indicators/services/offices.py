"""Offices and fiscal years: the offices sheet (DESIGN.md §7) and the year a code names."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from base.bangla import to_bangla_digits
from indicators import parsing
from indicators.models import (
    FiscalYear,
    Office,
    OfficeKind,
)
from indicators.problems import (
    Problems,
    check_column_fits,
    model_field,
    sheet_rows,
)
from indicators.selectors import fiscal_year_start
from indicators.sheets import Sheet


def fiscal_year_get_or_create(*, code: str) -> FiscalYear:
    fiscal_year, _created = FiscalYear.objects.get_or_create(start_year=fiscal_year_start(code))
    return fiscal_year


@dataclass(frozen=True)
class OfficeImportResult:
    created: int
    updated: int


OFFICE_KIND_WORDS = {parsing.normalize_header(value): value for value in OfficeKind.values} | {
    parsing.normalize_header(str(label)): value for value, label in OfficeKind.choices
}


def _parse_office_kind(raw: str) -> str:
    kind = OFFICE_KIND_WORDS.get(parsing.normalize_header(raw))
    if kind is None:
        accepted = ", ".join(OfficeKind.values)
        raise parsing.CellError(
            f"অজানা দপ্তরের ধরন '{raw}'; গ্রহণযোগ্য: {accepted}",
            f"Unknown office kind '{raw}'; accepted: {accepted}",
        )
    return kind


@transaction.atomic
def offices_import(*, sheet: Sheet) -> OfficeImportResult:
    """Create or update offices by code; parents may come later in the sheet or exist already."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator, validate_slug

    data = sheet_rows("offices", sheet)
    problems = Problems(data.column_names)
    parsed: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    for number, cells in data.rows:
        code = cells.get("code", "")
        try:
            validate_slug(code)
        except ValidationError:
            problems.add(
                number,
                "code",
                code,
                "কোডে শুধু ইংরেজি অক্ষর, অঙ্ক, '-' ও '_' চলবে।",
                "An office code may contain only letters, digits, '-' and '_'.",
            )
            continue
        if code in parsed:
            problems.add(
                number,
                "code",
                code,
                f"কোডটি সারি {to_bangla_digits(first_row[code])}-এ আগেই আছে।",
                f"Duplicate code, first used in row {first_row[code]}.",
            )
            continue
        if not check_column_fits(problems, number, "code", code, code, model_field(Office, "code")):
            continue
        if data.has("name_bn") and not cells.get("name_bn"):
            problems.add(number, "name_bn", "", "বাংলা নাম আবশ্যক।", "The Bangla name is required.")
        for name in ("name_bn", "name_en", "website"):
            if data.has(name):
                check_column_fits(
                    problems,
                    number,
                    name,
                    cells.get(name, ""),
                    cells.get(name, ""),
                    model_field(Office, name),
                )
        kind = problems.cell(number, "kind", cells.get("kind", ""), _parse_office_kind)
        website = cells.get("website", "")
        if website:
            try:
                URLValidator()(website)
            except ValidationError:
                problems.add(
                    number, "website", website, "ওয়েবসাইটের ঠিকানা সঠিক নয়।", "Not a valid web address."
                )
        first_row[code] = number
        parsed[code] = {**cells, "kind": kind or ""}

    # The tree after the import: the database's parent links, overridden by the sheet's.
    parent_of = {
        code: parent_code or "" for code, parent_code in Office.objects.values_list("code", "parent__code")
    }
    if data.has("parent_code"):
        parent_of.update({code: cells.get("parent_code", "") for code, cells in parsed.items()})
    for code, cells in parsed.items():
        parent_code = cells.get("parent_code", "")
        if parent_code and parent_code not in parent_of:
            problems.add(
                first_row[code],
                "parent_code",
                parent_code,
                "এই কোডের কোনো ঊর্ধ্বতন দপ্তর নেই (ফাইলে বা ডাটাবেজে)।",
                "No parent office with this code, in the file or the database.",
            )
        elif _has_cycle(code, parent_of):
            problems.add(
                first_row[code],
                "parent_code",
                parent_code,
                "ঊর্ধ্বতন দপ্তরের সম্পর্কে চক্র তৈরি হয় (দপ্তর নিজেই নিজের ঊর্ধ্বতন হয়ে যায়)।",
                "The parent links form a cycle (the office would be its own ancestor).",
            )
    problems.raise_if_any()

    created = updated = 0
    offices: dict[str, Office] = {}
    for code, cells in parsed.items():
        office = Office.objects.filter(code=code).first()
        if office is None:
            office = Office(code=code)
            created += 1
        else:
            updated += 1
        # A sheet without a column leaves that field as it is (a partial sheet updates only what it lists).
        for name in ("name_bn", "name_en", "kind", "address_bn", "website"):
            if data.has(name):
                setattr(office, name, cells[name])
        office.full_clean(exclude=["parent"])
        office.save()
        offices[code] = office
    for code, cells in parsed.items():
        if not data.has("parent_code"):
            break
        parent_code = cells.get("parent_code", "")
        offices[code].parent = (
            offices.get(parent_code) or Office.objects.get(code=parent_code) if parent_code else None
        )
        offices[code].save(update_fields=["parent"])
    return OfficeImportResult(created=created, updated=updated)


def _has_cycle(code: str, parent_of: dict[str, str]) -> bool:
    seen = {code}
    node = parent_of.get(code, "")
    while node:
        if node in seen:
            return True
        seen.add(node)
        node = parent_of.get(node, "")
    return False
