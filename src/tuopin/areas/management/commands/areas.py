"""``tuopin areas``: the administrative tree and its yearly figures as files."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts.management.acting import acting_user, add_user_argument
from tuopin.areas import selectors, services
from tuopin.areas.models import Area
from tuopin.core.errors import DomainError
from tuopin.core.tabular import FileRefused, read_csv

EXPORT_COLUMNS = ["code", "parent_code", "level", "name"]
FULL_COLUMNS = [
    "code",
    "parent_code",
    "level",
    "kind",
    "name",
    "name_zh_hant",
    "name_latn",
    "provenance",
    "status",
    "successor_code",
]


class Command(BaseCommand):
    help = "Export or import the administrative tree and its yearly figures."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the tree as CSV, one row per area")
        export.add_argument("--format", choices=["csv"], default="csv")
        export.add_argument("-o", "--output", help="file to write (default: standard output)")
        export.add_argument(
            "--full",
            action="store_true",
            help="all columns (kind, names in every script, provenance, status, successor)",
        )
        export.add_argument(
            "--include-inactive", action="store_true", help="also abolished and merged areas"
        )
        add_user_argument(export)
        load = sub.add_parser("import", help="apply a division-change file (CSV)")
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        add_user_argument(load)
        figures = sub.add_parser(
            "import-figures", help="apply yearly figures (code,year,rural_population[,note])"
        )
        figures.add_argument("file")
        add_user_argument(figures)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options.get("user"))
        try:
            getattr(self, f"_{options['action'].replace('-', '_')}")(actor, options)
        except FileRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"refused: {len(exc.errors)} error(s); nothing was written") from exc
        except DomainError as exc:
            raise CommandError(str(exc)) from exc

    def _export(self, actor: Any, options: dict[str, Any]) -> None:
        qs = Area.objects.all() if actor is None else selectors.area_queryset(user=actor)
        if not options["include_inactive"]:
            qs = qs.filter(is_active=True)
        columns = FULL_COLUMNS if options["full"] else EXPORT_COLUMNS
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for area in qs.select_related("parent", "successor").order_by("lft"):
            row = {
                "code": area.code,
                "parent_code": area.parent.code if area.parent_id else "",
                "level": area.level,
                "kind": area.kind,
                "name": area.name,
                "name_zh_hant": area.name_zh_hant,
                "name_latn": area.name_latn,
                "provenance": area.provenance,
                "status": "active" if area.is_active else "abolished",
                "successor_code": area.successor.code if area.successor_id else "",
            }
            writer.writerow([row[c] for c in columns])
        if options["output"]:
            Path(options["output"]).write_text(buffer.getvalue(), encoding="utf-8")
        else:
            self.stdout.write(buffer.getvalue(), ending="")

    def _import(self, actor: Any, options: dict[str, Any]) -> None:
        rows = services.read_tree_file(options["file"])
        report = services.areas_apply_changes(actor=actor, rows=rows, dry_run=options["dry_run"])
        prefix = "would change" if options["dry_run"] else "changed"
        if not report.changed:
            self.stdout.write(f"nothing to change: {report.unchanged} area(s) already as given")
            return
        self.stdout.write(
            f"{prefix}: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.merged)} merged, {len(report.moved_children)} moved to a successor, "
            f"{report.unchanged} unchanged"
        )

    def _import_figures(self, actor: Any, options: dict[str, Any]) -> None:
        _header, rows = read_csv(options["file"])
        changed = services.area_figures_import(actor=actor, rows=rows)
        if changed:
            self.stdout.write(f"{changed} figure(s) recorded")
        else:
            self.stdout.write("nothing to change: every figure was already recorded")
