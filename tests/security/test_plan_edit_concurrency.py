"""The plan editor under simultaneous requests (issue 13 point 4, DESIGN.md §4): saves of forms loaded from
the same version, and a save racing the first submit. PostgreSQL only, like ``test_concurrency``: SQLite
serialises writers, so these races cannot happen there."""

from __future__ import annotations

import pytest
from django.db import connection

from indicators.models import HistoryEntry, PeriodState, PeriodTransition
from indicators.periods import periods_ensure
from indicators.services.plan_edit import EDIT_REASON
from tests.security.test_concurrency import Answer, answer, client_for, run_together, user
from tests.workflow.test_plan_editor_views import form_of

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite serialises writers (run with DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]

PLAN = "/plans/mofa/2022-23/"
EDIT = PLAN + "edit/"
CONFLICT = "এর মধ্যে কর্মপরিকল্পনাটি বদলানো হয়েছে"
LOCKED = "কর্মপরিকল্পনা এখন বদলানো যাবে না"


def test_six_saves_from_the_same_form_version_only_one_wins(demo):
    """Six people save the plan at once, each from a form loaded at the same version: one save lands, the
    other five are told the plan changed meanwhile; nobody's change is half-applied, no server error."""
    clients = [client_for(user("mofa.officer" if i % 2 else "mofa.cio")) for i in range(6)]
    loaded = form_of(clients[0].get(EDIT))

    def save(i: int) -> Answer:
        return answer(clients[i].post(EDIT, {**loaded, "a0-x3-i1-title": f"নাম {i}", "op": "save"}))

    answers = run_together(6, save)
    saved = [a for a in answers if a.status == 302]
    refused = [a for a in answers if a.status == 200 and CONFLICT in a.text]
    assert (len(saved), len(refused)) == (1, 5)
    title = demo.indicators.get(code="1.4.2").title
    assert title.startswith("নাম ")
    entries = HistoryEntry.objects.filter(plan=demo, reason=EDIT_REASON, indicator__code="1.4.2")
    assert entries.count() == 1 and title in entries.get().after


def test_a_save_racing_the_first_submit_lands_before_it_or_is_refused(demo):
    """A plan save and the Q1 submit at once: either the save is in the history before the submit's
    transition, or it is refused as frozen; the plan never changes under a submitted quarter."""
    periods_ensure(demo)
    officer, cio = client_for(user("mofa.officer")), client_for(user("mofa.cio"))
    loaded = form_of(officer.get(EDIT))
    period = demo.periods.get(quarter=1)

    def work(i: int) -> Answer:
        if i == 0:
            return answer(officer.post(EDIT, {**loaded, "a0-x3-i1-title": "দৌড়ের নাম", "op": "save"}))
        # Confirmed, as from the confirmation page (issue 14.7).
        return answer(
            cio.post(f"{PLAN}periods/1/submit/", {"version": str(period.version), "confirmed": "1"})
        )

    edit, _submit = run_together(2, work)
    period.refresh_from_db()
    assert period.state == PeriodState.SUBMITTED
    submitted_at = PeriodTransition.objects.filter(period=period).latest("at").at
    if edit.status == 302:
        changed = HistoryEntry.objects.get(plan=demo, reason=EDIT_REASON, indicator__code="1.4.2")
        assert changed.at <= submitted_at
        assert demo.indicators.get(code="1.4.2").title == "দৌড়ের নাম"
    else:
        # Refused as frozen: by the save's service under its lock, or — when the submit committed before the
        # request reached the editor — by the editor page itself, which then offers no form. Nothing changed.
        assert LOCKED in edit.text or "কর্মপরিকল্পনা এখন সম্পাদনা করা যাবে না" in edit.text
        assert demo.indicators.get(code="1.4.2").title != "দৌড়ের নাম"
