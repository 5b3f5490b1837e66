"""{% operator_dashboard %}: the admin index's figures (jobs.operator_figures)."""

from django import template

from jobs.operator_figures import operator_figures

register = template.Library()


@register.inclusion_tag("admin/operator_dashboard.html")
def operator_dashboard() -> dict:
    return {"groups": operator_figures()}
