"""REST endpoints of the registry: one per operation, scoped and masked like the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers
from tuopin.areas.models import Area
from tuopin.areas.selectors import area_get
from tuopin.core.audit import log_personal_view
from tuopin.core.errors import DomainError
from tuopin.registry import selectors, services
from tuopin.registry.idnumbers import mask, mask_account, mask_phone
from tuopin.registry.models import Household, HouseholdConditions, HouseholdIncome, Person

router = Router(tags=["registry"])


class HouseholdFilterIn(Schema):
    area: str = ""
    household_type: str = ""
    status: str = ""
    monitor_type: str = ""
    failed_guarantee: str = ""
    q: str = ""
    as_of: datetime.date | None = None
    limit: int = 50
    offset: int = 0


class HouseholdOut(Schema):
    code: str
    area_code: str
    household_type: str
    attribute: str
    main_cause: str
    tuopin_year: int | None
    phone: str
    bank_name: str
    bank_account: str
    closed_on: datetime.date | None
    version: int


class HouseholdPage(Schema):
    count: int
    items: list[HouseholdOut]


class MemberOut(Schema):
    person_id: int
    name: str
    id_type: str
    id_number: str
    relation: str
    sex: str
    birth_date: datetime.date | None
    ethnicity: str
    education: str
    schooling: str
    health: str
    labour: str
    medical_insured: bool
    pension_insured: bool | None
    joined_on: datetime.date
    version: int


class MemberIn(Schema):
    name: str
    id_number: str
    relation: str
    id_type: str = "resident_id"
    sex: str = ""
    birth_date: datetime.date | None = None
    ethnicity: str = ""
    education: str = ""
    schooling: str = "not_in_school"
    health: str = "healthy"
    labour: str = ""
    medical_insured: bool = False
    pension_insured: bool | None = None


class HouseholdIn(Schema):
    code: str
    area_code: str
    household_type: str
    registered_on: datetime.date
    members: list[MemberIn]
    attribute: str = ""
    main_cause: str = ""
    tuopin_year: int | None = None
    phone: str = ""
    bank_name: str = ""
    bank_account: str = ""


class HouseholdPatch(Schema):
    version: int
    attribute: str | None = None
    main_cause: str | None = None
    tuopin_year: int | None = None
    phone: str | None = None
    bank_name: str | None = None
    bank_account: str | None = None


class MemberAddIn(Schema):
    member: MemberIn
    joined_on: datetime.date
    reason: str


class MemberPatch(Schema):
    version: int
    name: str | None = None
    ethnicity: str | None = None
    education: str | None = None
    schooling: str | None = None
    health: str | None = None
    labour: str | None = None
    medical_insured: bool | None = None
    pension_insured: bool | None = None


class IncomeIn(Schema):
    size: int
    wage_income: Decimal
    business_income: Decimal
    property_income: Decimal
    transfer_income: Decimal
    business_costs: Decimal
    compliant_expenses: Decimal = Decimal(0)
    version: int | None = None


class IncomeOut(IncomeIn):
    year: int
    net_income: Decimal
    per_capita: Decimal


class ConditionsIn(Schema):
    food_clothing: bool = True
    housing_grade: str
    housing_appraised_on: datetime.date | None = None
    housing_appraised_by: str = ""
    water_quantity: bool
    water_quality: bool
    water_access: bool
    water_reliability: bool
    relocated: bool = False
    relocation_site: str = ""
    moved_in_on: datetime.date | None = None
    version: int | None = None


class ConditionsOut(ConditionsIn):
    year: int


def _household(request: HttpRequest, code: str) -> Household:
    try:
        return selectors.household_get(user=request.user, code=code)
    except Household.DoesNotExist as exc:
        raise Http404(_("No such household.")) from exc


def _may_see_personal(request: HttpRequest, household: Household) -> bool:
    return covers(request.user, Capability.VIEW_PERSONAL_DATA, household.area)


def _household_out(household: Household, *, unmasked: bool) -> dict[str, Any]:
    return {
        "code": household.code,
        "area_code": household.area.code,
        "household_type": household.household_type,
        "attribute": household.attribute,
        "main_cause": household.main_cause,
        "tuopin_year": household.tuopin_year,
        "phone": household.phone if unmasked else mask_phone(household.phone),
        "bank_name": household.bank_name,
        "bank_account": household.bank_account
        if unmasked
        else mask_account(household.bank_account),
        "closed_on": household.closed_on,
        "version": household.version,
    }


@router.get("/households", response=HouseholdPage, summary="Households in the caller's scope")
def household_list(request: HttpRequest, filters: Query[HouseholdFilterIn]) -> dict[str, Any]:
    qs = selectors.household_list(
        user=request.user,
        filters=selectors.HouseholdFilters(
            area_code=filters.area,
            household_type=filters.household_type,
            status=filters.status,
            monitor_type=filters.monitor_type,
            failed_guarantee=filters.failed_guarantee,
            search=filters.q,
            as_of=filters.as_of,
        ),
    )
    limit = max(1, min(filters.limit, 500))
    page = list(qs[filters.offset : filters.offset + limit])
    # Lists never carry personal data unmasked: a list is not a view of one household.
    return {"count": qs.count(), "items": [_household_out(h, unmasked=False) for h in page]}


@router.get("/households/{code}", response=HouseholdOut, summary="One household")
def household_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    household = _household(request, code)
    unmasked = _may_see_personal(request, household)
    if unmasked:
        log_personal_view(
            actor=request.user,
            subject=household,
            fields=["phone", "bank_account"],
            area_code=household.area.code,
            purpose="api",
        )
    return _household_out(household, unmasked=unmasked)


@router.post("/households", response={201: HouseholdOut}, summary="Register a household")
def household_create(request: HttpRequest, payload: HouseholdIn) -> Status[dict[str, Any]]:
    try:
        area = area_get(
            user=request.user, code=payload.area_code, capability=Capability.EDIT_RECORDS
        )
    except Area.DoesNotExist as exc:
        raise DomainError(
            "registry.household.area_unknown",
            _("No gaqa or village you may edit has this code."),
            field="area_code",
        ) from exc
    data = payload.dict()
    members = [services.MemberInput(**m) for m in data.pop("members")]
    household = services.household_register(
        actor=request.user,
        code=data.pop("code"),
        area=area,
        household_type=data.pop("household_type"),
        registered_on=data.pop("registered_on"),
        members=members,
        **{k: v for k, v in data.items() if k != "area_code"},
    )
    return Status(201, _household_out(household, unmasked=True))


@router.patch("/households/{code}", response=HouseholdOut, summary="Change a household's fields")
def household_patch(request: HttpRequest, code: str, payload: HouseholdPatch) -> dict[str, Any]:
    household = _household(request, code)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    household = services.household_update(
        actor=request.user, household=household, expected_version=version, **changes
    )
    return _household_out(household, unmasked=_may_see_personal(request, household))


def _member_out(ms: Any, *, unmasked: bool) -> dict[str, Any]:
    p = ms.person
    return {
        "person_id": p.pk,
        "name": p.name,
        "id_type": p.id_type,
        "id_number": p.id_number if unmasked else mask(p.id_number),
        "relation": ms.relation,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "ethnicity": p.ethnicity,
        "education": p.education,
        "schooling": p.schooling,
        "health": p.health if unmasked else "",
        "labour": p.labour,
        "medical_insured": p.medical_insured,
        "pension_insured": p.pension_insured,
        "joined_on": ms.valid_from,
        "version": p.version,
    }


@router.get("/households/{code}/members", response=list[MemberOut], summary="Members as of a date")
def member_list(
    request: HttpRequest, code: str, as_of: datetime.date | None = None
) -> list[dict[str, Any]]:
    household = _household(request, code)
    members = list(selectors.members_as_of(household, as_of))
    unmasked = _may_see_personal(request, household)
    if unmasked and members:
        log_personal_view(
            actor=request.user,
            subject=household,
            fields=["id_number", "health"],
            area_code=household.area.code,
            purpose="api",
        )
    return [_member_out(ms, unmasked=unmasked) for ms in members]


@router.post("/households/{code}/members", response={201: MemberOut}, summary="Add a member")
def member_add(request: HttpRequest, code: str, payload: MemberAddIn) -> Status[dict[str, Any]]:
    household = _household(request, code)
    membership = services.member_add(
        actor=request.user,
        household=household,
        member=services.MemberInput(**payload.member.dict()),
        joined_on=payload.joined_on,
        reason=payload.reason,
    )
    return Status(201, _member_out(membership, unmasked=True))


@router.patch(
    "/households/{code}/members/{person_id}", response=MemberOut, summary="Change a member's data"
)
def member_patch(
    request: HttpRequest, code: str, person_id: int, payload: MemberPatch
) -> dict[str, Any]:
    household = _household(request, code)
    membership = selectors.members_as_of(household).filter(person_id=person_id).first()
    if membership is None:
        raise Http404(_("No such member."))
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    services.person_update(
        actor=request.user,
        household=household,
        person=membership.person,
        expected_version=version,
        **changes,
    )
    membership.person = Person.objects.get(pk=person_id)
    return _member_out(membership, unmasked=_may_see_personal(request, household))


def _income_out(income: HouseholdIncome) -> dict[str, Any]:
    return {
        "year": income.year,
        "version": income.version,
        "net_income": income.computed_net_income,
        "per_capita": income.per_capita,
        **{k: getattr(income, k) for k in services.INCOME_FIELDS},
    }


@router.get("/households/{code}/incomes", response=list[IncomeOut], summary="Income by year")
def income_list(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    return [_income_out(i) for i in selectors.incomes(_household(request, code))]


@router.put("/households/{code}/incomes/{year}", response=IncomeOut, summary="Set a year's income")
def income_put(request: HttpRequest, code: str, year: int, payload: IncomeIn) -> dict[str, Any]:
    values = payload.dict()
    version = values.pop("version")
    income = services.income_set(
        actor=request.user,
        household=_household(request, code),
        year=year,
        expected_version=version,
        **values,
    )
    return _income_out(income)


def _conditions_out(c: HouseholdConditions) -> dict[str, Any]:
    return {
        "year": c.year,
        "version": c.version,
        **{k: getattr(c, k) for k in services.CONDITION_FIELDS},
    }


@router.get(
    "/households/{code}/conditions",
    response=list[ConditionsOut],
    summary="Living conditions by year",
)
def conditions_list(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    return [_conditions_out(c) for c in selectors.conditions(_household(request, code))]


@router.put(
    "/households/{code}/conditions/{year}",
    response=ConditionsOut,
    summary="Set a year's living conditions",
)
def conditions_put(
    request: HttpRequest, code: str, year: int, payload: ConditionsIn
) -> dict[str, Any]:
    values = payload.dict()
    version = values.pop("version")
    record = services.conditions_set(
        actor=request.user,
        household=_household(request, code),
        year=year,
        expected_version=version,
        **values,
    )
    return _conditions_out(record)
