"""Every rule of spec/policy.md on hand-made households, edges included.

Each case runs through both executions (``support.evaluate`` checks that the Python and the
DuckDB results agree before returning); money is in cents.
"""

from __future__ import annotations

import datetime

import pytest

from tuopin.rules.expr import add_months, age_on, round_div
from tuopin.rules.tests.support import AS_OF, adults, evaluate, household, params, person


def test_net_income_per_capita_follows_the_formula():
    # (15,000 + 6,000 + 0 + 1,000 − 2,000) ÷ 2 = 10,000.00
    result = evaluate(household(), adults(2))
    assert result["household_size"] == 2
    assert result["net_income"] == 2000000
    assert result["per_capita"] == 1000000


def test_per_capita_rounds_half_away_from_zero_to_the_cent():
    # 100.01 yuan over 2 people = 50.005 → 50.01; a loss of 100.01 → −50.01
    gain = household(wage_income=10001, business_income=0, transfer_income=0, business_costs=0)
    assert evaluate(gain, adults(2))["per_capita"] == 5001
    loss = household(wage_income=0, business_income=0, transfer_income=0, business_costs=10001)
    assert evaluate(loss, adults(2))["per_capita"] == -5001
    assert round_div(10, 3) == 3
    assert round_div(-10, 4) == -3


def _at(per_capita_cents: int, size: int = 1, **changes):
    return household(
        wage_income=per_capita_cents * size,
        business_income=0,
        transfer_income=0,
        business_costs=0,
        **changes,
    )


def test_income_exactly_at_the_poverty_line_does_not_exceed_it():
    at_line = evaluate(_at(400000), adults(1), params(year=2020, threshold=None))
    assert at_line["income_exceeds_line"] is False
    assert at_line["exit_eligible"] is False
    above = evaluate(_at(400001), adults(1), params(year=2020, threshold=None))
    assert above["income_exceeds_line"] is True
    assert above["exit_eligible"] is True


@pytest.mark.parametrize(
    ("birth", "counted"),
    [
        (datetime.date(2019, 12, 31), True),  # turns 6 on the as-of date
        (datetime.date(2020, 1, 1), False),  # 5 on the as-of date
        (datetime.date(2010, 1, 1), True),  # 15 (16 tomorrow)
        (datetime.date(2009, 12, 31), False),  # turns 16 on the as-of date
    ],
)
def test_compulsory_education_counts_dropouts_aged_6_to_15_on_the_as_of_date(birth, counted):
    members = [*adults(1), person(birth_date=birth, schooling="dropped_out", labour=None)]
    result = evaluate(household(), members)
    assert result["fails_compulsory_education"] is counted
    assert ("compulsory_education" in result.guarantees_failed) is counted


def test_home_teaching_counts_as_schooled():
    child = person(birth_date=datetime.date(2015, 3, 1), schooling="home_taught", labour=None)
    assert evaluate(household(), [*adults(1), child])["fails_compulsory_education"] is False


def test_a_member_with_no_known_birth_date_is_not_aged():
    child = person(birth_date=None, schooling="dropped_out", labour=None)
    assert evaluate(household(), [*adults(1), child])["fails_compulsory_education"] is False


def test_each_guarantee_fails_on_its_own_condition_in_the_file_order():
    members = [
        person(medical_insured=False),
        person(birth_date=datetime.date(2014, 1, 1), schooling="dropped_out", labour=None),
    ]
    result = evaluate(
        household(food_clothing=False, housing_grade="C", water_quality=False), members
    )
    assert result.guarantees_failed == [
        "food_clothing",
        "compulsory_education",
        "basic_medical",
        "housing_safety",
        "drinking_water",
    ]
    assert result["exit_eligible"] is False


@pytest.mark.parametrize(("grade", "fails"), [("A", False), ("B", False), ("C", True), ("D", True)])
def test_housing_grades_c_and_d_fail_housing_safety(grade, fails):
    assert evaluate(household(housing_grade=grade), adults())["fails_housing_safety"] is fails


@pytest.mark.parametrize(
    "indicator", ["water_quantity", "water_quality", "water_access", "water_reliability"]
)
def test_any_of_the_four_water_indicators_fails_drinking_water(indicator):
    result = evaluate(household(**{indicator: False}), adults())
    assert result.guarantees_failed == ["drinking_water"]
    assert indicator in result.reason_codes


def test_a_tuopin_household_exactly_at_the_threshold_is_unstable_tuopin():
    assert evaluate(_at(880000), adults(1))["monitor_candidate"] == "unstable_tuopin"
    assert evaluate(_at(880001), adults(1))["monitor_candidate"] is None


def test_an_ordinary_household_within_range_is_marginal():
    result = evaluate(_at(500000, household_type="ordinary"), adults(1))
    assert result["monitor_candidate"] == "marginal"


def test_a_poor_household_is_never_a_monitoring_candidate():
    result = evaluate(_at(100000, household_type="poor", food_clothing=False), adults(1))
    assert result["monitor_candidate"] is None
    assert "poor_not_candidate" in result.reason_codes


