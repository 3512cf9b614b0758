"""``tuopin token``: issue or revoke API tokens from the server console."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.accounts.management.acting import acting_user
from tuopin.accounts.models import ApiToken
from tuopin.accounts.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Issue or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token; the key is printed once")
        create.add_argument("--user", required=True, help="the user the token acts as")
        create.add_argument("--name", default="api", help="a name to recognise it by")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            user = acting_user(options["user"])
            _token, key = token_create(actor=None, user=user, name=options["name"])
            self.stdout.write(key)
            return
        token = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True).first()
        if token is None:
            raise CommandError(f"no active token with prefix {options['prefix']!r}")
        token_revoke(actor=None, token=token)
        self.stdout.write(f"revoked {token.prefix}")
