"""The report texts the team writes in the browser (DESIGN.md §6): the cover letter of each period, the annual
report's introduction and its initiatives tables, with the locks of DESIGN.md §4 checked on the server.

Permissions walk anonymous → another office → own office → the parent office's reviewer for every view.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from base.errors import ConflictError, LockedError, PermissionDeniedError
from indicators.models import ActionPlan, ReportingPeriod
from indicators.periods import periods_ensure
from reports import editing
from reports.letter import cover_letter_for
from reports.models import CoverLetter, Initiative, InitiativeKind, Introduction
from tests.factories import accept_earlier_quarters
from workflow.transitions import period_transition

BASE = "/plans/mofa/2022-23/report-text/"
LETTER_Q1 = BASE + "letter/1/"
INTRODUCTION = BASE + "introduction/"
INITIATIVES = BASE + "initiatives/"
PLAN_PAGE = "/plans/mofa/2022-23/"
FORM = b"report-text-form"  # the class of every form on these pages (the header's sign-out form is another)


def user(username: str):
    return get_user_model().objects.get(username=username)


def client_for(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(user(username))
    return client


def act(period: ReportingPeriod, action: str, username: str, comment: str = "") -> ReportingPeriod:
    """One workflow step through the real service, as the browser would do it."""
    period.refresh_from_db()
    return period_transition(
        period=period, action=action, user=user(username), comment=comment, expected_version=period.version
    )


def approve(plan: ActionPlan, quarter: int) -> ReportingPeriod:
    """The officer submits the quarter and the CIO approves it: from now on its data is read-only."""
    period = periods_ensure(plan)[quarter - 1]
    accept_earlier_quarters(plan, quarter, only_open=True)
    act(period, "submit", "mofa.officer")
    return act(period, "approve", "mofa.cio")


def send(plan: ActionPlan, quarter: int) -> ReportingPeriod:
    approve(plan, quarter)
    return act(periods_ensure(plan)[quarter - 1], "send", "mofa.cio")


@pytest.fixture
def plan(demo) -> ActionPlan:
    """The demo plan without the report texts the demo loads (seed 000), so each test starts from none."""
    Initiative.objects.filter(plan=demo).delete()
    Introduction.objects.filter(plan=demo).delete()
    return demo


def letter_data(**changes: str) -> dict[str, str]:
    data = {
        "letter_date": "০৫/০৭/২০২৩",
        "subject": "২০২২-২৩ অর্থবছরের প্রথম ত্রৈমাসিক প্রতিবেদন দাখিল।",
        "body": "উপর্যুক্ত বিষয়ের প্রেক্ষিতে প্রতিবেদন দাখিল করা হলো।",
        "attachments": "বর্ণনানুযায়ী",
        "signatory_name": "ড. মৈয়দ মুন্তাসির মামুন",
        "signatory_designation": "মহাপরিচালক\nও\nচিফ ইনোভেশন অফিসার",
        "recipient": "সচিব\nসমন্বয় ও সংস্কার\nমন্ত্রিপরিষদ বিভাগ",
        "attention": "জনাব মোহাম্মদ আশরাফুল আলম, উপসচিব",
        "copies": "মহাপরিচালক (প্রশাসন)\nঅফিস কপি",
    }
    return {**data, **changes}


def initiative_data(**changes: str) -> dict[str, str]:
    data = {
        "kind": InitiativeKind.FUTURE,
        "title": "মিশন অ্যাক্টিভিটি ট্র্যাকার",
        "details": "মিশনসমূহের কার্যক্রম পর্যবেক্ষণে সফটওয়্যার।",
        "completion_text": "অগাস্ট ২০২৩",
        "completion_date": "৩১/০৮/২০২৩",
    }
    return {**data, **changes}


def initiative_values(kind: str = InitiativeKind.ONGOING, title: str = "উদ্যোগ") -> dict:
    """What the form hands to the service: cleaned values."""
    return {"kind": kind, "title": title, "completion_date": datetime.date(2023, 8, 31)}


def add_initiative(plan: ActionPlan, kind: str = InitiativeKind.ONGOING, title: str = "উদ্যোগ") -> Initiative:
    return editing.initiative_save(
        plan=plan, initiative=None, data=initiative_values(kind, title), user=user("mofa.officer")
    )


def titles(plan: ActionPlan, kind: str) -> list[str]:
    return list(plan.initiatives.filter(kind=kind).order_by("position", "pk").values_list("title", flat=True))


# ---------------------------------------------------------------------------------------------------------
# Who sees what: anonymous → other office → own office → reviewer


READ_PAGES = [
    LETTER_Q1,
    BASE + "letter/4/",
    INTRODUCTION,
    INITIATIVES,
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", READ_PAGES)
def test_pages_send_anonymous_visitors_to_sign_in(plan, url):
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("url", READ_PAGES)
def test_pages_are_not_found_for_another_office(plan, url):
    """msw.officer learns nothing about MoFA: the same 404 as for a plan that does not exist."""
    assert client_for("msw.officer").get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", READ_PAGES)
def test_pages_show_forms_to_the_own_office(plan, url):
    response = client_for("mofa.officer").get(url)
    assert response.status_code == 200
    assert FORM in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("url", READ_PAGES)
def test_reviewer_sees_nothing_before_the_period_was_sent(plan, url):
    """DESIGN.md §4: reviewers never see drafts; Q1's letter and the annual texts (Q4) are not sent yet."""
    assert client_for("cabinet.reviewer").get(url).status_code == 404


