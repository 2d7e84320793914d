"""Each approval is a version (DESIGN.md §4): ``Approval`` rows with their own marks and source digest; two
history kinds for the single write path (plan structure, evidence corrections).

Changing the choices of ``HistoryEntry.kind`` does not touch the database (choices are not a database
attribute), so the append-only guard of 0006 stays in place.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0007_period_snapshot_percent_and_cover_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historyentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("value", "অর্জন"),
                    ("remark", "মন্তব্য"),
                    ("applicability", "প্রযোজ্যতা"),
                    ("evidence_added", "প্রমাণক যুক্ত"),
                    ("evidence_removed", "প্রমাণক সরানো"),
                    ("targets", "লক্ষ্যমাত্রা"),
                    ("state", "অবস্থা"),
                    ("import", "আমদানি"),
                    ("report_text", "প্রতিবেদনের লেখা"),
                    ("plan", "কর্মপরিকল্পনার কাঠামো"),
                    ("evidence_changed", "প্রমাণক সংশোধন"),
                ],
                max_length=24,
                verbose_name="ধরন",
            ),
        ),
        migrations.CreateModel(
            name="Approval",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField(verbose_name="সংস্করণ")),
                ("approved_at", models.DateTimeField(auto_now_add=True, verbose_name="অনুমোদনের সময়")),
                ("score_snapshot", models.JSONField(verbose_name="অনুমোদনের সময়ের নম্বর")),
                ("source_sha256", models.CharField(blank=True, max_length=64, verbose_name="উৎস-তথ্যের SHA-256")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="প্রেরণের সময়")),
                ("superseded_at", models.DateTimeField(blank=True, null=True, verbose_name="বাতিলের সময়")),
                (
                    "approved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="অনুমোদনকারী",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="approvals",
                        to="indicators.reportingperiod",
                        verbose_name="প্রতিবেদনকাল",
                    ),
                ),
            ],
            options={
                "verbose_name": "অনুমোদন (সংস্করণ)",
                "verbose_name_plural": "অনুমোদনসমূহ (সংস্করণ)",
                "ordering": ["period", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("period", "number"), name="one_approval_number_per_period"),
                    models.UniqueConstraint(
                        condition=models.Q(("superseded_at__isnull", True)),
                        fields=("period",),
                        name="one_standing_approval_per_period",
                    ),
                ],
            },
        ),
    ]
