from pathlib import Path

from django.core.management.base import CommandError

from base.commands import APACommand
from base.errors import DomainError
from indicators.selectors import plan_get, plan_sheet_rows
from indicators.sheets import write_sheet


class Command(APACommand):
    help = "কর্মপরিকল্পনা রপ্তানি (CSV/XLSX, আমদানির একই ছক) — export a plan in the import format"

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True)
        parser.add_argument("--year", required=True)
        parser.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if out.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError(
                f"অজানা ফাইলের ধরন '{out.suffix}': .csv বা .xlsx দিন। / Unknown file type: use .csv or .xlsx."
            )
        plan = self.run_service(lambda: plan_get(office_code=options["office"], year_code=options["year"]))
        headers, rows = plan_sheet_rows(plan)
        # Write next to the target and rename, so a failure never leaves half a file behind.
        partial = out.with_name(f".{out.name}.partial{out.suffix}")
        try:
            write_sheet(partial, headers, rows)
            partial.replace(out)
        except (OSError, DomainError) as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"ফাইল লেখা যায়নি / cannot write {out}: {exc}") from exc
        self.stdout.write(f"{len(rows)}টি সূচক রপ্তানি হয়েছে / {len(rows)} indicators exported → {out}")
