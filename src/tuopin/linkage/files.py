"""Department files (``docs/department-files.md``): one format per department kind.

Every file is one row per person event, with Chinese headers (or the English keys), as
``.xlsx`` or ``.csv`` (UTF-8 or GB18030). The person columns are the same for every kind; the
event columns depend on the kind. Reading validates every cell and collects every error as
``RowError`` (row, column as written, value, reason); nothing is written anywhere.

An ID number that fails validation is *not* an error of the file: such a record is kept, with
``id_valid`` false, for probabilistic linkage.
"""

from __future__ import annotations

import csv
import datetime
import io
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from tuopin.core.tabular import RowError, decode, normalise_cell
from tuopin.linkage.choices import DepartmentKind
from tuopin.registry.idnumbers import check_id_number
from tuopin.registry.importers.cells import (
    REQUIRED,
    CellError,
    Parser,
    cell_text,
    code_text,
    parse_amount,
    parse_area_code,
    parse_date,
    reason,
    text_parser,
)

UNKNOWN_TERM = _("Unknown value; use one of: %(choices)s.")
COLUMN_MISSING = _("This required column is missing.")
NO_HEADER = _("No header row naming the column 姓名 (name) was found.")
OLD_EXCEL = _("This is an old Excel file (.xls); save it as .xlsx (Excel Workbook).")
BAD_WORKBOOK = _("This Excel file cannot be read; it may be damaged.")
BAD_CSV = _("This CSV file cannot be read: %(detail)s")
PERIOD_ORDER = _("The period ends before it starts.")
SELF_PAID_ABOVE_TOTAL = _("The self-paid amount is larger than the total cost.")
GRADE_SHAPE = _("A disability grade is 1, 2, 3 or 4 (一级 … 四级).")


class Column(NamedTuple):
    key: str
    header: str
    required: bool
    parse: Parser


def _terms(mapping: dict[str, str]) -> Parser:
    """A vocabulary cell: one of the Chinese terms, or the English code itself."""
    codes = set(mapping.values())
    listed = "、".join(mapping)

    def parse(value: Any) -> str:
        text = cell_text(value)
        found = mapping.get(text) or (text.lower() if text.lower() in codes else None)
        if found is None:
            raise CellError(reason(UNKNOWN_TERM, choices=listed))
        return found

    return parse


_GRADES = {"1": 1, "2": 2, "3": 3, "4": 4, "一级": 1, "二级": 2, "三级": 3, "四级": 4}


def _grade(value: Any) -> int:
    text = cell_text(value).removesuffix(".0")
    if text not in _GRADES:
        raise CellError(GRADE_SHAPE)
    return _GRADES[text]


def _id_text(value: Any) -> str:
    text = code_text(value) if not isinstance(value, str) else value
    text = text.replace(" ", "").upper()
    if len(text) > 30:
        raise CellError(reason(_("This value is too long (at most %(max)s characters)."), max=30))
    return text


SEX_TERMS = {"男": "male", "女": "female"}

PERSON_COLUMNS: list[Column] = [
    Column("name", "姓名", True, text_parser(60)),
    Column("id_number", "身份证号", False, _id_text),
    Column("sex", "性别", False, _terms(SEX_TERMS)),
    Column("birth_date", "出生日期", False, parse_date),
    Column("area_code", "行政区划代码", False, parse_area_code),
]

EVENT_COLUMNS: dict[str, list[Column]] = {
    DepartmentKind.MEDICAL: [
        Column("period_start", "统计起始日期", True, parse_date),
        Column("period_end", "统计截止日期", True, parse_date),
        Column("total_cost", "医疗总费用", True, parse_amount),
        Column("self_paid", "个人自付费用", True, parse_amount),
    ],
    DepartmentKind.CIVIL_AFFAIRS: [
        Column(
            "programme",
            "救助类别",
            True,
            _terms({"低保": "dibao", "特困": "tekun", "临时救助": "temporary"}),
        ),
        Column("event", "变动类型", True, _terms({"纳入": "enrolled", "退出": "ended"})),
        Column("event_date", "变动日期", True, parse_date),
    ],
    DepartmentKind.EDUCATION: [
        Column(
            "stage",
            "学段",
            True,
            _terms({"学前": "preschool", "小学": "primary", "初中": "junior", "高中": "senior"}),
        ),
        Column(
            "status",
            "学籍状态",
            True,
            _terms({"在读": "enrolled", "辍学": "dropout", "休学": "suspended"}),
        ),
        Column("event_date", "变动日期", True, parse_date),
    ],
    DepartmentKind.DISABILITY: [
        Column("change", "证件变动", True, _terms({"新办": "new", "变更": "changed"})),
        Column("grade", "残疾等级", True, _grade),
        Column("category", "残疾类别", False, text_parser(20)),
        Column("event_date", "办证日期", True, parse_date),
    ],
    DepartmentKind.HOUSING: [
        Column("grade", "鉴定等级", True, _terms({"A": "A", "B": "B", "C": "C", "D": "D"})),
        Column("event_date", "鉴定日期", True, parse_date),
    ],
    DepartmentKind.EMERGENCY: [
        Column("disaster_type", "灾害类型", True, text_parser(30)),
        Column("loss", "直接经济损失", True, parse_amount),
        Column("event_date", "受灾日期", True, parse_date),
    ],
    DepartmentKind.HUMAN_RESOURCES: [
        Column(
            "event",
            "登记类型",
            True,
            _terms({"失业登记": "unemployed", "就业登记": "employed"}),
        ),
        Column("event_date", "登记日期", True, parse_date),
    ],
    DepartmentKind.PUBLIC_SECURITY: [
        Column(
            "event",
            "变动类型",
            True,
            _terms({"死亡": "death", "户籍迁出": "moved_out", "户籍迁入": "moved_in"}),
        ),
        Column("event_date", "变动日期", True, parse_date),
    ],
}


