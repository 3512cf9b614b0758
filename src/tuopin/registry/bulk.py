"""Importing a household file into the registry, all at once.

Validation of the file itself happens in ``importers.household_file`` (no database). Here
the file meets the registry: areas must exist and lie in the actor's scope, people may not
be active in other households, then new households are written in bulk (COPY on
PostgreSQL) and existing ones brought up to date. Lookups go by chunks of thousands, never a
query per row; unchanged households are compared in memory and not written at all, so
importing the same file twice changes nothing and says so.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import intervals, restrict
from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.core.audit import log_action, log_many
from tuopin.core.bulkdb import chunks, insert_rows
from tuopin.core.choices import AuditKind
from tuopin.core.tabular import FileRefused, RowError
from tuopin.registry.bulk_table import import_table
from tuopin.registry.choices import HouseholdType, MembershipReason
from tuopin.registry.idnumbers import mask
from tuopin.registry.importers.household_file import ParsedFile, ParsedHousehold
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    MonitoringPeriod,
    Person,
    as_of_q,
)
from tuopin.registry.services import INITIAL_STATUS, PERSON_FIELDS, MemberInput

HOUSEHOLD_KEYS = ["household_type", "attribute", "main_cause", "tuopin_year"]
INCOME_KEYS = [
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_costs",
    "compliant_expenses",
]
CONDITION_KEYS = [
    "food_clothing",
    "housing_grade",
    "water_quantity",
    "water_quality",
    "water_access",
    "water_reliability",
]
DEFAULT_HEADERS = {"area_code": "行政区划代码", "id_number": "证件号码", "household_code": "户编号"}

Progress = Callable[..., None]


@dataclass
class ImportReport:
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    members_written: int = 0
    rows_read: int = 0
    skipped_households: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.households_created or self.households_updated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "households_created": self.households_created,
            "households_updated": self.households_updated,
            "households_unchanged": self.households_unchanged,
            "members_written": self.members_written,
            "rows_read": self.rows_read,
            "skipped_households": self.skipped_households,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }


def _header(parsed: ParsedFile, key: str) -> str:
    return parsed.headers.get(key) or DEFAULT_HEADERS.get(key, key)


def _in_scope(actor: Any, area: Area) -> bool:
    if actor is None:
        return True
    return any(lft <= area.lft <= rgt for lft, rgt in intervals(actor, Capability.EDIT_RECORDS))


def _check_against_registry(actor: Any, parsed: Any, households: Sequence[Any]) -> list[RowError]:
    """Areas exist, are gaqa/villages, lie in scope; people are not active elsewhere."""
    errors: list[RowError] = []
    codes = {h.area_code for h in households}
    areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
    for h in households:
        area = areas.get(h.area_code)
        reason = None
        if area is None or not _in_scope(actor, area):
            reason = _("No gaqa or village you may edit has this code.")
        elif area.level != Level.VILLAGE or not area.is_active:
            reason = _("This is not a gaqa, village or community in use.")
        if reason:
            errors.extend(
                RowError(row, _header(parsed, "area_code"), h.area_code, reason) for row in h.rows
            )
    in_file = {h.code: {(m.id_type, m.id_number) for m in h.members} for h in households}
    people = [(m.id_type, m.id_number, h) for h in households for m in h.members]
    for batch in chunks(people, 5000):
        numbers = [n for _t, n, _h in batch]
        active = {
            (ms.person.id_type, ms.person.id_number): ms.household.code
            for ms in Membership.objects.filter(
                valid_to__isnull=True, person__id_number__any_of=numbers
            ).select_related("person", "household")
        }
        for id_type, number, h in batch:
            other = active.get((id_type, number))
            # Moving within the file (listed in this household, absent from the other) is fine.
            if (
                other
                and other != h.code
                and (id_type, number) in in_file.get(other, {(id_type, number)})
            ):
                row = h.rows[[m.id_number for m in h.members].index(number)]
                errors.append(
                    RowError(
                        row,
                        _header(parsed, "id_number"),
                        number,
                        _("This person is already an active member of another household."),
                    )
                )
    return errors


def _drop_bad(households: Sequence[Any], errors: Sequence[RowError]) -> tuple[list[Any], int]:
    bad_rows = {e.row for e in errors if e.row is not None}
    good = [h for h in households if not bad_rows.intersection(h.rows)]
    return good, len(households) - len(good)


@transaction.atomic
def import_households(
    *,
    actor: Any,
    parsed: Any,
    mode: str = "all-or-nothing",
    effective: datetime.date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Write a parsed household file to the registry.

    ``all-or-nothing`` (default): any error refuses the whole file (``FileRefused``) and
    nothing is written. ``good-rows``: households with errors are left out and reported,
    the rest is written. ``effective`` dates the memberships and statuses that the file
    opens (default: today).
    """
    on = effective or timezone.localdate()
    report = ImportReport(rows_read=getattr(parsed, "rows_read", 0), warnings=list(parsed.warnings))
    if any(e.row is None for e in parsed.errors):
        raise FileRefused(parsed.errors)
    table = getattr(parsed, "table", None)
    if table is not None and not parsed.errors:
        message = str(_("Writing new households"))
        written = import_table(
            actor=actor,
            table=table,
            in_scope=_in_scope,
            on=on,
            progress=(lambda done, total, _m: progress(done, total, message)) if progress else None,
        )
        if written is not None:
            report.households_created, report.members_written = written
            if progress:
                progress(written[0], written[0], str(_("Done")), force=True)
            return report
    errors = list(parsed.errors) + _check_against_registry(actor, parsed, parsed.households)
    households = list(parsed.households)
    if errors:
        if mode != "good-rows":
            raise FileRefused(sorted(errors, key=lambda e: (e.row or 0, str(e.column))))
        households, report.skipped_households = _drop_bad(households, errors)
        report.errors = errors
    total = len(households)
    existing = {}
    for batch in chunks([h.code for h in households]):
        existing.update({h.code: h for h in Household.objects.filter(code__any_of=batch)})
    new = [h for h in households if h.code not in existing]
    old = [h for h in households if h.code in existing]
    areas = dict(
        Area.objects.filter(code__in={h.area_code for h in households}).values_list("code", "id")
    )
    done = 0
    for batch in chunks(new, 20_000):
        _create_households(actor, batch, areas, on)
        report.households_created += len(batch)
        report.members_written += sum(len(h.members) for h in batch)
        done += len(batch)
        if progress:
            progress(done, total, str(_("Writing new households")))
    for batch in chunks(old, 2_000):
        updated, members = _update_households(actor, batch, existing, areas, on)
        report.households_updated += updated
        report.households_unchanged += len(batch) - updated
        report.members_written += members
        done += len(batch)
        if progress:
            progress(done, total, str(_("Comparing existing households")))
    if progress:
        progress(total, total, str(_("Done")), force=True)
    return report


