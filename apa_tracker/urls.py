from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "APA Tracker — ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা"
admin.site.site_title = "APA Tracker"
admin.site.index_title = "প্রশাসন"

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("indicators.urls")),
]
