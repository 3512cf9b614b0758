"""Reading tabular files as cadres produce them, and reporting errors by row and column."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RowError:
    """One problem in an input file, located as the user sees it."""

    row: int | None  # the file's own row number (1 = first line); None for the whole file
    column: str  # the column header as written in the file
    value: str
    reason: str | Promise

    def __str__(self) -> str:
        reason = str(self.reason)
        if self.row is None:
            return str(
                _("Column %(column)s: %(reason)s") % {"column": self.column, "reason": reason}
            )
        return str(
            _("Row %(row)s, column %(column)s, value “%(value)s”: %(reason)s")
            % {"row": self.row, "column": self.column, "value": self.value, "reason": reason}
        )


class FileRefused(Exception):
    """An input file with errors; nothing of it was written."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} error(s)")


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]


def normalise_cell(value: object) -> str:
    """Trim and NFKC-normalise (full-width digits and letters become half-width)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def decode(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), else GB18030 as Excel writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_csv(source: str | Path | IO[bytes]) -> tuple[list[str], list[Row]]:
    """The header and the non-blank rows of a CSV file, with the file's row numbers."""
    data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    header: list[str] | None = None
    rows: list[Row] = []
    for number, cells in enumerate(reader, start=1):
        values = [normalise_cell(cell) for cell in cells]
        if not any(values):
            continue
        if header is None:
            header = values
            continue
        padded = values + [""] * (len(header) - len(values))
        rows.append(Row(number, dict(zip(header, padded, strict=False))))
    return header or [], rows


def require_columns(header: Iterable[str], required: Iterable[str]) -> list[RowError]:
    """One error per missing column (not one per row)."""
    present = set(header)
    return [
        RowError(None, column, "", _("This required column is missing."))
        for column in required
        if column not in present
    ]
