from pathlib import Path

from django.core.management.base import CommandError

from apa_tracker.backup import backup_write
from base.commands import APACommand
from base.errors import DomainError
from reports.integrity import PROBLEM_TEXT


class Command(APACommand):
    help = (
        "ডেটাবেস ও সংরক্ষিত ফাইলের ব্যাকআপ একটি .tar.gz ফাইলে — back up the database and every stored file "
        "(evidence, reports) into one .tar.gz archive (docs/backup.md)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the archive to write, e.g. apa-2024-07-15.tar.gz")

    def handle(self, *args, **options):
        # Not run_service: the backup opens its own read-only snapshot transaction (apa_tracker/backup.py).
        try:
            summary = backup_write(out=Path(options["out"]))
        except DomainError as error:
            raise CommandError(error.message) from error
        for problem in summary.problems:
            self.stderr.write(f"সতর্কতা / warning — {problem['file']}: {PROBLEM_TEXT[problem['problem']]}")
        rows = sum(summary.counts.values())
        self.stdout.write(
            f"ব্যাকআপ লেখা হয়েছে / backup written: {summary.path} — {rows} rows in "
            f"{sum(1 for n in summary.counts.values() if n)} tables, {summary.files} files, "
            f"{summary.bytes / 1024 / 1024:.1f} MB before compression"
        )
