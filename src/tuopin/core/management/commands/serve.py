"""``tuopin serve``: the production web server (gunicorn) on the configured database."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication

from tuopin.settings import env_int, env_str


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Loaded in each worker, after gunicorn forks.
        from tuopin.wsgi import application  # noqa: PLC0415

        return application


class Command(BaseCommand):
    help = "Run the production web server (gunicorn) on the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=env_str("TUOPIN_BIND", "127.0.0.1:8000"),
            help="address:port to listen on (TUOPIN_BIND, default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=env_int("TUOPIN_WORKERS", 4),
            help="worker processes (TUOPIN_WORKERS, default 4)",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="do not apply pending migrations first"
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="do not collect static files first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        _Gunicorn(
            {
                "bind": options["bind"],
                "workers": options["workers"],
                "threads": 4,
                "accesslog": "-",
                "timeout": 120,
            }
        ).run()
