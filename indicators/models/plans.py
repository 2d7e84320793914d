"""The plan: fiscal years, action plans (with their origin and the templates they start from), areas,
activities, indicators with their five targets and units, and quarterly progress (DESIGN.md §2).

Codes are stored in ASCII without brackets (``1.2.2``) and shown in Bangla with brackets (``[১.২.২]``). Achieved
marks are never stored here: ``indicators.scoring`` computes them from progress."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from base.bangla import fiscal_year_label, format_code
from indicators import scoring
from indicators.models.offices import Office


class FiscalYear(models.Model):
    """অর্থবছর: 1 July to 30 June, written ``2022-23``."""

    start_year = models.PositiveSmallIntegerField(
        _("শুরুর বছর"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2200)]
    )

    class Meta:
        verbose_name = _("অর্থবছর")
        verbose_name_plural = _("অর্থবছরসমূহ")
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return fiscal_year_label(self.start_year)

    @property
    def code(self) -> str:
        """ASCII label used in addresses and on the command line, e.g. ``2022-23``."""
        return fiscal_year_label(self.start_year, bangla=False)

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.start_year, 7, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 6, 30)


class ActionPlanQuerySet(models.QuerySet):
    def for_office_year(self, office_code: str, start_year: int) -> ActionPlanQuerySet:
        return self.filter(office__code=office_code, fiscal_year__start_year=start_year)


class PlanOrigin(models.TextChoices):
    """Where a plan came from (issue 13): shown on the plan page."""

    UNKNOWN = "", _("অজানা")
    IMPORT = "import", _("শিট থেকে আমদানি")
    COPY = "copy", _("আগের অর্থবছরের কর্মপরিকল্পনা থেকে অনুলিপি")
    TEMPLATE = "template", _("ঊর্ধ্বতন দপ্তরের টেমপ্লেট থেকে")


class PlanTemplate(models.Model):
    """The year's template a higher office publishes for the offices below it (the Cabinet Division for the
    ministries, a ministry for its departments): the mandatory areas, activities and indicators with their
    weights, units, methods and texts, without targets. Published once and kept as it was published, so
    that every plan started from it says what it was started from.

    ``structure`` is ``{"areas": [{"code", "title", "marks", "activities": [{"code", "title",
    "indicators": [{"code", "title", "unit", "unit_label", "weight", "calc_method", "scoring_method",
    "direction", "evaluation", "evidence_expected"}]}]}]}`` with numbers as strings.
    """

    office = models.ForeignKey(
        Office, verbose_name=_("প্রকাশকারী দপ্তর"), on_delete=models.PROTECT, related_name="plan_templates"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("অর্থবছর"), on_delete=models.PROTECT, related_name="plan_templates"
    )
    structure = models.JSONField(_("কাঠামো"))
    source = models.CharField(_("যে কর্মপরিকল্পনা থেকে"), max_length=255, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("প্রকাশ করেছেন"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("প্রকাশের সময়"), auto_now_add=True)

    class Meta:
        verbose_name = _("কর্মপরিকল্পনার টেমপ্লেট")
        verbose_name_plural = _("কর্মপরিকল্পনার টেমপ্লেটসমূহ")
        ordering = ["-fiscal_year__start_year", "office__code"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year"], name="one_template_per_office_year"),
        ]

    def __str__(self) -> str:
        return f"{self.office} — {self.fiscal_year}"

    @property
    def indicator_count(self) -> int:
        return sum(
            len(activity["indicators"]) for area in self.structure["areas"] for activity in area["activities"]
        )


class ActionPlan(models.Model):
    """কর্মপরিকল্পনা: one per office and fiscal year."""

    office = models.ForeignKey(Office, verbose_name=_("দপ্তর"), on_delete=models.PROTECT, related_name="plans")
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("অর্থবছর"), on_delete=models.PROTECT, related_name="plans"
    )
    # Where the plan came from: a sheet, last year's plan (origin_plan) or a higher office's template
    # (origin_template); written once, when the plan is created.
    origin = models.CharField(
        _("উৎস"), max_length=16, choices=PlanOrigin.choices, blank=True, default=PlanOrigin.UNKNOWN
    )
    origin_plan = models.ForeignKey(
        "self",
        verbose_name=_("যে কর্মপরিকল্পনা থেকে অনুলিপি"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    origin_template = models.ForeignKey(
        PlanTemplate,
        verbose_name=_("যে টেমপ্লেট থেকে"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    created_at = models.DateTimeField(_("তৈরি"), auto_now_add=True)
    updated_at = models.DateTimeField(_("হালনাগাদ"), auto_now=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("কর্মপরিকল্পনা")
        verbose_name_plural = _("কর্মপরিকল্পনাসমূহ")
        ordering = ["-fiscal_year__start_year", "office__code"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year"], name="one_plan_per_office_year"),
        ]

    def __str__(self) -> str:
        return f"{self.office} — {self.fiscal_year}"


class PerformanceArea(models.Model):
    """কর্মসম্পাদন ক্ষেত্র, code ``1``, with its marks (মান)."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("কর্মপরিকল্পনা"), on_delete=models.CASCADE, related_name="areas"
    )
    code = models.CharField(_("ক্ষেত্র নং"), max_length=16)
    title = models.TextField(_("কর্মসম্পাদন ক্ষেত্র"))
    marks = models.DecimalField(_("ক্ষেত্রের মান"), max_digits=6, decimal_places=2)
    position = models.PositiveIntegerField(_("ক্রম"), default=0)

    class Meta:
        verbose_name = _("কর্মসম্পাদন ক্ষেত্র")
        verbose_name_plural = _("কর্মসম্পাদন ক্ষেত্রসমূহ")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_area_code_per_plan"),
            models.CheckConstraint(condition=Q(marks__gt=0), name="area_marks_positive"),
        ]

    def __str__(self) -> str:
        return f"{format_code(self.code)} {self.title}"