@pytest.mark.django_db
def test_reviewer_reads_a_sent_periods_letter_without_a_form(plan):
    send(plan, 1)
    reviewer = client_for("cabinet.reviewer")
    response = reviewer.get(LETTER_Q1)
    assert response.status_code == 200
    assert FORM not in response.content
    assert CoverLetter.objects.get(period__plan=plan, period__quarter=1).subject in response.content.decode()
    assert reviewer.get(BASE + "letter/2/").status_code == 404  # Q2 is still a draft


@pytest.mark.django_db
def test_reviewer_reads_the_annual_texts_once_q4_was_sent(plan):
    add_initiative(plan, title="সেন্ট্রালাইজড সার্ভিস অ্যাক্টিভিটি ট্র্যাকার")
    editing.introduction_update(plan=plan, text="## লক্ষ্য\nস্মার্ট বাংলাদেশ।", user=user("mofa.officer"))
    send(plan, 4)
    reviewer = client_for("cabinet.reviewer")
    for url in (INTRODUCTION, INITIATIVES):
        response = reviewer.get(url)
        assert response.status_code == 200
        assert FORM not in response.content
    assert "স্মার্ট বাংলাদেশ।" in reviewer.get(INTRODUCTION).content.decode()
    assert "সেন্ট্রালাইজড সার্ভিস অ্যাক্টিভিটি ট্র্যাকার" in reviewer.get(INITIATIVES).content.decode()


@pytest.mark.django_db
def test_unknown_quarter_and_other_plans_initiative_are_not_found(plan):
    officer = client_for("mofa.officer")
    assert officer.get(BASE + "letter/5/").status_code == 404
    assert officer.get(BASE + "letter/0/").status_code == 404
    assert officer.get(INITIATIVES + "999999/").status_code == 404
    assert officer.get(INITIATIVES + "999999/delete/").status_code == 404


@pytest.mark.django_db
def test_initiative_pages_walk_the_permissions(plan):
    initiative = add_initiative(plan)
    for url in (f"{INITIATIVES}{initiative.pk}/", f"{INITIATIVES}{initiative.pk}/delete/"):
        assert client_for(None).get(url)["Location"].startswith("/accounts/login/")
        assert client_for("msw.officer").get(url).status_code == 404
        assert client_for("cabinet.reviewer").get(url).status_code == 404
        assert client_for("mofa.officer").get(url).status_code == 200
    move = f"{INITIATIVES}{initiative.pk}/move/"
    assert client_for(None).post(move, {"direction": "up"})["Location"].startswith("/accounts/login/")
    assert client_for("msw.officer").post(move, {"direction": "up"}).status_code == 404
    assert client_for("mofa.officer").post(move, {"direction": "up"}).status_code == 302


