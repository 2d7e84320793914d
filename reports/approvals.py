"""Approvals as versions, and what each approval stands on (DESIGN.md §4 "The approved record never disagrees
with the data", "Each approval is a version").

An approval of quarter N records:
- the marks of quarters 1..N as they were (``score_snapshot``, the shape of ``score --json``);
- the digest of its *source* (``source_sha256``, ``reports.approval_source``): every piece of data its reports
  print.

While the approval stands, none of that may change (the workflow and every write path refuse it); whether
that held is checked by comparing the digest and the marks recomputed from the data now with those stored
(``approval_problems``: ``verify_reports``, the stateful test). A return supersedes the standing approval;
a new approval is a new version with its own PDFs; the earlier one stays, marked superseded.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from indicators import scoring
from indicators.models import Approval, ReportingPeriod
from indicators.scores import plan_score, plan_score_json
from indicators.selectors import fiscal_year_start, office_get
from reports import jobs
from reports.approval_source import APPROVAL_KINDS, source_digest
from reports.letter import cover_letter_for, memo_serial_take


def score_snapshot(period: ReportingPeriod) -> dict:
    """The marks of quarters 1..N computed from the data now (same shape as ``score --json``)."""
    return plan_score_json(period.plan, plan_score(period.plan, up_to_quarter=period.quarter))


def approval_record(period: ReportingPeriod, user) -> Approval:
    """A new version for a period just moved to "approved" (the caller holds the period's lock): the letter
    takes its memo serial and date, the marks and the source digest are recorded, and the period's reports
    are queued for rendering, once, as this version's copies."""
    letter = cover_letter_for(period)
    memo_serial_take(letter)
    if letter.letter_date is None:
        letter.letter_date = timezone.localdate()
        letter.save(update_fields=["letter_date", "updated_at"])
    last = Approval.objects.filter(period=period).aggregate(last=Max("number"))["last"] or 0
    snapshot = score_snapshot(period)
    approval = Approval.objects.create(
        period=period,
        number=last + 1,
        approved_by=user,
        score_snapshot=snapshot,
        scoring_rules=scoring.RULES,
        source_sha256=source_digest(period.plan, period.quarter),
    )
    period.score_snapshot = snapshot
    period.save(update_fields=["score_snapshot"])
    for kind in APPROVAL_KINDS[period.quarter]:
        jobs.job_create(plan=period.plan, kind=kind, quarter=period.quarter, user=user, approval=approval)
    return approval


def approval_supersede(period: ReportingPeriod) -> None:
    """A return: the standing approval of the period (if any) becomes an earlier version."""
    Approval.objects.standing().filter(period=period).update(superseded_at=timezone.now())
    if period.score_snapshot is not None:
        period.score_snapshot = None
        period.save(update_fields=["score_snapshot"])


def approval_mark_sent(period: ReportingPeriod) -> None:
    Approval.objects.standing().filter(period=period).update(sent_at=timezone.now())


# ---------------------------------------------------------------------------------------------------------
# Checking: does each standing approval still agree with the data?


@dataclass(frozen=True)
class ApprovalProblem:
    """A standing approval that no longer agrees with the data: its marks or its source changed."""

    approval_id: int
    office: str
    year: str
    quarter: int
    version: int
    problem: str  # "marks", "source" or "snapshot" (the period's copy differs from its approval)
    stored: str
    now: str

    def as_json(self) -> dict:
        return {
            "approval": self.approval_id,
            "office": self.office,
            "year": self.year,
            "quarter": self.quarter,
            "version": self.version,
            "problem": self.problem,
            "stored": self.stored,
            "now": self.now,
        }

    @property
    def text(self) -> str:
        what = {
            "marks": "অনুমোদিত নম্বর ও এখনকার তথ্যের নম্বর মেলে না / approved marks differ from the data now",
            "source": "অনুমোদনের পর উৎস-তথ্য বদলেছে / the data changed since the approval",
            "snapshot": "প্রতিবেদনকালের নম্বর অনুমোদনের সঙ্গে মেলে না / the period's marks differ from its approval",
        }[self.problem]
        return (
            f"{self.office} {self.year} Q{self.quarter} v{self.version}: {what} "
            f"(stored {self.stored}, now {self.now})"
        )


def _marks_text(snapshot: dict | None) -> str:
    if not snapshot:
        return "—"
    return f"{snapshot.get('scaled_marks')}/{snapshot.get('total_weight')} ({snapshot.get('percent')}%)"


def approval_problems(approval: Approval) -> list[ApprovalProblem]:
    """Compare one standing approval with the data now: marks, source digest, the period's copy."""
    period = approval.period
    plan = period.plan
    label = {
        "approval_id": approval.pk,
        "office": plan.office.code,
        "year": plan.fiscal_year.code,
        "quarter": period.quarter,
        "version": approval.number,
    }
    problems = []
    now = score_snapshot(period)
    # Marks approved under earlier scoring rules are the marks of their day (issue 17): only the data they
    # stand on (the source digest below) must not have changed.
    if approval.scoring_rules == scoring.RULES and now != approval.score_snapshot:
        problems.append(
            ApprovalProblem(
                **label, problem="marks", stored=_marks_text(approval.score_snapshot), now=_marks_text(now)
            )
        )
    if approval.source_sha256:
        digest = source_digest(plan, period.quarter)
        if digest != approval.source_sha256:
            problems.append(
                ApprovalProblem(
                    **label, problem="source", stored=approval.source_sha256[:16], now=digest[:16]
                )
            )
    if period.score_snapshot != approval.score_snapshot:
        problems.append(
            ApprovalProblem(
                **label,
                problem="snapshot",
                stored=_marks_text(approval.score_snapshot),
                now=_marks_text(period.score_snapshot),
            )
        )
    return problems


@dataclass
class ApprovalsVerified:
    checked: int
    problems: list[ApprovalProblem]


def standing_approvals_verify(
    *, office_code: str | None = None, year_code: str | None = None
) -> ApprovalsVerified:
    """Every standing approval (optionally of one office and/or fiscal year) compared with the data now."""
    approvals = Approval.objects.standing().select_related(
        "period__plan__office", "period__plan__fiscal_year"
    )
    if office_code is not None:
        approvals = approvals.filter(period__plan__office=office_get(code=office_code))
    if year_code is not None:
        approvals = approvals.filter(period__plan__fiscal_year__start_year=fiscal_year_start(year_code))
    approvals = approvals.order_by(
        "period__plan__office__code", "-period__plan__fiscal_year__start_year", "period__quarter"
    )
    result = ApprovalsVerified(checked=0, problems=[])
    for approval in approvals.iterator(chunk_size=200):
        result.checked += 1
        result.problems.extend(approval_problems(approval))
    return result
