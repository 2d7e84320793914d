import json
from io import StringIO

from django.core.management import call_command


def test_demo_plan_scores_as_in_design_worked_example(demo):
    """DESIGN.md §3.4: the demo plan gives 44.77 of 48 applicable → 93.27 % → 46.64 of 50."""
    out = StringIO()
    call_command("score", office="mofa", year="2022-23", json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert (data["achieved_marks"], data["applicable_weight"], data["percent"], data["scaled_marks"]) == (
        "44.77",
        "48.00",
        "93.27",
        "46.64",
    )
