"""The demo loader: the seeds' figures come out of the selectors that show them."""

from __future__ import annotations

import pytest

from conftest import RIGHT_BANNER
from tuopin.projects import selectors
from tuopin.projects.demo import load_projects_demo
from tuopin.projects.models import Enterprise, Project, Purchase
from tuopin.projects.tests.factories import D, household

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_2019_bands_the_camel_chain_and_the_projects(area, league_officer):
    banner = area(RIGHT_BANNER)
    gaqa = list(banner.children.first().children.filter(kind="gaqa").order_by("code"))
    household(gaqa[0], "H-1", "15292219700305123", people=3)
    household(gaqa[1], "H-2", "15292219650707311", people=2)

    first = load_projects_demo(seed=7)
    assert load_projects_demo(seed=7)["projects"] == 0

    economy = selectors.collective_economy(user=league_officer, root=banner, year=2019)
    assert economy.total.gaqa == 40
    assert economy.total.exclusive == [4, 11, 19]
    assert economy.total.cumulative == [4, 15, 34]
    assert economy.total.below == 6 and economy.without_income == []

    assert first["members"] == 2
    assert set(Enterprise.objects.values_list("kind", flat=True)) == {
        "company",
        "research",
        "base",
        "cooperative",
    }
    daily = [p.quantity_kg for p in Purchase.objects.all()]
    assert len(daily) == 31 and all(10_000 <= q <= 12_000 for q in daily)
    rows = selectors.industry_beneficiaries(user=league_officer, root=banner, as_of=D(2019, 12, 31))
    assert sum(r.households for r in rows) == 2 and sum(r.people for r in rows) == 5

    assert Project.objects.get(code="YQ-2019-001").state == "announced"
    funds = selectors.fund_report(user=league_officer, root=area("152900000000"))
    savings = [r for r in funds if r.source == "unit_savings"]
    assert sum(r.allocated for r in savings) == 150000
    assert all(r.balance >= 0 for r in funds)
    alerts = selectors.asset_alerts(user=league_officer, root=banner, as_of=D(2020, 1, 15))
    assert {a.asset.code: a.alerts for a in alerts} == {"YQ-ZC-002": ["no_maintainer"]}
