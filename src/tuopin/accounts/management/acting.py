"""Who a command acts as: the console operator, or a named user limited to their grants."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from tuopin.accounts.models import User


def add_user_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        help=(
            "act as this user, seeing and changing only what their grants allow "
            "(default: the server operator, who sees everything)"
        ),
    )


def acting_user(username: str | None) -> Any:
    """``None`` for the operator at the console, else the active user named."""
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user named {username!r}")
    return user
