"""The two executions of the rules agree on any household (hypothesis).

Households are drawn around the edges the rules care about: incomes near the line and the
threshold (and losses), children around 6 and 15, monitoring that began about six months
before the as-of date, households with and without labour, missing parameters.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext, override
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuopin.rules.engine import RuleParams, evaluate_household
from tuopin.rules.tests.support import same, vectorised

AS_OF = datetime.date(2025, 12, 31)

cents = st.one_of(
    st.integers(min_value=0, max_value=5_000_000),
    st.sampled_from([0, 1, 399_999, 400_000, 400_001, 879_999, 880_000, 880_001]),
)
dates_near_as_of = st.dates(
    min_value=datetime.date(2024, 12, 1), max_value=datetime.date(2026, 1, 31)
)
births = st.one_of(
    st.none(),
    st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2025, 12, 31)),
    st.sampled_from(
        [
            datetime.date(2019, 12, 31),
            datetime.date(2020, 1, 1),
            datetime.date(2009, 12, 31),
            datetime.date(2010, 1, 1),
            datetime.date(2012, 2, 29),
        ]
    ),
)

members = st.fixed_dictionaries(
    {
        "birth_date": births,
        "schooling": st.sampled_from(
            ["not_in_school", "primary", "junior", "home_taught", "dropped_out"]
        ),
        "medical_insured": st.booleans(),
        "labour": st.sampled_from([None, "ordinary", "skilled", "lost", "none"]),
    }
)


@st.composite
def households(draw: Any, code: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    monitor_type = draw(st.sampled_from([None, "unstable_tuopin", "marginal", "sudden_hardship"]))
    columns = {
        "household_code": f"H{code:04d}",
        "household_type": draw(st.sampled_from(["tuopin", "ordinary", "poor"])),
        "wage_income": draw(cents),
        "business_income": draw(cents),
        "property_income": draw(cents),
        "transfer_income": draw(cents),
        "business_costs": draw(cents),
        "compliant_expenses": draw(cents),
        "food_clothing": draw(st.booleans()),
        "housing_grade": draw(st.sampled_from(["A", "B", "C", "D"])),
        "water_quantity": draw(st.booleans()),
        "water_quality": draw(st.booleans()),
        "water_access": draw(st.booleans()),
        "water_reliability": draw(st.booleans()),
        "monitor_type": monitor_type,
        "monitor_since": draw(dates_near_as_of) if monitor_type else None,
        "measures": draw(st.integers(min_value=0, max_value=3)),
    }
    return columns, draw(st.lists(members, min_size=1, max_size=6))


@st.composite
def rule_params(draw: Any) -> RuleParams:
    year = draw(st.sampled_from([2019, 2020, 2021, 2025]))
    threshold = draw(st.one_of(st.none(), st.sampled_from([600_000, 880_000, 880_050])))
    return RuleParams(
        year=year,
        as_of=draw(
            st.sampled_from([AS_OF, datetime.date(2025, 6, 30), datetime.date(2026, 2, 28)])
        ),
        poverty_line=draw(st.sampled_from([400_000, 400_050])),
        line_from_year=draw(st.sampled_from([year, 2020])),
        threshold=threshold,
        threshold_from_year=None if threshold is None else draw(st.sampled_from([year, 2021])),
        elimination_min_months=draw(st.sampled_from([6, 3])),
        elimination_min_measures=draw(st.sampled_from([1, 2])),
    )


@st.composite
def batches(draw: Any) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    size = draw(st.integers(min_value=1, max_value=12))
    return [draw(households(code)) for code in range(size)]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=batches(), p=rule_params(), language=st.sampled_from(["zh-hans", "en"]))
def test_python_and_duckdb_executions_give_identical_results(batch, p, language):
    rows = vectorised(batch, p, language=language)
    assert len(rows) == len(batch)
    with override(language):
        for (columns, people), row in zip(batch, rows, strict=True):
            one = evaluate_household(columns, people, p, translate=gettext)
            assert same(one, row), (one, row)
