"""The office tree of the generated data set (pure: no database): which ministries, departments and field
offices, with their codes, names, kinds and parents.

Like the real one under the Cabinet Division (মন্ত্রিপরিষদ বিভাগ, code ``cabinet``): ministries and divisions
→ departments and agencies → divisional, district and upazila offices of the departments that have a field
network, with real names (``names``). ``office_tree(N, seed)`` gives exactly N offices below the root; at
24,000 the proportions are the national ones, and they shrink with the square root of N, so that a small
data set still has every level. Every generated office's code starts with ``PREFIX``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from base.bangla import to_bangla_digits
from indicators.models import OfficeKind
from loadtest.loadgen import names

#: The marker of generated offices and users (no model change needed to tell them apart).
PREFIX = "lg-"
#: The Cabinet Division, the root every generated ministry hangs under (the same root `load_demo` creates).
ROOT_CODE = "cabinet"
# The national proportions at 24,000 offices (DESIGN.md §1: 23,667 offices were under APA in 2021-22).
NATIONAL_OFFICES = 24_000
NATIONAL_MINISTRIES = 58
NATIONAL_DEPARTMENTS = 400


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
    ministries = max(1, min(len(names.ministries()), round(NATIONAL_MINISTRIES * scale), total))
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
    places = names.divisions()
    divisional = len(places)
    districts = sum(len(d.districts) for d in places)
    upazilas = sum(len(z.upazilas) for d in places for z in d.districts)
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
    ministries = names.ministries()
    chosen = sorted(rng.sample(range(len(ministries)), sizes.ministries))
    specs: list[OfficeSpec] = []
    for number, index in enumerate(chosen, 1):
        ministry = ministries[index]
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

    weights = [(len(ministries[i].departments) + 1) * rng.uniform(0.4, 1.6) for i in chosen]
    departments: list[OfficeSpec] = []
    for number, index, count in zip(
        range(1, len(chosen) + 1), chosen, _apportion(sizes.departments, weights), strict=True
    ):
        ministry_code = f"{PREFIX}m{number:02d}"
        for j, (name_bn, name_en, kind) in enumerate(_department_names(ministries[index], count), 1):
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
    if remaining > 0:  # only for counts far beyond generate.MAX_OFFICES
        raise ValueError(f"{total} offices do not fit in {len(departments)} field networks")

    field_offices: list[OfficeSpec] = []
    for department in departments:
        field_offices.extend(_field_network(department, allocation.get(department.code, 0), rng))
    specs.extend(sorted(field_offices, key=lambda s: s.level))
    assert len(specs) == total
    return specs


def _department_names(ministry: names.Ministry, count: int) -> Iterator[names.DepartmentName]:
    """The ministry's real departments first, then names made from its topic (project and field bodies)."""
    yield from ministry.departments[:count]
    templates = names.department_templates()
    made = 0
    number = 0
    while len(ministry.departments) + made < count:
        template = templates[made % len(templates)]
        if made >= len(templates):
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
    places = names.divisions()
    divisions = list(range(len(places)))
    rng.shuffle(divisions)
    divisions = sorted(divisions[:size])
    left = size - len(divisions)
    districts = [(d, z) for d in divisions for z in range(len(places[d].districts))]
    rng.shuffle(districts)
    districts = sorted(districts[: max(0, left)])
    left -= len(districts)
    upazilas = [(d, z, u) for d, z in districts for u in range(len(places[d].districts[z].upazilas))]
    rng.shuffle(upazilas)
    upazilas = sorted(upazilas[: max(0, left)])

    code, dept_bn, dept_en = department.code, department.name_bn, department.name_en
    offices = []
    for d in divisions:
        division = places[d]
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
        division, district = places[d], places[d].districts[z]
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
        district = places[d].districts[z]
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
