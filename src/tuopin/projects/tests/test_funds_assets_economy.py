"""Funds and their balances, asset lifecycle and alerts, gaqa collective-economy bands,
and the households an industry chain reaches."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import BADANJILIN, EKENHUDUGE, RIGHT_BANNER, SAIHANTAOLAI_GAQA
from tuopin.areas.models import Area
from tuopin.core.errors import DomainError, PermissionDenied, ValidationFailed
from tuopin.core.models import AuditEntry
from tuopin.projects import selectors, services
from tuopin.projects.choices import AssetAlert, AssetState
from tuopin.projects.tests.factories import D, approved, household, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def gaqa(area):
    return area(EKENHUDUGE)


@pytest.fixture
def funded(gaqa):
    p = approved(project(gaqa, budget=Decimal("100000")))
    allocation = services.fund_allocate(
        actor=None,
        project=p,
        source="central",
        year=2019,
        amount=Decimal("100000"),
        allocated_on=D(2019, 4, 3),
    )
    return p, allocation


def test_a_disbursement_beyond_the_balance_is_refused(funded, banner_officer):
    _p, allocation = funded
    services.fund_disburse(
        actor=banner_officer,
        allocation=allocation,
        amount=Decimal("70000"),
        paid_on=D(2019, 5, 1),
        payee="施工队",
    )
    with pytest.raises(ValidationFailed) as info:
        services.fund_disburse(
            actor=banner_officer,
            allocation=allocation,
            amount=Decimal("30000.01"),
            paid_on=D(2019, 6, 1),
            payee="施工队",
        )
    assert info.value.errors[0].code == "projects.fund.over_balance"
    assert "30000.00" in str(info.value.errors[0])
    services.fund_disburse(
        actor=banner_officer,
        allocation=allocation,
        amount=Decimal("30000"),
        paid_on=D(2019, 6, 1),
        payee="施工队",
    )
    assert services.allocation_balance(allocation) == 0
    assert AuditEntry.objects.filter(action="projects.fund.disbursed").count() == 2


def test_only_banner_offices_allocate_and_pay(funded, town_reviewer, ejina_officer):
    p, allocation = funded
    for actor in (town_reviewer, ejina_officer):
        with pytest.raises(PermissionDenied):
            services.fund_disburse(
                actor=actor,
                allocation=allocation,
                amount=Decimal(1),
                paid_on=D(2019, 5, 1),
                payee="x",
            )
        with pytest.raises(PermissionDenied):
            services.fund_allocate(
                actor=actor,
                project=p,
                source="banner",
                year=2019,
                amount=Decimal(1),
                allocated_on=D(2019, 5, 1),
            )


def test_money_goes_only_to_approved_projects_and_savings_name_their_unit(gaqa):
    p = project(gaqa)
    with pytest.raises(ValidationFailed) as info:
        services.fund_allocate(
            actor=None,
            project=p,
            source="unit_savings",
            year=2019,
            amount=Decimal(5),
            allocated_on=D(2019, 5, 1),
        )
    codes = {e.code for e in info.value.errors}
    assert codes == {"projects.project.wrong_state", "projects.fund.source_unit"}


def test_the_fund_report_reconciles_by_source_and_year(funded, area, banner_officer, ejina_officer):
    p, allocation = funded
    services.fund_allocate(
        actor=None,
        project=p,
        source="unit_savings",
        source_unit="人大阿拉善盟工委",
        year=2020,
        amount=Decimal("150000"),
        allocated_on=D(2020, 3, 1),
    )
    services.fund_disburse(
        actor=None, allocation=allocation, amount=Decimal("25000"), paid_on=D(2019, 5, 1), payee="x"
    )
    root = area(RIGHT_BANNER)
    rows = selectors.fund_report(user=banner_officer, root=root)
    assert [(r.source, r.year, r.allocated, r.disbursed, r.balance, r.projects) for r in rows] == [
        ("central", 2019, Decimal("100000"), Decimal("25000"), Decimal("75000"), 1),
        ("unit_savings", 2020, Decimal("150000"), 0, Decimal("150000"), 1),
    ]
    assert [r.source for r in selectors.fund_report(user=banner_officer, root=root, year=2020)] == [
        "unit_savings"
    ]
    assert selectors.fund_report(user=ejina_officer, root=root) == []


def _asset(gaqa, code="A-1", kind="operating", registered_on=None, project=None):
    return services.asset_register(
        actor=None,
        code=code,
        name="驼奶收购站",
        kind=kind,
        area=gaqa,
        value=Decimal("300000"),
        registered_on=registered_on or D(2019, 1, 1),
        project=project,
    )


def test_an_asset_goes_from_registration_to_disposal(
    gaqa, banner_officer, town_reviewer, gaqa_cadre
):
    asset = _asset(gaqa)
    with pytest.raises(DomainError):
        services.asset_hand_over(actor=banner_officer, asset=asset, to="合作社", on=D(2019, 2, 1))
    with pytest.raises(PermissionDenied):
        services.asset_confirm_ownership(
            actor=town_reviewer, asset=asset, owner="嘎查", on=D(2019, 2, 1)
        )
    services.asset_confirm_ownership(
        actor=banner_officer, asset=asset, owner="额肯呼都格嘎查", on=D(2019, 2, 1)
    )
    services.asset_hand_over(actor=banner_officer, asset=asset, to="驼奶合作社", on=D(2019, 2, 2))
    services.asset_assign_maintainer(
        actor=town_reviewer, asset=asset, maintainer="合作社理事长", since=D(2019, 2, 2)
    )
    h = household(gaqa, "H-1", "15292219700305123")
    income = services.asset_record_income(
        actor=gaqa_cadre,
        asset=asset,
        received_on=D(2019, 12, 31),
        amount=Decimal("30000"),
        to_gaqa=Decimal("20000"),
        to_households=Decimal("10000"),
        households=[h],
    )
    assert list(income.households.all()) == [h]
    with pytest.raises(ValidationFailed):
        services.asset_record_income(
            actor=gaqa_cadre,
            asset=asset,
            received_on=D(2020, 1, 5),
            amount=Decimal(10),
            to_gaqa=Decimal(11),
        )
    disposed = services.asset_dispose(
        actor=banner_officer, asset=asset, on=D(2024, 1, 1), reason="报废"
    )
    assert disposed.state == AssetState.DISPOSED
    with pytest.raises(DomainError):
        services.asset_assign_maintainer(
            actor=None, asset=asset, maintainer="x", since=D(2024, 2, 1)
        )
    assert (
        AuditEntry.objects.filter(
            object_id=str(asset.pk), action__startswith="projects.asset"
        ).count()
        == 6
    )


def test_a_household_asset_belongs_to_a_household(gaqa):
    asset = _asset(gaqa, kind="household")
    with pytest.raises(DomainError) as info:
        services.asset_confirm_ownership(actor=None, asset=asset, owner="牧户", on=D(2019, 2, 1))
    assert info.value.field == "owner_household"


def test_alerts_flag_assets_without_owner_maintainer_or_a_years_income(gaqa, area, banner_officer):
    root = area(RIGHT_BANNER)
    bare = _asset(gaqa, "A-bare")
    kept = _asset(gaqa, "A-kept")
    services.asset_confirm_ownership(actor=None, asset=kept, owner="嘎查", on=D(2019, 2, 1))
    services.asset_assign_maintainer(
        actor=None, asset=kept, maintainer="理事长", since=D(2019, 2, 1)
    )
    services.asset_record_income(
        actor=None, asset=kept, received_on=D(2023, 6, 30), amount=Decimal(100)
    )
    road = _asset(gaqa, "A-road", kind="public_welfare")
    services.asset_confirm_ownership(actor=None, asset=road, owner="嘎查", on=D(2019, 2, 1))
    services.asset_assign_maintainer(
        actor=None, asset=road, maintainer="护路员", since=D(2019, 2, 1)
    )
    _asset(gaqa, "A-new", registered_on=D(2024, 3, 1))
    gone = _asset(gaqa, "A-gone")
    services.asset_dispose(actor=None, asset=gone, on=D(2020, 1, 1), reason="出售")

    def alerts(on):
        found = selectors.asset_alerts(user=banner_officer, root=root, as_of=on)
        return {a.asset.code: a.alerts for a in found}

    assert alerts(D(2024, 6, 28)) == {
        "A-bare": [AssetAlert.NO_OWNER, AssetAlert.NO_MAINTAINER, AssetAlert.NO_INCOME],
        "A-new": [AssetAlert.NO_OWNER, AssetAlert.NO_MAINTAINER],
    }
    # 365 days after its last income the income alert is raised.
    assert alerts(D(2024, 6, 29))["A-kept"] == [AssetAlert.NO_INCOME]
    assert "A-road" not in alerts(D(2024, 7, 1))
    assert bare.code in alerts(D(2024, 7, 1))


def test_the_asset_ledger_is_scoped(gaqa, area, banner_officer, ejina_officer, outsider):
    _asset(gaqa)
    _asset(area(SAIHANTAOLAI_GAQA), "A-ejina")
    root = Area.objects.get(parent__isnull=True)
    assert [a.code for a in selectors.asset_ledger(user=banner_officer, root=root)] == ["A-1"]
    assert [a.code for a in selectors.asset_ledger(user=ejina_officer, root=root)] == ["A-ejina"]
    assert list(selectors.asset_ledger(user=outsider, root=root)) == []


def _income(gaqa, amount, year=2019, source="operation"):
    return services.collective_income_record(
        actor=None, area=gaqa, year=year, source=source, amount=Decimal(amount)
    )


def test_collective_income_is_counted_by_band_per_area(area, banner_officer):
    banner = area(RIGHT_BANNER)
    gaqa = list(
        Area.objects.filter(lft__gt=banner.lft, rgt__lt=banner.rgt, kind="gaqa").order_by("lft")
    )
    assert len(gaqa) >= 6
    _income(gaqa[0], 900_000)
    _income(gaqa[0], 100_000, source="leasing")  # 1,000,000 in all: the top band
    _income(gaqa[1], 500_000)
    _income(gaqa[2], 499_999.99)
    _income(gaqa[3], 50_000)
    _income(gaqa[4], 49_999)
    _income(gaqa[5], 0)
    _income(gaqa[6], 2_000_000, year=2018)
    result = selectors.collective_economy(user=banner_officer, root=banner, year=2019)
    assert result.total.exclusive == [1, 1, 2]
    assert result.total.cumulative == [1, 2, 4]
    assert result.total.below == 1
    assert result.total.none == len(gaqa) - 5
    assert gaqa[5] in result.without_income and gaqa[6] in result.without_income
    assert gaqa[4] not in result.without_income
    assert sum(r.gaqa for r in result.rows) == len(gaqa)
    town = next(r for r in result.rows if r.area.lft <= gaqa[0].lft <= r.area.rgt)
    assert town.exclusive[0] == 1


def test_collective_income_is_kept_per_gaqa_by_its_own_cadres(area, gaqa_cadre, yabulai_cadre):
    with pytest.raises(ValidationFailed):
        services.collective_income_record(
            actor=None, area=area(BADANJILIN), year=2019, source="operation", amount=Decimal(1)
        )
    with pytest.raises(PermissionDenied):
        services.collective_income_record(
            actor=yabulai_cadre,
            area=area(EKENHUDUGE),
            year=2019,
            source="operation",
            amount=Decimal(1),
        )
    row = services.collective_income_record(
        actor=gaqa_cadre, area=area(EKENHUDUGE), year=2019, source="operation", amount=Decimal(1)
    )
    again = services.collective_income_record(
        actor=gaqa_cadre, area=area(EKENHUDUGE), year=2019, source="operation", amount=Decimal(7)
    )
    assert again.pk == row.pk and again.amount == 7


def test_bands_count_only_gaqa_in_the_users_areas(area, ejina_officer):
    _income(area(EKENHUDUGE), 2_000_000)
    result = selectors.collective_economy(user=ejina_officer, root=area(RIGHT_BANNER), year=2019)
    assert result.total.gaqa == 0 and result.total.exclusive == [0, 0, 0]


def test_an_industry_counts_member_and_earning_households_and_their_people(
    gaqa, area, banner_officer
):
    a = household(gaqa, "H-1", "15292219700305123", people=3)
    b = household(gaqa, "H-2", "15292219650707311", people=2)
    c = household(area("152922104201"), "H-3", "15292219800101200", people=1)
    company = services.enterprise_register(
        actor=None,
        name="沙漠之神生物科技有限公司",
        kind="company",
        industry="camel",
        area=area(RIGHT_BANNER),
    )
    coop = services.enterprise_register(
        actor=None,
        name="驼奶合作社",
        kind="cooperative",
        industry="camel",
        area=gaqa,
        partner=company,
    )
    services.cooperative_add_member(
        actor=None, enterprise=coop, household=a, joined_on=D(2018, 1, 1)
    )
    services.cooperative_add_member(
        actor=None, enterprise=coop, household=b, joined_on=D(2018, 1, 1)
    )
    with pytest.raises(DomainError):
        services.cooperative_add_member(
            actor=None, enterprise=coop, household=b, joined_on=D(2018, 1, 1)
        )
    services.chain_income_record(
        actor=None, enterprise=company, household=a, year=2019, amount=Decimal(80000)
    )
    services.chain_income_record(
        actor=None, enterprise=company, household=c, year=2019, amount=Decimal(3600)
    )
    services.purchase_record(
        actor=None,
        enterprise=company,
        date=D(2019, 8, 1),
        product="驼奶",
        quantity_kg=Decimal(11000),
        amount=Decimal(550000),
        seller=coop,
    )
    rows = selectors.industry_beneficiaries(
        user=banner_officer, root=area(RIGHT_BANNER), as_of=D(2019, 12, 31)
    )
    assert {(r.industry, r.area.code, r.households, r.people) for r in rows} == {
        ("camel", BADANJILIN, 2, 5),
        ("camel", "152922104000", 1, 1),
    }
    days = selectors.purchases_by_day(user=banner_officer, enterprise=company, since=D(2019, 1, 1))
    assert [(d.product, d.quantity_kg) for d in days] == [("驼奶", Decimal(11000))]


def test_chain_incomes_hide_household_codes_from_analysts(gaqa, area, analyst, banner_officer):
    a = household(gaqa, "H-1", "15292219700305123")
    company = services.enterprise_register(
        actor=None, name="公司", kind="company", industry="camel", area=area(RIGHT_BANNER)
    )
    services.chain_income_record(
        actor=None, enterprise=company, household=a, year=2019, amount=Decimal(1)
    )
    assert [
        r["household"]
        for r in selectors.chain_income_by_household(
            user=analyst, root=area(RIGHT_BANNER), year=2019
        )
    ] == [None]
    assert [
        r["household"]
        for r in selectors.chain_income_by_household(
            user=banner_officer, root=area(RIGHT_BANNER), year=2019
        )
    ] == ["H-1"]
