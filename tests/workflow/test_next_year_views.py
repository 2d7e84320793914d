"""The next year in the browser (issue 13): "start 2023-24 from this plan" and "start from the template" —
who may (anonymous → another office → the higher office → own office), the confirmation page, the new plan
page with its origin and the year switch, templates waiting on the home page, incomplete plans marked."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from indicators.models import ActionPlan, FiscalYear, PlanOrigin, PlanTemplate
from indicators.services.next_year import plan_start_next_year, template_publish

PLAN = "/plans/mofa/2022-23/"
NEXT = PLAN + "next-year/"
FROM_TEMPLATE = "/plans/mofa/2023-24/from-template/"
LOGIN = "/accounts/login/"
BUTTON = "২০২৩-২৪ শুরু করুন এই পরিকল্পনা থেকে"


def login(client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))


def next_plan() -> ActionPlan | None:
    return ActionPlan.objects.filter(office__code="mofa", fiscal_year__start_year=2023).first()


@pytest.fixture
def template(demo):
    """The Cabinet Division publishes its 2023-24 template (the demo plan's structure)."""
    year = FiscalYear.objects.get_or_create(start_year=2023)[0]
    return template_publish(office=demo.office.parent, fiscal_year=year, source=demo, user=None)


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(client, demo, method):
    response = getattr(client, method)(NEXT)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert next_plan() is None


@pytest.mark.parametrize("username", ["msw.officer", "cabinet.reviewer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_others_may_not_start_the_office_next_year(client, demo, username, method):
    """Another ministry's officer gets 404 (it learns nothing); the higher office's reviewer, who may read the
    plan, may not start the office's plans either."""
    login(client, username)
    assert getattr(client, method)(NEXT).status_code == 404
    assert next_plan() is None


def test_the_button_is_shown_to_the_office_officer_only(client, demo):
    login(client, "mofa.officer")
    body = client.get(PLAN).content.decode()
    assert BUTTON in body and f'href="{NEXT}"' in body
    login(client, "cabinet.reviewer")
    assert BUTTON not in client.get(PLAN).content.decode()


@pytest.mark.parametrize("username", ["mofa.officer", "mofa.cio"])
def test_own_office_confirms_then_gets_the_new_plan(client, demo, username):
    """The confirmation page says what is copied; the post creates the draft and opens it, which says where
    it came from and switches between the years."""
    login(client, username)
    confirm = client.get(NEXT).content.decode()
    assert "যা অনুলিপি হবে" in confirm and "১২টি সূচক" in confirm and "নিশ্চিত করুন" in confirm
    assert next_plan() is None  # a GET writes nothing
    response = client.post(NEXT)
    assert response.status_code == 302 and response["Location"] == "/plans/mofa/2023-24/"
    plan = next_plan()
    assert plan.origin == PlanOrigin.COPY and plan.indicators.count() == 12
    body = client.get("/plans/mofa/2023-24/").content.decode()
    assert "২০২২-২৩ অর্থবছরের কর্মপরিকল্পনা থেকে অনুলিপি" in body
    assert f'<a href="{PLAN}">২০২২-২৩</a>' in body and 'aria-current="page">২০২৩-২৪<' in body
    # The earlier year stays readable, links to the new one and no longer offers the start.
    old = client.get(PLAN).content.decode()
    assert 'href="/plans/mofa/2023-24/"' in old and BUTTON not in old and "পূর্ববর্তী অর্থবছরের" in old


def test_a_second_start_opens_the_plan_that_exists(client, demo):
    login(client, "mofa.officer")
    client.post(NEXT)
    response = client.post(NEXT)
    assert response.status_code == 302 and response["Location"] == "/plans/mofa/2023-24/"
    assert ActionPlan.objects.filter(office__code="mofa").count() == 2


# ---------------------------------------------------------------------------------------------------------
# From the template


@pytest.mark.parametrize("method", ["get", "post"])
def test_template_start_anonymous_goes_to_sign_in(client, template, method):
    response = getattr(client, method)(FROM_TEMPLATE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("username", ["msw.officer", "cabinet.reviewer"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_template_start_is_404_for_other_offices(client, template, username, method):
    login(client, username)
    assert getattr(client, method)(FROM_TEMPLATE).status_code == 404
    assert next_plan() is None


def test_template_start_without_a_template_is_404(client, demo):
    login(client, "mofa.officer")
    assert client.get(FROM_TEMPLATE).status_code == 404


def test_own_office_starts_from_the_template_and_sees_an_incomplete_plan(client, template):
    """The home page offers the template; the plan started from it says where it came from, marks every
    indicator without targets and the plan as incomplete, and shows no marks for them."""
    login(client, "mofa.officer")
    home = client.get("/").content.decode()
    assert "মন্ত্রিপরিষদ বিভাগ ২০২৩-২৪ অর্থবছরের টেমপ্লেট প্রকাশ করেছে" in home and FROM_TEMPLATE in home
    confirm = client.get(FROM_TEMPLATE).content.decode()
    assert "লক্ষ্যমাত্রা টেমপ্লেটে নেই" in confirm
    response = client.post(FROM_TEMPLATE)
    assert response.status_code == 302 and response["Location"] == "/plans/mofa/2023-24/"
    assert next_plan().origin == PlanOrigin.TEMPLATE
    body = client.get("/plans/mofa/2023-24/").content.decode()
    assert "মন্ত্রিপরিষদ বিভাগ-এর ২০২৩-২৪ অর্থবছরের টেমপ্লেট থেকে" in body
    assert "কর্মপরিকল্পনা অসম্পূর্ণ" in body and "১২টি সূচকের লক্ষ্যমাত্রা লেখা হয়নি" in body
    assert body.count("লক্ষ্যমাত্রা নেই</span>") == 12
    assert "অসম্পূর্ণ" in client.get("/").content.decode()
    assert FROM_TEMPLATE not in client.get("/").content.decode()  # started: no longer offered


def test_the_plan_page_offers_the_parent_template_for_the_next_year(client, template):
    login(client, "mofa.cio")
    body = client.get(PLAN).content.decode()
    assert "২০২৩-২৪ শুরু করুন মন্ত্রিপরিষদ বিভাগ-এর টেমপ্লেট থেকে" in body and FROM_TEMPLATE in body


def test_the_year_switch_is_not_shown_to_another_office(client, demo):
    """The next year's plan of MoFA stays invisible to another ministry."""
    plan_start_next_year(source=demo, user=None)
    login(client, "msw.officer")
    assert client.get("/plans/mofa/2023-24/").status_code == 404


def test_the_admin_shows_templates_read_only_and_the_plan_origin(client, template):
    """Templates are listed in the admin but neither added, changed nor deleted there (one write path)."""
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    listing = client.get("/admin/indicators/plantemplate/").content.decode()
    assert "মন্ত্রিপরিষদ বিভাগ" in listing and "mofa ২০২২-২৩" in listing  # the admin's text in Bangla digits
    assert client.get("/admin/indicators/plantemplate/add/").status_code == 403
    assert client.post(f"/admin/indicators/plantemplate/{template.pk}/delete/").status_code == 403
    plans = client.get("/admin/indicators/actionplan/").content.decode()
    assert "শিট থেকে আমদানি" in plans


# ---------------------------------------------------------------------------------------------------------
# The templates page of a higher office

TEMPLATES = "/templates/"


def publish_form(demo, year: str = "২০২৩-২৪") -> dict:
    return {"office": demo.office.parent_id, "year": year, "source": demo.pk}


@pytest.mark.parametrize("method", ["get", "post"])
def test_templates_page_anonymous_goes_to_sign_in(client, demo, method):
    response = getattr(client, method)(TEMPLATES)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("username", ["msw.officer", "mofa.officer"])
def test_templates_page_is_404_for_offices_with_nobody_below(client, demo, username):
    """Offices with no office below them publish no template (and another office's form is not theirs)."""
    login(client, username)
    assert client.get(TEMPLATES).status_code == 404
    assert client.post(TEMPLATES, publish_form(demo)).status_code == 404
    assert not PlanTemplate.objects.exists()


def test_the_cabinet_division_publishes_the_year_template(client, demo):
    """The Cabinet Division's reviewer sees the page from home, publishes 2023-24 from MoFA's 2022-23 plan,
    and a second publication of the year is refused with the reason."""
    login(client, "cabinet.reviewer")
    assert f'href="{TEMPLATES}"' in client.get("/").content.decode()
    page = client.get(TEMPLATES).content.decode()
    assert "বছরের টেমপ্লেট প্রকাশ" in page and 'value="২০২৩-২৪"' in page
    response = client.post(TEMPLATES, publish_form(demo))
    assert response.status_code == 302
    template = PlanTemplate.objects.get()
    assert (template.office.code, template.fiscal_year.start_year, template.indicator_count) == (
        "cabinet",
        2023,
        12,
    )
    assert template.published_by.username == "cabinet.reviewer"
    again = client.post(TEMPLATES, publish_form(demo), follow=True).content.decode()
    assert "আগেই প্রকাশ করেছে" in again and PlanTemplate.objects.count() == 1


def test_a_plan_outside_the_office_tree_is_not_a_source(client, demo):
    """The form offers only the plans of the publisher's office and the offices below it."""
    from tests.factories import OfficeFactory, PlanFactory

    foreign = PlanFactory(office=OfficeFactory(code="foreign"))
    login(client, "cabinet.reviewer")
    response = client.post(TEMPLATES, {**publish_form(demo), "source": foreign.pk})
    assert response.status_code == 200 and not PlanTemplate.objects.exists()
