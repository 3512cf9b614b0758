"""The registry pages: list, household page and edit forms, as each persona sees them."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest

from conftest import BADANJILIN, EKENHUDUGE
from tuopin.core.choices import AuditKind
from tuopin.core.models import AuditEntry
from tuopin.registry import selectors, services
from tuopin.registry.choices import Education
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.models import Household, HouseholdConditions, HouseholdIncome, Person
from tuopin.registry.services import MemberInput

D = datetime.date
NURIGAI = "152922104201"  # a gaqa of 雅布赖镇, outside 巴丹吉林镇


def an_id(prefix: str, birth: str, serial: str) -> str:
    first17 = f"{prefix}{birth}{serial}"
    return first17 + check_digit(first17)


HEAD_ID = an_id("152922", "19700305", "123")  # odd sequence digit: male
WIFE_ID = an_id("152922", "19721111", "124")  # even: female
SON_ID = an_id("152922", "19980101", "135")
BABY_ID = an_id("152922", "20240301", "246")


def register(area, code, members, household_type="tuopin", **details):
    return services.household_register(
        actor=None,
        code=code,
        area=area,
        household_type=household_type,
        registered_on=D(2014, 6, 1),
        members=members,
        **details,
    )


@pytest.fixture
def household(area):
    return register(
        area(EKENHUDUGE),
        "H-0001",
        [
            MemberInput(name="巴特尔", id_number=HEAD_ID, relation="head", medical_insured=True),
            MemberInput(name="其其格", id_number=WIFE_ID, relation="spouse", medical_insured=True),
            MemberInput(name="苏和", id_number=SON_ID, relation="son", medical_insured=True),
        ],
        tuopin_year=2017,
        phone="13912345678",
        bank_name="农村信用社",
        bank_account="6228480012345678",
    )


@pytest.fixture
def nurigai_household(area):
    return register(
        area(NURIGAI),
        "H-0002",
        [MemberInput(name="孟和", id_number=an_id("152922", "19650707", "311"), relation="head")],
        household_type="poor",
    )


def codes_listed(response) -> list[str]:
    return re.findall(r'href="/registry/([^/"]+)/"', response.content.decode())


def section(response, anchor: str) -> str:
    """The HTML of one ``<section id=...>`` of the household page."""
    html = response.content.decode()
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


# ---------------------------------------------------------------------------------------------
# The list


def test_list_shows_households_in_scope_with_head_members_and_status_but_no_id(
    household, nurigai_household, client_for, banner_officer
):
    response = client_for(banner_officer).get("/registry/")

    assert response.status_code == 200
    assert codes_listed(response) == ["H-0001", "H-0002"]
    html = response.content.decode()
    assert "巴特尔" in html
    assert "孟和" in html
    rows = {h.code: h for h in response.context["page"]}
    assert rows["H-0001"].member_count == 3
    assert rows["H-0001"].status_then == "exited_with_policy"
    assert rows["H-0002"].status_then == "poor"
    assert HEAD_ID not in html
    assert HEAD_ID[:10] not in html


def test_list_filters_by_area_type_status_monitoring_and_failed_guarantee(
    household, nurigai_household, client_for, banner_officer
):
    services.monitoring_start(
        actor=None, household=household, monitor_type="unstable_tuopin", on=D(2023, 4, 1)
    )
    services.conditions_set(
        actor=None,
        household=nurigai_household,
        year=2024,
        housing_grade="C",
        water_quantity=True,
        water_quality=True,
        water_access=True,
        water_reliability=False,
    )
    client = client_for(banner_officer)

    def listed(**params):
        return codes_listed(client.get("/registry/", params))

    assert listed(area_code=BADANJILIN) == ["H-0001"]
    assert listed(area_code=NURIGAI) == ["H-0002"]
    assert listed(household_type="poor") == ["H-0002"]
    assert listed(status="exited_with_policy") == ["H-0001"]
    assert listed(monitor_type="unstable_tuopin") == ["H-0001"]
    assert listed(monitor_type="marginal") == []
    assert listed(failed_guarantee="housing_safety") == ["H-0002"]
    assert listed(failed_guarantee="drinking_water") == ["H-0002"]
    # 孟和 has no medical insurance.
    assert listed(failed_guarantee="basic_medical") == ["H-0002"]
    assert listed(failed_guarantee="food_clothing") == []


def test_list_answers_status_and_monitoring_as_of_the_chosen_date(
    household, client_for, banner_officer
):
    services.household_mark_status(
        actor=None, household=household, status="returned", on=D(2021, 3, 1), reason="因病返贫"
    )
    client = client_for(banner_officer)

    before = client.get("/registry/", {"as_of": "2020-12-31"})
    after = client.get("/registry/", {"as_of": "2021-03-01"})

    assert [h.status_then for h in before.context["page"]] == ["exited_with_policy"]
    assert [h.status_then for h in after.context["page"]] == ["returned"]
    assert (
        codes_listed(client.get("/registry/", {"as_of": "2020-12-31", "status": "returned"})) == []
    )
    assert codes_listed(client.get("/registry/", {"status": "returned"})) == ["H-0001"]


def test_list_search_finds_by_id_number_name_and_code(
    household, nurigai_household, client_for, banner_officer
):
    client = client_for(banner_officer)

    def found(text):
        return codes_listed(client.get("/registry/", {"q": text}))

    assert found(WIFE_ID) == ["H-0001"]
    assert found(WIFE_ID[:14]) == ["H-0001"]
    assert found("其其格") == ["H-0001"]
    assert found("孟") == ["H-0002"]
    assert found("H-0002") == ["H-0002"]
    assert found("h-0001") == ["H-0001"]
    assert found("nobody") == []


def test_an_htmx_request_gets_only_the_results(household, client_for, banner_officer):
    client = client_for(banner_officer)

    partial = client.get("/registry/", {"q": "巴特尔"}, HTTP_HX_REQUEST="true")
    restore = client.get(
        "/registry/",
        {"q": "巴特尔"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    boosted = client.get("/registry/", HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")

    assert "<html" not in partial.content.decode()
    assert 'id="households"' in partial.content.decode()
    assert codes_listed(partial) == ["H-0001"]
    assert "HX-Request" in partial["Vary"]
    assert "<html" in restore.content.decode()
    assert "<html" in boosted.content.decode()


def test_the_filter_form_updates_the_results_as_the_user_types(client_for, banner_officer):
    html = client_for(banner_officer).get("/registry/").content.decode()

    form = html[html.index('<form class="panel filters"') :]
    form = form[: form.index(">")]
    assert 'hx-get="/registry/"' in form
    assert 'hx-target="#results"' in form
    assert 'hx-push-url="true"' in form
    assert "keyup changed delay:400ms" in form
    assert "change" in form


def test_list_pages_take_the_same_number_of_queries_for_3_or_30_households(
    area, client_for, banner_officer, django_assert_max_num_queries
):
    gaqa = area(EKENHUDUGE)

    def add(first, last):
        for n in range(first, last):
            register(
                gaqa,
                f"Q-{n:04d}",
                [
                    MemberInput(
                        name=f"户主{n}",
                        id_number=an_id("152922", "19800101", f"{n:03d}"),
                        relation="head",
                    ),
                    MemberInput(
                        name=f"配偶{n}",
                        id_number=an_id("152922", "19820101", f"{n:03d}"),
                        relation="spouse",
                    ),
                ],
            )

    client = client_for(banner_officer)
    client.get("/registry/")  # the session and its first-visit work
    add(0, 3)
    with django_assert_max_num_queries(9) as small:
        three = client.get("/registry/")
    add(3, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        thirty = client.get("/registry/")

    assert len(three.context["page"]) == 3
    assert len(thirty.context["page"]) == 30
    assert {h.member_count for h in thirty.context["page"]} == {2}
    assert {h.head_name for h in thirty.context["page"]} == {f"户主{n}" for n in range(30)}


def test_the_list_pages_by_fifty(area, client_for, banner_officer):
    gaqa = area(EKENHUDUGE)
    for n in range(51):
        register(
            gaqa,
            f"P-{n:04d}",
            [
                MemberInput(
                    name=f"户主{n}",
                    id_number=an_id("152922", "19800101", f"{n:03d}"),
                    relation="head",
                )
            ],
        )
    client = client_for(banner_officer)

    first = client.get("/registry/")
    second = client.get("/registry/", {"page": 2})

    assert len(codes_listed(first)) == 50
    assert codes_listed(second) == ["P-0050"]


# ---------------------------------------------------------------------------------------------
# Scope


@pytest.mark.parametrize("persona", ["analyst", "supervisor", "outsider"])
def test_roles_without_record_access_get_404_on_the_whole_section(
    persona, household, client_for, request
):
    client = client_for(request.getfixturevalue(persona))

    assert client.get("/registry/").status_code == 404
    assert client.get("/registry/H-0001/").status_code == 404
    assert client.get("/registry/H-0001/edit/").status_code == 404
    assert 'href="/registry/"' not in client.get("/").content.decode()


def test_an_officer_of_another_banner_sees_nothing_and_learns_nothing(
    household, client_for, ejina_officer
):
    client = client_for(ejina_officer)

    assert client.get("/registry/H-0001/").status_code == 404
    assert client.get("/registry/NO-SUCH/").status_code == 404
    assert client.get("/registry/").status_code == 200
    assert codes_listed(client.get("/registry/")) == []
    assert codes_listed(client.get("/registry/", {"q": HEAD_ID})) == []
    assert codes_listed(client.get("/registry/", {"q": "巴特尔"})) == []
    assert codes_listed(client.get("/registry/", {"area_code": EKENHUDUGE})) == []
    response = client.post("/registry/H-0001/edit/", {"phone": "110", "version": household.version})
    assert response.status_code == 404
    assert Household.objects.get(code="H-0001").phone == "13912345678"


def test_a_gaqa_cadre_sees_only_their_town(household, nurigai_household, client_for, gaqa_cadre):
    client = client_for(gaqa_cadre)

    assert codes_listed(client.get("/registry/")) == ["H-0001"]
    assert client.get("/registry/H-0002/").status_code == 404
    assert client.get("/registry/H-0001/").status_code == 200


def test_a_responsible_cadre_sees_the_household_but_no_edit_forms(household, client_for, make_user):
    bangfu = make_user("bangfu", ("responsible_cadre", EKENHUDUGE))
    client = client_for(bangfu)

    page = client.get("/registry/H-0001/")

    assert page.status_code == 200
    assert HEAD_ID in page.content.decode()
    assert "/registry/H-0001/edit/" not in page.content.decode()
    assert "/registry/H-0001/status/" not in page.content.decode()
    assert client.get("/registry/H-0001/edit/").status_code == 404
    posted = client.post(
        "/registry/H-0001/status/", {"status": "returned", "on": "2024-01-01", "reason": "x"}
    )
    assert posted.status_code == 404
    assert selectors.status_as_of(household).status == "exited_with_policy"


# ---------------------------------------------------------------------------------------------
# The household page


def test_the_household_page_shows_full_personal_data_and_logs_one_view_per_page_view(
    household, client_for, banner_officer
):
    client = client_for(banner_officer)
    views = AuditEntry.objects.filter(
        kind=AuditKind.VIEW, object_type="registry.household", object_id=str(household.pk)
    )

    first = client.get("/registry/H-0001/")
    assert views.count() == 1
    client.get("/registry/H-0001/")
    assert views.count() == 2

    html = first.content.decode()
    assert HEAD_ID in html
    assert WIFE_ID in html
    assert "13912345678" in html
    assert "6228480012345678" in html
    assert views.first().actor_name == banner_officer.username
    assert first.context["personal"].unmasked


def test_the_household_page_shows_members_status_and_monitoring_as_of_a_date(
    household, client_for, banner_officer
):
    son = Person.objects.get(id_number=SON_ID)
    services.member_remove(
        actor=None, household=household, person=son, left_on=D(2021, 5, 1), reason="marriage_out"
    )
    services.household_mark_status(
        actor=None, household=household, status="returned", on=D(2022, 3, 1), reason="因病返贫"
    )
    services.monitoring_start(
        actor=None, household=household, monitor_type="unstable_tuopin", on=D(2022, 4, 1)
    )
    client = client_for(banner_officer)

    past = client.get("/registry/H-0001/", {"as_of": "2020-01-01"})
    now = client.get("/registry/H-0001/")

    assert "苏和" in section(past, "members")
    assert SON_ID in section(past, "members")
    assert past.context["status_then"].status == "exited_with_policy"
    assert past.context["monitoring_then"] is None
    assert "苏和" not in section(now, "members")
    assert now.context["status_today"].status == "returned"
    assert now.context["monitoring_today"].monitor_type == "unstable_tuopin"
    assert 'href="/areas/152922103201/"' in now.content.decode()


def test_the_income_formula_is_written_out_with_its_numbers(household, client_for, banner_officer):
    services.income_set(
        actor=None,
        household=household,
        year=2024,
        size=3,
        wage_income="12000",
        business_income="9000.50",
        property_income="0",
        transfer_income="3500",
        business_costs="4000",
    )

    page = client_for(banner_officer).get("/registry/H-0001/")

    incomes = section(page, "incomes")
    assert "(12,000.00 + 9,000.50 + 0.00 + 3,500.00 − 4,000.00) ÷ 3 = <b>6,833.50</b>" in incomes
    assert HouseholdIncome.objects.get().per_capita == Decimal("6833.50")


def test_the_audit_trail_lists_changes_to_the_household_and_its_members(
    household, client_for, banner_officer
):
    services.household_update(actor=banner_officer, household=household, bank_name="工商银行")
    head = Person.objects.get(id_number=HEAD_ID)
    services.person_update(
        actor=banner_officer, household=household, person=head, education="junior"
    )

    page = client_for(banner_officer).get("/registry/H-0001/")

    actions = [row.entry.action for row in page.context["audit_trail"]]
    assert actions == [
        "registry.person.updated",
        "registry.household.updated",
        "registry.household.registered",
    ]
    trail = section(page, "audit-trail")
    assert "工商银行" in trail
    assert str(Education.JUNIOR.label) in trail


# ---------------------------------------------------------------------------------------------
# Edits


def test_household_edit_round_trip(household, client_for, banner_officer):
    client = client_for(banner_officer)
    form = client.get("/registry/H-0001/edit/")
    assert form.status_code == 200
    assert form.context["form"].initial["version"] == 1
    assert form.context["form"].initial["phone"] == "13912345678"

    response = client.post(
        "/registry/H-0001/edit/",
        {
            "attribute": "dibao",
            "main_cause": "illness",
            "tuopin_year": "2018",
            "phone": "13800000000",
            "bank_name": "农业银行",
            "bank_account": "6228000000000000",
            "version": "1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/registry/H-0001/"
    saved = Household.objects.get(code="H-0001")
    assert (saved.attribute, saved.main_cause, saved.tuopin_year) == ("dibao", "illness", 2018)
    assert (saved.phone, saved.bank_name, saved.bank_account) == (
        "13800000000",
        "农业银行",
        "6228000000000000",
    )
    assert saved.version == 2
    # The form showed stored personal data: that is a view, logged.
    assert AuditEntry.objects.filter(
        kind=AuditKind.VIEW, action="registry.household.personal_data_viewed"
    ).exists()


def test_a_stale_household_edit_is_refused_and_nothing_overwritten(
    household, client_for, banner_officer
):
    client = client_for(banner_officer)
    services.household_update(
        actor=None, household=household, expected_version=1, phone="13700000000"
    )

    response = client.post(
        "/registry/H-0001/edit/", {"phone": "13800000000", "bank_name": "", "version": "1"}
    )

    assert response.status_code == 200
    assert response.context["stale"] is True
    assert response.context["form"].non_field_errors()
    html = response.content.decode()
    assert html.index('class="msg msg-error form-errors"') < html.index('name="phone"')
    assert Household.objects.get(code="H-0001").phone == "13700000000"


def test_person_edit_round_trip_and_errors_on_their_fields(household, client_for, banner_officer):
    client = client_for(banner_officer)
    head = Person.objects.get(id_number=HEAD_ID)
    url = f"/registry/H-0001/members/{head.pk}/edit/"
    form = client.get(url)
    assert form.context["form"].initial["name"] == "巴特尔"
    data = {
        "name": "巴特尔",
        "sex": "male",
        "birth_date": "1970-03-05",
        "ethnicity": "蒙古族",
        "education": "junior",
        "schooling": "not_in_school",
        "health": "chronic",
        "labour": "ordinary",
        "medical_insured": "on",
        "pension_insured": "true",
        "version": str(head.version),
    }

    refused = client.post(url, {**data, "sex": "female"})
    saved = client.post(url, data)
    stale = client.post(url, {**data, "health": "healthy"})

    assert refused.status_code == 200
    assert "sex" in refused.context["form"].errors
    assert saved.status_code == 302
    head.refresh_from_db()
    assert (head.education, head.health, head.ethnicity, head.pension_insured) == (
        "junior",
        "chronic",
        "蒙古族",
        True,
    )
    assert stale.status_code == 200
    assert stale.context["stale"] is True
    assert Person.objects.get(pk=head.pk).health == "chronic"


INCOME = {
    "year": "2024",
    "size": "3",
    "wage_income": "12000",
    "business_income": "9000.50",
    "property_income": "0",
    "transfer_income": "3500",
    "business_costs": "4000",
    "compliant_expenses": "0",
}


def test_income_round_trip_prefills_the_year_and_refuses_a_stale_edit(
    household, client_for, banner_officer
):
    client = client_for(banner_officer)
    new = client.get("/registry/H-0001/income/")
    assert new.context["form"].initial["version"] == 0

    created = client.post("/registry/H-0001/income/", {**INCOME, "version": "0"})
    assert created.status_code == 302
    income = HouseholdIncome.objects.get(household=household, year=2024)
    assert income.per_capita == Decimal("6833.50")

    prefilled = client.get("/registry/H-0001/income/", {"year": 2024})
    initial = prefilled.context["form"].initial
    assert initial["version"] == 1
    assert initial["wage_income"] == Decimal("12000.00")

    # The year of a loaded record is fixed: the posted year cannot redirect the edit.
    updated = client.post(
        "/registry/H-0001/income/?year=2024",
        {**INCOME, "year": "2023", "wage_income": "15000", "version": "1"},
    )
    assert updated.status_code == 302
    stale = client.post(
        "/registry/H-0001/income/?year=2024", {**INCOME, "wage_income": "1", "version": "1"}
    )
    assert stale.status_code == 200
    assert stale.context["stale"] is True
    # A second "new" record for a year someone already recorded is stale too.
    again = client.post("/registry/H-0001/income/", {**INCOME, "version": "0"})
    assert again.context["stale"] is True
    assert not HouseholdIncome.objects.filter(household=household, year=2023).exists()
    assert HouseholdIncome.objects.get(household=household, year=2024).wage_income == Decimal(
        "15000.00"
    )

    page = client.get("/registry/H-0001/")
    assert "(15,000.00 + 9,000.50 + 0.00 + 3,500.00 − 4,000.00) ÷ 3 = <b>7,833.50</b>" in (
        section(page, "incomes")
    )


def test_conditions_round_trip(household, client_for, banner_officer):
    client = client_for(banner_officer)
    data = {
        "year": "2024",
        "food_clothing": "on",
        "housing_grade": "C",
        "housing_appraised_on": "2024-05-01",
        "housing_appraised_by": "右旗住建局",
        "water_quantity": "on",
        "water_quality": "on",
        "water_access": "on",
        "relocated": "on",
        "relocation_site": "巴丹吉林镇移民新村",
        "moved_in_on": "2023-10-01",
        "version": "0",
    }

    response = client.post("/registry/H-0001/conditions/", data)

    assert response.status_code == 302
    saved = HouseholdConditions.objects.get(household=household, year=2024)
    assert saved.housing_grade == "C"
    assert saved.water_reliability is False
    assert saved.water_quantity is True
    assert saved.relocation_site == "巴丹吉林镇移民新村"
    prefilled = client.get("/registry/H-0001/conditions/", {"year": 2024})
    assert prefilled.context["form"].initial["version"] == 1
    assert prefilled.context["form"].initial["housing_grade"] == "C"
    page = client.get("/registry/H-0001/")
    assert "巴丹吉林镇移民新村" in section(page, "conditions")
    assert codes_listed(client.get("/registry/", {"failed_guarantee": "drinking_water"})) == [
        "H-0001"
    ]


def version() -> int:
    """The household's version now, as a freshly loaded form carries it."""
    return Household.objects.get(code="H-0001").version


