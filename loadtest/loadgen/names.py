"""The names and texts the generator draws from, read from the files in ``loadtest/data/`` (UTF-8).

Data, not code (STYLE.md): real ministries and divisions (besides the demo's three: foreign affairs,
statistics and informatics, social welfare) with some of their real departments and agencies, names made
from a ministry's topic when it needs more departments than it has, the eight divisions, 64 districts and
their upazilas, and the remarks and comments people write. Each file is read once per process, in its row
order: the generator's draws index these lists, so the same files and seed give the same data set.

- ``ministries.csv``: ``name_bn, name_en, kind, topic_bn, topic_en``, in the order the tree samples them;
- ``departments.csv``: ``ministry_en, name_bn, name_en, kind``, each ministry's in its order;
- ``department-templates.csv``: ``name_bn, name_en, kind`` with ``{t}`` for the ministry's topic;
- ``divisions.csv`` ``slug, name_bn, name_en``; ``districts.csv`` ``division, slug, name_bn, name_en``;
  ``upazilas.csv`` ``district, name_bn`` (slugs are the office codes' parts: ``lg-m01-d02-dist-bogura``);
- ``texts.json``: the comments of returns, progress remarks, reasons for not applicable, evidence titles.

``kind`` is an ``OfficeKind`` value (``ministry``, ``division``, ``department``, ``agency``).
"""

from __future__ import annotations

import csv
import functools
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from indicators.models import OfficeKind

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: A department or agency: Bangla name, English name, kind.
DepartmentName = tuple[str, str, OfficeKind]


@dataclass(frozen=True)
class Ministry:
    name_bn: str
    name_en: str
    kind: OfficeKind
    topic_bn: str
    topic_en: str
    departments: tuple[DepartmentName, ...] = ()


@dataclass(frozen=True)
class District:
    name_bn: str
    name_en: str
    slug: str
    upazilas: tuple[str, ...]


@dataclass(frozen=True)
class Division:
    name_bn: str
    name_en: str
    slug: str
    districts: tuple[District, ...]


@dataclass(frozen=True)
class Texts:
    """What people write, drawn at random: the keys of ``texts.json``."""

    return_comments: tuple[str, ...]  # a CIO returning a submission
    review_return_comments: tuple[str, ...]  # the higher office's reviewer returning a sent report
    progress_remarks: tuple[str, ...]
    not_applicable_reasons: tuple[str, ...]
    evidence_titles: tuple[str, ...]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@functools.cache
def ministries() -> tuple[Ministry, ...]:
    """The ministries and divisions with their departments and agencies, in the files' order."""
    departments: dict[str, list[DepartmentName]] = defaultdict(list)
    for row in _rows("departments.csv"):
        departments[row["ministry_en"]].append((row["name_bn"], row["name_en"], OfficeKind(row["kind"])))
    result = tuple(
        Ministry(
            row["name_bn"],
            row["name_en"],
            OfficeKind(row["kind"]),
            row["topic_bn"],
            row["topic_en"],
            tuple(departments.pop(row["name_en"], ())),
        )
        for row in _rows("ministries.csv")
    )
    if departments:  # a typo in ministry_en would silently drop departments
        raise ValueError(f"departments.csv names unknown ministries: {sorted(departments)}")
    return result


@functools.cache
def department_templates() -> tuple[DepartmentName, ...]:
    """Names made from a ministry's topic (``{t}``), for a ministry with more departments than real ones."""
    return tuple(
        (row["name_bn"], row["name_en"], OfficeKind(row["kind"])) for row in _rows("department-templates.csv")
    )


@functools.cache
def divisions() -> tuple[Division, ...]:
    """The eight divisions with their districts and upazilas, in the files' order."""
    upazilas: dict[str, list[str]] = defaultdict(list)
    for row in _rows("upazilas.csv"):
        upazilas[row["district"]].append(row["name_bn"])
    districts: dict[str, list[District]] = defaultdict(list)
    for row in _rows("districts.csv"):
        districts[row["division"]].append(
            District(row["name_bn"], row["name_en"], row["slug"], tuple(upazilas.pop(row["slug"], ())))
        )
    result = tuple(
        Division(row["name_bn"], row["name_en"], row["slug"], tuple(districts.pop(row["slug"], ())))
        for row in _rows("divisions.csv")
    )
    if upazilas or districts:  # a typo in a slug would silently drop offices
        raise ValueError(
            f"upazilas.csv or districts.csv name unknown places: {sorted({*upazilas, *districts})}"
        )
    return result


@functools.cache
def texts() -> Texts:
    with (DATA_DIR / "texts.json").open(encoding="utf-8") as file:
        return Texts(**{key: tuple(values) for key, values in json.load(file).items()})
