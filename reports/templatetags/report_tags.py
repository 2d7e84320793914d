"""Template tags of the reports."""

from django import template

from reports.jobs import report_name as _report_name

register = template.Library()


@register.filter
def report_name(kind: str, quarter: int) -> str:
    """(quarterly, 3) → ``quarterly-3``: a report's name in its address (``reports.jobs.report_name``)."""
    return _report_name(kind, int(quarter))