class Activity(models.Model):
    """কার্যক্রম, code ``1.1``."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("কর্মপরিকল্পনা"), on_delete=models.CASCADE, related_name="activities"
    )
    area = models.ForeignKey(
        PerformanceArea,
        verbose_name=_("কর্মসম্পাদন ক্ষেত্র"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    code = models.CharField(_("কার্যক্রম নং"), max_length=16)
    title = models.TextField(_("কার্যক্রম"))
    position = models.PositiveIntegerField(_("ক্রম"), default=0)

    class Meta:
        verbose_name = _("কার্যক্রম")
        verbose_name_plural = _("কার্যক্রমসমূহ")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_activity_code_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{format_code(self.code)} {self.title}"


class Unit(models.TextChoices):
    DATE = scoring.Unit.DATE.value, _("তারিখ")
    PERCENT = scoring.Unit.PERCENT.value, _("%")
    NUMBER = scoring.Unit.NUMBER.value, _("সংখ্যা")


class CalcMethod(models.TextChoices):
    SUM = scoring.CalcMethod.SUM.value, _("সমষ্টি")
    AVERAGE = scoring.CalcMethod.AVERAGE.value, _("গড়")
    CUMULATIVE = scoring.CalcMethod.CUMULATIVE.value, _("ক্রমপুঞ্জিভূত")
    DATE = scoring.CalcMethod.DATE.value, _("তারিখ")


class ScoringMethod(models.TextChoices):
    INTERPOLATE = scoring.ScoringMethod.INTERPOLATE.value, _("রৈখিক (স্তরের মাঝে আনুপাতিক)")
    PROPORTIONAL = scoring.ScoringMethod.PROPORTIONAL.value, _("আনুপাতিক")
    THRESHOLD = scoring.ScoringMethod.THRESHOLD.value, _("পূর্ণ অথবা শূন্য")
    STEP = scoring.ScoringMethod.STEP.value, _("ধাপভিত্তিক")


class DataSource(models.TextChoices):
    """Where an indicator's value can come from besides the officer (issue 16.4): a record the system holds."""

    NONE = "", _("অফিসার লেখেন")
    HALF_YEARLY_SENT = "half_yearly_sent", _("অর্ধবার্ষিক প্রতিবেদন ঊর্ধ্বতন দপ্তরে পাঠানোর তারিখ")
    MEETINGS_HELD = "meetings_held", _("অনুষ্ঠিত পর্যালোচনা সভা (সংখ্যা বা প্রথম সভার তারিখ)")
    CHILDREN_REVIEW = "children_review", _("অধীন দপ্তরের প্রতিবেদন পর্যালোচনা রাখার তারিখ")
    SMART_PLAN_APPROVED = "smart_plan_approved", _("স্মার্ট বাংলাদেশ কর্মপরিকল্পনা অনুমোদনের তারিখ")


class Direction(models.TextChoices):
    HIGHER = scoring.Direction.HIGHER.value, _("বেশি ভালো")
    LOWER = scoring.Direction.LOWER.value, _("কম ভালো")


TARGET_LEVELS = (100, 90, 80, 70, 60)
#: The indicator's target columns, a number and a date column per level, in level order.
TARGET_COLUMNS = tuple(f"target_{level}_{kind}" for level in TARGET_LEVELS for kind in ("number", "date"))

# Values are stored in typed columns: numbers/percents in *_number, dates in *_date.
VALUE_DIGITS = {"max_digits": 16, "decimal_places": 4}


