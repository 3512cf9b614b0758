"""The household file (``spec/household-file.md``): reading and validating it, and writing it.

One row per member; household columns repeat on every row of the household. Reading is pure
parsing and validation, without the database: the import service checks what needs it (area
codes that exist, people already active in another household), and ``tuopin evaluate`` reuses
the reader without storing anything.

Rows are streamed: an ``.xlsx`` sheet through openpyxl's read-only mode, a CSV through an
incremental decoder, so memory grows with the parsed values kept, never with cell objects.
"""

from __future__ import annotations

import csv
import datetime
import gc
import io
import unicodedata
import warnings
import zipfile
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tuopin.core.tabular import RowError, normalise_cell
from tuopin.registry.choices import (
    Attribute,
    Education,
    Health,
    HouseholdType,
    HousingGrade,
    IdType,
    Labour,
    MonitorType,
    PovertyCause,
    Relation,
    Schooling,
    Sex,
    file_term,
)
from tuopin.registry.importers.cells import (
    CENT,
    REQUIRED,
    TOO_LONG,
    Cell,
    CellError,
    Parser,
    cell_text,
    choice_parser,
    code_text,
    parse_amount,
    parse_area_code,
    parse_count,
    parse_date,
    parse_id_number,
    parse_yes_no,
    reason,
    text_parser,
    year_parser,
)
from tuopin.registry.importers.columnar import read_clean_csv
from tuopin.registry.services import MemberInput, check_member


class Column(NamedTuple):
    key: str
    header: str  # 表头, as the exporter writes it
    required: bool  # the column must be present and every row must fill it


HOUSEHOLD_COLUMNS: list[Column] = [
    Column("household_code", "户编号", True),
    Column("area_code", "行政区划代码", True),
    Column("household_type", "户类型", True),
    Column("tuopin_year", "脱贫年度", False),
    Column("attribute", "贫困户属性", False),
    Column("main_cause", "主要致贫原因", False),
    Column("income_year", "收入年度", True),
    Column("wage_income", "工资性收入", True),
    Column("business_income", "生产经营性收入", True),
    Column("property_income", "财产性收入", True),
    Column("transfer_income", "转移性收入", True),
    Column("business_costs", "生产经营性支出", True),
    Column("compliant_expenses", "合规自付支出", False),
    Column("food_clothing", "不愁吃不愁穿", False),
    Column("housing_grade", "住房安全等级", True),
    Column("water_quantity", "饮水水量达标", True),
    Column("water_quality", "饮水水质达标", True),
    Column("water_access", "取水方便程度达标", True),
    Column("water_reliability", "供水保证率达标", True),
    Column("monitor_type", "监测对象类别", False),
    Column("monitor_since", "纳入监测日期", False),
    Column("measures", "已落实帮扶措施数", False),
]
MEMBER_COLUMNS: list[Column] = [
    Column("name", "姓名", True),
    Column("id_type", "证件类型", False),
    Column("id_number", "证件号码", True),
    Column("relation", "与户主关系", True),
    Column("sex", "性别", False),
    Column("birth_date", "出生日期", False),
    Column("ethnicity", "民族", False),
    Column("education", "文化程度", False),
    Column("schooling", "在校生状况", False),
    Column("health", "健康状况", False),
    Column("labour", "劳动技能", False),
    Column("medical_insured", "参加基本医疗保险", True),
    Column("pension_insured", "参加基本养老保险", False),
]
# The file's columns in the order the exporter writes them.
COLUMNS: list[Column] = HOUSEHOLD_COLUMNS + MEMBER_COLUMNS

SHEET_NAMES = ("成员", "members")