@pytest.mark.django_db
def test_writes_from_other_offices_and_reviewers_change_nothing(plan):
    """A POST from outside the office answers 404 and writes nothing, even for a reviewer who may read."""
    send(plan, 1)
    send(plan, 4)
    initiative = Initiative.objects.create(plan=plan, kind=InitiativeKind.ONGOING, title="আগের নাম")
    before = cover_letter_for(periods_ensure(plan)[0]).subject
    for username in ("msw.officer", "cabinet.reviewer"):
        client = client_for(username)
        assert client.post(LETTER_Q1, letter_data(subject="অন্য বিষয়")).status_code == 404
        assert client.post(INTRODUCTION, {"text": "অন্য লেখা"}).status_code == 404
        assert client.post(INITIATIVES, initiative_data()).status_code == 404
        assert client.post(f"{INITIATIVES}{initiative.pk}/", initiative_data(title="নতুন")).status_code == 404
        assert client.post(f"{INITIATIVES}{initiative.pk}/delete/").status_code == 404
    assert CoverLetter.objects.get(period__plan=plan, period__quarter=1).subject == before
    assert not Introduction.objects.filter(plan=plan).exists()
    assert list(plan.initiatives.values_list("title", flat=True)) == ["আগের নাম"]


# ---------------------------------------------------------------------------------------------------------
# Cover letter


@pytest.mark.django_db
def test_cover_letter_starts_from_the_defaults_and_is_saved_from_the_browser(plan):
    officer = client_for("mofa.officer")
    page = officer.get(LETTER_Q1).content.decode()
    assert "মন্ত্রিপরিষদ বিভাগ" in page  # the recipient defaults to the parent office
    assert 'name="letter_date"' in page and "aria-describedby" in page

    response = officer.post(LETTER_Q1, letter_data())
    assert response.status_code == 302
    letter = CoverLetter.objects.get(period__plan=plan, period__quarter=1)
    assert letter.letter_date == datetime.date(2023, 7, 5)  # typed in Bangla digits
    assert letter.signatory_designation == "মহাপরিচালক\nও\nচিফ ইনোভেশন অফিসার"
    assert letter.memo_serial is None  # taken at approval, never typed
    assert "০৫/০৭/২০২৩" in officer.get(LETTER_Q1).content.decode()  # shown back in Bangla digits


@pytest.mark.django_db
def test_cover_letter_form_reports_errors_beside_the_fields(plan):
    response = client_for("mofa.officer").post(LETTER_Q1, letter_data(subject="", letter_date="৩২/১৩/২০২৩"))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"subject", "letter_date"}
    assert 'id="id_subject_error"' in response.content.decode()


@pytest.mark.django_db
def test_cover_letter_is_read_only_once_its_period_is_approved(plan):
    """DESIGN.md §4: locked on the server, not only in the page; other periods' letters stay editable."""
    officer = client_for("mofa.officer")
    officer.post(LETTER_Q1, letter_data(subject="আগের বিষয়"))
    approve(plan, 1)

    response = officer.get(LETTER_Q1)
    assert FORM not in response.content
    assert "আগের বিষয়" in response.content.decode()

    response = officer.post(LETTER_Q1, letter_data(subject="নতুন বিষয়"), follow=True)
    assert CoverLetter.objects.get(period__plan=plan, period__quarter=1).subject == "আগের বিষয়"
    assert "ফেরত পাঠানো হলে আবার বদলানো যাবে" in response.content.decode()

    assert officer.post(BASE + "letter/2/", letter_data(subject="দ্বিতীয়")).status_code == 302
    assert CoverLetter.objects.get(period__plan=plan, period__quarter=2).subject == "দ্বিতীয়"


@pytest.mark.django_db
def test_cover_letter_service_refuses_a_locked_period_and_other_offices(plan):
    period = approve(plan, 1)
    with pytest.raises(LockedError):
        editing.cover_letter_update(period=period, data={"subject": "x"}, user=user("mofa.officer"))
    draft = periods_ensure(plan)[1]
    with pytest.raises(PermissionDeniedError):
        editing.cover_letter_update(period=draft, data={"subject": "x"}, user=user("msw.officer"))
    with pytest.raises(PermissionDeniedError):
        editing.cover_letter_update(period=draft, data={"subject": "x"}, user=user("cabinet.reviewer"))


