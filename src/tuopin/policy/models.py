"""Policy as data: versioned, effective-dated packs of values, each with its source."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area
from tuopin.core.errors import DomainError
from tuopin.policy.choices import YEAR_KEYED, PackStatus, PolicyKey, ScopeLevel


class PublishedPackImmutable(DomainError):
    """A published pack and its values never change; a change is a new version."""

    def __init__(self) -> None:
        super().__init__(
            "policy.pack.published_immutable",
            _("A published policy pack cannot be changed; draft a new version instead."),
        )


def _is_published(pack_id: int | None) -> bool:
    return (
        pack_id is not None
        and PolicyPack.objects.filter(pk=pack_id, status=PackStatus.PUBLISHED).exists()
    )


class PolicyPack(models.Model):
    """One version of the policy of a scope: the nation (no area), a province, a league
    or a banner.

    A pack is in force from ``effective_from`` once published; for one scope the latest
    published version already in force wins. A published pack is immutable: ``save`` and
    ``delete`` refuse it (the stored status is checked, not the one in memory).
    """

    name = models.CharField(_("name"), max_length=200)
    scope = models.CharField(_("scope"), max_length=12, choices=ScopeLevel.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_packs",
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=PackStatus.choices, default=PackStatus.DRAFT
    )
    effective_from = models.DateField(_("in force from"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("policy pack")
        verbose_name_plural = _("policy packs")
        ordering = ["scope", "area__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "version"],
                condition=Q(area__isnull=False),
                name="policy_pack_area_version_unique",
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(area__isnull=True),
                name="policy_pack_nation_version_unique",
            ),
            models.CheckConstraint(
                condition=(Q(scope=ScopeLevel.NATION) & Q(area__isnull=True))
                | (~Q(scope=ScopeLevel.NATION) & Q(area__isnull=False)),
                name="policy_pack_nation_has_no_area",
            ),
            models.CheckConstraint(
                condition=Q(status=PackStatus.DRAFT) | Q(published_at__isnull=False),
                name="policy_pack_published_has_date",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="policy_pack_version_ge_1"),
        ]

    def __str__(self) -> str:
        where = self.area.code if self.area_id else self.scope
        return f"{self.name} ({where} v{self.version})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and _is_published(self.pk):
            raise PublishedPackImmutable
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if _is_published(self.pk):
            raise PublishedPackImmutable
        return super().delete(*args, **kwargs)

    @property
    def area_code(self) -> str:
        return self.area.code if self.area_id else ""


class PolicyValueQuerySet(models.QuerySet["PolicyValue"]):
    def update(self, **kwargs: Any) -> int:
        if self.filter(pack__status=PackStatus.PUBLISHED).exists():
            raise PublishedPackImmutable
        return super().update(**kwargs)

    def delete(self) -> Any:
        if self.filter(pack__status=PackStatus.PUBLISHED).exists():
            raise PublishedPackImmutable
        return super().delete()


class PolicyValue(models.Model):
    """One value of a pack: a key, for a year when the key varies by year, and its source.

    Poverty lines and monitoring thresholds belong to a year; the other keys hold one
    value with no year. A value of a published pack cannot be added, changed or removed.
    """

    pack = models.ForeignKey(
        PolicyPack, verbose_name=_("policy pack"), on_delete=models.CASCADE, related_name="values"
    )
    key = models.CharField(_("key"), max_length=48, choices=PolicyKey.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    source = models.TextField(_("source"))

    objects = PolicyValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")
        ordering = ["pack", "key", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["pack", "key", "year"],
                condition=Q(year__isnull=False),
                name="policy_value_pack_key_year_unique",
            ),
            models.UniqueConstraint(
                fields=["pack", "key"],
                condition=Q(year__isnull=True),
                name="policy_value_pack_key_unique",
            ),
            models.CheckConstraint(
                condition=(Q(key__in=sorted(YEAR_KEYED)) & Q(year__isnull=False))
                | (~Q(key__in=sorted(YEAR_KEYED)) & Q(year__isnull=True)),
                name="policy_value_year_iff_year_keyed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year or ''} = {self.value}".replace("  ", " ")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if _is_published(self.pack_id):
            raise PublishedPackImmutable
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if _is_published(self.pack_id):
            raise PublishedPackImmutable
        return super().delete(*args, **kwargs)