def test_marking_a_status_shows_in_the_timeline(household, client_for, banner_officer):
    client = client_for(banner_officer)

    response = client.post(
        "/registry/H-0001/status/",
        {"status": "returned", "on": "2024-03-01", "reason": "因病返贫", "version": version()},
    )
    before_current = client.post(
        "/registry/H-0001/status/",
        {"status": "poor", "on": "2020-01-01", "reason": "补录", "version": version()},
    )

    assert response.status_code == 302
    assert selectors.status_as_of(household, D(2024, 3, 1)).status == "returned"
    assert before_current.status_code == 200
    assert "on" in before_current.context["form"].errors
    timeline = section(client.get("/registry/H-0001/"), "timeline")
    assert "2024-03-01" in timeline
    assert "因病返贫" in timeline
    assert "补录" not in timeline


def test_adding_and_removing_members(household, client_for, banner_officer):
    client = client_for(banner_officer)
    member = {
        "name": "小宝",
        "id_type": "resident_id",
        "id_number": BABY_ID,
        "relation": "grandson",
        "schooling": "not_in_school",
        "health": "healthy",
        "pension_insured": "unknown",
        "joined_on": "2024-03-01",
        "reason": "birth",
        "note": "",
    }

    bad = client.post(
        "/registry/H-0001/members/add/",
        {**member, "id_number": BABY_ID[:-1] + "0", "version": version()},
    )
    added = client.post("/registry/H-0001/members/add/", {**member, "version": version()})
    son = Person.objects.get(id_number=SON_ID)
    removed = client.post(
        f"/registry/H-0001/members/{son.pk}/remove/",
        {"left_on": "2024-06-01", "reason": "marriage_out", "note": "嫁娶", "version": version()},
    )

    assert bad.status_code == 200
    assert "id_number" in bad.context["form"].errors
    assert added.status_code == 302
    assert removed.status_code == 302
    baby = Person.objects.get(id_number=BABY_ID)
    assert (baby.sex, baby.birth_date) == ("female", D(2024, 3, 1))
    names = sorted(m.person.name for m in selectors.members_as_of(household, D(2024, 7, 1)))
    assert names == ["其其格", "小宝", "巴特尔"]
    assert client.get(f"/registry/H-0001/members/{son.pk}/remove/").status_code == 404
    timeline = section(client.get("/registry/H-0001/"), "timeline")
    assert "小宝" in timeline
    assert "2024-06-01" in timeline


