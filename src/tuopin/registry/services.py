"""Writes to the registry: registration and the annual dynamic adjustment (年度动态调整).

Every service checks the actor's grant over the household's area, validates, writes, and
leaves an audit row in the same transaction. History is never rewritten: a change closes
the current interval and opens a new one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, require
from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.core.audit import diff_of, log_action, snapshot
from tuopin.core.errors import ConcurrentEdit, DomainError, ValidationFailed
from tuopin.registry.choices import (
    HouseholdType,
    IdType,
    MembershipReason,
    MonitorType,
    RegistryStatus,
    Relation,
    Sex,
)
from tuopin.registry.idnumbers import check_id_number
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    MonitoringPeriod,
    Person,
)
from tuopin.registry.selectors import person_find_active

PERSON_FIELDS = [
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "education",
    "schooling",
    "health",
    "labour",
    "medical_insured",
    "pension_insured",
]
HOUSEHOLD_FIELDS = [
    "household_type",
    "attribute",
    "main_cause",
    "other_causes",
    "tuopin_year",
    "phone",
    "bank_name",
    "bank_account",
]
INCOME_FIELDS = [
    "size",
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_costs",
    "compliant_expenses",
]
CONDITION_FIELDS = [
    "food_clothing",
    "housing_grade",
    "housing_appraised_on",
    "housing_appraised_by",
    "water_quantity",
    "water_quality",
    "water_access",
    "water_reliability",
    "relocated",
    "relocation_site",
    "moved_in_on",
]

INITIAL_STATUS = {
    HouseholdType.TUOPIN: RegistryStatus.EXITED_WITH_POLICY,
    HouseholdType.POOR: RegistryStatus.POOR,
    HouseholdType.ORDINARY: RegistryStatus.ORDINARY,
}


@dataclass
class MemberInput:
    """One person as entered or imported; checked by ``check_member``."""

    name: str
    id_number: str
    relation: str
    id_type: str = IdType.RESIDENT_ID
    sex: str = ""
    birth_date: datetime.date | None = None
    ethnicity: str = ""
    education: str = ""
    schooling: str = "not_in_school"
    health: str = "healthy"
    labour: str = ""
    medical_insured: bool = False
    pension_insured: bool | None = None

    def person_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PERSON_FIELDS}


@dataclass
class MemberCheck:
    errors: list[DomainError] = field(default_factory=list)
    warnings: list[DomainError] = field(default_factory=list)


def check_member(member: MemberInput, *, area: Area | None = None) -> MemberCheck:
    """Validate one person's data: ID number, and that sex and birth date agree with it.

    A region prefix that differs from the area's is a warning (people move), not an error.
    """
    result = MemberCheck()
    if not member.name.strip():
        result.errors.append(
            DomainError("registry.member.name_required", _("A name is required."), field="name")
        )
    if member.id_type != IdType.RESIDENT_ID:
        if not member.id_number.strip():
            result.errors.append(
                DomainError(
                    "registry.member.id_required",
                    _("A document number is required."),
                    field="id_number",
                )
            )
        return result
    check = check_id_number(member.id_number)
    if not check.ok:
        result.errors.append(
            DomainError("registry.member.bad_id", check.error or "", field="id_number")
        )
        return result
    member.id_number = check.value
    expected_sex = Sex.MALE if check.sex == "男" else Sex.FEMALE
    if member.sex and member.sex != expected_sex:
        result.errors.append(
            DomainError(
                "registry.member.sex_mismatch",
                _("The sex does not agree with the ID number (which says %(sex)s)."),
                field="sex",
                params={"sex": Sex(expected_sex).label},
            )
        )
    if member.birth_date and member.birth_date != check.birth_date:
        result.errors.append(
            DomainError(
                "registry.member.birth_mismatch",
                _("The date of birth does not agree with the ID number (which says %(date)s)."),
                field="birth_date",
                params={"date": check.birth_date.isoformat() if check.birth_date else ""},
            )
        )
    member.sex = member.sex or expected_sex
    member.birth_date = member.birth_date or check.birth_date
    if area is not None and check.region and check.region[:4] != area.code[:4]:
        result.warnings.append(
            DomainError(
                "registry.member.region_elsewhere",
                _("The ID number was issued in region %(region)s, outside this area."),
                field="id_number",
                params={"region": check.region},
            )
        )
    return result


def _require_edit(actor: Any, area: Area) -> None:
    if actor is not None:
        require(actor, Capability.EDIT_RECORDS, area)


def _check_version(obj: Any, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != obj.version:
        raise ConcurrentEdit(
            "concurrent_edit",
            _(
                "Someone else changed this record while you were editing; nothing was saved. "
                "Reload to see their change, then make yours again."
            ),
        )


def _lock_household(household: Household, expected_version: int | None) -> Household:
    """Lock the household row, refuse a stale version, and count one more change.

    Every change to the household or its history bumps its version, so two people working
    on the same household cannot both succeed from the same page.
    """
    locked = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    _check_version(locked, expected_version)
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    household.version = locked.version
    return locked


def _begin_change(actor: Any, household: Household, expected_version: int | None) -> Household:
    """The start of every change to a household's history: permission, lock, version."""
    _require_edit(actor, household.area)
    return _lock_household(household, expected_version)


