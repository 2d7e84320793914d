"""The admin's date fields are the site's date box (issue 14.1): typed forms, Bangla digits, the calendar."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from indicators.models import Progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(client, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def test_a_date_typed_in_the_admin_the_way_people_write_it_is_saved(admin_browser, demo):
    indicator = demo.indicators.get(code="1.1.1")  # a date indicator
    page = admin_browser.get(reverse("admin:indicators_progress_add")).content.decode()
    assert 'class="date-entry"' in page and "date-picker-toggle" in page and "js/date-entry.js" in page
    response = admin_browser.post(
        reverse("admin:indicators_progress_add"),
        {
            "indicator": indicator.pk,
            "quarter": "1",
            "value_number": "",
            "value_date": "২৫-৯-২২",
            "remark": "",
        },
    )
    assert response.status_code == 302
    assert Progress.objects.get(indicator=indicator, quarter=1).value_date == datetime.date(2022, 9, 25)


def test_an_impossible_date_in_the_admin_is_refused_in_bangla_with_the_text_kept(admin_browser, demo):
    indicator = demo.indicators.get(code="1.1.1")
    response = admin_browser.post(
        reverse("admin:indicators_progress_add"),
        {
            "indicator": indicator.pk,
            "quarter": "1",
            "value_number": "",
            "value_date": "31/02/2023",
            "remark": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "এমন তারিখ হয় না" in page and 'value="31/02/2023"' in page
    assert not Progress.objects.filter(indicator=indicator, quarter=1).exists()
