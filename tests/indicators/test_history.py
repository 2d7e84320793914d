"""The append-only change history (DESIGN.md §4): it cannot be changed or removed, every kind of change
writes one entry with before, after, user, quarter and reason, nothing is written when nothing changed,
and the indicator page shows it to the office's members only."""

from __future__ import annotations

import hashlib
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from evidence.services import evidence_attach
from indicators.models import AppendOnlyError, HistoryEntry, HistoryKind, PeriodTransition
from indicators.periods import periods_ensure
from indicators.services.progress import indicator_set_applicability, progress_import, progress_record
from indicators.sheets import read_sheet
from tests.factories import DEMO_DIR
from tests.files import pdf_bytes
from workflow.transitions import period_transition

PLAN = "/plans/mofa/2022-23/"
IMPORT_REASON = "অগ্রগতি আমদানি / progress import"


def user(username: str):
    return get_user_model().objects.get(username=username)


def new_entries(since: int) -> list[HistoryEntry]:
    return list(HistoryEntry.objects.filter(pk__gt=since).order_by("pk"))


def last_pk() -> int:
    return HistoryEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def entry_fields(entry: HistoryEntry) -> tuple:
    return (
        entry.kind,
        entry.indicator.code if entry.indicator else None,
        entry.quarter,
        entry.before,
        entry.after,
        entry.user.username if entry.user else None,
        entry.reason,
    )


def write_sheet(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------------------
# Append-only


def _an_entry(demo) -> HistoryEntry:
    return HistoryEntry.objects.filter(plan=demo).order_by("pk").first()


def _save_changed(entry: HistoryEntry) -> None:
    entry.after = "বদলানো"
    entry.save()


WAYS_TO_CHANGE = {
    "save on an existing entry": _save_changed,
    "delete an entry": lambda entry: entry.delete(),
    "objects.update": lambda entry: HistoryEntry.objects.update(after="বদলানো"),
    "filter().update": lambda entry: HistoryEntry.objects.filter(pk=entry.pk).update(reason="x"),
    "filter().delete": lambda entry: HistoryEntry.objects.filter(pk=entry.pk).delete(),
    "all().delete": lambda entry: HistoryEntry.objects.all().delete(),
    "bulk_update": lambda entry: HistoryEntry.objects.bulk_update([entry], ["after"]),
    "update_or_create": lambda entry: HistoryEntry.objects.update_or_create(
        pk=entry.pk, defaults={"after": "x"}
    ),
}


@pytest.mark.parametrize("way", list(WAYS_TO_CHANGE))
def test_history_cannot_be_changed_or_deleted(demo, way):
    """Every ORM way of changing or removing an entry raises AppendOnlyError and leaves the table as it was."""
    entry = _an_entry(demo)
    before = list(HistoryEntry.objects.order_by("pk").values_list("pk", "before", "after", "reason"))
    assert before, "the demo import writes history"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        WAYS_TO_CHANGE[way](entry)
    assert list(HistoryEntry.objects.order_by("pk").values_list("pk", "before", "after", "reason")) == before


def test_history_can_be_added_to(demo):
    """Append-only still appends: a new entry is saved once."""
    count = HistoryEntry.objects.count()
    HistoryEntry.objects.create(plan=demo, kind=HistoryKind.REMARK, before="", after="নতুন")
    assert HistoryEntry.objects.count() == count + 1


def _all_routes(patterns, prefix: str = "") -> list[tuple[str, str]]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes += _all_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.append((prefix + str(pattern.pattern), pattern.name or ""))
    return routes


def test_no_url_edits_or_deletes_history():
    """No route of the application is about history (it is shown on the indicator page and written only by
    the services), and the admin has no HistoryEntry pages; the admin's own "<id>/history/" pages are its
    read-only log of admin actions, not ours."""
    routes = _all_routes(get_resolver().url_patterns)
    assert len(routes) > 20  # the admin and the app were walked
    app_routes = [r for r in routes if not r[0].startswith("admin/")]
    assert any(name == "indicator" for _route, name in app_routes)
    assert [r for r in app_routes if "history" in r[0].lower() or "history" in r[1].lower()] == []
    assert [r for r in routes if "historyentry" in r[0].lower() or "historyentry" in r[1].lower()] == []


def test_the_admin_offers_no_way_to_change_history(demo, client):
    """History is not editable in the admin: if registered at all, it is read-only even for a superuser."""
    model_admin = admin.site._registry.get(HistoryEntry)
    if model_admin is not None:
        request = RequestFactory().get("/admin/")
        request.user = user("admin")
        entry = _an_entry(demo)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, entry)
        assert not model_admin.has_delete_permission(request, entry)
    client.force_login(user("admin"))
    entry = _an_entry(demo)
    count = HistoryEntry.objects.count()
    client.post(f"/admin/indicators/historyentry/{entry.pk}/delete/", {"post": "yes"})
    client.post(f"/admin/indicators/historyentry/{entry.pk}/change/", {"after": "x", "reason": "x"})
    assert HistoryEntry.objects.count() == count
    assert HistoryEntry.objects.get(pk=entry.pk).after == entry.after


