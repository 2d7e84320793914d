from pathlib import Path

from apa_tracker.backup import backup_restore
from base.commands import APACommand


class Command(APACommand):
    help = (
        "ব্যাকআপ থেকে নতুন (খালি, migrate করা) ডেটাবেসে পুনরুদ্ধার — restore a backup made by `backup` into an "
        "empty, migrated database and the configured file storage (docs/backup.md)"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `manage.py backup`")

    def handle(self, *args, **options):
        summary = self.run_service(lambda: backup_restore(archive=Path(options["archive"])))
        for label, count in summary.counts.items():
            if count:
                self.stdout.write(f"{label:<40} {count:>8}")
        for problem in summary.known_problems:
            self.stderr.write(
                f"সতর্কতা / warning — ব্যাকআপের সময় থেকেই সমস্যা / already wrong when backed up: "
                f"{problem['file']} ({problem['problem']})"
            )
        self.stdout.write(
            f"পুনরুদ্ধার সম্পন্ন / restored: {sum(summary.counts.values())} rows, "
            f"{summary.files_written} files written, {summary.files_present} already present and identical"
        )
