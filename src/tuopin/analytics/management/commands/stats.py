"""``tuopin stats --area CODE --as-of DATE``: an area's indicators from the registry snapshot."""

from __future__ import annotations

import csv
import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tuopin.accounts.management.acting import acting_user, add_user_argument
from tuopin.analytics.definitions import INDICATORS
from tuopin.analytics.selectors import area_figures
from tuopin.analytics.snapshot import open_snapshot
from tuopin.core.errors import DomainError, PermissionDenied


class Command(BaseCommand):
    help = "Indicators of an area as of a date (households, people, incidence, income …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", required=True, help="12-digit area code")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="the date the figures describe (default: today)",
        )
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")
        parser.add_argument("--income-year", type=int, help="income year (default: the latest)")
        parser.add_argument(
            "--growth-from", type=int, help="base year of income growth (default: the year before)"
        )
        parser.add_argument(
            "--refresh", action="store_true", help="refresh the snapshot of the date first"
        )
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options.get("user"))
        as_of = options["as_of"] or timezone.localdate()
        if not options["refresh"] and open_snapshot(as_of) is None:
            self.stderr.write(f"no snapshot as of {as_of.isoformat()}: making one")
        try:
            figures = area_figures(
                user=user,
                area_code=options["area"],
                as_of=as_of,
                income_year=options["income_year"],
                growth_from=options["growth_from"],
                refresh=options["refresh"],
            )
        except PermissionDenied as exc:
            raise CommandError(f"{options['area']}: {exc}") from exc
        except (DomainError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        data = figures.as_dict()
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        rows = [(i.key, str(i.label), data.get(i.key)) for i in INDICATORS]
        if fmt == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(["indicator", "label", "value"])
            writer.writerow(["area", "", data["area"]])
            writer.writerow(["as_of", "", data["as_of"]])
            writer.writerows(rows)
            return
        self.stdout.write(f"{data['area']} {data['area_name']}  as of {data['as_of']}")
        width = max(len(label) for _, label, _ in rows)
        for _key, label, value in rows:
            shown = (
                "—"
                if value is None
                else (f"{value:,.2f}" if isinstance(value, float) else f"{value:,}")
            )
            self.stdout.write(f"  {label:<{width}}  {shown:>14}")
        for note in data["notes"]:
            self.stdout.write(f"* {note}")
        if data["suppressed"]:
            self.stdout.write(f"* {len(data['suppressed'])} small counts hidden (—)")