def test_deleting_a_plan_in_the_admin_does_not_erase_its_history(demo, client):
    """An administrator deleting a (draft) plan must not take its change history with it: the delete is
    refused or the entries stay."""
    progress_record(
        indicator=demo.indicators.get(code="1.3.1"),
        quarter=1,
        value=Decimal("85"),
        remark="",
        user=user("mofa.officer"),
        expected_version=1,
    )
    entries = HistoryEntry.objects.filter(plan=demo).count()
    client.force_login(user("admin"))
    client.post(f"/admin/indicators/actionplan/{demo.pk}/delete/", {"post": "yes"})
    assert HistoryEntry.objects.count() >= entries


# ---------------------------------------------------------------------------------------------------------
# What writes history


def test_value_and_remark_changes_in_the_browser_write_history(client, demo):
    """A save from the plan page writes one value and one remark entry with before, after, user, quarter."""
    since = last_pk()
    client.force_login(user("mofa.officer"))
    response = client.post(
        PLAN + "indicators/1.3.1/q1/", {"value": "৮৫", "remark": "ই-নথির হিসাব", "version": "1"}
    )
    assert response.status_code == 302
    assert [entry_fields(e) for e in new_entries(since)] == [
        (HistoryKind.VALUE, "1.3.1", 1, "80", "85", "mofa.officer", ""),
        (HistoryKind.REMARK, "1.3.1", 1, "", "ই-নথির হিসাব", "mofa.officer", ""),
    ]


def test_clearing_a_date_value_in_the_browser_writes_its_before(client, demo):
    """Clearing a date keeps the old date (ISO) as the entry's before."""
    since = last_pk()
    client.force_login(user("mofa.cio"))
    version = demo.indicators.get(code="1.2.2").progress.get(quarter=4).version
    response = client.post(
        PLAN + "indicators/1.2.2/q4/",
        {
            "value": "",
            "remark": "myGov প্ল্যাটফর্মে মন্ত্রণালয়ের ৬২টি সেবা সেবাপ্রত্যাশীদের জন্য উন্মুক্ত করা হয়েছে।",
            "version": str(version),
        },
    )
    assert response.status_code == 302
    assert [entry_fields(e) for e in new_entries(since)] == [
        (HistoryKind.VALUE, "1.2.2", 4, "2023-05-20", "", "mofa.cio", "")
    ]


def test_progress_import_writes_history_without_a_user_and_with_a_reason(demo, tmp_path):
    """An imported sheet's changes are recorded with no user and the import as the reason."""
    since = last_pk()
    sheet = write_sheet(
        tmp_path, "progress.csv", "সূচক নং,ত্রৈমাসিক,অর্জন,মন্তব্য\n[১.৩.১],১,৮৪%,সংশোধিত\n[১.২.২],২,১৮/০৫/২০২৩,\n"
    )
    call_command("import_progress", str(sheet), office="mofa", year="2022-23", stdout=io.StringIO())
    assert [entry_fields(e) for e in new_entries(since)] == [
        (HistoryKind.VALUE, "1.3.1", 1, "80", "84", None, IMPORT_REASON),
        (HistoryKind.REMARK, "1.3.1", 1, "", "সংশোধিত", None, IMPORT_REASON),
        (HistoryKind.VALUE, "1.2.2", 2, "", "2023-05-18", None, IMPORT_REASON),
    ]


def test_applicability_changes_write_history_with_the_reason(demo):
    """Marking [২.২.৪] applicable, then not applicable again: two entries with the user and the reason."""
    since = last_pk()
    indicator = demo.indicators.get(code="2.2.4")
    officer = user("mofa.officer")
    indicator_set_applicability(indicator=indicator, applicable=True, reason="", user=officer)
    indicator_set_applicability(indicator=indicator, applicable=False, reason="আওতাধীন দপ্তর নেই", user=officer)
    assert [entry_fields(e) for e in new_entries(since)] == [
        (HistoryKind.APPLICABILITY, "2.2.4", None, "প্রযোজ্য নয়", "প্রযোজ্য", "mofa.officer", ""),
        (HistoryKind.APPLICABILITY, "2.2.4", None, "প্রযোজ্য", "প্রযোজ্য নয়", "mofa.officer", "আওতাধীন দপ্তর নেই"),
    ]


