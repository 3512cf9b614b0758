"""The one scoping primitive: every selector passes its queryset through ``restrict``.

A user sees a row only when one of their grants whose role carries the capability covers
the row's area (the grant's area or anything below it). No user, an inactive user, or no
such grant means nothing at all: the scope fails closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability, role_allows
from tuopin.areas.models import Area
from tuopin.core.errors import PermissionDenied

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_tuopin_grant_cache"


@dataclass(frozen=True)
class GrantScope:
    role: str
    area_id: int
    code: str
    lft: int
    rgt: int
    parent_id: int | None


def _grants(user: Any) -> list[GrantScope]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = [
            GrantScope(g.role, g.area_id, g.area.code, g.area.lft, g.area.rgt, g.area.parent_id)
            for g in user.grants.select_related("area").all()
        ]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user: Any) -> None:
    """Drop the grants cached on ``user`` (after its grants change)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def intervals(user: Any, capability: Capability) -> list[tuple[int, int]]:
    """The disjoint ``(lft, rgt)`` intervals ``user`` holds ``capability`` over."""
    spans = sorted((g.lft, g.rgt) for g in _grants(user) if role_allows(g.role, capability))
    merged: list[tuple[int, int]] = []
    for lft, rgt in spans:
        if merged and lft <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], rgt))
        else:
            merged.append((lft, rgt))
    return merged


def scope_q(user: Any, capability: Capability, *, area_field: str | None = "area") -> Q | None:
    """The filter for rows in scope, or ``None`` when nothing is (fail closed)."""
    spans = intervals(user, capability)
    if not spans:
        return None
    prefix = f"{area_field}__" if area_field else ""
    q = Q()
    for lft, rgt in spans:
        q |= Q(**{f"{prefix}lft__gte": lft, f"{prefix}lft__lte": rgt})
    return q


def restrict(
    queryset: QuerySet[M],
    user: Any,
    capability: Capability,
    *,
    area_field: str | None = "area",
) -> QuerySet[M]:
    """``queryset`` limited to rows whose area (``area_field``; ``None`` for areas
    themselves) lies within the subtrees where ``user`` holds ``capability``."""
    q = scope_q(user, capability, area_field=area_field)
    return queryset.none() if q is None else queryset.filter(q)


def restrict_by_code(
    queryset: QuerySet[M], user: Any, capability: Capability, *, code_field: str
) -> QuerySet[M]:
    """Like ``restrict`` for rows that keep an area code rather than a foreign key."""
    q = scope_q(user, capability, area_field=None)
    if q is None:
        return queryset.none()
    return queryset.filter(**{f"{code_field}__in": Area.objects.filter(q).values("code")})


def covers(user: Any, capability: Capability, area: Area) -> bool:
    return any(lft <= area.lft <= rgt for lft, rgt in intervals(user, capability))


def covers_everything(user: Any, capability: Capability) -> bool:
    """Whether ``user`` holds ``capability`` over a whole tree (a grant on a root area)."""
    return any(g.parent_id is None and role_allows(g.role, capability) for g in _grants(user))


def require(user: Any, capability: Capability, area: Area) -> None:
    """Raise ``PermissionDenied`` unless ``user`` holds ``capability`` over ``area``."""
    if not covers(user, capability, area):
        raise PermissionDenied(
            "permission_denied", _("You do not have permission to do this here.")
        )


def has_capability(user: Any, capability: Capability) -> bool:
    """Whether ``user`` holds ``capability`` anywhere (to show or hide a menu entry)."""
    return bool(intervals(user, capability))


def top_granted_areas(user: Any, capability: Capability = Capability.VIEW_AREAS) -> list[Area]:
    """The highest areas of the user's subtrees, in tree order (their home page)."""
    spans = intervals(user, capability)
    if not spans:
        return []
    q = Q()
    for lft, _rgt in spans:
        q |= Q(lft=lft)
    return list(Area.objects.filter(q).order_by("lft"))
