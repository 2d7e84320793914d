"""The admin in Bangla for the apps we did not write: django-axes (sign-in attempts) and django-tasks' database
backend (report jobs' task results) name their app, models and columns in English only.

Their names are set here, once the apps are loaded, without touching what their migrations record: an app's
``verbose_name`` is not in any migration; a model's ``_meta.verbose_name`` is read by the admin, while the
migration autodetector reads ``_meta.original_attrs`` (the ``Meta`` as written), which stays as it is. Field labels
are in their fields' deconstruction (a change would be a migration in site-packages), so the columns, the
read-only fields and the filters of these admins are shown through display methods with Bangla descriptions
instead (``bangla_admin``). ``makemigrations --check`` stays clean (tests/site/test_admin_bangla.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.filters import FieldListFilter
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

APP_NAMES = {
    "axes": _("প্রবেশের চেষ্টা"),
    "django_tasks_database": _("পটভূমির কাজ"),
}

MODEL_NAMES = {
    AccessAttempt: (_("প্রবেশের চেষ্টা"), _("প্রবেশের চেষ্টাসমূহ")),
    AccessLog: (_("প্রবেশের লগ"), _("প্রবেশের লগসমূহ")),
    AccessFailureLog: (_("ব্যর্থ প্রবেশ"), _("ব্যর্থ প্রবেশসমূহ")),
    DBTaskResult: (_("কাজের ফলাফল"), _("কাজের ফলাফলসমূহ")),
}

AXES_LABELS = {
    "attempt_time": _("চেষ্টার সময়"),
    "logout_time": _("প্রস্থানের সময়"),
    "ip_address": _("আইপি ঠিকানা"),
    "user_agent": _("ব্রাউজার"),
    "username": _("সদস্যনাম"),
    "path_info": _("পাতার ঠিকানা"),
    "failures_since_start": _("ব্যর্থতার সংখ্যা"),
    "expiration": _("মেয়াদ শেষ"),
    "status": _("অবস্থা"),
    "http_accept": _("HTTP Accept"),
    "get_data": _("GET তথ্য"),
    "post_data": _("POST তথ্য"),
    "locked_out": _("আটকানো"),
}

TASK_LABELS = {
    "id": _("আইডি"),
    "status": _("অবস্থা"),
    "enqueued_at": _("সারিতে যোগের সময়"),
    "started_at": _("শুরুর সময়"),
    "finished_at": _("শেষের সময়"),
    "args_kwargs": _("আর্গুমেন্ট"),
    "priority": _("অগ্রাধিকার"),
    "task_path": _("কাজ"),
    "task_name": _("কাজ"),
    "worker_ids": _("কর্মী প্রসেস"),
    "queue_name": _("সারি"),
    "backend_name": _("ব্যাকএন্ড"),
    "run_after": _("যখনের পরে চলবে"),
    "display_run_after": _("যখনের পরে চলবে"),
    "return_value": _("ফলাফল"),
    "exception_class_path": _("ত্রুটির ধরন"),
    "traceback": _("ত্রুটির বিবরণ"),
    "formatted_traceback": _("ত্রুটির বিবরণ"),
}

TASK_STATUS = {
    "READY": _("অপেক্ষমাণ"),
    "RUNNING": _("চলছে"),
    "FAILED": _("ব্যর্থ"),
    "SUCCESSFUL": _("সম্পন্ন"),
}

PREFIX = "bn_"


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except Exception:  # not a model field: a method of the admin or the model
        return None


def _column(base: type[admin.ModelAdmin], model, name: str, label, values: Mapping[str, Any]):
    """A display method showing what column ``name`` showed, under a Bangla heading."""
    field = _field(model, name)
    original = getattr(base, name, None)
    boolean = bool(field is not None and field.get_internal_type() == "BooleanField")

    def show(self, obj):
        if callable(original):
            value = original(self, obj)
        elif field is not None and field.choices:
            raw = getattr(obj, field.attname)
            value = values.get(raw) or getattr(obj, f"get_{name}_display")()
        else:
            value = getattr(obj, name)
        return values.get(value, value) if isinstance(value, str) else value

    ordering = name if field is not None and getattr(field, "concrete", False) else None
    return admin.display(description=label, ordering=ordering, boolean=boolean)(show)


def _titled_filter(model, name: str, title):
    """A list filter of a field under a Bangla title (Django takes the title from the field's label)."""
    field = model._meta.get_field(name)
    base = next(cls for test, cls in FieldListFilter._field_list_filters if test(field))

    class Titled(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    Titled.__name__ = f"{base.__name__}_{name}"
    return (name, Titled)


class LockedOutFilter(axes_admin.IsLockedOutFilter):
    title = _("আটকানো")

    def lookups(self, request, model_admin):
        return (("yes", _("হ্যাঁ")), ("no", _("না")))


class TaskStatusFilter(admin.SimpleListFilter):
    """django-tasks' states (English labels in its choices) by their Bangla names."""

    title = _("অবস্থা")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return list(TASK_STATUS.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


FILTERS = {axes_admin.IsLockedOutFilter: LockedOutFilter, ("status", DBTaskResult): TaskStatusFilter}


def _filter(model, f, labels):
    if f in FILTERS:
        return FILTERS[f]
    if isinstance(f, str) and (f, model) in FILTERS:
        return FILTERS[(f, model)]
    if isinstance(f, str) and f in labels:
        return _titled_filter(model, f, labels[f])
    return f


def _names(names: Sequence[str], labels: Mapping[str, Any]) -> list[str]:
    return [PREFIX + n if isinstance(n, str) and n in labels else n for n in names]


def bangla_admin(
    base: type[admin.ModelAdmin], model, labels: Mapping[str, Any], values: Mapping[str, Any] | None = None
):
    """A subclass of a third-party ``ModelAdmin`` whose columns, read-only fields and filters have Bangla names."""
    values = values or {}
    attrs: dict[str, Any] = {"__module__": __name__}
    for name, label in labels.items():
        attrs[PREFIX + name] = _column(base, model, name, label, values)
    attrs["list_display"] = _names(base.list_display, labels)
    attrs["list_display_links"] = _names(base.list_display_links or base.list_display[:1], labels)
    attrs["readonly_fields"] = _names(base.readonly_fields, labels)
    if base.fieldsets:
        attrs["fieldsets"] = [
            (title, {**opts, "fields": _names(opts["fields"], labels)}) for title, opts in base.fieldsets
        ]
    attrs["list_filter"] = [_filter(model, f, labels) for f in base.list_filter]

    if "get_readonly_fields" in vars(base):

        def get_readonly_fields(self, request, obj=None):
            return _names(base.get_readonly_fields(self, request, obj), labels)

        attrs["get_readonly_fields"] = get_readonly_fields
    return type(f"Bangla{base.__name__}", (base,), attrs)


def name_apps_in_bangla() -> None:
    for label, name in APP_NAMES.items():
        apps.get_app_config(label).verbose_name = name
    for model, (singular, plural) in MODEL_NAMES.items():
        # Not original_attrs: that is what migrations record, and it stays English.
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural


name_apps_in_bangla()

for model, base, labels, values in (
    (AccessAttempt, axes_admin.AccessAttemptAdmin, AXES_LABELS, {}),
    (AccessLog, axes_admin.AccessLogAdmin, AXES_LABELS, {}),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin, AXES_LABELS, {}),
    (DBTaskResult, DBTaskResultAdmin, TASK_LABELS, TASK_STATUS),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        used = {
            name: label
            for name, label in labels.items()
            if _field(model, name) is not None or hasattr(base, name) or hasattr(model, name)
        }
        admin.site.register(model, bangla_admin(base, model, used, values))
