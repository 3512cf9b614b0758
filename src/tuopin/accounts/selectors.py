"""Reads of users and grants for the people who manage them."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from tuopin.accounts.models import ApiToken, Grant, User
from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers_everything, restrict, restrict_by_code, scope_q
from tuopin.areas.models import Area
from tuopin.core.models import AuditEntry


def user_queryset(*, user: Any) -> QuerySet[User]:
    """Users ``user`` may manage: those holding a grant inside the manager's subtrees, and
    those the manager created. An administrator of a whole tree manages everyone."""
    if covers_everything(user, Capability.MANAGE_USERS):
        return User.objects.all()
    q = scope_q(user, Capability.MANAGE_USERS, area_field="grants__area")
    if q is None:
        return User.objects.none()
    visible = User.objects.filter(q | Q(created_by=user)).values("pk")
    return User.objects.filter(pk__in=visible)


def user_list(*, user: Any, search: str = "") -> QuerySet[User]:
    qs = user_queryset(user=user)
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(display_name__icontains=search)
            | Q(organisation__icontains=search)
        )
    return qs.order_by("username")


def grant_list(*, user: Any, subject: User) -> QuerySet[Grant]:
    """``subject``'s grants that lie within the manager's subtrees."""
    return restrict(
        Grant.objects.filter(user=subject).select_related("area", "granted_by"),
        user,
        Capability.MANAGE_USERS,
    ).order_by("area__lft", "role")


def token_list(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own API tokens."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def audit_list(
    *,
    user: Any,
    action: str = "",
    actor: str = "",
    area_code: str = "",
    kind: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit rows the user may read: those about areas in their audit scope. Rows tied to no
    area (sign-ins, accounts) only an auditor of a whole tree reads."""
    if covers_everything(user, Capability.VIEW_AUDIT):
        qs = AuditEntry.objects.all()
    else:
        qs = restrict_by_code(
            AuditEntry.objects.exclude(area_code=""),
            user,
            Capability.VIEW_AUDIT,
            code_field="area_code",
        )
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name__iexact=actor)
    if area_code:
        area = Area.objects.filter(code=area_code).first()
        if area is None:
            return qs.none()
        qs = qs.filter(area_code__in=Area.objects.filter(area.subtree_q()).values("code"))
    if kind:
        qs = qs.filter(kind=kind)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")