def test_the_head_cannot_be_removed_while_others_remain(household, client_for, banner_officer):
    head = Person.objects.get(id_number=HEAD_ID)

    response = client_for(banner_officer).post(
        f"/registry/H-0001/members/{head.pk}/remove/",
        {"left_on": "2024-06-01", "reason": "death", "version": version()},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert selectors.members_as_of(household).count() == 3


def test_an_edit_post_from_the_right_banner_works_and_from_a_town_outside_is_404(
    household, nurigai_household, client_for, gaqa_cadre, make_user
):
    yabulai = make_user("yabulai", ("gaqa_cadre", "152922104000"))
    data = {"status": "returned", "on": "2024-03-01", "reason": "因病返贫", "version": version()}

    outside = client_for(yabulai).post("/registry/H-0001/status/", data)
    inside = client_for(gaqa_cadre).post("/registry/H-0001/status/", data)

    assert outside.status_code == 404
    assert inside.status_code == 302


def test_a_status_marked_from_a_stale_page_is_refused(household, client_for, banner_officer):
    client = client_for(banner_officer)
    loaded = version()
    first = client.post(
        "/registry/H-0001/status/",
        {"status": "returned", "on": "2024-03-01", "reason": "因病返贫", "version": loaded},
    )
    second = client.post(
        "/registry/H-0001/status/",
        {"status": "newly_identified", "on": "2024-04-01", "reason": "重复", "version": loaded},
    )

    assert first.status_code == 302
    assert second.status_code == 200
    assert selectors.status_as_of(household, D(2024, 5, 1)).status == "returned"
