"""Households and the extra personas the monitoring workflow needs."""

from __future__ import annotations

import datetime

import pytest

from conftest import EKENHUDUGE, RIGHT_BANNER, YABULAI
from tuopin.policy.services import load_default_policy
from tuopin.registry import services as registry_services
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.services import MemberInput

NURIGAI = "152922104201"  # a gaqa of 雅布赖镇, outside 巴丹吉林镇


def an_id(prefix: str, birth: str, serial: str) -> str:
    first17 = f"{prefix}{birth}{serial}"
    return first17 + check_digit(first17)


HEAD_ID = an_id("152922", "19700305", "123")
WIFE_ID = an_id("152922", "19721111", "124")
HEAD_PHONE = "13912345678"
BANK_ACCOUNT = "6228480012345678"


def register(area, code, members, household_type="tuopin", **details):
    return registry_services.household_register(
        actor=None,
        code=code,
        area=area,
        household_type=household_type,
        registered_on=datetime.date(2014, 6, 1),
        members=members,
        **details,
    )


@pytest.fixture
def policy(alxa):
    """The shipped policy packs, as the demo loads them."""
    return load_default_policy()


@pytest.fixture
def household(area):
    return register(
        area(EKENHUDUGE),
        "H-0001",
        [
            MemberInput(
                name="巴特尔",
                id_number=HEAD_ID,
                relation="head",
                labour="ordinary",
                health="chronic",
            ),
            MemberInput(name="其其格", id_number=WIFE_ID, relation="spouse", labour="none"),
        ],
        tuopin_year=2017,
        phone=HEAD_PHONE,
        bank_name="农村信用社",
        bank_account=BANK_ACCOUNT,
    )


@pytest.fixture
def nurigai_household(area):
    return register(
        area(NURIGAI),
        "H-0002",
        [MemberInput(name="孟和", id_number=an_id("152922", "19650707", "311"), relation="head")],
        household_type="ordinary",
    )


@pytest.fixture
def yabulai_reviewer(alxa, make_user):
    return make_user("reviewer_yabulai", ("town_reviewer", YABULAI))


@pytest.fixture
def responsible_cadre(alxa, make_user):
    return make_user("responsible_youqi", ("responsible_cadre", RIGHT_BANNER))
