"""Users, their area-scoped grants, API tokens and sign-in throttling."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.choices import Role
from tuopin.areas.models import Area


class User(AbstractUser):
    """A person who signs in. What they may see comes only from their grants."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    organisation = models.CharField(_("unit"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_by = models.ForeignKey(
        "self",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username


class Grant(models.Model):
    """A role held over an area's whole subtree. A user may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("granted on"), default=timezone.now)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["user__username", "area__lft", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "area"], name="grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area}"


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its hash is stored; it acts as its user."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginFailure(models.Model):
    """A failed sign-in, counted to slow down password guessing."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M}"
