"""A small registry with a known history, made through the registry's services.

Two gaqas: 额肯呼都格嘎查 (阿拉善右旗 › 巴丹吉林镇) and a gaqa of 额济纳旗. The figures the
tests expect at 2020-06-30 and 2024-06-30 are worked out by hand in ``test_indicators.py``.

- H1 额肯呼都格, 3 people, registered 2014 poor, lifted out 2017-12-01 (with policy),
  monitored as unstable tuopin from 2023-03-01. Income 2019 net 9,000; 2023 net 15,000.
  Conditions 2023: housing grade C.
- H2 额肯呼都格, ordinary, 2 people from 2015-03-01, a birth on 2022-02-01 makes 3.
  Monitored as marginal 2019-05-01 → 2021-05-01. Income 2019 net 4,000 (2 people); 2023
  net 9,000 (3). Conditions 2023: water quality fails.
- H3 额济纳旗, 4 people, registered 2014 poor, lifted out 2019-12-01 (without policy),
  returned 2022-01-15. One member has no medical insurance, a daughter born 2012 has
  dropped out of school. Income 2023 net 8,000 (4 people). No conditions recorded.
- H4 额济纳旗, ordinary, 1 person, closed on 2021-03-01.
- H5 额肯呼都格, newly identified on 2022-05-01, 2 people. Conditions 2024: food and
  clothing not assured; relocated to 巴丹吉林镇安置点, moved in 2022-06-01.

Rural population: 额肯呼都格 2020 = 180, 2024 = 200; 额济纳旗 gaqa 2024 = 100; 阿拉善右旗
2024 = 5,000; none for the league.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from conftest import EKENHUDUGE, RIGHT_BANNER, SAIHANTAOLAI_GAQA
from tuopin.areas.models import Area, AreaYearFigure
from tuopin.registry import services
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.services import MemberInput

D = datetime.date
BEFORE = D(2020, 6, 30)
AFTER = D(2024, 6, 30)


def an_id(birth: str, serial: str, prefix: str = "152922") -> str:
    first17 = f"{prefix}{birth}{serial}"
    return first17 + check_digit(first17)


def _member(name: str, birth: str, serial: str, relation: str, **extra: Any) -> MemberInput:
    return MemberInput(
        name=name,
        id_number=an_id(birth, serial),
        relation=relation,
        medical_insured=extra.pop("medical_insured", True),
        **extra,
    )


def _income(household: Any, year: int, *, size: int, wage: int, business: int, costs: int) -> None:
    services.income_set(
        actor=None,
        household=household,
        year=year,
        size=size,
        wage_income=Decimal(wage),
        business_income=Decimal(business),
        property_income=Decimal(0),
        transfer_income=Decimal(0),
        business_costs=Decimal(costs),
    )


def _conditions(household: Any, year: int, **values: Any) -> None:
    base = {
        "food_clothing": True,
        "housing_grade": "A",
        "water_quantity": True,
        "water_quality": True,
        "water_access": True,
        "water_reliability": True,
    }
    services.conditions_set(actor=None, household=household, year=year, **(base | values))


@pytest.fixture
def registry(alxa: Any) -> dict[str, Any]:
    ekenhuduge = Area.objects.get(code=EKENHUDUGE)
    ejina_gaqa = Area.objects.get(code=SAIHANTAOLAI_GAQA)

    h1 = services.household_register(
        actor=None,
        code="A-0001",
        area=ekenhuduge,
        household_type="poor",
        registered_on=D(2014, 6, 1),
        attribute="general",
        main_cause="illness",
        members=[
            _member("甲一", "19700305", "123", "head", labour="ordinary"),
            _member("甲二", "19721111", "124", "spouse"),
            _member("甲三", "19980101", "135", "son"),
        ],
    )
    services.household_mark_status(
        actor=None, household=h1, status="exited_with_policy", on=D(2017, 12, 1), reason="达标"
    )
    services.monitoring_start(
        actor=None, household=h1, monitor_type="unstable_tuopin", on=D(2023, 3, 1)
    )
    _income(h1, 2019, size=3, wage=6000, business=4200, costs=1200)
    _income(h1, 2023, size=3, wage=14000, business=4000, costs=3000)
    _conditions(h1, 2023, housing_grade="C")

    h2 = services.household_register(
        actor=None,
        code="A-0002",
        area=ekenhuduge,
        household_type="ordinary",
        registered_on=D(2015, 3, 1),
        members=[
            _member("乙一", "19800202", "211", "head"),
            _member("乙二", "19820303", "222", "spouse"),
        ],
    )
    services.monitoring_start(actor=None, household=h2, monitor_type="marginal", on=D(2019, 5, 1))
    services.monitoring_end(actor=None, household=h2, on=D(2021, 5, 1), reason="风险消除")
    services.member_add(
        actor=None,
        household=h2,
        member=_member("乙三", "20220201", "231", "son"),
        joined_on=D(2022, 2, 1),
        reason="birth",
    )
    _income(h2, 2019, size=2, wage=3000, business=1500, costs=500)
    _income(h2, 2023, size=3, wage=7000, business=3000, costs=1000)
    _conditions(h2, 2023, water_quality=False)

    h3 = services.household_register(
        actor=None,
        code="B-0001",
        area=ejina_gaqa,
        household_type="poor",
        registered_on=D(2014, 6, 1),
        members=[
            _member("丙一", "19650404", "311", "head"),
            _member("丙二", "19660505", "322", "spouse", medical_insured=False),
            _member("丙三", "19900606", "331", "son"),
            _member("丙四", "20120707", "342", "daughter", schooling="dropped_out"),
        ],
    )
    services.household_mark_status(
        actor=None, household=h3, status="exited_without_policy", on=D(2019, 12, 1), reason="达标"
    )
    services.household_mark_status(
        actor=None, household=h3, status="returned", on=D(2022, 1, 15), reason="因病返贫"
    )
    _income(h3, 2023, size=4, wage=6000, business=3000, costs=1000)

    h4 = services.household_register(
        actor=None,
        code="B-0002",
        area=ejina_gaqa,
        household_type="ordinary",
        registered_on=D(2014, 6, 1),
        members=[_member("丁一", "19400808", "411", "head")],
    )
    services.household_close(actor=None, household=h4, closed_on=D(2021, 3, 1), reason="死亡")

    h5 = services.household_register(
        actor=None,
        code="A-0003",
        area=ekenhuduge,
        household_type="poor",
        status="newly_identified",
        registered_on=D(2022, 5, 1),
        members=[
            _member("戊一", "19750909", "511", "head"),
            _member("戊二", "20051010", "522", "daughter"),
        ],
    )
    _conditions(
        h5,
        2024,
        food_clothing=False,
        relocated=True,
        relocation_site="巴丹吉林镇安置点",
        moved_in_on=D(2022, 6, 1),
    )

    for code, year, population in [
        (EKENHUDUGE, 2020, 180),
        (EKENHUDUGE, 2024, 200),
        (SAIHANTAOLAI_GAQA, 2024, 100),
        (RIGHT_BANNER, 2024, 5000),
    ]:
        AreaYearFigure.objects.create(
            area=Area.objects.get(code=code), year=year, rural_population=population
        )
    return {"h1": h1, "h2": h2, "h3": h3, "h4": h4, "h5": h5}


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Any) -> None:
    """Snapshots go to a fresh data directory per test."""
    settings.DATA_DIR = tmp_path
