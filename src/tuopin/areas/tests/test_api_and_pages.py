from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import BADANJILIN, EJINA, EKENHUDUGE, RIGHT_BANNER
from tuopin.accounts.services import token_create
from tuopin.areas.models import AreaYearFigure
from tuopin.core.models import AuditEntry


@pytest.fixture
def api(client):
    def call(user, method, path, **kwargs):
        _token, key = token_create(actor=None, user=user, name="t")
        return getattr(client, method)(
            f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {key}", **kwargs
        )

    return call


def test_api_lists_areas_with_a_constant_number_of_queries(
    client, league_officer, banner_officer, django_assert_max_num_queries
):
    keys = [token_create(actor=None, user=u, name="t")[1] for u in (league_officer, banner_officer)]
    sizes = []
    for key in keys:
        # token lookup, its last-used stamp, the grants, the areas
        with django_assert_max_num_queries(4):
            response = client.get("/api/v1/areas", HTTP_AUTHORIZATION=f"Bearer {key}")
        sizes.append(len(response.json()))
    assert sizes[0] > sizes[1] > 40


def test_api_filters_areas_by_parent_and_level(api, banner_officer):
    towns = api(banner_officer, "get", f"/areas?parent={RIGHT_BANNER}").json()
    assert {t["level"] for t in towns} == {"sumu_town"}
    assert len(towns) == 7
    gaqa = api(banner_officer, "get", "/areas?level=village&q=额肯").json()
    assert [g["code"] for g in gaqa] == [EKENHUDUGE]


def test_api_sets_figures_and_detects_a_stale_version(api, banner_officer):
    path = f"/areas/{EKENHUDUGE}/figures/2024"
    first = api(
        banner_officer, "put", path, data={"rural_population": 300}, content_type="application/json"
    )
    assert first.status_code == 200
    assert first.json()["version"] == 1
    api(
        banner_officer,
        "put",
        path,
        data={"rural_population": 310, "version": 1},
        content_type="application/json",
    )
    stale = api(
        banner_officer,
        "put",
        path,
        data={"rural_population": 999, "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "concurrent_edit"
    assert AreaYearFigure.objects.get().rural_population == 310


def test_api_refuses_figures_to_a_role_without_the_capability(api, analyst):
    response = api(
        analyst,
        "put",
        f"/areas/{EKENHUDUGE}/figures/2024",
        data={"rural_population": 1},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not AreaYearFigure.objects.exists()


def test_api_hides_figures_of_another_banner(api, banner_officer):
    response = api(
        banner_officer,
        "put",
        f"/areas/{EJINA}/figures/2024",
        data={"rural_population": 1},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_area_page_uses_a_constant_number_of_queries(
    client_for, league_officer, django_assert_max_num_queries
):
    client = client_for(league_officer)
    with django_assert_max_num_queries(14):
        response = client.get("/areas/152921000000/")  # the banner with most units
    assert response.status_code == 200
    assert response.text.count("<tr") == 20  # header row and 19 sumu/towns/subdistricts


def test_figures_page_saves_and_refuses_a_stale_form(client_for, banner_officer):
    client = client_for(banner_officer)
    url = f"/areas/{BADANJILIN}/figures/"
    assert client.post(url, {"year": 2024, "rural_population": 2000}).status_code == 302
    stale = client.post(url, {"year": 2024, "rural_population": 2100, "version": 0})
    # version 0 means "the form saw no figure"; one exists now, so nothing is written
    assert stale.status_code == 200
    assert AreaYearFigure.objects.get().rural_population == 2000
    edit = client.get(url + "?year=2024")
    assert 'name="version" value="1"' in edit.text


def test_figures_page_is_closed_to_roles_that_cannot_edit(client_for, gaqa_cadre):
    assert client_for(gaqa_cadre).get(f"/areas/{BADANJILIN}/figures/").status_code == 404


def test_figures_upload_reports_rows_and_writes_nothing(client_for, banner_officer):
    bad = SimpleUploadedFile(
        "f.csv", f"code,year,rural_population\n{EKENHUDUGE},2024,abc\n".encode("gb18030")
    )
    response = client_for(banner_officer).post("/areas/figures/import/", {"file": bad})
    assert response.status_code == 200
    assert "rural_population" in response.text
    assert "abc" in response.text
    assert not AreaYearFigure.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="areas.figure").exists()