def _close_moves(households: Sequence[Any], on: datetime.date) -> None:
    """People the file places in another household than now leave the old one first (the
    check has made sure the file no longer lists them there)."""
    placed = {(m.id_type, m.id_number): h.code for h in households for m in h.members}
    for batch in chunks(list(placed), 5000):
        moving = [
            ms
            for ms in Membership.objects.filter(
                valid_to__isnull=True, person__id_number__any_of=[n for _t, n in batch]
            ).select_related("person", "household")
            if placed.get((ms.person.id_type, ms.person.id_number), ms.household.code)
            != ms.household.code
        ]
        for ms in moving:
            ms.valid_to, ms.leave_reason = on, MembershipReason.MOVED
            ms.save(update_fields=["valid_to", "leave_reason"])


def _person_values(member: Any) -> dict[str, Any]:
    return {name: getattr(member, name) for name in PERSON_FIELDS}


def _audit_rows(actor: Any, action: str, items: list[tuple[int, str, str, dict[str, Any]]]) -> None:
    log_many(actor=actor, action=action, object_type="registry.household", items=items)


def _create_households(
    actor: Any, batch: Sequence[Any], areas: dict[str, int], on: datetime.date
) -> None:
    household_ids = insert_rows(
        Household,
        [
            {
                "code": h.code,
                "area_id": areas[h.area_code],
                "household_type": h.household_type,
                "attribute": h.attribute or "",
                "main_cause": h.main_cause or "",
                "other_causes": [],
                "tuopin_year": h.tuopin_year,
                "phone": "",
                "bank_name": "",
                "bank_account": "",
                "closed_on": None,
                "close_reason": "",
                "version": 1,
            }
            for h in batch
        ],
    )
    # People: reuse those already known (and not active anywhere: checked before).
    members = [(hid, h, m) for hid, h in zip(household_ids, batch, strict=True) for m in h.members]
    known: dict[tuple[str, str], int] = {}
    for part in chunks(members, 5000):
        for pk, id_type, number in Person.objects.filter(
            id_number__any_of=[m.id_number for _hid, _h, m in part]
        ).values_list("pk", "id_type", "id_number"):
            known[(id_type, number)] = pk
    fresh = [m for _hid, _h, m in members if (m.id_type, m.id_number) not in known]
    fresh_ids = insert_rows(
        Person,
        [
            {"id_type": m.id_type, "id_number": m.id_number, "version": 1, **_person_values(m)}
            for m in fresh
        ],
    )
    known.update({(m.id_type, m.id_number): pk for m, pk in zip(fresh, fresh_ids, strict=True)})
    insert_rows(
        Membership,
        [
            {
                "household_id": hid,
                "person_id": known[(m.id_type, m.id_number)],
                "relation": m.relation,
                "valid_from": on,
                "valid_to": None,
                "join_reason": MembershipReason.REGISTERED,
                "leave_reason": "",
                "note": "",
            }
            for hid, _h, m in members
        ],
    )
    insert_rows(
        HouseholdStatus,
        [
            {
                "household_id": hid,
                "status": INITIAL_STATUS[HouseholdType(h.household_type)],
                "valid_from": on,
                "valid_to": None,
                "reason": "",
                "recorded_by_id": getattr(actor, "pk", None),
            }
            for hid, h in zip(household_ids, batch, strict=True)
        ],
    )
    insert_rows(
        HouseholdIncome,
        [
            {
                "household_id": hid,
                "year": h.income_year,
                "size": len(h.members),
                "version": 1,
                **{k: getattr(h, k) for k in INCOME_KEYS},
            }
            for hid, h in zip(household_ids, batch, strict=True)
        ],
    )
    insert_rows(
        HouseholdConditions,
        [
            {
                "household_id": hid,
                "year": h.income_year,
                "version": 1,
                "housing_appraised_on": None,
                "housing_appraised_by": "",
                "relocated": False,
                "relocation_site": "",
                "moved_in_on": None,
                **{k: getattr(h, k) for k in CONDITION_KEYS},
            }
            for hid, h in zip(household_ids, batch, strict=True)
        ],
    )
    insert_rows(
        MonitoringPeriod,
        [
            {
                "household_id": hid,
                "monitor_type": h.monitor_type,
                "valid_from": h.monitor_since,
                "valid_to": None,
                "reason": "",
            }
            for hid, h in zip(household_ids, batch, strict=True)
            if h.monitor_type
        ],
    )
    _audit_rows(
        actor,
        "registry.household.imported",
        [
            (
                hid,
                h.code,
                h.area_code,
                {"created": True, "members": len(h.members), "rows": h.rows[:1]},
            )
            for hid, h in zip(household_ids, batch, strict=True)
        ],
    )


