"""Template tags of the reports."""

from django import template

from reports.naming import report_name as _report_name

register = template.Library()


@register.filter
def report_name(kind: str, quarter: int) -> str:
    """(quarterly, 3) → ``quarterly-3``: a report's name in its address (``reports.naming.report_name``)."""
    return _report_name(kind, int(quarter))
