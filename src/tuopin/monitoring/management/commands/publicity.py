"""``tuopin publicity export``: the publicity lists of every gaqa under an area, as .xlsx."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tuopin.accounts.management.acting import acting_user, add_user_argument
from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers
from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.monitoring import selectors
from tuopin.monitoring.models import Case
from tuopin.monitoring.publicity import publicity_workbook_many


class Command(BaseCommand):
    help = "Export publicity lists: tuopin publicity export --area CODE [-o FILE]."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="one sheet per gaqa with a list")
        export.add_argument("--area", required=True, help="12-digit code of any area")
        export.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="lists in force on or after this date (default: today)",
        )
        export.add_argument("-o", "--output", help="file to write (default: standard output)")
        add_user_argument(export)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options.get("user"))
        top = Area.objects.filter(code=options["area"]).first()
        if top is None or (actor is not None and not covers(actor, Capability.VIEW_RECORDS, top)):
            raise CommandError(f"no area with code {options['area']!r} that you may see")
        on = options["as_of"] or timezone.localdate()
        cases = Case.objects.all() if actor is None else selectors.case_list(user=actor)
        lists = []
        gaqas = Area.objects.filter(top.subtree_q(), level=Level.VILLAGE).order_by("lft")
        wanted = set(cases.filter(top.subtree_q("area__")).values_list("area_id", flat=True))
        for gaqa in gaqas:
            if gaqa.pk not in wanted:
                continue
            rows = selectors.publicity_rows(cases, area=gaqa, on=on)
            if rows:
                lists.append((gaqa, rows))
        content = publicity_workbook_many(lists, on=on)
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"{len(lists)} publicity lists written to {options['output']}")
        else:
            sys.stdout.buffer.write(content)
