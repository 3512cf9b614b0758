"""Village exit (出列) and banner exit (摘帽): incidence below 3% plus the household checks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from conftest import EKENHUDUGE
from tuopin.areas.services import area_figure_set
from tuopin.policy.services import load_default_policy
from tuopin.registry import services
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.services import MemberInput
from tuopin.rules.exits import exit_report

D = datetime.date
NURIGAI = "152922104201"
RIGHT_BANNER = "152922000000"


def an_id(birth: str, serial: str) -> str:
    first17 = f"152922{birth}{serial}"
    return first17 + check_digit(first17)


def poor_household(area, code, birth, *, wage, exited_on=None):
    household = services.household_register(
        actor=None,
        code=code,
        area=area,
        household_type="poor",
        registered_on=D(2014, 6, 1),
        members=[
            MemberInput(name="户主", id_number=an_id(birth, "123"), relation="head",
                        medical_insured=True, labour="ordinary"),
            MemberInput(name="配偶", id_number=an_id(birth, "124"), relation="spouse",
                        medical_insured=True),
        ],
    )  # fmt: skip
    services.income_set(
        actor=None, household=household, year=2017, size=2, wage_income=wage,
        business_income="0", property_income="0", transfer_income="0", business_costs="0",
    )  # fmt: skip
    services.conditions_set(
        actor=None, household=household, year=2017, food_clothing=True, housing_grade="A",
        water_quantity=True, water_quality=True, water_access=True, water_reliability=True,
    )  # fmt: skip
    if exited_on:
        services.household_mark_status(
            actor=None, household=household, status="exited_with_policy", on=exited_on,
            reason="脱贫",
        )  # fmt: skip
    return household


@pytest.fixture
def tree(area, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    load_default_policy()
    poor_household(area(EKENHUDUGE), "E-1", "19700101", wage="2000")
    poor_household(area(EKENHUDUGE), "E-2", "19710101", wage="10000", exited_on=D(2016, 12, 1))
    poor_household(area(NURIGAI), "N-1", "19720101", wage="2000")
    # Marked lifted out in 2017, but 2,000 ÷ 2 = 1,000 per capita is below the 3,335 line.
    poor_household(area(NURIGAI), "N-2", "19730101", wage="2000", exited_on=D(2017, 6, 1))
    area_figure_set(actor=None, area=area(EKENHUDUGE), year=2017, rural_population=100)
    area_figure_set(actor=None, area=area(NURIGAI), year=2017, rural_population=50)
    area_figure_set(actor=None, area=area(RIGHT_BANNER), year=2017, rural_population=1000)


def rows_by_code(report):
    return {row.code: row for row in report.rows}


def test_a_village_below_three_percent_with_every_exit_sound_meets_the_standard(tree, area):
    rows = rows_by_code(exit_report(user=None, year=2017, area=area(RIGHT_BANNER)))
    ekenhuduge = rows[EKENHUDUGE]
    assert (ekenhuduge.poor_households, ekenhuduge.poor_persons) == (1, 2)
    assert ekenhuduge.incidence_percent == 2
    assert ekenhuduge.exited_households == 1 and ekenhuduge.exited_not_meeting == 0
    assert ekenhuduge.meets is True


def test_a_village_at_four_percent_does_not_meet_it(tree, area):
    nurigai = rows_by_code(exit_report(user=None, year=2017, area=area(RIGHT_BANNER)))[NURIGAI]
    assert nurigai.incidence_percent == 4
    assert nurigai.incidence_ok is False
    assert nurigai.meets is False


def test_a_banner_below_the_limit_fails_when_a_household_lifted_out_does_not_meet_the_conditions(
    tree, area
):
    banner = rows_by_code(exit_report(user=None, year=2017, area=area(RIGHT_BANNER)))[RIGHT_BANNER]
    assert banner.poor_persons == 4
    assert banner.incidence_percent == Decimal("0.40")
    assert banner.incidence_ok is True
    assert banner.exited_not_meeting == 1
    assert banner.meets is False


def test_an_area_without_a_population_figure_is_not_judged(tree, area):
    rows = rows_by_code(exit_report(user=None, year=2017, area=area(RIGHT_BANNER)))
    unjudged = [
        row for code, row in rows.items() if code not in {EKENHUDUGE, NURIGAI, RIGHT_BANNER}
    ]
    assert unjudged
    assert all(row.meets is None and row.incidence_percent is None for row in unjudged)


def test_the_exit_page_shows_the_verdicts_within_the_users_grants(
    tree, client_for, banner_officer, outsider
):
    page = client_for(banner_officer).get("/rules/exit/", {"year": "2017", "area": RIGHT_BANNER})
    html = page.content.decode()
    row = html[html.index(f'id="exit-{EKENHUDUGE}"') :]
    assert "2.00%" in row[: row.index("</tr>")]
    assert (
        client_for(outsider).get("/rules/exit/", {"year": "2017", "area": RIGHT_BANNER}).status_code
        == 404
    )
