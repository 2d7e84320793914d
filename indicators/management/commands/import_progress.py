from base.commands import APACommand
from indicators.selectors import plan_get
from indicators.services.progress import progress_import
from indicators.sheets import read_sheet


class Command(APACommand):
    help = "ত্রৈমাসিক অগ্রগতি আমদানি (CSV/XLSX) — import quarterly progress into an existing plan"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--office", required=True)
        parser.add_argument("--year", required=True)

    def handle(self, *args, **options):
        def run():
            plan = plan_get(office_code=options["office"], year_code=options["year"])
            return progress_import(plan=plan, sheet=read_sheet(options["file"]))

        result = self.run_service(run)
        self.stdout.write(
            f"অগ্রগতি: {result.saved}টি সংরক্ষিত, {result.cleared}টি মুছে ফেলা, "
            f"{result.not_applicable}টি সূচক প্রযোজ্য নয় / progress: {result.saved} saved, "
            f"{result.cleared} cleared, {result.not_applicable} not applicable"
        )
