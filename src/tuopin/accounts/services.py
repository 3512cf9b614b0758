"""Writes to users, grants and tokens; sign-in throttling. Each checked, audited, atomic."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.choices import Role
from tuopin.accounts.models import ApiToken, Grant, LoginFailure, User, hash_token
from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers_everything, forget_grants, has_capability, require
from tuopin.accounts.selectors import user_queryset
from tuopin.areas.models import Area
from tuopin.core.audit import diff_of, log_action, snapshot
from tuopin.core.choices import AuditKind
from tuopin.core.errors import DomainError, PermissionDenied

_USER_FIELDS = ["username", "display_name", "organisation", "phone", "email", "is_active"]


def _manageable(actor: Any, user: User) -> None:
    """Refuse unless ``actor`` may manage ``user`` (the user exists within their scope)."""
    if actor is None:
        return
    if not user_queryset(user=actor).filter(pk=user.pk).exists():
        raise PermissionDenied(
            "permission_denied", _("You do not have permission to do this here.")
        )


def _check_password(password: str, user: User | None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            "accounts.password.invalid", " ".join(exc.messages), field="password"
        ) from exc


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    display_name: str = "",
    organisation: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    """Create an account. It sees nothing until a grant is added."""
    if actor is not None and not has_capability(actor, Capability.MANAGE_USERS):
        raise PermissionDenied(
            "permission_denied", _("You do not have permission to do this here.")
        )
    username = username.strip()
    if not username:
        raise DomainError(
            "accounts.user.username_required", _("A login name is required."), field="username"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            "accounts.user.username_taken", _("This login name is already taken."), field="username"
        )
    user = User(
        username=username,
        display_name=display_name,
        organisation=organisation,
        phone=phone,
        email=email,
    )
    _check_password(password, user)
    user.set_password(password)
    user.created_by = actor
    user.save()
    log_action(
        actor=actor,
        action="accounts.user.created",
        obj=user,
        diff={k: [None, v] for k, v in snapshot(user, _USER_FIELDS).items()},
    )
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, **changes: Any) -> User:
    """Change a user's profile fields or active flag."""
    _manageable(actor, user)
    unknown = set(changes) - (set(_USER_FIELDS) - {"username"})
    if unknown:
        raise DomainError("accounts.user.bad_field", _("These fields cannot be changed here."))
    if actor is not None and actor.pk == user.pk and changes.get("is_active") is False:
        raise DomainError(
            "accounts.user.self_deactivate", _("You cannot deactivate your own account.")
        )
    before = snapshot(user, _USER_FIELDS)
    for name, value in changes.items():
        setattr(user, name, value)
    diff = diff_of(before, snapshot(user, _USER_FIELDS))
    if diff:
        user.save()
        log_action(actor=actor, action="accounts.user.updated", obj=user, diff=diff)
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> None:
    if actor is None or actor.pk != user.pk:
        _manageable(actor, user)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    log_action(actor=actor, action="accounts.user.password_set", obj=user, diff={})


@transaction.atomic
def grant_add(*, actor: Any, user: User, role: str, area: Area) -> Grant:
    """Give ``user`` ``role`` over ``area``'s subtree.

    The actor must manage users over that area, and only an administrator of a whole tree
    may hand out the system administrator role.
    """
    if role not in Role.values:
        raise DomainError("accounts.grant.bad_role", _("Unknown role."), field="role")
    if actor is not None:
        require(actor, Capability.MANAGE_USERS, area)
        if role == Role.SYSTEM_ADMIN and not covers_everything(actor, Capability.MANAGE_USERS):
            raise PermissionDenied(
                "permission_denied", _("Only an administrator of the whole tree may do this.")
            )
    grant, created = Grant.objects.get_or_create(
        user=user, role=role, area=area, defaults={"granted_by": actor}
    )
    if created:
        log_action(
            actor=actor,
            action="accounts.grant.added",
            obj=grant,
            area_code=area.code,
            diff={"user": [None, user.username], "role": [None, role], "area": [None, area.code]},
        )
        forget_grants(user)
    return grant


@transaction.atomic
def grant_revoke(*, actor: Any, grant: Grant) -> None:
    if actor is not None:
        require(actor, Capability.MANAGE_USERS, grant.area)
        if grant.role == Role.SYSTEM_ADMIN and not covers_everything(
            actor, Capability.MANAGE_USERS
        ):
            raise PermissionDenied(
                "permission_denied", _("Only an administrator of the whole tree may do this.")
            )
        if grant.user_id == actor.pk and grant.role == Role.SYSTEM_ADMIN:
            raise DomainError(
                "accounts.grant.self_revoke",
                _("You cannot remove your own administrator grant."),
            )
    log_action(
        actor=actor,
        action="accounts.grant.revoked",
        obj=grant,
        area_code=grant.area.code,
        diff={
            "user": [grant.user.username, None],
            "role": [grant.role, None],
            "area": [grant.area.code, None],
        },
    )
    grant.delete()
    forget_grants(grant.user)


@transaction.atomic
def token_create(*, actor: Any, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue an API token for ``user``; the key is returned once and never stored."""
    if actor is not None and actor.pk != user.pk:
        _manageable(actor, user)
    key = f"tp_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name or "api", prefix=key[:8], key_hash=hash_token(key)
    )
    log_action(
        actor=actor,
        action="accounts.token.created",
        obj=token,
        diff={"user": [None, user.username], "name": [None, token.name]},
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken) -> None:
    if actor is not None and actor.pk != token.user_id:
        _manageable(actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(actor=actor, action="accounts.token.revoked", obj=token, diff={})


def token_authenticate(key: str) -> User | None:
    """The active user a token key belongs to, or ``None``."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def login_is_locked(*, username: str, ip: str | None) -> bool:
    """Whether too many recent failures for this name or this address block sign-in."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(username__iexact=username).count() >= limit:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= limit * 4


@transaction.atomic
def login_failed(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip=ip)
    log_action(
        actor=AnonymousUser(),
        action="accounts.login.failed",
        kind=AuditKind.ACCESS,
        diff={"username": username[:150]},
        ip=ip,
        object_repr=username[:150],
    )


@transaction.atomic
def login_succeeded(*, user: User, ip: str | None) -> None:
    LoginFailure.objects.filter(username__iexact=user.username).delete()
    log_action(
        actor=user, action="accounts.login.succeeded", obj=user, kind=AuditKind.ACCESS, ip=ip
    )