@dataclass(kw_only=True, slots=True)
class ParsedHousehold:
    """One household of the file, in stored codes (``registry.choices``), ready for services."""

    code: str
    area_code: str
    household_type: str
    tuopin_year: int | None = None
    attribute: str = ""
    main_cause: str = ""
    income_year: int
    wage_income: Decimal
    business_income: Decimal
    property_income: Decimal
    transfer_income: Decimal
    business_costs: Decimal
    compliant_expenses: Decimal = Decimal("0.00")
    food_clothing: bool = True
    housing_grade: str
    water_quantity: bool
    water_quality: bool
    water_access: bool
    water_reliability: bool
    monitor_type: str = ""
    monitor_since: datetime.date | None = None
    measures: int = 0
    members: list[MemberInput] = field(default_factory=list)
    # The file rows of its members: where it came from, not what it is (not compared).
    rows: list[int] = field(default_factory=list, compare=False)


class ParsedFile:
    """What a household file holds, and what is wrong with it.

    ``households`` holds only the households none of whose rows has an error; a file with
    any error is refused by the import, while ``tuopin evaluate`` may report on the rest.
    A clean CSV read by columns also keeps them (``table``, a ``columnar.HouseholdTable``)
    for the bulk write, and makes ``households`` from them only when asked.
    """

    __slots__ = (
        "_households",
        "errors",
        "header_row",
        "headers",
        "rows_read",
        "table",
        "unknown_columns",
        "warnings",
    )

    def __init__(  # noqa: PLR0917 - positional, as the dataclass it replaces took them
        self,
        households: list[ParsedHousehold] | None,
        errors: list[RowError],
        warnings: list[RowError],
        unknown_columns: list[str],
        header_row: int,  # 0 when no header row was found
        rows_read: int,  # member rows after the header, blank rows not counted
        headers: dict[str, str] | None = None,
        *,
        table: Any = None,
    ) -> None:
        self._households = households
        self.errors = errors
        self.warnings = warnings
        self.unknown_columns = unknown_columns
        self.header_row = header_row
        self.rows_read = rows_read
        # Each column's header as the file writes it, so later checks name it the same way.
        self.headers = headers if headers is not None else {}
        self.table = table

    @property
    def households(self) -> list[ParsedHousehold]:
        if self._households is None:
            self._households = self.table.households() if self.table is not None else []
        return self._households

    @households.setter
    def households(self, value: list[ParsedHousehold]) -> None:
        self._households = value

    @property
    def ok(self) -> bool:
        return not self.errors

    def __repr__(self) -> str:
        return (
            f"ParsedFile(rows_read={self.rows_read}, errors={len(self.errors)}, "
            f"warnings={len(self.warnings)})"
        )


# --- messages ----------------------------------------------------------------------------------

COLUMN_MISSING = _("This required column is missing.")
COLUMN_TWICE = _("The header names this column twice (also column %(column)s).")
OLD_EXCEL = _("This is an old Excel file (.xls); save it as .xlsx (Excel Workbook).")
BAD_WORKBOOK = _("This Excel file cannot be read; it may be damaged.")
BAD_ENCODING = _("This CSV file is neither UTF-8 nor GB18030 text; save it as CSV UTF-8.")
BAD_CSV = _("This CSV file cannot be read: %(detail)s")
TUOPIN_YEAR_REQUIRED = _("A tuopin household needs the year it was lifted out of poverty.")
MONITOR_SINCE_REQUIRED = _("A monitored household needs the date it was identified.")
MONITOR_TYPE_REQUIRED = _("A date of identification is given but no monitoring type.")
DIFFERS = _(
    "This differs from row %(row)s of the same household; household columns must agree on "
    "every row of the household."
)
DUPLICATE_PERSON = _("The same person already stands on row %(row)s (household %(code)s).")
NO_HEAD = _("Household %(code)s has no head of household (户主); its rows are %(rows)s.")
HEADS = _(
    "Household %(code)s has %(count)s heads of household (户主), on rows %(rows)s; it must "
    "have exactly one."
)
REGION_ELSEWHERE = _("The ID number was issued in region %(region)s, outside this area.")


def _household_code(value: Cell) -> str:
    text = code_text(value)
    if len(text) > 40:
        raise CellError(reason(TOO_LONG, max=40))
    return text


