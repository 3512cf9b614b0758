"""What each persona may see, through every door: selectors, pages, API and CLI."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from conftest import BADANJILIN, EJINA, EKENHUDUGE, RIGHT_BANNER, YABULAI
from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import has_capability
from tuopin.accounts.services import token_create
from tuopin.areas.models import Area
from tuopin.areas.selectors import area_queryset


def codes(user) -> set[str]:
    return set(area_queryset(user=user).values_list("code", flat=True))


def cli_export(user) -> list[str]:
    out = StringIO()
    call_command("areas", "export", "--user", user.username, stdout=out)
    return out.getvalue().splitlines()


def api_get(client, user, path):
    _token, key = token_create(actor=None, user=user, name="test")
    return client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {key}")


# -- a gaqa cadre of 巴丹吉林镇 sees only its subtree -------------------------------------


def test_gaqa_cadre_selector_sees_exactly_the_town_subtree(gaqa_cadre, area):
    town = area(BADANJILIN)
    expected = set(Area.objects.filter(town.subtree_q()).values_list("code", flat=True))
    assert codes(gaqa_cadre) == expected
    assert EKENHUDUGE in expected
    assert RIGHT_BANNER not in expected


def test_gaqa_cadre_pages_open_the_town_and_nothing_above_or_beside(client_for, gaqa_cadre):
    client = client_for(gaqa_cadre)
    assert client.get(f"/areas/{BADANJILIN}/").status_code == 200
    assert client.get(f"/areas/{EKENHUDUGE}/").status_code == 200
    for code in (RIGHT_BANNER, YABULAI, EJINA, "152900000000"):
        assert client.get(f"/areas/{code}/").status_code == 404
    page = client.get(f"/areas/{EKENHUDUGE}/").text
    assert "阿拉善右旗" not in page  # breadcrumbs stop at the granted town


def test_gaqa_cadre_api_lists_only_the_town_subtree(client, gaqa_cadre):
    listed = {a["code"] for a in api_get(client, gaqa_cadre, "/areas").json()}
    assert listed == codes(gaqa_cadre)
    assert api_get(client, gaqa_cadre, f"/areas/{RIGHT_BANNER}").status_code == 404


def test_gaqa_cadre_cli_export_lists_only_the_town_subtree(gaqa_cadre):
    lines = cli_export(gaqa_cadre)
    assert lines[0] == "code,parent_code,level,name"
    assert {line.split(",")[0] for line in lines[1:]} == {
        c for c in codes(gaqa_cadre) if Area.objects.get(code=c).is_active
    }


# -- a banner officer of 阿拉善右旗 sees nothing of 额济纳旗 ---------------------------------


def test_banner_officer_sees_nothing_of_another_banner(banner_officer, area):
    visible = codes(banner_officer)
    ejina = area(EJINA)
    ejina_codes = set(Area.objects.filter(ejina.subtree_q()).values_list("code", flat=True))
    assert visible
    assert not visible & ejina_codes


def test_banner_officer_gets_404_for_every_ejina_page(client_for, banner_officer, area):
    client = client_for(banner_officer)
    for code in (EJINA, "152923200000", "152923200201"):
        response = client.get(f"/areas/{code}/")
        assert response.status_code == 404
        assert "额济纳" not in response.text
    home = client.get("/").text
    assert "阿拉善右旗" in home
    assert "额济纳旗" not in home


def test_banner_officer_api_and_cli_hold_nothing_of_ejina(client, banner_officer):
    assert api_get(client, banner_officer, f"/areas/{EJINA}").status_code == 404
    listed = api_get(client, banner_officer, "/areas?q=额济纳").json()
    assert listed == []
    assert not [line for line in cli_export(banner_officer) if line.startswith("152923")]


# -- an outsider with no grant sees nothing ----------------------------------------------


def test_outsider_selectors_return_nothing(outsider):
    assert codes(outsider) == set()


def test_outsider_pages_show_nothing(client_for, outsider):
    client = client_for(outsider)
    home = client.get("/")
    assert home.status_code == 200
    assert 'class="card"' not in home.text
    for code in ("152900000000", RIGHT_BANNER, BADANJILIN):
        assert client.get(f"/areas/{code}/").status_code == 404
    assert client.get("/accounts/users/").status_code == 404
    assert client.get("/accounts/audit/").status_code == 404


def test_outsider_api_returns_nothing(client, outsider):
    assert api_get(client, outsider, "/areas").json() == []
    assert api_get(client, outsider, f"/areas/{RIGHT_BANNER}").status_code == 404
    assert api_get(client, outsider, "/me").json()["grants"] == []


def test_outsider_cli_export_holds_only_the_header(outsider):
    assert cli_export(outsider) == ["code,parent_code,level,name"]


def test_deactivated_user_sees_nothing_despite_grants(banner_officer):
    banner_officer.is_active = False
    banner_officer.save()
    assert codes(banner_officer) == set()


def test_api_without_a_token_is_refused(client, alxa):
    assert client.get("/api/v1/areas").status_code == 401
    assert client.get("/api/v1/areas", HTTP_AUTHORIZATION="Bearer tp_wrong").status_code == 401


@pytest.mark.parametrize("persona", ["analyst", "supervisor"])
def test_aggregate_roles_browse_areas_but_hold_no_record_capability(request, persona):
    user = request.getfixturevalue(persona)
    assert codes(user)
    assert not has_capability(user, Capability.VIEW_RECORDS)
    assert not has_capability(user, Capability.VIEW_PERSONAL_DATA)
