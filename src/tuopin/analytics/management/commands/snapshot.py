"""``tuopin snapshot --as-of DATE``: export the registry as of a date for the statistics."""

from __future__ import annotations

import datetime
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tuopin.analytics.snapshot import refresh_snapshot


class Command(BaseCommand):
    help = "Refresh the columnar snapshot of the registry as of a date (Parquet, for DuckDB)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="the date the snapshot describes (default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                sys.stderr.write(f"\r{done}/{total} tables")
                sys.stderr.flush()

        snapshot = refresh_snapshot(as_of=as_of, progress=progress)
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        counts = ", ".join(f"{table} {rows:,}" for table, rows in snapshot.counts.items())
        self.stdout.write(
            f"snapshot as of {as_of.isoformat()} in {snapshot.path} "
            f"({time.monotonic() - started:.1f} s): {counts}"
        )
