"""After approval, the reports row follows the rendering of the approved copy (issue 14.9): the job's progress,
refreshing itself (htmx polling) until the copy is kept, then the approved PDF."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from indicators.periods import periods_ensure
from reports.job_run import job_run
from reports.models import JobStatus, ReportJob
from workflow.transitions import period_transition

PLAN = "/plans/mofa/2022-23/"


def user(username: str):
    return get_user_model().objects.get(username=username)


def approve_q1(demo):
    period = periods_ensure(demo)[0]
    for action, username in [("submit", "mofa.officer"), ("approve", "mofa.cio")]:
        period.refresh_from_db()
        period_transition(period=period, action=action, user=user(username), expected_version=period.version)
    return period


def test_approved_row_polls_its_job_until_the_copy_is_kept(client, demo):
    approve_q1(demo)
    job = ReportJob.objects.get(plan=demo, quarter=1, kind="quarterly", approval__isnull=False)
    assert job.status == JobStatus.QUEUED  # left for a worker in the tests
    client.force_login(user("mofa.cio"))
    body = client.get(PLAN).content.decode()
    poll = f'hx-get="/reports/jobs/{job.pk}/" hx-trigger="load delay:1s"'
    assert poll in body

    fragment = client.get(f"/reports/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert poll in fragment  # still queued: polls again

    job_run(job.pk)
    fragment = client.get(f"/reports/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in fragment  # done: stops polling
    assert f'href="{PLAN}reports/quarterly-1.pdf"' in fragment and "অনুমোদিত PDF" in fragment


def test_approval_job_fragment_walks_anonymous_then_other_office_then_member(client, demo):
    approve_q1(demo)
    job = ReportJob.objects.get(plan=demo, quarter=1, kind="quarterly", approval__isnull=False)
    url = f"/reports/jobs/{job.pk}/"
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(user("msw.officer"))
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    client.force_login(user("mofa.officer"))
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
