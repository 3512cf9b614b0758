"""How policy numbers are written on pages and in messages."""

from __future__ import annotations

from decimal import Decimal


def plain_number(number: Decimal) -> str:
    """A stored value without trailing zeros: ``3747.0000`` as ``3747``, ``2.5000`` as
    ``2.5`` (never in exponent form)."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def grouped_number(number: Decimal) -> str:
    """``plain_number`` with thousands grouped: ``8800`` as ``8,800``."""
    text = plain_number(number)
    whole, _dot, fraction = text.partition(".")
    grouped = f"{int(whole):,}"
    return f"{grouped}.{fraction}" if fraction else grouped
