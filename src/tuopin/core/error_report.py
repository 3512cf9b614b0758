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
) -> Path:
    """Write ``out`` (xlsx): ``source``'s rows with a column of reasons; file-level errors
    (a missing column) stand above everything. With ``only_bad_rows`` the data rows without
    errors are left out (the good rows were imported)."""
    by_row: dict[int | None, list[str]] = defaultdict(list)
    for error in errors:
        by_row[error.row].append(f"{error.column}: {error.reason}")
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
        elif not (only_bad_rows and number > header_row):
            sheet.append(cells)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out
