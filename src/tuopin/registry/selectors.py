"""Reads of the registry, always scoped to the user's grants; history as of any date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, restrict
from tuopin.areas.models import Area
from tuopin.core.audit import log_personal_view
from tuopin.core.choices import AuditKind
from tuopin.core.models import AuditEntry
from tuopin.registry.choices import Relation
from tuopin.registry.idnumbers import mask, mask_account, mask_phone
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    MonitoringPeriod,
    as_of_q,
)


def household_queryset(
    *, user: Any, capability: Capability = Capability.VIEW_RECORDS
) -> QuerySet[Household]:
    """Households in the user's subtrees; none without a grant carrying ``capability``."""
    return restrict(Household.objects.all(), user, capability)


@dataclass(frozen=True)
class HouseholdFilters:
    area_code: str = ""
    household_type: str = ""
    status: str = ""
    monitor_type: str = ""
    failed_guarantee: str = ""  # housing_safety, drinking_water, food_clothing, basic_medical
    search: str = ""
    as_of: datetime.date | None = None
    include_closed: bool = False


def household_list(*, user: Any, filters: HouseholdFilters | None = None) -> QuerySet[Household]:
    f = filters or HouseholdFilters()
    on = f.as_of or datetime.date.today()
    qs = household_queryset(user=user).select_related("area")
    if f.area_code:
        area = Area.objects.filter(code=f.area_code).first()
        qs = qs.filter(area.subtree_q("area__")) if area else qs.none()
    if f.household_type:
        qs = qs.filter(household_type=f.household_type)
    if f.status:
        qs = qs.filter(
            Exists(
                HouseholdStatus.objects.filter(
                    as_of_q(on), household=OuterRef("pk"), status=f.status
                )
            )
        )
    if f.monitor_type:
        qs = qs.filter(
            Exists(
                MonitoringPeriod.objects.filter(
                    as_of_q(on), household=OuterRef("pk"), monitor_type=f.monitor_type
                )
            )
        )
    if f.failed_guarantee:
        qs = qs.filter(_failed_guarantee_q(f.failed_guarantee, on))
    if f.search:
        qs = qs.filter(_search_q(f.search))
    if not f.include_closed:
        qs = qs.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    return qs.order_by("code")


def _latest_conditions(on: datetime.date) -> QuerySet[HouseholdConditions]:
    return HouseholdConditions.objects.filter(household=OuterRef("pk"), year__lte=on.year)


def _failed_guarantee_q(code: str, on: datetime.date) -> Q:
    conditions = _latest_conditions(on)
    if code == "housing_safety":
        return Q(Exists(conditions.filter(housing_grade__in=["C", "D"])))
    if code == "drinking_water":
        return Q(
            Exists(
                conditions.filter(
                    Q(water_quantity=False)
                    | Q(water_quality=False)
                    | Q(water_access=False)
                    | Q(water_reliability=False)
                )
            )
        )
    if code == "food_clothing":
        return Q(Exists(conditions.filter(food_clothing=False)))
    if code == "basic_medical":
        return Q(
            Exists(
                Membership.objects.filter(
                    as_of_q(on), household=OuterRef("pk"), person__medical_insured=False
                )
            )
        )
    return Q(pk__in=[])


def _search_q(text: str) -> Q:
    """By household code, a member's ID number (or its start) or a member's name."""
    text = text.strip().upper()
    members = Membership.objects.filter(household=OuterRef("pk"), valid_to__isnull=True)
    if text.isdigit() or (len(text) == 18 and text[:17].isdigit()):
        # A whole number is an exact, indexed match; a start of one a prefix search.
        by_id = (
            members.filter(person__id_number=text)
            if len(text) == 18
            else members.filter(person__id_number__startswith=text)
        )
        return Q(code__startswith=text) | Q(Exists(by_id))
    return Q(code__iexact=text) | Q(Exists(members.filter(person__name__startswith=text)))


def household_get(*, user: Any, code: str) -> Household:
    """One household by code; ``DoesNotExist`` when absent or outside the user's scope."""
    return household_queryset(user=user).select_related("area").get(code=code)


def members_as_of(household: Household, on: datetime.date | None = None) -> QuerySet[Membership]:
    on = on or datetime.date.today()
    return (
        Membership.objects.filter(as_of_q(on), household=household)
        .select_related("person")
        .order_by("valid_from", "id")
    )


def status_as_of(household: Household, on: datetime.date | None = None) -> HouseholdStatus | None:
    on = on or datetime.date.today()
    return HouseholdStatus.objects.filter(as_of_q(on), household=household).first()


def monitoring_as_of(
    household: Household, on: datetime.date | None = None
) -> MonitoringPeriod | None:
    on = on or datetime.date.today()
    return MonitoringPeriod.objects.filter(as_of_q(on), household=household).first()


