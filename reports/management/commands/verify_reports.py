import json

from django.core.management.base import CommandError

from indicators.management.commands._base import APACommand
from reports.integrity import PROBLEM_TEXT, stored_files_verify


class Command(APACommand):
    help = (
        "অনুমোদিত প্রতিবেদন ও প্রমাণকের SHA-256 যাচাই — recompute the SHA-256 of every approved report and "
        "evidence file and compare it with the recorded one (exit status 1 on any difference)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", help="only this office's files (office code)")
        parser.add_argument("--year", help="only this fiscal year, e.g. 2022-23")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        result = self.run_service(
            lambda: stored_files_verify(office_code=options["office"], year_code=options["year"])
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"যাচাই করা হয়েছে: অনুমোদিত প্রতিবেদন {result.reports_checked}টি, প্রমাণক {result.evidence_checked}টি "
                f"/ checked {result.reports_checked} approved reports, {result.evidence_checked} evidence files"
            )
            for problem in result.problems:
                where = "প্রতিবেদন / report" if problem.type == "report" else "প্রমাণক / evidence"
                locked = (
                    " (অনুমোদিত সময়ের / locked period)"
                    if problem.type == "evidence" and problem.locked
                    else ""
                )
                self.stdout.write(
                    f"- {where}: {problem.label}{locked} — {PROBLEM_TEXT[problem.problem]}\n"
                    f"  file {problem.file}\n"
                    f"  expected {problem.expected_sha256}\n"
                    f"  actual   {problem.actual_sha256 or '—'}"
                    + (f"\n  {problem.error}" if problem.error else "")
                )
        if not result.ok:
            raise CommandError(
                f"{len(result.problems)}টি ফাইল তার সংরক্ষিত SHA-256-এর সঙ্গে মেলেনি বা পাওয়া যায়নি / "
                f"{len(result.problems)} file(s) do not match their recorded SHA-256 or are missing"
            )
        if not options["json"]:
            self.stdout.write("সব ফাইল মিলেছে / all files match")
