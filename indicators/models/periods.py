"""The reporting periods (a plan's quarters), their transitions and approvals (DESIGN.md §4)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from indicators.models.plans import ActionPlan


class PeriodState(models.TextChoices):
    DRAFT = "draft", _("খসড়া")
    SUBMITTED = "submitted", _("পর্যালোচনার জন্য দাখিল")
    RETURNED = "returned", _("ফেরত পাঠানো")
    APPROVED = "approved", _("অনুমোদিত ও স্বাক্ষরিত")
    SENT = "sent", _("ঊর্ধ্বতন দপ্তরে প্রেরিত")
    ACCEPTED = "accepted", _("গৃহীত")


EDITABLE_STATES = (PeriodState.DRAFT, PeriodState.RETURNED)
# What a higher office may see: nothing before it was sent (DESIGN.md §4).
VISIBLE_TO_REVIEWER_STATES = (PeriodState.SENT, PeriodState.ACCEPTED)

# Default deadlines (DESIGN.md §4): quarterly 15 Oct / 15 Jan / 15 Apr; the half-yearly review with Q2
# (15 Jan); the annual report with Q4 (15 July).
DEFAULT_DEADLINES = {1: (0, 10, 15), 2: (1, 1, 15), 3: (1, 4, 15), 4: (1, 7, 15)}


def default_deadline(start_year: int, quarter: int) -> datetime.date:
    year_offset, month, day = DEFAULT_DEADLINES[quarter]
    return datetime.date(start_year + year_offset, month, day)


class ReportingPeriodQuerySet(models.QuerySet):
    def visible_to_reviewers(self) -> ReportingPeriodQuerySet:
        return self.filter(state__in=VISIBLE_TO_REVIEWER_STATES)


class ReportingPeriod(models.Model):
    """One quarter of a plan with its workflow state; Q2 carries the half-yearly and Q4 the annual report."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("কর্মপরিকল্পনা"), on_delete=models.CASCADE, related_name="periods"
    )
    quarter = models.PositiveSmallIntegerField(
        _("ত্রৈমাসিক"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    state = models.CharField(_("অবস্থা"), max_length=16, choices=PeriodState.choices, default=PeriodState.DRAFT)
    deadline = models.DateField(_("শেষ তারিখ"))
    # Incremented by every transition: two people acting on the same period cannot both succeed.
    version = models.PositiveIntegerField(_("সংস্করণ"), default=0)
    # The marks of the standing approval (DESIGN.md §4), None while no approval stands. Each approval keeps
    # its own snapshot (Approval.score_snapshot); the period holds a copy of the standing one because the
    # inbox and the national summary read tens of thousands of them through the covering index below.
    # Written only by workflow.period_transition; verify_reports checks it against the standing approval.
    score_snapshot = models.JSONField(_("অনুমোদনের সময়ের নম্বর"), null=True, blank=True)
    # The snapshot's percent as a number, kept by the database itself (a stored generated column, so it cannot
    # drift from the snapshot): the national summary and the inbox chart add up tens of thousands of them,
    # and reading each from the JSON costs more than all the rest of those queries.
    snapshot_percent = models.GeneratedField(
        expression=Cast(
            KeyTextTransform("percent", "score_snapshot"), models.DecimalField(max_digits=9, decimal_places=2)
        ),
        output_field=models.DecimalField(max_digits=9, decimal_places=2),
        db_persist=True,
        null=True,
        verbose_name=_("অনুমোদনের সময়ের নম্বর (শতকরা)"),
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("প্রতিবেদনকাল")
        verbose_name_plural = _("প্রতিবেদনকালসমূহ")
        ordering = ["plan", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="one_period_per_plan_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"),
        ]
        indexes = [
            # The national summary adds up every sent or accepted period of a year: with these columns in the
            # index, PostgreSQL answers from the index alone and never reads the rows with their snapshots.
            models.Index(
                fields=["state", "plan", "quarter", "deadline", "snapshot_percent", "id"],
                name="period_state_plan_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.quarter}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class PeriodTransition(models.Model):
    """Who moved a period from one state to another, when, and why (the timeline)."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("প্রতিবেদনকাল"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(_("আগের অবস্থা"), max_length=16, choices=PeriodState.choices)
    to_state = models.CharField(_("নতুন অবস্থা"), max_length=16, choices=PeriodState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ব্যবহারকারী"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("সময়"), auto_now_add=True)
    comment = models.TextField(_("মন্তব্য"), blank=True)

    class Meta:
        verbose_name = _("অবস্থা পরিবর্তন")
        verbose_name_plural = _("অবস্থা পরিবর্তনসমূহ")
        ordering = ["period", "at", "pk"]
        # The inbox and the summary ask "when was this period sent / first submitted" for every row.
        indexes = [models.Index(fields=["period", "to_state", "at"], name="transition_period_state_at")]

    def __str__(self) -> str:
        return f"{self.period}: {self.from_state} → {self.to_state}"


class ApprovalQuerySet(models.QuerySet):
    def standing(self) -> ApprovalQuerySet:
        """Approvals not superseded by a return: at most one per period (a database constraint)."""
        return self.filter(superseded_at__isnull=True)


class Approval(models.Model):
    """One approval of a period by the CIO: a version of the approved record (DESIGN.md §4).

    A return followed by a new approval makes a new version; the earlier one stays, marked superseded, with
    its own stored PDFs (``reports.ApprovedReport``) and its own marks. ``score_snapshot`` is the marks as
    approved; ``source_sha256`` the digest of everything the approval stands on (``indicators.approval``),
    so that a later check can tell whether the data still says what was approved.
    """

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("প্রতিবেদনকাল"), on_delete=models.PROTECT, related_name="approvals"
    )
    number = models.PositiveIntegerField(_("সংস্করণ"))
    # None only for an approval carried over from before versions whose approver was not recorded.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("অনুমোদনকারী"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("অনুমোদনের সময়"), auto_now_add=True)
    score_snapshot = models.JSONField(_("অনুমোদনের সময়ের নম্বর"))
    # The scoring rules the marks were computed under (``scoring.RULES``; "" before they were recorded): the
    # marks of an approval are those of its day, compared with the data only under the same rules.
    scoring_rules = models.CharField(_("নম্বরের নিয়ম"), max_length=16, blank=True)
    # "" for approvals made before versions were kept (their source was not recorded).
    source_sha256 = models.CharField(_("উৎস-তথ্যের SHA-256"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("প্রেরণের সময়"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("বাতিলের সময়"), null=True, blank=True)

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("অনুমোদন (সংস্করণ)")
        verbose_name_plural = _("অনুমোদনসমূহ (সংস্করণ)")
        ordering = ["period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="one_approval_number_per_period"),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(superseded_at__isnull=True),
                name="one_standing_approval_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.number}"

    @property
    def is_standing(self) -> bool:
        return self.superseded_at is None
