"""A national-size synthetic data set for load tests: `generate_load_data` (DESIGN.md §8, issue 6).

What it builds, for one fiscal year:

- an office tree like the real one under the Cabinet Division (মন্ত্রিপরিষদ বিভাগ, code ``cabinet``; the same
  root `load_demo` creates, so ``cabinet.reviewer`` sees the generated ministries too — created here with the
  demo's name when it is missing): ministries and divisions → departments and agencies → divisional,
  district and upazila offices of the departments that have a field network, with real division, district
  and upazila names. ``--offices N`` is the number of generated offices below the root, exactly; at 24,000
  the proportions are the national ones (55 ministries/divisions besides the demo's three, 400
  departments), and they shrink with the square root of N, so that a test with 120 offices still has every
  level. Every generated office's code starts with ``lg-`` (the marker: no model change needed);
- one plan per office, copied from the demo plan (``apa_tracker/demo/mofa-2022-23/plan.csv``) with the
  weights moved between the indicators of an area and the targets varied inside the rules of DESIGN.md §3.5;
- progress for the quarters that have been reached, drawn so that offices spread over the whole range
  (some excellent, some below 60 %), not-applicable indicators (the "reports of subordinate offices"
  indicator of an office without subordinate offices, and a few others), remarks;
- evidence rows for reported values, all pointing at ONE shared two-page PDF stored once in default
  storage under ``evidence/lg-shared/<sha256>.pdf`` with its true SHA-256 and page count (a re-hash of the
  evidence of locked periods finds it intact; the storage holds one file, not hundreds of thousands);
- the four reporting periods with the workflow simulated on a timeline: submissions around the deadlines
  (some late, some never), CIO returns, approvals, sending, the parent office's reviewer accepting or
  returning, everything cut at the moment the data describes (``as_of``: the Q4 deadline of the year at
  18:00, or now for a year still running). States, versions and `PeriodTransition` rows therefore agree,
  and every period that was approved carries the score snapshot the scoring service computes
  (`scoring.score_plan` + `plan_score_json`, in Python, from the generated values);
- the append-only history as the services would have written it: one entry per progress value and remark,
  evidence added, applicability changed and state transition;
- users ``<office code>.officer`` and ``<office code>.cio`` for every office, ``<office code>.reviewer`` for
  every office with child offices and ``lg-cabinet.reviewer`` for the root, all with one password (hashed
  once).

Every generated plan has the same structure: the demo plan's 12 indicators in two areas (30 + 20 marks) and a
13th, as in the 2023-24 plans (issue 6 asks for 13): "[১.৫.১] স্মার্ট বাংলাদেশ বিনির্মাণ বিষয়ক কর্মপরিকল্পনা
প্রণীত" (the 2023-24 plans ask for a Smart Bangladesh action plan; seed 003 is the one the Ministry of Social
Welfare sent), a date indicator whose 3 marks are taken from 1.2.2 (7 → 4), so area 1 still sums to 30.

Decisions:
- All or nothing: one transaction, so a failure leaves nothing behind; the shared evidence file is removed
  again if this run stored it. (`evidence.services.evidence_remove` deletes a stored file only with the last
  row that uses it, so an officer removing one generated evidence row leaves the shared file in place.)
- Offices, users and memberships go through bulk_create; the plan-level tables (millions of rows) are written
  as plain rows with reserved primary keys — COPY on PostgreSQL, executemany elsewhere — because creating
  and preparing that many model instances took most of the time (measured: about 50 s per 1,200 offices with
  bulk_create against about 20 s with COPY, on the same loaded machine).
- No ``--replace``: a second run is refused while generated offices exist. The history is append-only, so
  generated data cannot be deleted through the application; start from a fresh database instead.
- Approved periods get their approvals (versions, with marks, sent and superseded times) but no
  `ApprovedReport` (rendering tens of thousands of PDFs is not load data): their report download answers
  "being prepared". Quarters go forward in order, as the workflow allows.
- Deterministic: the same ``--seed`` and year give the same offices, plans, values, states and times (each
  office draws from its own generator seeded with the seed and its code). Only a year still running
  depends on the clock, through ``as_of``.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import pairwise
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from base.bangla import fiscal_year_label, to_bangla_digits
from base.errors import DomainError
from evidence.models import ContentType, Evidence
from indicators import scoring
from indicators.history import history_text
from indicators.models import (
    TARGET_COLUMNS,
    TARGET_LEVELS,
    ActionPlan,
    Activity,
    Approval,
    FiscalYear,
    HistoryEntry,
    HistoryKind,
    Indicator,
    Office,
    OfficeKind,
    OfficeMembership,
    PerformanceArea,
    PeriodState,
    PeriodTransition,
    Progress,
    ReportingPeriod,
    Role,
    default_deadline,
)
from indicators.plan_sheet import ParsedIndicator, plan_sheet_parse
from indicators.scores import plan_score_json, scoring_input
from indicators.selectors import fiscal_year_start
from indicators.services.offices import fiscal_year_get_or_create
from indicators.sheets import read_sheet
from loadtest.samples import sample_pdf
from reports.models import ReportKind
from reports.services import report_span
from workflow.transitions import STATE_RANK, TRANSITIONS

PREFIX = "lg-"
ROOT_CODE = "cabinet"
ROOT_REVIEWER = f"{PREFIX}cabinet.reviewer"
#: The generated users' password unless `generate_load_data --password` (or $APA_LOAD_PASSWORD) says otherwise.
DEFAULT_PASSWORD = "apa-load-test-1"
MIN_OFFICES = 1
MAX_OFFICES = 100_000
# The national proportions at 24,000 offices (DESIGN.md §1: 23,667 offices were under APA in 2021-22).
NATIONAL_OFFICES = 24_000
NATIONAL_MINISTRIES = 58
NATIONAL_DEPARTMENTS = 400
TEMPLATE_DIR = Path(settings.BASE_DIR) / "apa_tracker" / "demo" / "mofa-2022-23"
TEMPLATE_START_YEAR = 2022
# The template's "half-yearly reports of subordinate offices sent" indicator: not applicable to an office
# without subordinate offices, as in the demo plan (আওতাধীন কোনো দপ্তর/সংস্থা নেই).
SUBORDINATE_REPORTS_INDICATOR = "2.2.4"
# The 13th indicator (see the module's docstring), a row in the demo plan sheet's own format (DESIGN.md §7),
# dates in the template's year; its marks come from DONOR_INDICATOR.
SMART_BANGLADESH_ROW = (
    "[১]",
    "ই-গভর্ন্যান্স ও উদ্ভাবন সংক্রান্ত কার্যক্রমের বাস্তবায়ন জোরদারকরণ",
    "৩০",
    "[১.৫]",
    "স্মার্ট বাংলাদেশ বিনির্মাণ বিষয়ক কর্মপরিকল্পনা প্রণয়ন",
    "[১.৫.১]",
    "স্মার্ট বাংলাদেশ বিনির্মাণ বিষয়ক কর্মপরিকল্পনা প্রণীত",
    "তারিখ",
    "৩",
    "তারিখ",
    "৩১/০৩/২০২৩",
    "১৫/০৪/২০২৩",
    "৩০/০৪/২০২৩",
    "১৫/০৫/২০২৩",
    "",
)
DONOR_INDICATOR = ("[১.২.২]", "৪")  # code cell, its weight once the 13th indicator's 3 marks are taken
CHUNK_OFFICES = 500
BATCH_SIZE = 2000

Value = Decimal | datetime.date
FOUR_PLACES = Decimal("0.0001")
TWO_PLACES = Decimal("0.01")


# ---------------------------------------------------------------------------------------------------------
# Arguments


def options_check(*, offices: int, year_code: str) -> int:
    """The fiscal year's start year, or a DomainError for an office count or year the command refuses."""
    if not MIN_OFFICES <= offices <= MAX_OFFICES:
        raise DomainError(
            f"--offices {to_bangla_digits(MIN_OFFICES)} থেকে {to_bangla_digits(MAX_OFFICES)}-এর মধ্যে হতে হবে "
            f"(দেওয়া হয়েছে {to_bangla_digits(offices)})।",
            f"--offices must be between {MIN_OFFICES} and {MAX_OFFICES} (got {offices}).",
        )
    return fiscal_year_start(year_code)


def generated_data_exists() -> bool:
    User = get_user_model()
    return (
        Office.objects.filter(code__startswith=PREFIX).exists()
        or User.objects.filter(username__startswith=PREFIX).exists()
    )


# ---------------------------------------------------------------------------------------------------------
# The office tree (pure: no database)


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name_bn: str
    name_en: str
    kind: str
    parent: str  # the parent's code; ROOT_CODE for ministries and divisions
    level: int  # 1 ministry/division, 2 department/agency, 3 divisional, 4 district, 5 upazila office
    address_bn: str = ""


@dataclass(frozen=True)
class TreeSizes:
    ministries: int
    departments: int
    field_offices: int


def tree_sizes(total: int) -> TreeSizes:
    """How many ministries, departments and field offices make ``total`` offices.

    The national counts at 24,000, scaled with the square root of ``total`` (ministries capped by the list of
    real ones), so that small data sets still have several ministries with departments and field offices.
    """
    scale = math.sqrt(total / NATIONAL_OFFICES)
    ministries = max(1, min(len(MINISTRIES), round(NATIONAL_MINISTRIES * scale), total))
    departments = min(total - ministries, max(1, round(NATIONAL_DEPARTMENTS * scale)))
    return TreeSizes(ministries, departments, total - ministries - departments)


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder), summing to ``total`` exactly."""
    if not weights:
        return []
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


# What a department's field network can hold: 8 divisional, 64 district and the upazila offices.
NETWORK_SHAPES = (("full", 0.15), ("district", 0.30), ("divisional", 0.20), ("none", 0.35))


def _network_capacity(shape: str) -> int:
    divisional = len(DIVISIONS)
    districts = sum(len(d.districts) for d in DIVISIONS)
    upazilas = sum(len(z.upazilas) for d in DIVISIONS for z in d.districts)
    return {
        "full": divisional + districts + upazilas,
        "district": divisional + districts,
        "divisional": divisional,
        "none": 0,
    }[shape]


def office_tree(total: int, seed: int) -> list[OfficeSpec]:
    """``total`` offices below the root, parents before children (ordered by level)."""
    rng = random.Random(f"{seed}:tree")
    sizes = tree_sizes(total)
    chosen = sorted(rng.sample(range(len(MINISTRIES)), sizes.ministries))
    specs: list[OfficeSpec] = []
    for number, index in enumerate(chosen, 1):
        ministry = MINISTRIES[index]
        specs.append(
            OfficeSpec(
                code=f"{PREFIX}m{number:02d}",
                name_bn=ministry.name_bn,
                name_en=ministry.name_en,
                kind=ministry.kind,
                parent=ROOT_CODE,
                level=1,
                address_bn="বাংলাদেশ সচিবালয়, ঢাকা",
            )
        )

    weights = [(len(MINISTRIES[i].departments) + 1) * rng.uniform(0.4, 1.6) for i in chosen]
    departments: list[OfficeSpec] = []
    for number, index, count in zip(
        range(1, len(chosen) + 1), chosen, _apportion(sizes.departments, weights), strict=True
    ):
        ministry_code = f"{PREFIX}m{number:02d}"
        for j, (name_bn, name_en, kind) in enumerate(_department_names(MINISTRIES[index], count), 1):
            departments.append(
                OfficeSpec(
                    code=f"{ministry_code}-d{j:02d}",
                    name_bn=name_bn,
                    name_en=name_en,
                    kind=kind,
                    parent=ministry_code,
                    level=2,
                    address_bn="ঢাকা",
                )
            )
    specs.extend(departments)

    # Field networks: departments in random order take offices until the count is reached; the first one has a
    # full network, so that even a small data set has divisional, district and upazila offices.
    order = list(departments)
    rng.shuffle(order)
    shapes = [rng.choices([s for s, _ in NETWORK_SHAPES], [w for _, w in NETWORK_SHAPES])[0] for _ in order]
    if shapes:
        shapes[0] = "full"
    remaining = sizes.field_offices
    allocation: dict[str, int] = {}
    for department, shape in zip(order, shapes, strict=True):
        take = min(_network_capacity(shape), remaining)
        allocation[department.code] = take
        remaining -= take
    full = _network_capacity("full")
    for department in order:  # not enough room in the sampled shapes: grow networks to full ones
        if remaining <= 0:
            break
        extra = min(full - allocation[department.code], remaining)
        allocation[department.code] += extra
        remaining -= extra
    if remaining > 0:  # only for counts far beyond MAX_OFFICES
        raise ValueError(f"{total} offices do not fit in {len(departments)} field networks")

    field_offices: list[OfficeSpec] = []
    for department in departments:
        field_offices.extend(_field_network(department, allocation.get(department.code, 0), rng))
    specs.extend(sorted(field_offices, key=lambda s: s.level))
    assert len(specs) == total
    return specs


def _department_names(ministry: Ministry, count: int) -> Iterator[tuple[str, str, str]]:
    """The ministry's real departments first, then names made from its topic (project and field bodies)."""
    yield from ministry.departments[:count]
    made = 0
    number = 0
    while len(ministry.departments) + made < count:
        template = DEPARTMENT_TEMPLATES[made % len(DEPARTMENT_TEMPLATES)]
        if made >= len(DEPARTMENT_TEMPLATES):
            number += 1
            yield (
                f"{ministry.topic_bn} উন্নয়ন প্রকল্প-{to_bangla_digits(number)}",
                f"{ministry.topic_en} Development Project {number}",
                OfficeKind.AGENCY,
            )
        else:
            yield (
                template[0].format(t=ministry.topic_bn),
                template[1].format(t=ministry.topic_en),
                template[2],
            )
        made += 1


