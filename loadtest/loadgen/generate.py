"""A run of ``generate_load_data``: the arguments, one transaction, the offices and users, then the plans
chunk by chunk (``office_plan``); what the data set is and why is in the package's docstring.

All or nothing: one transaction, so a failure leaves nothing behind; the shared evidence file is removed
again if this run stored it. No ``--replace``: a second run is refused while generated offices exist (the
history is append-only, so generated data cannot be deleted through the application; start from a fresh
database instead).
"""

from __future__ import annotations

import datetime
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from base.bangla import fiscal_year_label, to_bangla_digits
from base.errors import DomainError
from indicators.models import Office, OfficeKind, OfficeMembership, Role
from indicators.selectors import fiscal_year_start
from indicators.services.offices import fiscal_year_get_or_create
from loadtest.loadgen.office_plan import PlanContext, plans_write
from loadtest.loadgen.plans import PlanTemplate, plan_template
from loadtest.loadgen.shared_file import SharedEvidence, shared_evidence_store
from loadtest.loadgen.timeline import default_as_of
from loadtest.loadgen.tree import PREFIX, ROOT_CODE, OfficeSpec, TreeSizes, office_tree, tree_sizes

#: The generated Cabinet Division reviewer (the demo's ``cabinet.reviewer`` sees the generated offices too).
ROOT_REVIEWER = f"{PREFIX}cabinet.reviewer"
#: The generated users' password unless `generate_load_data --password` (or $APA_LOAD_PASSWORD) says otherwise.
DEFAULT_PASSWORD = "apa-load-test-1"
MIN_OFFICES = 1
MAX_OFFICES = 100_000
CHUNK_OFFICES = 500
BATCH_SIZE = 2000


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

    context = PlanContext(
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
        plans_write(context, chunk, rows)
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