def _unit_columns_match(prefixes: list[str], name: str) -> models.CheckConstraint:
    """Date units use only the ``*_date`` columns, the other units only the ``*_number`` columns."""
    dates_null = Q(**{f"{p}_date__isnull": True for p in prefixes})
    numbers_null = Q(**{f"{p}_number__isnull": True for p in prefixes})
    return models.CheckConstraint(
        condition=(Q(unit=scoring.Unit.DATE.value) & numbers_null)
        | (~Q(unit=scoring.Unit.DATE.value) & dates_null),
        name=name,
    )


class IndicatorQuerySet(models.QuerySet):
    def applicable(self) -> IndicatorQuerySet:
        return self.filter(applicable=True)

    def without_targets(self) -> IndicatorQuerySet:
        """Applicable indicators whose 100% target is not written yet (a plan started from a template):
        they get no marks and the plan cannot be submitted until they have one."""
        return self.applicable().filter(target_100_number__isnull=True, target_100_date__isnull=True)


class Indicator(models.Model):
    """কর্মসম্পাদন সূচক, code ``1.1.1``, with its weight (সূচকের মান) and five target levels."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("কর্মপরিকল্পনা"), on_delete=models.CASCADE, related_name="indicators"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("কার্যক্রম"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("সূচক নং"), max_length=16)
    title = models.TextField(_("কর্মসম্পাদন সূচক"))
    # The kind of value (number, percent, date) that decides parsing and scoring; the label is the unit as
    # the plan writes it (জনঘন্টা, কোটি টাকা, সংখ্যা (হাজার) …), printed wherever the unit appears.
    unit = models.CharField(_("এককের ধরন"), max_length=16, choices=Unit.choices)
    unit_label = models.CharField(_("একক"), max_length=64, blank=True)
    # What the Cabinet Division's template says of the indicator (issue 17): how it is evaluated and what
    # evidence it expects; shown beside the upload and in the summary before a submission.
    evaluation = models.TextField(_("মূল্যায়ন পদ্ধতি"), blank=True, max_length=2000)
    evidence_expected = models.TextField(_("প্রত্যাশিত প্রমাণক"), blank=True, max_length=2000)
    weight = models.DecimalField(_("সূচকের মান"), max_digits=6, decimal_places=2)
    calc_method = models.CharField(_("গণনা পদ্ধতি"), max_length=16, choices=CalcMethod.choices)
    scoring_method = models.CharField(
        _("নম্বর পদ্ধতি"), max_length=16, choices=ScoringMethod.choices, default=ScoringMethod.INTERPOLATE
    )
    direction = models.CharField(_("দিক"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    target_100_number = models.DecimalField(_("অসাধারণ"), null=True, blank=True, **VALUE_DIGITS)
    target_100_date = models.DateField(_("অসাধারণ (তারিখ)"), null=True, blank=True)
    target_90_number = models.DecimalField(_("অতি উত্তম"), null=True, blank=True, **VALUE_DIGITS)
    target_90_date = models.DateField(_("অতি উত্তম (তারিখ)"), null=True, blank=True)
    target_80_number = models.DecimalField(_("উত্তম"), null=True, blank=True, **VALUE_DIGITS)
    target_80_date = models.DateField(_("উত্তম (তারিখ)"), null=True, blank=True)
    target_70_number = models.DecimalField(_("চলতি মান"), null=True, blank=True, **VALUE_DIGITS)
    target_70_date = models.DateField(_("চলতি মান (তারিখ)"), null=True, blank=True)
    target_60_number = models.DecimalField(_("চলতি মানের নিম্নে"), null=True, blank=True, **VALUE_DIGITS)
    target_60_date = models.DateField(_("চলতি মানের নিম্নে (তারিখ)"), null=True, blank=True)
    applicable = models.BooleanField(_("প্রযোজ্য"), default=True)
    not_applicable_reason = models.TextField(_("প্রযোজ্য নয় কেন"), blank=True)
    # Issue 16.4: the value filled from a record the system holds (indicators.services.sources); the officer
    # can still correct it, with a reason, like any value.
    data_source = models.CharField(
        _("মানের উৎস"), max_length=24, choices=DataSource.choices, blank=True, default=DataSource.NONE
    )
    position = models.PositiveIntegerField(_("ক্রম"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("কর্মসম্পাদন সূচক")
        verbose_name_plural = _("কর্মসম্পাদন সূচকসমূহ")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_indicator_code_per_plan"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
            # DESIGN.md §3.5: unit date goes with calculation method date and no other.
            models.CheckConstraint(
                condition=(Q(unit=scoring.Unit.DATE.value) & Q(calc_method=scoring.CalcMethod.DATE.value))
                | (~Q(unit=scoring.Unit.DATE.value) & ~Q(calc_method=scoring.CalcMethod.DATE.value)),
                name="indicator_date_unit_iff_date_method",
            ),
            models.CheckConstraint(
                condition=~(
                    Q(unit=scoring.Unit.DATE.value)
                    & Q(scoring_method=scoring.ScoringMethod.PROPORTIONAL.value)
                ),
                name="indicator_no_proportional_dates",
            ),
            # The 100% target (অসাধারণ) comes first: no lower level without it. All five may be blank only in a
            # plan started from a template, until the office writes them: the plan is then incomplete (no
            # marks for the indicator, no submission; issue 13).
            models.CheckConstraint(
                condition=Q(target_100_number__isnull=False)
                | Q(target_100_date__isnull=False)
                | Q(
                    **{
                        f"target_{level}_{kind}__isnull": True
                        for level in TARGET_LEVELS[1:]
                        for kind in ("number", "date")
                    }
                ),
                name="indicator_no_target_without_100",
            ),
            _unit_columns_match(
                [f"target_{level}" for level in TARGET_LEVELS], "indicator_targets_match_unit"
            ),
            models.CheckConstraint(
                condition=Q(applicable=True) | ~Q(not_applicable_reason=""),
                name="indicator_not_applicable_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{format_code(self.code)} {self.title}"

    @property
    def unit_text(self) -> str:
        """The unit as printed: the plan's own label, or the word of its kind."""
        return self.unit_label or Unit(self.unit).label

    @property
    def has_targets(self) -> bool:
        return self.target(100) is not None

    def target(self, level: int) -> Decimal | datetime.date | None:
        suffix = "date" if self.unit == Unit.DATE else "number"
        return getattr(self, f"target_{level}_{suffix}")

    def set_target(self, level: int, value: Decimal | datetime.date | None) -> None:
        suffix = "date" if self.unit == Unit.DATE else "number"
        other = "number" if suffix == "date" else "date"
        setattr(self, f"target_{level}_{suffix}", value)
        setattr(self, f"target_{level}_{other}", None)

    @property
    def targets(self) -> scoring.Targets:
        t100 = self.target(100)
        if t100 is None:  # a plan started from a template whose targets are not written yet
            raise ValueError(f"indicator {self.code} has no 100% target")
        return scoring.Targets(
            t100=t100, t90=self.target(90), t80=self.target(80), t70=self.target(70), t60=self.target(60)
        )


