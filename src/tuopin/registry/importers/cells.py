"""Reading the cells of tabular files as cadres fill them in Excel, one value at a time.

A cell arrives trimmed and NFKC-normalised when it is text, or as openpyxl typed it (a number,
a date, a boolean). Each parser returns the value or raises ``CellError`` with the reason, a
translatable message; the caller locates it (row, column as written, cell text).
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from tuopin.registry.choices import FILE_TERMS
from tuopin.registry.idnumbers import check_id_number

CENT = Decimal("0.01")
AMOUNT_LIMIT = Decimal(10) ** 10  # the registry stores 12 digits, 2 of them decimals

REQUIRED = _("This column requires a value.")
AMOUNT_SHAPE = _("An amount is a number of yuan, such as 12345.60.")
AMOUNT_NEGATIVE = _("An amount cannot be negative.")
AMOUNT_DECIMALS = _("An amount has at most 2 decimal places (fen).")
AMOUNT_TOO_LARGE = _("This amount is too large.")
COUNT_SHAPE = _("A count is a whole number, 0 or more.")
YEAR_SHAPE = _("A year has four digits, such as 2024.")
YEAR_RANGE = _("The year must lie between %(low)s and %(high)s.")
DATE_SHAPE = _("A date is written 2024-03-01, 2024/3/1 or 2024年3月1日.")
DATE_MISSING = _("This date does not exist.")
DATE_SERIAL = _(
    "This is a number, not a date (Excel shows a date as a number when the cell is not "
    "formatted as a date); type it as 2024-03-01."
)
YES_NO = _("Write 是 or 否 (also yes/no, true/false, 1/0, √/×).")
UNKNOWN_TERM = _("Unknown value; use one of: %(choices)s.")
TOO_LONG = _("This value is too long (at most %(max)s characters).")
AREA_CODE = _("An area code has exactly 12 digits.")
CODE_NUMBER = _(
    "Excel turned this code into a number and lost digits; format the column as text and "
    "type it again."
)
ID_NUMBER_CELL = _(
    "Excel turned this ID number into a number, which loses digits; format the column as text "
    "and type it again."
)


def _interpolate(message: str | Promise, params: dict[str, Any]) -> str:
    return str(message) % params


# Translated when shown, in the language active then, not when the file is read.
_lazy_interpolate = lazy(_interpolate, str)


def reason(message: str | Promise, **params: Any) -> str | Promise:
    return _lazy_interpolate(message, params) if params else message


# What a cleaned cell holds: text (trimmed, NFKC), or what openpyxl typed (numbers, dates, bools).
Cell = Any
Parser = Callable[[Cell], Any]


class CellError(Exception):
    def __init__(self, reason: str | Promise) -> None:
        self.reason = reason
        super().__init__(str(reason))


def is_number(value: Cell) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def number_text(value: float | int | Decimal) -> str:
    """A number as Excel shows it, without float formatting (``152921198001011000``)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        number = Decimal(repr(value))
        if value.is_integer():
            number = number.to_integral_value()
        return format(number, "f")
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def cell_text(value: Cell) -> str:
    """The cell's text as a user would recognise it in an error report."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if is_number(value):
        return number_text(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def text_parser(max_length: int) -> Parser:
    def parse(value: Cell) -> str:
        text = cell_text(value)
        if len(text) > max_length:
            raise CellError(reason(TOO_LONG, max=max_length))
        return text

    return parse


def code_text(value: Cell) -> str:
    """A code that Excel may have typed as a number: exact up to 15 digits, lost beyond."""
    if isinstance(value, bool):
        raise CellError(CODE_NUMBER)
    if is_number(value):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(CODE_NUMBER)
        text = number_text(value)
        if len(text.lstrip("-")) > 15:
            raise CellError(CODE_NUMBER)
        return text
    return cell_text(value)


_AREA_CODE = re.compile(r"^\d{12}$")


def parse_area_code(value: Cell) -> str:
    text = code_text(value)
    if not _AREA_CODE.match(text):
        raise CellError(AREA_CODE)
    return text


def choice_parser(choice: type[models.TextChoices]) -> Parser:
    """A vocabulary cell: the file's Chinese term, or the stored English code itself."""
    terms = dict(FILE_TERMS[choice])
    codes = {str(code).lower(): str(code) for code in choice.values}
    listed = "、".join(terms)

    def parse(value: Cell) -> str:
        text = cell_text(value)
        found = terms.get(text) or codes.get(text.lower())
        if found is None:
            raise CellError(reason(UNKNOWN_TERM, choices=listed))
        return found

    return parse


