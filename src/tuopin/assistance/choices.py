from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskType(models.TextChoices):
    """Risks of falling (back) into poverty (返贫致贫风险类型), the policy list.

    Kept here, below monitoring, because a measure names the risk it answers and a clue the
    risk it reports; monitoring imports it from this module.
    """

    ILLNESS = "illness", _("Illness")
    SCHOOLING = "schooling", _("Schooling costs")
    DISABILITY = "disability", _("Disability")
    DISASTER = "disaster", _("Disaster")
    ACCIDENT = "accident", _("Accident")
    INDUSTRY_FAILURE = "industry_failure", _("Failed industry project")
    UNSTABLE_EMPLOYMENT = "unstable_employment", _("Unstable work or employment")
    LACK_OF_LABOUR = "lack_of_labour", _("Lack of labour")
    HOUSING_SAFETY = "housing_safety", _("Housing safety")
    DRINKING_WATER = "drinking_water", _("Drinking water safety")
    OTHER = "other", _("Other")


class MeasureCategory(models.TextChoices):
    """Categories of assistance measures (帮扶措施) as county ledgers keep them."""

    INDUSTRY = "industry", _("Industry")
    EMPLOYMENT = "employment", _("Employment")
    SOCIAL_SECURITY = "social_security", _("Comprehensive social security")
    MEDICAL = "medical", _("Medical")
    EDUCATION = "education", _("Education")
    HOUSING = "housing", _("Housing")
    WATER = "water", _("Drinking water")
    INSURANCE = "insurance", _("Anti-poverty insurance")
    SOCIAL_AID = "social_aid", _("Social assistance")
    MOTIVATION = "motivation", _("Motivation and skills")
    OTHER = "other", _("Other")


# Developmental measures (开发式帮扶): a household with labour capacity should have one.
DEVELOPMENTAL = frozenset({MeasureCategory.INDUSTRY, MeasureCategory.EMPLOYMENT})