def test_applicability_from_the_indicator_page_writes_history(client, demo):
    """The indicator page's applicability form goes through the same service and history."""
    since = last_pk()
    client.force_login(user("mofa.cio"))
    response = client.post(PLAN + "indicators/2.2.4/applicability/", {"applicable": "1"})
    assert response.status_code == 302
    assert [entry_fields(e) for e in new_entries(since)] == [
        (HistoryKind.APPLICABILITY, "2.2.4", None, "প্রযোজ্য নয়", "প্রযোজ্য", "mofa.cio", "")
    ]


def test_evidence_attach_writes_history_with_title_and_hash(demo):
    """Attaching a generated PDF records an evidence entry naming its title and the start of its SHA-256."""
    since = last_pk()
    data = pdf_bytes()
    evidence_attach(
        indicator=demo.indicators.get(code="1.2.2"),
        title="সেবা চালুর আদেশ",
        data=data,
        original_name="order.pdf",
        quarter=4,
        user=user("mofa.officer"),
    )
    digest = hashlib.sha256(data).hexdigest()[:12]
    assert [entry_fields(e) for e in new_entries(since)] == [
        (HistoryKind.EVIDENCE_ADDED, "1.2.2", 4, "", f"সেবা চালুর আদেশ ({digest})", "mofa.officer", "")
    ]


def test_state_transitions_write_history(demo):
    """submit and return: each a state entry with the quarter, the user and the comment as reason."""
    since = last_pk()
    period = periods_ensure(demo)[0]
    period_transition(period=period, action="submit", user=user("mofa.officer"), expected_version=0)
    period_transition(
        period=period, action="return", user=user("mofa.cio"), comment="প্রমাণক নেই", expected_version=1
    )
    assert [entry_fields(e) for e in new_entries(since)] == [
        (HistoryKind.STATE, None, 1, "draft", "submitted", "mofa.officer", ""),
        (HistoryKind.STATE, None, 1, "submitted", "returned", "mofa.cio", "প্রমাণক নেই"),
    ]
    assert PeriodTransition.objects.filter(period=period).count() == 2


