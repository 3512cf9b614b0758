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
    """An .xlsx of the list; the columns are the whole of what it holds."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Publicity list")[:31]
    sheet.append([_("Publicity list: %(area)s") % {"area": area.display_name}])
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
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
