"""The append-only history of every change (DESIGN.md §4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models.plans import ActionPlan, Indicator


class AppendOnlyError(Exception):
    pass


class HistoryQuerySet(models.QuerySet):
    """History can be added to, never changed: bulk update and delete are refused too."""

    def update(self, **kwargs):
        raise AppendOnlyError("history entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("history entries cannot be deleted")


class HistoryKind(models.TextChoices):
    VALUE = "value", _("অর্জন")
    REMARK = "remark", _("মন্তব্য")
    APPLICABILITY = "applicability", _("প্রযোজ্যতা")
    EVIDENCE_ADDED = "evidence_added", _("প্রমাণক যুক্ত")
    EVIDENCE_REMOVED = "evidence_removed", _("প্রমাণক সরানো")
    TARGETS = "targets", _("লক্ষ্যমাত্রা")
    STATE = "state", _("অবস্থা")
    IMPORT = "import", _("আমদানি")
    REPORT_TEXT = "report_text", _("প্রতিবেদনের লেখা")
    PLAN = "plan", _("কর্মপরিকল্পনার কাঠামো")
    EVIDENCE_CHANGED = "evidence_changed", _("প্রমাণক সংশোধন")
    MEETING = "meeting", _("পর্যালোচনা সভা")
    SMART_PLAN = "smart_plan", _("স্মার্ট বাংলাদেশ কর্মপরিকল্পনা")


class HistoryEntry(models.Model):
    """An append-only record of one change: before and after, who, when and why (DESIGN.md §4)."""

    # History outlives what it describes: a plan with history cannot be deleted, and an indicator removed by a
    # plan import leaves its entries untouched (no cascade, no SET NULL — both would rewrite history).
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("কর্মপরিকল্পনা"), on_delete=models.PROTECT, related_name="history"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("কর্মসম্পাদন সূচক"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="history",
    )
    indicator_code = models.CharField(_("সূচক নং"), max_length=16, blank=True)
    #: The plan's document the entry is about, when it is one of issue 16's (``meeting:<id>``,
    #: ``smart-plan:<id>``): its page shows its own history.
    # db_default: rows written by raw SQL (the load-data generator, a script) without the column are valid too
    document = models.CharField(_("দলিল"), max_length=40, blank=True, default="", db_default="")
    quarter = models.PositiveSmallIntegerField(_("ত্রৈমাসিক"), null=True, blank=True)
    kind = models.CharField(_("ধরন"), max_length=24, choices=HistoryKind.choices)
    before = models.TextField(_("আগে"), blank=True)
    after = models.TextField(_("পরে"), blank=True)
    reason = models.TextField(_("কারণ"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ব্যবহারকারী"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("সময়"), auto_now_add=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("পরিবর্তনের ইতিহাস")
        verbose_name_plural = _("পরিবর্তনের ইতিহাস")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["indicator", "-at"], name="history_indicator_at"),
            models.Index(fields=["plan", "document", "-at"], name="history_document_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # Append-only: an entry is written once and never updated.
        if self.pk is not None:
            raise AppendOnlyError("history entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("history entries cannot be deleted")
