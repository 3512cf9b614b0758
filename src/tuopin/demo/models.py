"""A record that the database holds the synthetic demonstration data set."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """Present once demonstration data is loaded; every page then says the data is synthetic."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    seed = models.IntegerField(_("seed"))
    households = models.PositiveIntegerField(_("households"), default=0)
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    class Meta:
        verbose_name = _("demonstration data set")
        verbose_name_plural = _("demonstration data sets")

    def __str__(self) -> str:
        return self.name
