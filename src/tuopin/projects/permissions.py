"""Which level of office a step of the project, fund or asset work needs.

Record editing (``EDIT_RECORDS``) over the area is needed for every write; some steps also
need an office at or above a level: the banner approves, funds and accepts, the town
reports implementation, the gaqa proposes and announces.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tuopin.accounts.choices import Role
from tuopin.accounts.permissions import Capability, role_allows
from tuopin.areas.choices import Level, level_rank
from tuopin.areas.models import Area
from tuopin.core.errors import PermissionDenied

ROLE_LEVEL: dict[str, str] = {
    Role.SYSTEM_ADMIN: Level.PROVINCE,
    Role.LEAGUE_OFFICER: Level.LEAGUE,
    Role.BANNER_APPROVER: Level.BANNER,
    Role.TOWN_REVIEWER: Level.SUMU_TOWN,
    Role.GAQA_CADRE: Level.VILLAGE,
}


def holds_level(actor: Any, area: Area, level: str) -> bool:
    """Whether ``actor`` edits records over ``area`` in an office at ``level`` or above."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    wanted = level_rank(level)
    for grant in actor.grants.select_related("area"):
        office = ROLE_LEVEL.get(grant.role)
        if (
            office is not None
            and level_rank(office) <= wanted
            and role_allows(grant.role, Capability.EDIT_RECORDS)
            and grant.area.lft <= area.lft <= grant.area.rgt
        ):
            return True
    return False


def require_level(actor: Any, area: Area, level: str) -> None:
    """Refuse unless ``actor`` is the console (``None``) or ``holds_level``."""
    if actor is None:
        return
    if not holds_level(actor, area, level):
        raise PermissionDenied(
            "permission_denied", _("You do not have permission to do this here.")
        )
