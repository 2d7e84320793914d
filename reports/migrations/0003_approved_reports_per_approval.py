"""Approved reports belong to an approval (a version, DESIGN.md §4), not to the period.

Existing data: every period that is approved, sent or accepted, or that has stored approved reports, gets one
approval (version 1) carrying the period's snapshot, approver and times from its transitions; it stands when
the period is approved, sent or accepted, and is superseded otherwise (a period returned since). The stored
reports move to that approval. Their source was not recorded then: ``source_sha256`` stays empty and
``verify_reports`` checks those approvals by their marks only.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

FINAL_STATES = ("approved", "sent", "accepted")


def approvals_from_periods(apps, schema_editor):
    ReportingPeriod = apps.get_model("indicators", "ReportingPeriod")
    PeriodTransition = apps.get_model("indicators", "PeriodTransition")
    Approval = apps.get_model("indicators", "Approval")
    ApprovedReport = apps.get_model("reports", "ApprovedReport")
    now = timezone.now()
    with_reports = set(ApprovedReport.objects.values_list("period_id", flat=True))
    periods = ReportingPeriod.objects.filter(models.Q(state__in=FINAL_STATES) | models.Q(pk__in=with_reports))
    for period in periods.order_by("pk").iterator():
        transitions = PeriodTransition.objects.filter(period=period).order_by("-at", "-pk")
        approved = transitions.filter(to_state="approved").first()
        sent = transitions.filter(to_state="sent").first()
        standing = period.state in FINAL_STATES
        approval = Approval.objects.create(
            period=period,
            number=1,
            approved_by_id=approved.user_id if approved else None,
            score_snapshot=period.score_snapshot or {},
            sent_at=sent.at if sent and period.state in ("sent", "accepted") else None,
            superseded_at=None if standing else now,
        )
        if approved is not None:
            Approval.objects.filter(pk=approval.pk).update(approved_at=approved.at)
        ApprovedReport.objects.filter(period=period).update(approval=approval)
        if not standing and period.score_snapshot is not None:
            ReportingPeriod.objects.filter(pk=period.pk).update(score_snapshot=None)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0008_approval_versions_and_history_kinds"),
        ("reports", "0002_report_job_started_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="approvedreport",
            name="approval",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="indicators.approval",
                verbose_name="অনুমোদন (সংস্করণ)",
            ),
        ),
        migrations.AddField(
            model_name="reportjob",
            name="approval",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="jobs",
                to="indicators.approval",
                verbose_name="অনুমোদন (সংস্করণ)",
            ),
        ),
        migrations.RunPython(approvals_from_periods, migrations.RunPython.noop, elidable=False),
        migrations.RemoveConstraint(model_name="approvedreport", name="one_approved_report_per_period_kind"),
        migrations.RemoveField(model_name="approvedreport", name="period"),
        migrations.AlterField(
            model_name="approvedreport",
            name="approval",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="indicators.approval",
                verbose_name="অনুমোদন (সংস্করণ)",
            ),
        ),
        migrations.AddConstraint(
            model_name="approvedreport",
            constraint=models.UniqueConstraint(fields=("approval", "kind"), name="one_report_per_approval_kind"),
        ),
    ]
