"""``tuopin sweep --year Y [--area CODE]``: the rules over the stored registry."""

from __future__ import annotations

import datetime
import importlib
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts.management.acting import acting_user, add_user_argument
from tuopin.areas.models import Area
from tuopin.core.errors import DomainError
from tuopin.core.jobs import Progress
from tuopin.rules.sweep import sweep_run

# The import command's terminal progress bar (its module name is a Python keyword).
progress_bar = importlib.import_module("tuopin.registry.management.commands.import").progress_bar


class Command(BaseCommand):
    help = (
        "Evaluate every stored household of an area under the policy in force, record the run "
        "and open a risk clue for each new monitoring candidate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="the income year")
        parser.add_argument("--area", help="12-digit area code (default: the whole tree)")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="the date the registry is read as of (default: 31 Dec of YEAR)",
        )
        add_user_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(options.get("user"))
        area = None
        if options["area"]:
            area = Area.objects.filter(code=options["area"]).first()
            if area is None:
                raise CommandError(f"no area has the code {options['area']}")
        draw = progress_bar(sys.stderr)

        def progress(done: int, total: int, message: str) -> None:
            draw(Progress(done=done, total=total, message=message))

        try:
            run = sweep_run(
                actor=actor, year=options["year"], area=area, as_of=options["as_of"],
                progress=progress,
            )  # fmt: skip
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        c = run.counts
        self.stdout.write(
            f"sweep #{run.pk} of {run.area.code} for {run.year} (as of {run.as_of}): "
            f"{c['evaluated']} of {c['households']} household(s) evaluated "
            f"({c['not_evaluated']} without income or living conditions for the year); "
            f"exit eligible {c['exit_eligible']}; candidates: unstable tuopin "
            f"{c['unstable_tuopin']}, marginal {c['marginal']}, sudden hardship "
            f"{c['sudden_hardship']} ({c['new_candidates']} not yet monitored); "
            f"elimination eligible {c['elimination_eligible']}; clues opened {run.clues_opened}"
        )
