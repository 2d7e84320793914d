"""Offices and the roles people hold in them (on the office's page and on the user's), and fiscal years."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from indicators.models import FiscalYear, Office, OfficeMembership

User = get_user_model()


class OfficeMembershipInline(admin.TabularInline):
    model = OfficeMembership
    fields = ("user", "role")
    autocomplete_fields = ("user",)
    extra = 0
    verbose_name_plural = _("এই দপ্তরে ব্যবহারকারীদের ভূমিকা")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("user")


def _https_by_default(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # government websites are served over https
    return db_field.formfield(**kwargs)


class OfficeAdminForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = "__all__"  # noqa: DJ007 — the admin chooses the fields it shows
        formfield_callback = _https_by_default

    def clean_parent(self) -> Office | None:
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk is not None:
            # The database refuses only an office that is its own parent; a longer cycle would make the
            # office its own ancestor and send its reports round in a circle.
            chain = [parent, *parent.ancestors()]
            if any(office.pk == self.instance.pk for office in chain):
                raise ValidationError(
                    _("ঊর্ধ্বতন দপ্তরের সম্পর্কে চক্র তৈরি হয় (দপ্তরটি নিজেই নিজের ঊর্ধ্বতন হয়ে যায়)।")
                )
        return parent


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    form = OfficeAdminForm
    list_display = ("code", "name_bn", "name_en", "kind", "parent")
    list_select_related = ("parent",)
    list_filter = ("kind",)
    search_fields = ("code", "name_bn", "name_en")
    autocomplete_fields = ("parent",)
    inlines = (OfficeMembershipInline,)
    # The admin builds its form's fields with its own callback (not the form's), through these overrides.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("code", "name_bn", "name_en", "kind", "parent")}),
        (_("প্রেরণপত্রের জন্য"), {"fields": ("wing_bn", "address_bn", "website", "memo_prefix")}),
    )


@admin.register(OfficeMembership)
class OfficeMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "role")
    list_select_related = ("user", "office")
    list_filter = ("role",)
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "office__code",
        "office__name_bn",
    )
    autocomplete_fields = ("user", "office")


class MembershipOfUserInline(admin.TabularInline):
    model = OfficeMembership
    fields = ("office", "role")
    autocomplete_fields = ("office",)
    extra = 0
    verbose_name_plural = _("দপ্তরে ভূমিকাসমূহ")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("office")


# The user's roles are edited on the user's page as well as on the office's.
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = (*DjangoUserAdmin.inlines, MembershipOfUserInline)


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ("__str__", "code_shown", "starts_on_shown", "ends_on_shown")
    search_fields = ("start_year",)

    @admin.display(description=_("কোড (ঠিকানায়)"), ordering="start_year")
    def code_shown(self, year: FiscalYear) -> str:
        return year.code

    @admin.display(description=_("শুরু"), ordering="start_year")
    def starts_on_shown(self, year: FiscalYear):
        return year.starts_on

    @admin.display(description=_("শেষ"), ordering="start_year")
    def ends_on_shown(self, year: FiscalYear):
        return year.ends_on

    def get_readonly_fields(self, request: HttpRequest, obj: FiscalYear | None = None) -> tuple[str, ...]:
        # Plans hang on the year; renumbering it would silently move them to another year.
        return ("start_year",) if obj is not None else ()
