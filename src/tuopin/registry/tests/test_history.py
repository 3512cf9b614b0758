from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from conftest import EJINA, EKENHUDUGE, SAIHANTAOLAI_GAQA
from tuopin.core.errors import ConcurrentEdit, DomainError, PermissionDenied, ValidationFailed
from tuopin.core.models import AuditEntry
from tuopin.registry import selectors, services
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.models import Household, HouseholdIncome, Membership, Person
from tuopin.registry.services import MemberInput

D = datetime.date


def an_id(prefix: str, birth: str, serial: str) -> str:
    first17 = f"{prefix}{birth}{serial}"
    return first17 + check_digit(first17)


HEAD_ID = an_id("152922", "19700305", "123")  # odd sequence digit: male
WIFE_ID = an_id("152922", "19721111", "124")  # even: female
SON_ID = an_id("152922", "19980101", "135")


def members() -> list[MemberInput]:
    return [
        MemberInput(
            name="巴特尔",
            id_number=HEAD_ID,
            relation="head",
            labour="ordinary",
            medical_insured=True,
        ),
        MemberInput(name="其其格", id_number=WIFE_ID, relation="spouse", medical_insured=True),
        MemberInput(name="苏和", id_number=SON_ID, relation="son", medical_insured=True),
    ]


@pytest.fixture
def household(area):
    return services.household_register(
        actor=None,
        code="H-0001",
        area=area(EKENHUDUGE),
        household_type="tuopin",
        registered_on=D(2014, 6, 1),
        members=members(),
        tuopin_year=2017,
        phone="13912345678",
    )


def test_registration_derives_sex_and_birth_from_the_id_and_opens_history(household):
    head = Person.objects.get(id_number=HEAD_ID)
    assert head.sex == "male"
    assert head.birth_date == D(1970, 3, 5)
    assert selectors.members_as_of(household, D(2020, 1, 1)).count() == 3
    assert selectors.status_as_of(household, D(2020, 1, 1)).status == "exited_with_policy"
    assert AuditEntry.objects.filter(action="registry.household.registered").count() == 1


def test_members_are_answered_as_of_any_date(household):
    son = Person.objects.get(id_number=SON_ID)
    services.member_remove(
        actor=None, household=household, person=son, left_on=D(2021, 5, 1), reason="marriage_out"
    )
    baby = MemberInput(
        name="小宝", id_number=an_id("152922", "20220301", "246"), relation="grandson"
    )
    services.member_add(
        actor=None, household=household, member=baby, joined_on=D(2022, 3, 1), reason="birth"
    )
    names = lambda on: sorted(m.person.name for m in selectors.members_as_of(household, on))  # noqa: E731
    assert names(D(2020, 12, 31)) == ["其其格", "巴特尔", "苏和"]
    assert names(D(2021, 5, 1)) == ["其其格", "巴特尔"]
    assert names(D(2023, 1, 1)) == ["其其格", "小宝", "巴特尔"]
    assert names(D(2014, 5, 31)) == []


def test_status_is_answered_as_of_any_date(household):
    services.household_mark_status(
        actor=None, household=household, status="returned", on=D(2021, 3, 1), reason="因病返贫"
    )
    services.household_mark_status(
        actor=None,
        household=household,
        status="exited_with_policy",
        on=D(2022, 12, 1),
        reason="稳定脱贫",
    )
    assert selectors.status_as_of(household, D(2021, 2, 28)).status == "exited_with_policy"
    assert selectors.status_as_of(household, D(2021, 3, 1)).status == "returned"
    assert selectors.status_as_of(household, D(2022, 12, 1)).status == "exited_with_policy"
    entry = AuditEntry.objects.filter(action="registry.household.status_marked").order_by("id")[0]
    assert entry.diff["status"] == ["exited_with_policy", "returned"]


def test_monitoring_flag_has_identification_and_elimination_dates(household):
    services.monitoring_start(
        actor=None, household=household, monitor_type="unstable_tuopin", on=D(2021, 4, 1)
    )
    services.monitoring_end(actor=None, household=household, on=D(2022, 1, 15), reason="收入稳定")
    assert selectors.monitoring_as_of(household, D(2021, 3, 31)) is None
    assert selectors.monitoring_as_of(household, D(2021, 6, 1)).monitor_type == "unstable_tuopin"
    assert selectors.monitoring_as_of(household, D(2022, 1, 15)) is None


def test_the_same_id_cannot_be_active_in_two_households(household, area):
    with pytest.raises(ValidationFailed) as refused:
        services.household_register(
            actor=None,
            code="H-0002",
            area=area(EKENHUDUGE),
            household_type="ordinary",
            registered_on=D(2020, 1, 1),
            members=[MemberInput(name="巴特尔", id_number=HEAD_ID, relation="head")],
        )
    assert refused.value.errors[0].code == "registry.member.active_elsewhere"
    assert "H-0001" in str(refused.value.errors[0])
    assert not Household.objects.filter(code="H-0002").exists()


def test_a_duplicate_in_another_banner_is_refused_without_naming_it(household, area, make_user):
    ejina = make_user("ejina_cadre", ("gaqa_cadre", EJINA))
    with pytest.raises(ValidationFailed) as refused:
        services.household_register(
            actor=ejina,
            code="E-0001",
            area=area(SAIHANTAOLAI_GAQA),
            household_type="ordinary",
            registered_on=D(2020, 1, 1),
            members=[MemberInput(name="巴特尔", id_number=HEAD_ID, relation="head")],
        )
    assert "H-0001" not in str(refused.value.errors[0])


