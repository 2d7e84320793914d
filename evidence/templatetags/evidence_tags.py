"""The evidence panel's view of the indicator page's data (no queries of its own)."""

from django import template

from evidence import selectors

register = template.Library()


@register.simple_tag
def evidence_panel(access: selectors.PanelAccess, evidence) -> selectors.EvidencePanel:
    return selectors.evidence_panel(access, evidence)
