import json

from base.commands import APACommand
from indicators.scores import plan_score, plan_score_json, plan_unit_labels
from indicators.selectors import plan_get


class Command(APACommand):
    help = "একটি কর্মপরিকল্পনার অর্জিত নম্বর — the achieved marks of a plan"

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True)
        parser.add_argument("--year", required=True)
        parser.add_argument("--json", action="store_true", help="print one JSON object (DESIGN.md §8)")
        parser.add_argument(
            "--quarter", type=int, choices=[1, 2, 3, 4], default=4, help="score up to this quarter"
        )

    def handle(self, *args, **options):
        plan = self.run_service(lambda: plan_get(office_code=options["office"], year_code=options["year"]))
        result = plan_score(plan, up_to_quarter=options["quarter"])
        data = plan_score_json(plan, result)
        # DESIGN.md §8: ``unit`` is the kind; ``unit_label`` the unit as the plan writes it (issue 13).
        labels = plan_unit_labels(plan)
        for item in data["indicators"]:
            item["unit_label"] = labels[item["code"]]
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for indicator in data["indicators"]:
            marks = indicator["achieved_marks"] if indicator["applicable"] else "প্রযোজ্য নয় / n/a"
            self.stdout.write(
                f"{indicator['code']:>8}  weight {indicator['weight']:>6}  achievement "
                f"{indicator['achievement'] or '—':>12}  raw {indicator['raw_score'] or '—':>6}  marks {marks}"
            )
        self.stdout.write(
            f"অর্জিত / achieved {data['achieved_marks']} of {data['applicable_weight']} "
            f"= {data['percent']}% → {data['scaled_marks']} of {data['total_weight']}"
        )