@pytest.mark.django_db
def test_cover_letter_is_editable_again_once_returned(plan):
    period = periods_ensure(plan)[0]
    act(period, "submit", "mofa.officer")
    act(period, "return", "mofa.cio", comment="বিষয় ঠিক করুন")
    response = client_for("mofa.officer").post(LETTER_Q1, letter_data(subject="ঠিক করা বিষয়"))
    assert response.status_code == 302
    assert CoverLetter.objects.get(period=period).subject == "ঠিক করা বিষয়"


@pytest.mark.django_db
def test_cover_letter_saved_by_someone_else_meanwhile_is_not_overwritten(plan):
    officer, cio = client_for("mofa.officer"), client_for("mofa.cio")
    loaded = officer.get(LETTER_Q1).context["form"].initial["fingerprint"]
    cio.post(LETTER_Q1, letter_data(subject="সিআইও-র বিষয়", fingerprint=loaded))

    response = officer.post(LETTER_Q1, letter_data(subject="কর্মকর্তার বিষয়", fingerprint=loaded))
    assert response.status_code == 200
    assert response.context["conflict"]
    page = response.content.decode()
    assert "সিআইও-র বিষয়" in page and "কর্মকর্তার বিষয়" in page  # what is stored, and what was typed
    assert CoverLetter.objects.get(period__plan=plan, period__quarter=1).subject == "সিআইও-র বিষয়"

    # Saving again, having seen the other version, is a deliberate choice and goes through.
    again = response.context["form"].data["fingerprint"]
    officer.post(LETTER_Q1, letter_data(subject="কর্মকর্তার বিষয়", fingerprint=again))
    assert CoverLetter.objects.get(period__plan=plan, period__quarter=1).subject == "কর্মকর্তার বিষয়"


# ---------------------------------------------------------------------------------------------------------
# Introduction


@pytest.mark.django_db
def test_introduction_is_saved_and_previewed_with_its_light_markup(plan):
    officer = client_for("mofa.officer")
    text = "## ০১। ভূমিকা\r\nপ্রথম অনুচ্ছেদ।\r\n\r\n- ই-নথি\r\n- ডি-নথি\r\n"
    response = officer.post(INTRODUCTION, {"text": text})
    assert response.status_code == 302
    assert Introduction.objects.get(plan=plan).text == "## ০১। ভূমিকা\nপ্রথম অনুচ্ছেদ।\n\n- ই-নথি\n- ডি-নথি"

    page = officer.get(INTRODUCTION).content.decode()
    assert "<h3>০১। ভূমিকা</h3>" in page
    assert "<p>প্রথম অনুচ্ছেদ।</p>" in page
    assert "<li>ই-নথি</li><li>ডি-নথি</li>" in page


@pytest.mark.django_db
def test_introduction_preview_escapes_what_was_typed(plan):
    client_for("mofa.officer").post(INTRODUCTION, {"text": "## <script>alert(1)</script>"})
    page = client_for("mofa.officer").get(INTRODUCTION).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.django_db
def test_introduction_belongs_to_the_annual_report(plan):
    """Approving Q1 leaves the introduction open; once Q4 is approved it is read-only on the server."""
    officer = client_for("mofa.officer")
    approve(plan, 1)
    assert officer.post(INTRODUCTION, {"text": "প্রথম লেখা"}).status_code == 302
    approve(plan, 4)

    response = officer.get(INTRODUCTION)
    assert FORM not in response.content
    assert "প্রথম লেখা" in response.content.decode()
    officer.post(INTRODUCTION, {"text": "দ্বিতীয় লেখা"})
    assert Introduction.objects.get(plan=plan).text == "প্রথম লেখা"
    with pytest.raises(LockedError):
        editing.introduction_update(plan=plan, text="তৃতীয়", user=user("mofa.cio"))


@pytest.mark.django_db
def test_introduction_saved_by_someone_else_meanwhile_is_not_overwritten(plan):
    editing.introduction_update(plan=plan, text="শুরু", user=user("mofa.cio"))
    loaded = editing.introduction_fingerprint("শুরু")
    editing.introduction_update(
        plan=plan, text="সিআইও-র লেখা", user=user("mofa.cio"), expected_fingerprint=loaded
    )
    with pytest.raises(ConflictError):
        editing.introduction_update(
            plan=plan, text="কর্মকর্তার লেখা", user=user("mofa.officer"), expected_fingerprint=loaded
        )
    assert Introduction.objects.get(plan=plan).text == "সিআইও-র লেখা"


