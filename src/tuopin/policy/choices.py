from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeLevel(models.TextChoices):
    """Whose policy a pack is; the narrowest scope in force wins."""

    NATION = "nation", _("Nation")
    PROVINCE = "province", _("Province / region")
    LEAGUE = "league", _("League / city")
    BANNER = "banner", _("Banner / county")


class PackStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PolicyKey(models.TextChoices):
    """The values a policy pack can set. Amounts are yuan per person per year."""

    POVERTY_LINE = "poverty_line", _("Poverty line")
    MONITORING_THRESHOLD = "monitoring_threshold", _("Monitoring income threshold")
    VILLAGE_EXIT_INCIDENCE_PERCENT = (
        "village_exit_incidence_percent",
        _("Village exit: poverty incidence below (%)"),
    )
    IDENTIFICATION_DAYS_LIMIT = (
        "identification_days_limit",
        _("Identification: days from clue to decision, at most"),
    )
    PUBLICITY_MIN_DAYS = "publicity_min_days", _("Publicity: days in the village, at least")
    ELIMINATION_MIN_MONTHS = (
        "elimination_min_months",
        _("Risk elimination: months monitored, at least"),
    )
    ELIMINATION_MIN_MEASURES = (
        "elimination_min_measures",
        _("Risk elimination: measures in place, at least"),
    )
    MEDICAL_WARNING_SHARE_TUOPIN_PERCENT = (
        "medical_warning_share_tuopin_percent",
        _("Medical warning: share of rural income, tuopin and monitored people (%)"),
    )
    MEDICAL_WARNING_SHARE_OTHER_PERCENT = (
        "medical_warning_share_other_percent",
        _("Medical warning: share of rural income, other people (%)"),
    )
    RURAL_DISPOSABLE_INCOME = (
        "rural_disposable_income",
        _("Rural per-capita disposable income of the year"),
    )
    DISASTER_LOSS_WARNING = (
        "disaster_loss_warning",
        _("Disaster warning: direct loss of a household above (yuan)"),
    )


# Keys whose value belongs to a year; every other key holds one value with no year.
YEAR_KEYED: frozenset[str] = frozenset(
    {
        PolicyKey.POVERTY_LINE.value,
        PolicyKey.MONITORING_THRESHOLD.value,
        PolicyKey.RURAL_DISPOSABLE_INCOME.value,
    }
)

PERCENT_KEYS: frozenset[str] = frozenset(
    {
        PolicyKey.VILLAGE_EXIT_INCIDENCE_PERCENT.value,
        PolicyKey.MEDICAL_WARNING_SHARE_TUOPIN_PERCENT.value,
        PolicyKey.MEDICAL_WARNING_SHARE_OTHER_PERCENT.value,
    }
)


class Unit(models.TextChoices):
    """What a value is counted in, for the pages that show it."""

    YUAN_PER_PERSON_YEAR = "yuan_per_person_year", _("yuan per person per year")
    PERCENT = "percent", _("%")
    YUAN = "yuan", _("yuan")
    DAYS = "days", _("days")
    MONTHS = "months", _("months")
    MEASURES = "measures", _("measures")


UNIT_OF_KEY: dict[str, Unit] = {
    PolicyKey.POVERTY_LINE.value: Unit.YUAN_PER_PERSON_YEAR,
    PolicyKey.MONITORING_THRESHOLD.value: Unit.YUAN_PER_PERSON_YEAR,
    PolicyKey.VILLAGE_EXIT_INCIDENCE_PERCENT.value: Unit.PERCENT,
    PolicyKey.IDENTIFICATION_DAYS_LIMIT.value: Unit.DAYS,
    PolicyKey.PUBLICITY_MIN_DAYS.value: Unit.DAYS,
    PolicyKey.ELIMINATION_MIN_MONTHS.value: Unit.MONTHS,
    PolicyKey.ELIMINATION_MIN_MEASURES.value: Unit.MEASURES,
    PolicyKey.MEDICAL_WARNING_SHARE_TUOPIN_PERCENT.value: Unit.PERCENT,
    PolicyKey.MEDICAL_WARNING_SHARE_OTHER_PERCENT.value: Unit.PERCENT,
    PolicyKey.RURAL_DISPOSABLE_INCOME.value: Unit.YUAN_PER_PERSON_YEAR,
    PolicyKey.DISASTER_LOSS_WARNING.value: Unit.YUAN,
}
