"""The administrative tree and the yearly figures kept per area."""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tuopin.areas.choices import Kind, Level, Provenance

code_validator = RegexValidator(r"^\d{12}$", _("An area code has exactly 12 digits."))


class Area(models.Model):
    """One unit of the administrative tree, identified by its 12-digit statistical code.

    ``lft`` and ``rgt`` number the tree in pre-order (nested intervals), so that a subtree
    is ``lft BETWEEN a.lft AND a.rgt`` and the ancestors are ``lft < a.lft AND rgt > a.rgt``:
    one indexed query each, whatever the depth. They are renumbered whenever the tree's
    shape changes (see ``services.renumber_tree``).

    An area is never deleted: an abolished or merged unit stays, inactive, so that the
    records and history that hang off it keep their place.
    """

    code = models.CharField(_("code"), max_length=12, unique=True, validators=[code_validator])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=100)
    name_latn = models.CharField(_("name (romanised)"), max_length=150)
    provenance = models.CharField(
        _("provenance"), max_length=12, choices=Provenance.choices, default=Provenance.OFFICIAL
    )
    is_active = models.BooleanField(_("in use"), default=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    lft = models.PositiveIntegerField(default=0, db_index=True)
    rgt = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["lft"]
        indexes = [models.Index(fields=["lft", "rgt"]), models.Index(fields=["parent", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{12}$"), name="area_code_twelve_digits"
            ),
            models.CheckConstraint(condition=Q(rgt__gte=models.F("lft")), name="area_lft_le_rgt"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language: Traditional Chinese, romanised, or as written."""
        language = (get_language() or "zh-hans").lower()
        if language.startswith("zh-hant") or language in {"zh-tw", "zh-hk", "zh-mo"}:
            return self.name_zh_hant or self.name
        if language.startswith("en"):
            return self.name_latn or self.name
        return self.name

    def subtree_q(self, prefix: str = "") -> Q:
        """A filter for rows whose area (reached through ``prefix``) lies in this subtree."""
        return Q(**{f"{prefix}lft__gte": self.lft, f"{prefix}lft__lte": self.rgt})

    def contains(self, other: Area) -> bool:
        return self.lft <= other.lft <= self.rgt


class AreaYearFigure(models.Model):
    """Figures the registry cannot know, kept per area and year by the users.

    ``rural_population`` (农村户籍人口) is the denominator of poverty incidence.
    """

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="year_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    rural_population = models.PositiveIntegerField(_("rural registered population"))
    is_synthetic = models.BooleanField(_("synthetic (demonstration)"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("area figures for a year")
        verbose_name_plural = _("area figures by year")
        ordering = ["area__lft", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="area_year_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.year}"