def _sync_members(
    household: Household,
    current_memberships: list[Membership],
    h: Any,
    on: datetime.date,
    diff: dict[str, Any],
) -> int:
    """Members leave, join, change data or relation as the file says; returns people written."""
    members_written = 0
    current = {(ms.person.id_type, ms.person.id_number): ms for ms in current_memberships}
    wanted = {(m.id_type, m.id_number): m for m in h.members}
    for key, ms in current.items():
        if key not in wanted:
            ms.valid_to, ms.leave_reason = on, MembershipReason.OTHER
            ms.save()
            diff.setdefault("members_left", []).append(ms.person.name)
    for key, m in wanted.items():
        ms = current.get(key)
        if ms is None:
            person = Person.objects.filter(id_type=m.id_type, id_number=m.id_number).first()
            if person is None:
                person = Person.objects.create(
                    id_type=m.id_type, id_number=m.id_number, **_person_values(m)
                )
            Membership.objects.create(
                household=household,
                person=person,
                relation=m.relation,
                valid_from=on,
                join_reason=MembershipReason.OTHER,
            )
            diff.setdefault("members_joined", []).append(m.name)
            members_written += 1
            continue
        person = ms.person
        person_diff = {
            k: [getattr(person, k), v]
            for k, v in _person_values(m).items()
            if getattr(person, k) != v
        }
        if person_diff:
            for k, (_old, v) in person_diff.items():
                setattr(person, k, v)
            person.version += 1
            person.save()
            diff.setdefault("members_changed", []).append(person.name)
            members_written += 1
        if ms.relation != m.relation:
            ms.valid_to, ms.leave_reason = on, MembershipReason.OTHER
            ms.save()
            Membership.objects.create(
                household=household,
                person=person,
                relation=m.relation,
                valid_from=on,
                join_reason=MembershipReason.OTHER,
            )
            diff.setdefault("relations_changed", []).append(person.name)
    return members_written