class _Unreadable(Exception):
    def __init__(self, reason: str | Promise) -> None:
        self.reason = reason
        super().__init__(str(reason))


# Required in every row; otherwise the value a blank cell stands for.
_REQUIRED: Any = object()

_HOUSEHOLD_FIELDS: list[tuple[str, Parser, Any]] = [
    # household_code is read first, on its own: it says which household the row belongs to.
    ("area_code", parse_area_code, _REQUIRED),
    ("household_type", choice_parser(HouseholdType), _REQUIRED),
    ("tuopin_year", year_parser(2014, 2020), None),
    ("attribute", choice_parser(Attribute), ""),
    ("main_cause", choice_parser(PovertyCause), ""),
    ("income_year", year_parser(2000, 2100), _REQUIRED),
    ("wage_income", parse_amount, _REQUIRED),
    ("business_income", parse_amount, _REQUIRED),
    ("property_income", parse_amount, _REQUIRED),
    ("transfer_income", parse_amount, _REQUIRED),
    ("business_costs", parse_amount, _REQUIRED),
    ("compliant_expenses", parse_amount, Decimal("0.00")),
    ("food_clothing", parse_yes_no, True),
    ("housing_grade", choice_parser(HousingGrade), _REQUIRED),
    ("water_quantity", parse_yes_no, _REQUIRED),
    ("water_quality", parse_yes_no, _REQUIRED),
    ("water_access", parse_yes_no, _REQUIRED),
    ("water_reliability", parse_yes_no, _REQUIRED),
    ("monitor_type", choice_parser(MonitorType), ""),
    ("monitor_since", parse_date, None),
    ("measures", parse_count, 0),
]
_MEMBER_FIELDS: list[tuple[str, Parser, Any]] = [
    ("name", text_parser(60), _REQUIRED),
    ("id_type", choice_parser(IdType), str(IdType.RESIDENT_ID)),
    ("id_number", parse_id_number, _REQUIRED),
    ("relation", choice_parser(Relation), _REQUIRED),
    ("sex", choice_parser(Sex), ""),
    ("birth_date", parse_date, None),
    ("ethnicity", text_parser(20), ""),
    ("education", choice_parser(Education), ""),
    ("schooling", choice_parser(Schooling), "not_in_school"),
    ("health", choice_parser(Health), "healthy"),
    ("labour", choice_parser(Labour), ""),
    ("medical_insured", parse_yes_no, _REQUIRED),
    ("pension_insured", parse_yes_no, None),
]
_HOUSEHOLD_KEYS = ["household_code"] + [key for key, _p, _d in _HOUSEHOLD_FIELDS]
_MEMBER_KEYS = [key for key, _p, _d in _MEMBER_FIELDS]
# What an unreadable required member cell stands for while the rest of the row is checked.
_MEMBER_FALLBACK: dict[str, Any] = {
    "name": "",
    "id_number": "",
    "relation": "",
    "medical_insured": False,
}
_HEADER_OF = {column.key: column.header for column in COLUMNS}
_KEY_OF_HEADER = {
    **{column.header: column.key for column in COLUMNS},
    **{column.key: column.key for column in COLUMNS},
    # spec/household-file.md spells the key of 劳动技能 "labor".
    "labor": "labour",
}
# check_member's fields are the file's keys; its own name check repeats the required check.
_NAME_REQUIRED = "registry.member.name_required"

Problem = tuple[str, "str | Promise"]


def _header_key(value: Any) -> str | None:
    return _text_key(normalise_cell(value))


def _text_key(text: Cell) -> str | None:
    if not isinstance(text, str):
        return None
    return _KEY_OF_HEADER.get(text) or _KEY_OF_HEADER.get(text.lower())


def _rows_text(rows: Sequence[int]) -> str:
    """``5–7, 9``: rows as a reader finds them in the sheet."""
    parts: list[str] = []
    start = previous = rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        parts.append(str(start) if start == previous else f"{start}–{previous}")
        if row is not None:
            start = previous = row
    return ", ".join(parts)


