"""Who is mailed and what was already sent (DESIGN.md §10, issue 14.4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models.periods import ReportingPeriod


class MailPreference(models.Model):
    """Whether a user is mailed about the work (DESIGN.md §10): transitions and reminders. No row = yes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ব্যবহারকারী"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="mail_preference",
    )
    mail_enabled = models.BooleanField(
        _("ই-মেইলে জানান"),
        default=True,
        help_text=_("দাখিল, ফেরত, অনুমোদন, প্রেরণ, গ্রহণ ও শেষ তারিখের কথা ই-মেইলে জানানো হবে।"),
    )
    updated_at = models.DateTimeField(_("সর্বশেষ বদল"), auto_now=True)

    class Meta:
        verbose_name = _("ই-মেইলের পছন্দ")
        verbose_name_plural = _("ই-মেইলের পছন্দ")

    def __str__(self) -> str:
        return str(self.user)


class ReminderSent(models.Model):
    """A reminder mailed by ``send_reminders`` (DESIGN.md §8): each one once per user, period and day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ব্যবহারকারী"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("প্রতিবেদনকাল"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("ধরন"), max_length=16)
    day = models.DateField(_("দিন"))
    sent_at = models.DateTimeField(_("পাঠানোর সময়"), auto_now_add=True)

    class Meta:
        verbose_name = _("পাঠানো স্মরণবার্তা")
        verbose_name_plural = _("পাঠানো স্মরণবার্তা")
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "kind", "day"], name="one_reminder_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.day}"