def test_target_changes_through_plan_replace_write_history(demo, tmp_path):
    """`import_plan --replace` with a changed target records the indicator's settings before and after."""
    since = last_pk()
    text = (DEMO_DIR / "plan.csv").read_text(encoding="utf-8").replace("%,৮,গড়,৮৫%,", "%,৮,গড়,৯০%,")
    sheet = write_sheet(tmp_path, "plan.csv", text)
    call_command(
        "import_plan",
        str(sheet),
        office="mofa",
        year="2022-23",
        replace=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    entries = new_entries(since)
    assert [(e.kind, e.indicator.code, e.quarter, e.user) for e in entries] == [
        (HistoryKind.TARGETS, "1.3.1", None, None)
    ]
    assert "targets=85/80/70/60/--" in entries[0].before
    assert "targets=90/80/70/60/--" in entries[0].after
    assert "import" in entries[0].reason


# ---------------------------------------------------------------------------------------------------------
# Nothing changed, nothing written


def _same_progress(demo, tmp_path):
    progress_record(
        indicator=demo.indicators.get(code="1.3.1"),
        quarter=1,
        value=Decimal("80"),
        remark="  ",
        user=user("mofa.officer"),
        expected_version=1,
    )


def _same_progress_sheet(demo, tmp_path):
    progress_import(plan=demo, sheet=read_sheet(DEMO_DIR / "progress.csv"))


def _same_applicability(demo, tmp_path):
    indicator_set_applicability(
        indicator=demo.indicators.get(code="2.2.4"),
        applicable=False,
        reason="আওতাধীন কোনো দপ্তর/সংস্থা নেই।",
        user=user("mofa.officer"),
    )


def _same_plan_sheet(demo, tmp_path):
    call_command(
        "import_plan",
        str(DEMO_DIR / "plan.csv"),
        office="mofa",
        year="2022-23",
        replace=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def _same_value_in_the_browser(demo, tmp_path, client):
    client.force_login(user("mofa.officer"))
    assert (
        client.post(PLAN + "indicators/1.3.1/q1/", {"value": "৮০%", "remark": "", "version": "1"}).status_code
        == 302
    )


UNCHANGED = {
    "progress_record with the same value": _same_progress,
    "progress sheet imported again": _same_progress_sheet,
    "applicability set to what it is": _same_applicability,
    "plan sheet imported again with --replace": _same_plan_sheet,
    "browser save of the same value": _same_value_in_the_browser,
}


@pytest.mark.parametrize("change", list(UNCHANGED))
def test_no_history_entry_when_nothing_changed(demo, tmp_path, client, change):
    """Saving, importing or marking exactly what is stored writes no history (and no new progress version)."""
    since = last_pk()
    versions = list(demo.indicators.values_list("progress__version", flat=True))
    action = UNCHANGED[change]
    if change == "browser save of the same value":
        action(demo, tmp_path, client)
    else:
        action(demo, tmp_path)
    assert new_entries(since) == []
    assert list(demo.indicators.values_list("progress__version", flat=True)) == versions


# ---------------------------------------------------------------------------------------------------------
# Shown on the indicator page, to members only


def _history_section(body: str) -> str:
    match = re.search(r'<section class="card" id="history".*?</section>', body, re.S)
    return match.group(0) if match else ""


def test_indicator_page_shows_history_in_bangla_digits_to_members(client, demo):
    """The officer and the CIO see the change, newest first, with before/after and time in Bangla digits."""
    client.force_login(user("mofa.officer"))
    client.post(PLAN + "indicators/1.3.1/q1/", {"value": "৮৫", "remark": "", "version": "1"})
    for username in ("mofa.officer", "mofa.cio"):
        client.force_login(user(username))
        section = _history_section(client.get(PLAN + "indicators/1.3.1/").content.decode())
        rows = re.findall(r"<tr><td[^>]*>.*?</tr>", section, re.S)
        assert rows, username
        newest = rows[0]
        assert re.search(r"<td[^>]*>৮০</td><td[^>]*>৮৫</td>", newest)
        assert "আইসিটি কর্মকর্তা (পররাষ্ট্র)" in newest  # who
        assert re.search(r"<time [^>]*>[০-৯]{2}/[০-৯]{2}/[০-৯]{4} [০-৯]{2}:[০-৯]{2}</time>", newest)
        shown_text = re.findall(r">([^<]*)<", section.split("<tbody>")[1])  # text only, not attributes
        assert not [text for text in shown_text if re.search("[0-9]", text)]


def test_indicator_page_hides_history_from_the_reviewer(client, demo):
    """The Cabinet reviewer, even for a sent quarter, sees no history of MoFA's changes."""
    client.force_login(user("mofa.officer"))
    client.post(PLAN + "indicators/1.3.1/q1/", {"value": "৮৫", "remark": "গোপন সংশোধন", "version": "1"})
    period = periods_ensure(demo)[0]
    for action, username in [("submit", "mofa.officer"), ("approve", "mofa.cio"), ("send", "mofa.cio")]:
        period.refresh_from_db()
        period_transition(period=period, action=action, user=user(username), expected_version=period.version)
    client.force_login(user("cabinet.reviewer"))
    response = client.get(PLAN + "indicators/1.3.1/")
    assert response.status_code == 200
    body = response.content.decode()
    assert _history_section(body) == ""
    assert "পরিবর্তনের ইতিহাস" not in body
    assert "আইসিটি কর্মকর্তা (পররাষ্ট্র)" not in body


def test_removing_an_indicator_by_plan_replace_keeps_its_history_and_records_the_removal(demo, tmp_path):
    """`import_plan --replace` without [২.২.৫] (weight moved to [২.১.১]) deletes it and its Q3 achievement:
    the earlier entries about [২.২.৫] must stay as written (still naming it), and the removal of its
    progress must itself be recorded."""
    earlier = {e.pk: e.indicator_id for e in HistoryEntry.objects.filter(indicator__code="2.2.5")}
    assert earlier
    since = last_pk()
    lines = (DEMO_DIR / "plan.csv").read_text(encoding="utf-8").splitlines()
    lines = [line.replace("সংখ্যা,৬,সমষ্টি", "সংখ্যা,৯,সমষ্টি") for line in lines if "[২.২.৫]" not in line]
    sheet = write_sheet(tmp_path, "plan.csv", "\n".join(lines) + "\n")
    call_command(
        "import_plan",
        str(sheet),
        office="mofa",
        year="2022-23",
        replace=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert not demo.indicators.filter(code="2.2.5").exists()
    assert {pk: HistoryEntry.objects.get(pk=pk).indicator_id for pk in earlier} == earlier
    assert any("2023-02-05" in e.before for e in new_entries(since)), [
        entry_fields(e) for e in new_entries(since)
    ]