def _field_network(department: OfficeSpec, size: int, rng: random.Random) -> list[OfficeSpec]:
    """``size`` field offices of a department, level by level: divisional offices, then district offices
    (under their divisional office), then upazila offices (under their district office)."""
    if size <= 0:
        return []
    divisions = list(range(len(DIVISIONS)))
    rng.shuffle(divisions)
    divisions = sorted(divisions[:size])
    left = size - len(divisions)
    districts = [(d, z) for d in divisions for z in range(len(DIVISIONS[d].districts))]
    rng.shuffle(districts)
    districts = sorted(districts[: max(0, left)])
    left -= len(districts)
    upazilas = [(d, z, u) for d, z in districts for u in range(len(DIVISIONS[d].districts[z].upazilas))]
    rng.shuffle(upazilas)
    upazilas = sorted(upazilas[: max(0, left)])

    code, dept_bn, dept_en = department.code, department.name_bn, department.name_en
    offices = []
    for d in divisions:
        division = DIVISIONS[d]
        offices.append(
            OfficeSpec(
                code=f"{code}-div-{division.slug}",
                name_bn=f"{division.name_bn} বিভাগীয় কার্যালয়, {dept_bn}",
                name_en=f"Divisional Office {division.name_en}, {dept_en}",
                kind=OfficeKind.DIVISIONAL,
                parent=code,
                level=3,
                address_bn=division.name_bn,
            )
        )
    for d, z in districts:
        division, district = DIVISIONS[d], DIVISIONS[d].districts[z]
        offices.append(
            OfficeSpec(
                code=f"{code}-dist-{district.slug}",
                name_bn=f"{district.name_bn} জেলা কার্যালয়, {dept_bn}",
                name_en=f"District Office {district.name_en}, {dept_en}",
                kind=OfficeKind.DISTRICT,
                parent=f"{code}-div-{division.slug}",
                level=4,
                address_bn=f"{district.name_bn}, {division.name_bn}",
            )
        )
    for d, z, u in upazilas:
        district = DIVISIONS[d].districts[z]
        upazila = district.upazilas[u]
        offices.append(
            OfficeSpec(
                code=f"{code}-upz-{district.slug}-{u + 1:02d}",
                name_bn=f"{upazila} উপজেলা কার্যালয়, {dept_bn}",
                name_en=f"Upazila Office {u + 1}, {district.name_en} District, {dept_en}",
                kind=OfficeKind.UPAZILA,
                parent=f"{code}-dist-{district.slug}",
                level=5,
                address_bn=f"{upazila}, {district.name_bn}",
            )
        )
    return offices


# ---------------------------------------------------------------------------------------------------------
# The plan template


@dataclass(frozen=True)
class PlanTemplate:
    areas: list[tuple[str, str, Decimal]]  # code, title, marks (two decimal places, as stored)
    activities: list[tuple[str, str, str]]  # code, title, area code
    indicators: list[ParsedIndicator]  # as parsed, the date targets moved into the year


@functools.cache
def plan_template(start_year: int) -> PlanTemplate:
    """The demo plan with the 13th indicator, its date targets moved into the fiscal year ``start_year``;
    parsed and checked as an uploaded plan sheet is (weights summing to the area's marks, targets in order)."""
    sheet = read_sheet(TEMPLATE_DIR / "plan.csv")
    code_column, weight_column = sheet.headers.index("সূচক নং"), sheet.headers.index("সূচকের মান")
    rows = [
        (number, [*cells[:weight_column], DONOR_INDICATOR[1], *cells[weight_column + 1 :]])
        if cells[code_column] == DONOR_INDICATOR[0]
        else (number, cells)
        for number, cells in sheet.rows
    ]
    # After area 1's last row (row numbers only name rows in error messages; the order is the plan's order).
    after = max(i for i, (_number, cells) in enumerate(rows) if cells[0] == SMART_BANGLADESH_ROW[0])
    rows.insert(after + 1, (rows[after][0], list(SMART_BANGLADESH_ROW)))
    parsed = plan_sheet_parse(replace(sheet, rows=rows))
    years = start_year - TEMPLATE_START_YEAR

    def shift(value: Value | None) -> Value | None:
        if isinstance(value, datetime.date):
            try:
                return value.replace(year=value.year + years)
            except ValueError:  # 29 February
                return value.replace(year=value.year + years, day=28)
        return value

    return PlanTemplate(
        areas=[(a.code, a.title, a.marks.quantize(TWO_PLACES)) for a in parsed.areas],
        activities=[(a.code, a.title, a.area_code) for a in parsed.activities],
        indicators=[
            replace(i, targets={level: shift(value) for level, value in i.targets.items()})
            for i in parsed.indicators
        ],
    )


def _varied_weights(rng: random.Random, template: PlanTemplate) -> dict[str, Decimal]:
    """Whole marks moved between indicators of the same area: every area still sums to its marks (§2)."""
    weights = {i.code: i.weight for i in template.indicators}
    for area_code, _title, _marks in template.areas:
        codes = [i.code for i in template.indicators if i.area_code == area_code]
        if len(codes) < 2:
            continue
        for _ in range(rng.randint(0, 3)):
            donor, taker = rng.sample(codes, 2)
            if weights[donor] > 1:
                weights[donor] -= 1
                weights[taker] += 1
    return weights


def _varied_targets(
    rng: random.Random, indicator: ParsedIndicator, fy_start: datetime.date, fy_end: datetime.date
) -> dict[int, Value | None]:
    """The template's targets moved and stretched, kept in order from 100 % down (DESIGN.md §3.5: each
    level equal to or worse than the one above it), dates inside the fiscal year."""
    unit, direction, targets = indicator.unit, indicator.direction, indicator.targets
    t100 = targets[100]
    out: dict[int, Value | None] = {}
    if unit is scoring.Unit.DATE:
        assert isinstance(t100, datetime.date)
        base = t100 + datetime.timedelta(days=rng.randint(-12, 15))
        stretch = rng.uniform(0.7, 1.5)
        for level, value in targets.items():
            if value is None:
                out[level] = None
                continue
            assert isinstance(value, datetime.date)
            moved = base + datetime.timedelta(days=round((value - t100).days * stretch))
            out[level] = min(max(moved, fy_start), fy_end)
    elif unit is scoring.Unit.PERCENT:
        delta = Decimal(rng.randint(-10, 8))
        for level, value in targets.items():
            out[level] = None if value is None else min(max(value + delta, Decimal(1)), Decimal(100))
    else:
        assert isinstance(t100, Decimal)
        new_t100 = max(Decimal(1), t100 + rng.choice((-1, 0, 0, 0, 1, 2)))
        ratio = new_t100 / t100 if t100 else Decimal(1)
        for level, value in targets.items():
            out[level] = None if value is None else (value * ratio).quantize(Decimal(1), ROUND_HALF_UP)
    # Keep the order: a level better than the one above it is pulled back to it.
    previous: Value | None = None
    for level in scoring.LEVEL_PERCENTS:
        value = out.get(level)
        if value is None:
            continue
        if previous is not None and scoring.goodness(value, unit, direction) > scoring.goodness(
            previous, unit, direction
        ):
            out[level] = value = previous
        previous = value
    return {level: _stored(value) for level, value in out.items()}


def _stored(value: Value | None) -> Value | None:
    """Numbers as the database gives them back (four decimal places), so snapshots computed here equal the
    ones the scoring service computes from the stored rows."""
    if isinstance(value, Decimal):
        return value.quantize(FOUR_PLACES)
    return value


# ---------------------------------------------------------------------------------------------------------
# Progress values


def _office_quality(rng: random.Random) -> float:
    """The level around which an office's indicators score: about a third excellent, one in twelve poor."""
    draw = rng.random()
    if draw < 0.30:
        return rng.uniform(97, 112)
    if draw < 0.75:
        return rng.uniform(84, 98)
    if draw < 0.92:
        return rng.uniform(68, 86)
    return rng.uniform(35, 68)


