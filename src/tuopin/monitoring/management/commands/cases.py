"""``tuopin cases list``: identification and risk-elimination cases, as JSON or a table."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.utils import timezone

from tuopin.accounts.management.acting import acting_user, add_user_argument
from tuopin.areas.models import Area
from tuopin.monitoring import selectors
from tuopin.monitoring.choices import CaseState
from tuopin.monitoring.models import Case

COLUMNS = ["id", "kind", "household", "area", "step", "state", "deadline", "urgency"]


class Command(BaseCommand):
    help = "List cases: tuopin cases list [--area CODE] [--state S] [--overdue] [--format F]."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="list cases, the most urgent first")
        listing.add_argument("--area", help="only this area's subtree (12-digit code)")
        listing.add_argument("--state", choices=CaseState.values)
        listing.add_argument("--overdue", action="store_true", help="only open, overdue cases")
        listing.add_argument("--format", choices=["json", "table"], default="table")
        add_user_argument(listing)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options.get("user"))
        today = timezone.localdate()
        # The operator at the console sees every case; a named user only their areas'.
        cases: QuerySet[Case] = (
            Case.objects.select_related("area", "household")
            if actor is None
            else selectors.case_list(user=actor)
        )
        if options["area"]:
            area = Area.objects.filter(code=options["area"]).first()
            if area is None:
                raise CommandError(f"no area with code {options['area']!r}")
            cases = cases.filter(area.subtree_q("area__"))
        if options["state"]:
            cases = cases.filter(state=options["state"])
        if options["overdue"]:
            cases = cases.filter(state=CaseState.OPEN, deadline__lt=today)
        rows = [
            {
                "id": case.pk,
                "kind": case.kind,
                "household": case.household.code,
                "area": case.area.code,
                "step": case.step,
                "state": case.state,
                "deadline": case.deadline.isoformat(),
                "urgency": selectors.urgency(case, today),
            }
            for case in cases.order_by("deadline", "id")
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        widths = {c: max([len(c), *(len(str(r[c])) for r in rows)]) for c in COLUMNS}
        self.stdout.write("  ".join(c.ljust(widths[c]) for c in COLUMNS))
        for row in rows:
            self.stdout.write("  ".join(str(row[c]).ljust(widths[c]) for c in COLUMNS))
