"""Household files meet the registry: bulk writes, refusal, idempotency, round trips."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.translation import gettext
from openpyxl import load_workbook

from conftest import EJINA, RIGHT_BANNER
from tuopin.core.error_report import write_error_report
from tuopin.core.models import AuditEntry
from tuopin.core.tabular import FileRefused
from tuopin.demo.generator import Generator, Village
from tuopin.registry.bulk import export_households, import_households
from tuopin.registry.importers.household_file import read_household_file, write_household_file
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    Person,
)

EFFECTIVE = datetime.date(2025, 1, 1)
YOUQI_VILLAGES = [Village("152922103201", "152922", False), Village("152922211201", "152922", True)]
EJINA_VILLAGES = [Village("152923200201", "152923", True)]


def households(villages, n, seed=7):
    return list(Generator(villages, seed=seed).households(n))


def written(tmp_path: Path, records, name="h.csv") -> Path:
    path = tmp_path / name
    write_household_file(records, path, fmt=path.suffix[1:])
    return path


def load(path: Path, *, actor=None, mode="all-or-nothing"):
    return import_households(
        actor=actor, parsed=read_household_file(path), mode=mode, effective=EFFECTIVE
    )


def counts() -> tuple[int, ...]:
    return (
        Household.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        HouseholdIncome.objects.count(),
        AuditEntry.objects.count(),
    )


def test_import_writes_households_members_history_and_one_audit_row_each(alxa, tmp_path):
    records = households(YOUQI_VILLAGES, 25)
    report = load(written(tmp_path, records))
    members = sum(len(h.members) for h in records)
    assert report.households_created == 25
    assert Household.objects.count() == 25
    assert Membership.objects.filter(valid_to__isnull=True, valid_from=EFFECTIVE).count() == members
    assert HouseholdStatus.objects.filter(valid_to__isnull=True).count() == 25
    assert HouseholdConditions.objects.count() == 25
    assert AuditEntry.objects.filter(action="registry.household.imported").count() == 25
    first = records[0]
    income = HouseholdIncome.objects.get(household__code=first.code)
    assert income.size == len(first.members)
    assert income.net_income == (
        first.wage_income
        + first.business_income
        + first.property_income
        + first.transfer_income
        - first.business_costs
    )


def test_importing_the_same_file_twice_changes_nothing_and_says_so(alxa, tmp_path):
    path = written(tmp_path, households(YOUQI_VILLAGES, 10))
    load(path)
    before = counts()
    again = load(path)
    assert not again.changed
    assert again.households_unchanged == 10
    assert counts() == before


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_an_export_imported_again_changes_nothing(alxa, tmp_path, suffix):
    load(written(tmp_path, households(YOUQI_VILLAGES, 8)))
    exported = tmp_path / f"export.{suffix}"
    write_household_file(export_households(user=None, as_of=EFFECTIVE), exported, fmt=suffix)
    before = counts()
    report = load(exported)
    assert report.households_unchanged == 8
    assert not report.changed
    assert counts() == before


def test_a_file_with_one_bad_id_is_refused_whole_and_writes_nothing(alxa, tmp_path):
    records = households(YOUQI_VILLAGES, 6)
    bad_member = dataclasses.replace(records[3].members[0])
    bad_member.id_number = bad_member.id_number[:-1] + (
        "0" if bad_member.id_number[-1] != "0" else "1"
    )
    records[3] = dataclasses.replace(records[3], members=[bad_member, *records[3].members[1:]])
    path = written(tmp_path, records)
    before = counts()
    with pytest.raises(FileRefused) as refused:
        load(path)
    assert counts() == before
    (error,) = refused.value.errors
    assert error.column == "证件号码"
    assert error.value == bad_member.id_number
    assert error.row == 2 + sum(len(h.members) for h in records[:3])


def test_an_area_outside_the_importers_scope_is_refused_by_row(alxa, tmp_path, banner_officer):
    path = written(tmp_path, households(YOUQI_VILLAGES, 3) + households(EJINA_VILLAGES, 1, seed=9))
    with pytest.raises(FileRefused) as refused:
        load(path, actor=banner_officer)
    assert {e.column for e in refused.value.errors} == {"行政区划代码"}
    assert {e.value for e in refused.value.errors} == {"152923200201"}
    assert not Household.objects.exists()


def test_good_rows_mode_writes_the_rest_and_reports_the_bad_rows(alxa, tmp_path, banner_officer):
    records = households(YOUQI_VILLAGES, 3) + households(EJINA_VILLAGES, 2, seed=9)
    path = written(tmp_path, records)
    report = load(path, actor=banner_officer, mode="good-rows")
    assert report.households_created == 3
    assert report.skipped_households == 2
    assert Household.objects.count() == 3
    out = write_error_report(
        path, report.errors, tmp_path / "bad.xlsx", header_row=1, only_bad_rows=True
    )
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    ejina_rows = sum(len(h.members) for h in records[3:])
    assert len(rows) == 1 + ejina_rows
    assert rows[0][-1] == gettext("What is wrong")
    assert all("行政区划代码" in row[-1] for row in rows[1:])


def test_a_person_active_in_another_household_is_refused(alxa, tmp_path):
    records = households(YOUQI_VILLAGES, 2)
    load(written(tmp_path, records[:1]))
    moved = dataclasses.replace(records[0].members[0], relation="other")
    intruder = dataclasses.replace(records[1], members=[*records[1].members, moved])
    with pytest.raises(FileRefused) as refused:
        load(written(tmp_path, [intruder], "second.csv"))
    assert [e.value for e in refused.value.errors] == [records[0].members[0].id_number]


def test_a_changed_file_updates_members_and_income_keeping_history(alxa, tmp_path):
    records = households(YOUQI_VILLAGES, 4, seed=3)
    target = next(h for h in records if len(h.members) >= 2)
    load(written(tmp_path, records))
    leaver = target.members[-1]
    changed = dataclasses.replace(
        target, members=target.members[:-1], wage_income=target.wage_income + Decimal("1000.00")
    )
    report = import_households(
        actor=None,
        parsed=read_household_file(written(tmp_path, [changed], "changed.csv")),
        effective=datetime.date(2025, 6, 1),
    )
    assert report.households_updated == 1
    left = Membership.objects.get(person__id_number=leaver.id_number)
    assert left.valid_to == datetime.date(2025, 6, 1)
    income = HouseholdIncome.objects.get(household__code=target.code)
    assert income.size == len(target.members) - 1
    assert income.wage_income == target.wage_income + Decimal("1000.00")
    assert AuditEntry.objects.filter(action="registry.household.import_updated").count() == 1


def test_export_holds_only_the_users_areas(alxa, tmp_path, banner_officer, ejina_officer):
    load(written(tmp_path, households(YOUQI_VILLAGES, 3) + households(EJINA_VILLAGES, 2, seed=9)))
    youqi = {h.area_code[:6] for h in export_households(user=banner_officer)}
    ejina = [h.code for h in export_households(user=ejina_officer)]
    assert youqi == {"152922"}
    assert len(ejina) == 2
    assert AuditEntry.objects.filter(
        action="registry.export.personal_data_viewed", actor=banner_officer
    ).exists()


def test_export_as_of_an_earlier_date_holds_no_later_households(alxa, tmp_path):
    load(written(tmp_path, households(YOUQI_VILLAGES, 3)))
    assert list(export_households(user=None, as_of=datetime.date(2024, 12, 31))) == []
    assert len(list(export_households(user=None, area_code=RIGHT_BANNER, as_of=EFFECTIVE))) == 3
    assert list(export_households(user=None, area_code=EJINA, as_of=EFFECTIVE)) == []


def _corrupt(lines: list[str], kind: str) -> tuple[list[str], str, int | None]:
    """Break a clean CSV in one way; returns the lines, the column and row to be named."""
    header = lines[0].split(",")
    col = {name: header.index(name) for name in ("证件号码", "与户主关系", "行政区划代码")}
    cells = [line.split(",") for line in lines]
    first_household = cells[1][0]
    second_row_same = next(i for i, c in enumerate(cells[2:], 2) if c[0] == first_household)
    other_household_row = next(i for i, c in enumerate(cells[1:], 1) if c[0] != first_household)
    if kind == "bad_check_digit":
        number = cells[1][col["证件号码"]]
        cells[1][col["证件号码"]] = number[:-1] + ("1" if number[-1] != "1" else "2")
        return [",".join(c) for c in cells], "证件号码", 2
    if kind == "excel_number":
        cells[1][col["证件号码"]] = "1.52922E+17"
        return [",".join(c) for c in cells], "证件号码", 2
    if kind == "two_heads":
        cells[second_row_same][col["与户主关系"]] = "户主"
        return [",".join(c) for c in cells], "与户主关系", second_row_same + 1
    if kind == "fields_disagree":
        cells[second_row_same][col["行政区划代码"]] = "152922103202"
        return [",".join(c) for c in cells], "行政区划代码", second_row_same + 1
    if kind == "same_person_twice":
        cells[other_household_row][col["证件号码"]] = cells[1][col["证件号码"]]
        return [",".join(c) for c in cells], "证件号码", other_household_row + 1
    if kind == "missing_column":
        index = col["证件号码"]
        return [",".join(c[:index] + c[index + 1 :]) for c in cells], "证件号码", None
    raise ValueError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "bad_check_digit",
        "excel_number",
        "two_heads",
        "fields_disagree",
        "same_person_twice",
        "missing_column",
    ],
)
def test_a_corrupt_file_is_refused_naming_row_and_column_and_nothing_changes(alxa, tmp_path, kind):
    records = [h for h in households(YOUQI_VILLAGES, 12, seed=5) if len(h.members) >= 2][:4]
    clean = written(tmp_path, records)
    lines = clean.read_text(encoding="utf-8-sig").splitlines()
    broken, column, row = _corrupt(lines, kind)
    path = tmp_path / f"{kind}.csv"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8-sig")
    load(written(tmp_path, households(EJINA_VILLAGES, 1, seed=99), "other.csv"))
    before = counts()
    with pytest.raises(FileRefused) as refused:
        load(path)
    assert counts() == before
    assert any(e.column == column and e.row == row for e in refused.value.errors), [
        (e.row, e.column, str(e.reason)) for e in refused.value.errors
    ]
