from base.commands import APACommand
from indicators.plan_preview import plan_preview, plan_preview_lines
from indicators.selectors import office_get
from indicators.services.offices import fiscal_year_get_or_create
from indicators.services.plans import plan_import
from indicators.sheets import read_sheet


class Command(APACommand):
    help = (
        "একটি দপ্তরের এক অর্থবছরের কর্মপরিকল্পনা আমদানি (CSV/XLSX/DOCX; এই সাইটের ছক বা মন্ত্রিপরিষদ বিভাগের ছক) "
        "— import a plan sheet or the Cabinet Division's table, printing how each row was read"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--office", required=True, help="office code, e.g. mofa")
        parser.add_argument("--year", required=True, help="fiscal year, e.g. 2022-23")
        parser.add_argument(
            "--replace", action="store_true", help="replace an existing plan (progress of kept codes stays)"
        )

    def handle(self, *args, **options):
        def run():
            office = office_get(code=options["office"])
            fiscal_year = fiscal_year_get_or_create(code=options["year"])
            return plan_import(
                office=office,
                fiscal_year=fiscal_year,
                sheet=read_sheet(options["file"]),
                replace=options["replace"],
            )

        result = self.run_service(run)
        # How each row was read (issue 13): the same preview the browser and the admin show before their
        # confirmation; the command, run on purpose, writes in the same transaction. The warnings, each with
        # its row, go to stderr as before.
        for line in plan_preview_lines(plan_preview(result.parsed), warnings=False):
            self.stdout.write(line)
        self.print_warnings(result.warnings)
        verb = "তৈরি / created" if result.created else "হালনাগাদ / replaced"
        self.stdout.write(
            f"কর্মপরিকল্পনা {verb}: {result.areas} areas, {result.activities} activities, "
            f"{result.indicators} indicators"
            + (f", {result.removed_indicators} removed" if result.removed_indicators else "")
        )
