"""``tuopin generate``: synthetic household files at any scale, in constant memory."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tuopin.demo.generator import Generator, reference_villages
from tuopin.registry.importers.household_file import write_household_file


class Command(BaseCommand):
    help = "Write synthetic Alxa household files (spec/household-file.md), deterministic per seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2014)
        parser.add_argument("--year", type=int, default=2025, help="income year (2025)")
        parser.add_argument("--out", required=True, help="folder to write into")
        parser.add_argument(
            "--per-file", type=int, default=100_000, help="households per file (100000)"
        )
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        generator = Generator(
            reference_villages(), seed=options["seed"], income_year=options["year"]
        )
        total, per_file = options["households"], options["per_file"]
        started = time.monotonic()
        for number, start in enumerate(range(0, total, per_file), start=1):
            count = min(per_file, total - start)
            path = out / f"households-{number:04d}.{options['format']}"
            write_household_file(
                generator.households(count, start=start), path, fmt=options["format"]
            )
            self.stdout.write(f"{path} ({count} households)")
        self.stdout.write(
            f"{total} households in {time.monotonic() - started:.1f}s "
            f"(seed {options['seed']}; synthetic data)"
        )
