"""Assistance measures (帮扶措施) for households, with their dates and who is responsible."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area
from tuopin.assistance.choices import MeasureCategory, RiskType
from tuopin.registry.models import Household


class Measure(models.Model):
    """One measure for one household, in place from ``start_date`` to ``end_date`` (open
    when ``end_date`` is null; the end day itself still counts as in place)."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="measures"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("gaqa / village"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=20, choices=MeasureCategory.choices)
    risk_type = models.CharField(
        _("risk it answers"), max_length=24, choices=RiskType.choices, blank=True
    )
    description = models.CharField(_("content"), max_length=300)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_unit = models.CharField(_("responsible unit"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("assistance measure")
        verbose_name_plural = _("assistance measures")
        ordering = ["household", "-start_date", "id"]
        indexes = [models.Index(fields=["household", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="measure_interval_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.get_category_display()} {self.start_date}"
