"""``tuopin export``: the registry as household files, as of a date, within the user's areas."""

from __future__ import annotations

import datetime
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tuopin.accounts.management.acting import acting_user, add_user_argument
from tuopin.registry.bulk import export_households
from tuopin.registry.importers.household_file import write_household_file


class Command(BaseCommand):
    help = "Export households in the household-file format (spec/household-file.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", help="only this area's subtree (12-digit code)")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="members and flags as of this date (default: today)",
        )
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options.get("user"))
        households = export_households(
            user=actor, area_code=options["area"], as_of=options["as_of"]
        )
        target = options["output"] or sys.stdout.buffer
        write_household_file(households, target, fmt=options["format"])
