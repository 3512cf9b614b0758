"""``{% policy_says household %}``: the rules panel of a household page.

A template tag rather than an import keeps the registry's pages free of any dependency on
the rules app, which sits above the registry.
"""

from __future__ import annotations

from typing import Any

from django import template

from tuopin.rules.engine import format_arg
from tuopin.rules.inputs import household_policy

register = template.Library()

GUARANTEE_ORDER = [
    "food_clothing",
    "compulsory_education",
    "basic_medical",
    "housing_safety",
    "drinking_water",
]


@register.inclusion_tag("rules/_household_panel.html")
def policy_says(household: Any) -> dict[str, Any]:
    said = household_policy(household)
    if said is None:
        return {"said": None}
    failed = set(said.evaluation.guarantees_failed)
    return {
        "said": said,
        "values": said.evaluation.values,
        "guarantees": [(code, code in failed) for code in GUARANTEE_ORDER],
        "per_capita_text": format_arg("money", said.evaluation.values["per_capita"]),
        "line_text": format_arg("amount", said.params.poverty_line),
        "threshold_text": format_arg("amount", said.params.threshold),
    }
