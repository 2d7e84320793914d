"""প্রমাণক: files attached to an indicator (and optionally a quarter)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    """A random name: the stored path never carries anything the uploader typed."""
    return f"evidence/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}.{instance.extension}"


class ContentType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


EXTENSIONS = {ContentType.PDF: "pdf", ContentType.JPEG: "jpg", ContentType.PNG: "png"}


class Evidence(models.Model):
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("কর্মসম্পাদন সূচক"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    quarter = models.PositiveSmallIntegerField(
        _("ত্রৈমাসিক"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    title = models.CharField(_("শিরোনাম"), max_length=500)
    file = models.FileField(_("ফাইল"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("মূল ফাইলের নাম"), max_length=255)
    content_type = models.CharField(_("ধরন"), max_length=32, choices=ContentType.choices)
    size = models.PositiveBigIntegerField(_("আকার (বাইট)"))
    page_count = models.PositiveIntegerField(_("পৃষ্ঠা"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    position = models.PositiveIntegerField(_("ক্রম"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("আপলোড করেছেন"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("আপলোডের সময়"), auto_now_add=True)

    class Meta:
        verbose_name = _("প্রমাণক")
        verbose_name_plural = _("প্রমাণকসমূহ")
        ordering = ["indicator", "position", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="evidence_quarter_1_to_4",
            ),
            models.CheckConstraint(condition=Q(page_count__gte=1), name="evidence_has_pages"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return EXTENSIONS[ContentType(self.content_type)]