# --- reading -----------------------------------------------------------------------------------


class _Household:
    """A household while its rows are being read."""

    __slots__ = ("bad", "first_row", "head_rows", "heads_unknown", "invalid", "parsed")

    def __init__(self, parsed: ParsedHousehold, first_row: int, invalid: set[str]) -> None:
        self.parsed = parsed
        self.first_row = first_row
        self.invalid = invalid  # household fields the first row could not give
        self.head_rows: list[tuple[int, str]] = []
        self.heads_unknown = False  # a relation cell could not be read
        self.bad = False


class _Reader:
    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.unknown_columns: list[str] = []
        self.header_row = 0
        self.rows_read = 0
        self.written: dict[str, str] = dict(_HEADER_OF)
        # Where each key's cell stands in a row; an absent column points past the header, at
        # the padding every row gets.
        self.household_index: list[int] = []
        self.member_index: list[int] = []
        self.width = 0
        self.households: dict[str, _Household] = {}
        self.people: dict[str, dict[str, tuple[int, _Household | None]]] = {}
        self.current: _Household | None = None
        self.row = 0
        # The previous row's household cells and what was wrong with them: consecutive rows
        # of a household repeat them, and are then checked once.
        self.last_raw: list[Cell] | None = None
        self.last_problems: list[Problem] = []

    # errors

    def _error(self, key: str, value: Cell, reason: str | Promise) -> None:
        self.errors.append(RowError(self.row, self.written[key], cell_text(value), reason))
        if self.current is not None:
            self.current.bad = True

    # header

    def _take_header(self, number: int, cells: Sequence[Any]) -> bool:
        keys = [_header_key(cell) for cell in cells]
        if "household_code" not in keys or "id_number" not in keys:
            return False
        self.header_row = self.row = number
        index: dict[str, int] = {}
        for position, (cell, key) in enumerate(zip(cells, keys, strict=True)):
            written = str(cell).strip() if cell is not None else ""
            if key is None:
                if written:
                    self.unknown_columns.append(written)
                continue
            if key in index:
                self.errors.append(
                    RowError(
                        number,
                        written,
                        written,
                        reason(COLUMN_TWICE, column=self.written[key]),
                    )
                )
                continue
            index[key] = position
            self.written[key] = written
        for column in COLUMNS:
            if column.required and column.key not in index:
                self.errors.append(RowError(None, column.header, "", COLUMN_MISSING))
        absent = len(cells)
        self.width = absent + 1
        self.household_index = [index.get(key, absent) for key in _HOUSEHOLD_KEYS]
        self.member_index = [index.get(key, absent) for key in _MEMBER_KEYS]
        return True

    def _missing_header(self, seen: set[str]) -> None:
        # The two columns that make the header; if both stand somewhere, but never in one row,
        # neither is taken as the header.
        keys = ("household_code", "id_number")
        both = all(key in seen for key in keys)
        for key in keys:
            if both or key not in seen:
                self.errors.append(RowError(None, _HEADER_OF[key], "", COLUMN_MISSING))

    # rows

    def read(self, rows: Iterable[tuple[int, Sequence[Any]]]) -> ParsedFile:
        seen: set[str] = set()
        rows = iter(rows)
        for number, cells in rows:
            if self._take_header(number, cells):
                break
            seen.update(key for key in map(_header_key, cells) if key)
        else:
            self._missing_header(seen)
            return self._result()
        if any(error.row is None for error in self.errors):
            return self._result()
        for number, cells in rows:
            self._read_row(number, cells)
        self._check_heads()
        return self._result()

    def _result(self) -> ParsedFile:
        self.errors.sort(key=lambda error: error.row or 0)
        households = [h.parsed for h in self.households.values() if not h.bad]
        return ParsedFile(
            households=households,
            errors=self.errors,
            warnings=self.warnings,
            unknown_columns=self.unknown_columns,
            header_row=self.header_row,
            rows_read=self.rows_read,
            headers=dict(self.written),
        )

    def _read_row(self, number: int, cells: Sequence[Any]) -> None:
        if len(cells) < self.width:
            cells = [*cells, *([""] * (self.width - len(cells)))]
        get = cells.__getitem__
        # normalise_cell, inlined: this runs for every cell of a million rows.
        nfkc = unicodedata.normalize
        raw = [
            nfkc("NFKC", v).strip() if type(v) is str else ("" if v is None else v)
            for v in map(get, self.household_index)
        ]
        member_raw = [
            nfkc("NFKC", v).strip() if type(v) is str else ("" if v is None else v)
            for v in map(get, self.member_index)
        ]
        if raw.count("") == len(raw) and member_raw.count("") == len(member_raw):
            return
        if _text_key(raw[0]) == "household_code" and _text_key(member_raw[2]) == "id_number":
            return  # the header repeated (a second header line in English keys, a page break)
        self.rows_read += 1
        self.row = number
        self.current = None
        household = self._household_of(raw)
        if household is not None:
            household.parsed.rows.append(number)
        member = self._member(member_raw)
        if household is not None:
            household.parsed.members.append(member)

    def _household_of(self, raw: list[Cell]) -> _Household | None:
        code_cell = raw[0]
        if code_cell == "":
            self.last_raw = None
            self._error("household_code", code_cell, REQUIRED)
            return None
        try:
            code = _household_code(code_cell)
        except CellError as exc:
            self.last_raw = None
            self._error("household_code", code_cell, exc.reason)
            return None
        household = self.households.get(code)
        self.current = household
        if household is not None and raw == self.last_raw:
            problems = self.last_problems
        else:
            values, problems = self._household_values(raw)
            if household is None:
                household = self.current = self._start_household(code, values, problems)
            else:
                problems += self._disagreements(household, values, problems)
            self.last_raw, self.last_problems = raw, problems
        for key, why in problems:
            self._error(key, raw[_HOUSEHOLD_KEYS.index(key)], why)
        return household

    def _household_values(self, raw: list[Cell]) -> tuple[dict[str, Any], list[Problem]]:
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for (key, parse, default), value in zip(_HOUSEHOLD_FIELDS, raw[1:], strict=True):
            if value == "":
                if default is _REQUIRED:
                    problems.append((key, REQUIRED))
                    values[key] = None
                else:
                    values[key] = default
                continue
            try:
                values[key] = parse(value)
            except CellError as exc:
                problems.append((key, exc.reason))
                values[key] = None
        faulty = {key for key, _r in problems}
        if (
            values["household_type"] == HouseholdType.TUOPIN
            and values["tuopin_year"] is None
            and "tuopin_year" not in faulty
        ):
            problems.append(("tuopin_year", TUOPIN_YEAR_REQUIRED))
        if (
            values["monitor_type"]
            and values["monitor_since"] is None
            and "monitor_since" not in faulty
        ):
            problems.append(("monitor_since", MONITOR_SINCE_REQUIRED))
        if (
            values["monitor_since"] is not None
            and not values["monitor_type"]
            and "monitor_type" not in faulty
        ):
            problems.append(("monitor_since", MONITOR_TYPE_REQUIRED))
        return values, problems

    def _start_household(
        self, code: str, values: dict[str, Any], problems: list[Problem]
    ) -> _Household:
        parsed = ParsedHousehold(code=code, **values)
        household = _Household(parsed, self.row, {key for key, _r in problems})
        self.households[code] = household
        return household

    def _disagreements(
        self, household: _Household, values: dict[str, Any], problems: list[Problem]
    ) -> list[Problem]:
        faulty = household.invalid | {key for key, _r in problems}
        return [
            (key, reason(DIFFERS, row=household.first_row))
            for key, value in values.items()
            if key not in faulty and value != getattr(household.parsed, key)
        ]

    def _member(self, raw: list[Cell]) -> MemberInput:
        values: dict[str, Any] = {}
        faulty: set[str] = set()
        for (key, parse, default), value in zip(_MEMBER_FIELDS, raw, strict=True):
            try:
                if value == "":
                    if default is _REQUIRED:
                        raise CellError(REQUIRED)
                    values[key] = default
                else:
                    values[key] = parse(value)
            except CellError as exc:
                self._error(key, value, exc.reason)
                faulty.add(key)
                values[key] = _MEMBER_FALLBACK.get(key, default)
        member = MemberInput(**values)
        household = self.current
        if household is not None:
            if "relation" in faulty:
                household.heads_unknown = True
            elif member.relation == Relation.HEAD:
                household.head_rows.append((self.row, cell_text(raw[3])))
        if "id_number" in faulty or "id_type" in faulty:
            return member
        checked = check_member(member)
        member.sex = str(member.sex)  # check_member fills it with a Sex member
        for error in checked.errors:
            if error.code == _NAME_REQUIRED or error.field is None:
                continue
            key = error.field
            self._error(key, raw[_MEMBER_KEYS.index(key)], reason(error.message, **error.params))
        if any(error.field == "id_number" for error in checked.errors):
            return member
        self._check_duplicate(member, raw[2])
        self._check_region(member, raw[2])
        return member

    def _check_duplicate(self, member: MemberInput, cell: Cell) -> None:
        numbers = self.people.setdefault(member.id_type, {})
        earlier = numbers.get(member.id_number)
        if earlier is None:
            numbers[member.id_number] = (self.row, self.current)
            return
        row, household = earlier
        code = household.parsed.code if household is not None else ""
        self._error("id_number", cell, reason(DUPLICATE_PERSON, row=row, code=code))
        if household is not None:
            household.bad = True

    def _check_region(self, member: MemberInput, cell: Cell) -> None:
        household = self.current
        if household is None or member.id_type != IdType.RESIDENT_ID:
            return
        area_code = household.parsed.area_code
        if "area_code" in household.invalid or not area_code:
            return
        if member.id_number[:4] != area_code[:4]:
            self.warnings.append(
                RowError(
                    self.row,
                    self.written["id_number"],
                    cell_text(cell),
                    reason(REGION_ELSEWHERE, region=member.id_number[:6]),
                )
            )

    def _check_heads(self) -> None:
        relation = self.written["relation"]
        for household in self.households.values():
            if household.heads_unknown:
                continue
            heads = household.head_rows
            code = household.parsed.code
            if not heads:
                rows = _rows_text(household.parsed.rows)
                self.errors.append(
                    RowError(
                        household.first_row, relation, "", reason(NO_HEAD, code=code, rows=rows)
                    )
                )
                household.bad = True
            elif len(heads) > 1:
                rows = _rows_text([row for row, _t in heads])
                row, text = heads[1]
                self.errors.append(
                    RowError(
                        row,
                        relation,
                        text,
                        reason(HEADS, code=code, count=len(heads), rows=rows),
                    )
                )
                household.bad = True


