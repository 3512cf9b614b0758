"""The fund report as an Excel workbook."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tuopin.areas.models import Area
from tuopin.projects.selectors import FundRow


def fund_report_workbook(area: Area, rows: Sequence[FundRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Funds")
    sheet.append([area.display_name, area.code])
    header = [
        _("source"),
        _("year"),
        _("projects"),
        _("allocated (yuan)"),
        _("paid (yuan)"),
        _("balance (yuan)"),
    ]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.label, row.year, row.projects, row.allocated, row.disbursed, row.balance])
    sheet.append(
        [
            _("Total"),
            None,
            None,
            sum(r.allocated for r in rows),
            sum(r.disbursed for r in rows),
            sum(r.balance for r in rows),
        ]
    )
    for letter, width in zip("ABCDEF", (34, 8, 10, 18, 18, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
