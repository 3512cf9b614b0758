"""``tuopin bench``: the project's speed measurements (figures go into the README)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tuopin.demo.bench import bench_import, bench_snapshot, bench_stats, machine
from tuopin.rules.bench import bench_sweep


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

        sweep = sub.add_parser("sweep", help="the rules over every household, vectorised")
        sweep.add_argument(
            "--households",
            type=int,
            action="append",
            help="households to sweep (repeatable; default 100000 and 1000000)",
        )
        sweep.add_argument(
            "--python-sample",
            type=int,
            help="time the per-household Python loop on this many households and scale up "
            "(default: all of them)",
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
        if options["what"] == "sweep":
            self._sweep(options)
            return
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

    def _sweep(self, options: dict[str, Any]) -> None:
        for households in options["households"] or [100_000, 1_000_000]:
            r = bench_sweep(households, python_sample=options["python_sample"])
            loop = "measured" if r["python_measured"] else f"scaled from {r['python_sample']:,}"
            self.stdout.write(
                f"sweep {r['households']:,} households ({r['members']:,} members): "
                f"{r['sweep_s']} s; hand-written DuckDB query {r['hand_written_s']} s "
                f"(ratio {r['ratio_to_hand_written']}); with every reason rendered as text "
                f"{r['with_text_s']} s; per-household Python loop "
                f"{r['python_s']} s ({loop}; ratio {r['ratio_python_to_sweep']}); "
                f"rows differing from the hand-written query: {r['rows_differing']}; "
                f"outcomes {r['outcomes']}; data generated in {r['generated_s']} s"
            )
