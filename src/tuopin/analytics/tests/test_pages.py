from __future__ import annotations

import io

from openpyxl import load_workbook

from conftest import ALXA, EJINA, EKENHUDUGE, RIGHT_BANNER
from tuopin.analytics.tests.conftest import AFTER, BEFORE


def test_statistics_start_at_the_users_top_area(registry, client_for, banner_officer):
    response = client_for(banner_officer).get("/stats/")
    assert response.status_code == 302
    assert response.url == f"/stats/{RIGHT_BANNER}/"


def test_area_page_shows_indicators_children_and_chart_data(registry, client_for, league_officer):
    response = client_for(league_officer).get(f"/stats/{ALXA}/?as_of={AFTER.isoformat()}")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="chart-data"' in page
    charts = response.context["charts"]
    assert charts["children"]["kind"] == "bar"
    by_banner = dict(
        zip(charts["children"]["categories"], charts["children"]["series"][0]["data"], strict=True)
    )
    assert by_banner["阿拉善右旗"] == 2
    assert by_banner["额济纳旗"] == 4
    assert f'href="/stats/{RIGHT_BANNER}/?as_of={AFTER.isoformat()}"' in page
    assert response.context["v"]["households"] == 4
    assert 'data-key="poor_persons">6<' in page


def test_the_as_of_date_changes_the_figures(registry, client_for, league_officer):
    response = client_for(league_officer).get(f"/stats/{ALXA}/?as_of={BEFORE.isoformat()}")
    assert response.context["v"]["persons"] == 10
    assert response.context["v"]["poor_persons"] == 0


def test_areas_outside_the_grants_are_not_found(registry, client_for, ejina_officer, outsider):
    client = client_for(ejina_officer)
    assert client.get(f"/stats/{RIGHT_BANNER}/?as_of={AFTER.isoformat()}").status_code == 404
    assert client.get(f"/stats/{EJINA}/?as_of={AFTER.isoformat()}").status_code == 200
    # The league page is not theirs, and its children would show the other banners.
    assert client.get(f"/stats/{ALXA}/").status_code == 404
    client.force_login(outsider)
    assert client.get("/stats/").status_code == 404
    assert client.get(f"/stats/{EJINA}/export.xlsx").status_code == 404


def test_analyst_sees_aggregates_with_small_counts_hidden(registry, client_for, analyst):
    response = client_for(analyst).get(f"/stats/{EKENHUDUGE}/?as_of={AFTER.isoformat()}")
    assert response.status_code == 200
    assert response.context["v"]["households"] is None
    assert response.context["v"]["persons"] == 8
    assert "fewer than 5" in response.content.decode() or "少于5" in response.content.decode()


def test_navigation_has_statistics_for_aggregate_roles(registry, client_for, analyst):
    page = client_for(analyst).get(f"/stats/{ALXA}/?as_of={AFTER.isoformat()}").content.decode()
    assert 'href="/stats/"' in page


def test_excel_download_of_a_charts_table_and_of_every_indicator(
    registry, client_for, league_officer
):
    client = client_for(league_officer)
    response = client.get(f"/stats/{ALXA}/export.xlsx?as_of={AFTER.isoformat()}&table=children")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    banner = next(r for r in rows if r[1] == RIGHT_BANNER)
    assert banner[2:5] == (3, 8, 2)  # households, people, poor people
    response = client.get(f"/stats/{ALXA}/export.xlsx?as_of={AFTER.isoformat()}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    values = {r[2]: r[1] for r in rows[2:] if len(r) > 2 and r[2]}
    assert values["households"] == 4
    assert values["poor_persons"] == 6
    assert client.get(f"/stats/{ALXA}/export.xlsx?table=nope").status_code == 404