def _log(actor: Any, action: str, household: Household, diff: dict[str, Any]) -> None:
    log_action(actor=actor, action=action, obj=household, area_code=household.area.code, diff=diff)


def _duplicate_error(actor: Any, member: MemberInput, existing: Membership) -> DomainError:
    # Name the other household only when the actor may see it.
    visible = actor is None or covers(actor, Capability.VIEW_RECORDS, existing.household.area)
    if visible:
        return DomainError(
            "registry.member.active_elsewhere",
            _("This person is already an active member of household %(code)s."),
            field="id_number",
            params={"code": existing.household.code},
        )
    return DomainError(
        "registry.member.active_elsewhere",
        _("This person is already an active member of another household."),
        field="id_number",
    )


def _person_for(member: MemberInput) -> Person:
    person = Person.objects.filter(id_type=member.id_type, id_number=member.id_number).first()
    if person is None:
        return Person.objects.create(
            id_type=member.id_type, id_number=member.id_number, **member.person_values()
        )
    before = snapshot(person, PERSON_FIELDS)
    for name, value in member.person_values().items():
        setattr(person, name, value)
    if diff_of(before, snapshot(person, PERSON_FIELDS)):
        person.version += 1
        person.save()
    return person


def _open_status(
    household: Household, status: str, on: datetime.date, reason: str, actor: Any
) -> None:
    current = (
        HouseholdStatus.objects.select_for_update()
        .filter(household=household, valid_to__isnull=True)
        .first()
    )
    if current is not None:
        if current.status == status:
            return
        if on < current.valid_from:
            raise DomainError(
                "registry.status.before_current",
                _("The date lies before the current status began (%(date)s)."),
                field="on",
                params={"date": current.valid_from.isoformat()},
            )
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    HouseholdStatus.objects.create(
        household=household,
        status=status,
        valid_from=on,
        reason=reason,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def household_register(
    *,
    actor: Any,
    code: str,
    area: Area,
    household_type: str,
    registered_on: datetime.date,
    members: Sequence[MemberInput],
    status: str | None = None,
    **details: Any,
) -> Household:
    """Register a household with its members, opening its status and membership history."""
    _require_edit(actor, area)
    errors: list[DomainError] = []
    if area.level != Level.VILLAGE:
        errors.append(
            DomainError(
                "registry.household.area_level",
                _("A household belongs to a gaqa, village or community."),
                field="area",
            )
        )
    if Household.objects.filter(code=code).exists():
        errors.append(
            DomainError(
                "registry.household.code_taken",
                _("This household code is already in use."),
                field="code",
            )
        )
    heads = [m for m in members if m.relation == Relation.HEAD]
    if len(heads) != 1:
        errors.append(
            DomainError(
                "registry.household.one_head",
                _("A household has exactly one head."),
                field="relation",
            )
        )
    seen: set[tuple[str, str]] = set()
    for member in members:
        checked = check_member(member, area=area)
        errors += checked.errors
        key = (member.id_type, member.id_number)
        if key in seen:
            errors.append(
                DomainError(
                    "registry.member.duplicate",
                    _("The same person is listed twice."),
                    field="id_number",
                )
            )
        seen.add(key)
        if not checked.errors:
            existing = person_find_active(id_type=member.id_type, id_number=member.id_number)
            if existing is not None:
                errors.append(_duplicate_error(actor, member, existing))
    unknown = set(details) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    if errors:
        raise ValidationFailed(errors)
    household = Household.objects.create(
        code=code, area=area, household_type=household_type, **details
    )
    for member in members:
        Membership.objects.create(
            household=household,
            person=_person_for(member),
            relation=member.relation,
            valid_from=registered_on,
            join_reason=MembershipReason.REGISTERED,
        )
    _open_status(
        household, status or INITIAL_STATUS[HouseholdType(household_type)], registered_on, "", actor
    )
    log_action(
        actor=actor,
        action="registry.household.registered",
        obj=household,
        area_code=area.code,
        diff={
            "household_type": [None, household_type],
            "members": [None, len(members)],
            "registered_on": [None, registered_on],
        },
    )
    return household


@transaction.atomic
def household_update(
    *, actor: Any, household: Household, expected_version: int | None = None, **changes: Any
) -> Household:
    """Change the household's own fields; a stale ``expected_version`` changes nothing."""
    _require_edit(actor, household.area)
    household = Household.objects.select_for_update().get(pk=household.pk)
    _check_version(household, expected_version)
    unknown = set(changes) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    before = snapshot(household, HOUSEHOLD_FIELDS)
    for name, value in changes.items():
        setattr(household, name, value)
    diff = diff_of(before, snapshot(household, HOUSEHOLD_FIELDS))
    if diff:
        household.version += 1
        household.save()
        _log(actor, "registry.household.updated", household, diff)
    return household


@transaction.atomic
def person_update(
    *,
    actor: Any,
    household: Household,
    person: Person,
    expected_version: int | None = None,
    **changes: Any,
) -> Person:
    """Change a member's data (education, health, labour …) from the household's page."""
    _require_edit(actor, household.area)
    if not Membership.objects.filter(household=household, person=person).exists():
        raise DomainError(
            "registry.member.not_member", _("This person is not a member of the household.")
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_version(person, expected_version)
    member = MemberInput(
        name=changes.get("name", person.name),
        id_number=person.id_number,
        relation=Relation.OTHER,
        id_type=person.id_type,
        **{k: changes.get(k, getattr(person, k)) for k in PERSON_FIELDS if k != "name"},
    )
    checked = check_member(member, area=household.area)
    if checked.errors:
        raise ValidationFailed(checked.errors)
    before = snapshot(person, PERSON_FIELDS)
    for name, value in member.person_values().items():
        setattr(person, name, value)
    diff = diff_of(before, snapshot(person, PERSON_FIELDS))
    if diff:
        person.version += 1
        person.save()
        log_action(
            actor=actor,
            action="registry.person.updated",
            obj=person,
            area_code=household.area.code,
            diff=diff,
        )
    return person


@transaction.atomic
def member_add(
    *,
    actor: Any,
    household: Household,
    member: MemberInput,
    joined_on: datetime.date,
    reason: str,
    note: str = "",
    expected_version: int | None = None,
) -> Membership:
    """A person joins: birth, marriage in, moved in …"""
    household = _begin_change(actor, household, expected_version)
    if household.closed_on is not None:
        raise DomainError("registry.household.closed", _("This household is closed."))
    checked = check_member(member, area=household.area)
    if checked.errors:
        raise ValidationFailed(checked.errors)
    if (
        member.relation == Relation.HEAD
        and Membership.objects.filter(
            household=household, relation=Relation.HEAD, valid_to__isnull=True
        ).exists()
    ):
        raise DomainError(
            "registry.household.one_head", _("A household has exactly one head."), field="relation"
        )
    existing = person_find_active(id_type=member.id_type, id_number=member.id_number)
    if existing is not None:
        raise ValidationFailed([_duplicate_error(actor, member, existing)])
    membership = Membership.objects.create(
        household=household,
        person=_person_for(member),
        relation=member.relation,
        valid_from=joined_on,
        join_reason=reason,
        note=note,
    )
    _log(
        actor,
        "registry.member.added",
        household,
        {
            "person": [None, membership.person.name],
            "reason": [None, reason],
            "on": [None, joined_on],
        },
    )
    return membership


@transaction.atomic
def member_remove(
    *,
    actor: Any,
    household: Household,
    person: Person,
    left_on: datetime.date,
    reason: str,
    note: str = "",
    expected_version: int | None = None,
) -> Membership:
    """A person leaves: death, marriage out, moved … Their history stays."""
    household = _begin_change(actor, household, expected_version)
    membership = (
        Membership.objects.select_for_update()
        .filter(household=household, person=person, valid_to__isnull=True)
        .first()
    )
    if membership is None:
        raise DomainError(
            "registry.member.not_member", _("This person is not a member of the household.")
        )
    if (
        membership.relation == Relation.HEAD
        and Membership.objects.filter(household=household, valid_to__isnull=True)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise DomainError(
            "registry.member.head_leaves",
            _("Name a new head of household before the head leaves."),
            field="relation",
        )
    if left_on < membership.valid_from:
        raise DomainError(
            "registry.member.left_before_joined",
            _("A person cannot leave before joining."),
            field="left_on",
        )
    membership.valid_to = left_on
    membership.leave_reason = reason
    membership.note = note or membership.note
    membership.save()
    _log(
        actor,
        "registry.member.removed",
        household,
        {"person": [person.name, None], "reason": [None, reason], "on": [None, left_on]},
    )
    return membership


@transaction.atomic
def head_change(
    *,
    actor: Any,
    household: Household,
    new_head: Person,
    on: datetime.date,
    expected_version: int | None = None,
) -> None:
    """Make another member the head; the former head becomes 'other' (a relation can be set)."""
    household = _begin_change(actor, household, expected_version)
    current = list(
        Membership.objects.select_for_update().filter(household=household, valid_to__isnull=True)
    )
    by_person = {m.person_id: m for m in current}
    if new_head.pk not in by_person:
        raise DomainError(
            "registry.member.not_member", _("This person is not a member of the household.")
        )
    for membership in current:
        target = (
            Relation.HEAD
            if membership.person_id == new_head.pk
            else (Relation.OTHER if membership.relation == Relation.HEAD else membership.relation)
        )
        if target != membership.relation:
            membership.valid_to = on
            membership.leave_reason = MembershipReason.OTHER
            membership.save()
            Membership.objects.create(
                household=household,
                person_id=membership.person_id,
                relation=target,
                valid_from=on,
                join_reason=MembershipReason.OTHER,
                note=str(_("Relation changed")),
            )
    _log(
        actor,
        "registry.household.head_changed",
        household,
        {"head": [None, new_head.name], "on": [None, on]},
    )


@transaction.atomic
def household_split(
    *,
    actor: Any,
    household: Household,
    new_code: str,
    people: Iterable[Person],
    new_head: Person,
    on: datetime.date,
    expected_version: int | None = None,
) -> Household:
    """分户: move some members into a new household of the same area and type."""
    household = _begin_change(actor, household, expected_version)
    people = list(people)
    if new_head not in people:
        raise DomainError(
            "registry.split.head_not_moving",
            _("The new head must be among those who move."),
            field="new_head",
        )
    remaining = Membership.objects.filter(household=household, valid_to__isnull=True).exclude(
        person__in=people
    )
    if not remaining.exists():
        raise DomainError(
            "registry.split.nobody_left", _("Someone must stay in the original household.")
        )
    if remaining.filter(relation=Relation.HEAD).count() != 1:
        raise DomainError(
            "registry.split.head_moves",
            _("The head stays; to move the head, first name a new one."),
        )
    if Household.objects.filter(code=new_code).exists():
        raise DomainError(
            "registry.household.code_taken",
            _("This household code is already in use."),
            field="new_code",
        )
    new = Household.objects.create(
        code=new_code,
        area=household.area,
        household_type=household.household_type,
        attribute=household.attribute,
        main_cause=household.main_cause,
        tuopin_year=household.tuopin_year,
    )
    current = HouseholdStatus.objects.filter(household=household, valid_to__isnull=True).first()
    _open_status(
        new,
        current.status if current else INITIAL_STATUS[HouseholdType(household.household_type)],
        on,
        str(_("Split from %(code)s") % {"code": household.code}),
        actor,
    )
    for person in people:
        membership = (
            Membership.objects.select_for_update()
            .filter(household=household, person=person, valid_to__isnull=True)
            .first()
        )
        if membership is None:
            raise DomainError(
                "registry.member.not_member", _("This person is not a member of the household.")
            )
        membership.valid_to = on
        membership.leave_reason = MembershipReason.SPLIT
        membership.save()
        Membership.objects.create(
            household=new,
            person=person,
            relation=Relation.HEAD if person == new_head else membership.relation,
            valid_from=on,
            join_reason=MembershipReason.SPLIT,
        )
    _log(
        actor,
        "registry.household.split",
        household,
        {
            "new_household": [None, new_code],
            "people": [None, [p.name for p in people]],
            "on": [None, on],
        },
    )
    return new


@transaction.atomic
def household_close(
    *,
    actor: Any,
    household: Household,
    closed_on: datetime.date,
    reason: str,
    expected_version: int | None = None,
) -> Household:
    """自然销户: the household ends; its members' memberships end with it, history stays."""
    household = _begin_change(actor, household, expected_version)
    if household.closed_on is not None:
        raise DomainError("registry.household.closed", _("This household is closed."))
    for membership in Membership.objects.filter(household=household, valid_to__isnull=True):
        membership.valid_to = closed_on
        membership.leave_reason = MembershipReason.OTHER
        membership.save()
    HouseholdStatus.objects.filter(household=household, valid_to__isnull=True).update(
        valid_to=closed_on
    )
    MonitoringPeriod.objects.filter(household=household, valid_to__isnull=True).update(
        valid_to=closed_on
    )
    household.closed_on = closed_on
    household.close_reason = reason
    household.save()
    _log(
        actor,
        "registry.household.closed",
        household,
        {"closed_on": [None, closed_on], "reason": [None, reason]},
    )
    return household


@transaction.atomic
def household_mark_status(
    *,
    actor: Any,
    household: Household,
    status: str,
    on: datetime.date,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """Mark 脱贫, 返贫, 新识别 … from a date, closing the current status there."""
    household = _begin_change(actor, household, expected_version)
    if status not in RegistryStatus.values:
        raise DomainError("registry.status.unknown", _("Unknown status."), field="status")
    if not reason.strip():
        raise DomainError(
            "registry.status.reason_required", _("A reason is required."), field="reason"
        )
    before = (
        HouseholdStatus.objects.filter(household=household, valid_to__isnull=True)
        .values_list("status", flat=True)
        .first()
    )
    _open_status(household, status, on, reason, actor)
    _log(
        actor,
        "registry.household.status_marked",
        household,
        {"status": [before, status], "on": [None, on], "reason": [None, reason]},
    )


@transaction.atomic
def monitoring_start(
    *,
    actor: Any,
    household: Household,
    monitor_type: str,
    on: datetime.date,
    reason: str = "",
    expected_version: int | None = None,
) -> MonitoringPeriod:
    """Set the monitoring flag from a date (the monitoring workflow calls this on approval)."""
    household = _begin_change(actor, household, expected_version)
    if monitor_type not in MonitorType.values:
        raise DomainError(
            "registry.monitoring.unknown_type", _("Unknown monitoring type."), field="monitor_type"
        )
    if MonitoringPeriod.objects.filter(household=household, valid_to__isnull=True).exists():
        raise DomainError("registry.monitoring.already", _("The household is already monitored."))
    period = MonitoringPeriod.objects.create(
        household=household, monitor_type=monitor_type, valid_from=on, reason=reason
    )
    _log(
        actor,
        "registry.monitoring.started",
        household,
        {"monitor_type": [None, monitor_type], "on": [None, on]},
    )
    return period


@transaction.atomic
def monitoring_end(
    *,
    actor: Any,
    household: Household,
    on: datetime.date,
    reason: str,
    expected_version: int | None = None,
) -> MonitoringPeriod:
    """Record that the risk is gone (风险消除); the spell stays in the history."""
    household = _begin_change(actor, household, expected_version)
    period = (
        MonitoringPeriod.objects.select_for_update()
        .filter(household=household, valid_to__isnull=True)
        .first()
    )
    if period is None:
        raise DomainError("registry.monitoring.not_monitored", _("The household is not monitored."))
    if on < period.valid_from:
        raise DomainError(
            "registry.monitoring.end_before_start",
            _("The risk cannot end before identification."),
            field="on",
        )
    period.valid_to = on
    period.reason = reason
    period.save()
    _log(
        actor,
        "registry.monitoring.ended",
        household,
        {"eliminated_on": [None, on], "reason": [None, reason]},
    )
    return period


def _full_clean(record: Any) -> None:
    """Model validation (amounts ≥ 0, choices) reported as domain errors, field by field."""
    try:
        record.full_clean(exclude=["household", "net_income"])
    except ValidationError as exc:
        raise ValidationFailed(
            [
                DomainError(f"registry.{name}.invalid", message, field=name)
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc


def _set_yearly(
    model: Any,
    fields: list[str],
    action: str,
    *,
    actor: Any,
    household: Household,
    year: int,
    expected_version: int | None,
    values: dict[str, Any],
) -> Any:
    _require_edit(actor, household.area)
    unknown = set(values) - set(fields)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    record = model.objects.select_for_update().filter(household=household, year=year).first()
    if record is None:
        if expected_version not in (None, 0):
            raise ConcurrentEdit(
                "concurrent_edit", _("This record was removed by someone else; reload the page.")
            )
        record = model(household=household, year=year, **values)
        _full_clean(record)
        record.save()
        log_action(
            actor=actor,
            action=f"{action}.created",
            obj=household,
            area_code=household.area.code,
            diff={"year": [None, year], **{k: [None, v] for k, v in values.items()}},
        )
        return record
    _check_version(record, expected_version)
    before = snapshot(record, fields)
    for name, value in values.items():
        setattr(record, name, value)
    diff = diff_of(before, snapshot(record, fields))
    if diff:
        _full_clean(record)
        record.version += 1
        record.save()
        log_action(
            actor=actor,
            action=f"{action}.updated",
            obj=household,
            area_code=household.area.code,
            diff={"year": [year, year], **diff},
        )
    return record


@transaction.atomic
def income_set(
    *,
    actor: Any,
    household: Household,
    year: int,
    expected_version: int | None = None,
    **values: Any,
) -> HouseholdIncome:
    """Record a year's income components; net income per capita follows from the formula."""
    values = {k: (Decimal(str(v)) if k != "size" else v) for k, v in values.items()}
    return _set_yearly(
        HouseholdIncome,
        INCOME_FIELDS,
        "registry.income",
        actor=actor,
        household=household,
        year=year,
        expected_version=expected_version,
        values=values,
    )


@transaction.atomic
def conditions_set(
    *,
    actor: Any,
    household: Household,
    year: int,
    expected_version: int | None = None,
    **values: Any,
) -> HouseholdConditions:
    """Record a year's living conditions (guarantees, housing, water, relocation)."""
    return _set_yearly(
        HouseholdConditions,
        CONDITION_FIELDS,
        "registry.conditions",
        actor=actor,
        household=household,
        year=year,
        expected_version=expected_version,
        values=values,
    )
