"""The pages: scoped to the user's areas, the next step only for the office it needs."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import EKENHUDUGE, RIGHT_BANNER, SAIHANTAOLAI_GAQA
from tuopin.projects import services
from tuopin.projects.choices import ProjectState
from tuopin.projects.tests.factories import D, approved, household, project

pytestmark = pytest.mark.django_db


def test_the_list_shows_only_projects_in_the_users_banner(area, client_for, banner_officer):
    project(area(EKENHUDUGE), code="P-you")
    project(area(SAIHANTAOLAI_GAQA), code="P-ejina")
    page = client_for(banner_officer).get("/projects/")
    assert page.status_code == 200
    assert b"P-you" in page.content and b"P-ejina" not in page.content
    assert client_for(banner_officer).get("/projects/P-ejina/").status_code == 404


def test_an_outsider_gets_no_project_pages(client_for, outsider, area):
    project(area(EKENHUDUGE))
    client = client_for(outsider)
    for url in ("/projects/", "/projects/P-1/", "/projects/funds/", "/projects/assets/"):
        assert client.get(url).status_code == 404


def test_the_cadre_records_the_gaqa_publicity_from_the_project_page(area, client_for, gaqa_cadre):
    p = project(area(EKENHUDUGE))
    client = client_for(gaqa_cadre)
    page = client.get("/projects/P-1/")
    assert b'id="step-form"' in page.content
    response = client.post("/projects/P-1/", {"start_date": "2019-03-01", "end_date": "2019-03-07"})
    assert response.status_code == 302
    assert p.publicities.get().level == "village"
    page = client.get("/projects/P-1/")
    assert b'id="step-form"' not in page.content  # the town's publicity is not theirs
    assert (
        client.post(
            "/projects/P-1/", {"start_date": "2019-03-08", "end_date": "2019-03-09"}
        ).status_code
        == 404
    )


def test_a_refused_step_shows_why(area, client_for, banner_officer):
    p = approved(project(area(EKENHUDUGE)))
    page = client_for(banner_officer).post(f"/projects/{p.code}/", {})
    assert page.status_code == 200
    assert "100000" in page.content.decode()
    p.refresh_from_db()
    assert p.state == ProjectState.APPROVED


def test_the_fund_report_downloads_as_a_workbook(area, client_for, banner_officer):
    p = approved(project(area(EKENHUDUGE)))
    services.fund_allocate(
        actor=None,
        project=p,
        source="east_west",
        year=2019,
        amount=Decimal("80000"),
        allocated_on=D(2019, 4, 5),
    )
    client = client_for(banner_officer)
    page = client.get("/projects/funds/")
    assert "80000" in page.content.decode()
    response = client.get(f"/projects/funds/?area={RIGHT_BANNER}&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(min_row=3, values_only=True))
    assert values[0][1:] == (2019, 1, 80000, 0, 80000)


def test_the_asset_and_economy_and_industry_pages_render(area, client_for, league_officer):
    services.asset_register(
        actor=None,
        code="A-1",
        name="驼圈",
        kind="operating",
        area=area(EKENHUDUGE),
        value=Decimal(1),
        registered_on=D(2019, 1, 1),
    )
    services.collective_income_record(
        actor=None, area=area(EKENHUDUGE), year=2019, source="operation", amount=Decimal(60000)
    )
    h = household(area(EKENHUDUGE), "H-1", "15292219700305123")
    coop = services.enterprise_register(
        actor=None, name="驼奶合作社", kind="cooperative", industry="camel", area=area(EKENHUDUGE)
    )
    services.cooperative_add_member(
        actor=None, enterprise=coop, household=h, joined_on=D(2018, 1, 1)
    )
    client = client_for(league_officer)
    assets = client.get("/projects/assets/").content.decode()
    assert "A-1" in assets and 'id="asset-alerts"' in assets
    economy = client.get("/projects/collective-economy/?year=2019").content.decode()
    assert 'id="band-table"' in economy
    industries = client.get("/projects/industries/").content.decode()
    assert "驼奶合作社" in industries
