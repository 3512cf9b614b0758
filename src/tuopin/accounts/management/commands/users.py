"""``tuopin users``: accounts and grants from the server console (the first administrator)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts.choices import Role
from tuopin.accounts.management.acting import acting_user
from tuopin.accounts.models import Grant, User
from tuopin.accounts.services import grant_add, grant_revoke, user_create
from tuopin.areas.models import Area
from tuopin.core.errors import DomainError


class Command(BaseCommand):
    help = "Create accounts and grant or revoke roles over areas."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create an account")
        create.add_argument("username")
        create.add_argument("--display-name", default="")
        create.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )
        for name, text in (("grant", "give a role over an area"), ("revoke", "take it back")):
            grant = sub.add_parser(name, help=text)
            grant.add_argument("username")
            grant.add_argument("role", choices=Role.values)
            grant.add_argument("area_code")
        sub.add_parser("list", help="accounts and their grants")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc

    def _create(self, options: dict[str, Any]) -> None:
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
        user = user_create(
            actor=None,
            username=options["username"],
            password=password,
            display_name=options["display_name"],
        )
        self.stdout.write(f"created {user.username}; it sees nothing until granted a role")

    def _grant(self, options: dict[str, Any]) -> None:
        user, area = acting_user(options["username"]), self._area(options["area_code"])
        grant_add(actor=None, user=user, role=options["role"], area=area)
        self.stdout.write(f"{user.username}: {options['role']} over {area.code} {area.name}")

    def _revoke(self, options: dict[str, Any]) -> None:
        user, area = acting_user(options["username"]), self._area(options["area_code"])
        grant = Grant.objects.filter(user=user, role=options["role"], area=area).first()
        if grant is None:
            raise CommandError("no such grant")
        grant_revoke(actor=None, grant=grant)
        self.stdout.write("revoked")

    def _list(self, options: dict[str, Any]) -> None:
        for user in User.objects.prefetch_related("grants__area").order_by("username"):
            grants = ", ".join(f"{g.role}@{g.area.code}" for g in user.grants.all()) or "-"
            state = "" if user.is_active else " (deactivated)"
            self.stdout.write(f"{user.username}{state}: {grants}")

    @staticmethod
    def _area(code: str) -> Area:
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise CommandError(f"no area with code {code!r}")
        return area
