"""Resident identity numbers (公民身份号码, GB 11643-1999) and masking of sensitive values."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumberCheck:
    """What a resident ID number says, or why it is not one."""

    value: str
    error: str | Promise | None = None
    birth_date: datetime.date | None = None
    sex: str | None = None  # "男" or "女"
    region: str | None = None  # the six-digit address code

    @property
    def ok(self) -> bool:
        return self.error is None


def normalise_id_number(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def check_id_number(value: str, *, today: datetime.date | None = None) -> IdNumberCheck:
    """Validate an 18-digit resident ID: shape, real birth date, check digit."""
    number = normalise_id_number(value)
    if _SCIENTIFIC.match(number):
        return IdNumberCheck(
            number,
            _(
                "The spreadsheet turned this ID number into a number and lost digits; "
                "format the column as text and type it again."
            ),
        )
    if len(number) == 17 and number.isdigit() and check_digit(number) == "X":
        return IdNumberCheck(
            number, _("The final X is missing (a spreadsheet may have dropped it).")
        )
    if not _SHAPE.match(number):
        return IdNumberCheck(number, _("An ID number has 17 digits and a final digit or X."))
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return IdNumberCheck(number, _("The birth date in this ID number does not exist."))
    if birth.year < 1890 or birth > (today or datetime.date.today()):
        return IdNumberCheck(number, _("The birth date in this ID number is not plausible."))
    if check_digit(number[:17]) != number[17]:
        return IdNumberCheck(number, _("The check digit does not match; a digit is mistyped."))
    sex = "男" if int(number[16]) % 2 else "女"
    return IdNumberCheck(number, None, birth, sex, number[:6])


def mask(value: str, *, keep_start: int = 6, keep_end: int = 4) -> str:
    """``152922********123X``: enough to recognise, not enough to use."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_phone(value: str) -> str:
    return mask(value, keep_start=3, keep_end=4)


def mask_account(value: str) -> str:
    return mask(value, keep_start=4, keep_end=4)
