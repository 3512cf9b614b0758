"""``tuopin fgt FILE --income COL --line Z``: FGT P0, P1, P2, Watts and Sen of a CSV file."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.analytics.engine.af import InputError, fgt
from tuopin.analytics.management.commands.mpi import read_rows


def _number(row: dict[str, str], column: str, number: int) -> float:
    if column not in row:
        raise CommandError(f"no column {column!r}")
    try:
        value = float(row[column])
    except (TypeError, ValueError):
        raise CommandError(
            f"row {number}, column {column!r}: {row[column]!r} is not a number"
        ) from None
    if math.isnan(value):
        raise CommandError(f"row {number}, column {column!r}: not a number")
    return value


class Command(BaseCommand):
    help = "Foster–Greer–Thorbecke P0, P1, P2, Watts and Sen of incomes in a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--income", required=True, help="the income column")
        parser.add_argument("--line", type=float, required=True, help="the poverty line")
        parser.add_argument("--weight", help="a weight column (frequency weights)")
        parser.add_argument("--group", help="a column to break the measures down by")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = read_rows(Path(options["file"]))
        incomes, weights, groups = [], [], []
        for number, row in enumerate(rows, start=2):
            incomes.append(_number(row, options["income"], number))
            if options["weight"]:
                weight = _number(row, options["weight"], number)
                if weight < 0:
                    raise CommandError(f"row {number}, column {options['weight']!r}: negative")
                weights.append(weight)
            if options["group"]:
                if options["group"] not in row:
                    raise CommandError(f"no column {options['group']!r}")
                groups.append(row[options["group"]])
        try:
            result = fgt(
                incomes,
                line=options["line"],
                weights=weights if options["weight"] else None,
                groups=groups if options["group"] else None,
            )
        except InputError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
