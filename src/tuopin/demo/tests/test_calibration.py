"""The Alxa demonstration data reproduces what the seed articles publish.

Every figure is computed from the database, as of its date, through the registry's and the
area tree's own selectors and queries (scoped to a demo account), never from the generator:

- 人大阿拉善盟工委 (2021-01-15): "到2020年11月……全盟现有建档立卡脱贫户3906户9461人，无未脱贫户、
  返贫户"; "赛汉陶来嘎查共有脱贫户26户70人，业已全部实现转稳脱贫，无返贫现象"; "2018年7月，
  阿左旗、阿右旗两个自治区级贫困旗率先摘掉贫困旗县的帽子".
- 阿右旗融媒体中心: "贫困发生率从2014年的10.81%下降至2017年底清零"; "建档立卡贫困户人均纯收入
  2015年至2020年年均增长20%以上"; "通过易地扶贫搬迁工程安置
  贫困户239户460人，入住率100%"（曼德拉苏木集中安置点 23户56人）; "有效解决了全旗建档立卡
  贫困户415户1010人的安全饮水问题"; "截至2019年底……全旗共有190户394名建档立卡贫困人口参与
  特色产业发展".
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from tuopin.accounts.models import User
from tuopin.areas.models import Area
from tuopin.areas.selectors import population_figures
from tuopin.demo.models import Livelihood
from tuopin.registry.choices import POOR_STATUSES, HouseholdType, RegistryStatus
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    MonitoringPeriod,
    as_of_q,
)
from tuopin.registry.selectors import HouseholdFilters, household_list

ALXA = "152900000000"
ZUOQI = "152921000000"
YOUQI = "152922000000"
SAIHANTAOLAI = "152923200201"
MANDALA_SUMU = "152922211000"
PUBLISHED = datetime.date(2020, 11, 30)
END_2019 = datetime.date(2019, 12, 31)
EXITED = [RegistryStatus.EXITED_WITH_POLICY, RegistryStatus.EXITED_WITHOUT_POLICY]


def households(user: User, area_code: str, on: datetime.date) -> QuerySet[Household]:
    return household_list(user=user, filters=HouseholdFilters(area_code=area_code, as_of=on))


def with_status(qs: QuerySet[Household], on: datetime.date, statuses: Any) -> QuerySet[Household]:
    return qs.filter(
        Exists(
            HouseholdStatus.objects.filter(
                as_of_q(on), household=OuterRef("pk"), status__in=list(statuses)
            )
        )
    )


def tuopin(user: User, area_code: str, on: datetime.date) -> QuerySet[Household]:
    """建档立卡脱贫户 on ``on``: tuopin households whose status then was lifted out."""
    qs = households(user, area_code, on).filter(household_type=HouseholdType.TUOPIN)
    return with_status(qs, on, EXITED)


def people(qs: QuerySet[Household], on: datetime.date) -> int:
    return Membership.objects.filter(as_of_q(on), household__in=qs.values("pk")).count()


def incidence(user: User, area_code: str, year: int) -> Decimal:
    """Poor registered people at the end of ``year`` over the area's rural population."""
    on = datetime.date(year, 12, 31)
    poor = people(with_status(households(user, area_code, on), on, POOR_STATUSES), on)
    area = Area.objects.get(code=area_code)
    population = population_figures(user=user, root=area, year=year).of(area)
    assert population
    return round(Decimal(poor * 100) / population, 2)


def test_the_league_has_3906_tuopin_households_of_9461_people_on_2020_11_30(league):
    lifted = tuopin(league, ALXA, PUBLISHED)
    assert lifted.count() == 3906
    assert people(lifted, PUBLISHED) == 9461


def test_no_one_in_the_league_is_still_poor_or_returned_to_poverty_on_2020_11_30(league):
    everyone = households(league, ALXA, PUBLISHED)
    assert everyone.count() > 3906  # ordinary rural households are registered too
    assert not with_status(everyone, PUBLISHED, POOR_STATUSES).exists()
    assert not with_status(everyone, PUBLISHED, [RegistryStatus.RETURNED]).exists()
    assert not HouseholdStatus.objects.filter(status=RegistryStatus.RETURNED).exists()
    # Before the last exits the registry did hold poor households, and fewer each year.
    poor = [
        with_status(everyone, datetime.date(y, 12, 31), POOR_STATUSES).count()
        for y in range(2014, 2020)
    ]
    assert poor[0] > 3000
    assert poor == sorted(poor, reverse=True)


