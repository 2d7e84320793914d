"""Offices, their kinds and who holds which role in them (DESIGN.md §1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OfficeKind(models.TextChoices):
    DIVISION = "division", _("বিভাগ")
    MINISTRY = "ministry", _("মন্ত্রণালয়")
    DEPARTMENT = "department", _("অধিদপ্তর/দপ্তর")
    AGENCY = "agency", _("সংস্থা")
    DIVISIONAL = "divisional", _("বিভাগীয় কার্যালয়")
    DISTRICT = "district", _("জেলা কার্যালয়")
    UPAZILA = "upazila", _("উপজেলা কার্যালয়")
    OTHER = "other", _("অন্যান্য")


class Office(models.Model):
    """An office under APA; offices form a tree and each reports to its parent."""

    code = models.SlugField(_("কোড"), max_length=64, unique=True)
    name_bn = models.CharField(_("নাম (বাংলা)"), max_length=255)
    name_en = models.CharField(_("নাম (ইংরেজি)"), max_length=255, blank=True)
    kind = models.CharField(_("ধরন"), max_length=16, choices=OfficeKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ঊর্ধ্বতন দপ্তর"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    wing_bn = models.CharField(
        _("অনুবিভাগ/উইং"), max_length=255, blank=True, help_text=_("যেমন: আইসিটি অনুবিভাগ")
    )
    address_bn = models.TextField(_("ঠিকানা"), blank=True, help_text=_("প্রতিটি লাইন আলাদা লাইনে"))
    website = models.URLField(_("ওয়েবসাইট"), blank=True)
    memo_prefix = models.CharField(
        _("স্মারক নম্বরের অংশ"),
        max_length=64,
        blank=True,
        help_text=_("যেমন: ১৯.০০.০০০০.১৭৫.৪২.০০১.২৩"),
    )

    class Meta:
        verbose_name = _("দপ্তর")
        verbose_name_plural = _("দপ্তরসমূহ")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="office_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name_bn

    def ancestors(self) -> list[Office]:
        """The chain of parent offices, nearest first (one query per level; trees are shallow)."""
        chain: list[Office] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain


class Role(models.TextChoices):
    OFFICER = "officer", _("আইসিটি কর্মকর্তা / ইনোভেশন টিম সদস্য")
    CIO = "cio", _("চিফ ইনোভেশন অফিসার")
    REVIEWER = "reviewer", _("ঊর্ধ্বতন দপ্তরের পর্যালোচক")
    ADMIN = "admin", _("প্রশাসক")


class OfficeMembership(models.Model):
    """A role a user holds in one office; a user may hold roles in several offices."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ব্যবহারকারী"),
        on_delete=models.CASCADE,
        related_name="office_memberships",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("দপ্তর"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("ভূমিকা"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("দপ্তরে ভূমিকা")
        verbose_name_plural = _("দপ্তরে ভূমিকাসমূহ")
        constraints = [
            models.UniqueConstraint(fields=["user", "office", "role"], name="unique_membership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.office} ({self.get_role_display()})"