def incomes(household: Household) -> QuerySet[HouseholdIncome]:
    return household.incomes.order_by("-year")


def conditions(household: Household) -> QuerySet[HouseholdConditions]:
    return household.conditions.order_by("-year")


@dataclass(frozen=True)
class TimelineEvent:
    date: datetime.date
    kind: str
    text: str


def household_timeline(household: Household) -> list[TimelineEvent]:
    """Status changes, monitoring spells and membership changes, newest first."""
    events: list[TimelineEvent] = []
    for s in household.statuses.all():
        events.append(TimelineEvent(s.valid_from, "status", f"{s.get_status_display()} {s.reason}"))
    for m in household.monitoring_periods.all():
        events.append(TimelineEvent(m.valid_from, "monitoring", str(m.get_monitor_type_display())))
        if m.valid_to:
            events.append(TimelineEvent(m.valid_to, "monitoring_end", m.reason))
    for ms in household.memberships.select_related("person"):
        events.append(
            TimelineEvent(
                ms.valid_from, "joined", f"{ms.person.name} · {ms.get_join_reason_display()}"
            )
        )
        if ms.valid_to:
            events.append(
                TimelineEvent(
                    ms.valid_to, "left", f"{ms.person.name} · {ms.get_leave_reason_display()}"
                )
            )
    return sorted(events, key=lambda e: e.date, reverse=True)


@dataclass(frozen=True)
class PersonalView:
    """What the user may see of sensitive fields, masked unless their role allows."""

    unmasked: bool
    values: dict[str, str]


def household_personal_view(
    *, user: Any, household: Household, members: list[Membership], ip: str | None = None
) -> PersonalView:
    """Sensitive fields of a household and its members, masked for roles without
    personal-data access; an unmasked view is logged once per call."""
    allowed = covers(user, Capability.VIEW_PERSONAL_DATA, household.area)
    values: dict[str, str] = {}
    if allowed:
        values["phone"] = household.phone
        values["bank_account"] = household.bank_account
        for m in members:
            values[f"id_number:{m.person_id}"] = m.person.id_number
            values[f"health:{m.person_id}"] = m.person.get_health_display()
        log_personal_view(
            actor=user,
            subject=household,
            fields=["phone", "bank_account", "id_number", "health"],
            area_code=household.area.code,
            purpose="household page",
            ip=ip,
        )
    else:
        values["phone"] = mask_phone(household.phone)
        values["bank_account"] = mask_account(household.bank_account)
        for m in members:
            values[f"id_number:{m.person_id}"] = mask(m.person.id_number)
            values[f"health:{m.person_id}"] = "***"
    return PersonalView(allowed, values)


def person_find_active(*, id_type: str, id_number: str) -> Membership | None:
    """The open membership of the person with this document, if any (for duplicates)."""
    return (
        Membership.objects.filter(
            person__id_type=id_type, person__id_number=id_number, valid_to__isnull=True
        )
        .select_related("household__area", "person")
        .first()
    )


def with_list_columns(queryset: QuerySet[Household], on: datetime.date) -> QuerySet[Household]:
    """The list's columns as of ``on``, each a subquery, so a page costs the same queries
    whatever its length."""
    members = Membership.objects.filter(as_of_q(on), household=OuterRef("pk"))
    head = members.filter(relation=Relation.HEAD).order_by("valid_from", "id")
    count = members.order_by().values("household").annotate(n=Count("id")).values("n")
    status = HouseholdStatus.objects.filter(as_of_q(on), household=OuterRef("pk")).order_by(
        "-valid_from", "-id"
    )
    monitoring = MonitoringPeriod.objects.filter(as_of_q(on), household=OuterRef("pk")).order_by(
        "-valid_from", "-id"
    )
    return queryset.annotate(
        head_name=Subquery(head.values("person__name")[:1]),
        member_count=Coalesce(Subquery(count[:1]), Value(0), output_field=IntegerField()),
        status_then=Subquery(status.values("status")[:1]),
        monitor_type_then=Subquery(monitoring.values("monitor_type")[:1]),
    )


def household_audit_entries(household: Household, *, limit: int = 50) -> QuerySet[AuditEntry]:
    """Changes to the household and to anyone ever its member, newest first. Views of
    personal data are left out: every page view adds one (the audit log keeps them)."""
    person_ids = [
        str(pk) for pk in household.memberships.values_list("person_id", flat=True).distinct()
    ]
    return (
        AuditEntry.objects.filter(kind=AuditKind.WRITE)
        .filter(
            Q(object_type="registry.household", object_id=str(household.pk))
            | Q(object_type="registry.person", object_id__in=person_ids)
        )
        .order_by("-at", "-id")[:limit]
    )
