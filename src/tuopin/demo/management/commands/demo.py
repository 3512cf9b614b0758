"""``tuopin demo``: migrate, load the Alxa demonstration data, create demo users, serve."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tuopin.demo.services import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Set up the database, load the Alxa demonstration data and serve it on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")
        parser.add_argument("--port", type=int, default=8000, help="port to serve on (8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        report = load_demo()
        tree = report.tree
        self.stdout.write(
            f"areas: {len(tree.created)} created, {len(tree.updated)} updated, "
            f"{tree.unchanged} already loaded"
        )
        self.stdout.write(f"area figures: {report.figures_created} created (synthetic)")
        self.stdout.write(f"households: {report.households_created} created (synthetic)")
        self.stdout.write(f"database: {settings.DATABASES['default']['NAME']}")
        self.stdout.write("")
        self.stdout.write(f"Demonstration accounts (password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(
                f"  {spec.username:<12} {spec.role:<18} {spec.area_code}  {spec.display_name}"
            )
        self.stdout.write("All data shown is synthetic demonstration data.")
        if options["no_serve"]:
            return
        self.stdout.write("")
        self.stdout.write(f"Serving on http://127.0.0.1:{options['port']}/  (Ctrl+C stops)")
        # Background jobs (uploads, sweeps) run in a worker process beside the web server.
        worker = subprocess.Popen([sys.executable, "-m", "tuopin.cli", "worker"])
        try:
            call_command(
                "serve", bind=f"127.0.0.1:{options['port']}", workers=2, no_collectstatic=True
            )
        finally:
            worker.terminate()
            worker.wait(timeout=10)
