"""The household file (spec/household-file.md): what it accepts, what it refuses, and where.

Every refusal is located as the cadre sees it: the spreadsheet's own row number and the
column header as written in the file. Messages are compared in English; the suite runs with
zh-hans active.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils.translation import override

from tuopin.core.tabular import RowError
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.importers.household_file import (
    COLUMNS,
    ParsedFile,
    ParsedHousehold,
    read_household_file,
    write_household_file,
)
from tuopin.registry.services import MemberInput

AREA = "152922103201"  # a gaqa of 巴丹吉林镇, 阿拉善右旗


def id_number(birth: str = "19800101", seq: str = "123", region: str = "152922") -> str:
    first17 = region + birth + seq
    return first17 + check_digit(first17)


def id_ending_in_x(birth: str = "19750505", region: str = "152922") -> str:
    for seq in range(1000):
        number = id_number(birth, f"{seq:03d}", region)
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives X")


HEAD = id_number("19800101", "123")  # odd sequence digit: male
SPOUSE = id_number("19820202", "124")  # even: female
CHILD = id_number("20080808", "135")
OTHER_HEAD = id_number("19700303", "111")
OTHER_SPOUSE = id_number("19720404", "222")

HOUSEHOLD: dict[str, Any] = {
    "household_code": "H001",
    "area_code": AREA,
    "household_type": "脱贫户",
    "tuopin_year": "2018",
    "attribute": "一般贫困户",
    "main_cause": "因病",
    "income_year": "2024",
    "wage_income": "12000",
    "business_income": "3000.50",
    "property_income": "0",
    "transfer_income": "1500",
    "business_costs": "800",
    "housing_grade": "A",
    "water_quantity": "是",
    "water_quality": "是",
    "water_access": "是",
    "water_reliability": "是",
}


def member(household: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """A row: the household's columns, then one member's."""
    return {
        **(household or HOUSEHOLD),
        "name": "巴特尔",
        "id_number": HEAD,
        "relation": "户主",
        "medical_insured": "是",
        **fields,
    }


def two_households() -> list[dict[str, Any]]:
    other = {**HOUSEHOLD, "household_code": "H002", "household_type": "一般农户", "tuopin_year": ""}
    return [
        member(),
        member(name="其其格", id_number=SPOUSE, relation="配偶"),
        member(other, name="王刚", id_number=OTHER_HEAD),
        member(other, name="李梅", id_number=OTHER_SPOUSE, relation="配偶"),
    ]


Columns = Sequence[tuple[str, str]]
CHINESE: Columns = [(column.key, column.header) for column in COLUMNS]


def without(key: str, columns: Columns = CHINESE) -> Columns:
    return [(k, header) for k, header in columns if k != key]


def renamed(columns: Columns = CHINESE, **headers: str) -> Columns:
    return [(key, headers.get(key, header)) for key, header in columns]


def table(rows: Iterable[dict[str, Any]], columns: Columns = CHINESE) -> list[list[Any]]:
    return [[header for _k, header in columns]] + [
        [row.get(key, "") for key, _h in columns] for row in rows
    ]


def csv_file(
    tmp_path: Path,
    rows: Iterable[dict[str, Any]],
    columns: Columns = CHINESE,
    *,
    before: Sequence[Sequence[str]] = (),
    encoding: str = "utf-8",
) -> Path:
    path = tmp_path / "households.csv"
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerows(before)
        writer.writerows(table(rows, columns))
    return path


def xlsx_file(
    tmp_path: Path,
    rows: Iterable[dict[str, Any]],
    columns: Columns = CHINESE,
    *,
    before: Sequence[Sequence[Any]] = (),
) -> Path:
    path = tmp_path / "households.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in [*before, *table(rows, columns)]:
        sheet.append(list(line))
    workbook.save(path)
    return path


def read_csv_rows(tmp_path: Path, rows: Iterable[dict[str, Any]], **kwargs: Any) -> ParsedFile:
    return read_household_file(csv_file(tmp_path, rows, **kwargs))


def reason(error: RowError) -> str:
    with override("en"):
        return str(error.reason)


def only_error(parsed: ParsedFile) -> RowError:
    with override("en"):
        assert len(parsed.errors) == 1, [str(error) for error in parsed.errors]
    return parsed.errors[0]


# --- files that parse ------------------------------------------------------------------------


def test_a_clean_file_gives_households_in_stored_codes(tmp_path):
    parsed = read_csv_rows(tmp_path, two_households())

    assert parsed.errors == []
    assert parsed.header_row == 1
    assert parsed.rows_read == 4
    first, second = parsed.households
    assert first.code == "H001"
    assert first.household_type == "tuopin"
    assert first.tuopin_year == 2018
    assert first.attribute == "general"
    assert first.main_cause == "illness"
    assert first.business_income == Decimal("3000.50")
    assert first.compliant_expenses == Decimal("0.00")
    assert first.food_clothing is True
    assert first.measures == 0
    assert first.rows == [2, 3]
    head, spouse = first.members
    assert head == MemberInput(
        name="巴特尔",
        id_number=HEAD,
        relation="head",
        sex="male",
        birth_date=datetime.date(1980, 1, 1),
        medical_insured=True,
    )
    assert spouse.relation == "spouse"
    assert spouse.sex == "female"
    assert second.household_type == "ordinary"
    assert second.tuopin_year is None


def test_a_messy_workbook_parses(tmp_path):
    lower_x = id_ending_in_x()
    household = {
        **HOUSEHOLD,
        "area_code": "１５２９２２１０３２０１",  # full-width digits
        "wage_income": "12,345.60",
        "business_income": 3000.5,  # a number cell
        "transfer_income": "１,５００",
        "food_clothing": "√",
        "water_quantity": "yes",
        "water_quality": True,  # an Excel TRUE cell
        "water_access": 1,
        "water_reliability": "TRUE",
        "monitor_type": "边缘易致贫户",
        "monitor_since": datetime.datetime(2024, 3, 1),  # a date cell
        "measures": 2,
    }
    columns = renamed(
        household_code="household_code",
        id_number="ID_Number",
        wage_income="wage_income",
        name=" 姓名 ",
    )
    columns = [*columns[:5], ("note", "备注"), *columns[5:]]
    rows = [
        member(household, id_number=lower_x.lower(), birth_date="1975/5/5", note="新户"),
        {},  # a blank row between members
        member(
            household,
            name="其其格",
            id_number=SPOUSE,
            relation="配偶",
            sex="女",
            birth_date="1982年2月2日",
            pension_insured="×",
        ),
        member(
            household,
            name="小明",
            id_number=CHILD,
            relation="子",
            birth_date=datetime.datetime(2008, 8, 8),
            schooling="高中",
            medical_insured="no",
            pension_insured="0",
            id_type="居民身份证",
        ),
    ]
    title = ["阿拉善盟××嘎查监测信息表"]
    path = xlsx_file(tmp_path, rows, columns, before=[title, ["填报日期：2024年3月1日"], []])
    workbook = openpyxl.load_workbook(path)
    workbook.active.merge_cells("A1:H1")
    workbook.save(path)

    parsed = read_household_file(path)

    assert parsed.errors == []
    assert parsed.warnings == []
    assert parsed.unknown_columns == ["备注"]
    assert parsed.header_row == 4
    assert parsed.rows_read == 3
    (household_read,) = parsed.households
    assert household_read.rows == [5, 7, 8]
    assert household_read.area_code == AREA
    assert household_read.wage_income == Decimal("12345.60")
    assert household_read.business_income == Decimal("3000.50")
    assert household_read.transfer_income == Decimal("1500.00")
    assert household_read.food_clothing is True
    assert household_read.water_quality is True
    assert household_read.water_access is True
    assert household_read.water_reliability is True
    assert household_read.monitor_type == "marginal"
    assert household_read.monitor_since == datetime.date(2024, 3, 1)
    assert household_read.measures == 2
    head, spouse, child = household_read.members
    assert head.id_number == lower_x
    assert head.birth_date == datetime.date(1975, 5, 5)
    assert spouse.birth_date == datetime.date(1982, 2, 2)
    assert spouse.pension_insured is False
    assert child.birth_date == datetime.date(2008, 8, 8)
    assert child.schooling == "senior"
    assert child.medical_insured is False


def test_a_gb18030_csv_with_a_title_and_full_width_digits_parses(tmp_path):
    rows = [
        member(
            {**HOUSEHOLD, "wage_income": "１２,０００.００", "monitor_type": "脱贫不稳定户"},
            id_number="１５２９２２１９８００１０１１２３" + HEAD[-1],
            birth_date="1980-01-01",
            monitor_since="2024/3/1",
        )
    ]
    path = csv_file(tmp_path, rows, before=[["阿拉善右旗巴丹吉林镇监测信息表"]], encoding="gb18030")
    assert path.read_bytes().decode("gb18030")  # really written as GB18030
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")

    parsed = read_household_file(path)

    assert parsed.errors == []
    (household,) = parsed.households
    assert household.wage_income == Decimal("12000.00")
    assert household.monitor_type == "unstable_tuopin"
    assert household.monitor_since == datetime.date(2024, 3, 1)
    assert household.members[0].id_number == HEAD
    assert household.rows == [3]


def test_a_utf8_csv_with_bom_and_english_keys_and_codes_parses(tmp_path):
    columns = [(key, key) for key, _h in CHINESE]
    rows = [
        member(
            {**HOUSEHOLD, "household_type": "tuopin", "housing_grade": "b"},
            relation="head",
            medical_insured="true",
        )
    ]
    parsed = read_household_file(csv_file(tmp_path, rows, columns, encoding="utf-8-sig"))

    assert parsed.errors == []
    assert parsed.households[0].household_type == "tuopin"
    assert parsed.households[0].housing_grade == "B"
    assert parsed.households[0].members[0].relation == "head"


def test_an_upload_is_read_from_a_file_object(tmp_path):
    data = csv_file(tmp_path, two_households()).read_bytes()

    parsed = read_household_file(io.BytesIO(data), filename="upload.csv")

    assert parsed.errors == []
    assert len(parsed.households) == 2


def test_the_members_sheet_is_read_rather_than_the_first(tmp_path):
    path = xlsx_file(tmp_path, two_households())
    workbook = openpyxl.load_workbook(path)
    workbook.active.title = "成员"
    notes = workbook.create_sheet("填表说明", 0)
    notes.append(["户编号", "证件号码"])
    workbook.save(path)

    parsed = read_household_file(path)

    assert parsed.errors == []
    assert len(parsed.households) == 2


def test_a_second_header_line_of_english_keys_is_not_a_row(tmp_path):
    rows = [{key: key for key, _h in CHINESE}, *two_households()]

    parsed = read_csv_rows(tmp_path, rows)

    assert parsed.errors == []
    assert parsed.rows_read == 4
    assert parsed.households[0].rows == [3, 4]


def test_an_id_issued_outside_the_area_is_a_warning_not_an_error(tmp_path):
    incomer = id_number("19900909", "246", region="110105")
    rows = [*two_households()[:2], member(name="张伟", id_number=incomer, relation="女婿")]

    parsed = read_csv_rows(tmp_path, rows)

    assert parsed.errors == []
    (warning,) = parsed.warnings
    assert (warning.row, warning.column, warning.value) == (4, "证件号码", incomer)
    assert "region 110105" in reason(warning)


def test_other_documents_need_only_a_number(tmp_path):
    rows = [*two_households()[:2], member(name="张伟", id_type="残疾人证", id_number="D-0042")]
    rows[2]["relation"] = "其他"

    parsed = read_csv_rows(tmp_path, rows)

    assert parsed.errors == []
    assert parsed.households[0].members[2].id_type == "disability_cert"
    assert parsed.households[0].members[2].id_number == "D-0042"


# --- files that are refused, row by row ------------------------------------------------------


def test_import_rejects_an_id_number_excel_turned_into_a_number_cell(tmp_path):
    rows = two_households()
    rows[1]["id_number"] = float(SPOUSE[:15] + "E+3")  # Excel keeps 15 significant digits
    rows[3]["id_number"] = 152922720404222  # even a number that lost nothing (yet)

    parsed = read_household_file(xlsx_file(tmp_path, rows))

    first, second = parsed.errors
    assert (first.row, first.column) == (3, "证件号码")
    assert first.value == SPOUSE[:15] + "000"  # as Excel shows it, not 1.52922E+17
    assert reason(first).startswith("Excel turned this ID number into a number")
    assert (second.row, second.column, second.value) == (5, "证件号码", "152922720404222")
    assert reason(second).startswith("Excel turned this ID number into a number")
    assert parsed.households == []


def test_import_rejects_an_id_number_in_scientific_notation(tmp_path):
    rows = two_households()
    rows[1]["id_number"] = "1.52921E+17"

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (3, "证件号码", "1.52921E+17")
    assert "turned this ID number into a number" in reason(error)


def test_import_rejects_an_id_number_that_lost_its_final_x(tmp_path):
    number = id_ending_in_x()
    rows = two_households()
    rows[1]["id_number"] = number[:17]

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (3, "证件号码", number[:17])
    assert "final X is missing" in reason(error)


def test_import_rejects_row_with_bad_check_digit(tmp_path):
    wrong = SPOUSE[:17] + ("0" if SPOUSE[17] != "0" else "1")
    rows = two_households()
    rows[1]["id_number"] = wrong

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (3, "证件号码", wrong)
    assert "check digit does not match" in reason(error)


def test_import_rejects_an_id_number_with_an_impossible_birth_date(tmp_path):
    impossible = id_number("19810230", "124")
    rows = two_households()
    rows[1]["id_number"] = impossible

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (3, "证件号码", impossible)
    assert "birth date in this ID number does not exist" in reason(error)


def test_the_error_names_the_column_as_written(tmp_path):
    rows = two_households()
    rows[1]["id_number"] = SPOUSE[:17] + ("0" if SPOUSE[17] != "0" else "1")
    columns = renamed(id_number="ID_number")

    error = only_error(read_csv_rows(tmp_path, rows, columns=columns))

    assert (error.row, error.column) == (3, "ID_number")


def test_import_rejects_the_same_person_twice_in_one_household(tmp_path):
    rows = two_households()
    rows.insert(2, member(name="其其格", id_number=SPOUSE, relation="女"))

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (4, "证件号码", SPOUSE)
    assert reason(error) == "The same person already stands on row 3 (household H001)."


def test_import_rejects_the_same_person_in_two_households(tmp_path):
    rows = two_households()
    rows[3]["id_number"] = SPOUSE

    parsed = read_csv_rows(tmp_path, rows)

    error = only_error(parsed)
    assert (error.row, error.column, error.value) == (5, "证件号码", SPOUSE)
    assert reason(error) == "The same person already stands on row 3 (household H001)."
    assert parsed.households == []  # neither household is taken


def test_import_rejects_a_household_without_a_head(tmp_path):
    rows = two_households()
    rows[0]["relation"] = "父亲"

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column) == (2, "与户主关系")
    assert reason(error) == ("Household H001 has no head of household (户主); its rows are 2–3.")


def test_import_rejects_a_household_with_two_heads(tmp_path):
    rows = two_households()
    rows[1]["relation"] = "户主"

    parsed = read_csv_rows(tmp_path, rows)

    error = only_error(parsed)
    assert (error.row, error.column, error.value) == (3, "与户主关系", "户主")
    assert reason(error) == (
        "Household H001 has 2 heads of household (户主), on rows 2–3; it must have exactly one."
    )
    assert [household.code for household in parsed.households] == ["H002"]


def test_a_missing_required_column_is_one_error_and_stops_the_reading(tmp_path):
    rows = two_households()
    rows[1]["id_number"] = "not an id"  # would be an error, but the reading stops first

    parsed = read_csv_rows(tmp_path, rows, columns=without("wage_income"))

    error = only_error(parsed)
    assert (error.row, error.column, error.value) == (None, "工资性收入", "")
    assert reason(error) == "This required column is missing."
    assert parsed.households == []
    assert parsed.rows_read == 0


def test_a_file_without_a_header_row_names_the_key_column_it_lacks(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("这不是户信息表\n户编号,姓名\n", encoding="utf-8")

    parsed = read_household_file(path)

    assert [(e.row, e.column) for e in parsed.errors] == [(None, "证件号码")]


def test_import_rejects_household_fields_that_disagree_between_rows(tmp_path):
    rows = two_households()
    rows[1]["wage_income"] = "12500"

    error = only_error(read_csv_rows(tmp_path, rows, columns=renamed(wage_income="Wage_Income")))

    assert (error.row, error.column, error.value) == (3, "Wage_Income", "12500")
    assert reason(error).startswith("This differs from row 2 of the same household;")


def test_household_fields_written_differently_but_equal_agree(tmp_path):
    rows = two_households()
    rows[1].update(wage_income="12,000.00", water_quality="yes", household_type="tuopin")

    parsed = read_csv_rows(tmp_path, rows)

    assert parsed.errors == []


def test_a_household_whose_rows_are_apart_is_still_checked(tmp_path):
    rows = two_households()
    rows.append(member(name="小明", id_number=CHILD, relation="子", housing_grade="C"))

    parsed = read_csv_rows(tmp_path, rows)

    error = only_error(parsed)
    assert (error.row, error.column, error.value) == (6, "住房安全等级", "C")
    assert "differs from row 2" in reason(error)


def test_import_rejects_a_sex_that_disagrees_with_the_id_number(tmp_path):
    rows = two_households()
    rows[1]["sex"] = "男"

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (3, "性别", "男")
    assert reason(error) == "The sex does not agree with the ID number (which says Female)."


def test_import_rejects_a_birth_date_that_disagrees_with_the_id_number(tmp_path):
    rows = two_households()
    rows[1]["birth_date"] = "1982-02-03"

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (3, "出生日期", "1982-02-03")
    assert "(which says 1982-02-02)" in reason(error)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-500", "An amount cannot be negative."),
        ("五百", "An amount is a number of yuan, such as 12345.60."),
        ("12,34.5", "An amount is a number of yuan, such as 12345.60."),
        ("1.234", "An amount has at most 2 decimal places (fen)."),
    ],
)
def test_import_rejects_a_bad_amount(tmp_path, value, message):
    rows = [member({**HOUSEHOLD, "transfer_income": value})]

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (2, "转移性收入", value)
    assert reason(error) == message


def test_a_negative_amount_in_a_number_cell_is_refused(tmp_path):
    rows = [member({**HOUSEHOLD, "business_costs": -12.5})]

    error = only_error(read_household_file(xlsx_file(tmp_path, rows)))

    assert (error.row, error.column, error.value) == (2, "生产经营性支出", "-12.5")
    assert reason(error) == "An amount cannot be negative."


def test_import_rejects_a_bad_yes_no(tmp_path):
    rows = [member({**HOUSEHOLD, "water_access": "可能"})]

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (2, "取水方便程度达标", "可能")
    assert reason(error).startswith("Write 是 or 否")


def test_import_rejects_an_unknown_term(tmp_path):
    rows = [member({**HOUSEHOLD, "household_type": "贫困户"})]

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (2, "户类型", "贫困户")
    assert reason(error) == "Unknown value; use one of: 脱贫户、一般农户、未脱贫户."


def test_import_rejects_a_tuopin_household_without_its_year(tmp_path):
    rows = [member({**HOUSEHOLD, "tuopin_year": ""})]

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (2, "脱贫年度", "")
    assert reason(error) == "A tuopin household needs the year it was lifted out of poverty."


def test_import_rejects_a_tuopin_year_outside_2014_to_2020(tmp_path):
    rows = [member({**HOUSEHOLD, "tuopin_year": "2021"})]

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (2, "脱贫年度", "2021")
    assert reason(error) == "The year must lie between 2014 and 2020."


def test_import_rejects_a_monitor_type_without_its_date(tmp_path):
    rows = [member({**HOUSEHOLD, "monitor_type": "突发严重困难户"})]

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (2, "纳入监测日期", "")
    assert reason(error) == "A monitored household needs the date it was identified."


def test_an_excel_serial_number_in_a_csv_is_not_a_date(tmp_path):
    rows = [member({**HOUSEHOLD, "monitor_type": "边缘易致贫户", "monitor_since": "45352"})]

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (2, "纳入监测日期", "45352")
    assert reason(error).startswith("This is a number, not a date")


def test_a_date_that_does_not_exist_is_refused(tmp_path):
    rows = [member(birth_date="1980年2月30日")]

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (2, "出生日期", "1980年2月30日")
    assert reason(error) == "This date does not exist."


def test_a_required_cell_left_empty_is_refused(tmp_path):
    rows = two_households()
    rows[1]["medical_insured"] = ""

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (3, "参加基本医疗保险", "")
    assert reason(error) == "This column requires a value."


def test_an_area_code_has_twelve_digits(tmp_path):
    rows = [member({**HOUSEHOLD, "area_code": "1529221032"})]

    error = only_error(read_csv_rows(tmp_path, rows))

    assert (error.row, error.column, error.value) == (2, "行政区划代码", "1529221032")


def test_every_error_of_the_file_is_reported_not_only_the_first(tmp_path):
    rows = two_households()
    rows[0]["sex"] = "女"
    rows[2]["wage_income"] = "abc"
    rows[3]["wage_income"] = "abc"
    rows[3]["relation"] = "表亲"

    parsed = read_csv_rows(tmp_path, rows)

    assert [(e.row, e.column) for e in parsed.errors] == [
        (2, "性别"),
        (4, "工资性收入"),
        (5, "工资性收入"),
        (5, "与户主关系"),
    ]
    assert parsed.households == []


def test_an_old_xls_file_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "households.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)

    error = only_error(read_household_file(path))

    assert (error.row, error.value) == (None, "households.xls")
    assert ".xlsx" in reason(error)


# --- writing ---------------------------------------------------------------------------------


def rich_households(tmp_path: Path) -> list[ParsedHousehold]:
    monitored = {
        **HOUSEHOLD,
        "household_code": "152922103201-0007",
        "household_type": "一般农户",
        "tuopin_year": "",
        "attribute": "",
        "main_cause": "",
        "compliant_expenses": "23,456.78",
        "food_clothing": "否",
        "housing_grade": "C",
        "water_reliability": "否",
        "monitor_type": "突发严重困难户",
        "monitor_since": "2023年11月5日",
        "measures": "3",
    }
    rows = [
        *two_households(),
        member(monitored, name="阿拉坦·其木格", id_number=id_ending_in_x(), ethnicity="蒙古族"),
        member(
            monitored,
            name="小明",
            id_number=CHILD,
            relation="子",
            education="初中",
            schooling="高中",
            health="残疾",
            labour="无劳动力",
            pension_insured="否",
        ),
        member(monitored, name="张伟", id_type="残疾人证", id_number="15292219800101123X42"),
    ]
    rows[-1]["relation"] = "兄弟姐妹"
    rows[0]["pension_insured"] = "是"
    parsed = read_csv_rows(tmp_path, rows)
    assert parsed.errors == []
    return parsed.households


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_written_file_reads_back_as_the_same_households(tmp_path, fmt):
    households = rich_households(tmp_path)
    path = tmp_path / f"export.{fmt}"

    write_household_file(households, path, fmt=fmt)
    parsed = read_household_file(path)

    assert parsed.errors == []
    assert parsed.unknown_columns == []
    assert parsed.households == households
    assert parsed.households[2].members[0].id_number.endswith("X")


def test_a_written_workbook_keeps_codes_and_id_numbers_as_text(tmp_path):
    path = tmp_path / "export.xlsx"
    write_household_file(rich_households(tmp_path), path)

    sheet = openpyxl.load_workbook(path)["成员"]
    header = [cell.value for cell in sheet[1]]
    assert header == [column.header for column in COLUMNS]
    for key in ("household_code", "area_code", "id_number"):
        cell = sheet.cell(row=2, column=header.index(dict(CHINESE)[key]) + 1)
        assert cell.data_type == "s"
        assert cell.number_format == "@"


def test_a_written_workbook_never_turns_text_into_a_formula(tmp_path):
    parsed = read_csv_rows(tmp_path, [member(name='=HYPERLINK("http://x")')])
    assert parsed.errors == []
    path = tmp_path / "export.xlsx"

    write_household_file(parsed.households, path)

    sheet = openpyxl.load_workbook(path)["成员"]
    name = sheet.cell(row=2, column=[c.key for c in COLUMNS].index("name") + 1)
    assert name.data_type == "s"
    assert read_household_file(path).households == parsed.households


def test_a_written_csv_is_utf8_with_bom_and_chinese_headers(tmp_path):
    path = tmp_path / "export.csv"
    write_household_file(rich_households(tmp_path), path, fmt="csv")

    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    first_line = data[len(codecs.BOM_UTF8) :].decode("utf-8").splitlines()[0]
    assert first_line.split(",") == [column.header for column in COLUMNS]


# --- scale -----------------------------------------------------------------------------------


def test_two_hundred_thousand_member_rows_parse_in_bounded_time(tmp_path):
    size = 200_000
    path = tmp_path / "large.csv"
    header = [column.header for column in COLUMNS]
    base = member()
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for n in range(size):
            first17 = (
                f"1529{n // 1000 % 100:02d}19{50 + n % 50}0{1 + n % 9}{10 + n % 18}{n % 1000:03d}"
            )
            row = {
                **base,
                "household_code": f"H{n // 4:06d}",
                "id_number": first17 + check_digit(first17),
                "relation": "户主" if n % 4 == 0 else "子",
            }
            writer.writerow([row.get(key, "") for key, _h in CHINESE])

    started = time.perf_counter()
    parsed = read_household_file(path)
    elapsed = time.perf_counter() - started

    assert parsed.errors == []
    assert parsed.rows_read == size
    assert len(parsed.households) == size // 4
    assert elapsed < 120, f"{size / elapsed:.0f} rows/s"


def test_the_spec_english_key_labor_names_the_labour_column(tmp_path):
    columns = [("labour" if key == "labour" else key, "labor" if key == "labour" else key)
               for key, _h in CHINESE]  # fmt: skip
    rows = [member({**HOUSEHOLD, "household_type": "tuopin"}, relation="head",
                   medical_insured="true", labour="普通劳动力")]  # fmt: skip
    parsed = read_household_file(csv_file(tmp_path, rows, columns))

    assert parsed.errors == []
    assert parsed.unknown_columns == []
    assert parsed.households[0].members[0].labour == "ordinary"