def _achievement_for(
    rng: random.Random, indicator: ParsedIndicator, targets: dict[int, Value | None], desired: float
) -> Value | None:
    """An achievement that scores about ``desired`` percent on these targets (None: nothing achieved)."""
    unit, direction = indicator.unit, indicator.direction
    levels = [(p, targets[p]) for p in scoring.LEVEL_PERCENTS if targets.get(p) is not None]
    higher = direction is scoring.Direction.HIGHER
    if desired >= 100:
        best = levels[0][1]
        if isinstance(best, datetime.date):
            return best - datetime.timedelta(days=rng.randint(0, 12))
        if unit is scoring.Unit.PERCENT:
            extra = Decimal(rng.randint(0, 800)) / 100
            return min(Decimal(100), best + extra) if higher else max(Decimal(0), best - extra)
        extra = Decimal(rng.randint(0, max(1, int(best) // 2)))
        return best + extra if higher else max(Decimal(0), best - extra)
    for (p_hi, t_hi), (p_lo, t_lo) in pairwise(levels):
        if p_lo <= desired <= p_hi:
            fraction = (desired - p_lo) / (p_hi - p_lo)
            if isinstance(t_hi, datetime.date) and isinstance(t_lo, datetime.date):
                return t_lo + datetime.timedelta(days=round(fraction * (t_hi - t_lo).days))
            assert isinstance(t_hi, Decimal) and isinstance(t_lo, Decimal)
            value = t_lo + (t_hi - t_lo) * Decimal(str(round(fraction, 4)))
            places = TWO_PLACES if unit is scoring.Unit.PERCENT else Decimal(1)
            return value.quantize(places, ROUND_HALF_UP)
    # Worse than the lowest defined level (APA guideline: scores zero), or nothing done at all.
    if rng.random() < 0.3:
        return None
    lowest = levels[-1][1]
    if isinstance(lowest, datetime.date):
        return lowest + datetime.timedelta(days=rng.randint(1, 45))
    factor = Decimal(str(round(rng.uniform(0.3, 0.95) if higher else rng.uniform(1.05, 2.0), 2)))
    places = TWO_PLACES if unit is scoring.Unit.PERCENT else Decimal(1)
    return (lowest * factor).quantize(places, rounding=ROUND_FLOOR)


def quarter_of(day: datetime.date) -> int:
    """The fiscal quarter of a date: Q1 July–September … Q4 April–June."""
    return (day.month - 7) % 12 // 3 + 1


def _quarterly(rng: random.Random, indicator: ParsedIndicator, achievement: Value | None) -> dict[int, Value]:
    """Quarterly values whose annual achievement (DESIGN.md §3.1) is ``achievement``."""
    if achievement is None:
        return {}
    if isinstance(achievement, datetime.date):
        return {quarter_of(achievement): achievement}
    method = indicator.calc_method
    if method is scoring.CalcMethod.SUM:
        if indicator.unit is scoring.Unit.NUMBER:
            parts = [0, 0, 0, 0]
            for _ in range(int(achievement)):
                parts[rng.randrange(4)] += 1
            values = {q: Decimal(n) for q, n in zip((1, 2, 3, 4), parts, strict=True)}
        else:
            cuts = sorted(rng.random() for _ in range(3))
            shares = [b - a for a, b in pairwise([0.0, *cuts, 1.0])]
            values = {
                q: (achievement * Decimal(str(round(s, 4)))).quantize(TWO_PLACES)
                for q, s in enumerate(shares, 1)
            }
        # A quarter without anything done is written as 0 by some offices and left blank by others.
        return {q: v for q, v in values.items() if v > 0 or rng.random() < 0.5}
    if method is scoring.CalcMethod.AVERAGE:
        noise = [rng.uniform(-6, 6) for _ in range(4)]
        mean = sum(noise) / 4
        return {
            q: min(Decimal(100), max(Decimal(0), achievement + Decimal(str(round(n - mean, 2))))).quantize(
                TWO_PLACES
            )
            for q, n in enumerate(noise, 1)
        }
    # Cumulative: each quarter reports the running total; the last one is the achievement.
    fractions = sorted(rng.uniform(0.1, 1.0) for _ in range(3))
    values = {
        q: (achievement * Decimal(str(round(f, 3)))).quantize(TWO_PLACES) for q, f in enumerate(fractions, 1)
    }
    values[4] = achievement
    return values


# ---------------------------------------------------------------------------------------------------------
# The workflow timeline


@dataclass(frozen=True)
class Step:
    action: str  # a key of workflow.transitions.TRANSITIONS
    at: datetime.datetime
    user_id: int
    comment: str = ""


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A time in office hours on ``day``, in the site's time zone."""
    minutes = rng.randint(9 * 60, 17 * 60)
    naive = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _gap(rng: random.Random, low_hours: float, high_hours: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=rng.randint(int(low_hours * 60), int(high_hours * 60)))


def period_timeline(
    rng: random.Random,
    *,
    deadline: datetime.date,
    as_of: datetime.datetime,
    closing: bool,
    officer: int,
    cio: int,
    reviewer: int,
) -> list[Step]:
    """What happened to one period up to ``as_of``: submitted around the deadline (some late, some never),
    perhaps returned by the CIO or by the reviewer and submitted again, approved, sent, accepted.

    ``closing``: the deadline is the one the data set is taken at (more offices have not submitted yet).
    Steps after ``as_of`` have not happened; the period's state is where the last one left it.
    """
    # A quarter whose deadline is long past is mostly done: it had to be, for the next ones to go forward
    # (quarters go in order, DESIGN.md §4). On the closing deadline many are still on their way.
    if rng.random() < (0.04 if closing else 0.01):
        return []  # never submitted
    late = rng.random() < (0.30 if closing else 0.12)
    day = deadline + datetime.timedelta(days=rng.randint(1, 25) if late else -rng.randint(0, 13))
    t = _moment(day, rng)
    submitter = officer if rng.random() < 0.85 else cio
    steps = [Step("submit", t, submitter)]

    weights = [0.03, 0.04, 0.13, 0.80] if closing else [0.005, 0.005, 0.02, 0.97]
    stop = rng.choices(["submitted", "approved", "sent", "accepted"], weights)[0]
    if rng.random() < 0.08:  # the CIO sends it back first
        t += _gap(rng, 3, 72)
        steps.append(Step("return", t, cio, rng.choice(RETURN_COMMENTS)))
        if rng.random() < 0.3:
            stop = "returned"
        else:
            t += _gap(rng, 20, 150)
            steps.append(Step("submit", t, submitter))
    if stop not in ("submitted", "returned"):
        t += _gap(rng, 2, 96)
        steps.append(Step("approve", t, cio))
    if stop in ("sent", "accepted"):
        t += _gap(rng, 1, 48)
        steps.append(Step("send", t, cio))
        if rng.random() < 0.06:  # the higher office sends it back
            t += _gap(rng, 24, 240)
            steps.append(Step("review_return", t, reviewer, rng.choice(REVIEW_RETURN_COMMENTS)))
            if rng.random() < 0.3:
                stop = "returned"
            else:
                for action, low, high, user in (
                    ("submit", 20, 150, submitter),
                    ("approve", 2, 72, cio),
                    ("send", 1, 24, cio),
                ):
                    t += _gap(rng, low, high)
                    steps.append(Step(action, t, user))
    if stop == "accepted":
        t += _gap(rng, 24, 480)
        steps.append(Step("accept", t, reviewer))
    return [step for step in steps if step.at <= as_of]


def default_as_of(start_year: int) -> datetime.datetime:
    """The moment the data describes: the annual report's deadline (15 July) at 18:00, or now if earlier."""
    closing = datetime.datetime.combine(default_deadline(start_year, 4), datetime.time(18, 0))
    return min(timezone.now(), timezone.make_aware(closing, timezone.get_default_timezone()))


# ---------------------------------------------------------------------------------------------------------
# The shared evidence file


@functools.cache
def _sample_pdf() -> bytes:
    """Rendered once per process (WeasyPrint takes a second or two); the same bytes every time."""
    return sample_pdf(2)


@dataclass(frozen=True)
class SharedEvidence:
    name: str
    size: int
    pages: int
    sha256: str
    stored_now: bool  # this run stored it (and removes it again if the run fails)


def shared_evidence_store() -> SharedEvidence:
    """One two-page sample PDF (the `make_sample_evidence` one), stored once under its SHA-256."""
    from evidence.validators import check_evidence_bytes

    data = _sample_pdf()
    checked = check_evidence_bytes(data, max_bytes=len(data))
    sha256 = hashlib.sha256(data).hexdigest()
    name = f"evidence/{PREFIX}shared/{sha256}.pdf"
    stored_now = not default_storage.exists(name)
    if stored_now:
        name = default_storage.save(name, ContentFile(data))
    return SharedEvidence(name, len(data), checked.page_count, sha256, stored_now)


# ---------------------------------------------------------------------------------------------------------
# Writing: plain rows, not model instances (creating and preparing millions of instances took most of the time:
# about 50 s per 1,200 offices with bulk_create), written with COPY on PostgreSQL and executemany elsewhere.


@dataclass
class LoadResult:
    sizes: TreeSizes
    rows: Counter[str]
    states: Counter[tuple[int, str]]
    percents: list[Decimal]  # each office's annual percent from all values entered
    password: str
    sample_users: list[str]
    as_of: datetime.datetime
    seconds: float


class _Table:
    """Rows for one table, in the order of ``fields`` (attribute names, e.g. ``plan_id``)."""

    def __init__(self, model: type[models.Model], fields: list[str]):
        self.model = model
        self.fields = [model._meta.get_field(name.removesuffix("_id")) for name in fields]
        self.rows: list[tuple] = []
        # A model change must not leave a required column out of the raw rows silently.
        required = {
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key
            and not f.generated
            and not f.null
            and not f.has_default()
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
        }
        missing = required - {f.attname for f in self.fields}
        if missing:
            raise RuntimeError(f"loadgen writes {model.__name__} without {sorted(missing)}")

    def write(self) -> int:
        if not self.rows:
            return 0
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if connection.vendor == "postgresql" and hasattr(raw, "copy_expert"):
                buffer = io.StringIO()
                for row in self.rows:
                    buffer.write("\t".join(map(_copy_text, row)))
                    buffer.write("\n")
                buffer.seek(0)
                raw.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
            else:
                placeholders = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                    [
                        [f.get_db_prep_save(v, connection) for f, v in zip(self.fields, row, strict=True)]
                        for row in self.rows
                    ],
                )
        count = len(self.rows)
        self.rows = []
        return count


def _copy_text(value: object) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # dates, and aware datetimes with their offset
        return value.isoformat()
    if isinstance(value, dict):
        value = json.dumps(value)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _ids(model: type[models.Model], count: int) -> Iterator[int]:
    """``count`` new primary keys: taken from the table's sequence on PostgreSQL; after the largest one
    elsewhere (SQLite has one writer, and this transaction holds the write lock since the offices)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return iter([row[0] for row in cursor.fetchall()])
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
        return iter(range(first, first + count))


@dataclass
class _Chunk:
    plans: _Table = field(
        default_factory=lambda: _Table(
            ActionPlan, ["id", "office_id", "fiscal_year_id", "created_at", "updated_at"]
        )
    )
    areas: _Table = field(
        default_factory=lambda: _Table(
            PerformanceArea, ["id", "plan_id", "code", "title", "marks", "position"]
        )
    )
    activities: _Table = field(
        default_factory=lambda: _Table(Activity, ["id", "plan_id", "area_id", "code", "title", "position"])
    )
    indicators: _Table = field(
        default_factory=lambda: _Table(
            Indicator,
            [
                "id",
                "plan_id",
                "activity_id",
                "code",
                "title",
                "unit",
                "weight",
                "calc_method",
                "scoring_method",
                "direction",
                *TARGET_COLUMNS,
                "applicable",
                "not_applicable_reason",
                "position",
            ],
        )
    )
    periods: _Table = field(
        default_factory=lambda: _Table(
            ReportingPeriod, ["id", "plan_id", "quarter", "state", "deadline", "version", "score_snapshot"]
        )
    )
    progress: _Table = field(
        default_factory=lambda: _Table(
            Progress,
            [
                "indicator_id",
                "quarter",
                "value_number",
                "value_date",
                "remark",
                "recorded_by_id",
                "recorded_at",
                "version",
            ],
        )
    )
    transitions: _Table = field(
        default_factory=lambda: _Table(
            PeriodTransition, ["period_id", "from_state", "to_state", "user_id", "at", "comment"]
        )
    )
    approvals: _Table = field(
        default_factory=lambda: _Table(
            Approval,
            [
                "period_id",
                "number",
                "approved_by_id",
                "approved_at",
                "score_snapshot",
                "source_sha256",
                "sent_at",
                "superseded_at",
            ],
        )
    )
    evidence: _Table = field(
        default_factory=lambda: _Table(
            Evidence,
            [
                "indicator_id",
                "quarter",
                "title",
                "file",
                "original_name",
                "content_type",
                "size",
                "page_count",
                "sha256",
                "position",
                "uploaded_by_id",
                "uploaded_at",
            ],
        )
    )
    history: _Table = field(
        default_factory=lambda: _Table(
            HistoryEntry,
            [
                "plan_id",
                "indicator_id",
                "indicator_code",
                "quarter",
                "kind",
                "before",
                "after",
                "reason",
                "user_id",
                "at",
            ],
        )
    )

    def tables(self) -> list[_Table]:
        return [
            self.plans,
            self.areas,
            self.activities,
            self.indicators,
            self.periods,
            self.approvals,
            self.progress,
            self.transitions,
            self.evidence,
            self.history,
        ]


@dataclass
class _Context:
    seed: int
    fiscal_year: FiscalYear
    as_of: datetime.datetime
    template: PlanTemplate
    evidence: SharedEvidence
    roles: dict[str, dict[str, int]]  # office code → role → user id
    parent_code: dict[str, str]
    with_children: set[str]
    states: Counter[tuple[int, str]] = field(default_factory=Counter)
    percents: list[Decimal] = field(default_factory=list)


def load_data_generate(
    *,
    offices: int,
    year_code: str,
    seed: int = 1,
    password: str,
    as_of: datetime.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Generate the data set in one transaction (nested in the caller's, if any); on any failure nothing is
    left, not even the shared evidence file if this run stored it."""
    started = time.monotonic()
    say = progress or (lambda _line: None)
    start_year = options_check(offices=offices, year_code=year_code)
    if generated_data_exists():
        raise DomainError(
            f"এই ডাটাবেজে আগেই তৈরি করা লোড-পরীক্ষার তথ্য আছে (কোড '{PREFIX}' দিয়ে শুরু দপ্তর বা ব্যবহারকারী)। "
            "ইতিহাস মুছে ফেলা যায় না বলে এগুলো মোছা হয় না; নতুন একটি ডাটাবেজে চালান।",
            f"Generated load data already exists in this database (offices or users whose code starts with "
            f"'{PREFIX}'). History is append-only, so it is not deleted; run on a fresh database.",
        )
    as_of = as_of or default_as_of(start_year)
    tree = office_tree(offices, seed)
    template = plan_template(start_year)
    shared = shared_evidence_store()
    try:
        with transaction.atomic():
            result = _generate(
                tree=tree,
                sizes=tree_sizes(offices),
                seed=seed,
                start_year=start_year,
                password=password,
                as_of=as_of,
                template=template,
                shared=shared,
                say=say,
                started=started,
            )
    except BaseException:
        if shared.stored_now:
            default_storage.delete(shared.name)
        raise
    result.seconds = time.monotonic() - started
    return result


def _generate(
    *,
    tree: list[OfficeSpec],
    sizes: TreeSizes,
    seed: int,
    start_year: int,
    password: str,
    as_of: datetime.datetime,
    template: PlanTemplate,
    shared: SharedEvidence,
    say: Callable[[str], None],
    started: float,
) -> LoadResult:
    rows: Counter[str] = Counter()
    fiscal_year = fiscal_year_get_or_create(code=fiscal_year_label(start_year, bangla=False))
    root = Office.objects.filter(code=ROOT_CODE).first()
    if root is None:
        root = Office.objects.create(
            code=ROOT_CODE,
            name_bn="মন্ত্রিপরিষদ বিভাগ",
            name_en="Cabinet Division",
            kind=OfficeKind.DIVISION,
            address_bn="বাংলাদেশ সচিবালয়, ঢাকা",
            website="https://cabinet.gov.bd",
        )
        rows["indicators.Office"] += 1

    # Offices, level by level so that every parent has its id before its children are written.
    office_ids = {ROOT_CODE: root.pk}
    created: dict[str, Office] = {}
    for level in sorted({s.level for s in tree}):
        batch = [
            Office(
                code=s.code,
                name_bn=s.name_bn,
                name_en=s.name_en,
                kind=s.kind,
                parent_id=office_ids[s.parent],
                address_bn=s.address_bn,
            )
            for s in tree
            if s.level == level
        ]
        Office.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        for office in batch:
            office_ids[office.code] = office.pk
            created[office.code] = office
        rows["indicators.Office"] += len(batch)
    say(f"দপ্তর / offices: {len(created)} ({_elapsed(started)})")

    with_children = {s.parent for s in tree}
    roles = _users_create(
        tree=tree,
        with_children=with_children,
        root=root,
        office_ids=office_ids,
        password=password,
        start_year=start_year,
        rows=rows,
    )
    say(f"ব্যবহারকারী / users: {rows['auth.User']} ({_elapsed(started)})")

    context = _Context(
        seed=seed,
        fiscal_year=fiscal_year,
        as_of=as_of,
        template=template,
        evidence=shared,
        roles=roles,
        parent_code={s.code: s.parent for s in tree},
        with_children=with_children,
    )
    reported = 0
    done = 0
    # Chunks of at most CHUNK_OFFICES (memory), and at least twenty of them (a progress line per 10 %).
    size = max(1, min(CHUNK_OFFICES, math.ceil(len(tree) / 20)))
    for chunk_start in range(0, len(tree), size):
        chunk = [created[s.code] for s in tree[chunk_start : chunk_start + size]]
        _chunk_write(context, chunk, rows)
        done += len(chunk)
        reached = done * 10 // len(tree) * 10
        if reached > reported:
            say(f"{reached}% — {done}/{len(tree)} দপ্তরের পরিকল্পনা / plans written ({_elapsed(started)})")
            reported = reached

    first, field_office = tree[0].code, next((s.code for s in tree if s.level >= 3), None)
    sample_users = [f"{first}.officer", f"{first}.cio"]
    if first in with_children:
        sample_users.append(f"{first}.reviewer")
    if field_office:
        sample_users.append(f"{field_office}.officer")
    sample_users.append(ROOT_REVIEWER)
    return LoadResult(
        sizes=sizes,
        rows=rows,
        states=context.states,
        percents=context.percents,
        password=password,
        sample_users=sample_users,
        as_of=as_of,
        seconds=0.0,
    )


def _elapsed(started: float) -> str:
    return f"{time.monotonic() - started:.1f} s"


ROLE_NAMES = {
    Role.OFFICER: "আইসিটি কর্মকর্তা",
    Role.CIO: "চিফ ইনোভেশন অফিসার",
    Role.REVIEWER: "পর্যালোচক",
}


def _users_create(
    *,
    tree: list[OfficeSpec],
    with_children: set[str],
    root: Office,
    office_ids: dict[str, int],
    password: str,
    start_year: int,
    rows: Counter[str],
) -> dict[str, dict[str, int]]:
    """An officer and a CIO for every office, a reviewer for every office with child offices; one password
    hashed once (hashing 50,000 times would take longer than everything else together)."""
    User = get_user_model()
    hashed = make_password(password)
    joined = timezone.make_aware(datetime.datetime(start_year, 6, 1, 10, 0), timezone.get_default_timezone())
    wanted: list[tuple[str, str, str]] = [(ROOT_CODE, Role.REVIEWER, ROOT_REVIEWER)]
    for spec in tree:
        wanted.append((spec.code, Role.OFFICER, f"{spec.code}.officer"))
        wanted.append((spec.code, Role.CIO, f"{spec.code}.cio"))
        if spec.code in with_children:
            wanted.append((spec.code, Role.REVIEWER, f"{spec.code}.reviewer"))
    names = {spec.code: spec.name_bn for spec in tree} | {ROOT_CODE: root.name_bn}
    users = [
        User(
            username=username,
            first_name=f"{ROLE_NAMES[role]}, {names[code]}"[:150],
            password=hashed,
            is_active=True,
            date_joined=joined,
        )
        for code, role, username in wanted
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    memberships = [
        OfficeMembership(user_id=user.pk, office_id=office_ids[code], role=role)
        for (code, role, _username), user in zip(wanted, users, strict=True)
    ]
    OfficeMembership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    rows["auth.User"] += len(users)
    rows["indicators.OfficeMembership"] += len(memberships)
    roles: dict[str, dict[str, int]] = {}
    for (code, role, _username), user in zip(wanted, users, strict=True):
        roles.setdefault(code, {})[role] = user.pk
    return roles


def _chunk_write(context: _Context, offices: list[Office], rows: Counter[str]) -> None:
    """The plans of a few hundred offices: rows built in memory with reserved ids, then written table by table."""
    template = context.template
    n = len(offices)
    ids = {
        "plans": _ids(ActionPlan, n),
        "areas": _ids(PerformanceArea, n * len(template.areas)),
        "activities": _ids(Activity, n * len(template.activities)),
        "indicators": _ids(Indicator, n * len(template.indicators)),
        "periods": _ids(ReportingPeriod, n * 4),
    }
    chunk = _Chunk()
    for office in offices:
        _office_plan(context, office, chunk, ids)
    for table in chunk.tables():
        rows[table.model._meta.label] += table.write()


def _office_plan(context: _Context, office: Office, out: _Chunk, ids: dict[str, Iterator[int]]) -> None:
    """One office's plan, periods, progress, evidence and history (drawn from the office's own generator)."""
    rng = random.Random(f"{context.seed}:{office.code}")
    fiscal_year, template, as_of = context.fiscal_year, context.template, context.as_of
    start_year = fiscal_year.start_year
    fy_start, fy_end = fiscal_year.starts_on, fiscal_year.ends_on
    roles = context.roles[office.code]
    officer, cio = roles[Role.OFFICER], roles[Role.CIO]
    reviewer = context.roles[context.parent_code[office.code]][Role.REVIEWER]
    tz = timezone.get_default_timezone()

    plan_id = next(ids["plans"])
    created_at = timezone.make_aware(
        datetime.datetime.combine(
            fy_start - datetime.timedelta(days=rng.randint(5, 40)), datetime.time(11, 0)
        ),
        tz,
    )
    out.plans.rows.append((plan_id, office.pk, fiscal_year.pk, created_at, created_at))
    area_ids: dict[str, int] = {}
    for position, (code, title, marks) in enumerate(template.areas):
        area_ids[code] = next(ids["areas"])
        out.areas.rows.append((area_ids[code], plan_id, code, title, marks, position))
    activity_ids: dict[str, int] = {}
    for position, (code, title, area_code) in enumerate(template.activities):
        activity_ids[code] = next(ids["activities"])
        out.activities.rows.append((activity_ids[code], plan_id, area_ids[area_code], code, title, position))

    # The workflow first: when each quarter was first submitted bounds when its values were written.
    reached = [q for q in (1, 2, 3, 4) if report_span(start_year, ReportKind.QUARTERLY, q)[0] <= as_of.date()]
    timelines: dict[int, list[Step]] = {}
    for quarter in (1, 2, 3, 4):
        deadline = default_deadline(start_year, quarter)
        timelines[quarter] = (
            period_timeline(
                rng,
                deadline=deadline,
                as_of=as_of,
                closing=as_of.date() - datetime.timedelta(days=3) <= deadline,
                officer=officer,
                cio=cio,
                reviewer=reviewer,
            )
            if quarter in reached
            else []
        )
    # Quarters go forward in order (DESIGN.md §4): no quarter ends further on than the one before it, so a
    # quarter's timeline stops at the first step that would take it past the earlier quarter's end.
    cap = 4
    for quarter in (1, 2, 3, 4):
        kept = []
        for step in timelines[quarter]:
            if STATE_RANK[TRANSITIONS[step.action].to_state] > cap:
                break
            kept.append(step)
        timelines[quarter] = kept
        end = TRANSITIONS[kept[-1].action].to_state if kept else PeriodState.DRAFT
        cap = STATE_RANK[end]

    def written_at(quarter: int) -> datetime.datetime:
        """A moment when a value of ``quarter`` was written: late in the quarter or soon after, before the
        quarter was first submitted and before ``as_of``."""
        first, last = report_span(start_year, ReportKind.QUARTERLY, quarter)
        low = timezone.make_aware(
            datetime.datetime.combine(max(first, last - datetime.timedelta(days=20)), datetime.time(9)), tz
        )
        high = as_of - datetime.timedelta(hours=1)
        if timelines[quarter]:
            high = min(high, timelines[quarter][0].at - datetime.timedelta(hours=1))
        if high <= low:
            low = high - datetime.timedelta(days=1)
        return low + datetime.timedelta(seconds=rng.randint(0, int((high - low).total_seconds())))

    def history(
        kind: str,
        at: datetime.datetime,
        user: int,
        *,
        indicator: tuple[int, str] | None = None,
        quarter: int | None = None,
        before: object = None,
        after: object = None,
        reason: str = "",
    ) -> None:
        indicator_id, indicator_code = indicator or (None, "")
        out.history.rows.append(
            (
                plan_id,
                indicator_id,
                indicator_code,
                quarter,
                kind,
                history_text(before),
                history_text(after),
                reason,
                user,
                at,
            )
        )

    quality = _office_quality(rng)
    weights = _varied_weights(rng, template)
    area_inputs = [scoring.AreaInput(code=code, marks=marks) for code, _t, marks in template.areas]
    score_inputs: list[scoring.IndicatorInput] = []
    for position, item in enumerate(template.indicators):
        indicator_id = next(ids["indicators"])
        indicator = (indicator_id, item.code)
        targets = _varied_targets(rng, item, fy_start, fy_end)
        applicable, reason = True, ""
        if item.code == SUBORDINATE_REPORTS_INDICATOR and office.code not in context.with_children:
            applicable, reason = False, "আওতাধীন কোনো দপ্তর/সংস্থা নেই।"
        elif rng.random() < 0.02:
            applicable, reason = False, rng.choice(NOT_APPLICABLE_REASONS)
        weight = Decimal(weights[item.code]).quantize(TWO_PLACES)
        is_date = item.unit is scoring.Unit.DATE
        target_columns = []
        for level in scoring.LEVEL_PERCENTS:
            value = targets.get(level)
            target_columns += [None, value] if is_date else [value, None]
        out.indicators.rows.append(
            (
                indicator_id,
                plan_id,
                activity_ids[item.activity_code],
                item.code,
                item.title,
                item.unit.value,
                weight,
                item.calc_method.value,
                item.scoring_method.value,
                item.direction.value,
                *target_columns,
                applicable,
                reason,
                position,
            )
        )
        if not applicable:
            history(
                HistoryKind.APPLICABILITY,
                created_at + datetime.timedelta(days=rng.randint(1, 20)),
                officer,
                indicator=indicator,
                before=True,
                after=False,
                reason=reason,
            )
            score_inputs.append(_score_input(item, weight, targets, {}, applicable=False))
            continue

        achievement = _achievement_for(rng, item, targets, quality + rng.gauss(0, 9))
        values = {
            q: v
            for q, v in _quarterly(rng, item, achievement).items()
            if q in reached and not (isinstance(v, datetime.date) and (v > as_of.date() or v > fy_end))
        }
        remarks: dict[int, str] = {}
        for quarter in values:
            if rng.random() < 0.15:
                remarks[quarter] = rng.choice(PROGRESS_REMARKS)
        if is_date:  # "under way" in quarters before the one in which the date was reached
            done_in = min(values, default=5)
            for quarter in reached:
                if quarter < done_in and rng.random() < 0.25:
                    remarks[quarter] = "কার্যক্রম চলমান।"
        recorded: dict[int, Value | None] = {}
        for quarter in sorted(set(values) | set(remarks)):
            value = _stored(values.get(quarter))
            remark = remarks.get(quarter, "")
            at = written_at(quarter)
            user = officer if rng.random() < 0.9 else cio
            number, day = (None, value) if isinstance(value, datetime.date) else (value, None)
            out.progress.rows.append((indicator_id, quarter, number, day, remark, user, at, 1))
            recorded[quarter] = value
            # As history_progress_change records a first entry: one row for the value, one for the remark.
            if value is not None:
                history(HistoryKind.VALUE, at, user, indicator=indicator, quarter=quarter, after=value)
            if remark:
                history(HistoryKind.REMARK, at, user, indicator=indicator, quarter=quarter, after=remark)

        # Evidence: for the last reported quarter mostly, for earlier ones now and then.
        reported = [q for q, v in recorded.items() if v is not None]
        evidence_position = 0
        for quarter in reported:
            if rng.random() < (0.8 if quarter == reported[-1] else 0.15):
                evidence_position += 1
                title = rng.choice(EVIDENCE_TITLES)
                at = written_at(quarter)
                shared = context.evidence
                out.evidence.rows.append(
                    (
                        indicator_id,
                        quarter,
                        title,
                        shared.name,
                        f"{item.code.replace('.', '-')}-q{quarter}.pdf",
                        ContentType.PDF.value,
                        shared.size,
                        shared.pages,
                        shared.sha256,
                        evidence_position,
                        officer,
                        at,
                    )
                )
                history(
                    HistoryKind.EVIDENCE_ADDED,
                    at,
                    officer,
                    indicator=indicator,
                    quarter=quarter,
                    after=f"{title} ({shared.sha256[:12]})",
                )
        score_inputs.append(_score_input(item, weight, targets, recorded, applicable=True))

    plan = ActionPlan(office=office, fiscal_year=fiscal_year)  # unsaved: what plan_score_json reads
    for quarter in (1, 2, 3, 4):
        steps = timelines[quarter]
        period_id = next(ids["periods"])
        # The steps through the workflow's own transitions: the period ends where the last one left it.
        state = PeriodState.DRAFT.value
        for step in steps:
            transition = TRANSITIONS[step.action]
            assert state in transition.from_states, (state, step.action)
            after = transition.to_state.value
            out.transitions.rows.append((period_id, state, after, step.user_id, step.at, step.comment))
            history(
                HistoryKind.STATE,
                step.at,
                step.user_id,
                quarter=quarter,
                before=state,
                after=after,
                reason=step.comment,
            )
            state = after
        snapshot = None
        if any(step.action == "approve" for step in steps):
            # What reports.approvals.score_snapshot stores at each approval (the values do not change after
            # it). Each approval is a version: superseded by the next return, sent by the next sending. No
            # source digest: the generated approvals have no stored copies (checked by their marks only).
            result = scoring.score_plan(area_inputs, score_inputs, up_to_quarter=quarter)
            snapshot = plan_score_json(plan, result)
            versions: list[list] = []
            for step in steps:
                if step.action == "approve":
                    versions.append(
                        [period_id, len(versions) + 1, step.user_id, step.at, snapshot, "", None, None]
                    )
                elif step.action == "send":
                    versions[-1][6] = step.at
                elif step.action in ("return", "review_return") and versions and versions[-1][7] is None:
                    versions[-1][7] = step.at
            out.approvals.rows.extend(tuple(version) for version in versions)
        standing = (
            snapshot if state in (PeriodState.APPROVED, PeriodState.SENT, PeriodState.ACCEPTED) else None
        )
        out.periods.rows.append(
            (period_id, plan_id, quarter, state, default_deadline(start_year, quarter), len(steps), standing)
        )
        context.states[(quarter, state)] += 1
    # The annual percent from everything entered so far (reported at the end: the spread of the data set).
    context.percents.append(scoring.score_plan(area_inputs, score_inputs, up_to_quarter=4).percent)


def _score_input(
    item: ParsedIndicator,
    weight: Decimal,
    targets: dict[int, Value | None],
    quarterly: dict[int, Value | None],
    *,
    applicable: bool,
) -> scoring.IndicatorInput:
    """What ``indicators.scores`` builds from the stored rows, from the rows this run writes."""
    return scoring_input(
        code=item.code,
        area_code=item.area_code,
        unit=item.unit.value,
        weight=weight,
        calc_method=item.calc_method.value,
        scoring_method=item.scoring_method.value,
        direction=item.direction.value,
        targets=[targets.get(level) for level in TARGET_LEVELS],
        quarterly=quarterly,
        applicable=applicable,
    )


# ---------------------------------------------------------------------------------------------------------
# Texts


RETURN_COMMENTS = [
    "প্রমাণক অসম্পূর্ণ; সংশোধন করে পুনরায় দাখিল করুন।",
    "ই-নথির অর্জনের সপক্ষে বার্ষিক প্রতিবেদন সংযুক্ত করুন।",
    "অগ্রগতির মন্তব্য হালনাগাদ করে পুনরায় দাখিল করুন।",
    "লক্ষ্যমাত্রার সাথে অর্জনের অসামঞ্জস্য ব্যাখ্যা করুন।",
]
REVIEW_RETURN_COMMENTS = [
    "প্রেরণপত্রে স্মারক নম্বর ও তারিখ সংশোধন প্রয়োজন।",
    "প্রমাণকের সূচীপত্র অসম্পূর্ণ; সংশোধন করে পুনরায় প্রেরণ করুন।",
    "অর্জিত নম্বরের সপক্ষে প্রমাণক যথেষ্ট নয়।",
]
PROGRESS_REMARKS = [
    "সভার কার্যবিবরণী সংযুক্ত করা হয়েছে।",
    "অফিস আদেশের মাধ্যমে বাস্তবায়িত।",
    "তথ্য বাতায়নে প্রকাশ করা হয়েছে।",
    "ই-নথি কার্যক্রমের প্রতিবেদন অনুযায়ী।",
    "প্রশিক্ষণের হাজিরা সংযুক্ত।",
]
NOT_APPLICABLE_REASONS = [
    "চলতি অর্থবছরে এই কার্যক্রমের জন্য বাজেট বরাদ্দ নেই।",
    "দপ্তরের কার্যপরিধির সাথে সংশ্লিষ্ট নয়।",
]
EVIDENCE_TITLES = [
    "সভার কার্যবিবরণী",
    "অফিস আদেশ",
    "প্রশিক্ষণের হাজিরা",
    "তথ্য বাতায়নের স্ক্রিনশট",
    "প্রতিবেদন প্রেরণের পত্র",
    "বাস্তবায়ন প্রতিবেদন",
    "ই-নথির পরিসংখ্যান",
]
DEPARTMENT_TEMPLATES = [
    ("{t} পরিদপ্তর", "Directorate of {t}", OfficeKind.DEPARTMENT),
    ("{t} গবেষণা ইনস্টিটিউট", "{t} Research Institute", OfficeKind.AGENCY),
    ("{t} উন্নয়ন কর্তৃপক্ষ", "{t} Development Authority", OfficeKind.AGENCY),
    ("{t} প্রশিক্ষণ একাডেমি", "{t} Training Academy", OfficeKind.AGENCY),
    ("{t} উন্নয়ন ফাউন্ডেশন", "{t} Development Foundation", OfficeKind.AGENCY),
    ("{t} তথ্য ও সেবা কেন্দ্র", "{t} Information and Service Centre", OfficeKind.AGENCY),
]


# ---------------------------------------------------------------------------------------------------------
# Names: real ministries and divisions (besides the demo's three: foreign affairs, statistics and
# informatics, social welfare) with some of their real departments and agencies; the eight divisions, 64
# districts and their upazilas.


@dataclass(frozen=True)
class Ministry:
    name_bn: str
    name_en: str
    kind: str
    topic_bn: str
    topic_en: str
    departments: tuple[tuple[str, str, str], ...] = ()


D, A = OfficeKind.DEPARTMENT, OfficeKind.AGENCY
M, V = OfficeKind.MINISTRY, OfficeKind.DIVISION

MINISTRIES: tuple[Ministry, ...] = (
    Ministry(
        "প্রধানমন্ত্রীর কার্যালয়",
        "Prime Minister's Office",
        M,
        "বিনিয়োগ",
        "Investment",
        (
            ("বাংলাদেশ রপ্তানি প্রক্রিয়াকরণ এলাকা কর্তৃপক্ষ", "Bangladesh Export Processing Zones Authority", A),
            ("বাংলাদেশ অর্থনৈতিক অঞ্চল কর্তৃপক্ষ", "Bangladesh Economic Zones Authority", A),
            ("বাংলাদেশ বিনিয়োগ উন্নয়ন কর্তৃপক্ষ", "Bangladesh Investment Development Authority", A),
            ("এনজিও বিষয়ক ব্যুরো", "NGO Affairs Bureau", D),
        ),
    ),
    Ministry(
        "কৃষি মন্ত্রণালয়",
        "Ministry of Agriculture",
        M,
        "কৃষি",
        "Agriculture",
        (
            ("কৃষি সম্প্রসারণ অধিদপ্তর", "Department of Agricultural Extension", D),
            ("বাংলাদেশ কৃষি গবেষণা ইনস্টিটিউট", "Bangladesh Agricultural Research Institute", A),
            ("বাংলাদেশ ধান গবেষণা ইনস্টিটিউট", "Bangladesh Rice Research Institute", A),
            ("বাংলাদেশ কৃষি উন্নয়ন কর্পোরেশন", "Bangladesh Agricultural Development Corporation", A),
            ("কৃষি বিপণন অধিদপ্তর", "Department of Agricultural Marketing", D),
            ("মৃত্তিকা সম্পদ উন্নয়ন ইনস্টিটিউট", "Soil Resource Development Institute", A),
            ("বরেন্দ্র বহুমুখী উন্নয়ন কর্তৃপক্ষ", "Barind Multipurpose Development Authority", A),
            ("বাংলাদেশ পরমাণু কৃষি গবেষণা ইনস্টিটিউট", "Bangladesh Institute of Nuclear Agriculture", A),
            ("কৃষি তথ্য সার্ভিস", "Agriculture Information Service", D),
            ("বীজ প্রত্যয়ন এজেন্সি", "Seed Certification Agency", A),
            ("বাংলাদেশ কৃষি গবেষণা কাউন্সিল", "Bangladesh Agricultural Research Council", A),
        ),
    ),
    Ministry(
        "খাদ্য মন্ত্রণালয়",
        "Ministry of Food",
        M,
        "খাদ্য",
        "Food",
        (
            ("খাদ্য অধিদপ্তর", "Directorate General of Food", D),
            ("বাংলাদেশ নিরাপদ খাদ্য কর্তৃপক্ষ", "Bangladesh Food Safety Authority", A),
        ),
    ),
    Ministry(
        "মৎস্য ও প্রাণিসম্পদ মন্ত্রণালয়",
        "Ministry of Fisheries and Livestock",
        M,
        "মৎস্য ও প্রাণিসম্পদ",
        "Fisheries and Livestock",
        (
            ("মৎস্য অধিদপ্তর", "Department of Fisheries", D),
            ("প্রাণিসম্পদ অধিদপ্তর", "Department of Livestock Services", D),
            ("বাংলাদেশ মৎস্য গবেষণা ইনস্টিটিউট", "Bangladesh Fisheries Research Institute", A),
            ("বাংলাদেশ প্রাণিসম্পদ গবেষণা ইনস্টিটিউট", "Bangladesh Livestock Research Institute", A),
            ("বাংলাদেশ মৎস্য উন্নয়ন কর্পোরেশন", "Bangladesh Fisheries Development Corporation", A),
        ),
    ),
    Ministry(
        "পরিবেশ, বন ও জলবায়ু পরিবর্তন মন্ত্রণালয়",
        "Ministry of Environment, Forest and Climate Change",
        M,
        "পরিবেশ ও বন",
        "Environment and Forest",
        (
            ("পরিবেশ অধিদপ্তর", "Department of Environment", D),
            ("বন অধিদপ্তর", "Forest Department", D),
            ("বাংলাদেশ বন গবেষণা ইনস্টিটিউট", "Bangladesh Forest Research Institute", A),
            ("বাংলাদেশ জাতীয় হারবেরিয়াম", "Bangladesh National Herbarium", A),
            ("বাংলাদেশ জলবায়ু পরিবর্তন ট্রাস্ট", "Bangladesh Climate Change Trust", A),
        ),
    ),
    Ministry(
        "পানি সম্পদ মন্ত্রণালয়",
        "Ministry of Water Resources",
        M,
        "পানি সম্পদ",
        "Water Resources",
        (
            ("বাংলাদেশ পানি উন্নয়ন বোর্ড", "Bangladesh Water Development Board", A),
            ("নদী গবেষণা ইনস্টিটিউট", "River Research Institute", A),
            ("যৌথ নদী কমিশন", "Joint Rivers Commission", A),
            ("পানি সম্পদ পরিকল্পনা সংস্থা", "Water Resources Planning Organization", A),
            ("বাংলাদেশ হাওর ও জলাভূমি উন্নয়ন অধিদপ্তর", "Department of Bangladesh Haor and Wetlands Development", D),
        ),
    ),
    Ministry(
        "ভূমি মন্ত্রণালয়",
        "Ministry of Land",
        M,
        "ভূমি",
        "Land",
        (
            ("ভূমি রেকর্ড ও জরিপ অধিদপ্তর", "Department of Land Records and Surveys", D),
            ("ভূমি সংস্কার বোর্ড", "Land Reform Board", A),
            ("ভূমি আপিল বোর্ড", "Land Appeal Board", A),
            ("ভূমি প্রশাসন প্রশিক্ষণ কেন্দ্র", "Land Administration Training Centre", A),
        ),
    ),
    Ministry(
        "জননিরাপত্তা বিভাগ",
        "Public Security Division",
        V,
        "জননিরাপত্তা",
        "Public Security",
        (
            ("বাংলাদেশ পুলিশ", "Bangladesh Police", D),
            ("বর্ডার গার্ড বাংলাদেশ", "Border Guard Bangladesh", D),
            ("বাংলাদেশ আনসার ও গ্রাম প্রতিরক্ষা বাহিনী", "Bangladesh Ansar and Village Defence Party", D),
            ("বাংলাদেশ কোস্ট গার্ড", "Bangladesh Coast Guard", D),
        ),
    ),
    Ministry(
        "সুরক্ষা সেবা বিভাগ",
        "Security Services Division",
        V,
        "সুরক্ষা সেবা",
        "Security Services",
        (
            ("ইমিগ্রেশন ও পাসপোর্ট অধিদপ্তর", "Department of Immigration and Passports", D),
            ("কারা অধিদপ্তর", "Department of Prisons", D),
            ("মাদকদ্রব্য নিয়ন্ত্রণ অধিদপ্তর", "Department of Narcotics Control", D),
            ("ফায়ার সার্ভিস ও সিভিল ডিফেন্স অধিদপ্তর", "Fire Service and Civil Defence", D),
        ),
    ),
    Ministry(
        "আইন ও বিচার বিভাগ",
        "Law and Justice Division",
        V,
        "বিচার",
        "Justice",
        (
            ("নিবন্ধন অধিদপ্তর", "Department of Registration", D),
            ("জাতীয় আইনগত সহায়তা প্রদান সংস্থা", "National Legal Aid Services Organisation", A),
            ("বিচার প্রশাসন প্রশিক্ষণ ইনস্টিটিউট", "Judicial Administration Training Institute", A),
        ),
    ),
    Ministry(
        "লেজিসলেটিভ ও সংসদ বিষয়ক বিভাগ",
        "Legislative and Parliamentary Affairs Division",
        V,
        "আইন প্রণয়ন",
        "Legislation",
    ),
    Ministry(
        "স্বাস্থ্য সেবা বিভাগ",
        "Health Services Division",
        V,
        "স্বাস্থ্য সেবা",
        "Health Services",
        (
            ("স্বাস্থ্য অধিদপ্তর", "Directorate General of Health Services", D),
            ("ঔষধ প্রশাসন অধিদপ্তর", "Directorate General of Drug Administration", D),
            ("স্বাস্থ্য প্রকৌশল অধিদপ্তর", "Health Engineering Department", D),
            ("কেন্দ্রীয় ঔষধাগার", "Central Medical Stores Depot", A),
        ),
    ),
    Ministry(
        "স্বাস্থ্য শিক্ষা ও পরিবার কল্যাণ বিভাগ",
        "Medical Education and Family Welfare Division",
        V,
        "পরিবার কল্যাণ",
        "Family Welfare",
        (
            ("পরিবার পরিকল্পনা অধিদপ্তর", "Directorate General of Family Planning", D),
            ("স্বাস্থ্য শিক্ষা অধিদপ্তর", "Directorate General of Medical Education", D),
            ("নার্সিং ও মিডওয়াইফারি অধিদপ্তর", "Directorate General of Nursing and Midwifery", D),
            (
                "জাতীয় জনসংখ্যা গবেষণা ও প্রশিক্ষণ ইনস্টিটিউট",
                "National Institute of Population Research and Training",
                A,
            ),
        ),
    ),
    Ministry(
        "মাধ্যমিক ও উচ্চ শিক্ষা বিভাগ",
        "Secondary and Higher Education Division",
        V,
        "শিক্ষা",
        "Education",
        (
            ("মাধ্যমিক ও উচ্চ শিক্ষা অধিদপ্তর", "Directorate of Secondary and Higher Education", D),
            ("শিক্ষা প্রকৌশল অধিদপ্তর", "Education Engineering Department", D),
            ("জাতীয় শিক্ষাক্রম ও পাঠ্যপুস্তক বোর্ড", "National Curriculum and Textbook Board", A),
            (
                "বাংলাদেশ শিক্ষাতথ্য ও পরিসংখ্যান ব্যুরো",
                "Bangladesh Bureau of Educational Information and Statistics",
                A,
            ),
            ("পরিদর্শন ও নিরীক্ষা অধিদপ্তর", "Directorate of Inspection and Audit", D),
            ("ঢাকা মাধ্যমিক ও উচ্চ মাধ্যমিক শিক্ষা বোর্ড", "Board of Intermediate and Secondary Education, Dhaka", A),
            ("বাংলাদেশ বিশ্ববিদ্যালয় মঞ্জুরী কমিশন", "University Grants Commission of Bangladesh", A),
            ("জাতীয় শিক্ষা ব্যবস্থাপনা একাডেমি", "National Academy for Educational Management", A),
        ),
    ),
    Ministry(
        "কারিগরি ও মাদ্রাসা শিক্ষা বিভাগ",
        "Technical and Madrasah Education Division",
        V,
        "কারিগরি শিক্ষা",
        "Technical Education",
        (
            ("কারিগরি শিক্ষা অধিদপ্তর", "Directorate of Technical Education", D),
            ("মাদ্রাসা শিক্ষা অধিদপ্তর", "Directorate of Madrasah Education", D),
            ("বাংলাদেশ কারিগরি শিক্ষা বোর্ড", "Bangladesh Technical Education Board", A),
            ("বাংলাদেশ মাদ্রাসা শিক্ষা বোর্ড", "Bangladesh Madrasah Education Board", A),
        ),
    ),
    Ministry(
        "প্রাথমিক ও গণশিক্ষা মন্ত্রণালয়",
        "Ministry of Primary and Mass Education",
        M,
        "প্রাথমিক শিক্ষা",
        "Primary Education",
        (
            ("প্রাথমিক শিক্ষা অধিদপ্তর", "Directorate of Primary Education", D),
            ("উপানুষ্ঠানিক শিক্ষা ব্যুরো", "Bureau of Non-Formal Education", D),
            ("জাতীয় প্রাথমিক শিক্ষা একাডেমি", "National Academy for Primary Education", A),
        ),
    ),
    Ministry(
        "অর্থ বিভাগ",
        "Finance Division",
        V,
        "অর্থ",
        "Finance",
        (
            ("হিসাব মহানিয়ন্ত্রকের কার্যালয়", "Office of the Controller General of Accounts", D),
            ("বাংলাদেশ সিকিউরিটি প্রিন্টিং কর্পোরেশন", "Security Printing Corporation (Bangladesh)", A),
        ),
    ),
    Ministry(
        "অভ্যন্তরীণ সম্পদ বিভাগ",
        "Internal Resources Division",
        V,
        "রাজস্ব",
        "Revenue",
        (
            ("জাতীয় রাজস্ব বোর্ড", "National Board of Revenue", A),
            ("জাতীয় সঞ্চয় অধিদপ্তর", "Department of National Savings", D),
        ),
    ),
    Ministry(
        "আর্থিক প্রতিষ্ঠান বিভাগ",
        "Financial Institutions Division",
        V,
        "আর্থিক সেবা",
        "Financial Services",
        (
            ("বীমা উন্নয়ন ও নিয়ন্ত্রণ কর্তৃপক্ষ", "Insurance Development and Regulatory Authority", A),
            ("সাধারণ বীমা কর্পোরেশন", "Sadharan Bima Corporation", A),
            ("জীবন বীমা কর্পোরেশন", "Jiban Bima Corporation", A),
            ("বাংলাদেশ হাউস বিল্ডিং ফাইন্যান্স কর্পোরেশন", "Bangladesh House Building Finance Corporation", A),
        ),
    ),
    Ministry("অর্থনৈতিক সম্পর্ক বিভাগ", "Economic Relations Division", V, "বৈদেশিক সহায়তা", "External Assistance"),
    Ministry(
        "পরিকল্পনা বিভাগ",
        "Planning Division",
        V,
        "পরিকল্পনা",
        "Planning",
        (
            ("জাতীয় পরিকল্পনা ও উন্নয়ন একাডেমি", "National Academy for Planning and Development", A),
            ("বাংলাদেশ উন্নয়ন গবেষণা প্রতিষ্ঠান", "Bangladesh Institute of Development Studies", A),
        ),
    ),
    Ministry(
        "বাস্তবায়ন পরিবীক্ষণ ও মূল্যায়ন বিভাগ",
        "Implementation Monitoring and Evaluation Division",
        V,
        "প্রকল্প পরিবীক্ষণ",
        "Project Monitoring",
        (("বাংলাদেশ পাবলিক প্রকিউরমেন্ট কর্তৃপক্ষ", "Bangladesh Public Procurement Authority", A),),
    ),
    Ministry(
        "বাণিজ্য মন্ত্রণালয়",
        "Ministry of Commerce",
        M,
        "বাণিজ্য",
        "Trade",
        (
            ("রপ্তানি উন্নয়ন ব্যুরো", "Export Promotion Bureau", A),
            ("ট্রেডিং কর্পোরেশন অব বাংলাদেশ", "Trading Corporation of Bangladesh", A),
            ("বাংলাদেশ ট্যারিফ কমিশন", "Bangladesh Trade and Tariff Commission", A),
            ("যৌথ মূলধন কোম্পানি ও ফার্মসমূহের পরিদপ্তর", "Registrar of Joint Stock Companies and Firms", D),
            ("জাতীয় ভোক্তা অধিকার সংরক্ষণ অধিদপ্তর", "Directorate of National Consumer Rights Protection", D),
            ("আমদানি ও রপ্তানি প্রধান নিয়ন্ত্রকের দপ্তর", "Office of the Chief Controller of Imports and Exports", D),
            ("বাংলাদেশ প্রতিযোগিতা কমিশন", "Bangladesh Competition Commission", A),
        ),
    ),
    Ministry(
        "শিল্প মন্ত্রণালয়",
        "Ministry of Industries",
        M,
        "শিল্প",
        "Industry",
        (
            ("বাংলাদেশ ক্ষুদ্র ও কুটির শিল্প কর্পোরেশন", "Bangladesh Small and Cottage Industries Corporation", A),
            ("বাংলাদেশ স্ট্যান্ডার্ডস অ্যান্ড টেস্টিং ইনস্টিটিউশন", "Bangladesh Standards and Testing Institution", A),
            ("বাংলাদেশ কেমিক্যাল ইন্ডাস্ট্রিজ কর্পোরেশন", "Bangladesh Chemical Industries Corporation", A),
            ("বাংলাদেশ চিনি ও খাদ্য শিল্প কর্পোরেশন", "Bangladesh Sugar and Food Industries Corporation", A),
            ("বাংলাদেশ স্টিল ও ইঞ্জিনিয়ারিং কর্পোরেশন", "Bangladesh Steel and Engineering Corporation", A),
            ("পেটেন্ট, ডিজাইন ও ট্রেডমার্কস অধিদপ্তর", "Department of Patents, Designs and Trademarks", D),
            ("বয়লার পরিদপ্তর", "Office of the Chief Inspector of Boilers", D),
            ("বাংলাদেশ শিল্প কারিগরি সহায়তা কেন্দ্র", "Bangladesh Industrial Technical Assistance Centre", A),
            ("জাতীয় উৎপাদনশীলতা সংস্থা", "National Productivity Organisation", A),
        ),
    ),
    Ministry(
        "বস্ত্র ও পাট মন্ত্রণালয়",
        "Ministry of Textiles and Jute",
        M,
        "বস্ত্র ও পাট",
        "Textiles and Jute",
        (
            ("বস্ত্র অধিদপ্তর", "Department of Textiles", D),
            ("পাট অধিদপ্তর", "Department of Jute", D),
            ("বাংলাদেশ পাটকল কর্পোরেশন", "Bangladesh Jute Mills Corporation", A),
            ("বাংলাদেশ তাঁত বোর্ড", "Bangladesh Handloom Board", A),
            ("বাংলাদেশ রেশম উন্নয়ন বোর্ড", "Bangladesh Sericulture Development Board", A),
        ),
    ),
    Ministry(
        "বিদ্যুৎ বিভাগ",
        "Power Division",
        V,
        "বিদ্যুৎ",
        "Power",
        (
            ("বাংলাদেশ বিদ্যুৎ উন্নয়ন বোর্ড", "Bangladesh Power Development Board", A),
            ("বাংলাদেশ পল্লী বিদ্যুতায়ন বোর্ড", "Bangladesh Rural Electrification Board", A),
            ("প্রধান বিদ্যুৎ পরিদর্শকের দপ্তর", "Office of the Chief Electrical Inspector", D),
            (
                "টেকসই ও নবায়নযোগ্য জ্বালানি উন্নয়ন কর্তৃপক্ষ",
                "Sustainable and Renewable Energy Development Authority",
                A,
            ),
        ),
    ),
    Ministry(
        "জ্বালানি ও খনিজ সম্পদ বিভাগ",
        "Energy and Mineral Resources Division",
        V,
        "জ্বালানি",
        "Energy",
        (
            ("বাংলাদেশ পেট্রোলিয়াম কর্পোরেশন", "Bangladesh Petroleum Corporation", A),
            ("বাংলাদেশ তৈল, গ্যাস ও খনিজ সম্পদ কর্পোরেশন (পেট্রোবাংলা)", "Petrobangla", A),
            ("বাংলাদেশ ভূতাত্ত্বিক জরিপ অধিদপ্তর", "Geological Survey of Bangladesh", D),
            ("খনিজ সম্পদ উন্নয়ন ব্যুরো", "Bureau of Mineral Development", D),
            ("বিস্ফোরক পরিদপ্তর", "Department of Explosives", D),
            ("হাইড্রোকার্বন ইউনিট", "Hydrocarbon Unit", A),
        ),
    ),
    Ministry(
        "সড়ক পরিবহন ও মহাসড়ক বিভাগ",
        "Road Transport and Highways Division",
        V,
        "সড়ক পরিবহন",
        "Road Transport",
        (
            ("সড়ক ও জনপথ অধিদপ্তর", "Roads and Highways Department", D),
            ("বাংলাদেশ সড়ক পরিবহন কর্তৃপক্ষ", "Bangladesh Road Transport Authority", A),
            ("বাংলাদেশ সড়ক পরিবহন কর্পোরেশন", "Bangladesh Road Transport Corporation", A),
            ("ঢাকা পরিবহন সমন্বয় কর্তৃপক্ষ", "Dhaka Transport Coordination Authority", A),
        ),
    ),
    Ministry(
        "সেতু বিভাগ",
        "Bridges Division",
        V,
        "সেতু",
        "Bridges",
        (("বাংলাদেশ সেতু কর্তৃপক্ষ", "Bangladesh Bridge Authority", A),),
    ),
    Ministry(
        "রেলপথ মন্ত্রণালয়",
        "Ministry of Railways",
        M,
        "রেলপথ",
        "Railways",
        (
            ("বাংলাদেশ রেলওয়ে", "Bangladesh Railway", D),
            ("রেলওয়ে পরিদর্শন অধিদপ্তর", "Department of Railway Inspection", D),
        ),
    ),
    Ministry(
        "নৌপরিবহন মন্ত্রণালয়",
        "Ministry of Shipping",
        M,
        "নৌপরিবহন",
        "Shipping",
        (
            ("নৌপরিবহন অধিদপ্তর", "Department of Shipping", D),
            ("বাংলাদেশ অভ্যন্তরীণ নৌপরিবহন কর্তৃপক্ষ", "Bangladesh Inland Water Transport Authority", A),
            ("বাংলাদেশ অভ্যন্তরীণ নৌপরিবহন কর্পোরেশন", "Bangladesh Inland Water Transport Corporation", A),
            ("চট্টগ্রাম বন্দর কর্তৃপক্ষ", "Chittagong Port Authority", A),
            ("মোংলা বন্দর কর্তৃপক্ষ", "Mongla Port Authority", A),
            ("বাংলাদেশ স্থলবন্দর কর্তৃপক্ষ", "Bangladesh Land Port Authority", A),
            ("বাংলাদেশ শিপিং কর্পোরেশন", "Bangladesh Shipping Corporation", A),
            ("পায়রা বন্দর কর্তৃপক্ষ", "Payra Port Authority", A),
        ),
    ),
    Ministry(
        "বেসামরিক বিমান পরিবহন ও পর্যটন মন্ত্রণালয়",
        "Ministry of Civil Aviation and Tourism",
        M,
        "পর্যটন",
        "Tourism",
        (
            ("বাংলাদেশ বেসামরিক বিমান চলাচল কর্তৃপক্ষ", "Civil Aviation Authority of Bangladesh", A),
            ("বাংলাদেশ পর্যটন কর্পোরেশন", "Bangladesh Parjatan Corporation", A),
            ("বাংলাদেশ ট্যুরিজম বোর্ড", "Bangladesh Tourism Board", A),
        ),
    ),
    Ministry(
        "ডাক ও টেলিযোগাযোগ বিভাগ",
        "Posts and Telecommunications Division",
        V,
        "ডাক ও টেলিযোগাযোগ",
        "Posts and Telecommunications",
        (
            ("ডাক অধিদপ্তর", "Department of Posts", D),
            ("বাংলাদেশ টেলিযোগাযোগ নিয়ন্ত্রণ কমিশন", "Bangladesh Telecommunication Regulatory Commission", A),
            ("টেলিফোন শিল্প সংস্থা", "Telephone Shilpa Sangstha", A),
        ),
    ),
    Ministry(
        "তথ্য ও যোগাযোগ প্রযুক্তি বিভাগ",
        "Information and Communication Technology Division",
        V,
        "তথ্যপ্রযুক্তি",
        "ICT",
        (
            ("তথ্য ও যোগাযোগ প্রযুক্তি অধিদপ্তর", "Department of Information and Communication Technology", D),
            ("বাংলাদেশ কম্পিউটার কাউন্সিল", "Bangladesh Computer Council", A),
            ("বাংলাদেশ হাই-টেক পার্ক কর্তৃপক্ষ", "Bangladesh Hi-Tech Park Authority", A),
            (
                "ইলেকট্রনিক স্বাক্ষর সার্টিফিকেট প্রদানকারী কর্তৃপক্ষের নিয়ন্ত্রকের কার্যালয়",
                "Office of the Controller of Certifying Authorities",
                D,
            ),
        ),
    ),
    Ministry(
        "স্থানীয় সরকার বিভাগ",
        "Local Government Division",
        V,
        "স্থানীয় সরকার",
        "Local Government",
        (
            ("স্থানীয় সরকার প্রকৌশল অধিদপ্তর", "Local Government Engineering Department", D),
            ("জনস্বাস্থ্য প্রকৌশল অধিদপ্তর", "Department of Public Health Engineering", D),
            ("জাতীয় স্থানীয় সরকার ইনস্টিটিউট", "National Institute of Local Government", A),
            ("ঢাকা ওয়াসা", "Dhaka WASA", A),
            ("চট্টগ্রাম ওয়াসা", "Chattogram WASA", A),
            ("ঢাকা উত্তর সিটি কর্পোরেশন", "Dhaka North City Corporation", A),
            ("ঢাকা দক্ষিণ সিটি কর্পোরেশন", "Dhaka South City Corporation", A),
            (
                "রেজিস্ট্রার জেনারেলের কার্যালয়, জন্ম ও মৃত্যু নিবন্ধন",
                "Office of the Registrar General, Birth and Death Registration",
                D,
            ),
        ),
    ),
    Ministry(
        "পল্লী উন্নয়ন ও সমবায় বিভাগ",
        "Rural Development and Co-operatives Division",
        V,
        "পল্লী উন্নয়ন",
        "Rural Development",
        (
            ("সমবায় অধিদপ্তর", "Department of Cooperatives", D),
            ("বাংলাদেশ পল্লী উন্নয়ন বোর্ড", "Bangladesh Rural Development Board", A),
            ("বাংলাদেশ পল্লী উন্নয়ন একাডেমি, কুমিল্লা", "Bangladesh Academy for Rural Development, Cumilla", A),
            ("পল্লী দারিদ্র্য বিমোচন ফাউন্ডেশন", "Palli Daridro Bimochon Foundation", A),
            ("ক্ষুদ্র কৃষক উন্নয়ন ফাউন্ডেশন", "Small Farmers Development Foundation", A),
        ),
    ),
    Ministry(
        "গৃহায়ন ও গণপূর্ত মন্ত্রণালয়",
        "Ministry of Housing and Public Works",
        M,
        "গৃহায়ন",
        "Housing",
        (
            ("গণপূর্ত অধিদপ্তর", "Public Works Department", D),
            ("স্থাপত্য অধিদপ্তর", "Department of Architecture", D),
            ("জাতীয় গৃহায়ন কর্তৃপক্ষ", "National Housing Authority", A),
            ("রাজধানী উন্নয়ন কর্তৃপক্ষ", "Rajdhani Unnayan Kartripakkha", A),
            ("চট্টগ্রাম উন্নয়ন কর্তৃপক্ষ", "Chattogram Development Authority", A),
            ("নগর উন্নয়ন অধিদপ্তর", "Urban Development Directorate", D),
            ("হাউজিং অ্যান্ড বিল্ডিং রিসার্চ ইনস্টিটিউট", "Housing and Building Research Institute", A),
            ("সরকারি আবাসন পরিদপ্তর", "Directorate of Government Accommodation", D),
        ),
    ),
    Ministry(
        "তথ্য ও সম্প্রচার মন্ত্রণালয়",
        "Ministry of Information and Broadcasting",
        M,
        "তথ্য ও সম্প্রচার",
        "Information and Broadcasting",
        (
            ("তথ্য অধিদফতর", "Press Information Department", D),
            ("গণযোগাযোগ অধিদপ্তর", "Department of Mass Communication", D),
            ("বাংলাদেশ বেতার", "Bangladesh Betar", A),
            ("বাংলাদেশ টেলিভিশন", "Bangladesh Television", A),
            ("চলচ্চিত্র ও প্রকাশনা অধিদপ্তর", "Department of Films and Publications", D),
            ("বাংলাদেশ সংবাদ সংস্থা", "Bangladesh Sangbad Sangstha", A),
            ("বাংলাদেশ প্রেস ইনস্টিটিউট", "Press Institute Bangladesh", A),
        ),
    ),
    Ministry(
        "সংস্কৃতি বিষয়ক মন্ত্রণালয়",
        "Ministry of Cultural Affairs",
        M,
        "সংস্কৃতি",
        "Culture",
        (
            ("প্রত্নতত্ত্ব অধিদপ্তর", "Department of Archaeology", D),
            ("বাংলাদেশ জাতীয় জাদুঘর", "Bangladesh National Museum", A),
            ("বাংলা একাডেমি", "Bangla Academy", A),
            ("বাংলাদেশ শিল্পকলা একাডেমি", "Bangladesh Shilpakala Academy", A),
            ("গণগ্রন্থাগার অধিদপ্তর", "Department of Public Libraries", D),
            ("জাতীয় আর্কাইভস ও গ্রন্থাগার অধিদপ্তর", "Department of National Archives and Libraries", D),
            ("কপিরাইট অফিস", "Copyright Office", D),
        ),
    ),
    Ministry(
        "ধর্ম বিষয়ক মন্ত্রণালয়",
        "Ministry of Religious Affairs",
        M,
        "ধর্ম বিষয়ক",
        "Religious Affairs",
        (
            ("ইসলামিক ফাউন্ডেশন", "Islamic Foundation", A),
            ("বাংলাদেশ ওয়াক্ফ প্রশাসকের কার্যালয়", "Office of the Administrator of Waqfs", D),
            ("হিন্দু ধর্মীয় কল্যাণ ট্রাস্ট", "Hindu Religious Welfare Trust", A),
        ),
    ),
    Ministry(
        "যুব ও ক্রীড়া মন্ত্রণালয়",
        "Ministry of Youth and Sports",
        M,
        "যুব ও ক্রীড়া",
        "Youth and Sports",
        (
            ("যুব উন্নয়ন অধিদপ্তর", "Department of Youth Development", D),
            ("জাতীয় ক্রীড়া পরিষদ", "National Sports Council", A),
            ("বাংলাদেশ ক্রীড়া শিক্ষা প্রতিষ্ঠান", "Bangladesh Krira Shikkha Protishtan", A),
        ),
    ),
    Ministry(
        "মহিলা ও শিশু বিষয়ক মন্ত্রণালয়",
        "Ministry of Women and Children Affairs",
        M,
        "মহিলা ও শিশু",
        "Women and Children",
        (
            ("মহিলা বিষয়ক অধিদপ্তর", "Department of Women Affairs", D),
            ("জাতীয় মহিলা সংস্থা", "Jatiyo Mohila Sangstha", A),
            ("বাংলাদেশ শিশু একাডেমি", "Bangladesh Shishu Academy", A),
            ("জয়িতা ফাউন্ডেশন", "Joyeeta Foundation", A),
        ),
    ),
    Ministry(
        "প্রবাসী কল্যাণ ও বৈদেশিক কর্মসংস্থান মন্ত্রণালয়",
        "Ministry of Expatriates' Welfare and Overseas Employment",
        M,
        "বৈদেশিক কর্মসংস্থান",
        "Overseas Employment",
        (
            ("জনশক্তি কর্মসংস্থান ও প্রশিক্ষণ ব্যুরো", "Bureau of Manpower, Employment and Training", D),
            ("ওয়েজ আর্নার্স কল্যাণ বোর্ড", "Wage Earners' Welfare Board", A),
            (
                "বাংলাদেশ ওভারসিজ এমপ্লয়মেন্ট অ্যান্ড সার্ভিসেস লিমিটেড",
                "Bangladesh Overseas Employment and Services Limited",
                A,
            ),
        ),
    ),
    Ministry(
        "শ্রম ও কর্মসংস্থান মন্ত্রণালয়",
        "Ministry of Labour and Employment",
        M,
        "শ্রম",
        "Labour",
        (
            ("শ্রম অধিদপ্তর", "Department of Labour", D),
            (
                "কলকারখানা ও প্রতিষ্ঠান পরিদর্শন অধিদপ্তর",
                "Department of Inspection for Factories and Establishments",
                D,
            ),
            ("নিম্নতম মজুরি বোর্ড", "Minimum Wage Board", A),
            ("বাংলাদেশ শ্রমিক কল্যাণ ফাউন্ডেশন", "Bangladesh Labour Welfare Foundation", A),
        ),
    ),
    Ministry(
        "দুর্যোগ ব্যবস্থাপনা ও ত্রাণ মন্ত্রণালয়",
        "Ministry of Disaster Management and Relief",
        M,
        "দুর্যোগ ব্যবস্থাপনা",
        "Disaster Management",
        (
            ("দুর্যোগ ব্যবস্থাপনা অধিদপ্তর", "Department of Disaster Management", D),
            ("ঘূর্ণিঝড় প্রস্তুতি কর্মসূচি", "Cyclone Preparedness Programme", A),
            (
                "শরণার্থী ত্রাণ ও প্রত্যাবাসন কমিশনারের কার্যালয়",
                "Office of the Refugee Relief and Repatriation Commissioner",
                D,
            ),
        ),
    ),
    Ministry(
        "মুক্তিযুদ্ধ বিষয়ক মন্ত্রণালয়",
        "Ministry of Liberation War Affairs",
        M,
        "মুক্তিযোদ্ধা কল্যাণ",
        "Freedom Fighters' Welfare",
        (
            ("জাতীয় মুক্তিযোদ্ধা কাউন্সিল", "Jatiya Muktijoddha Council", A),
            ("বাংলাদেশ মুক্তিযোদ্ধা কল্যাণ ট্রাস্ট", "Bangladesh Freedom Fighters Welfare Trust", A),
        ),
    ),
    Ministry(
        "পার্বত্য চট্টগ্রাম বিষয়ক মন্ত্রণালয়",
        "Ministry of Chittagong Hill Tracts Affairs",
        M,
        "পার্বত্য অঞ্চল",
        "Hill Tracts",
        (
            ("পার্বত্য চট্টগ্রাম আঞ্চলিক পরিষদ", "Chittagong Hill Tracts Regional Council", A),
            ("পার্বত্য চট্টগ্রাম উন্নয়ন বোর্ড", "Chittagong Hill Tracts Development Board", A),
            ("রাঙ্গামাটি পার্বত্য জেলা পরিষদ", "Rangamati Hill District Council", A),
            ("খাগড়াছড়ি পার্বত্য জেলা পরিষদ", "Khagrachhari Hill District Council", A),
            ("বান্দরবান পার্বত্য জেলা পরিষদ", "Bandarban Hill District Council", A),
        ),
    ),
    Ministry(
        "বিজ্ঞান ও প্রযুক্তি মন্ত্রণালয়",
        "Ministry of Science and Technology",
        M,
        "বিজ্ঞান",
        "Science",
        (
            (
                "বাংলাদেশ বিজ্ঞান ও শিল্প গবেষণা পরিষদ",
                "Bangladesh Council of Scientific and Industrial Research",
                A,
            ),
            ("বাংলাদেশ পরমাণু শক্তি কমিশন", "Bangladesh Atomic Energy Commission", A),
            ("জাতীয় বিজ্ঞান ও প্রযুক্তি জাদুঘর", "National Museum of Science and Technology", A),
            ("বাংলাদেশ পরমাণু শক্তি নিয়ন্ত্রণ কর্তৃপক্ষ", "Bangladesh Atomic Energy Regulatory Authority", A),
            ("বাংলাদেশ ওশানোগ্রাফিক রিসার্চ ইনস্টিটিউট", "Bangladesh Oceanographic Research Institute", A),
        ),
    ),
    Ministry(
        "প্রতিরক্ষা মন্ত্রণালয়",
        "Ministry of Defence",
        M,
        "প্রতিরক্ষা",
        "Defence",
        (
            ("বাংলাদেশ আবহাওয়া অধিদপ্তর", "Bangladesh Meteorological Department", D),
            ("জরিপ অধিদপ্তর", "Survey of Bangladesh", D),
            (
                "বাংলাদেশ মহাকাশ গবেষণা ও দূর অনুধাবন প্রতিষ্ঠান",
                "Bangladesh Space Research and Remote Sensing Organization",
                A,
            ),
        ),
    ),
    Ministry("সশস্ত্র বাহিনী বিভাগ", "Armed Forces Division", V, "সশস্ত্র বাহিনী", "Armed Forces"),
    Ministry(
        "জনপ্রশাসন মন্ত্রণালয়",
        "Ministry of Public Administration",
        M,
        "জনপ্রশাসন",
        "Public Administration",
        (
            ("বাংলাদেশ লোক-প্রশাসন প্রশিক্ষণ কেন্দ্র", "Bangladesh Public Administration Training Centre", A),
            ("সরকারি যানবাহন অধিদপ্তর", "Department of Government Transport", D),
            ("মুদ্রণ ও প্রকাশনা অধিদপ্তর", "Department of Printing and Publications", D),
            ("বাংলাদেশ কর্মচারী কল্যাণ বোর্ড", "Bangladesh Employees Welfare Board", A),
            ("বাংলাদেশ সিভিল সার্ভিস প্রশাসন একাডেমি", "Bangladesh Civil Service Administration Academy", A),
        ),
    ),
    Ministry(
        "বাংলাদেশ সরকারি কর্ম কমিশন সচিবালয়",
        "Bangladesh Public Service Commission Secretariat",
        V,
        "নিয়োগ",
        "Recruitment",
    ),
    Ministry("বাংলাদেশ জাতীয় সংসদ সচিবালয়", "Bangladesh Parliament Secretariat", V, "সংসদ", "Parliament"),
    Ministry("নির্বাচন কমিশন সচিবালয়", "Election Commission Secretariat", V, "নির্বাচন", "Elections"),
    Ministry("রাষ্ট্রপতির কার্যালয়", "President's Office", V, "রাষ্ট্রপতির কার্যালয়", "President's Office"),
)


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


def _district(name_bn: str, name_en: str, upazilas: str) -> District:
    return District(
        name_bn, name_en, name_en.lower().replace("'", "").replace(" ", ""), tuple(upazilas.split(", "))
    )


DIVISIONS: tuple[Division, ...] = (
    Division(
        "বরিশাল",
        "Barishal",
        "barishal",
        (
            _district("বরগুনা", "Barguna", "বরগুনা সদর, আমতলী, বামনা, বেতাগী, পাথরঘাটা, তালতলী"),
            _district(
                "বরিশাল",
                "Barishal",
                "বরিশাল সদর, আগৈলঝাড়া, বাবুগঞ্জ, বাকেরগঞ্জ, বানারীপাড়া, গৌরনদী, হিজলা, মেহেন্দিগঞ্জ, মুলাদী, উজিরপুর",
            ),
            _district("ভোলা", "Bhola", "ভোলা সদর, বোরহানউদ্দিন, চরফ্যাশন, দৌলতখান, লালমোহন, মনপুরা, তজুমদ্দিন"),
            _district("ঝালকাঠি", "Jhalokati", "ঝালকাঠি সদর, কাঁঠালিয়া, নলছিটি, রাজাপুর"),
            _district("পটুয়াখালী", "Patuakhali", "পটুয়াখালী সদর, বাউফল, দশমিনা, দুমকি, গলাচিপা, কলাপাড়া, মির্জাগঞ্জ, রাঙ্গাবালী"),
            _district("পিরোজপুর", "Pirojpur", "পিরোজপুর সদর, ভান্ডারিয়া, কাউখালী, মঠবাড়িয়া, নাজিরপুর, নেছারাবাদ, ইন্দুরকানী"),
        ),
    ),
    Division(
        "চট্টগ্রাম",
        "Chattogram",
        "chattogram",
        (
            _district("বান্দরবান", "Bandarban", "বান্দরবান সদর, আলীকদম, লামা, নাইক্ষ্যংছড়ি, রোয়াংছড়ি, রুমা, থানচি"),
            _district(
                "ব্রাহ্মণবাড়িয়া",
                "Brahmanbaria",
                "ব্রাহ্মণবাড়িয়া সদর, আখাউড়া, আশুগঞ্জ, বাঞ্ছারামপুর, বিজয়নগর, কসবা, নবীনগর, নাসিরনগর, সরাইল",
            ),
            _district(
                "চাঁদপুর", "Chandpur", "চাঁদপুর সদর, ফরিদগঞ্জ, হাইমচর, হাজীগঞ্জ, কচুয়া, মতলব উত্তর, মতলব দক্ষিণ, শাহরাস্তি"
            ),
            _district(
                "চট্টগ্রাম",
                "Chattogram",
                "আনোয়ারা, বাঁশখালী, বোয়ালখালী, চন্দনাইশ, ফটিকছড়ি, হাটহাজারী, কর্ণফুলী, লোহাগাড়া, মীরসরাই, পটিয়া, রাঙ্গুনিয়া, রাউজান, সন্দ্বীপ, সাতকানিয়া, সীতাকুণ্ড",
            ),
            _district(
                "কুমিল্লা",
                "Cumilla",
                "কুমিল্লা সদর, কুমিল্লা সদর দক্ষিণ, বরুড়া, ব্রাহ্মণপাড়া, বুড়িচং, চান্দিনা, চৌদ্দগ্রাম, দাউদকান্দি, দেবিদ্বার, হোমনা, লাকসাম, লালমাই, মনোহরগঞ্জ, মেঘনা, মুরাদনগর, নাঙ্গলকোট, তিতাস",
            ),
            _district(
                "কক্সবাজার", "Cox's Bazar", "কক্সবাজার সদর, চকরিয়া, ঈদগাঁও, কুতুবদিয়া, মহেশখালী, পেকুয়া, রামু, টেকনাফ, উখিয়া"
            ),
            _district("ফেনী", "Feni", "ফেনী সদর, ছাগলনাইয়া, দাগনভূঞা, ফুলগাজী, পরশুরাম, সোনাগাজী"),
            _district(
                "খাগড়াছড়ি",
                "Khagrachhari",
                "খাগড়াছড়ি সদর, দীঘিনালা, গুইমারা, লক্ষ্মীছড়ি, মহালছড়ি, মানিকছড়ি, মাটিরাঙ্গা, পানছড়ি, রামগড়",
            ),
            _district("লক্ষ্মীপুর", "Lakshmipur", "লক্ষ্মীপুর সদর, কমলনগর, রায়পুর, রামগঞ্জ, রামগতি"),
            _district(
                "নোয়াখালী",
                "Noakhali",
                "নোয়াখালী সদর, বেগমগঞ্জ, চাটখিল, কোম্পানীগঞ্জ, হাতিয়া, কবিরহাট, সেনবাগ, সোনাইমুড়ী, সুবর্ণচর",
            ),
            _district(
                "রাঙ্গামাটি",
                "Rangamati",
                "রাঙ্গামাটি সদর, বাঘাইছড়ি, বরকল, বিলাইছড়ি, জুরাছড়ি, কাপ্তাই, কাউখালী, লংগদু, নানিয়ারচর, রাজস্থলী",
            ),
        ),
    ),
    Division(
        "ঢাকা",
        "Dhaka",
        "dhaka",
        (
            _district("ঢাকা", "Dhaka", "ধামরাই, দোহার, কেরানীগঞ্জ, নবাবগঞ্জ, সাভার"),
            _district(
                "ফরিদপুর", "Faridpur", "ফরিদপুর সদর, আলফাডাঙ্গা, ভাঙ্গা, বোয়ালমারী, চরভদ্রাসন, মধুখালী, নগরকান্দা, সদরপুর, সালথা"
            ),
            _district("গাজীপুর", "Gazipur", "গাজীপুর সদর, কালিয়াকৈর, কালীগঞ্জ, কাপাসিয়া, শ্রীপুর"),
            _district("গোপালগঞ্জ", "Gopalganj", "গোপালগঞ্জ সদর, কাশিয়ানী, কোটালীপাড়া, মুকসুদপুর, টুঙ্গিপাড়া"),
            _district(
                "কিশোরগঞ্জ",
                "Kishoreganj",
                "কিশোরগঞ্জ সদর, অষ্টগ্রাম, বাজিতপুর, ভৈরব, হোসেনপুর, ইটনা, করিমগঞ্জ, কটিয়াদী, কুলিয়ারচর, মিঠামইন, নিকলী, পাকুন্দিয়া, তাড়াইল",
            ),
            _district("মাদারীপুর", "Madaripur", "মাদারীপুর সদর, ডাসার, কালকিনি, রাজৈর, শিবচর"),
            _district("মানিকগঞ্জ", "Manikganj", "মানিকগঞ্জ সদর, দৌলতপুর, ঘিওর, হরিরামপুর, সাটুরিয়া, শিবালয়, সিংগাইর"),
            _district("মুন্সীগঞ্জ", "Munshiganj", "মুন্সীগঞ্জ সদর, গজারিয়া, লৌহজং, সিরাজদিখান, শ্রীনগর, টংগিবাড়ী"),
            _district("নারায়ণগঞ্জ", "Narayanganj", "নারায়ণগঞ্জ সদর, আড়াইহাজার, বন্দর, রূপগঞ্জ, সোনারগাঁও"),
            _district("নরসিংদী", "Narsingdi", "নরসিংদী সদর, বেলাবো, মনোহরদী, পলাশ, রায়পুরা, শিবপুর"),
            _district("রাজবাড়ী", "Rajbari", "রাজবাড়ী সদর, বালিয়াকান্দি, গোয়ালন্দ, কালুখালী, পাংশা"),
            _district("শরীয়তপুর", "Shariatpur", "শরীয়তপুর সদর, ভেদরগঞ্জ, ডামুড্যা, গোসাইরহাট, নড়িয়া, জাজিরা"),
            _district(
                "টাঙ্গাইল",
                "Tangail",
                "টাঙ্গাইল সদর, বাসাইল, ভুঞাপুর, দেলদুয়ার, ধনবাড়ী, ঘাটাইল, গোপালপুর, কালিহাতী, মধুপুর, মির্জাপুর, নাগরপুর, সখিপুর",
            ),
        ),
    ),
    Division(
        "খুলনা",
        "Khulna",
        "khulna",
        (
            _district(
                "বাগেরহাট", "Bagerhat", "বাগেরহাট সদর, চিতলমারী, ফকিরহাট, কচুয়া, মোল্লাহাট, মোংলা, মোরেলগঞ্জ, রামপাল, শরণখোলা"
            ),
            _district("চুয়াডাঙ্গা", "Chuadanga", "চুয়াডাঙ্গা সদর, আলমডাঙ্গা, দামুড়হুদা, জীবননগর"),
            _district("যশোর", "Jashore", "যশোর সদর, অভয়নগর, বাঘারপাড়া, চৌগাছা, ঝিকরগাছা, কেশবপুর, মনিরামপুর, শার্শা"),
            _district("ঝিনাইদহ", "Jhenaidah", "ঝিনাইদহ সদর, হরিণাকুণ্ডু, কালীগঞ্জ, কোটচাঁদপুর, মহেশপুর, শৈলকুপা"),
            _district("খুলনা", "Khulna", "বটিয়াঘাটা, দাকোপ, ডুমুরিয়া, দিঘলিয়া, কয়রা, পাইকগাছা, ফুলতলা, রূপসা, তেরখাদা"),
            _district("কুষ্টিয়া", "Kushtia", "কুষ্টিয়া সদর, ভেড়ামারা, দৌলতপুর, খোকসা, কুমারখালী, মিরপুর"),
            _district("মাগুরা", "Magura", "মাগুরা সদর, মহম্মদপুর, শালিখা, শ্রীপুর"),
            _district("মেহেরপুর", "Meherpur", "মেহেরপুর সদর, গাংনী, মুজিবনগর"),
            _district("নড়াইল", "Narail", "নড়াইল সদর, কালিয়া, লোহাগড়া"),
            _district("সাতক্ষীরা", "Satkhira", "সাতক্ষীরা সদর, আশাশুনি, দেবহাটা, কলারোয়া, কালিগঞ্জ, শ্যামনগর, তালা"),
        ),
    ),
    Division(
        "ময়মনসিংহ",
        "Mymensingh",
        "mymensingh",
        (
            _district("জামালপুর", "Jamalpur", "জামালপুর সদর, বকশীগঞ্জ, দেওয়ানগঞ্জ, ইসলামপুর, মাদারগঞ্জ, মেলান্দহ, সরিষাবাড়ী"),
            _district(
                "ময়মনসিংহ",
                "Mymensingh",
                "ময়মনসিংহ সদর, ভালুকা, ধোবাউড়া, ফুলবাড়ীয়া, গফরগাঁও, গৌরীপুর, হালুয়াঘাট, ঈশ্বরগঞ্জ, মুক্তাগাছা, নান্দাইল, ফুলপুর, তারাকান্দা, ত্রিশাল",
            ),
            _district(
                "নেত্রকোণা",
                "Netrokona",
                "নেত্রকোণা সদর, আটপাড়া, বারহাট্টা, দুর্গাপুর, খালিয়াজুরী, কলমাকান্দা, কেন্দুয়া, মদন, মোহনগঞ্জ, পূর্বধলা",
            ),
            _district("শেরপুর", "Sherpur", "শেরপুর সদর, ঝিনাইগাতী, নকলা, নালিতাবাড়ী, শ্রীবরদী"),
        ),
    ),
    Division(
        "রাজশাহী",
        "Rajshahi",
        "rajshahi",
        (
            _district(
                "বগুড়া",
                "Bogura",
                "বগুড়া সদর, আদমদীঘি, ধুনট, দুপচাঁচিয়া, গাবতলী, কাহালু, নন্দীগ্রাম, সারিয়াকান্দি, শাজাহানপুর, শেরপুর, শিবগঞ্জ, সোনাতলা",
            ),
            _district("চাঁপাইনবাবগঞ্জ", "Chapainawabganj", "চাঁপাইনবাবগঞ্জ সদর, ভোলাহাট, গোমস্তাপুর, নাচোল, শিবগঞ্জ"),
            _district("জয়পুরহাট", "Joypurhat", "জয়পুরহাট সদর, আক্কেলপুর, কালাই, ক্ষেতলাল, পাঁচবিবি"),
            _district(
                "নওগাঁ",
                "Naogaon",
                "নওগাঁ সদর, আত্রাই, বদলগাছী, ধামইরহাট, মান্দা, মহাদেবপুর, নিয়ামতপুর, পত্নীতলা, পোরশা, রাণীনগর, সাপাহার",
            ),
            _district("নাটোর", "Natore", "নাটোর সদর, বাগাতিপাড়া, বড়াইগ্রাম, গুরুদাসপুর, লালপুর, নলডাঙ্গা, সিংড়া"),
            _district("পাবনা", "Pabna", "পাবনা সদর, আটঘরিয়া, বেড়া, ভাঙ্গুড়া, চাটমোহর, ফরিদপুর, ঈশ্বরদী, সাঁথিয়া, সুজানগর"),
            _district("রাজশাহী", "Rajshahi", "বাঘা, বাগমারা, চারঘাট, দুর্গাপুর, গোদাগাড়ী, মোহনপুর, পবা, পুঠিয়া, তানোর"),
            _district(
                "সিরাজগঞ্জ", "Sirajganj", "সিরাজগঞ্জ সদর, বেলকুচি, চৌহালী, কামারখন্দ, কাজীপুর, রায়গঞ্জ, শাহজাদপুর, তাড়াশ, উল্লাপাড়া"
            ),
        ),
    ),
    Division(
        "রংপুর",
        "Rangpur",
        "rangpur",
        (
            _district(
                "দিনাজপুর",
                "Dinajpur",
                "দিনাজপুর সদর, বিরামপুর, বীরগঞ্জ, বিরল, বোচাগঞ্জ, চিরিরবন্দর, ফুলবাড়ী, ঘোড়াঘাট, হাকিমপুর, কাহারোল, খানসামা, নবাবগঞ্জ, পার্বতীপুর",
            ),
            _district("গাইবান্ধা", "Gaibandha", "গাইবান্ধা সদর, ফুলছড়ি, গোবিন্দগঞ্জ, পলাশবাড়ী, সাদুল্লাপুর, সাঘাটা, সুন্দরগঞ্জ"),
            _district(
                "কুড়িগ্রাম",
                "Kurigram",
                "কুড়িগ্রাম সদর, ভুরুঙ্গামারী, চর রাজিবপুর, চিলমারী, ফুলবাড়ী, নাগেশ্বরী, রাজারহাট, রৌমারী, উলিপুর",
            ),
            _district("লালমনিরহাট", "Lalmonirhat", "লালমনিরহাট সদর, আদিতমারী, হাতীবান্ধা, কালীগঞ্জ, পাটগ্রাম"),
            _district("নীলফামারী", "Nilphamari", "নীলফামারী সদর, ডিমলা, ডোমার, জলঢাকা, কিশোরগঞ্জ, সৈয়দপুর"),
            _district("পঞ্চগড়", "Panchagarh", "পঞ্চগড় সদর, আটোয়ারী, বোদা, দেবীগঞ্জ, তেঁতুলিয়া"),
            _district("রংপুর", "Rangpur", "রংপুর সদর, বদরগঞ্জ, গংগাচড়া, কাউনিয়া, মিঠাপুকুর, পীরগাছা, পীরগঞ্জ, তারাগঞ্জ"),
            _district("ঠাকুরগাঁও", "Thakurgaon", "ঠাকুরগাঁও সদর, বালিয়াডাঙ্গী, হরিপুর, পীরগঞ্জ, রাণীশংকৈল"),
        ),
    ),
    Division(
        "সিলেট",
        "Sylhet",
        "sylhet",
        (
            _district(
                "হবিগঞ্জ",
                "Habiganj",
                "হবিগঞ্জ সদর, আজমিরীগঞ্জ, বাহুবল, বানিয়াচং, চুনারুঘাট, লাখাই, মাধবপুর, নবীগঞ্জ, শায়েস্তাগঞ্জ",
            ),
            _district("মৌলভীবাজার", "Moulvibazar", "মৌলভীবাজার সদর, বড়লেখা, জুড়ী, কমলগঞ্জ, কুলাউড়া, রাজনগর, শ্রীমঙ্গল"),
            _district(
                "সুনামগঞ্জ",
                "Sunamganj",
                "সুনামগঞ্জ সদর, বিশ্বম্ভরপুর, ছাতক, দক্ষিণ সুনামগঞ্জ, দিরাই, ধর্মপাশা, দোয়ারাবাজার, জগন্নাথপুর, জামালগঞ্জ, মধ্যনগর, শাল্লা, তাহিরপুর",
            ),
            _district(
                "সিলেট",
                "Sylhet",
                "সিলেট সদর, বালাগঞ্জ, বিয়ানীবাজার, বিশ্বনাথ, কোম্পানীগঞ্জ, দক্ষিণ সুরমা, ফেঞ্চুগঞ্জ, গোলাপগঞ্জ, গোয়াইনঘাট, জৈন্তাপুর, কানাইঘাট, ওসমানীনগর, জকিগঞ্জ",
            ),
        ),
    ),
)