def test_a_split_moves_members_into_a_new_household_keeping_history(household):
    son = Person.objects.get(id_number=SON_ID)
    new = services.household_split(
        actor=None,
        household=household,
        new_code="H-0001-1",
        people=[son],
        new_head=son,
        on=D(2023, 1, 1),
    )
    assert [m.person for m in selectors.members_as_of(new, D(2023, 1, 2))] == [son]
    assert selectors.members_as_of(new, D(2023, 1, 2)).get().relation == "head"
    assert son in [m.person for m in selectors.members_as_of(household, D(2022, 12, 31))]
    assert son not in [m.person for m in selectors.members_as_of(household, D(2023, 1, 1))]
    assert selectors.status_as_of(new, D(2023, 1, 1)).status == "exited_with_policy"


def test_closing_ends_memberships_but_keeps_everything(household):
    services.household_close(
        actor=None, household=household, closed_on=D(2024, 2, 1), reason="全户迁出"
    )
    assert selectors.members_as_of(household, D(2024, 2, 1)).count() == 0
    assert selectors.members_as_of(household, D(2024, 1, 31)).count() == 3
    assert Membership.objects.filter(household=household).count() == 3


def test_head_cannot_leave_while_others_remain(household):
    head = Person.objects.get(id_number=HEAD_ID)
    with pytest.raises(DomainError):
        services.member_remove(
            actor=None, household=household, person=head, left_on=D(2024, 1, 1), reason="death"
        )


def test_net_income_per_capita_is_computed_by_the_formula(household):
    income = services.income_set(
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
    income = HouseholdIncome.objects.get(pk=income.pk)
    assert income.net_income == Decimal("20500.50")
    assert income.per_capita == Decimal("6833.50")


def test_a_stale_income_edit_is_refused(household):
    first = services.income_set(
        actor=None,
        household=household,
        year=2024,
        size=3,
        wage_income=1,
        business_income=1,
        property_income=0,
        transfer_income=0,
        business_costs=0,
    )
    services.income_set(
        actor=None, household=household, year=2024, expected_version=first.version, wage_income=2
    )
    with pytest.raises(ConcurrentEdit):
        services.income_set(
            actor=None,
            household=household,
            year=2024,
            expected_version=first.version,
            wage_income=3,
        )
    assert HouseholdIncome.objects.get().wage_income == Decimal(2)


def test_a_negative_amount_is_refused(household):
    with pytest.raises(ValidationFailed) as refused:
        services.income_set(
            actor=None,
            household=household,
            year=2024,
            size=3,
            wage_income=-1,
            business_income=0,
            property_income=0,
            transfer_income=0,
            business_costs=0,
        )
    assert refused.value.errors[0].field == "wage_income"
    assert not HouseholdIncome.objects.exists()


def test_an_officer_of_another_banner_cannot_edit(household, ejina_officer):
    with pytest.raises(PermissionDenied):
        services.household_update(actor=ejina_officer, household=household, phone="1")


def test_a_stale_household_edit_is_refused_and_nothing_overwritten(household, banner_officer):
    services.household_update(
        actor=banner_officer, household=household, expected_version=1, phone="13800000000"
    )
    with pytest.raises(ConcurrentEdit):
        services.household_update(
            actor=banner_officer, household=household, expected_version=1, phone="13999999999"
        )
    household.refresh_from_db()
    assert household.phone == "13800000000"


def test_sex_that_disagrees_with_the_id_is_refused(area):
    with pytest.raises(ValidationFailed) as refused:
        services.household_register(
            actor=None,
            code="H-9",
            area=area(EKENHUDUGE),
            household_type="ordinary",
            registered_on=D(2020, 1, 1),
            members=[MemberInput(name="甲", id_number=HEAD_ID, relation="head", sex="female")],
        )
    assert refused.value.errors[0].field == "sex"


def test_masking_and_logging_of_personal_data(household, banner_officer, analyst, make_user):
    members_ = list(selectors.members_as_of(household))
    seen = selectors.household_personal_view(
        user=banner_officer, household=household, members=members_
    )
    assert seen.unmasked
    assert seen.values["phone"] == "13912345678"
    assert AuditEntry.objects.filter(kind="view", actor=banner_officer).count() == 1
    responsible = make_user("watcher", ("supervisor", EKENHUDUGE))
    masked = selectors.household_personal_view(
        user=responsible, household=household, members=members_
    )
    assert not masked.unmasked
    assert masked.values["phone"] == "139****5678"
    head = Person.objects.get(id_number=HEAD_ID)
    assert masked.values[f"id_number:{head.pk}"] == HEAD_ID[:6] + "********" + HEAD_ID[-4:]
    assert AuditEntry.objects.filter(kind="view", actor=responsible).count() == 0


def test_household_search_finds_by_id_name_and_code(household, banner_officer, ejina_officer):
    find = lambda user, text: list(  # noqa: E731
        selectors.household_list(user=user, filters=selectors.HouseholdFilters(search=text))
    )
    assert find(banner_officer, HEAD_ID) == [household]
    assert find(banner_officer, "其其格") == [household]
    assert find(banner_officer, "H-0001") == [household]
    assert find(ejina_officer, HEAD_ID) == []
