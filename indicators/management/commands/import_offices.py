from base.commands import APACommand
from indicators.services.offices import offices_import
from indicators.sheets import read_sheet


class Command(APACommand):
    help = "দপ্তরের তালিকা আমদানি (CSV/XLSX) — import offices: code, name_bn, name_en, parent_code, kind, address_bn, website"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        result = self.run_service(lambda: offices_import(sheet=read_sheet(options["file"])))
        self.stdout.write(
            f"দপ্তর: {result.created}টি নতুন, {result.updated}টি হালনাগাদ / offices: "
            f"{result.created} created, {result.updated} updated"
        )
