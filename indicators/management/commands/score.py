import datetime
import json
from decimal import Decimal

from indicators import scoring
from indicators.management.commands._base import APACommand
from indicators.selectors import plan_get, plan_score, plan_year_code


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(scoring.round2(value))


def _achievement(value: Decimal | datetime.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _number(value)


def plan_score_json(plan, result: scoring.PlanScore) -> dict:
    """The stable JSON shape of DESIGN.md §8: codes in ASCII, numbers as strings with two decimals."""
    return {
        "office": plan.office.code,
        "year": plan_year_code(plan),
        "total_weight": _number(result.total_weight),
        "applicable_weight": _number(result.applicable_weight),
        "achieved_marks": _number(result.achieved_marks),
        "percent": _number(result.percent),
        "scaled_marks": _number(result.scaled_marks),
        "areas": [
            {"code": a.code, "marks": _number(a.marks), "achieved_marks": _number(a.achieved_marks)}
            for a in result.areas
        ],
        "indicators": [
            {
                "code": i.code,
                "unit": str(i.unit),
                "weight": _number(i.weight),
                "applicable": i.applicable,
                "achievement": _achievement(i.achievement),
                "raw_score": _number(i.raw_score),
                "achieved_marks": _number(i.achieved_marks),
            }
            for i in result.indicators
        ],
    }


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
