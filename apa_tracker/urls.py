from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apa_tracker.health import healthz

admin.site.site_header = _("APA Tracker — ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা")
admin.site.site_title = "APA Tracker"
admin.site.index_title = _("প্রশাসন")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
    path("", include("reports.pdf_urls")),
    path("", include("evidence.urls")),
    path("", include("workflow.urls")),
]
