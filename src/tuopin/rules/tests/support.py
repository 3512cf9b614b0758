"""Hand-made households for rule tests, run through both executions at once."""

from __future__ import annotations

import datetime
from typing import Any

import duckdb
from django.utils.translation import gettext, override

from tuopin.rules.engine import Evaluation, RuleParams, evaluate_household
from tuopin.rules.tables import load_inputs, run_rules

AS_OF = datetime.date(2025, 12, 31)


def params(**changes: Any) -> RuleParams:
    values: dict[str, Any] = {
        "year": 2025,
        "as_of": AS_OF,
        "poverty_line": 400000,
        "line_from_year": 2025,
        "threshold": 880000,
        "threshold_from_year": 2025,
        "elimination_min_months": 6,
        "elimination_min_measures": 1,
    }
    values.update(changes)
    return RuleParams(**values)


def household(**changes: Any) -> dict[str, Any]:
    """A two-person tuopin household with 20,000 yuan net income: 10,000 per capita."""
    values: dict[str, Any] = {
        "household_code": "H001",
        "household_type": "tuopin",
        "wage_income": 1500000,
        "business_income": 600000,
        "property_income": 0,
        "transfer_income": 100000,
        "business_costs": 200000,
        "compliant_expenses": 0,
        "food_clothing": True,
        "housing_grade": "A",
        "water_quantity": True,
        "water_quality": True,
        "water_access": True,
        "water_reliability": True,
        "monitor_type": None,
        "monitor_since": None,
        "measures": 0,
    }
    values.update(changes)
    return values


def person(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "birth_date": datetime.date(1980, 1, 1),
        "schooling": "not_in_school",
        "medical_insured": True,
        "labour": "ordinary",
    }
    values.update(changes)
    return values


def adults(count: int = 2) -> list[dict[str, Any]]:
    return [person() for _ in range(count)]


def vectorised(
    households: list[tuple[dict[str, Any], list[dict[str, Any]]]],
    p: RuleParams,
    *,
    language: str = "en",
) -> list[dict[str, Any]]:
    con = duckdb.connect()
    try:
        load_inputs(
            con, [(key, cols, members) for key, (cols, members) in enumerate(households)], {0: p}
        )
        with override(language):
            relation = run_rules(con, as_of=p.as_of, translate=gettext).order("hh_key")
            names = relation.columns
            return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]
    finally:
        con.close()


COMPARED = [
    "household_size",
    "per_capita",
    "per_capita_after_expenses",
    "income_exceeds_line",
    "exit_eligible",
    "monitor_candidate",
    "elimination_eligible",
    "school_dropouts",
    "uninsured_members",
    "has_labour",
    "eligible_from",
]


def same(one: Evaluation, row: dict[str, Any]) -> bool:
    return (
        all(one.values[name] == row[name] for name in COMPARED)
        and ";".join(one.guarantees_failed) == row["guarantees_failed"]
        and one.reason_codes == list(row["reason_codes"])
        and "；".join(one.reasons) == row["reasons"]
    )


def evaluate(
    cols: dict[str, Any],
    members: list[dict[str, Any]],
    p: RuleParams | None = None,
    *,
    language: str = "en",
) -> Evaluation:
    """The evaluation of one household, after checking both executions agree on it."""
    p = p or params()
    with override(language):
        one = evaluate_household(cols, members, p, translate=gettext)
    (row,) = vectorised([(cols, members)], p, language=language)
    assert same(one, row), (one, row)
    return one
