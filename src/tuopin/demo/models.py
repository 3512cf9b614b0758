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


class Activity(models.TextChoices):
    CAMEL = "camel", _("Camel herding and camel milk")
    CASHMERE_GOAT = "cashmere_goat", _("Cashmere goats")
    FARMING = "farming", _("Farming")
    TOURISM = "tourism", _("Tourism and herder-family hospitality")
    DESERT_PLANTS = "desert_plants", _("Desert plants (saxaul, cistanche)")


class Livelihood(models.Model):
    """What a synthetic household lives on, and whether it takes part in a specialty industry
    (特色产业). Demonstration data only: the registry keeps business income as one figure, and
    industry assistance will be recorded as assistance measures."""

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="demo_livelihoods",
    )
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    since_year = models.PositiveSmallIntegerField(_("since"))
    specialty_industry = models.BooleanField(_("specialty industry"), default=False)

    class Meta:
        verbose_name = _("livelihood (synthetic)")
        verbose_name_plural = _("livelihoods (synthetic)")
        ordering = ["household", "since_year", "activity"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "activity"], name="demo_livelihood_household_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.activity}"
