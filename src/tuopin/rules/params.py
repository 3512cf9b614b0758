"""The rule parameters from the policy in force, and the inputs from a household file."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from tuopin.core.errors import DomainError
from tuopin.policy.choices import PolicyKey
from tuopin.policy.selectors import PolicyView
from tuopin.registry.idnumbers import check_id_number
from tuopin.rules.engine import RuleParams

# The monitoring era: a threshold applies from this year (spec/policy.md).
MONITORING_FROM_YEAR = 2020

NO_POVERTY_LINE = _("No poverty line is in force for %(year)s.")
NO_SETTING = _("The policy in force does not set “%(key)s”.")


def cents(amount: Decimal | int | float) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


def _whole(view: PolicyView, key: str) -> int:
    found = view.value(key)
    if found is None:
        raise DomainError(
            "rules.policy.missing",
            NO_SETTING,
            params={"key": PolicyKey(key).label},
        )
    return int(found.value)


def rule_params(
    *,
    view: PolicyView,
    year: int,
    as_of: datetime.date | None = None,
    poverty_line: Decimal | None = None,
    threshold: Decimal | None = None,
) -> RuleParams:
    """The parameters for income year ``year`` under ``view``; an explicit ``poverty_line``
    or ``threshold`` replaces the policy's for this evaluation only."""
    as_of = as_of or datetime.date(year, 12, 31)
    if poverty_line is not None:
        line, line_from = cents(poverty_line), year
    else:
        found = view.value(PolicyKey.POVERTY_LINE, year)
        if found is None:
            raise DomainError("rules.policy.no_line", NO_POVERTY_LINE, params={"year": year})
        line, line_from = cents(found.value), found.from_year or year
    limit: int | None = None
    limit_from: int | None = None
    if year >= MONITORING_FROM_YEAR:
        if threshold is not None:
            limit, limit_from = cents(threshold), year
        else:
            in_force = view.value(PolicyKey.MONITORING_THRESHOLD, year)
            if in_force is not None:
                limit, limit_from = cents(in_force.value), in_force.from_year or year
    return RuleParams(
        year=year,
        as_of=as_of,
        poverty_line=line,
        line_from_year=line_from,
        threshold=limit,
        threshold_from_year=limit_from,
        elimination_min_months=_whole(view, PolicyKey.ELIMINATION_MIN_MONTHS),
        elimination_min_measures=_whole(view, PolicyKey.ELIMINATION_MIN_MEASURES),
    )


def _birth_date(member: Any) -> datetime.date | None:
    if member.birth_date is not None:
        return member.birth_date
    return check_id_number(member.id_number).birth_date


def household_inputs(household: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A parsed household of the household file as rule inputs (columns, members)."""
    columns = {
        "household_code": household.code,
        "household_type": household.household_type,
        "wage_income": cents(household.wage_income),
        "business_income": cents(household.business_income),
        "property_income": cents(household.property_income),
        "transfer_income": cents(household.transfer_income),
        "business_costs": cents(household.business_costs),
        "compliant_expenses": cents(household.compliant_expenses),
        "food_clothing": household.food_clothing,
        "housing_grade": household.housing_grade,
        "water_quantity": household.water_quantity,
        "water_quality": household.water_quality,
        "water_access": household.water_access,
        "water_reliability": household.water_reliability,
        "monitor_type": household.monitor_type or None,
        "monitor_since": household.monitor_since,
        "measures": household.measures,
    }
    members = [
        {
            "birth_date": _birth_date(member),
            "schooling": member.schooling,
            "medical_insured": member.medical_insured,
            "labour": member.labour or None,
        }
        for member in household.members
    ]
    return columns, members


def file_tables(
    households: Iterable[Any],
) -> Iterator[tuple[int, dict[str, Any], list[dict[str, Any]]]]:
    """Each parsed household as (key, columns, members), keys numbered from 1."""
    for key, household in enumerate(households, start=1):
        columns, members = household_inputs(household)
        yield key, columns, members