# ---------------------------------------------------------------------------------------------------------
# Initiatives


@pytest.mark.django_db
def test_initiative_is_added_with_a_bangla_or_ascii_completion_date(plan):
    officer = client_for("mofa.officer")
    response = officer.post(INITIATIVES, initiative_data(completion_date="৩১/০৮/২০২৩"))
    assert response.status_code == 302
    officer.post(INITIATIVES, initiative_data(title="ই-নথি", completion_date="2023-06-30"))
    dates = dict(plan.initiatives.values_list("title", "completion_date"))
    assert dates == {"মিশন অ্যাক্টিভিটি ট্র্যাকার": datetime.date(2023, 8, 31), "ই-নথি": datetime.date(2023, 6, 30)}

    page = officer.get(INITIATIVES).content.decode()
    assert "৩১/০৮/২০২৩" in page and "অগাস্ট ২০২৩" in page


@pytest.mark.django_db
def test_initiative_form_refuses_a_bad_date_and_a_missing_title(plan):
    response = client_for("mofa.officer").post(
        INITIATIVES, initiative_data(title="", completion_date="৩১/০২/২০২৩")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "completion_date"}
    assert not plan.initiatives.exists()


@pytest.mark.django_db
def test_initiatives_are_listed_per_kind_in_their_order(plan):
    for kind, title in [
        (InitiativeKind.FUTURE, "ভবিষ্যৎ ১"),
        (InitiativeKind.ONGOING, "চলমান ১"),
        (InitiativeKind.ONGOING, "চলমান ২"),
        (InitiativeKind.COMPLETED, "সমাপ্ত ১"),
    ]:
        add_initiative(plan, kind, title)
    groups = client_for("mofa.officer").get(INITIATIVES).context["groups"]
    assert [(kind.value, [i.title for i in items]) for kind, items in groups] == [
        ("ongoing", ["চলমান ১", "চলমান ২"]),
        ("completed", ["সমাপ্ত ১"]),
        ("future", ["ভবিষ্যৎ ১"]),
    ]


@pytest.mark.django_db
def test_initiative_is_edited_and_moved_to_the_end_of_another_kind(plan):
    first = add_initiative(plan, InitiativeKind.ONGOING, "ক")
    add_initiative(plan, InitiativeKind.COMPLETED, "খ")
    response = client_for("mofa.officer").post(
        f"{INITIATIVES}{first.pk}/", initiative_data(kind=InitiativeKind.COMPLETED, title="ক (সমাপ্ত)")
    )
    assert response.status_code == 302
    assert titles(plan, InitiativeKind.COMPLETED) == ["খ", "ক (সমাপ্ত)"]
    assert titles(plan, InitiativeKind.ONGOING) == []


@pytest.mark.django_db
def test_initiatives_move_up_and_down_within_their_kind_only(plan):
    a = add_initiative(plan, InitiativeKind.ONGOING, "ক")
    future = add_initiative(plan, InitiativeKind.FUTURE, "ভবিষ্যৎ")
    add_initiative(plan, InitiativeKind.ONGOING, "খ")
    c = add_initiative(plan, InitiativeKind.ONGOING, "গ")
    officer = client_for("mofa.officer")
    officer.post(f"{INITIATIVES}{c.pk}/move/", {"direction": "up"})
    assert titles(plan, InitiativeKind.ONGOING) == ["ক", "গ", "খ"]
    officer.post(f"{INITIATIVES}{a.pk}/move/", {"direction": "down"})
    assert titles(plan, InitiativeKind.ONGOING) == ["গ", "ক", "খ"]
    officer.post(f"{INITIATIVES}{a.pk}/move/", {"direction": "up"})
    officer.post(f"{INITIATIVES}{a.pk}/move/", {"direction": "up"})  # already first: stays
    assert titles(plan, InitiativeKind.ONGOING) == ["ক", "গ", "খ"]
    # Positions are plan-wide (the report orders by them): the other kind kept its own.
    future.refresh_from_db()
    assert future.position == 2


