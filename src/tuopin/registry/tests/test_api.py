from __future__ import annotations

import pytest

from conftest import EKENHUDUGE
from tuopin.accounts.services import token_create
from tuopin.core.models import AuditEntry
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.models import Household


def an_id(birth: str, serial: str) -> str:
    first17 = f"152922{birth}{serial}"
    return first17 + check_digit(first17)


HEAD = an_id("19700305", "123")


@pytest.fixture
def call(client):
    keys = {}

    def request(user, method, path, payload=None):
        if user.pk not in keys:
            keys[user.pk] = token_create(actor=None, user=user, name="t")[1]
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {keys[user.pk]}"}
        if payload is not None:
            kwargs.update(data=payload, content_type="application/json")
        return getattr(client, method)(f"/api/v1/registry{path}", **kwargs)

    return request


@pytest.fixture
def created(call, banner_officer):
    response = call(
        banner_officer,
        "post",
        "/households",
        {
            "code": "API-1",
            "area_code": EKENHUDUGE,
            "household_type": "tuopin",
            "tuopin_year": 2017,
            "registered_on": "2014-06-01",
            "phone": "13912345678",
            "members": [
                {"name": "巴特尔", "id_number": HEAD, "relation": "head", "medical_insured": True}
            ],
        },
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_api_registers_a_household_with_its_members(created, call, banner_officer):
    assert created["code"] == "API-1"
    members = call(banner_officer, "get", "/households/API-1/members").json()
    assert [m["id_number"] for m in members] == [HEAD]
    assert members[0]["sex"] == "male"


def test_api_lists_mask_personal_data(created, call, banner_officer):
    listed = call(banner_officer, "get", f"/households?q={HEAD}").json()
    assert listed["count"] == 1
    assert listed["items"][0]["phone"] == "139****5678"


def test_api_detail_logs_each_unmasked_view(created, call, banner_officer):
    before = AuditEntry.objects.filter(kind="view").count()
    detail = call(banner_officer, "get", "/households/API-1").json()
    assert detail["phone"] == "13912345678"
    assert AuditEntry.objects.filter(kind="view").count() == before + 1


def test_api_refuses_a_stale_patch(created, call, banner_officer):
    first = call(banner_officer, "patch", "/households/API-1", {"version": 1, "phone": "1"})
    assert first.status_code == 200
    stale = call(banner_officer, "patch", "/households/API-1", {"version": 1, "phone": "2"})
    assert stale.status_code == 409
    assert Household.objects.get(code="API-1").phone == "1"


def test_api_reports_field_errors_of_a_bad_member(call, banner_officer):
    response = call(
        banner_officer,
        "post",
        "/households",
        {
            "code": "API-2",
            "area_code": EKENHUDUGE,
            "household_type": "ordinary",
            "registered_on": "2020-01-01",
            "members": [{"name": "甲", "id_number": HEAD[:17] + "0", "relation": "head"}],
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "id_number"
    assert not Household.objects.filter(code="API-2").exists()


def test_api_hides_households_from_other_banners_and_roles(
    created, call, ejina_officer, analyst, outsider
):
    for user in (ejina_officer, analyst, outsider):
        assert call(user, "get", "/households/API-1").status_code == 404
        assert call(user, "get", "/households").json()["count"] == 0
    response = call(
        ejina_officer,
        "put",
        "/households/API-1/incomes/2024",
        {
            "size": 1,
            "wage_income": "1",
            "business_income": "0",
            "property_income": "0",
            "transfer_income": "0",
            "business_costs": "0",
        },
    )
    assert response.status_code == 404


def test_api_income_shows_the_computed_per_capita(created, call, banner_officer):
    response = call(
        banner_officer,
        "put",
        "/households/API-1/incomes/2024",
        {
            "size": 2,
            "wage_income": "10000",
            "business_income": "5000",
            "property_income": "0",
            "transfer_income": "1000",
            "business_costs": "2000",
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["per_capita"] == "7000.00"
