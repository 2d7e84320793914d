"""What goes into the reports besides the plan itself, and the reports themselves (DESIGN.md §6).

- CoverLetter (প্রেরণপত্র): one per reporting period, filled with defaults from the office and plan, editable by
  the team until the period is approved; the memo number's serial is taken at approval.
- Introduction (ভূমিকা) and Initiative (উদ্যোগ): per plan, shown in the annual report.
- ApprovedReport: the PDF rendered once for an approval (a version), with its SHA-256; downloads return exactly
  these bytes.
- ReportJob: a rendering in progress or done (drafts and approval copies), polled by the browser.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("বার্ষিক স্ব-মূল্যায়ন প্রতিবেদন")
    HALF_YEARLY = "half-yearly", _("অর্ধবার্ষিক স্ব-মূল্যায়ন প্রতিবেদন")
    QUARTERLY = "quarterly", _("ত্রৈমাসিক স্ব-মূল্যায়ন প্রতিবেদন")
    COVER_LETTER = "cover-letter", _("প্রেরণপত্র")


class CoverLetter(models.Model):
    period = models.OneToOneField(
        "indicators.ReportingPeriod",
        verbose_name=_("প্রতিবেদনকাল"),
        on_delete=models.CASCADE,
        related_name="cover_letter",
    )
    # The serial part of the memo number (office prefix + serial), taken from MemoSerial at approval.
    memo_serial = models.PositiveIntegerField(_("স্মারকের ক্রমিক"), null=True, blank=True)
    letter_date = models.DateField(_("পত্রের তারিখ"), null=True, blank=True)
    subject = models.TextField(_("বিষয়"))
    body = models.TextField(_("পত্রের মূল অংশ"))
    attachments = models.CharField(_("সংযুক্তি"), max_length=255, blank=True)
    signatory_name = models.CharField(_("স্বাক্ষরকারীর নাম"), max_length=255, blank=True)
    signatory_designation = models.TextField(_("স্বাক্ষরকারীর পদবি"), blank=True, help_text=_("প্রতিটি লাইন আলাদা"))
    recipient = models.TextField(_("প্রাপক"), blank=True, help_text=_("প্রতিটি লাইন আলাদা"))
    attention = models.CharField(_("দৃষ্টি আকর্ষণ (দৃঃ আঃ)"), max_length=500, blank=True)
    copies = models.TextField(_("অনুলিপি"), blank=True, help_text=_("প্রতিটি প্রাপক আলাদা লাইনে"))
    updated_at = models.DateTimeField(_("হালনাগাদ"), auto_now=True)

    class Meta:
        verbose_name = _("প্রেরণপত্র")
        verbose_name_plural = _("প্রেরণপত্রসমূহ")

    def __str__(self) -> str:
        return f"{self.period} — {self.subject[:40]}"


class MemoSerial(models.Model):
    """The last memo serial used by an office in a fiscal year (memo numbers are office prefix + serial)."""

    office = models.ForeignKey("indicators.Office", on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.ForeignKey("indicators.FiscalYear", on_delete=models.CASCADE, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("স্মারক ক্রমিক")
        verbose_name_plural = _("স্মারক ক্রমিক")
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year"], name="one_memo_serial_per_office_year"),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.fiscal_year}: {self.last}"


class Introduction(models.Model):
    """ভূমিকা: the team's text for the annual report. Light markup: a line starting with "## " is a heading,
    "- " a bullet; blank lines separate paragraphs."""

    plan = models.OneToOneField(
        "indicators.ActionPlan",
        verbose_name=_("কর্মপরিকল্পনা"),
        on_delete=models.CASCADE,
        related_name="introduction",
    )
    text = models.TextField(_("ভূমিকা"), blank=True)
    updated_at = models.DateTimeField(_("হালনাগাদ"), auto_now=True)

    class Meta:
        verbose_name = _("ভূমিকা")
        verbose_name_plural = _("ভূমিকা")

    def __str__(self) -> str:
        return str(self.plan)


class InitiativeKind(models.TextChoices):
    ONGOING = "ongoing", _("চলমান")
    COMPLETED = "completed", _("সমাপ্ত")
    FUTURE = "future", _("ভবিষ্যৎ")


class Initiative(models.Model):
    """উদ্যোগ: ongoing, completed or future initiatives in the annual report's introduction (seed 000 §০৬–০৭)."""

    plan = models.ForeignKey(
        "indicators.ActionPlan",
        verbose_name=_("কর্মপরিকল্পনা"),
        on_delete=models.CASCADE,
        related_name="initiatives",
    )
    kind = models.CharField(_("ধরন"), max_length=16, choices=InitiativeKind.choices)
    title = models.CharField(_("উদ্যোগ"), max_length=500)
    details = models.TextField(_("বিস্তারিত"), blank=True)
    # As people write it ("অগাস্ট ২০২৩", "চলমান"); the date, when there is one, sorts and is shown in Bangla.
    completion_text = models.CharField(_("সমাপ্তির সময়"), max_length=100, blank=True)
    completion_date = models.DateField(_("সমাপ্তির তারিখ"), null=True, blank=True)
    position = models.PositiveIntegerField(_("ক্রম"), default=0)

    class Meta:
        verbose_name = _("উদ্যোগ")
        verbose_name_plural = _("উদ্যোগসমূহ")
        ordering = ["plan", "kind", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ApprovedReport(models.Model):
    """A report as approved: rendered once for its approval and never again; downloads return these bytes.

    Each approval (a version, ``indicators.Approval``) has its own copies; a later approval of the same period
    adds new ones and the earlier stay, superseded with their approval (DESIGN.md §4)."""

    approval = models.ForeignKey(
        "indicators.Approval",
        verbose_name=_("অনুমোদন (সংস্করণ)"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    kind = models.CharField(_("ধরন"), max_length=16, choices=ReportKind.choices)
    file = models.FileField(_("ফাইল"), upload_to="reports/approved/%Y/", max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("আকার (বাইট)"))
    pages = models.PositiveIntegerField(_("পৃষ্ঠা"))
    created_at = models.DateTimeField(_("তৈরি"), auto_now_add=True)

    class Meta:
        verbose_name = _("অনুমোদিত প্রতিবেদন")
        verbose_name_plural = _("অনুমোদিত প্রতিবেদনসমূহ")
        constraints = [
            models.UniqueConstraint(fields=["approval", "kind"], name="one_report_per_approval_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.approval} {self.kind}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("অপেক্ষমাণ")
    RUNNING = "running", _("তৈরি হচ্ছে")
    DONE = "done", _("সম্পন্ন")
    FAILED = "failed", _("ব্যর্থ")


class ReportJob(models.Model):
    """One rendering of a report (a draft, or the approval copy), with its progress for the browser."""

    plan = models.ForeignKey(
        "indicators.ActionPlan",
        verbose_name=_("কর্মপরিকল্পনা"),
        on_delete=models.CASCADE,
        related_name="report_jobs",
    )
    kind = models.CharField(_("ধরন"), max_length=16, choices=ReportKind.choices)
    quarter = models.PositiveSmallIntegerField(_("ত্রৈমাসিক"))
    # The approval whose copy this job makes (None for a draft).
    approval = models.ForeignKey(
        "indicators.Approval",
        verbose_name=_("অনুমোদন (সংস্করণ)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    status = models.CharField(_("অবস্থা"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("অগ্রগতি (%)"), default=0)
    step = models.CharField(_("ধাপ"), max_length=255, blank=True)
    error = models.TextField(_("ত্রুটি"), blank=True)
    file = models.FileField(_("ফাইল"), upload_to="reports/jobs/%Y/", max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("পৃষ্ঠা"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("তৈরি"), auto_now_add=True)
    # When a worker (or thread) claimed the job; a job running far longer than that is stale (jobs.py).
    started_at = models.DateTimeField(_("শুরু"), null=True, blank=True)
    finished_at = models.DateTimeField(_("শেষ"), null=True, blank=True)

    class Meta:
        verbose_name = _("প্রতিবেদন তৈরির কাজ")
        verbose_name_plural = _("প্রতিবেদন তৈরির কাজ")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="report_job_quarter_1_to_4"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_job_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.kind} Q{self.quarter} ({self.status})"


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("খসড়া")
    APPROVED = "approved", _("সভাপতি কর্তৃক অনুমোদিত")


class Meeting(models.Model):
    """A progress-review meeting of an office's plan and its minutes (issue 16.1, seed 004): who chaired it,
    when and where, who attended (the annex list), and per indicator the discussion, the decision and who is
    responsible. Numbered per office and fiscal year; approved by the chair (the CIO), after which it is
    read-only, and its PDF can be kept as evidence of the plan's meetings indicator."""

    office = models.ForeignKey("indicators.Office", verbose_name=_("দপ্তর"), on_delete=models.CASCADE)
    fiscal_year = models.ForeignKey(
        "indicators.FiscalYear", verbose_name=_("অর্থবছর"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("সভার ক্রম"))
    held_on = models.DateField(_("তারিখ"))
    time_text = models.CharField(_("সময়"), max_length=64, blank=True)
    place = models.CharField(_("স্থান"), max_length=255, blank=True)
    chair_name = models.CharField(_("সভাপতির নাম"), max_length=255)
    chair_designation = models.TextField(_("সভাপতির পদবি"), blank=True, help_text=_("প্রতিটি লাইন আলাদা"))
    wing_bn = models.CharField(_("শাখা/অনুবিভাগ"), max_length=255, blank=True)
    attendees = models.TextField(
        _("উপস্থিত কর্মকর্তা (পরিশিষ্ট-ক)"), blank=True, help_text=_("প্রতিটি জন আলাদা লাইনে")
    )
    opening = models.TextField(_("সূচনা"), blank=True)
    closing = models.TextField(_("সমাপ্তি"), blank=True)
    memo_number = models.CharField(_("স্মারক নম্বর"), max_length=128, blank=True)
    signed_on = models.DateField(_("স্বাক্ষরের তারিখ"), null=True, blank=True)
    distribution = models.TextField(_("বিতরণ"), blank=True, help_text=_("প্রতিটি প্রাপক আলাদা লাইনে"))
    state = models.CharField(
        _("অবস্থা"), max_length=16, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("অনুমোদনের সময়"), null=True, blank=True)
    #: The team's last request for approval (who, when): kept after approval as a record; an edit after the
    #: request keeps it (the CIO must still act).
    approval_requested_at = models.DateTimeField(_("অনুমোদনের অনুরোধের সময়"), null=True, blank=True)
    approval_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.ForeignKey(
        "evidence.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The copy kept at approval (signed by the office), whether or not it became evidence; downloads return
    #: exactly these bytes.
    approved_file = models.FileField(
        _("অনুমোদিত কপি"), upload_to="reports/documents/%Y/", max_length=255, blank=True
    )
    approved_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("পর্যালোচনা সভা")
        verbose_name_plural = _("পর্যালোচনা সভাসমূহ")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "fiscal_year", "number"], name="meeting_number_per_year"
            )
        ]
        ordering = ["office", "fiscal_year", "number"]

    def __str__(self) -> str:
        return f"{self.office} — {self.fiscal_year} — {self.number}"


class MeetingItem(models.Model):
    """One row of the minutes' table: ক্রম · সূচক ও আলোচনা · সিদ্ধান্ত · বাস্তবায়নে."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("ক্রম"))
    indicator_code = models.CharField(_("সূচকের কোড"), max_length=32, blank=True)
    indicator_title = models.TextField(_("সূচক/বিষয়"), blank=True)
    discussion = models.TextField(_("আলোচনা"), blank=True)
    decision = models.TextField(_("সিদ্ধান্ত"), blank=True)
    responsible = models.TextField(_("বাস্তবায়নে"), blank=True)

    class Meta:
        verbose_name = _("সভার আলোচ্য বিষয়")
        verbose_name_plural = _("সভার আলোচ্য বিষয়সমূহ")
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="meeting_item_position")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.position}"


class SmartTerm(models.TextChoices):
    SHORT = "short", _("স্বল্পমেয়াদী (৬-১২ মাস)")
    MEDIUM = "medium", _("মধ্যমেয়াদী (১২-১৮ মাস)")
    LONG = "long", _("দীর্ঘমেয়াদী")


class SmartPlan(models.Model):
    """An office's Smart Bangladesh action plan of a fiscal year (issue 16.2, seed 003): the forwarding letter
    (memo number, dual date, subject, body, signatory, recipient, copies) and its initiatives. Approved by
    the office's CIO, after which it is read-only and can be kept as evidence of the indicator that asks
    for it (`[১.৫.২]` in 2023-24), whose value is then the approval date."""

    office = models.ForeignKey("indicators.Office", verbose_name=_("দপ্তর"), on_delete=models.CASCADE)
    fiscal_year = models.ForeignKey(
        "indicators.FiscalYear", verbose_name=_("অর্থবছর"), on_delete=models.PROTECT, related_name="+"
    )
    memo_number = models.CharField(_("স্মারক নম্বর"), max_length=128, blank=True)
    letter_date = models.DateField(_("পত্রের তারিখ"), null=True, blank=True)
    subject = models.TextField(_("বিষয়"), blank=True)
    body = models.TextField(_("পত্রের মূল অংশ"), blank=True)
    signatory_name = models.CharField(_("স্বাক্ষরকারীর নাম"), max_length=255, blank=True)
    signatory_lines = models.TextField(
        _("স্বাক্ষরকারীর পদবি ও যোগাযোগ"), blank=True, help_text=_("প্রতিটি লাইন আলাদা")
    )
    recipient = models.TextField(_("প্রাপক"), blank=True, help_text=_("প্রতিটি লাইন আলাদা"))
    copies = models.TextField(_("অনুলিপি"), blank=True, help_text=_("প্রতিটি প্রাপক আলাদা লাইনে"))
    state = models.CharField(
        _("অবস্থা"), max_length=16, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("অনুমোদনের সময়"), null=True, blank=True)
    #: The team's last request for approval (who, when): kept after approval as a record; an edit after the
    #: request keeps it (the CIO must still act).
    approval_requested_at = models.DateTimeField(_("অনুমোদনের অনুরোধের সময়"), null=True, blank=True)
    approval_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.ForeignKey(
        "evidence.Evidence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The copy kept at approval (signed by the office), whether or not it became evidence; downloads return
    #: exactly these bytes.
    approved_file = models.FileField(
        _("অনুমোদিত কপি"), upload_to="reports/documents/%Y/", max_length=255, blank=True
    )
    approved_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("স্মার্ট বাংলাদেশ কর্মপরিকল্পনা")
        verbose_name_plural = _("স্মার্ট বাংলাদেশ কর্মপরিকল্পনাসমূহ")
        constraints = [models.UniqueConstraint(fields=["office", "fiscal_year"], name="smart_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.office} — {self.fiscal_year}"


class SmartInitiative(models.Model):
    """One initiative of the Smart Bangladesh plan: one row of seed 003's table."""

    smart_plan = models.ForeignKey(SmartPlan, on_delete=models.CASCADE, related_name="initiatives")
    position = models.PositiveIntegerField(_("ক্রম"))
    name = models.TextField(_("স্মার্ট উদ্যোগের নাম"))
    description = models.TextField(_("সংক্ষিপ্ত ধারণা/বিবরণ"), blank=True)
    implementing_office = models.TextField(_("বাস্তবায়নকারী দপ্তর/সংস্থা"), blank=True)
    partners = models.TextField(_("সহযোগী/অংশীজন সংস্থা"), blank=True)
    problem = models.TextField(_("যে সমস্যার সমাধান হবে"), blank=True)
    beneficiaries = models.TextField(_("উপকারভোগী"), blank=True)
    term = models.CharField(_("মেয়াদ"), max_length=8, choices=SmartTerm.choices, default=SmartTerm.SHORT)
    time_frame = models.CharField(_("বাস্তবায়ন কাল"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("স্মার্ট উদ্যোগ")
        verbose_name_plural = _("স্মার্ট উদ্যোগসমূহ")
        ordering = ["smart_plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["smart_plan", "position"], name="smart_initiative_position")
        ]

    def __str__(self) -> str:
        return self.name[:60]