# --- sources -----------------------------------------------------------------------------------

Source = str | Path | IO[bytes]
Rows = Generator[tuple[int, Sequence[Any]], None, None]


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector while a file is read.

    A million rows leave millions of long-lived objects (members, households) and none of
    them in a cycle; the collector would walk them again and again for nothing (a third of
    the reading time, measured). Reference counting still frees everything at once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_rows(rows: Rows) -> ParsedFile:
    try:
        with _no_cyclic_gc():
            return _Reader().read(rows)
    finally:
        rows.close()  # closes the workbook, or gives the caller's stream back, at once


def _xlsx_rows(stream: IO[bytes]) -> Rows:
    # openpyxl warns about features it drops (data validation, default styles); they are the
    # workbook's, not errors of the data, and the test suite turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError) as exc:
            raise _Unreadable(BAD_WORKBOOK) from exc
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise _Unreadable(BAD_WORKBOOK)
        named = {normalise_cell(sheet.title).lower(): sheet for sheet in sheets}
        sheet = next((named[name] for name in SHEET_NAMES if name in named), sheets[0])
        # Some writers record wrong dimensions; without them every row is read in full.
        sheet.reset_dimensions()
        cells = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                row = next(cells)
            except StopIteration:
                return
            except (KeyError, ValueError, TypeError, OSError, SyntaxError) as exc:
                raise _Unreadable(BAD_WORKBOOK) from exc
            number += 1  # openpyxl fills rows absent from the XML, so this is the sheet's number
            yield number, row
    finally:
        workbook.close()


