"""Vocabularies of department data comparison (部门筛查预警)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    """Which department a file comes from; each has its own file format."""

    MEDICAL = "medical", _("Medical insurance")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    EDUCATION = "education", _("Education")
    DISABILITY = "disability", _("Disabled persons' federation")
    HOUSING = "housing", _("Housing and construction")
    EMERGENCY = "emergency", _("Emergency management")
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
    PUBLIC_SECURITY = "public_security", _("Public security")


class MatchStatus(models.TextChoices):
    EXACT = "exact", _("Matched on the ID number")
    PROBABILISTIC = "probabilistic", _("Matched by probabilistic linkage")
    REVIEW = "review", _("Awaiting review")
    UNMATCHED = "unmatched", _("Not matched")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Signal(models.TextChoices):
    """What in a department record points to a risk for the member's household."""

    MEDICAL_COST = "medical_cost", _("High self-paid medical cost")
    SEVERE_DISABILITY = "severe_disability", _("New severe disability")
    WORKING_AGE_DEATH = "working_age_death", _("Death of a working-age member")
    DROPOUT = "dropout", _("Compulsory-age child dropped out of school")
    UNSAFE_HOUSING = "unsafe_housing", _("Housing appraised grade C or D")
    DISASTER_LOSS = "disaster_loss", _("Disaster loss above the threshold")
    ONLY_EARNER_UNEMPLOYED = "only_earner_unemployed", _("The only earner is unemployed")