@pytest.mark.django_db
def test_reorder_refuses_a_list_that_no_longer_matches(plan):
    a = add_initiative(plan, InitiativeKind.ONGOING, "ক")
    b = add_initiative(plan, InitiativeKind.ONGOING, "খ")
    editing.initiatives_reorder(
        plan=plan, kind=InitiativeKind.ONGOING, order=[b.pk, a.pk], user=user("mofa.cio")
    )
    assert titles(plan, InitiativeKind.ONGOING) == ["খ", "ক"]
    with pytest.raises(ConflictError):
        editing.initiatives_reorder(
            plan=plan, kind=InitiativeKind.ONGOING, order=[a.pk], user=user("mofa.cio")
        )


@pytest.mark.django_db
def test_initiative_is_deleted_after_confirmation(plan):
    initiative = add_initiative(plan)
    officer = client_for("mofa.officer")
    confirm = officer.get(f"{INITIATIVES}{initiative.pk}/delete/")
    assert initiative.title in confirm.content.decode()
    assert plan.initiatives.exists()  # asking is not deleting
    assert officer.post(f"{INITIATIVES}{initiative.pk}/delete/").status_code == 302
    assert not plan.initiatives.exists()


@pytest.mark.django_db
def test_initiatives_are_read_only_once_q4_is_approved(plan):
    """Add, edit, move and delete are refused on the server when POSTed directly after approval."""
    a = add_initiative(plan, InitiativeKind.ONGOING, "ক")
    add_initiative(plan, InitiativeKind.ONGOING, "খ")
    approve(plan, 4)
    officer = client_for("mofa.officer")

    page = officer.get(INITIATIVES)
    assert FORM not in page.content
    assert FORM not in officer.get(f"{INITIATIVES}{a.pk}/").content

    officer.post(INITIATIVES, initiative_data(title="নতুন"))
    officer.post(f"{INITIATIVES}{a.pk}/", initiative_data(title="বদলানো"))
    officer.post(f"{INITIATIVES}{a.pk}/move/", {"direction": "down"})
    response = officer.post(f"{INITIATIVES}{a.pk}/delete/", follow=True)
    assert "ফেরত পাঠানো হলে আবার বদলানো যাবে" in response.content.decode()
    assert titles(plan, InitiativeKind.ONGOING) == ["ক", "খ"]
    assert plan.initiatives.count() == 2
    for write in (
        lambda: editing.initiative_save(
            plan=plan, initiative=None, data=initiative_data(), user=user("mofa.cio")
        ),
        lambda: editing.initiative_delete(initiative=a, user=user("mofa.cio")),
        lambda: editing.initiative_move(initiative=a, step=1, user=user("mofa.cio")),
    ):
        with pytest.raises(LockedError):
            write()


@pytest.mark.django_db
def test_initiatives_list_queries_do_not_grow_with_the_number_of_initiatives(plan):
    officer = client_for("mofa.officer")
    officer.get(INITIATIVES)  # the periods exist from here on, as on any later visit

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert officer.get(INITIATIVES).status_code == 200
        return len(queries)

    add_initiative(plan, InitiativeKind.ONGOING, "এক")
    few = count()
    for n in range(20):
        add_initiative(plan, list(InitiativeKind)[n % 3], f"উদ্যোগ {n}")
    assert count() == few
    assert few <= 8


# ---------------------------------------------------------------------------------------------------------
# The plan page's links


@pytest.mark.django_db
def test_plan_page_links_to_the_report_texts(plan):
    page = client_for("mofa.officer").get(PLAN_PAGE).content.decode()
    for url in (LETTER_Q1, BASE + "letter/4/", INTRODUCTION, INITIATIVES):
        assert f'href="{url}"' in page


@pytest.mark.django_db
def test_plan_page_shows_a_reviewer_only_the_links_of_sent_periods(plan):
    send(plan, 1)
    page = client_for("cabinet.reviewer").get(PLAN_PAGE).content.decode()
    assert f'href="{LETTER_Q1}"' in page
    assert f'href="{BASE}letter/2/"' not in page
    assert f'href="{INTRODUCTION}"' not in page


