"""``tuopin evaluate FILE``: what the policy says about each household of a file."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.core.errors import DomainError
from tuopin.registry.importers.household_file import read_household_file
from tuopin.rules.evaluation import evaluate_households, evaluation_params, write_evaluation_csv


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if value < 0 or not value.is_finite():
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Evaluate a household file (spec/household-file.md) under the policy in force and write "
        "the evaluation CSV; nothing is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True, help="the income year")
        parser.add_argument(
            "--region", required=True, help="12-digit code of the area whose policy applies"
        )
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="the date ages and monitoring months are counted to (default: 31 Dec of YEAR)",
        )
        parser.add_argument("--poverty-line", type=_amount, help="use this poverty line instead")
        parser.add_argument("--threshold", type=_amount, help="use this monitoring threshold")
        parser.add_argument("-o", "--output", help="write the CSV here (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"no such file: {path}")
        try:
            params = evaluation_params(
                year=options["year"],
                region=options["region"],
                as_of=options["as_of"],
                poverty_line=options["poverty_line"],
                threshold=options["threshold"],
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        parsed = read_household_file(path)
        if parsed.errors:
            for error in parsed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"refused: {len(parsed.errors)} error(s) in {path}")
        for warning in parsed.warnings:
            self.stderr.write(f"warning: {warning}")
        results = evaluate_households(parsed.households, params)
        if options["output"]:
            with Path(options["output"]).open("w", encoding="utf-8", newline="") as stream:
                write_evaluation_csv(results, stream)
        else:
            write_evaluation_csv(results, self.stdout)
