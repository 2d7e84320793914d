from base.commands import APACommand
from indicators.selectors import plan_get
from indicators.services.next_year import plan_copy
from indicators.services.offices import fiscal_year_get_or_create


class Command(APACommand):
    help = (
        "পরের অর্থবছরের কর্মপরিকল্পনা আগের বছরেরটি থেকে (খসড়া; অগ্রগতি ও প্রমাণক ছাড়া) — "
        "next year's plan copied from an earlier year's, as a draft"
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="office code, e.g. mofa")
        parser.add_argument("--from-year", required=True, help="the plan copied, e.g. 2022-23")
        parser.add_argument("--to-year", required=True, help="the new plan's fiscal year, e.g. 2023-24")

    def handle(self, *args, **options):
        def run():
            source = plan_get(office_code=options["office"], year_code=options["from_year"])
            to_year = fiscal_year_get_or_create(code=options["to_year"])
            return plan_copy(source=source, to_year=to_year, user=None)

        plan = self.run_service(run)
        self.stdout.write(
            f"কর্মপরিকল্পনা তৈরি / plan created: {plan.office.code} {plan.fiscal_year.code} "
            f"({plan.areas.count()} areas, {plan.activities.count()} activities, "
            f"{plan.indicators.count()} indicators) ← {options['from_year']}"
        )