class ProgressQuerySet(models.QuerySet):
    def with_value(self) -> ProgressQuerySet:
        """Rows that hold an achievement (a remark alone is not one)."""
        return self.exclude(value_number__isnull=True, value_date__isnull=True)

    def recorded(self) -> ProgressQuerySet:
        """Rows that hold a value or a remark (a cleared quarter keeps an empty row so its version counts on)."""
        return self.exclude(value_number__isnull=True, value_date__isnull=True, remark="")


class Progress(models.Model):
    """ত্রৈমাসিক অগ্রগতি: one row per indicator and quarter."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("কর্মসম্পাদন সূচক"), on_delete=models.CASCADE, related_name="progress"
    )
    quarter = models.PositiveSmallIntegerField(
        _("ত্রৈমাসিক"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    value_number = models.DecimalField(_("অর্জন (সংখ্যা/%)"), null=True, blank=True, **VALUE_DIGITS)
    value_date = models.DateField(_("অর্জন (তারিখ)"), null=True, blank=True)
    remark = models.TextField(_("মন্তব্য"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("লিখেছেন"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("সময়"), auto_now=True)
    # Incremented by every save from the browser: a save based on an older version is refused, so two people
    # editing the same value never silently overwrite each other.
    version = models.PositiveIntegerField(_("সংস্করণ"), default=0)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("ত্রৈমাসিক অগ্রগতি")
        verbose_name_plural = _("ত্রৈমাসিক অগ্রগতি")
        ordering = ["indicator", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "quarter"], name="one_progress_per_indicator_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="progress_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(value_number__isnull=True) | Q(value_date__isnull=True),
                name="progress_one_value_column",
            ),
            models.CheckConstraint(
                condition=Q(value_number__isnull=True) | Q(value_number__gte=0),
                name="progress_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} Q{self.quarter}"

    @property
    def value(self) -> Decimal | datetime.date | None:
        return self.value_date if self.value_date is not None else self.value_number

    @value.setter
    def value(self, value: Decimal | datetime.date | None) -> None:
        if isinstance(value, datetime.date):
            self.value_date, self.value_number = value, None
        else:
            self.value_date, self.value_number = None, value


# ---------------------------------------------------------------------------------------------------------
# Workflow (DESIGN.md §4): reporting periods, their transitions and the append-only history
