from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a grant lets its holder do; where is the grant's area subtree."""

    SYSTEM_ADMIN = "system_admin", _("System administrator")
    LEAGUE_OFFICER = "league_officer", _("League officer")
    BANNER_APPROVER = "banner_approver", _("Banner approver")
    TOWN_REVIEWER = "town_reviewer", _("Sumu/town reviewer")
    GAQA_CADRE = "gaqa_cadre", _("Gaqa information officer")
    RESPONSIBLE_CADRE = "responsible_cadre", _("Responsible cadre")
    SUPERVISOR = "supervisor", _("People's Congress supervisor")
    ANALYST = "analyst", _("Analyst")
    DEPUTY = "deputy", _("People's Congress deputy")
    DISCIPLINE = "discipline", _("Discipline inspection officer")
