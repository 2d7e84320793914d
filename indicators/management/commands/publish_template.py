from base.commands import APACommand
from indicators.selectors import office_get, plan_get
from indicators.services.next_year import template_publish
from indicators.services.offices import fiscal_year_get_or_create


class Command(APACommand):
    help = (
        "ঊর্ধ্বতন দপ্তরের বছরের টেমপ্লেট প্রকাশ (একটি কর্মপরিকল্পনার কাঠামো ও মান, লক্ষ্যমাত্রা ছাড়া) — "
        "publish an office's template of the year for the offices below it"
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="the publishing office, e.g. cabinet")
        parser.add_argument("--year", required=True, help="the template's fiscal year, e.g. 2023-24")
        parser.add_argument("--from-office", required=True, help="the plan whose structure is published")
        parser.add_argument("--from-year", required=True)

    def handle(self, *args, **options):
        def run():
            office = office_get(code=options["office"])
            source = plan_get(office_code=options["from_office"], year_code=options["from_year"])
            fiscal_year = fiscal_year_get_or_create(code=options["year"])
            return template_publish(office=office, fiscal_year=fiscal_year, source=source, user=None)

        template = self.run_service(run)
        self.stdout.write(
            f"টেমপ্লেট প্রকাশিত / template published: {template.office.code} {template.fiscal_year.code} "
            f"({template.indicator_count} indicators, from {template.source})"
        )
