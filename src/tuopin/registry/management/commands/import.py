"""``tuopin import FILE``: household files into the registry, all or nothing by default."""

from __future__ import annotations

import datetime
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts.management.acting import acting_user, add_user_argument
from tuopin.core.error_report import write_error_report
from tuopin.core.errors import DomainError
from tuopin.core.jobs import Progress, ProgressReporter
from tuopin.core.tabular import FileRefused
from tuopin.registry.bulk import import_households
from tuopin.registry.importers.household_file import read_household_file


def progress_bar(stream: Any) -> Any:
    """A one-line progress bar on a terminal (nothing when not a terminal)."""
    started = time.monotonic()

    def draw(progress: Progress) -> None:
        if not stream.isatty():
            return
        width = 30
        filled = width * progress.percent // 100
        elapsed = time.monotonic() - started
        stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {progress.percent:3d}% "
            f"{progress.done}/{progress.total} {progress.message} ({elapsed:.0f}s)"
        )
        stream.flush()

    return draw


class Command(BaseCommand):
    help = "Import a household file (xlsx or csv, spec/household-file.md) into the registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--mode",
            choices=["all-or-nothing", "good-rows"],
            default="all-or-nothing",
            help="all-or-nothing (default): any error refuses the file; good-rows: import the "
            "good households and write the bad rows to the error report",
        )
        parser.add_argument(
            "--effective",
            type=datetime.date.fromisoformat,
            help="date the new memberships and statuses start (default: today)",
        )
        parser.add_argument(
            "--report",
            help="where to write the error report (default: FILE.errors.xlsx beside the file)",
        )
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options.get("user"))
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"no such file: {path}")
        report_path = Path(options["report"] or f"{path}.errors.xlsx")
        started = time.monotonic()
        parsed = read_household_file(path)
        reporter = ProgressReporter(None, echo=progress_bar(sys.stderr))
        try:
            result = import_households(
                actor=actor,
                parsed=parsed,
                mode=options["mode"],
                effective=options["effective"],
                progress=reporter,
            )
        except FileRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            write_error_report(path, exc.errors, report_path, header_row=parsed.header_row)
            raise CommandError(
                f"refused: {len(exc.errors)} error(s); nothing was written. "
                f"Error report: {report_path}"
            ) from exc
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        elapsed = time.monotonic() - started
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            write_error_report(
                path, result.errors, report_path, header_row=parsed.header_row, only_bad_rows=True
            )
        if not result.changed and not result.errors:
            self.stdout.write(
                f"nothing changed: {result.households_unchanged} household(s) already as given"
            )
            return
        self.stdout.write(
            f"{result.households_created} household(s) created, "
            f"{result.households_updated} updated, {result.households_unchanged} unchanged; "
            f"{result.rows_read} member row(s) in {elapsed:.1f}s"
        )
        if result.errors:
            raise CommandError(
                f"{result.skipped_households} household(s) with errors left out; "
                f"their rows are in {report_path}"
            )
