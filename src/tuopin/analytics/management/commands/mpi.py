"""``tuopin mpi``: Alkire–Foster multidimensional poverty of a CSV file, or of the registry.

With FILE and ``--spec SPEC.toml``: the spec holds ``k``, an optional ``group`` column, an
optional ``weight`` column and ``[[indicator]]`` tables with ``column``, ``cutoff`` (deprived
when the value is below it) or ``deprived_if`` (deprived when equal), and ``weight``.
Without FILE: the default Tuopin measure over the registry for ``--area`` as of ``--as-of``.
"""

from __future__ import annotations

import csv
import datetime
import json
import tomllib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tuopin.accounts.management.acting import acting_user, add_user_argument
from tuopin.analytics.engine.af import AFIndicator, InputError, alkire_foster
from tuopin.analytics.selectors import registry_mpi
from tuopin.core.errors import DomainError


def read_spec(path: Path) -> dict[str, Any]:
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"no such spec file: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CommandError(f"{path}: not valid TOML: {exc}") from None
    if "k" not in spec or not isinstance(spec["k"], int | float):
        raise CommandError(f"{path}: k (a number between 0 and 1) is required")
    tables = spec.get("indicator")
    if not isinstance(tables, list) or not tables:
        raise CommandError(f"{path}: at least one [[indicator]] table is required")
    indicators = []
    equal = 1 / len(tables)
    for number, table in enumerate(tables, start=1):
        if "column" not in table:
            raise CommandError(f"{path}: indicator {number} has no column")
        try:
            indicators.append(
                AFIndicator(
                    column=str(table["column"]),
                    weight=float(table.get("weight", equal)),
                    cutoff=float(table["cutoff"]) if "cutoff" in table else None,
                    deprived_if=table.get("deprived_if"),
                )
            )
        except InputError as exc:
            raise CommandError(f"{path}: indicator {number}: {exc}") from None
    return {
        "k": float(spec["k"]),
        "group": spec.get("group"),
        "weight": spec.get("weight"),
        "indicators": indicators,
    }


def read_rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        raise CommandError(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not a UTF-8 CSV file") from None


class Command(BaseCommand):
    help = "Alkire–Foster multidimensional poverty (H, A, M0, M1, M2, contributions)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="a CSV file with a header row")
        parser.add_argument("--spec", help="the measure (TOML), required with FILE")
        parser.add_argument("--area", help="without FILE: the area (12-digit code)")
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, help="without FILE: the date"
        )
        parser.add_argument("--line", type=float, help="without FILE: income line (yuan)")
        parser.add_argument("--income-year", type=int, help="without FILE: income year")
        parser.add_argument("--format", choices=["json"], default="json")
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"]:
            if not options["spec"]:
                raise CommandError("--spec SPEC.toml is required with a file")
            spec = read_spec(Path(options["spec"]))
            rows = read_rows(Path(options["file"]))
            try:
                result = alkire_foster(
                    rows,
                    spec["indicators"],
                    k=spec["k"],
                    group=spec["group"],
                    weight=spec["weight"],
                )
            except InputError as exc:
                raise CommandError(f"{options['file']}: {exc}") from None
            data = result.as_dict()
        else:
            if not options["area"]:
                raise CommandError("give a FILE with --spec, or --area for the registry")
            try:
                data = registry_mpi(
                    user=acting_user(options.get("user")),
                    area_code=options["area"],
                    as_of=options["as_of"] or timezone.localdate(),
                    income_year=options["income_year"],
                    line=options["line"],
                )
            except DomainError as exc:
                raise CommandError(f"{options['area']}: {exc}") from None
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
