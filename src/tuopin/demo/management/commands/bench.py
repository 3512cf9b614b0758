"""``tuopin bench``: the project's speed measurements (figures go into the README)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tuopin.demo.bench import bench_import, bench_snapshot, bench_stats, machine


class Command(BaseCommand):
    help = "Measure Tuopin's speed on synthetic data."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser("import", help="household-file import with full validation")
        imp.add_argument("--members", type=int, default=1_000_000, help="member rows (1000000)")
        imp.add_argument(
            "--postgres",
            default="postgres://postgres@127.0.0.1:5432",
            help="PostgreSQL server to measure on (a throw-away database is made there)",
        )
        imp.add_argument(
            "--only", choices=["sqlite", "postgres"], help="measure on one database only"
        )

        stats = sub.add_parser("stats", help="every indicator at every area level, from a snapshot")
        stats.add_argument(
            "--households", type=int, default=1_000_000, help="synthetic households (1000000)"
        )
        snap = sub.add_parser("snapshot", help="snapshot refresh from PostgreSQL")
        snap.add_argument(
            "--households", type=int, default=1_000_000, help="households of 3 people (1000000)"
        )
        snap.add_argument(
            "--postgres",
            default="postgres://postgres@127.0.0.1:5432",
            help="PostgreSQL server to measure on (a throw-away database is made there)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"machine: {machine()}")
        if options["what"] == "stats":
            r = bench_stats(options["households"])
            self.stdout.write(
                f"stats: {r['indicators']} indicators for {r['areas']:,} areas over "
                f"{r['households']:,} households ({r['members']:,} members): first run "
                f"{r['first_s']} s, best of 3 {r['best_s']} s "
                f"(snapshot made in {r['generated_s']} s)"
            )
            return
        if options["what"] == "snapshot":
            r = bench_snapshot(options["households"], options["postgres"])
            self.stdout.write(
                f"snapshot refresh from PostgreSQL: {r['households']:,} households, "
                f"{r['members']:,} members, {r['incomes']:,} incomes in {r['refresh_s']} s "
                f"(database filled by SQL in {r['fill_s']} s)"
            )
            return
        databases = {"sqlite": ["sqlite"], "postgres": [options["postgres"]]}.get(
            options["only"] or "", ["sqlite", options["postgres"]]
        )
        for result in bench_import(options["members"], databases):
            self.stdout.write(
                f"import {result['rows']:,} member rows into {result['database']}: "
                f"{result['total_s']} s = {result['rows_per_s']:,} rows/s "
                f"(reading and validating {result['parse_s']} s; writing {result['write_s']} s "
                f"= {result['write_rows_per_s']:,} rows/s); "
                f"file generated in {result['generated_s']} s"
            )