@pytest.mark.django_db
def test_demo_report_texts_open_in_the_browser(demo):
    """The texts the demo loads from the submitted report (seed 000) show on the pages as they are stored."""
    officer = client_for("mofa.officer")
    introduction = officer.get(INTRODUCTION)
    assert introduction.status_code == 200
    assert Introduction.objects.get(plan=demo).text.split("\n")[0] in introduction.content.decode()
    listed = [i.title for _kind, items in officer.get(INITIATIVES).context["groups"] for i in items]
    assert sorted(listed) == sorted(demo.initiatives.values_list("title", flat=True))


@pytest.mark.django_db
def test_preview_marks_where_the_initiatives_tables_go(plan):
    editing.introduction_update(
        plan=plan, text="প্রথম অনুচ্ছেদ।\n\n[[চলমান উদ্যোগ]]\n\n[[ভবিষ্যৎ কর্মপরিকল্পনা]]", user=user("mofa.officer")
    )
    page = client_for("mofa.officer").get(INTRODUCTION).content.decode()
    assert "এখানে চলমান ও সমাপ্ত উদ্যোগের সারণি বসবে" in page
    assert "এখানে ভবিষ্যৎ উদ্যোগের সারণি বসবে" in page
    assert "[[চলমান উদ্যোগ]]</p>" not in page  # a marker, not text


@pytest.mark.django_db
def test_stored_dates_are_shown_in_the_language_of_the_page(plan):
    from django.utils import translation

    from reports.forms import InitiativeForm

    form = InitiativeForm(initial={"completion_date": datetime.date(2023, 8, 31)})
    with translation.override("bn"):
        assert 'value="৩১/০৮/২০২৩"' in str(form["completion_date"])
    with translation.override("en"):
        assert 'value="31/08/2023"' in str(form["completion_date"])
    typed = InitiativeForm(data={"kind": "future", "title": "x", "completion_date": "31/8/2023x"})
    with translation.override("bn"):
        assert 'value="31/8/2023x"' in str(typed["completion_date"])  # what was typed comes back as typed


@pytest.mark.django_db
def test_member_who_may_not_edit_reads_and_is_told_why_a_write_is_refused(plan):
    """Someone holding only another role in MoFA (here the admin role) sees the texts, but cannot change them."""
    from indicators.models import Office, Role
    from tests.factories import MembershipFactory

    MembershipFactory(user__username="mofa.admin", office=Office.objects.get(code="mofa"), role=Role.ADMIN)
    member = client_for("mofa.admin")
    response = member.get(LETTER_Q1)
    assert response.status_code == 200 and FORM not in response.content
    response = member.post(LETTER_Q1, letter_data(subject="অন্য"), follow=True)
    assert "আপনি এই দপ্তরের প্রতিবেদনের লেখা বদলাতে পারেন না।" in response.content.decode()
    assert CoverLetter.objects.get(period__plan=plan, period__quarter=1).subject != "অন্য"


@pytest.mark.django_db
def test_locked_message_names_the_quarter_and_its_state(plan):
    approve(plan, 4)
    with pytest.raises(LockedError) as refused:
        editing.introduction_update(plan=plan, text="লেখা", user=user("mofa.officer"))
    assert refused.value.message_bn == (
        "বার্ষিক প্রতিবেদনের ভূমিকা ও উদ্যোগ এখন বদলানো যাবে না (৪র্থ ত্রৈমাসিকের অবস্থা: অনুমোদিত ও স্বাক্ষরিত); "
        "ফেরত পাঠানো হলে আবার বদলানো যাবে।"
    )


@pytest.mark.django_db
def test_saving_the_same_text_again_is_no_conflict(plan):
    """A stale form that changes nothing is not refused: there is nothing to overwrite."""
    editing.introduction_update(plan=plan, text="শুরু", user=user("mofa.cio"))
    stale = editing.introduction_fingerprint("অন্য কিছু")
    editing.introduction_update(plan=plan, text="শুরু\n", user=user("mofa.officer"), expected_fingerprint=stale)
    assert Introduction.objects.get(plan=plan).text == "শুরু"