def _csv_rows(stream: IO[bytes], encoding: str) -> Rows:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        # A row as the spreadsheet numbers it: a quoted line break stays inside its cell.
        yield from enumerate(csv.reader(text), start=1)
    except csv.Error as exc:
        raise _Unreadable(reason(BAD_CSV, detail=str(exc))) from exc
    finally:
        text.detach()  # the caller's stream stays open


def _read_csv(stream: IO[bytes]) -> ParsedFile:
    """UTF-8 (with or without BOM), else GB18030: ``core.tabular.decode``'s rule, streamed.

    The whole file must be valid UTF-8 to be read as UTF-8, as with ``decode``; a decoding
    error, wherever it comes, restarts the reading as GB18030.
    """
    start = stream.tell()
    try:
        return _read_rows(_csv_rows(stream, "utf-8-sig"))
    except UnicodeDecodeError:
        stream.seek(start)
    try:
        return _read_rows(_csv_rows(stream, "gb18030"))
    except UnicodeDecodeError as exc:
        raise _Unreadable(BAD_ENCODING) from exc


def _refused(reason: str | Promise, value: str) -> ParsedFile:
    return ParsedFile([], [RowError(None, "", value, reason)], [], [], 0, 0)


def read_household_file(
    path_or_fileobj: Source, *, filename: str | None = None, by_columns: bool = True
) -> ParsedFile:
    """Read and validate a household file (``.xlsx`` or ``.csv``), collecting every error.

    ``path_or_fileobj`` is a path or a binary file object (an upload), which is left open;
    ``filename`` names it when the object has no name. The content decides the format: a zip
    archive is a workbook, an old binary one is refused, anything else is read as CSV.
    A clean CSV is read by columns (``importers.columnar``); any other file, or any file
    with ``by_columns=False``, row by row, with the same result. Nothing is written anywhere.
    """
    source = path_or_fileobj
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    name = name or str(getattr(source, "name", "") or "")
    display = Path(name).name if name else ""
    if isinstance(source, str | Path):
        with Path(source).open("rb") as stream:
            return _read_stream(stream, name, display, by_columns)
    stream = source
    if not stream.seekable():
        stream = io.BytesIO(stream.read())
    return _read_stream(stream, name, display, by_columns)


