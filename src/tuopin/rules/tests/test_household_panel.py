"""The household page says what the policy says about the household now, with reasons."""

from __future__ import annotations

import datetime

import pytest

from conftest import EKENHUDUGE
from tuopin.policy.services import load_default_policy
from tuopin.registry import services
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.services import MemberInput
from tuopin.rules.inputs import household_policy


def an_id(birth: str, serial: str) -> str:
    first17 = f"152922{birth}{serial}"
    return first17 + check_digit(first17)


@pytest.fixture
def household(area):
    load_default_policy()
    return services.household_register(
        actor=None,
        code="P-0001",
        area=area(EKENHUDUGE),
        household_type="tuopin",
        registered_on=datetime.date(2014, 6, 1),
        members=[
            MemberInput(name="巴特尔", id_number=an_id("19700305", "123"), relation="head",
                        medical_insured=True, labour="ordinary"),
            MemberInput(name="其其格", id_number=an_id("19721111", "124"), relation="spouse",
                        medical_insured=False),
        ],
        tuopin_year=2017,
    )  # fmt: skip


def record_year(household, year, **conditions):
    services.income_set(
        actor=None,
        household=household,
        year=year,
        size=2,
        wage_income="9000",
        business_income="2640",
        property_income="0",
        transfer_income="0",
        business_costs="0",
    )
    values = {
        "food_clothing": True,
        "housing_grade": "B",
        "water_quantity": True,
        "water_quality": True,
        "water_access": True,
        "water_reliability": True,
    }
    values.update(conditions)
    services.conditions_set(actor=None, household=household, year=year, **values)


def test_the_policy_is_applied_to_the_latest_year_with_income_and_conditions(household):
    record_year(household, 2024, housing_grade="D")
    record_year(household, 2025)
    services.income_set(
        actor=None, household=household, year=2026, size=2, wage_income="1", business_income="0",
        property_income="0", transfer_income="0", business_costs="0",
    )  # fmt: skip
    said = household_policy(household, as_of=datetime.date(2026, 3, 1))
    assert said is not None
    assert said.year == 2025  # 2026 has no living conditions yet
    assert said.evaluation["per_capita"] == 582000
    assert said.evaluation.guarantees_failed == ["basic_medical"]
    assert said.evaluation["monitor_candidate"] == "unstable_tuopin"


def test_the_household_page_shows_the_rules_with_reasons_in_chinese(
    household, client_for, banner_officer
):
    record_year(household, 2025)
    response = client_for(banner_officer).get(f"/registry/{household.code}/")
    html = response.content.decode()
    panel = html[html.index('id="policy-says"') :]
    assert "5,820.00" in panel
    assert "人均纯收入 5,820.00 元，不高于 2025 年监测范围 8,800 元：脱贫不稳定户" in panel
    assert "1 名成员未参加基本医疗保险" in panel
    assert "沿用 2020 年标准" in panel  # the carried-forward poverty line is said


def test_the_household_page_says_when_the_rules_cannot_be_applied(
    household, client_for, banner_officer
):
    response = client_for(banner_officer).get(f"/registry/{household.code}/")
    assert 'id="policy-none"' in response.content.decode()
