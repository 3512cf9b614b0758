"""Internal to ``tuopin bench import``: time one import into the configured database."""

from __future__ import annotations

import gc
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tuopin.registry.bulk import import_households
from tuopin.registry.importers.household_file import read_household_file


class Command(BaseCommand):
    help = "Time one household-file import (used by `tuopin bench import`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        gc.collect()
        started = time.monotonic()
        parsed = read_household_file(options["file"])
        parsed_at = time.monotonic()
        report = import_households(actor=None, parsed=parsed)
        done = time.monotonic()
        total = done - started
        self.stdout.write(
            json.dumps(
                {
                    "parse_s": round(parsed_at - started, 2),
                    "write_s": round(done - parsed_at, 2),
                    "total_s": round(total, 2),
                    "rows_per_s": round(parsed.rows_read / total),
                    "write_rows_per_s": round(parsed.rows_read / (done - parsed_at)),
                    "households": report.households_created,
                    "errors": len(parsed.errors),
                }
            )
        )
