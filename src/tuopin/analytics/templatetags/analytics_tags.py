from __future__ import annotations

from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def stat(value: Any) -> str:
    """A figure as the page shows it: — when unknown or hidden, thousands separated."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return intcomma(f"{value:.2f}")
    if isinstance(value, int):
        return intcomma(value)
    return str(value)
