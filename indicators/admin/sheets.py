"""The exchange sheets of DESIGN.md §7 in the admin: upload → check and preview → confirm, and export.

``SheetImportExportMixin`` gives a model's list django-import-export's Import and Export pages for one sheet
(``indicators.resources``): the upload is checked by content and read before the library keeps a copy, its size is
limited while the body arrives, the copy is removed when there is nothing to confirm, and the log entries,
messages and warnings are in Bangla."""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from import_export.admin import ExportMixin, ImportMixin
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import RowResult

from base.bangla import fiscal_year_label, to_bangla_digits
from base.errors import DomainError
from base.uploadhandlers import UploadLimit, declared_too_large
from indicators import parsing
from indicators.models import ActionPlan, Office
from indicators.resources import SHEET_FORMATS, SheetCSV, SheetImportResult, SheetXLSX, sheet_from_upload
from indicators.uploads import check_sheet_size, sheet_too_large


class _SheetFileCheck:
    """The uploaded sheet is checked by content and read as the command line reads it (``indicators.uploads``,
    ``sheet_from_upload``) while the form is validated, so a file the import cannot read is refused, with the
    reader's own words, before import-export keeps a copy of it. ``upload_refusal`` is what ``UploadLimit``
    refused while the request was received (the file itself is then missing)."""

    def __init__(self, *args: Any, upload_refusal: str = "", **kwargs: Any):
        self.upload_refusal = upload_refusal
        super().__init__(*args, **kwargs)

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if self.upload_refusal:
            return upload  # dropped or closed while it arrived; clean() says why
        try:
            check_sheet_size(upload.size)
            sheet_from_upload(b"".join(upload.chunks()), name=upload.name or "")
        except DomainError as error:
            raise ValidationError(error.message) from error
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.upload_refusal:
            self._errors.pop("import_file", None)  # "required": the file was dropped for this reason
            self.add_error("import_file", self.upload_refusal)
        return cleaned


class _ImportFormLabels:
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = _("ফাইল (CSV, XLSX বা Word DOCX)")
        self.fields["format"].label = _("ফাইলের ধরন")
        self.fields["resource"].label = _("ছক")


class PlanTargetForm(forms.Form):
    """Where a plan sheet goes: an office, a fiscal year, and whether it replaces the plan already there."""

    office = forms.ModelChoiceField(queryset=Office.objects.all(), label=_("দপ্তর"))
    fiscal_year = forms.CharField(
        label=_("অর্থবছর"), max_length=32, help_text=_("যেমন ২০২২-২৩ বা 2022-23 (জুলাই থেকে জুন)")
    )
    replace = forms.BooleanField(
        label=_("বিদ্যমান কর্মপরিকল্পনা প্রতিস্থাপন করুন"),
        required=False,
        help_text=_(
            "সূচক নম্বর মিলিয়ে হালনাগাদ হয়, তাই রাখা সূচকের অগ্রগতি থেকে যায়; ছকে নেই এমন সূচক বাদ যায় "
            "(প্রমাণক থাকলে আমদানি হবে না)।"
        ),
    )

    def clean_fiscal_year(self) -> str:
        raw = self.cleaned_data["fiscal_year"]
        try:
            start, _end = parsing.parse_fiscal_year(raw)
        except parsing.CellError as error:
            raise ValidationError(error.message_bn) from error
        return fiscal_year_label(start, bangla=False)


class PlanSheetImportForm(_SheetFileCheck, _ImportFormLabels, PlanTargetForm, ImportForm):
    field_order = ["resource", "office", "fiscal_year", "replace", "import_file", "format"]

    def clean(self) -> dict[str, Any]:
        # Said on the form before the file is read; the service refuses it too.
        cleaned = super().clean()
        office, year = cleaned.get("office"), cleaned.get("fiscal_year")
        if office and year and not cleaned.get("replace"):
            start_year, _end = parsing.parse_fiscal_year(year)
            if ActionPlan.objects.filter(office=office, fiscal_year__start_year=start_year).exists():
                self.add_error(
                    "replace",
                    _(
                        "%(office)s-এর %(year)s অর্থবছরের কর্মপরিকল্পনা আগেই আছে; "
                        "বদলাতে চাইলে 'প্রতিস্থাপন করুন' বেছে নিন।"
                    )
                    % {"office": office.name_bn, "year": to_bangla_digits(year)},
                )
        return cleaned


class PlanSheetConfirmForm(PlanTargetForm, ConfirmImportForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("office", "fiscal_year", "replace"):
            self.fields[name].widget = forms.HiddenInput()


class ProgressTargetForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=ActionPlan.objects.select_related("office", "fiscal_year"), label=_("কর্মপরিকল্পনা")
    )


