import json

from django.core.management.base import CommandError

from base.commands import APACommand
from reports.approvals import standing_approvals_verify
from reports.integrity import PROBLEM_TEXT, stored_files_verify


class Command(APACommand):
    help = (
        "অনুমোদিত প্রতিবেদন ও প্রমাণকের SHA-256 এবং অনুমোদিত নম্বর যাচাই — recompute the SHA-256 of every "
        "approved report and evidence file and compare it with the recorded one, validate each approved "
        "report's digital signature (and of each kept copy of minutes, Smart Bangladesh plans and reviews of child offices), and the marks and source of every standing approval with the data now (exit status 1 on any difference)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", help="only this office's files (office code)")
        parser.add_argument("--year", help="only this fiscal year, e.g. 2022-23")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        office, year = options["office"], options["year"]
        result = self.run_service(lambda: stored_files_verify(office_code=office, year_code=year))
        approvals = self.run_service(lambda: standing_approvals_verify(office_code=office, year_code=year))
        if options["json"]:
            data = result.as_json()
            data["approvals_checked"] = approvals.checked
            data["approval_problems"] = [problem.as_json() for problem in approvals.problems]
            data["ok"] = result.ok and not approvals.problems
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(
                f"যাচাই করা হয়েছে: অনুমোদিত প্রতিবেদন {result.reports_checked}টি, প্রমাণক {result.evidence_checked}টি, "
                f"বহাল অনুমোদন {approvals.checked}টি / checked {result.reports_checked} approved reports, "
                f"{result.evidence_checked} evidence files, {approvals.checked} standing approvals"
            )
            self.stdout.write(
                f"ডিজিটাল স্বাক্ষর বৈধ {result.signatures_valid}টি, স্বাক্ষরহীন {result.unsigned_reports}টি / "
                f"{result.signatures_valid} valid signatures, {result.unsigned_reports} unsigned reports"
            )
            self.stdout.write(
                f"সভার কার্যবিবরণী, স্মার্ট বাংলাদেশ কর্মপরিকল্পনা ও আওতাধীন দপ্তরের পর্যালোচনার রাখা কপি "
                f"({result.documents_checked}টি অনুমোদিত দলিলসহ): "
                f"স্বাক্ষর বৈধ {result.document_signatures_valid}টি, স্বাক্ষরহীন {result.unsigned_documents}টি / "
                f"kept minutes, Smart Bangladesh plans and reviews of child offices "
                f"({result.documents_checked} approved documents among them): "
                f"{result.document_signatures_valid} valid signatures, {result.unsigned_documents} unsigned"
            )
            for problem in result.problems:
                where = {
                    "report": "প্রতিবেদন / report",
                    "document": "অনুমোদিত দলিল / approved document",
                }.get(problem.type, "প্রমাণক / evidence")
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
            for problem in approvals.problems:
                self.stdout.write(f"- অনুমোদন / approval: {problem.text}")
        failures = []
        if not result.ok:
            files = len({problem.file for problem in result.problems})
            failures.append(
                f"{files}টি ফাইল তার সংরক্ষিত SHA-256-এর সঙ্গে মেলেনি, পাওয়া যায়নি বা স্বাক্ষর বৈধ নয় / "
                f"{files} file(s) do not match their recorded SHA-256, are missing, or their digital "
                f"signature does not validate"
            )
        if approvals.problems:
            failures.append(
                f"{len(approvals.problems)}টি অনুমোদন এখনকার তথ্যের সঙ্গে মেলে না / "
                f"{len(approvals.problems)} approval problem(s): the approved record differs from the data"
            )
        if failures:
            raise CommandError("; ".join(failures))
        if not options["json"]:
            self.stdout.write(
                "সব ফাইল মিলেছে, সব অনুমোদন তথ্যের সঙ্গে মেলে / all files match, all approvals agree with the data"
            )