def _read_stream(stream: IO[bytes], name: str, display: str, by_columns: bool) -> ParsedFile:
    start = stream.tell()
    magic = stream.read(8)
    stream.seek(start)
    suffix = Path(name).suffix.lower()
    try:
        if magic.startswith(b"PK\x03\x04"):
            return _read_rows(_xlsx_rows(stream))
        if magic.startswith(b"\xd0\xcf\x11\xe0"):
            return _refused(OLD_EXCEL, display)
        if suffix == ".xls":
            return _refused(OLD_EXCEL, display)
        if suffix in {".xlsx", ".xlsm"}:
            return _refused(BAD_WORKBOOK, display)
        if by_columns:
            fast = read_clean_csv(stream.read())
            if fast is not None:
                return fast
            stream.seek(start)
        return _read_csv(stream)
    except _Unreadable as exc:
        return _refused(exc.reason, display)


# --- writing -----------------------------------------------------------------------------------

_HOUSEHOLD_CHOICES: dict[str, type[models.TextChoices]] = {
    "household_type": HouseholdType,
    "attribute": Attribute,
    "main_cause": PovertyCause,
    "housing_grade": HousingGrade,
    "monitor_type": MonitorType,
}
_MEMBER_CHOICES: dict[str, type[models.TextChoices]] = {
    "id_type": IdType,
    "relation": Relation,
    "sex": Sex,
    "education": Education,
    "schooling": Schooling,
    "health": Health,
    "labour": Labour,
}
# Written as text cells in a workbook: Excel would turn them into numbers and lose digits.
_TEXT_KEYS = frozenset({"household_code", "area_code", "id_number"})
_AMOUNT_KEYS = frozenset(
    {
        "wage_income",
        "business_income",
        "property_income",
        "transfer_income",
        "business_costs",
        "compliant_expenses",
    }
)


