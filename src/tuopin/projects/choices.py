from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectType(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    EMPLOYMENT = "employment", _("Employment")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    PUBLIC_SERVICE = "public_service", _("Public service")
    HOUSEHOLD_SUBSIDY = "household_subsidy", _("Household subsidy")


class ProjectState(models.TextChoices):
    """The pipeline (项目库) in order: each transition moves one step forward."""

    PROPOSED = "proposed", _("Proposed")
    PUBLICISED = "publicised", _("Publicised at every level")
    IN_PIPELINE = "in_pipeline", _("In the pipeline")
    APPROVED = "approved", _("Approved")
    FUNDED = "funded", _("Funded")
    IMPLEMENTED = "implemented", _("Implemented")
    ACCEPTED = "accepted", _("Accepted")
    ANNOUNCED = "announced", _("Announced on site")


class PublicityLevel(models.TextChoices):
    """Publicity before a project enters the pipeline runs level by level, in this order."""

    GAQA = "village", _("Gaqa / village")
    TOWN = "sumu_town", _("Sumu / town")
    BANNER = "banner", _("Banner / county")


PUBLICITY_ORDER = [PublicityLevel.GAQA, PublicityLevel.TOWN, PublicityLevel.BANNER]


class FundSource(models.TextChoices):
    CENTRAL = "central", _("Central linkage funds (衔接资金)")
    REGION = "region", _("Autonomous region")
    LEAGUE = "league", _("League / city")
    BANNER = "banner", _("Banner / county")
    EAST_WEST = "east_west", _("East–west cooperation (东西部协作)")
    DONATION = "donation", _("Social donation")
    UNIT_SAVINGS = "unit_savings", _("A unit's own savings")


class AssetKind(models.TextChoices):
    OPERATING = "operating", _("Operating (经营性)")
    PUBLIC_WELFARE = "public_welfare", _("Public welfare (公益性)")
    HOUSEHOLD = "household", _("Household (到户类)")


class AssetState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CONFIRMED = "confirmed", _("Ownership confirmed")
    HANDED_OVER = "handed_over", _("Handed over")
    DISPOSED = "disposed", _("Disposed")


class AssetAlert(models.TextChoices):
    NO_OWNER = "no_owner", _("No owner confirmed")
    NO_MAINTAINER = "no_maintainer", _("No one responsible for upkeep")
    NO_INCOME = "no_income", _("No income recorded for a year")


class CollectiveIncomeSource(models.TextChoices):
    OPERATION = "operation", _("Own operation")
    LEASING = "leasing", _("Leasing of assets and pasture")
    ASSET_INCOME = "asset_income", _("Income from project assets")
    SHARES = "shares", _("Shares and dividends")
    SERVICES = "services", _("Services")
    OTHER = "other", _("Other")


class EnterpriseKind(models.TextChoices):
    COMPANY = "company", _("Company")
    RESEARCH = "research", _("Research base")
    BASE = "base", _("Production base")
    COOPERATIVE = "cooperative", _("Specialised cooperative (专业合作社)")


class Industry(models.TextChoices):
    CAMEL = "camel", _("Camels")
    SHEEP_GOATS = "sheep_goats", _("Sheep and goats")
    DESERT_PLANTS = "desert_plants", _("Desert plants (沙产业)")
    TOURISM = "tourism", _("Tourism")
    OTHER = "other", _("Other")