def test_heavy_compliant_expenses_make_sudden_hardship_above_the_range():
    # 12,000 per capita, but 4,000 of self-paid medical costs leave 8,000 ≤ 8,800.
    result = evaluate(_at(1200000, compliant_expenses=400000), adults(1))
    assert result["per_capita_after_expenses"] == 800000
    assert result["monitor_candidate"] == "sudden_hardship"
    assert "sudden_hardship_expenses" in result.reason_codes


def test_a_failed_guarantee_makes_sudden_hardship_above_the_range():
    result = evaluate(_at(1200000, housing_grade="D", household_type="ordinary"), adults(1))
    assert result["monitor_candidate"] == "sudden_hardship"
    assert result.reason_codes[-1] == "sudden_hardship_guarantee"


def test_no_monitoring_type_without_a_threshold_in_force():
    result = evaluate(_at(100000), adults(1), params(year=2020, threshold=None))
    assert result["monitor_candidate"] is None
    assert "no_threshold" in result.reason_codes
    before = evaluate(_at(100000), adults(1), params(year=2019, threshold=None))
    assert "no_threshold" not in before.reason_codes


def _monitored(since: datetime.date, size: int = 1, **changes):
    values = {"monitor_type": "unstable_tuopin", "monitor_since": since, "measures": 1}
    return _at(1000000, size, **{**values, **changes})


def test_elimination_needs_exactly_six_months_of_monitoring():
    exactly = evaluate(_monitored(datetime.date(2025, 6, 30)), adults(1))
    assert exactly["eligible_from"] == AS_OF - datetime.timedelta(days=1)
    assert exactly["elimination_eligible"] is True
    assert exactly.reason_codes[-1] == "elimination_eligible"
    on_the_day = evaluate(
        _monitored(datetime.date(2025, 6, 30)), adults(1), params(as_of=datetime.date(2025, 12, 30))
    )
    assert on_the_day["elimination_eligible"] is True
    a_day_short = evaluate(
        _monitored(datetime.date(2025, 6, 30)), adults(1), params(as_of=datetime.date(2025, 12, 29))
    )
    assert a_day_short["elimination_eligible"] is False
    assert "elimination_too_soon" in a_day_short.reason_codes


def test_six_months_from_the_end_of_august_ends_with_february():
    assert add_months(datetime.date(2025, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2023, 8, 31), 6) == datetime.date(2024, 2, 29)
    result = evaluate(
        _monitored(datetime.date(2025, 8, 31)), adults(1), params(as_of=datetime.date(2026, 2, 28))
    )
    assert result["elimination_eligible"] is True


def test_a_household_with_no_labour_is_not_eligible_for_elimination():
    members = [person(labour="none"), person(labour="lost")]
    result = evaluate(_monitored(datetime.date(2024, 1, 1), 2), members)
    assert result["has_labour"] is False
    assert result["elimination_eligible"] is False
    assert "elimination_no_labour" in result.reason_codes
    skilled = evaluate(
        _monitored(datetime.date(2024, 1, 1), 2), [person(labour="none"), person(labour="skilled")]
    )
    assert skilled["elimination_eligible"] is True


def test_elimination_needs_a_measure_income_above_the_range_and_every_guarantee():
    since = datetime.date(2024, 1, 1)
    assert evaluate(_monitored(since, measures=0), adults(1))["elimination_eligible"] is False
    low = _at(880000, monitor_type="marginal", monitor_since=since, measures=2)
    assert evaluate(low, adults(1))["elimination_eligible"] is False
    costly = _monitored(since, compliant_expenses=200000)  # 10,000 − 2,000 ≤ 8,800
    assert evaluate(costly, adults(1))["elimination_eligible"] is False
    unsafe = _monitored(since, housing_grade="C")
    assert evaluate(unsafe, adults(1))["elimination_eligible"] is False


def test_elimination_is_empty_for_a_household_not_monitored():
    assert evaluate(household(), adults())["elimination_eligible"] is None


def test_a_carried_forward_line_is_said_in_the_reasons():
    result = evaluate(household(), adults(), params(line_from_year=2020, threshold_from_year=2021))
    assert "line_carried_forward" in result.reason_codes
    assert "threshold_carried_forward" in result.reason_codes
    assert "the 2020 line of 4,000 yuan applies" in result.reasons[1]


def test_reasons_are_written_for_a_cadre_in_chinese():
    result = evaluate(_at(582000), adults(1), language="zh-hans")
    assert "人均纯收入 5,820.00 元，不高于 2025 年监测范围 8,800 元" in "；".join(result.reasons)


def test_age_is_in_completed_years_with_leap_day_birthdays_on_the_first_of_march():
    born = datetime.date(2012, 2, 29)
    assert age_on(born, datetime.date(2018, 2, 28)) == 5
    assert age_on(born, datetime.date(2018, 3, 1)) == 6
