from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from tuopin.policy.formatting import grouped_number

register = template.Library()


@register.filter
def policy_number(value: Any) -> str:
    """A policy value as a cadre reads it: ``8,800``, ``3``, ``2.5``."""
    if isinstance(value, Decimal):
        return grouped_number(value)
    return "" if value is None else str(value)
