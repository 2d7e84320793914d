"""What the national summary and the inbox need at national size (issue 6: 24,000 offices).

- ``ReportingPeriod.snapshot_percent``: the approval snapshot's percent as a stored generated column, kept
  by the database from ``score_snapshot`` (it cannot drift from it). Summing tens of thousands of percents
  read out of the JSON cost more than the rest of the summary query together.
- ``period_state_plan_cover``: every column the summary reads of a period, so that PostgreSQL scans the
  index alone (an index-only scan) instead of the rows with their snapshots.

When each period was first submitted (is it late?) is read from the existing ``transition_period_state_at``
index, one index-only probe per period.

SQLite cannot add a STORED column to a table with rows (ALTER TABLE ADD COLUMN allows only VIRTUAL ones),
and Django's schema editor does not rebuild the table for it: on SQLite the table is rebuilt with the new
column instead, so that an embedded installation with data upgrades.
"""

import django.db.models.fields.json
import django.db.models.functions.comparison
from django.db import migrations, models


class AddStoredGeneratedField(migrations.AddField):
    """AddField that rebuilds the table on SQLite (see the module docstring)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        to_model = to_state.apps.get_model(app_label, self.model_name)
        from_model = from_state.apps.get_model(app_label, self.model_name)
        schema_editor._remake_table(from_model, create_field=to_model._meta.get_field(self.name))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0006_history_append_only")]

    operations = [
        AddStoredGeneratedField(
            model_name="reportingperiod",
            name="snapshot_percent",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.comparison.Cast(
                    django.db.models.fields.json.KeyTextTransform("percent", "score_snapshot"),
                    models.DecimalField(decimal_places=2, max_digits=9),
                ),
                null=True,
                output_field=models.DecimalField(decimal_places=2, max_digits=9),
                verbose_name="অনুমোদনের সময়ের নম্বর (শতকরা)",
            ),
        ),
        migrations.AddIndex(
            model_name="reportingperiod",
            index=models.Index(
                fields=["state", "plan", "quarter", "deadline", "snapshot_percent", "id"],
                name="period_state_plan_cover",
            ),
        ),
    ]