def _sync_yearly(
    household: Household,
    h: Any,
    incomes: dict[tuple[int, int], HouseholdIncome],
    conditions: dict[tuple[int, int], HouseholdConditions],
    diff: dict[str, Any],
) -> None:
    """The file's income and conditions for its income year, written only when they differ."""
    size = len(h.members)
    values = {"size": size, **{k: Decimal(getattr(h, k)) for k in INCOME_KEYS}}
    income = incomes.get((household.pk, h.income_year))
    if income is None:
        HouseholdIncome.objects.create(household=household, year=h.income_year, **values)
        diff["income"] = [None, h.income_year]
    elif any(getattr(income, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(income, k, v)
        income.version += 1
        income.save()
        diff["income"] = [h.income_year, h.income_year]
    cvalues = {k: getattr(h, k) for k in CONDITION_KEYS}
    cond = conditions.get((household.pk, h.income_year))
    if cond is None:
        HouseholdConditions.objects.create(household=household, year=h.income_year, **cvalues)
        diff["conditions"] = [None, h.income_year]
    elif any(getattr(cond, k) != v for k, v in cvalues.items()):
        for k, v in cvalues.items():
            setattr(cond, k, v)
        cond.version += 1
        cond.save()
        diff["conditions"] = [h.income_year, h.income_year]


def _update_households(
    actor: Any,
    batch: Sequence[Any],
    existing: dict[str, Household],
    areas: dict[str, int],
    on: datetime.date,
) -> tuple[int, int]:
    """Bring existing households to what the file says; returns (households changed, members
    written). Everything is read per chunk and compared in memory first."""
    ids = [existing[h.code].pk for h in batch]
    memberships: dict[int, list[Membership]] = defaultdict(list)
    for ms in Membership.objects.filter(
        household_id__any_of=ids, valid_to__isnull=True
    ).select_related("person"):
        memberships[ms.household_id].append(ms)
    years = {existing[h.code].pk: h.income_year for h in batch}
    incomes = {
        (i.household_id, i.year): i
        for i in HouseholdIncome.objects.filter(
            household_id__any_of=ids, year__in=set(years.values())
        )
    }
    conditions = {
        (c.household_id, c.year): c
        for c in HouseholdConditions.objects.filter(
            household_id__any_of=ids, year__in=set(years.values())
        )
    }
    monitored = {
        m.household_id: m
        for m in MonitoringPeriod.objects.filter(household_id__any_of=ids, valid_to__isnull=True)
    }
    changed_count = members_written = 0
    audit: list[tuple[int, str, str, dict[str, Any]]] = []
    for h in batch:
        household = existing[h.code]
        diff: dict[str, Any] = {}
        for key in HOUSEHOLD_KEYS:
            new_value = (
                getattr(h, key)
                if getattr(h, key) is not None
                else ("" if key != "tuopin_year" else None)
            )
            if getattr(household, key) != new_value:
                diff[key] = [getattr(household, key), new_value]
                setattr(household, key, new_value)
        if household.area_id != areas[h.area_code]:
            diff["area"] = [household.area_id, areas[h.area_code]]
            household.area_id = areas[h.area_code]
        if diff:
            household.version += 1
            household.save()
        members_written += _sync_members(household, memberships[household.pk], h, on, diff)
        _sync_yearly(household, h, incomes, conditions, diff)
        if h.monitor_type and household.pk not in monitored:
            MonitoringPeriod.objects.create(
                household=household, monitor_type=h.monitor_type, valid_from=h.monitor_since
            )
            diff["monitor_type"] = [None, h.monitor_type]
        if diff:
            changed_count += 1
            audit.append((household.pk, household.code, h.area_code, diff))
    _audit_rows(actor, "registry.household.import_updated", audit)
    return changed_count, members_written


def export_households(
    *, user: Any, area_code: str | None = None, as_of: datetime.date | None = None
) -> Iterator[Any]:
    """Households in the user's scope (the operator's: all) as household-file records, as of
    a date. ID numbers and health are masked for roles without personal-data access; every
    unmasked export is logged as a view of personal data."""
    on = as_of or timezone.localdate()
    qs = (
        Household.objects.all()
        if user is None
        else restrict(Household.objects.all(), user, Capability.VIEW_RECORDS)
    )
    if area_code:
        area = Area.objects.filter(code=area_code).first()
        qs = qs.filter(area.subtree_q("area__")) if area else qs.none()
    qs = qs.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on)).select_related("area")
    personal = None if user is None else intervals(user, Capability.VIEW_PERSONAL_DATA)
    exported = unmasked_count = 0
    for batch in chunks(qs.order_by("code").iterator(chunk_size=2000), 2000):
        ids = [h.pk for h in batch]
        members: dict[int, list[Membership]] = defaultdict(list)
        for ms in (
            Membership.objects.filter(as_of_q(on), household_id__any_of=ids)
            .select_related("person")
            .order_by("household_id", "valid_from", "id")
        ):
            members[ms.household_id].append(ms)
        incomes: dict[int, HouseholdIncome] = {}
        for income in HouseholdIncome.objects.filter(
            household_id__any_of=ids, year__lte=on.year
        ).order_by("year"):
            incomes[income.household_id] = income
        conditions = {
            (c.household_id, c.year): c
            for c in HouseholdConditions.objects.filter(household_id__any_of=ids, year__lte=on.year)
        }
        monitoring = {
            m.household_id: m
            for m in MonitoringPeriod.objects.filter(as_of_q(on), household_id__any_of=ids)
        }
        for household in batch:
            if not members[household.pk]:
                continue
            unmasked = personal is None or any(
                lft <= household.area.lft <= rgt for lft, rgt in personal
            )
            unmasked_count += unmasked
            exported += 1
            income = incomes.get(household.pk)
            cond = conditions.get((household.pk, income.year)) if income else None
            period = monitoring.get(household.pk)
            yield ParsedHousehold(
                code=household.code,
                area_code=household.area.code,
                household_type=household.household_type,
                tuopin_year=household.tuopin_year,
                attribute=household.attribute,
                main_cause=household.main_cause,
                income_year=income.year if income else None,
                **{k: (getattr(income, k) if income else None) for k in INCOME_KEYS},
                **{k: (getattr(cond, k) if cond else None) for k in CONDITION_KEYS},
                monitor_type=period.monitor_type if period else "",
                monitor_since=period.valid_from if period else None,
                measures=0,
                members=[_member_record(ms, unmasked=unmasked) for ms in members[household.pk]],
            )
    if user is not None and unmasked_count:
        log_action(
            actor=user,
            action="registry.export.personal_data_viewed",
            kind=AuditKind.VIEW,
            area_code=area_code or "",
            diff={"households": unmasked_count, "as_of": on, "exported": exported},
        )


def _member_record(ms: Membership, *, unmasked: bool) -> MemberInput:
    p = ms.person
    return MemberInput(
        name=p.name,
        id_number=p.id_number if unmasked else mask(p.id_number),
        relation=ms.relation,
        id_type=p.id_type,
        sex=p.sex,
        birth_date=p.birth_date,
        ethnicity=p.ethnicity,
        education=p.education,
        schooling=p.schooling,
        health=p.health if unmasked else "",
        labour=p.labour,
        medical_insured=p.medical_insured,
        pension_insured=p.pension_insured,
    )