_YEAR = re.compile(r"^(\d{4})年?$")


def year_parser(low: int, high: int) -> Parser:
    def parse(value: Cell) -> int:
        if is_number(value) and float(value).is_integer():
            text = str(int(value))
        elif isinstance(value, str):
            text = value
        else:
            raise CellError(YEAR_SHAPE)
        match = _YEAR.match(text)
        if not match:
            raise CellError(YEAR_SHAPE)
        year = int(match.group(1))
        if not low <= year <= high:
            raise CellError(reason(YEAR_RANGE, low=low, high=high))
        return year

    return parse


_AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")


def parse_amount(value: Cell) -> Decimal:
    """Yuan, ≥ 0, to the fen. Text with more than 2 decimals is refused (it is a typing
    mistake); an Excel number is rounded to the fen, as Excel shows it (formulas leave
    binary noise such as 1234.5600000000002)."""
    if is_number(value):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError(AMOUNT_SHAPE)
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if amount < 0:
            raise CellError(AMOUNT_NEGATIVE)
        amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    elif isinstance(value, str):
        text = value
        negative = text.startswith("-")
        match = _AMOUNT.match(text[1:] if negative else text)
        if not match:
            raise CellError(AMOUNT_SHAPE)
        if negative:
            raise CellError(AMOUNT_NEGATIVE)
        if match.group(1) and len(match.group(1)) > 2:
            raise CellError(AMOUNT_DECIMALS)
        amount = Decimal(text.replace(",", "")).quantize(CENT)
    else:
        raise CellError(AMOUNT_SHAPE)
    if amount >= AMOUNT_LIMIT:
        raise CellError(AMOUNT_TOO_LARGE)
    return amount


_COUNT = re.compile(r"^\d{1,5}$")


def parse_count(value: Cell) -> int:
    if is_number(value) and float(value).is_integer() and 0 <= value < 100_000:
        return int(value)
    if isinstance(value, str) and _COUNT.match(value):
        return int(value)
    raise CellError(COUNT_SHAPE)


_YES = frozenset({"是", "yes", "true", "1", "√"})
_NO = frozenset({"否", "no", "false", "0", "×"})


def parse_yes_no(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(YES_NO)


_DATE_DASHED = re.compile(r"^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$")
_DATE_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_SERIAL = re.compile(r"^\d{1,6}(?:\.\d+)?$")


def parse_date(value: Cell) -> datetime.date:
    """A date cell of Excel, or text in one of the spec's forms; a bare number never is one
    (it may be a date serial of a cell not formatted as a date, or anything else)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if is_number(value):
        raise CellError(DATE_SERIAL)
    text = cell_text(value)
    match = _DATE_DASHED.match(text)
    if match:
        year, month, day = match.group(1), match.group(3), match.group(4)
    else:
        match = _DATE_CHINESE.match(text)
        if not match:
            raise CellError(DATE_SERIAL if _SERIAL.match(text) else DATE_SHAPE)
        year, month, day = match.groups()
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(DATE_MISSING) from None


_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)


def parse_id_number(value: Cell) -> str:
    """The document number as text; its checks as a resident ID come from ``check_member``."""
    if is_number(value) or isinstance(value, bool):
        raise CellError(ID_NUMBER_CELL)
    text = cell_text(value)
    if text.endswith("x"):
        text = text[:-1] + "X"
    if _SCIENTIFIC.match(text):
        raise CellError(check_id_number(text).error or ID_NUMBER_CELL)
    if len(text) > 30:
        raise CellError(reason(TOO_LONG, max=30))
    return text
