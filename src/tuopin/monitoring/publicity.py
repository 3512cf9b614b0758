"""The publicity list (公示名单) as an Excel file: only what may be made public."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tuopin.areas.models import Area
from tuopin.monitoring.selectors import PublicityRow


def publicity_columns() -> list[str]:
    return [
        _("Head of household"),
        _("Household size"),
        _("Case"),
        _("Monitoring type"),
        _("Risk"),
        _("Publicity from"),
        _("Publicity until"),
    ]


def publicity_workbook(area: Area, rows: Sequence[PublicityRow], *, on: datetime.date) -> bytes:
    """An .xlsx of one gaqa's list; the columns are the whole of what it holds."""
    return publicity_workbook_many([(area, rows)], on=on)


def publicity_workbook_many(
    lists: Sequence[tuple[Area, Sequence[PublicityRow]]], *, on: datetime.date
) -> bytes:
    """An .xlsx with one sheet per gaqa's list (an empty list, when there is none)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    if not lists:
        _sheet(book, None, [], on=on)
    for area, rows in lists:
        _sheet(book, area, rows, on=on)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(
    book: Workbook, area: Area | None, rows: Sequence[PublicityRow], *, on: datetime.date
) -> None:
    title = f"{area.code} {area.name}" if area is not None else _("Publicity list")
    sheet = book.create_sheet(title[:31])
    name = area.display_name if area is not None else "—"
    sheet.append([_("Publicity list: %(area)s") % {"area": name}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("As of %(date)s") % {"date": on.isoformat()}])
    sheet.append(publicity_columns())
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                row.head_name,
                row.size,
                str(row.kind),
                str(row.type_label),
                str(row.reason),
                row.start.isoformat(),
                row.end.isoformat(),
            ]
        )
    for column, width in zip("ABCDEFG", (14, 10, 14, 20, 16, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
