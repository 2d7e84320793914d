"""`render_report --office CODE --year YEAR --kind annual|half-yearly|quarterly|cover-letter [--quarter N]
--out FILE.pdf` (DESIGN.md §8): one report as PDF; `--kind subordinate-review --quarter N` the office's
review of its child offices' reports of that quarter (reports.subordinate_review).

The "খসড়া" mark is on unless the period is approved (or sent, or accepted); ``--draft`` puts it on anyway.
The file is written atomically (a temporary file in the same folder, then renamed), so a failed run never
leaves a half-written PDF behind; errors go to stderr in Bangla and English with exit status 1.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError

from base.bangla import to_ascii_digits, to_bangla_digits
from base.commands import APACommand
from base.errors import DomainError
from indicators.selectors import fiscal_year_get, office_get, plan_get
from reports import minutes, smart_plan, subordinate_review
from reports.letter import report_kind, report_quarter
from reports.rendering import period_is_final, render_report


def _quarter(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    text = to_ascii_digits(raw.strip()).upper().removeprefix("Q")
    if not text.isdigit():
        raise DomainError(
            f"ত্রৈমাসিক '{raw}' বোঝা যায়নি; ১ থেকে ৪ লিখুন।", f"Quarter '{raw}' is not a number 1-4."
        )
    return int(text)


def _quarter_or_number(raw: str | None) -> int:
    text = to_ascii_digits((raw or "").strip())
    if not text.isdigit() or int(text) < 1:
        raise DomainError(
            "--kind minutes-এর জন্য সভার নম্বর দিন (--meeting 1)।",
            "--kind minutes needs the meeting's number (--meeting 1).",
        )
    return int(text)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    folder = path.parent
    if not folder.is_dir():
        raise DomainError(f"'{folder}' ফোল্ডারটি নেই।", f"The folder '{folder}' does not exist.")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


SUBORDINATE_REVIEW = "subordinate-review"
MINUTES = "minutes"
SMART_PLAN = "smart-plan"


class Command(APACommand):
    help = (
        "প্রতিবেদনের PDF তৈরি: বার্ষিক, অর্ধবার্ষিক, ত্রৈমাসিক বা প্রেরণপত্র / "
        "render a report (annual, half-yearly, quarterly or the cover letter) as PDF"
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="office code, e.g. mofa")
        parser.add_argument("--year", required=True, help="fiscal year, e.g. 2022-23")
        # Checked by the service, not by argparse: an unknown kind gets the Bangla message and exit 1.
        parser.add_argument(
            "--kind",
            required=True,
            help="annual | half-yearly | quarterly | cover-letter | subordinate-review | minutes | smart-plan",
        )
        parser.add_argument(
            "--quarter", help="1-4; required for quarterly, optional for cover-letter (default 4)"
        )
        parser.add_argument("--meeting", help="the meeting's number in its office and year (--kind minutes)")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--draft", action="store_true", help="put the draft mark on even if approved")

    def handle(self, *args, **options):
        out = Path(options["out"]).expanduser()

        def render():
            if options["kind"].strip() == SUBORDINATE_REVIEW:
                office = office_get(code=options["office"])
                year = fiscal_year_get(options["year"])
                rendered = subordinate_review.render_subordinate_review(
                    office, year, _quarter(options["quarter"])
                )
                write_atomically(out, rendered.pdf)
                return rendered, False
            if options["kind"].strip() == SMART_PLAN:
                office = office_get(code=options["office"])
                year = fiscal_year_get(options["year"])
                found = smart_plan.smart_plan_get(office=office, fiscal_year=year)
                rendered = smart_plan.render_smart_plan(found, draft=True if options["draft"] else None)
                write_atomically(out, rendered.pdf)
                return rendered, found.state != "approved" or options["draft"]
            if options["kind"].strip() == MINUTES:
                office = office_get(code=options["office"])
                year = fiscal_year_get(options["year"])
                number = _quarter_or_number(options["meeting"])
                meeting = minutes.meeting_get(office=office, fiscal_year=year, number=number)
                rendered = minutes.render_minutes(meeting, draft=True if options["draft"] else None)
                write_atomically(out, rendered.pdf)
                return rendered, meeting.state != "approved" or options["draft"]
            kind = report_kind(options["kind"])
            office = office_get(code=options["office"])
            plan = plan_get(office_code=office.code, year_code=options["year"])
            quarter = report_quarter(kind, _quarter(options["quarter"]))
            draft = options["draft"] or not period_is_final(plan, quarter)
            rendered = render_report(plan, kind, quarter, draft=draft)
            write_atomically(out, rendered.pdf)
            return rendered, draft

        try:
            rendered, draft = self.run_service(render)
        except OSError as error:
            raise CommandError(f"ফাইল লেখা যায়নি / cannot write {out}: {error.strerror or error}") from error
        self.stdout.write(f"{out}")
        self.stdout.write(f"পৃষ্ঠা / pages: {rendered.pages} ({to_bangla_digits(rendered.pages)})")
        self.stdout.write(f"SHA-256: {rendered.sha256}")
        if draft:
            self.stdout.write("খসড়া / draft: the period is not approved yet")
