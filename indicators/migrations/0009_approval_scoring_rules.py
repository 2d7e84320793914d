"""The scoring rules an approval's marks were computed under (issue 17: proportional without the floor, marks
from the printed raw). Approvals made before are left blank: their marks are the marks of their day, and
verify_reports compares them with the data only through their source digest."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0008_approval_versions_and_history_kinds'),
    ]

    operations = [
        migrations.AddField(
            model_name='approval',
            name='scoring_rules',
            field=models.CharField(blank=True, max_length=16, verbose_name='নম্বরের নিয়ম'),
        ),
    ]
