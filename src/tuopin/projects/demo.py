"""Synthetic projects, funds, assets, collective economies and the camel chain of 阿拉善右旗,
consistent with the seeds (see ``load_projects_demo``). Everything is written through the
services as the console operator, so it is audited like any other change."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from tuopin.areas.choices import Kind, Level
from tuopin.areas.models import Area
from tuopin.projects import services
from tuopin.projects.choices import PUBLICITY_ORDER
from tuopin.projects.models import Enterprise, Project
from tuopin.registry.models import Household

RIGHT_BANNER = "152922000000"
SAIHANTAOLAI_GAQA = "152923200201"  # the committee's paired gaqa in the first seed
YEAR = 2019
# 阿拉善右旗, end of 2019: "嘎查集体经济积累达到100万以上的有4个,50万元以上的有11个,5万元以上19个".
# Read as exclusive bands listed from the top (4 + 11 + 19 = 34 of the 40 gaqa): a gaqa
# counted at 50万以上 is not counted again at 5万以上. The other 6 stay under 50,000.
BANDS_2019 = ((4, 1_000_000, 1_600_000), (11, 500_000, 999_000), (19, 50_000, 499_000))
# "全旗共有190户394名建档立卡贫困人口参与特色产业发展".
CHAIN_HOUSEHOLDS = 190
D = datetime.date


def _gaqa(banner: Area) -> list[Area]:
    return list(
        Area.objects.filter(
            lft__gt=banner.lft, rgt__lt=banner.rgt, level=Level.VILLAGE, kind=Kind.GAQA
        ).order_by("code")
    )


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _publicise_and_approve(project: Project, start: datetime.date) -> None:
    for level in PUBLICITY_ORDER:
        services.project_publicise(
            actor=None,
            project=project,
            level=level,
            start_date=start,
            end_date=start + datetime.timedelta(days=6),
        )
        start += datetime.timedelta(days=7)
    services.project_enter_pipeline(actor=None, project=project, on=start)
    services.project_approve(actor=None, project=project, on=start + datetime.timedelta(days=3))


def _collective_economy(rng: random.Random, gaqa: list[Area]) -> None:
    order = gaqa[:]
    rng.shuffle(order)
    position = 0
    for count, low, high in BANDS_2019:
        for area in order[position : position + count]:
            total = rng.uniform(low, high)
            own = total * rng.uniform(0.4, 0.8)
            services.collective_income_record(
                actor=None, area=area, year=YEAR, source="operation", amount=_money(own)
            )
            services.collective_income_record(
                actor=None, area=area, year=YEAR, source="leasing", amount=_money(total - own)
            )
        position += count
    for area in order[position:]:
        services.collective_income_record(
            actor=None,
            area=area,
            year=YEAR,
            source="asset_income",
            amount=_money(rng.uniform(10_000, 49_000)),
        )


def _camel_chain(
    rng: random.Random, banner: Area, gaqa: list[Area], households: list[Household]
) -> dict[str, Any]:
    home = gaqa[0]
    company = services.enterprise_register(
        actor=None,
        name="内蒙古沙漠之神生物科技有限公司",
        kind="company",
        industry="camel",
        area=banner,
    )
    research = services.enterprise_register(
        actor=None,
        name="阿拉善双峰驼科研基地",
        kind="research",
        industry="camel",
        area=banner,
        partner=company,
    )
    base = services.enterprise_register(
        actor=None, name="嘎查驼产业基地", kind="base", industry="camel", area=home, partner=company
    )
    coop = services.enterprise_register(
        actor=None,
        name="奶驼养殖专业合作社",
        kind="cooperative",
        industry="camel",
        area=home,
        partner=company,
        founded_on=D(2016, 5, 1),
    )
    for household in households:
        services.cooperative_add_member(
            actor=None, enterprise=coop, household=household, joined_on=D(2017, 3, 1)
        )
        services.chain_income_record(
            actor=None,
            enterprise=company,
            household=household,
            year=YEAR,
            amount=_money(rng.uniform(6_000, 80_000)),
            kind="驼奶销售",
        )
    # 10–12 tonnes of camel milk bought a day; at about 30 yuan a kilogram a year of it is
    # of the order of the chain's 1.2亿 output value.
    day = D(YEAR, 12, 1)
    while day <= D(YEAR, 12, 31):
        kg = _money(rng.uniform(10_000, 12_000))
        services.purchase_record(
            actor=None,
            enterprise=company,
            date=day,
            product="驼奶",
            quantity_kg=kg,
            amount=_money(float(kg) * 30),
            seller=coop,
        )
        day += datetime.timedelta(days=1)
    return {"company": company, "research": research, "base": base, "cooperative": coop}


def _projects(
    banner: Area, gaqa: list[Area], households: list[Household], ejina_gaqa: Area | None
) -> int:
    home = gaqa[0]
    milk = services.project_propose(
        actor=None,
        code="YQ-2019-001",
        name="奶驼养殖及驼奶收购站建设",
        project_type="industry",
        industry="camel",
        area=banner,
        areas=[home, gaqa[1]],
        year=YEAR,
        budget=Decimal("1200000"),
        beneficiaries=[h for h in households if h.area_id in {home.pk, gaqa[1].pk}],
        proposer_unit="阿拉善右旗农牧局",
    )
    _publicise_and_approve(milk, D(2019, 2, 11))
    central = services.fund_allocate(
        actor=None,
        project=milk,
        source="central",
        year=YEAR,
        amount=Decimal("800000"),
        allocated_on=D(2019, 3, 20),
        document="阿右财农〔2019〕12号",
    )
    services.fund_allocate(
        actor=None,
        project=milk,
        source="east_west",
        year=YEAR,
        amount=Decimal("400000"),
        allocated_on=D(2019, 4, 2),
    )
    services.project_mark_funded(actor=None, project=milk)
    services.fund_disburse(
        actor=None,
        allocation=central,
        amount=Decimal("650000"),
        paid_on=D(2019, 5, 10),
        payee="收购站施工单位",
        purpose="土建及设备",
    )
    services.project_mark_implemented(actor=None, project=milk, on=D(2019, 9, 30))
    services.project_accept(actor=None, project=milk, on=D(2019, 10, 20))
    services.project_announce(actor=None, project=milk, on=D(2019, 10, 25), place="嘎查公示栏")
    station = services.asset_register(
        actor=None,
        code="YQ-ZC-001",
        name="驼奶收购站",
        kind="operating",
        area=home,
        value=Decimal("900000"),
        registered_on=D(2019, 11, 1),
        project=milk,
    )
    services.asset_confirm_ownership(
        actor=None, asset=station, owner=f"{home.name}集体", on=D(2019, 11, 15)
    )
    services.asset_hand_over(actor=None, asset=station, to="奶驼养殖专业合作社", on=D(2019, 11, 20))
    services.asset_assign_maintainer(
        actor=None, asset=station, maintainer="合作社理事长", since=D(2019, 11, 20)
    )
    receivers = households[:10]
    services.asset_record_income(
        actor=None,
        asset=station,
        received_on=D(2019, 12, 31),
        amount=Decimal("72000"),
        to_gaqa=Decimal("36000"),
        to_households=Decimal("36000") if receivers else Decimal(0),
        households=receivers,
        note="2019年收益分配",
    )
    pens = services.asset_register(
        actor=None,
        code="YQ-ZC-002",
        name="驼圈",
        kind="operating",
        area=gaqa[1],
        value=Decimal("300000"),
        registered_on=D(2019, 11, 1),
        project=milk,
    )
    # Confirmed but with no one named for upkeep and no income since: an alert to follow up.
    services.asset_confirm_ownership(
        actor=None, asset=pens, owner=f"{gaqa[1].name}集体", on=D(2019, 11, 15)
    )

    water = services.project_propose(
        actor=None,
        code="YQ-2019-002",
        name="牧区安全饮水工程",
        project_type="infrastructure",
        area=banner,
        areas=gaqa[2:6],
        year=YEAR,
        budget=Decimal("2600000"),
        proposer_unit="阿拉善右旗水务局",
    )
    _publicise_and_approve(water, D(2019, 3, 4))
    services.fund_allocate(
        actor=None,
        project=water,
        source="region",
        year=YEAR,
        amount=Decimal("2000000"),
        allocated_on=D(2019, 4, 15),
    )
    services.fund_allocate(
        actor=None,
        project=water,
        source="banner",
        year=YEAR,
        amount=Decimal("600000"),
        allocated_on=D(2019, 4, 15),
    )
    services.project_mark_funded(actor=None, project=water)
    well = services.asset_register(
        actor=None,
        code="YQ-ZC-003",
        name="集中供水井及管网",
        kind="public_welfare",
        area=gaqa[2],
        value=Decimal("2400000"),
        registered_on=D(2019, 12, 1),
        project=water,
    )
    services.asset_confirm_ownership(
        actor=None, asset=well, owner=f"{gaqa[2].name}集体", on=D(2019, 12, 10)
    )
    services.asset_assign_maintainer(
        actor=None, asset=well, maintainer="嘎查护水员", since=D(2019, 12, 10)
    )

    services.project_propose(
        actor=None,
        code="YQ-2020-001",
        name="牧民合作社冷链仓储",
        project_type="industry",
        industry="camel",
        area=gaqa[3],
        year=2020,
        budget=Decimal("500000"),
    )
    made = 3
    if ejina_gaqa is not None:
        # The first seed: the league committee saved 15万 of office funds over 2018–2020 and
        # put it into its paired gaqa.
        paired = services.project_propose(
            actor=None,
            code="EJ-2018-001",
            name="赛汉陶来嘎查生产生活条件改善",
            project_type="public_service",
            area=ejina_gaqa,
            year=2018,
            budget=Decimal("150000"),
            proposer_unit="人大阿拉善盟工委",
        )
        _publicise_and_approve(paired, D(2018, 4, 2))
        for year, amount in ((2018, "50000"), (2019, "50000"), (2020, "50000")):
            services.fund_allocate(
                actor=None,
                project=paired,
                source="unit_savings",
                source_unit="人大阿拉善盟工委机关",
                year=year,
                amount=Decimal(amount),
                allocated_on=D(year, 6, 1),
            )
        services.project_mark_funded(actor=None, project=paired)
        made += 1
    return made


@transaction.atomic
def load_projects_demo(*, seed: int = 2019) -> dict[str, int]:
    """Load the synthetic projects data of 阿拉善右旗 (and the first seed's paired gaqa in
    额济纳旗): the 2019 collective-economy bands of its 40 gaqa, the camel chain (company,
    research base, production base, cooperative) with up to 190 member households taken from
    the registry, a month of milk purchases, projects with their funds and assets.

    Needs the reference area tree; households come from the registry (load them first), and
    the chain has as many members as the banner has households, up to 190. Loading twice
    changes nothing."""
    if Project.objects.filter(code="YQ-2019-001").exists():
        return {"projects": 0, "gaqa": 0, "members": 0}
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not a secret)
    banner = Area.objects.get(code=RIGHT_BANNER)
    gaqa = _gaqa(banner)
    pool = list(
        Household.objects.filter(
            area__lft__gte=banner.lft, area__lft__lte=banner.rgt, closed_on__isnull=True
        ).order_by("code")
    )
    rng.shuffle(pool)
    members = sorted(pool[:CHAIN_HOUSEHOLDS], key=lambda h: h.code)
    _collective_economy(rng, gaqa)
    if not Enterprise.objects.filter(name="内蒙古沙漠之神生物科技有限公司").exists():
        _camel_chain(rng, banner, gaqa, members)
    ejina = Area.objects.filter(code=SAIHANTAOLAI_GAQA).first()
    made = _projects(banner, gaqa, members, ejina)
    return {"projects": made, "gaqa": len(gaqa), "members": len(members)}
