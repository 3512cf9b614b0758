from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Levels of the administrative tree, from the top."""

    PROVINCE = "province", _("Province / region")
    LEAGUE = "league", _("League / city")
    BANNER = "banner", _("Banner / county")
    SUMU_TOWN = "sumu_town", _("Sumu / town / subdistrict")
    VILLAGE = "village", _("Gaqa / village / community")
    GROUP = "group", _("Group")


LEVEL_ORDER = [level.value for level in Level]


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level)


class Kind(models.TextChoices):
    """What a unit is called within its level (a banner and a development zone, say)."""

    PROVINCE = "province", _("Province / autonomous region")
    LEAGUE = "league", _("League")
    CITY = "city", _("City")
    BANNER = "banner", _("Banner")
    COUNTY = "county", _("County")
    DEVELOPMENT_ZONE = "development_zone", _("Development zone")
    TOWN = "town", _("Town")
    SUMU = "sumu", _("Sumu")
    TOWNSHIP = "township", _("Township")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    OTHER = "other", _("Other unit")
    GAQA = "gaqa", _("Gaqa")
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    GROUP = "group", _("Group")


class Provenance(models.TextChoices):
    OFFICIAL = "official", _("Official code and name")
    REAL_NAME = "real_name", _("Real name, code assigned by Tuopin")
    SYNTHETIC = "synthetic", _("Synthetic (demonstration)")
