"""Reading a household CSV by columns gives exactly what reading it row by row gives.

A clean file is read by columns (fast); a file with anything wrong, or in a form the column
reader does not take, is left to the row reader, which names every error. The two must
never differ, so each file here is read both ways and compared.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.utils.translation import override

from tuopin.core.models import AuditEntry
from tuopin.demo.generator import Generator, Village
from tuopin.registry.bulk import import_households
from tuopin.registry.idnumbers import check_digit, check_id_number
from tuopin.registry.importers import columnar
from tuopin.registry.importers.columnar import read_clean_csv
from tuopin.registry.importers.household_file import (
    ParsedFile,
    read_household_file,
    write_household_file,
)
from tuopin.registry.models import Household, Membership, Person
from tuopin.registry.tests.test_household_file import (
    CHILD,
    CHINESE,
    HEAD,
    HOUSEHOLD,
    SPOUSE,
    csv_file,
    id_ending_in_x,
    id_number,
    member,
    renamed,
    two_households,
    without,
)

VILLAGES = [Village("152922103201", "152922", False), Village("152922211201", "152922", True)]
EFFECTIVE = datetime.date(2025, 1, 1)


def _located(errors: list[Any]) -> list[tuple[Any, ...]]:
    with override("en"):
        return [(e.row, e.column, e.value, str(e.reason)) for e in errors]


def assert_same(by_columns: ParsedFile, by_rows: ParsedFile) -> None:
    assert by_columns.households == by_rows.households
    assert [h.rows for h in by_columns.households] == [h.rows for h in by_rows.households]
    assert _located(by_columns.errors) == _located(by_rows.errors)
    assert _located(by_columns.warnings) == _located(by_rows.warnings)
    assert by_columns.headers == by_rows.headers
    assert by_columns.header_row == by_rows.header_row
    assert by_columns.rows_read == by_rows.rows_read
    assert by_columns.unknown_columns == by_rows.unknown_columns


def both_ways(path: Path) -> tuple[ParsedFile, ParsedFile]:
    return read_household_file(path), read_household_file(path, by_columns=False)


def test_a_generated_file_is_read_by_columns_exactly_as_row_by_row(tmp_path):
    path = tmp_path / "generated.csv"
    write_household_file(Generator(VILLAGES, seed=11).households(300), path, fmt="csv")

    by_columns, by_rows = both_ways(path)

    assert by_columns.table is not None  # really read by columns
    assert by_rows.table is None
    assert len(by_columns.households) == 300
    assert_same(by_columns, by_rows)


def _gb18030_title_full_width(tmp_path: Path) -> Path:
    rows = [
        member(
            {**HOUSEHOLD, "wage_income": "１２,０００.００", "monitor_type": "脱贫不稳定户"},
            id_number="１５２９２２１９８００１０１１２３" + HEAD[-1],
            birth_date="1980-01-01",
            monitor_since="2024/3/1",
        ),
        member(
            {**HOUSEHOLD, "wage_income": "１２,０００.００", "monitor_type": "脱贫不稳定户"},
            name="其其格",
            id_number=SPOUSE,
            relation="配偶",
            monitor_since="2024/3/1",
            sex="女",
        ),
    ]
    return csv_file(tmp_path, rows, before=[["阿拉善右旗巴丹吉林镇监测信息表"]], encoding="gb18030")


def _english_keys_with_bom(tmp_path: Path) -> Path:
    columns = [(key, key) for key, _h in CHINESE]
    rows = [
        member(
            {**HOUSEHOLD, "household_type": "tuopin", "housing_grade": "b"},
            relation="head",
            medical_insured="true",
        )
    ]
    return csv_file(tmp_path, rows, columns, encoding="utf-8-sig")


def _blank_lines_and_a_lower_case_x(tmp_path: Path) -> Path:
    x = id_ending_in_x()
    rows = [*two_households(), {}, member(name="小明", id_number=x[:-1] + "x", relation="子")]
    return csv_file(tmp_path, rows)


def _issued_elsewhere_and_other_documents(tmp_path: Path) -> Path:
    incomer = id_number("19900101", "131", region="110105")
    rows = [
        *two_households(),
        member(name="张伟", id_number=incomer, relation="女婿"),
        member(name="赵兰", id_type="残疾人证", id_number="D-0042", relation="其他"),
    ]
    return csv_file(tmp_path, rows)


def _rows_apart_written_differently(tmp_path: Path) -> Path:
    rows = two_households()
    rows[1]["water_access"] = "yes"
    rows.append(member(name="小明", id_number=CHILD, relation="子"))
    return csv_file(tmp_path, rows)


def _extra_and_missing_optional_columns(tmp_path: Path) -> Path:
    columns = [*without("ethnicity", without("labour")), ("note", "备注")]
    rows = [{**row, "note": "核实"} for row in two_households()]
    return csv_file(tmp_path, rows, renamed(columns, name=" 姓名 "))


@pytest.mark.parametrize(
    "make",
    [
        _gb18030_title_full_width,
        _english_keys_with_bom,
        _blank_lines_and_a_lower_case_x,
        _issued_elsewhere_and_other_documents,
        _rows_apart_written_differently,
        _extra_and_missing_optional_columns,
    ],
)
def test_messy_good_files_read_the_same_both_ways(tmp_path, make):
    by_columns, by_rows = both_ways(make(tmp_path))

    assert by_rows.errors == []
    assert by_columns.table is not None
    assert_same(by_columns, by_rows)


def test_a_region_warning_is_given_the_same_by_columns(tmp_path):
    by_columns, by_rows = both_ways(_issued_elsewhere_and_other_documents(tmp_path))

    assert len(by_columns.warnings) == 1
    assert _located(by_columns.warnings) == _located(by_rows.warnings)


def _mutate(**changes: Any) -> Any:
    def rows() -> list[dict[str, Any]]:
        result = two_households()
        index = changes.pop("_row", 0)
        household = {k: v for k, v in changes.items() if k in HOUSEHOLD}
        result[index] = {**result[index], **household, **changes}
        return result

    return rows


BAD = {
    "negative amount": _mutate(transfer_income="-500"),
    "amount in words": _mutate(transfer_income="五百"),
    "misplaced comma": _mutate(transfer_income="12,34.5"),
    "three decimals": _mutate(transfer_income="1.234"),
    "amount too large": _mutate(wage_income="10000000000"),
    "yes or no": _mutate(water_access="可能"),
    "unknown term": _mutate(household_type="贫困户"),
    "tuopin without year": _mutate(tuopin_year=""),
    "tuopin year out of range": _mutate(tuopin_year="2021"),
    "monitored without date": _mutate(monitor_type="突发严重困难户"),
    "date without monitoring": _mutate(monitor_since="2024-01-01"),
    "serial date": _mutate(monitor_type="边缘易致贫户", monitor_since="45352"),
    "impossible date": _mutate(birth_date="1980年2月30日"),
    "required empty": _mutate(_row=1, medical_insured=""),
    "short area code": _mutate(area_code="1529221032"),
    "sex disagrees": _mutate(sex="女"),
    "birth disagrees": _mutate(birth_date="1980-01-02"),
    "check digit": _mutate(id_number=HEAD[:-1] + ("0" if HEAD[-1] != "0" else "1")),
    "lost final X": _mutate(id_number=id_ending_in_x()[:-1]),
    "scientific id": _mutate(id_number="1.52922E+17"),
    "future birth": _mutate(id_number=id_number("20990101", "123")),
    "name too long": _mutate(name="长" * 61),
    "code too long": _mutate(household_code="H" * 41),
    "no household code": _mutate(household_code=""),
    "disagreeing household": _mutate(_row=1, housing_grade="C"),
    "same person twice": _mutate(_row=2, id_number=SPOUSE),
    "two heads": _mutate(_row=1, relation="户主"),
    "no head": _mutate(_row=2, relation="子"),
    "unknown relation": _mutate(relation="表亲"),
    "count not a number": _mutate(measures="两"),
    "repeated header": lambda: [{key: key for key, _h in CHINESE}, *two_households()],
    "other digits": _mutate(area_code="١٥٢٩٢٢١٠٣٢٠١"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_a_file_with_an_error_is_left_to_the_row_reader(tmp_path, name):
    path = csv_file(tmp_path, BAD[name]())

    assert read_clean_csv(path.read_bytes()) is None
    by_columns, by_rows = both_ways(path)
    assert_same(by_columns, by_rows)


def test_a_missing_column_is_left_to_the_row_reader(tmp_path):
    path = csv_file(tmp_path, two_households(), without("medical_insured"))

    assert read_clean_csv(path.read_bytes()) is None
    assert read_household_file(path).errors


def test_a_quoted_line_break_is_left_to_the_row_reader(tmp_path):
    rows = two_households()
    rows[0]["ethnicity"] = "蒙古族\n(牧区)"
    path = csv_file(tmp_path, rows)

    assert read_clean_csv(path.read_bytes()) is None
    by_columns, by_rows = both_ways(path)
    assert_same(by_columns, by_rows)


def test_a_file_written_by_columns_is_what_the_row_reader_would_write(alxa, tmp_path):
    path = tmp_path / "generated.csv"
    write_household_file(Generator(VILLAGES, seed=5).households(40), path, fmt="csv")
    parsed = read_household_file(path)
    assert parsed.table is not None

    created = import_households(actor=None, parsed=parsed, effective=EFFECTIVE)
    again = import_households(
        actor=None, parsed=read_household_file(path, by_columns=False), effective=EFFECTIVE
    )

    assert created.households_created == 40
    assert created.members_written == Membership.objects.count() == Person.objects.count()
    # The row-by-row import compares every stored value with the file: nothing differs.
    assert again.households_unchanged == 40
    assert not again.changed
    first = parsed.households[0]
    household = Household.objects.get(code=first.code)
    (entry,) = AuditEntry.objects.filter(
        action="registry.household.imported", object_id=str(household.pk)
    )
    assert entry.diff == {"created": True, "members": len(first.members), "rows": [2]}
    assert entry.area_code == first.area_code
    assert entry.actor_name == "console"


def test_the_vectorised_id_check_agrees_with_check_id_number():
    draw = random.Random(2014)  # noqa: S311 - test data, not secrets
    numbers = []
    for _ in range(3000):
        first17 = (
            f"152922{draw.randint(1880, 2035):04d}{draw.randint(0, 13):02d}"
            f"{draw.randint(0, 32):02d}{draw.randint(0, 999):03d}"
        )
        last = check_digit(first17) if draw.random() < 0.7 else draw.choice("0123456789X")
        numbers.append(first17 + last)
    valid = 0
    for number in numbers:
        check = check_id_number(number)
        try:
            birth, sex = columnar._resident_ids(pl.Series([number]), datetime.date.today())
        except columnar._NotHere:
            assert not check.ok, number
            continue
        valid += 1
        assert check.ok, number
        assert birth[0] == check.birth_date
        assert sex[0] == ("male" if check.sex == "男" else "female")
    assert 1000 < valid < 3000  # both kinds were drawn


def test_quoted_fields_read_by_columns_as_python_reads_them(tmp_path):
    rows = two_households()
    rows[0]["ethnicity"] = '蒙古族,"牧区"'  # written quoted, with doubled quotes
    for row in rows[:2]:
        row["wage_income"] = "12,000.00"
    by_columns, by_rows = both_ways(csv_file(tmp_path, rows))

    assert by_columns.table is not None
    assert by_rows.households[0].members[0].ethnicity == '蒙古族,"牧区"'
    assert_same(by_columns, by_rows)


@pytest.mark.parametrize("written", ["蒙古Q族", "Q蒙古Q族", "蒙古族QQ"])
def test_stray_quotes_read_the_same_both_ways(tmp_path, written):
    rows = two_households()
    rows[0]["ethnicity"] = written
    path = csv_file(tmp_path, rows)
    path.write_bytes(path.read_bytes().replace(b"Q", b'"'))

    by_columns, by_rows = both_ways(path)

    assert by_rows.errors == []
    assert_same(by_columns, by_rows)


def test_a_nul_byte_is_left_to_the_row_reader(tmp_path):
    rows = two_households()
    rows[0]["ethnicity"] = "蒙古\x00族"
    path = csv_file(tmp_path, rows)

    assert read_clean_csv(path.read_bytes()) is None
    by_columns, by_rows = both_ways(path)
    assert_same(by_columns, by_rows)