def columns_of(kind: str) -> list[Column]:
    return PERSON_COLUMNS + EVENT_COLUMNS[kind]


@dataclass(kw_only=True, slots=True)
class DepartmentRow:
    """One validated row: the person as the department knows them, and the event."""

    row: int
    name: str
    id_number: str = ""
    id_valid: bool = False
    sex: str = ""
    birth_date: Any = None
    area_code: str = ""
    event: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ParsedDepartmentFile:
    kind: str
    rows: list[DepartmentRow]
    errors: list[RowError]
    header_row: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _Unreadable(Exception):
    def __init__(self, why: str | Promise) -> None:
        self.why = why
        super().__init__(str(why))


def _xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[int, Sequence[Any]]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
            raise _Unreadable(BAD_WORKBOOK) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    try:
        yield from enumerate(csv.reader(io.StringIO(decode(data), newline="")), start=1)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise _Unreadable(reason(BAD_CSV, detail=str(exc))) from exc


def _clean(value: Any) -> Any:
    return normalise_cell(value) if isinstance(value, str) else ("" if value is None else value)


def read_department_file(
    source: str | Path | IO[bytes], *, kind: str, filename: str | None = None
) -> ParsedDepartmentFile:
    """Read and validate a department file of ``kind``, collecting every error."""
    if kind not in EVENT_COLUMNS:
        raise ValueError(kind)
    data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    display = Path(name).name if name else ""
    try:
        if data.startswith(b"\xd0\xcf\x11\xe0") or name.lower().endswith(".xls"):
            raise _Unreadable(OLD_EXCEL)
        rows = _xlsx_rows(io.BytesIO(data)) if data.startswith(b"PK\x03\x04") else _csv_rows(data)
        return _Reader(kind).read(rows)
    except _Unreadable as exc:
        return ParsedDepartmentFile(kind, [], [RowError(None, "", display, exc.why)])


class _Reader:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.columns = columns_of(kind)
        self.key_of = {c.header: c.key for c in self.columns} | {c.key: c.key for c in self.columns}
        self.errors: list[RowError] = []
        self.rows: list[DepartmentRow] = []

    def read(self, rows: Iterator[tuple[int, Sequence[Any]]]) -> ParsedDepartmentFile:
        index: dict[str, int] = {}
        written: dict[str, str] = {}
        header_row = 0
        for number, cells in rows:
            keys = [self.key_of.get(str(_clean(c))) for c in cells]
            if "name" in keys:
                header_row = number
                for position, (cell, key) in enumerate(zip(cells, keys, strict=True)):
                    if key and key not in index:
                        index[key] = position
                        written[key] = str(_clean(cell))
                break
        if not header_row:
            return ParsedDepartmentFile(self.kind, [], [RowError(None, "姓名", "", NO_HEADER)])
        missing = [c for c in self.columns if c.required and c.key not in index]
        if missing:
            errors = [RowError(None, c.header, "", COLUMN_MISSING) for c in missing]
            return ParsedDepartmentFile(self.kind, [], errors, header_row)
        for number, cells in rows:
            values = {
                c.key: _clean(cells[index[c.key]]) if index.get(c.key, 1 << 30) < len(cells) else ""
                for c in self.columns
            }
            if all(v == "" for v in values.values()):
                continue
            self._row(number, values, written)
        return ParsedDepartmentFile(self.kind, self.rows, self.errors, header_row)

    def _row(self, number: int, raw: dict[str, Any], written: dict[str, str]) -> None:
        parsed: dict[str, Any] = {}
        bad = False

        def error(key: str, why: str | Promise) -> None:
            nonlocal bad
            bad = True
            header = written.get(key) or next(c.header for c in self.columns if c.key == key)
            self.errors.append(RowError(number, header, cell_text(raw.get(key, "")), why))

        for column in self.columns:
            value = raw[column.key]
            if value == "":
                if column.required:
                    error(column.key, REQUIRED)
                parsed[column.key] = None
                continue
            try:
                parsed[column.key] = column.parse(value)
            except CellError as exc:
                error(column.key, exc.reason)
                parsed[column.key] = None
        if self.kind == DepartmentKind.MEDICAL and not bad:
            if parsed["period_end"] < parsed["period_start"]:
                error("period_end", PERIOD_ORDER)
            if parsed["self_paid"] > parsed["total_cost"]:
                error("self_paid", SELF_PAID_ABOVE_TOTAL)
        if bad:
            return
        id_number = parsed["id_number"] or ""
        check = check_id_number(id_number) if id_number else None
        id_valid = bool(check and check.ok)
        sex = parsed["sex"] or ""
        birth = parsed["birth_date"]
        if id_valid and check is not None:
            # The ID number states both; a valid one wins over a mistyped cell.
            birth = check.birth_date or birth
            sex = {"男": "male", "女": "female"}.get(check.sex or "", sex)
        person_keys = {c.key for c in PERSON_COLUMNS}
        event = {
            key: (
                str(value)
                if isinstance(value, Decimal)
                else value.isoformat()
                if isinstance(value, datetime.date)
                else value
            )
            for key, value in parsed.items()
            if key not in person_keys
        }
        self.rows.append(
            DepartmentRow(
                row=number,
                name=parsed["name"],
                id_number=id_number,
                id_valid=id_valid,
                sex=sex,
                birth_date=birth,
                area_code=parsed["area_code"] or "",
                event=event,
            )
        )
