"""Rule inputs from the stored registry, and what the policy says about one household now.

Assistance measures live in an app above the rules; it registers how to count them with
``register_measure_counter`` when it loads, so the rules read measures without depending on
it. With no counter registered every household has 0 measures, and the panel says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from tuopin.core.errors import DomainError
from tuopin.policy.selectors import policy_in_force
from tuopin.registry.models import Household, HouseholdConditions, HouseholdIncome
from tuopin.registry.selectors import members_as_of, monitoring_as_of
from tuopin.rules.engine import Evaluation, RuleParams, evaluate_household
from tuopin.rules.params import cents, rule_params

MeasureCounter = Callable[[Iterable[int], datetime.date], dict[int, int]]
_measure_counters: list[MeasureCounter] = []


def register_measure_counter(counter: MeasureCounter) -> None:
    """``counter(household_ids, as_of)`` → measures in place per household id."""
    if counter not in _measure_counters:
        _measure_counters.append(counter)


def measures_in_place(household_ids: Iterable[int], as_of: datetime.date) -> dict[int, int]:
    ids = list(household_ids)
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    for counter in _measure_counters:
        for household_id, count in counter(ids, as_of).items():
            counts[household_id] = counts.get(household_id, 0) + count
    return counts


def measures_known() -> bool:
    return bool(_measure_counters)


@dataclass
class HouseholdPolicy:
    """What the policy says about a stored household for an income year."""

    year: int
    as_of: datetime.date
    params: RuleParams
    evaluation: Evaluation
    measures_known: bool


def _latest_year(household: Household, as_of: datetime.date) -> int | None:
    income_years = set(
        HouseholdIncome.objects.filter(household=household, year__lte=as_of.year).values_list(
            "year", flat=True
        )
    )
    condition_years = set(
        HouseholdConditions.objects.filter(household=household, year__lte=as_of.year).values_list(
            "year", flat=True
        )
    )
    both = income_years & condition_years
    return max(both) if both else None


def household_policy(
    household: Household, *, as_of: datetime.date | None = None
) -> HouseholdPolicy | None:
    """The rules applied to ``household`` for its latest year with both an income and living
    conditions recorded, counted to ``as_of`` (today), under the policy in force for its
    area; ``None`` when no such year exists. Reasons are in the active language."""
    as_of = as_of or datetime.date.today()
    year = _latest_year(household, as_of)
    if year is None:
        return None
    income = HouseholdIncome.objects.get(household=household, year=year)
    cond = HouseholdConditions.objects.get(household=household, year=year)
    view = policy_in_force(at=as_of, area=household.area)
    try:
        params = rule_params(view=view, year=year, as_of=as_of)
    except DomainError:
        return None
    period = monitoring_as_of(household, as_of)
    columns: dict[str, Any] = {
        "household_code": household.code,
        "household_type": household.household_type,
        "wage_income": cents(income.wage_income),
        "business_income": cents(income.business_income),
        "property_income": cents(income.property_income),
        "transfer_income": cents(income.transfer_income),
        "business_costs": cents(income.business_costs),
        "compliant_expenses": cents(income.compliant_expenses),
        "food_clothing": cond.food_clothing,
        "housing_grade": cond.housing_grade,
        "water_quantity": cond.water_quantity,
        "water_quality": cond.water_quality,
        "water_access": cond.water_access,
        "water_reliability": cond.water_reliability,
        "monitor_type": period.monitor_type if period else None,
        "monitor_since": period.valid_from if period else None,
        "measures": measures_in_place([household.pk], as_of)[household.pk],
    }
    members = [
        {
            "birth_date": m.person.birth_date,
            "schooling": m.person.schooling,
            "medical_insured": m.person.medical_insured,
            "labour": m.person.labour or None,
        }
        for m in members_as_of(household, as_of)
    ]
    evaluation = evaluate_household(columns, members, params, translate=gettext)
    return HouseholdPolicy(
        year=year,
        as_of=as_of,
        params=params,
        evaluation=evaluation,
        measures_known=measures_known(),
    )