class ProgressSheetImportForm(_SheetFileCheck, _ImportFormLabels, ProgressTargetForm, ImportForm):
    field_order = ["resource", "plan", "import_file", "format"]


class ProgressSheetConfirmForm(ProgressTargetForm, ConfirmImportForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["plan"].widget = forms.HiddenInput()


def _sheet_too_large_message() -> str:
    return sheet_too_large().message


LOG_ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: (ADDITION, _("ছক আমদানিতে যোগ হয়েছে")),
    RowResult.IMPORT_TYPE_UPDATE: (CHANGE, _("ছক আমদানিতে হালনাগাদ হয়েছে")),
    RowResult.IMPORT_TYPE_DELETE: (DELETION, _("ছক আমদানিতে মুছে ফেলা হয়েছে")),
}


class SheetImportExportMixin(ImportMixin, ExportMixin):
    """Import and export of one exchange sheet through our services; see ``indicators.resources``."""

    import_formats = SHEET_FORMATS
    export_formats = [SheetCSV, SheetXLSX]  # a Word table is read, never written
    import_export_change_list_template = "admin/indicators/change_list_sheet.html"
    import_template_name = "admin/indicators/sheet_import.html"
    export_template_name = "admin/indicators/sheet_export.html"
    export_form_class = ExportForm  # the sheet is exported whole: choosing columns would break the format
    import_error_display = ("message",)

    #: permissions that importing needs, since an import adds, changes and removes rows
    import_permissions: tuple[str, ...] = ()
    #: {import form field: the model field whose admin autocomplete serves it}
    import_autocomplete: dict[str, Any] = {}
    import_page_title = ""
    import_help = ""
    export_page_title = ""
    #: the export's file name, ``<stem>-<office>-<year>.<ext>``, and how a row reaches its plan
    export_file_stem = ""
    export_plan_lookup = "plan_id"

    # -- permissions

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perms(self.import_permissions)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    # -- receiving the file: size limit while it arrives, content check on the form, no copy left behind

    def get_urls(self):
        name = "{}_{}_import".format(*self.get_model_info())
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != name]
        return [path("import/", self._import_view_with_upload_limit(), name=name), *urls]

    def _import_view_with_upload_limit(self):
        """The import page, with ``UploadLimit`` installed before the body is read: the view is
        ``csrf_exempt`` and the admin's own wrapper (sign-in, permission, CSRF) runs after the handler is
        in place. A body whose declared length is already too large is refused without being read."""
        protected = self.admin_site.admin_view(self.import_action)

        @csrf_exempt
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                request.method == "POST"
                and self.admin_site.has_permission(request)
                and self.has_import_permission(request)
            ):
                if declared_too_large(request, settings.SHEET_MAX_BYTES):
                    messages.error(request, _sheet_too_large_message())
                    return HttpResponseRedirect(request.get_full_path())
                request.upload_handlers.insert(0, UploadLimit(request, max_bytes=settings.SHEET_MAX_BYTES))
            return protected(request, *args, **kwargs)

        return view

    def get_import_form_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        kwargs = super().get_import_form_kwargs(request)  # reads the body, through UploadLimit
        limit = next((h for h in request.upload_handlers if isinstance(h, UploadLimit)), None)
        refusal = limit.refusal(too_large=_sheet_too_large_message()) if limit is not None else ""
        if refusal:
            kwargs["upload_refusal"] = refusal
        return kwargs

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        # import-export keeps the upload in a temporary file for the confirmation; when there is nothing
        # to confirm (the sheet was refused, or checking it raised) the copy would stay behind for good
        # (issue 11: temporary upload files are removed when a request fails).
        try:
            response = super().import_action(request, **kwargs)
        except BaseException:
            self._tmp_copy_remove(self._tmp_copy_name(request))
            raise
        context = getattr(response, "context_data", None) or {}
        if context.get("confirm_form") is None:
            self._tmp_copy_remove(self._tmp_copy_name(request))
        return response

    @staticmethod
    def _tmp_copy_name(request: HttpRequest) -> str:
        """The name import-export gave the copy of this request's sheet ("" if it made none). Only a body
        already parsed is looked at (``_files``, as request.close() does): request.FILES would read one that
        the view never read, say after a permission refusal."""
        parsed = getattr(request, "_files", None)
        upload = parsed.get("import_file") if parsed is not None else None
        return getattr(upload, "tmp_storage_name", "") or ""

    def _tmp_copy_remove(self, name: str) -> None:
        if not name:
            return
        storage = self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs())
        try:
            storage.remove()
        except OSError:
            pass  # gone already; on the failure paths the first exception is the one to report

    # -- the import form and where the sheet goes

    def create_import_form(self, request: HttpRequest):
        return self._with_autocomplete(super().create_import_form(request))

    def _with_autocomplete(self, form: forms.Form) -> forms.Form:
        for name, model_field in self.import_autocomplete.items():
            field = form.fields[name]
            widget = AutocompleteSelect(model_field, self.admin_site)
            widget.choices = field.choices
            widget.is_required = field.required
            field.widget = widget
        return form

    def import_target(self, cleaned_data: dict[str, Any]) -> dict[str, Any]:
        """The service's arguments besides the sheet, from the import (or confirm) form."""
        raise NotImplementedError

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        form = kwargs.get("form")
        data = super().get_import_data_kwargs(**kwargs)
        data.pop("request", None)
        if form is not None and getattr(form, "cleaned_data", None) is not None:
            data.update(self.import_target(form.cleaned_data))
        return data

    def get_confirm_form_initial(
        self, request: HttpRequest, import_form: forms.Form | None
    ) -> dict[str, Any]:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            for name in self.get_confirm_form_class(request).declared_fields:
                if name in import_form.cleaned_data and name not in initial:
                    initial[name] = import_form.cleaned_data[name]
        return initial

    def get_import_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {"page_title": self.import_page_title, "import_help": self.import_help}

    def get_export_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {"page_title": self.export_page_title}

    # -- after the confirmation

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # The confirmation was sent twice (the first one removed the temporary file) or too late.
            messages.error(
                request, _("আমদানির অস্থায়ী ফাইলটি আর নেই (হয়তো আগেই আমদানি হয়েছে); ফাইলটি আবার আমদানি করুন।")
            )
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        except BaseException:
            # The confirmed import raised: its copy goes as it does after a success or a refusal (issue 11).
            # The name as import-export's confirm form cleans it (the base name only), without the form's
            # own queries: the database may be what failed.
            self._tmp_copy_remove(os.path.basename(request.POST.get("import_file_name", "")))
            raise

    def process_result(self, result: SheetImportResult, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            # Something changed between the check and the confirmation: nothing was written; say why.
            form = self._with_autocomplete(
                self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                )
            )
            context = self.get_import_context_data()
            context.update(self.admin_site.each_context(request))
            context.update(
                {
                    "title": self.import_page_title,
                    "form": form,
                    "opts": self.model._meta,
                    "media": self.media + form.media,
                    "result": result,
                    "fields_list": [],
                    "import_error_display": self.import_error_display,
                }
            )
            request.current_app = self.admin_site.name
            return TemplateResponse(request, [self.import_template_name], context)
        return super().process_result(result, request)

    def generate_log_entries(self, result: SheetImportResult, request: HttpRequest) -> None:
        if self.get_skip_admin_log():
            return
        # A row's instance is the line of the sheet; the entry names the row the service wrote for it.
        instances: dict[str, list[Any]] = defaultdict(list)
        for row in result:
            stored = getattr(row.instance, "stored", None)
            if stored is not None and row.import_type in LOG_ACTIONS:
                instances[row.import_type].append(stored)
        for import_type, objects in instances.items():
            action_flag, change_message = LOG_ACTIONS[import_type]
            LogEntry.objects.log_actions(
                request.user.pk,
                objects,
                action_flag,
                change_message=str(change_message),
                single_object=len(objects) == 1,
            )

    def add_success_message(self, result: SheetImportResult, request: HttpRequest) -> None:
        messages.success(request, f"{result.summary} ({result.totals_bn()})")
        for warning in result.warnings:
            location = warning.location_bn()
            messages.warning(
                request,
                f"সতর্কতা — {location + ': ' if location else ''}{warning.message_bn} / {warning.message_en}",
            )

    # -- export

    def get_export_filename(self, request: HttpRequest, queryset: QuerySet, file_format) -> str:
        plan = (
            ActionPlan.objects.filter(pk__in=queryset.values(self.export_plan_lookup))
            .select_related("office", "fiscal_year")
            .first()
        )
        stem = self.export_file_stem
        if plan is not None:
            stem = f"{stem}-{plan.office.code}-{plan.fiscal_year.code}"
        return f"{stem}.{file_format.get_extension()}"

    @admin.action(description=_("নির্বাচিত সারিগুলোর ছক XLSX ফাইলে রপ্তানি (একটি কর্মপরিকল্পনার)"))
    def export_selected_xlsx(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        if not self.has_export_permission(request):
            raise PermissionDenied
        file_format = SheetXLSX()
        try:
            data = self.get_export_data(file_format, request, queryset)
        except ValueError as error:
            messages.error(request, str(error))
            return None
        response = HttpResponse(data, content_type=file_format.get_content_type())
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