_NUMBER_FORMATS = {
    **dict.fromkeys(_TEXT_KEYS, "@"),
    **dict.fromkeys(_AMOUNT_KEYS, "#,##0.00"),
    "monitor_since": "yyyy-mm-dd",
    "birth_date": "yyyy-mm-dd",
}


def _looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _file_value(key: str, value: Any, choices: dict[str, type[models.TextChoices]]) -> Any:
    """A stored value as the file writes it: Chinese terms, 是/否, numbers and dates."""
    if value is None or value == "":
        return ""
    if key in choices:
        return file_term(choices[key], value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _file_rows(households: Iterable[ParsedHousehold]) -> Iterator[list[Any]]:
    for household in households:
        shared = [household.code] + [
            _file_value(key, getattr(household, key), _HOUSEHOLD_CHOICES)
            for key in _HOUSEHOLD_KEYS[1:]
        ]
        for member in household.members:
            yield shared + [
                _file_value(key, getattr(member, key), _MEMBER_CHOICES) for key in _MEMBER_KEYS
            ]


def _csv_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.quantize(CENT), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_household_file(
    households: Iterable[ParsedHousehold],
    path: str | Path | IO[bytes],
    *,
    fmt: Literal["xlsx", "csv"] = "xlsx",
) -> None:
    """Write households in the household file's format, with its Chinese headers.

    CSV is UTF-8 with a BOM, as Excel on Windows recognises it. In a workbook, codes and ID
    numbers are text cells (Excel never turns them into numbers), amounts are numbers with
    two decimals and dates are date cells. Reading the file back gives the same households.
    ``path`` may also be a binary file object (an HTTP response), left open.
    """
    if fmt == "csv":
        _write_csv(households, path)
    elif fmt == "xlsx":
        _write_xlsx(households, path)
    else:
        raise ValueError(f"unknown household file format: {fmt!r}")


def _write_csv(households: Iterable[ParsedHousehold], target: str | Path | IO[bytes]) -> None:
    if isinstance(target, str | Path):
        with Path(target).open("wb") as stream:
            _write_csv(households, stream)
        return
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow([column.header for column in COLUMNS])
        for row in _file_rows(households):
            writer.writerow([_csv_text(value) for value in row])
    finally:
        text.flush()
        text.detach()


def _write_xlsx(households: Iterable[ParsedHousehold], target: str | Path | IO[bytes]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAMES[0])
    for position, column in enumerate(COLUMNS, start=1):
        width = 22 if column.key in _TEXT_KEYS else max(10, 2 * len(column.header) + 2)
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = [_NUMBER_FORMATS.get(column.key) for column in COLUMNS]
    for row in _file_rows(households):
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            if value == "" or (number_format is None and not _looks_like_formula(value)):
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=str(value) if number_format == "@" else value)
            if number_format is not None:
                cell.number_format = number_format
            if cell.data_type == "f":
                cell.data_type = "s"  # a name typed as "=…" stays text, never a formula
            cells.append(cell)
        sheet.append(cells)
    workbook.save(target)
