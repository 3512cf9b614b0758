"""Error reports a user can fix and upload again.

The report is the user's own file, every row as it was, with one column added that says
what is wrong on that row; bad rows are shaded. The added column is unknown to the importer,
so the corrected report can be uploaded as it is.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from tuopin.core.tabular import RowError, decode

GROUP_HEADERS = ("户编号", "household_code")
BAD = PatternFill("solid", fgColor="FDE2E1")
NOTE = Font(color="9C0006", bold=True)


def _source_rows(path: Path) -> Iterable[list[Any]]:
    if path.suffix.lower() == ".xlsx":
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for name in ("成员", "members"):
            if name in workbook.sheetnames:
                sheet = workbook[name]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
        workbook.close()
    else:
        yield from csv.reader(io.StringIO(decode(path.read_bytes()), newline=""))


def write_error_report(
    source: Path,
    errors: Sequence[RowError],
    out: Path,
    *,
    header_row: int,
    only_bad_rows: bool = False,
    group_headers: Sequence[str] = GROUP_HEADERS,
) -> Path:
    """Write ``out`` (xlsx): ``source``'s rows with a column of reasons; file-level errors
    (a missing column) stand above everything.

    With ``only_bad_rows`` (the good households were imported) the report keeps every row of
    a group with an error — a household is left out whole, so all its member rows come
    back to be fixed — where the group is the column headed by one of ``group_headers``.
    """
    by_row: dict[int | None, list[str]] = defaultdict(list)
    for error in errors:
        by_row[error.row].append(f"{error.column}: {error.reason}")
    keep = _rows_of_bad_groups(source, by_row, header_row, group_headers) if only_bad_rows else None
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors"))

    def styled(values: list[Any]) -> list[WriteOnlyCell]:
        cells = []
        for index, value in enumerate(values):
            cell = WriteOnlyCell(sheet, value=value)
            cell.fill = BAD
            if index == len(values) - 1:
                cell.font = NOTE
                cell.alignment = Alignment(wrap_text=True)
            cells.append(cell)
        return cells

    for general in by_row.get(None, []):
        sheet.append(styled([general]))
    for number, raw in enumerate(_source_rows(source), start=1):
        cells = ["" if c is None else c for c in raw]
        reasons = by_row.get(number)
        if number == header_row:
            sheet.append([*cells, _("What is wrong")])
        elif reasons:
            sheet.append(styled([*cells, "；".join(reasons)]))
        elif keep is None or number < header_row or number in keep:
            sheet.append(cells)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out


def _rows_of_bad_groups(
    source: Path,
    by_row: dict[int | None, list[str]],
    header_row: int,
    group_headers: Sequence[str],
) -> set[int]:
    """Row numbers whose group (household) holds any row with an error."""
    column = None
    groups: dict[int, Any] = {}
    for number, raw in enumerate(_source_rows(source), start=1):
        cells = ["" if c is None else str(c).strip() for c in raw]
        if number == header_row:
            column = next((i for i, c in enumerate(cells) if c in group_headers), None)
        elif number > header_row and column is not None and column < len(cells):
            groups[number] = cells[column]
    bad = {groups[n] for n in by_row if n is not None and n in groups and groups[n]}
    return {n for n, code in groups.items() if code in bad} | {n for n in by_row if n is not None}