def test_alxa_right_banner_incidence_is_10_81_percent_in_2014_and_zero_at_the_end_of_2017(league):
    assert incidence(league, YOUQI, 2014) == Decimal("10.81")
    assert incidence(league, YOUQI, 2015) > incidence(league, YOUQI, 2016) > 0
    assert incidence(league, YOUQI, 2017) == 0


def test_alxa_left_banner_meets_the_exit_rule_in_2017_and_has_no_poor_after_2018(league):
    # 摘帽 in July 2018 needs incidence below 3% (the western rule of the exit mechanism).
    assert 0 < incidence(league, ZUOQI, 2017) < 3
    assert incidence(league, ZUOQI, 2018) == 0
    assert incidence(league, "152923000000", 2019) > 0  # 额济纳旗 kept exits until 2020


def test_the_right_banner_relocated_239_households_of_460_people_all_moved_in(league):
    relocated = tuopin(league, YOUQI, PUBLISHED).filter(
        Exists(
            HouseholdConditions.objects.filter(
                household=OuterRef("pk"), year=PUBLISHED.year, relocated=True
            )
        )
    )
    assert relocated.count() == 239
    assert people(relocated, PUBLISHED) == 460
    # 入住率 100%: every relocated household has a site and moved in before it exited.
    rows = HouseholdConditions.objects.filter(
        household__in=relocated.values("pk"), year=PUBLISHED.year
    )
    assert not rows.filter(Q(moved_in_on__isnull=True) | Q(relocation_site="")).exists()
    assert not rows.filter(moved_in_on__gt=PUBLISHED).exists()
    mandala = relocated.filter(area__code__startswith=MANDALA_SUMU[:9])
    assert mandala.count() == 23
    assert people(mandala, PUBLISHED) == 56
    assert set(
        rows.filter(household__in=mandala.values("pk")).values_list("relocation_site", flat=True)
    ) == {"曼德拉苏木易地扶贫搬迁集中安置点"}


def test_the_right_banner_gave_415_households_of_1010_people_safe_water(league):
    unsafe = (
        Q(water_quantity=False)
        | Q(water_quality=False)
        | Q(water_access=False)
        | Q(water_reliability=False)
    )
    all_tuopin = tuopin(league, YOUQI, PUBLISHED)
    given = all_tuopin.filter(
        Exists(HouseholdConditions.objects.filter(unsafe, household=OuterRef("pk"), year=2014))
    )
    assert given.count() == 415
    assert people(given, PUBLISHED) == 1010
    # The indicators turned to yes in 2016 or 2017 ("2016年以来"), and stayed yes.
    later = HouseholdConditions.objects.filter(household__in=all_tuopin.values("pk"))
    assert not later.filter(unsafe, year__gte=2017).exists()
    assert later.filter(unsafe, year=2015).count() == 415


def test_190_households_of_394_people_of_the_right_banner_joined_specialty_industries(league):
    joined = tuopin(league, YOUQI, END_2019).filter(
        Exists(
            Livelihood.objects.filter(
                household=OuterRef("pk"), specialty_industry=True, since_year__lte=2019
            )
        )
    )
    assert joined.count() == 190
    assert people(joined, END_2019) == 394


def test_saihantaolai_gaqa_has_26_tuopin_households_of_70_people_all_stable(league):
    lifted = tuopin(league, SAIHANTAOLAI, PUBLISHED)
    assert lifted.count() == 26
    assert people(lifted, PUBLISHED) == 70
    # Stable: none poor or returned, none monitored on the day; six watched in 2020 and
    # their risk eliminated before it.
    everyone = households(league, SAIHANTAOLAI, PUBLISHED)
    assert not with_status(everyone, PUBLISHED, [*POOR_STATUSES, RegistryStatus.RETURNED]).exists()
    spells = MonitoringPeriod.objects.filter(household__in=lifted.values("pk"))
    assert not spells.filter(as_of_q(PUBLISHED)).exists()
    assert spells.filter(valid_from__year=2020, valid_to__lt=PUBLISHED).count() == 6


def test_the_right_banners_tuopin_income_per_head_grew_over_20_percent_a_year_2015_to_2020(league):
    lifted = tuopin(league, YOUQI, PUBLISHED)

    def per_head(year: int) -> Decimal:
        totals = HouseholdIncome.objects.filter(household__in=lifted.values("pk"), year=year)
        sums = totals.aggregate(net=Sum("net_income"), people=Sum("size"))
        return sums["net"] / sums["people"]

    growth = (per_head(2020) / per_head(2015)) ** Decimal("0.2") - 1
    assert growth > Decimal("0.20")
    assert per_head(2014) < 2800 < per_head(2017)  # below the 2014 line, above it when cleared
