"""The admin in Bangla (issue 14, point 2): the site's shipped fonts, Bangla names for the apps we did not write
(django-axes, django-tasks' database backend) and their columns and filters, Bangla digits in lists and counts —
without a migration in site-packages."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(user)
    return user


def test_the_admin_loads_the_shipped_fonts_and_names_every_app_in_bangla(client, superuser):
    body = client.get("/admin/").content.decode()
    assert "css/fonts.css" in body and "css/admin.css" in body
    for name in ("প্রবেশের চেষ্টা", "প্রবেশের চেষ্টাসমূহ", "ব্যর্থ প্রবেশসমূহ", "পটভূমির কাজ", "কাজের ফলাফলসমূহ"):
        assert name in body
    for english in ("Axes", "Access attempts", "Tasks Database Backend", "Task Results", "Task results"):
        assert english not in body


def test_third_party_lists_have_bangla_columns_and_filters(client, superuser):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        user_agent="Firefox",
        ip_address="10.0.0.7",
        username="mofa.officer",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    body = client.get("/admin/axes/accessattempt/").content.decode()
    for label in ("চেষ্টার সময়", "আইপি ঠিকানা", "সদস্যনাম", "পাতার ঠিকানা", "ব্যর্থতার সংখ্যা", "আটকানো"):
        assert label in body
    for english in ("Attempt Time", "IP Address", "Locked Out", "Failed Logins"):
        assert english not in body
    assert ">৩<" in body  # the failures, in Bangla digits
    change = client.get(f"/admin/axes/accessattempt/{attempt.pk}/change/").content.decode()
    assert "আইপি ঠিকানা" in change and "IP Address" not in change
    tasks = client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    for label in ("অবস্থা", "অগ্রাধিকার", "অপেক্ষমাণ", "সম্পন্ন"):
        assert label in tasks
    for english in ("Successful", "Ready", "Queue name"):
        assert english not in tasks


def test_fiscal_years_have_bangla_column_names_and_digits(client, superuser):
    call_command("load_demo", password="test-pass-123", stdout=io.StringIO())
    body = client.get("/admin/indicators/fiscalyear/").content.decode()
    assert "কোড (ঠিকানায়)" in body and "Starts on" not in body and "STARTS ON" not in body
    assert "০১ জুলাই ২০২২" in body and "৩০ জুন ২০২৩" in body
    # The count under the list: 2022-23 and 2023-24 (seed 003's Smart Bangladesh plan).
    assert "২ অর্থবছর" in body
    progress = client.get("/admin/indicators/progress/").content.decode()
    assert "২৫টির মধ্যে ০টি নির্বাচিত" in progress  # the actions' counter
    # Addresses keep their ASCII digits (the keys differ between databases: PostgreSQL's sequences go on).
    assert re.search(r"/admin/indicators/progress/[0-9]+/change/", progress)


def test_bangla_names_of_third_party_models_need_no_migration():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
